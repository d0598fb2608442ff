"""Rules for a plan (contract §4), one small function each, no I/O.

The reader (plan/read.py) already reports what a cell cannot be read as (a budget that is text,
a Bilaga that is not a whole number, Ar that is not a number); the rules here judge the content:
duplicates, names that are not in PlanForvaltningar, missing numbers, e-post that is no address.
Every finding is at its cell, in Swedish.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

from delar_xl.findings import Finding, Severity
from delar_xl.plan import declaration as P
from delar_xl.plan.declaration import Plan

MIN_YEAR, MAX_YEAR = 2000, 2100
# How alike a name must be to be suggested: "Lean link" → Leanlink, "KS-M5" → KS-M05, but not
# Socialförvaltningen → Kommunledningsförvaltningen (difflib's ratio 0.6 on the shared ending).
SUGGESTION_CUTOFF = 0.75
_EMAIL = re.compile(r"^[^@\s;,<>]+@[^@\s;,<>]+\.[^@\s;,<>.]{2,}$")


def _finding(plan: Plan, severity: Severity, code: str, message: str, sheet: str = "", cell: str = "") -> Finding:
    return Finding(plan.file, sheet, cell, severity, code, message)


def _at(plan: Plan, table: P.Table, key: str, row: int) -> tuple[str, str]:
    return table.sheet, plan.cell(table.name, key, row)


def _reported(plan: Plan, sheet: str, cell: str) -> bool:
    return f"{sheet}!{cell}" in plan.unreadable


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `name` (difflib), or None when nothing is close."""
    options = list(candidates)
    by_fold = {c.casefold(): c for c in options}
    match = difflib.get_close_matches(name.casefold(), list(by_fold), n=1, cutoff=SUGGESTION_CUTOFF)
    return by_fold[match[0]] if match else None


def suggestion(name: str, candidates: Iterable[str]) -> str:
    """ " Menade du Leanlink?" or ""."""
    match = closest(name, candidates)
    return f" Menade du {match}?" if match else ""


# Uppgifter -----------------------------------------------------------------------------------


def namnd_missing(plan: Plan) -> list[Finding]:
    if plan.namnd:
        return []
    sheet, cell = plan.field_cell("Namnd")
    return [
        _finding(
            plan,
            Severity.ERROR,
            "plan-namnd-saknas",
            "Nämnd saknas. Skriv nämndens namn, t.ex. Kommunstyrelsen.",
            sheet,
            cell,
        )
    ]


def year_invalid(plan: Plan) -> list[Finding]:
    sheet, cell = plan.field_cell("Ar")
    if _reported(plan, sheet, cell):
        return []
    if plan.year is None:
        return [
            _finding(
                plan,
                Severity.ERROR,
                "plan-ar-saknas",
                "Budgetår saknas. Skriv budgetåret som ett heltal, t.ex. 2021.",
                sheet,
                cell,
            )
        ]
    if not MIN_YEAR <= plan.year <= MAX_YEAR:
        return [
            _finding(
                plan,
                Severity.ERROR,
                "plan-ar-ogiltigt",
                f"Budgetår {plan.year} är inte ett rimligt årtal ({MIN_YEAR}–{MAX_YEAR}). "
                "Skriv budgetåret som ett heltal, t.ex. 2021.",
                sheet,
                cell,
            )
        ]
    return []


# Förvaltningar -------------------------------------------------------------------------------


def no_units(plan: Plan) -> list[Finding]:
    if plan.units or P.PLAN_UNITS.name not in plan.columns:
        return []
    return [
        _finding(
            plan,
            Severity.ERROR,
            "plan-inga-forvaltningar",
            "Planen har inga förvaltningar. Fyll i tabellen PlanForvaltningar med en rad per förvaltning.",
            P.PLAN_UNITS.sheet,
            "A5",
        )
    ]


