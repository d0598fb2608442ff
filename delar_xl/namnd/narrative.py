"""The prose around the figures in the tjänsteskrivelse: what the report covers, how the nämnd is
organised, the förvaltningar's own summaries (their `Sammanfattning`), the closing proposal.

Every sentence follows the data as text.py's do: one förvaltning, two, many; a report that is
incomplete never claims "samtliga".
"""

from __future__ import annotations

import re

from delar_xl.namnd.result import Result
from delar_xl.words import count_word, join_and, owner, period_phrase, sentence_start

VERKSAMHETSBERATTELSE = "Verksamhetsberättelse"

# The reference's general paragraph on why nämnder follow up: policy, not data, so it stands as it is.
PURPOSE = (
    "Nämnderna ska fortlöpande följa upp och utvärdera verksamhet och ekonomi samt vidta erforderliga "
    "åtgärder vid avvikelser och rapportera detta till kommunstyrelsen. Vid konflikt mellan mål och medel "
    "gäller medlen. Det innebär att tillgång till ekonomiska och andra resurser sätter en gräns för "
    "måluppfyllelsen och verksamhetens inriktning och omfattning. Syftet med uppföljning är att säkerställa "
    "att verksamhetens resurser används till det som avsetts, få god kontroll på oönskad kostnadsutveckling "
    "och att säkerställa att verksamheten bedrivs inom tilldelade ramar."
)


def report_phrase(result: Result) -> str:
    """ "delårsrapport per den 31 augusti 2021" / "verksamhetsberättelse 2021" (lower case, no article)."""
    year = result.periodslut.year if result.periodslut else ""
    if result.rapport == VERKSAMHETSBERATTELSE:
        return f"verksamhetsberättelse {year}".strip()
    return f"{(result.rapport or 'Delårsrapport').lower()} {period_phrase(result.periodslut)} {year}".strip()


def definite(report: str) -> str:
    """ "Delårsrapport" → "Delårsrapporten", "Verksamhetsberättelse" → "Verksamhetsberättelsen"."""
    return report + ("n" if report.endswith("e") else "en")


def scope_paragraph(result: Result) -> str:
    """ "Kommunstyrelsens delårsrapport per den 31 augusti 2021 omfattar samtliga tre förvaltningar under
    kommunstyrelsen – A, B och C. Förvaltningarnas delårsrapporter redovisas som bilagor."."""
    names = [u.name for u in result.included]
    if not names:
        return ""
    who = owner(result.namnd)
    head = f"{who[0].upper() + who[1:]} {report_phrase(result)} omfattar"
    story = result.rapport == VERKSAMHETSBERATTELSE
    if len(names) == 1:
        own = "verksamhetsberättelse" if story else "delårsrapport"
        return f"{head} {names[0]}. Förvaltningens {own} redovisas som bilaga."
    if not result.complete:
        amount = f"{count_word(len(names))} förvaltningar"
    elif len(names) == 2:
        amount = "båda förvaltningarna"
    else:
        amount = f"samtliga {count_word(len(names))} förvaltningar"
    under = lower_first(result.namnd.strip() or "nämnden")
    plural = "verksamhetsberättelser" if story else "delårsrapporter"
    return f"{head} {amount} under {under} – {join_and(names)}. Förvaltningarnas {plural} redovisas som bilagor."


def organisation_sentence(result: Result) -> str:
    """ "Tre förvaltningar är organiserade under kommunstyrelsen – A, B och C." The plan's förvaltningar
    when there is a plan, else those whose templates were read for this nämnd."""
    names = organised_units(result)
    under = lower_first(result.namnd.strip() or "nämnden")
    if not names:
        return ""
    if len(names) == 1:
        return f"{names[0]} är organiserad under {under}."
    return f"{sentence_start(len(names))} förvaltningar är organiserade under {under} – {join_and(names)}."


def lower_first(text: str) -> str:
    """ "Kommunstyrelsen" → "kommunstyrelsen", as a nämnd is named inside a sentence."""
    return text[:1].lower() + text[1:]


def organised_units(result: Result) -> list[str]:
    from delar_xl.namnd.declaration import STATUS_OTHER_REPORT, STATUS_SKIPPED

    if result.plan is not None and result.plan.units:
        return result.plan.unit_names()
    names: list[str] = []
    for unit in result.units:
        if unit.template and unit.status not in (STATUS_OTHER_REPORT, STATUS_SKIPPED) and unit.name not in names:
            names.append(unit.name)
    return names


def proposal_sentence(result: Result) -> str:
    """ "Kommunstyrelsen föreslås godkänna delårsrapporten per den 31 augusti 2021, som kommer att ingå i
    den samlade delårsrapporten till kommunfullmäktige."."""
    namnd = result.namnd.strip() or "Nämnden"
    report = report_phrase(result)
    first, _, rest = report.partition(" ")
    if result.rapport == VERKSAMHETSBERATTELSE:
        return f"{namnd} föreslås godkänna {definite(first)} {rest}, som kommer att ingå i kommunens årsredovisning."
    return (
        f"{namnd} föreslås godkänna {definite(first)} {rest}, som kommer att ingå i den samlade "
        f"{definite(first)} till kommunfullmäktige."
    )


def unit_summaries(result: Result) -> list[tuple[str, str]]:
    """Each included förvaltning's own Sammanfattning as (label, paragraph) pairs, in report order.

    The label is always empty: a name pasted before the prose ("Kommunledningsförvaltningen: Verksamheten
    …") is no sentence. A text that names its förvaltning or the nämnd reads as it is; another one, where
    more than one förvaltning is included, opens with a sentence that says whose it is. A text with
    blank lines or line breaks becomes several paragraphs.
    """
    units = [u for u in result.included if u.template and u.template.meta.sammanfattning.strip()]
    several = len(result.included) > 1
    board = result.namnd.strip().casefold()
    out: list[tuple[str, str]] = []
    for unit in units:
        text = unit.template.meta.sammanfattning if unit.template else ""
        parts = split_paragraphs(text)
        named = unit.name.casefold() in text.casefold() or (board and board in text.casefold())
        first = parts[0] if named or not several else f"{unit.name} sammanfattar perioden så här: {parts[0]}"
        out.append(("", first))
        out.extend(("", part) for part in parts[1:])
    return out


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a cell's text: split at line breaks, inner whitespace runs made single spaces."""
    parts = [re.sub(r"[ \t\u00a0]+", " ", p).strip() for p in re.split(r"\s*[\r\n]+\s*", text)]
    return [p for p in parts if p]
