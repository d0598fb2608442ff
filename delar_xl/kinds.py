"""Which of delar_xl's workbooks a file is, from its defined names alone.

A template has `Mallversion` (contract §1), a plan `Planversion` (§4), a summary of either level
`AntalMal` and `Kallmapp` (§2), the finansförvaltning's template `Finansversion` (§9). Every reader
that meets a workbook of another kind, the level detection of `konsolidera` and the add-in's ribbon
ask here, so the markers are written once and a newcomer finds in one place how the kinds are told
apart.
"""

from __future__ import annotations

from collections.abc import Collection

MALLVERSION = "Mallversion"
PLANVERSION = "Planversion"
FINANSVERSION = "Finansversion"
ANTAL_MAL, KALLMAPP = "AntalMal", "Kallmapp"
SUMMARY_MARKERS = frozenset({ANTAL_MAL, KALLMAPP})
# A template written before Mallversion existed still has these two.
TEMPLATE_FIELDS = frozenset({"Forvaltning", "Periodslut"})

KIND_SUMMARY, KIND_TEMPLATE, KIND_PLAN, KIND_OTHER = "summary", "template", "plan", "other"
KIND_FINANS = "finans"  # the finansförvaltning's template (contract §9), an input of the kommun level


def is_summary(names: Collection[str]) -> bool:
    """A summary (either level) by its names: the summary's markers and no Mallversion."""
    return MALLVERSION not in names and bool(SUMMARY_MARKERS & set(names))


def is_plan(names: Collection[str]) -> bool:
    """A plan by its names: Planversion and no Mallversion."""
    return PLANVERSION in names and MALLVERSION not in names


def is_finans(names: Collection[str]) -> bool:
    """The finansförvaltning's template by its names: Finansversion and no Mallversion."""
    return FINANSVERSION in names and MALLVERSION not in names


def kind_of(names: Collection[str]) -> str:
    """ "summary", "finans", "template", "plan" or "other" for a workbook with these defined names."""
    if is_summary(names):
        return KIND_SUMMARY
    if FINANSVERSION in names:
        return KIND_FINANS
    if MALLVERSION in names or set(names) >= TEMPLATE_FIELDS:
        return KIND_TEMPLATE
    if PLANVERSION in names:
        return KIND_PLAN
    return KIND_OTHER


__all__ = [
    "FINANSVERSION",
    "KIND_FINANS",
    "KIND_OTHER",
    "KIND_PLAN",
    "KIND_SUMMARY",
    "KIND_TEMPLATE",
    "MALLVERSION",
    "PLANVERSION",
    "SUMMARY_MARKERS",
    "is_finans",
    "is_plan",
    "is_summary",
    "kind_of",
]