def duplicate_units(plan: Plan) -> list[Finding]:
    return _duplicates(
        plan,
        P.PLAN_UNITS,
        "forvaltning",
        [(u.forvaltning, u.row) for u in plan.units],
        "plan-forvaltning-dubblett",
        "Förvaltningen",
    )


def bilaga_missing(plan: Plan) -> list[Finding]:
    findings = []
    for unit in plan.units:
        sheet, cell = _at(plan, P.PLAN_UNITS, "bilaga", unit.row)
        if unit.bilaga is None and unit.forvaltning and not _reported(plan, sheet, cell):
            findings.append(
                _finding(
                    plan,
                    Severity.ERROR,
                    "plan-bilaga-saknas",
                    f"Bilaga saknas för {unit.forvaltning}. Skriv bilagans nummer (heltal): "
                    "det ordnar förvaltningarna och namnger deras mallar.",
                    sheet,
                    cell,
                )
            )
    return findings


def bilaga_duplicate(plan: Plan) -> list[Finding]:
    seen: dict[int, P.PlanUnit] = {}
    findings = []
    for unit in plan.units:
        if unit.bilaga is None:
            continue
        if unit.bilaga in seen:
            first = seen[unit.bilaga]
            sheet, cell = _at(plan, P.PLAN_UNITS, "bilaga", unit.row)
            findings.append(
                _finding(
                    plan,
                    Severity.ERROR,
                    "plan-bilaga-dubblett",
                    f"Bilaga {unit.bilaga} finns redan för {first.forvaltning} (cell "
                    f"{plan.cell(P.PLAN_UNITS.name, 'bilaga', first.row)}). Varje förvaltning "
                    "ska ha ett eget bilagenummer.",
                    sheet,
                    cell,
                )
            )
        else:
            seen[unit.bilaga] = unit
    return findings


def email_invalid(plan: Plan) -> list[Finding]:
    findings = []
    for unit in plan.units:
        if unit.epost and not _EMAIL.match(unit.epost):
            sheet, cell = _at(plan, P.PLAN_UNITS, "epost", unit.row)
            findings.append(
                _finding(
                    plan,
                    Severity.ERROR,
                    "plan-epost-ogiltig",
                    f'E-post "{unit.epost}" är ingen e-postadress. Skriv en adress, '
                    "t.ex. controller@kommun.se (en adress per rad).",
                    sheet,
                    cell,
                )
            )
    return findings


# Ids --------------------------------------------------------------------------------------------


def _duplicates(
    plan: Plan, table: P.Table, key: str, values: list[tuple[str, int]], code: str, what: str
) -> list[Finding]:
    first: dict[str, int] = {}
    findings = []
    for value, row in values:
        if not value:
            continue
        fold = value.casefold()
        if fold in first:
            sheet, cell = _at(plan, table, key, row)
            findings.append(
                _finding(
                    plan,
                    Severity.ERROR,
                    code,
                    f"{what} {value} finns redan på rad {first[fold]} "
                    f"(cell {plan.cell(table.name, key, first[fold])}). Id:n ska vara unika.",
                    sheet,
                    cell,
                )
            )
        else:
            first[fold] = row
    return findings


def duplicate_ids(plan: Plan) -> list[Finding]:
    return (
        _duplicates(
            plan, P.PLAN_GOALS, "goal_id", [(g.goal_id, g.row) for g in plan.goals], "plan-id-dubblett", "Mål-id"
        )
        + _duplicates(
            plan,
            P.PLAN_ASSIGNMENTS,
            "assignment_id",
            [(a.assignment_id, a.row) for a in plan.assignments],
            "plan-id-dubblett",
            "Uppdrag-id",
        )
        + _duplicates(
            plan,
            P.PLAN_INDICATORS,
            "indicator_id",
            [(i.indicator_id, i.row) for i in plan.indicators],
            "plan-id-dubblett",
            "Indikator-id",
        )
        + _duplicates(
            plan,
            P.PLAN_PERSONNEL,
            "key_figure_id",
            [(f.key_figure_id, f.row) for f in plan.personnel],
            "plan-id-dubblett",
            "Nyckeltal-id",
        )
    )


