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
    """One bilaga of the tjänsteskrivelse: a förvaltning's own report."""

    number: int
    name: str  # "Leanlinks delårsrapport per den 31 augusti 2021"
    forvaltning: str
    file: str


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


def attachments(result: Result) -> list[Attachment]:
    """The included förvaltningar's reports as bilagor, ordered by number."""
    units = list(result.included)
    known = {u.file: _known_number(result, u) for u in units}
    next_free = max((n for n in known.values() if n is not None), default=0) + 1
    out: list[Attachment] = []
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
    """"Leanlinks delårsrapport per den 31 augusti 2021"."""
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
