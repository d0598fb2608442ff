"""The nämnd's own delårsrapport (contract §8) as a list of blocks, from the same result as the summary.

The reference lists it as "Bilaga 1 – Kommunstyrelsens delårsrapport": what the nämnd approves, compiled
until now by hand from the förvaltningar's texts and tables. A title page, a table of contents, then the
nine Heading 1 sections in contract order; every section says something, if only that there is nothing
to report. Amounts in mnkr with one decimal, decimal comma and thousands separated by a space; "–" where
there is no amount (domain.md's legend). No file path, finding count or internal name is written here.
word.py lays the blocks out; `write_report` writes the .docx.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from delar_xl.namnd import narrative
from delar_xl.namnd import text as T
from delar_xl.namnd.document import Block, Contents, DataTable, Heading, PageBreak, Paragraph, TitlePage
from delar_xl.namnd.result import Result, Unit
from delar_xl.numbers import MINUS, NO_AMOUNT, format_number
from delar_xl.template import declaration as D
from delar_xl.words import join_and, owner, period_phrase

SUMMARY = "Sammanfattning"
EVENTS = "Väsentliga händelser"
GOALS = "Måluppfyllelse"
ASSIGNMENTS = "Strategiska uppdrag"
INDICATORS = "Nämndindikatorer"
ECONOMY = "Ekonomi"
INVESTMENTS = "Investeringar"
PERSONNEL = "Personal"
OUTLOOK = "Förväntad utveckling"
SECTIONS = (SUMMARY, EVENTS, GOALS, ASSIGNMENTS, INDICATORS, ECONOMY, INVESTMENTS, PERSONNEL, OUTLOOK)  # §8

# The bedömning in words and as its colour's name, so a black-and-white print still says it.
COLOUR = {D.GOAL_FULL: "grön", D.GOAL_PARTIAL: "gul", D.GOAL_NOT: "röd", D.GOAL_NOT_ASSESSED: "grå"}


@dataclass(frozen=True)
class Options:
    created: date


# Numbers as the report shows them ----------------------------------------------------------------


def mnkr(tkr: float | None, sign: bool = False) -> str:
    """tkr → "−3 940,6" (no unit: the table's header says mnkr); "–" for no amount or exactly zero."""
    if tkr is None or tkr == 0:
        return NO_AMOUNT
    return format_number(tkr / 1000.0, 1, sign=sign)


def figure(value: float | None, unit: str) -> str:
    """An indicator's value: a count whole and grouped ("1 320"), a rate with one decimal ("6,9")."""
    if value is None:
        return NO_AMOUNT
    return format_number(value, 0 if unit.strip().casefold() == D.COUNT_UNIT else 1)


# The document --------------------------------------------------------------------------------------


def report_title(result: Result) -> str:
    """ "Delårsrapport per den 31 augusti 2021" (the cover's title)."""
    year = result.periodslut.year if result.periodslut else ""
    if result.rapport == narrative.VERKSAMHETSBERATTELSE:
        return f"Verksamhetsberättelse {year}".strip()
    return f"{result.rapport or 'Delårsrapport'} {period_phrase(result.periodslut)} {year}".strip()


def report_blocks(result: Result, created: date | None = None, pages: tuple[int | None, ...] = ()) -> list[Block]:
    """The whole delårsrapport for `result`; `created` dates its cover (today when not given); `pages`
    the sections' pages for the table of contents, where a first rendering has told them."""
    created = created or date.today()
    blocks: list[Block] = [_cover(result, created), PageBreak(), Contents(SECTIONS, pages=pages), PageBreak()]
    for heading, build in (
        (SUMMARY, _summary),
        (EVENTS, _events),
        (GOALS, _goals),
        (ASSIGNMENTS, _assignments),
        (INDICATORS, _indicators),
        (ECONOMY, _economy),
        (INVESTMENTS, _investments),
        (PERSONNEL, _personnel),
        (OUTLOOK, _outlook),
    ):
        blocks.append(Heading(heading, 1))
        blocks.extend(build(result))
    return blocks


def _cover(result: Result, created: date) -> TitlePage:
    from delar_xl.namnd.decision import kommun_name

    year = result.periodslut.year if result.periodslut else ""
    above = tuple(filter(None, [kommun_name(result), result.namnd.strip()]))
    below = [] if result.rapport == narrative.VERKSAMHETSBERATTELSE else [f"med prognos för helår {year}"]
    below.append(created.isoformat())
    return TitlePage(above, report_title(result), tuple(below))


def _summary(result: Result) -> list[Block]:
    out: list[Block] = []
    notice = T.incomplete_notice(result)
    if notice:
        out.append(
            Paragraph(notice.replace(" Rätta mallarna och konsolidera på nytt innan texten används.", ""), notice=True)
        )
    scope = narrative.scope_paragraph(result)
    if scope:
        out.append(Paragraph(scope))
    out.append(Paragraph(T.goals_paragraph(result)))
    out.append(Paragraph(T.assignments_paragraph(result)))
    out.append(Paragraph(T.economy_paragraph(result)))
    change = T.forecast_change_sentence(result)
    if change:
        out.append(Paragraph(change))
    for unit, text in _texts(result, lambda u: u.template.meta.sammanfattning):
        out.append(Heading(unit.name, 2))
        out += [Paragraph(p) for p in narrative.split_paragraphs(text)]
    return out


def _texts(result: Result, pick: Any) -> list[tuple[Unit, str]]:
    """(förvaltning, its text) for each included förvaltning with a text, in report order."""
    out = []
    for unit in result.included:
        text = str(pick(unit) or "").strip() if unit.template else ""
        if text:
            out.append((unit, text))
    return out


def _per_unit_text(result: Result, attribute: str, nothing: str) -> list[Block]:
    found = _texts(result, lambda u: getattr(u.template.meta, attribute, ""))
    if not found:
        return [Paragraph(nothing)]
    out: list[Block] = []
    for unit, text in found:
        out.append(Heading(unit.name, 2))
        out += [Paragraph(p) for p in narrative.split_paragraphs(text)]
    silent = [
        u.name for u in result.included if u.template and not str(getattr(u.template.meta, attribute, "")).strip()
    ]
    if silent:
        out.append(Paragraph(f"{join_and(silent)} har inte rapporterat något under den här rubriken."))
    return out


def _events(result: Result) -> list[Block]:
    return _per_unit_text(result, "vasentliga_handelser", "Inga väsentliga händelser har rapporterats för perioden.")


def _outlook(result: Result) -> list[Block]:
    return _per_unit_text(result, "framtid", "Ingen förvaltning har rapporterat någon förväntad utveckling.")


def _goals(result: Result) -> list[Block]:
    if not result.goals:
        return [Paragraph(f"Det finns inga nämndmål att bedöma i {owner(result.namnd)} underlag för perioden.")]
    out: list[Block] = [Paragraph(T.goals_paragraph(result))]
    for goal in result.goals:
        out.append(Heading(f"{goal.goal_id} {goal.goal}".strip(), 2))
        colour = COLOUR.get(goal.assessment, "")
        out.append(
            Paragraph(f"{goal.assessment} ({colour})" if colour else goal.assessment, label="Bedömning", keep=True)
        )
        rows = list(_rows_for(result, "goals", "goal_id", goal.goal_id))
        if not rows:
            out.append(Paragraph("Ingen förvaltning har bedömt nämndmålet i sin rapport."))
        for unit, row in rows:
            out.append(Heading(unit.name, 3))
            analysis = row.analysis.strip()
            lead = "" if row.assessment == goal.assessment else f"Förvaltningens bedömning: {row.assessment}. "
            out += [
                Paragraph(lead + p if i == 0 else p)
                for i, p in enumerate(narrative.split_paragraphs(analysis) or ["Ingen analys har lämnats."])
            ]
    return out


def _rows_for(result: Result, table: str, key: str, value: str) -> Iterable[tuple[Unit, Any]]:
    for unit in result.included:
        for row in getattr(unit.template, table, []) if unit.template else []:
            if getattr(row, key).casefold() == value.casefold():
                yield unit, row


def _assignments(result: Result) -> list[Block]:
    out: list[Block] = [Paragraph(T.assignments_paragraph(result))]
    rows = []
    for assignment in result.assignments:
        found = list(_rows_for(result, "assignments", "assignment_id", assignment.assignment_id))
        comment = " ".join(dict.fromkeys(r.comment.strip() for _, r in found if r.comment.strip()))
        year = str(assignment.new_year) if assignment.new_year else ""
        rows.append((assignment.assignment_id, assignment.assignment, assignment.status, year, comment))
    for planned in result.unreported:
        rows.append((planned.assignment_id, planned.assignment, "Inte rapporterat", "", ""))
    if rows:
        out.append(
            DataTable(
                ("Id", "Uppdrag", "Status", "Nytt år", "Kommentar"), tuple(rows), (False, False, False, True, False)
            )
        )
    return out


def _indicators(result: Result) -> list[Block]:
    units = [u for u in result.included if u.template and u.template.indicators]
    if not units:
        return [Paragraph("Inga nämndindikatorer har rapporterats för perioden.")]
    out: list[Block] = [Paragraph(T.gender_paragraph(result))]
    for unit in units:
        rows = tuple(
            (
                r.indicator,
                r.unit,
                figure(r.women, r.unit),
                figure(r.men, r.unit),
                figure(r.total, r.unit),
                figure(r.target, r.unit),
            )
            for r in unit.model.indicators
        )
        out.append(Heading(unit.name, 2))
        out.append(
            DataTable(
                ("Nämndindikator", "Enhet", "Kvinnor", "Män", "Totalt", "Målvärde"),
                rows,
                (False, False, True, True, True, True),
            )
        )
        reasons = [f"{r.indicator}: {r.reason.strip().rstrip('.')}" for r in unit.model.indicators if r.reason.strip()]
        if reasons:
            out.append(Paragraph("; ".join(reasons) + ".", label="Ej könsuppdelade"))
    return out


def _economy(result: Result) -> list[Block]:
    units = [u for u in result.included if u.template]
    if not units:
        return [Paragraph("Ingen förvaltnings ekonomiska helårsbedömning kunde tas med.")]
    out: list[Block] = [Paragraph(T.economy_paragraph(result))]
    change = T.forecast_change_sentence(result)
    if change:
        out.append(Paragraph(change))
    previous = any(r.previous_forecast is not None for u in units for r in u.model.economy)
    headers = ["Budget helår", "Utfall period", "Prognos helår", "Avvikelse helår"] + (
        ["Föregående prognos"] if previous else []
    )

    def amounts(rows: list[Any]) -> tuple[str, ...]:
        budget = sum(r.budget or 0 for r in rows)
        actual = sum(r.actual or 0 for r in rows)
        forecast = sum(r.forecast or 0 for r in rows)
        cells = [mnkr(budget), mnkr(actual), mnkr(forecast), mnkr(forecast - budget, sign=True)]
        if previous:
            values = [r.previous_forecast for r in rows if r.previous_forecast is not None]
            cells.append(mnkr(sum(values)) if values else NO_AMOUNT)
        return tuple(cells)

    per_unit = [(u.name, *amounts(u.model.economy)) for u in units]
    total = ("Summa", *amounts([r for u in units for r in u.model.economy]))
    out.append(Paragraph("Driftredovisning per förvaltning (mnkr):"))
    out.append(
        DataTable(("Förvaltning", *headers), tuple(per_unit + [total]), (False,) + (True,) * len(headers), total=1)
    )
    for unit in units:
        out.append(Heading(unit.name, 2))
        rows = [(r.activity or r.key, *amounts([r])) for r in unit.model.economy]
        rows.append(("Summa", *amounts(unit.model.economy)))
        out.append(Paragraph(f"Driftredovisning per verksamhet (mnkr), {unit.name}:"))
        out.append(DataTable(("Verksamhet", *headers), tuple(rows), (False,) + (True,) * len(headers), total=1))
        for row in unit.model.economy:
            text = " ".join(filter(None, [row.comment.strip(), _measures(row)]))
            if text:
                out.append(Paragraph(text, label=row.activity or row.key))
    return out


def _measures(row: Any) -> str:
    measures = str(getattr(row, "measures", "") or "").strip()
    return f"Åtgärder: {measures}" if measures else ""


def _investments(result: Result) -> list[Block]:
    units = [u for u in result.included if u.template and getattr(u.template, "investments", [])]
    if not units:
        return [Paragraph("Inga investeringsprojekt har rapporterats för perioden.")]
    every = [r for u in units for r in u.model.investments]
    budget = sum(r.budget or 0 for r in every)
    forecast = sum(r.forecast or 0 for r in every)
    deviation = forecast - budget
    word = "lägre" if deviation > 0 else "högre"
    lead = (
        f"Investeringarna prognostiseras till {format_number(abs(forecast) / 1000.0, 1)} mnkr netto mot en budget "
        f"på {format_number(abs(budget) / 1000.0, 1)} mnkr"
        + (
            f", en {word} nettoutgift med {format_number(abs(deviation) / 1000.0, 1)} mnkr."
            if round(deviation / 1000.0, 1)
            else ", i nivå med budget."
        )
    )
    out: list[Block] = [Paragraph(lead.replace("-", MINUS))]
    headers = ("Projekt", "Budget helår", "Utfall period", "Prognos helår", "Avvikelse helår")
    for unit in units:
        rows = [
            (
                r.project or r.project_id,
                mnkr(r.budget),
                mnkr(r.actual),
                mnkr(r.forecast),
                mnkr(r.deviation, sign=True) if r.deviation is not None else NO_AMOUNT,
            )
            for r in unit.model.investments
        ]
        own_budget = sum(r.budget or 0.0 for r in unit.model.investments)
        own_forecast = sum(r.forecast or 0.0 for r in unit.model.investments)
        rows.append(
            (
                "Summa",
                mnkr(own_budget),
                mnkr(sum(r.actual or 0.0 for r in unit.model.investments)),
                mnkr(own_forecast),
                mnkr(own_forecast - own_budget, sign=True),
            )
        )
        out.append(Heading(unit.name, 2))
        out.append(Paragraph(f"Investeringar per projekt (mnkr), {unit.name}:"))
        out.append(DataTable(headers, tuple(rows), (False, True, True, True, True), total=1))
        for r in unit.model.investments:
            if r.comment.strip():
                out.append(Paragraph(r.comment.strip(), label=r.project or r.project_id))
    return out


def _personnel(result: Result) -> list[Block]:
    units = [u for u in result.included if u.template and getattr(u.template, "personnel", [])]
    if not units:
        return [Paragraph("Inga personalnyckeltal har rapporterats för perioden.")]
    out: list[Block] = [
        Paragraph("Personalnyckeltal per förvaltning, könsuppdelade; jämförelsen avser samma period föregående år.")
    ]
    for unit in units:
        rows = tuple(
            (
                r.key_figure,
                r.unit,
                figure(r.women, r.unit),
                figure(r.men, r.unit),
                figure(r.total, r.unit),
                figure(r.previous_year, r.unit),
            )
            for r in unit.model.personnel
        )
        out.append(Heading(unit.name, 2))
        out.append(
            DataTable(
                ("Nyckeltal", "Enhet", "Kvinnor", "Män", "Totalt", "Föregående år"),
                rows,
                (False, False, True, True, True, True),
            )
        )
        comments = [
            f"{r.key_figure}: {r.comment.strip().rstrip('.')}" for r in unit.model.personnel if r.comment.strip()
        ]
        if comments:
            out.append(Paragraph("; ".join(comments) + ".", label="Kommentarer"))
    return out


# Writing ------------------------------------------------------------------------------------------


def section_pages(texts: list[str]) -> tuple[int | None, ...]:
    """Each section's page in a rendering's page texts: the first page after the contents where a line
    is the heading itself."""
    pages: list[int | None] = []
    start = 2  # the cover and the contents come first
    for heading in SECTIONS:
        found = next(
            (
                number
                for number, text in enumerate(texts, 1)
                if number > start and any(line.strip() == heading for line in text.splitlines())
            ),
            None,
        )
        pages.append(found)
        if found is not None:
            start = found - 1  # the next section is on this page or later
    return tuple(pages)


def write_report(
    result: Result,
    path: Path | str,
    created: date | datetime | None = None,
    template: Path | str | None = None,
    pages: tuple[int | None, ...] = (),
) -> Path:
    """Write the delårsrapport for `result` to `path` (.docx) atomically; returns the path written.

    `template`: the kommun's Word template (.dotx or .docx) whose styles, header and footer are used.
    `pages`: the sections' pages for the table of contents (section_pages of a first PDF).
    """
    from delar_xl.files import write_atomic
    from delar_xl.namnd.decision import kommun_name
    from delar_xl.namnd.word import as_moment, build, require_docx, verifier

    path = require_docx(path, "Delårsrapporten")
    moment = as_moment(created)
    blocks = report_blocks(result, moment.date(), pages)
    period = result.periodslut.isoformat() if result.periodslut else ""
    header = [
        kommun_name(result),
        " – ".join(
            filter(None, [result.namnd.strip(), f"{(result.rapport or '').lower()} per {period}" if period else ""])
        ),
    ]

    def write(tmp: Path) -> None:
        doc = build(result, blocks, moment, header, template, category=result.rapport or "Delårsrapport")
        if template is None:
            doc.sections[0].different_first_page_header_footer = True  # a cover without header or footer
        doc.save(str(tmp))

    return write_atomic(path, write, verify=verifier("Delårsrapporten"))


def write_report_pdf(
    result: Result, path: Path, created: date | datetime | None = None, template: Path | str | None = None
) -> Any:
    """The report as PDF beside it (pdf.Converted). When the pages can be read back (pdftotext), the
    document is written once more with the sections' page numbers in its table of contents, and
    converted again: LibreOffice prints a TOC field's cached text and never updates it."""
    from delar_xl.pdf import page_texts, to_pdf

    converted = to_pdf([path])
    if not converted.written:
        return converted
    texts = page_texts(converted.written[0])
    pages = section_pages(texts) if texts else ()
    if any(p is not None for p in pages):
        # The second pass replaces our own first pass: the .bak files must stay the user's earlier files
        # (files.write_atomic's backups), not the first pass of this run.
        backups = [Path(f"{path}.bak"), Path(f"{converted.written[0]}.bak")]
        previous = {b: b.read_bytes() if b.is_file() else None for b in backups}
        write_report(result, path, created, template, pages)
        converted = to_pdf([path])
        for backup, data in previous.items():
            if data is None:
                backup.unlink(missing_ok=True)  # our own first pass, nobody's earlier file
            else:
                backup.write_bytes(data)
    return converted


__all__ = ["SECTIONS", "report_blocks", "report_title", "section_pages", "write_report", "write_report_pdf"]