def duplicate_economy_keys(plan: Plan) -> list[Finding]:
    """Radnyckel is unique per förvaltning (two förvaltningar may both have a line "01")."""
    findings = []
    for name in dict.fromkeys(r.forvaltning.casefold() for r in plan.economy):
        rows = [(r.key, r.row) for r in plan.economy if r.forvaltning.casefold() == name]
        findings += _duplicates(plan, P.PLAN_ECONOMY, "key", rows, "plan-radnyckel-dubblett", "Radnyckel")
    for name in dict.fromkeys(r.forvaltning.casefold() for r in plan.investments):
        rows = [(r.project_id, r.row) for r in plan.investments if r.forvaltning.casefold() == name]
        findings += _duplicates(plan, P.PLAN_INVESTMENTS, "project_id", rows, "plan-projekt-dubblett", "Projekt-id")
    return findings


def ids_missing(plan: Plan) -> list[Finding]:
    """A row with content but no id cannot be matched: every table's first column is required."""
    findings = []
    rows = [
        (P.PLAN_GOALS, [(g.goal_id, g.row) for g in plan.goals]),
        (P.PLAN_ASSIGNMENTS, [(a.assignment_id, a.row) for a in plan.assignments]),
        (P.PLAN_INDICATORS, [(i.indicator_id, i.row) for i in plan.indicators]),
        (P.PLAN_UNITS, [(u.forvaltning, u.row) for u in plan.units]),
        (P.PLAN_PERSONNEL, [(f.key_figure_id, f.row) for f in plan.personnel]),
    ]
    for table, values in rows:
        for value, row in values:
            if not value:
                sheet, cell = _at(plan, table, table.id_column.key, row)
                findings.append(
                    _finding(
                        plan,
                        Severity.ERROR,
                        "plan-id-saknas",
                        f"{table.id_column.header} saknas på rad {row}. Fyll i den eller ta bort raden.",
                        sheet,
                        cell,
                    )
                )
    for r in plan.economy:
        for key in ("forvaltning", "key"):
            if not getattr(r, key):
                sheet, cell = _at(plan, P.PLAN_ECONOMY, key, r.row)
                findings.append(
                    _finding(
                        plan,
                        Severity.ERROR,
                        "plan-id-saknas",
                        f"{P.PLAN_ECONOMY.column(key).header} saknas på rad {r.row}. Fyll i den eller ta bort raden.",
                        sheet,
                        cell,
                    )
                )
    for project in plan.investments:
        for key in ("forvaltning", "project_id"):
            if not getattr(project, key):
                sheet, cell = _at(plan, P.PLAN_INVESTMENTS, key, project.row)
                findings.append(
                    _finding(
                        plan,
                        Severity.ERROR,
                        "plan-id-saknas",
                        f"{P.PLAN_INVESTMENTS.column(key).header} saknas på rad {project.row}. "
                        "Fyll i den eller ta bort raden.",
                        sheet,
                        cell,
                    )
                )
    return findings


# Förvaltningar named elsewhere ---------------------------------------------------------------


