"""What the nämnd decides on and with what: Förslag till beslut, Beslutsunderlag (the tjänsteskrivelse
and every bilaga by number and name) and Beslutet skickas till.

Bilaga numbers come from the plan (`PlanUnit.bilaga`) when the result carries one, else from
"Bilaga N" in the template's file name, else from the order of the förvaltningar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from delar_xl.namnd.narrative import definite, report_phrase
from delar_xl.namnd.result import Result, Unit
from delar_xl.namnd.text import title
from delar_xl.plan.declaration import bilaga_in_file_name
from delar_xl.words import genitive, join_and


@dataclass(frozen=True)
class Attachment:
    """One bilaga of the tjänsteskrivelse: the nämnd's own report, a förvaltning's report, or one of the
    plan's other bilagor (PlanBilagor, by title)."""

    number: int
    name: str  # "Leanlinks delårsrapport per den 31 augusti 2021"
    forvaltning: str = ""
    file: str = ""


def decision_items(result: Result) -> list[str]:
    """The numbered Förslag till beslut: approve the report, note the förvaltningar's follow-ups."""
    items: list[str] = []
    head = title(result)
    first, _, rest = head.partition(" ")
    with_attachments = " inklusive bilagor" if result.included else ""
    items.append(f"{definite(first)} {rest}{with_attachments} godkänns.")
    names = [genitive(u.name) for u in result.included]
    if names:
        year = result.periodslut.year if result.periodslut else ""
        plans = "verksamhetsplaner" if len(names) > 1 else "verksamhetsplan"
        items.append(f"Uppföljningen av {join_and(names)} {plans} {year} noteras.".replace("  ", " "))
    return items


def report_attachment_name(result: Result) -> str:
    """ "Kommunstyrelsens delårsrapport per den 31 augusti 2021": the document the nämnd approves."""
    return f"{genitive(result.namnd.strip() or 'Nämnden')} {report_phrase(result)}"


def attachments(result: Result) -> list[Attachment]:
    """Every bilaga, ordered by number: the nämnd's own report (Bilaga 1 unless the plan gives 1 to
    something else), the plan's other bilagor by title, and the included förvaltningar's reports."""
    units = list(result.included)
    known = {u.file: _known_number(result, u) for u in units}
    extras = [
        a for a in (getattr(result.plan, "attachments", []) if result.plan is not None else []) if str(a.title).strip()
    ]
    taken = {n for n in known.values() if n is not None} | {a.bilaga for a in extras if a.bilaga is not None}
    report_number = 1 if 1 not in taken else next(n for n in range(1, len(taken) + 2) if n not in taken)
    taken.add(report_number)
    next_free = max(taken) + 1
    out: list[Attachment] = [Attachment(report_number, report_attachment_name(result))]
    for extra in extras:
        number = extra.bilaga
        if number is None:
            number, next_free = next_free, next_free + 1
        out.append(Attachment(number, str(extra.title).strip()))
    for unit in units:
        number = known[unit.file]
        if number is None:
            number, next_free = next_free, next_free + 1
        out.append(Attachment(number, attachment_name(result, unit), unit.name, unit.file))
    return sorted(out, key=lambda a: a.number)


def _known_number(result: Result, unit: Unit) -> int | None:
    planned = result.plan.unit(unit.name) if result.plan is not None else None
    if planned is not None and planned.bilaga is not None:
        return planned.bilaga
    return bilaga_in_file_name(unit.file)


def attachment_name(result: Result, unit: Unit) -> str:
    """ "Leanlinks delårsrapport per den 31 augusti 2021"."""
    return f"{genitive(unit.name)} {report_phrase(result)}"


def basis_lines(result: Result, created: date) -> list[str]:
    """Beslutsunderlag: the tjänsteskrivelse itself, then every bilaga by number and name."""
    lines = [f"Tjänsteskrivelse – {title(result)}, {created.isoformat()}"]
    lines += [f"Bilaga {a.number} – {a.name}" for a in attachments(result)]
    return lines


def recipients(result: Result) -> list[str]:
    """Beslutet skickas till: the plan's Mottagare (none without a plan)."""
    if result.plan is None:
        return []
    return [r.strip() for r in result.plan.recipients if r.strip()]


def signatories(result: Result) -> tuple[str, tuple[str, ...]]:
    """The signature block: the förvaltning that writes the tjänsteskrivelse (the plan's first, by
    Bilaga, as in the reference: Kommunledningsförvaltningen) and the plan's Undertecknare; ("", ())
    when the plan names nobody."""
    plan = result.plan
    if plan is None:
        return "", ()
    names = tuple(n.strip() for n in getattr(plan, "undertecknare", ()) if n.strip())
    if not names:
        return "", ()
    units = sorted(plan.units, key=lambda u: (u.bilaga is None, u.bilaga or 0))
    return (units[0].forvaltning if units else ""), names


def kommun_name(result: Result) -> str:
    """The kommun's name from the plan (contract §7), "" when there is none."""
    return str(getattr(result.plan, "kommun", "") or "").strip() if result.plan is not None else ""


def handlaggare(result: Result) -> str:
    return str(getattr(result.plan, "handlaggare", "") or "").strip() if result.plan is not None else ""