def unknown_units(plan: Plan) -> list[Finding]:
    """A förvaltning in a `;` list or in PlanEkonomi that is not in PlanForvaltningar."""
    known = {u.forvaltning.casefold() for u in plan.units if u.forvaltning}
    names = [u.forvaltning for u in plan.units if u.forvaltning]
    findings = []

    def check(table: P.Table, key: str, row: int, listed: Iterable[str]) -> None:
        for name in listed:
            if name.casefold() not in known:
                sheet, cell = _at(plan, table, key, row)
                findings.append(
                    _finding(
                        plan,
                        Severity.ERROR,
                        "plan-forvaltning-okand",
                        f'Förvaltningen "{name}" finns inte i tabellen PlanForvaltningar '
                        f"(fliken {P.PLAN_UNITS.sheet}).{suggestion(name, names)}",
                        sheet,
                        cell,
                    )
                )

    for g in plan.goals:
        check(P.PLAN_GOALS, "units", g.row, g.units)
    for a in plan.assignments:
        check(P.PLAN_ASSIGNMENTS, "units", a.row, a.units)
    for i in plan.indicators:
        check(P.PLAN_INDICATORS, "units", i.row, i.units)
    for r in plan.economy:
        check(P.PLAN_ECONOMY, "forvaltning", r.row, [r.forvaltning] if r.forvaltning else [])
    for project in plan.investments:
        check(P.PLAN_INVESTMENTS, "forvaltning", project.row, [project.forvaltning] if project.forvaltning else [])
    for f in plan.personnel:
        check(P.PLAN_PERSONNEL, "units", f.row, f.units)
    return findings


def budget_missing(plan: Plan) -> list[Finding]:
    """An ekonomi line without a budget is sent out with an empty budget cell: worth a Varning."""
    findings = []
    for r in plan.economy:
        sheet, cell = _at(plan, P.PLAN_ECONOMY, "budget", r.row)
        if r.budget is None and r.key and not _reported(plan, sheet, cell):
            findings.append(
                _finding(
                    plan,
                    Severity.WARNING,
                    "plan-budget-saknas",
                    f"Budget helår saknas för {r.forvaltning} {r.key}. Skriv budgeten i tkr med "
                    "resultattecken (t.ex. −415 100); annars får controllern fylla i den.",
                    sheet,
                    cell,
                )
            )
    return findings


def attachment_numbers(plan: Plan) -> list[Finding]:
    """PlanBilagor: a title needs its number, and no number may be a förvaltning's Bilaga too
    (Beslutsunderlag would list two attachments under one number)."""
    findings = []
    units = {u.bilaga: u.forvaltning for u in plan.units if u.bilaga is not None}
    seen: dict[int, int] = {}
    for a in plan.attachments:
        sheet, cell = _at(plan, P.PLAN_ATTACHMENTS, "bilaga", a.row)
        if _reported(plan, sheet, cell):
            continue
        if a.bilaga is None:
            findings.append(
                _finding(
                    plan,
                    Severity.ERROR,
                    "plan-bilaga-saknas",
                    f'Bilagan "{a.title}" saknar nummer. Skriv bilagans nummer, t.ex. 2.',
                    sheet,
                    cell,
                )
            )
        elif a.bilaga in units:
            findings.append(
                _finding(
                    plan,
                    Severity.ERROR,
                    "plan-bilaga-dubblett",
                    f"Bilaga {a.bilaga} är redan {units[a.bilaga]}s mall (fliken "
                    f"{P.PLAN_UNITS.sheet}). Ge bilagan ett eget nummer.",
                    sheet,
                    cell,
                )
            )
        elif a.bilaga in seen:
            findings.append(
                _finding(
                    plan,
                    Severity.ERROR,
                    "plan-bilaga-dubblett",
                    f"Bilaga {a.bilaga} finns redan på rad {seen[a.bilaga]}. Ge bilagan ett eget nummer.",
                    sheet,
                    cell,
                )
            )
        else:
            seen[a.bilaga] = a.row
    return findings


RULES: tuple[Callable[[Plan], list[Finding]], ...] = (
    namnd_missing,
    year_invalid,
    no_units,
    duplicate_units,
    bilaga_missing,
    bilaga_duplicate,
    email_invalid,
    ids_missing,
    duplicate_ids,
    duplicate_economy_keys,
    unknown_units,
    budget_missing,
    attachment_numbers,
)


def validate_plan(plan: Plan) -> list[Finding]:
    """Every plan rule, in order."""
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(plan))
    return findings


__all__ = ["RULES", "closest", "suggestion", "validate_plan"]
