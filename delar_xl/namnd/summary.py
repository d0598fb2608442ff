"""Writes the summary workbook (contract §2) from a consolidation result, from scratch, atomically.

What goes into it is computed once, by `name_values` and `tables.table_rows` (re-exported here as
`summary.table_rows`); the XlsxWriter code below and the add-in (excel/ribbon.py, writing into an open
workbook) both present those same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from delar_xl.files import require_xlsx_name, write_atomic
from delar_xl.findings import OutputError, Report, Severity
from delar_xl.namnd import text as texts
from delar_xl.namnd.book import (
    DARK_GREEN,
    DARK_GREY,
    DARK_RED,
    DARK_YELLOW,
    FOOTER,
    TEXT_FIT,
    Styles,
    add_table,
    axis_bounds,
    key_colours,
    kind_of,
    open_workbook,
    print_header,
    save_workbook,
    verify_summary,
    write_cell,
    write_table_sheet,
    write_text_cell,
    write_text_sheet,
    write_total,
)
from delar_xl.namnd.book import (
    PARAGRAPH_SPACE as PARAGRAPH_SPACE,  # re-exported with TEXT_WIDTH: the Text sheet's measures
)
from delar_xl.namnd.book import TEXT_WIDTH as TEXT_WIDTH
from delar_xl.namnd.coverage import previous_coverage, summary_note
from delar_xl.namnd.declaration import (
    ANTAL_FEL,
    ANTAL_FORVANTADE,
    ANTAL_MAL,
    ANTAL_SAKNADE,
    ANTAL_UPPDRAG,
    ANTAL_VARNINGAR,
    AVVIKELSE_TOTAL,
    BUDGET_TOTAL,
    COUNT_AND_AMOUNT_FIGURES,
    FOREGAENDE_PROGNOS_TOTAL,
    INVESTERING_AVVIKELSE_TOTAL,
    INVESTERING_BUDGET_TOTAL,
    INVESTERING_PROGNOS_TOTAL,
    INVESTMENT_NAMES,
    KALLMAPP,
    MAL_DELVIS,
    MAL_EJ_BEDOMT,
    MAL_HELT,
    MAL_INTE,
    NIVA,
    PLAN,
    PROGNOS_TOTAL,
    PROGNOSFORANDRING_TOTAL,
    SKAPAD,
    STATUS_SKIPPED,
    SUBMISSION_HEADERS,
    SUMMARY_SHEET,
    UNIT_HEADERS,
    UPPDRAG_AVBRYTS,
    UPPDRAG_EJ_RAPPORTERADE,
    UPPDRAG_FORSKJUTS,
    UPPDRAG_VERKSTALLS,
)
from delar_xl.namnd.layout import (
    DETAIL_ROW_KINDS,
    HASH_WIDTH,
    charted_units,
    content_width,
    count_notes,
    detail_total,
    left_out_note,
    left_out_units,
    unit_total_row,
)
from delar_xl.namnd.result import Result, detail_table, finding_table, source_table, submission_rows, unit_table
from delar_xl.namnd.result import table_rows as table_rows  # re-exported: callers ask the summary for its tables
from delar_xl.numbers import (
    FORMAT_MNKR_SIGNED,
    format_number,
    rounded_sum_differs,
)
from delar_xl.template import declaration as T
from delar_xl.xlsx.writer import page_setup, row_height

# Key figures on "Sammanställning", the page politicians read: (defined name, label, kind).
# Kinds: count, mnkr, signed, text, date.
KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("Namnd", "Nämnd", "text"),
    ("Rapport", "Rapport", "text"),
    ("Periodslut", "Periodslut", "date"),
    *COUNT_AND_AMOUNT_FIGURES,
    (ANTAL_FORVANTADE, "Förvaltningar som ska lämna in", "count"),
    (ANTAL_SAKNADE, "Förvaltningar som inte lämnat in", "count"),
)
KEY_FIRST_ROW = 4  # 0-based row of the first key figure
# Under the key figures, one line each (defined names, so the add-in's refresh rewrites them): what the
# summary is built from, by file name, and the control's outcome for Ekonomistaben.
SOURCE_LINE, CONTROL_LINE = "Underlag", "Kontrollrad"
# For Ekonomistaben, on "Källor" above its table: full paths, finding counts, when and at which level.
SOURCE_FIGURES: tuple[tuple[str, str, str], ...] = (
    (KALLMAPP, "Mapp med mallar", "text"),
    (PLAN, "Plan", "text"),
    (SKAPAD, "Skapad", "text"),
    (NIVA, "Nivå", "text"),
    (ANTAL_FEL, "Fel", "count"),
    (ANTAL_VARNINGAR, "Varningar", "count"),
)
SOURCE_FIRST_ROW = 2  # on "Källor", under its title


def sources_table_row(figures: Sequence[tuple[str, str, str]]) -> int:
    """The row of the Källor table's header: one empty row under the figures above it (either level)."""
    return SOURCE_FIRST_ROW + len(figures) + 1


SOURCES_TABLE_ROW = sources_table_row(SOURCE_FIGURES)
BANNER_LAST_COLUMN = 14  # the status line spans the whole table "Per förvaltning", so it is never cut
# Key figures over the rows with a föregående prognos only: labelled "delsumma" when that is not all of them.
PARTIAL_FIGURES = frozenset({"ForegaendePrognosTotal", "PrognosforandringTotal"})


def partial_labels(partial: bool) -> dict[str, str]:
    """The key-figure labels of PARTIAL_FIGURES, ", delsumma" when they rest on part (both levels, and the
    add-in's refresh, which rewrites them as the data changes)."""
    return {
        name: label + (", delsumma" if partial else "")
        for name, label, _ in COUNT_AND_AMOUNT_FIGURES
        if name in PARTIAL_FIGURES
    }


# What goes in ---------------------------------------------------------------------------------


def name_values(result: Result, created: datetime | None = None) -> dict[str, Any]:
    """Contract §2 defined names (and a few more) → the value of their cell. Amounts in mnkr, unrounded."""
    goals, assignments = result.goal_counts(), result.assignment_counts()
    created = created or datetime.now()
    return {
        "Namnd": result.namnd,
        "Rapport": result.rapport,
        "Periodslut": result.periodslut,
        ANTAL_MAL: sum(goals.values()),
        MAL_HELT: goals[T.GOAL_FULL],
        MAL_DELVIS: goals[T.GOAL_PARTIAL],
        MAL_INTE: goals[T.GOAL_NOT],
        MAL_EJ_BEDOMT: goals[T.GOAL_NOT_ASSESSED],
        ANTAL_UPPDRAG: sum(assignments.values()) + len(result.unreported),
        UPPDRAG_VERKSTALLS: assignments[T.DONE] + assignments[T.DOING],
        UPPDRAG_FORSKJUTS: assignments[T.POSTPONED],
        UPPDRAG_AVBRYTS: assignments[T.CANCELLED],
        BUDGET_TOTAL: result.budget / 1000.0,
        PROGNOS_TOTAL: result.forecast / 1000.0,
        AVVIKELSE_TOTAL: result.deviation / 1000.0,
        ANTAL_FEL: result.report.count(Severity.ERROR),
        ANTAL_VARNINGAR: result.report.count(Severity.WARNING),
        KALLMAPP: result.source_folder,
        **plan_name_values(result),
        SKAPAD: created.strftime("%Y-%m-%d %H:%M"),
        NIVA: "Nämnd",  # contract §6: a summary built from templates; `Kommun` one level up (kommun/summary.py)
        SOURCE_LINE: source_line(result),
        CONTROL_LINE: control_line(result.report),
    }


def source_line(result: Result) -> str:
    """What the nämnd's summary is built from: the templates' folder and the plan, by name only."""
    plan = result.plan
    named = [] if plan is None else [f"nämndens plan {texts.quoted(Path(plan.path or plan.file).name)}"]
    return source_sentence("förvaltningarnas mallar", result.source_folder, named)


def source_sentence(inputs: str, folder: str, others: Sequence[str] = ()) -> str:
    """ "Underlag: …" under the key figures (both levels): `inputs` in the folder `folder`, then `others`, by
    name only: a local path (C:\\Users\\…) never reaches the page politicians read; the full paths are on
    "Källor"."""
    name = Path(folder).name if folder else ""
    parts = [f"{inputs} i mappen {texts.quoted(name)}" if name else inputs, *others]
    return f"Underlag: {texts.join_and(parts)} (sökvägar och kontrollsummor på bladet Källor)."


def control_line(report: Report) -> str:
    """The control's outcome, for Ekonomistaben (both levels): the finding counts stay off the key figures."""
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    return (
        f"För Ekonomistaben: kontrollen gav {errors} fel och {warnings} "
        f"{'varning' if warnings == 1 else 'varningar'} (se bladet Kontroll)."
    )


def plan_name_values(result: Result) -> dict[str, Any]:
    """Contract §4 names: submission counts, the forecast change, and the plan used (for a refresh)."""
    previous, change = result.previous_forecast, result.forecast_change
    return {
        UPPDRAG_EJ_RAPPORTERADE: len(result.unreported),
        FOREGAENDE_PROGNOS_TOTAL: None if previous is None else previous / 1000.0,
        PROGNOSFORANDRING_TOTAL: None if change is None else change / 1000.0,
        ANTAL_FORVANTADE: len(result.expected),
        ANTAL_SAKNADE: len(result.missing),
        PLAN: (result.plan.path or result.plan.file) if result.plan is not None else "",
        **investment_name_values(result),
    }


def investment_name_values(result: Result) -> dict[str, Any]:
    """Contract §7 names in mnkr, unrounded; empty when no included template has the Investeringar table."""
    if not result.reports_investments:
        return dict.fromkeys(INVESTMENT_NAMES)
    return {
        INVESTERING_BUDGET_TOTAL: result.investment_budget / 1000.0,
        INVESTERING_PROGNOS_TOTAL: result.investment_forecast / 1000.0,
        INVESTERING_AVVIKELSE_TOTAL: result.investment_deviation / 1000.0,
    }


def banner(result: Result) -> tuple[str, bool]:
    """The status line at the top of the summary, and whether it is a warning.

    It is read by the nämnd, so it says what is missing, not how many findings there were: the counts are in
    the line for Ekonomistaben under the key figures and on the Kontroll sheet."""
    considered = [u for u in result.units if u.status != STATUS_SKIPPED]
    submitted = submission_sentence(result)
    if not result.complete:
        left_out = len([u for u in considered if not u.included])
        if not left_out:  # only förvaltningar that sent nothing
            return f"OFULLSTÄNDIG: {submitted}. Se bladen Inlämning och Kontroll.", True
        lead = f"{submitted}. " if submitted else ""
        return (
            f"OFULLSTÄNDIG: {lead}{left_out} av {len(considered)} filer ingår inte i summorna. Se bladet Kontroll.",
            True,
        )
    lead = f"{submitted}. " if submitted else ""
    return f"{lead}Alla {len(considered)} mallar ingår.", False


def submission_sentence(result: Result) -> str:
    """ "3 av 3 förvaltningar har lämnat in", or with who is missing; "" without a plan."""
    if result.plan is None:
        return ""
    expected = len(result.expected)
    text = f"{expected - len(result.missing)} av {expected} förvaltningar har lämnat in"
    if result.missing:
        text += f"; {', '.join(u.forvaltning for u in result.missing)} saknas"
    return text


def rounding_notes(result: Result) -> list[str]:
    """Say so when the rounded rows do not add up to the rounded total: never adjust silently."""
    notes = []
    units = [u.template for u in result.included if u.template]
    for label, values, total in (
        ("Budget helår", [t.budget for t in units], result.budget),
        ("Prognos helår", [t.forecast for t in units], result.forecast),
        ("Avvikelse helår", [t.deviation for t in units], result.deviation),
    ):
        rounded_sum = rounded_sum_differs([v / 1000.0 for v in values], total / 1000.0)
        if rounded_sum is not None:
            notes.append(
                f"{label}: de avrundade raderna summerar till {format_number(rounded_sum, 1)} mnkr men totalen är "
                f"{format_number(total / 1000.0, 1)} mnkr (avrundningsdifferens; totalen räknas på exakta belopp)."
            )
    return notes


# Writing ---------------------------------------------------------------------------------


def write_summary(result: Result, path: Path | str, created: datetime | None = None) -> Path:
    """Write the summary to `path` atomically (the previous file is kept as path + ".bak").

    Refuses (OutputError) a name that is not .xlsx, and a path that is one of the inputs.
    """
    path = Path(path)
    _check_target(result, path)
    return write_atomic(path, lambda tmp: _write(result, tmp, created), verify=verify_summary)


def require_xlsx(path: Path) -> None:
    """A summary (either level) is always .xlsx: an .xlsm is blocked by Office when emailed, and
    other names would not open at all."""
    require_xlsx_name(path, "Sammanställningen")


def _check_target(result: Result, path: Path) -> None:
    require_xlsx(path)
    target = path.resolve()
    for unit in result.units:
        if unit.status == STATUS_SKIPPED:
            continue  # a previous summary: ours to replace (it is kept as .bak)
        if unit.path and Path(unit.path).resolve() == target:
            raise OutputError(
                f"{path.name} är en av mallarna som läses; den skrivs aldrig över. "
                "Ange ett annat filnamn för sammanställningen."
            )


def _write(result: Result, path: Path, created: datetime | None) -> None:
    wb, package, bodies = open_workbook()
    wb.set_properties(
        {
            "title": texts.title(result) + " – sammanställning",
            "author": "delar_xl",
            "subject": "Sammanställning av delårsrapporter",
        }
    )
    styles = Styles(wb)
    values = name_values(result, created)
    header = print_header(result.namnd, result.rapport, result.periodslut)
    # Each table is built just before its sheet is written and dropped after: the rows of all
    # tables are never held at once (at 3 000 templates they are ~30 MB of lists).
    _write_overview(wb, styles, result, values, unit_table(result), header)
    findings = finding_table(result)
    write_table_sheet(
        wb,
        styles,
        bodies,
        "Kontroll",
        "Kontroll",
        "Kontroll – alla fynd",
        findings,
        {
            "Allvarlighet": 12,
            "Fil": content_width(findings, "Fil", 16, 36),
            "Blad": content_width(findings, "Blad", 8, 16),
            "Cell": 8,
            "Meddelande": 90,
            "Kod": content_width(findings, "Kod", 8, 26),
        },
        header,
        kinds={"Fil": "wrap"},
        severity_column=0,
    )
    del findings
    sources = source_table(result)
    write_table_sheet(
        wb,
        styles,
        bodies,
        "Källor",
        "Kallor",
        "Källor – filerna sammanställningen bygger på",
        sources,
        {
            "Fil": content_width(sources, "Fil", 16, 30),
            "Förvaltning": content_width(sources, "Förvaltning", 14, 28),
            "Periodslut": 11,
            "SHA-256": HASH_WIDTH,
            "Status": content_width(sources, "Status", 12, 28),
            "Fel": 6,
            "Varningar": 11,
            "Sökväg": content_width(sources, "Sökväg", 16, 36),
        },
        header,
        kinds={
            "Fil": "wrap",
            "Förvaltning": "wrap",
            "SHA-256": "hash",
            "Status": "wrap",
            "Sökväg": "wrap",
            "Fel": "count",
            "Varningar": "count",
        },
        first_row=SOURCES_TABLE_ROW,
    )
    write_source_figures(wb, styles, values)
    del sources
    submissions = (list(SUBMISSION_HEADERS), submission_rows(result))
    write_table_sheet(
        wb,
        styles,
        bodies,
        "Inlämning",
        "Inlamning",
        "Inlämning – vilka förvaltningar har lämnat in",
        submissions,
        {
            "Förvaltning": content_width(submissions, "Förvaltning", 14, 32),
            "Bilaga": 8,
            "Fil": content_width(submissions, "Fil", 16, 40),
            "Status": content_width(submissions, "Status", 12, 32),
            "Kontaktperson": content_width(submissions, "Kontaktperson", 14, 30),
            "E-post": content_width(submissions, "E-post", 14, 34),
            "Godkänd": 12,
        },
        header,
        kinds={
            "Bilaga": "count",
            "Fil": "wrap",
            "Status": "wrap",
            "Förvaltning": "wrap",
            "Kontaktperson": "wrap",
            "E-post": "wrap",
            "Godkänd": "date",
        },
    )
    del submissions
    for table in T.TABLES:
        rows = detail_table(result, table)
        widths = {
            "Förvaltning": content_width(rows, "Förvaltning", 12, 28),
            **{c.header: c.width for c in table.columns},
        }
        kinds = {c.header: kind_of(c) for c in table.columns}
        write_table_sheet(
            wb,
            styles,
            bodies,
            table.sheet,
            table.name,
            f"{table.title} – alla förvaltningar",
            rows,
            widths,
            header,
            kinds=kinds,
            row_kinds=DETAIL_ROW_KINDS.get(table.name),
            total=detail_total(table, rows),
        )
        del rows
    _write_text(wb, styles, result, header, created.date() if isinstance(created, datetime) else created)
    save_workbook(wb, package, bodies, path)


def _write_overview(
    wb: Any,
    styles: Styles,
    result: Result,
    values: dict[str, Any],
    units: tuple[list[str], list[list[Any]]],
    header: str,
) -> None:
    ws = wb.add_worksheet(SUMMARY_SHEET)
    ws.activate()
    ws.set_column(0, 0, 38)
    ws.set_column(1, 3, 14)
    ws.set_column(4, 9, 11)
    ws.set_column(10, 10, 12)  # MBL-datum: a date and the indent after the number columns
    ws.set_column(11, 11, 36)
    ws.set_column(12, 14, 17)
    ws.write_string(0, 0, texts.title(result) + " – sammanställning", styles.title)
    ws.set_row(0, 22)
    message, alarm = banner(result)
    # Across the whole width and wrapped: an incomplete summary's longer line is never cut.
    ws.merge_range(1, 0, 1, BANNER_LAST_COLUMN, message, styles.alarm_wrap if alarm else styles.ok)
    if alarm:
        ws.set_row(1, 34)
    ws.write_string(KEY_FIRST_ROW - 1, 0, "Nyckeltal", styles.heading)
    coverage = previous_coverage(result)
    for offset, (name, label, kind) in enumerate(KEY_FIGURES):
        row = KEY_FIRST_ROW + offset
        if coverage.partial and name in PARTIAL_FIGURES:
            label += ", delsumma"  # the note below says whose (issue 19)
        ws.write_string(row, 0, label, styles.label)
        write_cell(ws, styles, row, 1, values[name], kind)
        wb.define_name(name, f"='{SUMMARY_SHEET}'!$B${row + 1}")
    key_colours(ws, styles, {n: KEY_FIRST_ROW + i for i, (n, _, _) in enumerate(KEY_FIGURES)})
    row = write_source_lines(wb, ws, styles, values, KEY_FIRST_ROW + len(KEY_FIGURES) + 1, NOTE_WIDTH) + 1
    notes = rounding_notes(result)
    if coverage.partial:
        notes.insert(0, summary_note(coverage))
    if left_out_units(result):
        notes.insert(0, left_out_note(result))
    if result.missing:
        notes.insert(
            0,
            "Summorna är ofullständiga: "
            + texts.join_and([u.forvaltning for u in result.missing])
            + " har inte lämnat in (se bladet Inlämning).",
        )
    for note in notes:
        row = _write_note(ws, styles, row, note)
    row = _write_report_sentences(ws, styles, result, row)
    row += 1
    ws.write_string(row, 0, "Per förvaltning (mnkr)", styles.heading)
    kinds = {
        "Budget helår": "mnkr",
        "Prognos helår": "mnkr",
        "Avvikelse helår": "signed",
        "MBL-datum": "date",
        "Föregående prognos": "mnkr",
        "Prognosförändring": "signed",
        "Investering avvikelse": "signed",
        **{h: "count" for h in UNIT_HEADERS[4:10]},
    }
    add_table(ws, styles, row + 1, "Forvaltningar", units, kinds)
    first, last = row + 2, row + 1 + max(1, len(units[1]))
    write_total(ws, styles, last + 1, units[0], unit_total_row(values), kinds)
    note_row = last + 3
    for note in ([summary_note(coverage)] if coverage.partial else []) + count_notes(result):
        # Under the table, where the per-förvaltning figures are read against Nyckeltal.
        note_row = _write_note(ws, styles, note_row, note)
    ws.conditional_format(first, 3, last + 1, 3, {"type": "cell", "criteria": ">", "value": 0, "format": styles.green})
    ws.conditional_format(first, 3, last + 1, 3, {"type": "cell", "criteria": "<", "value": 0, "format": styles.red})
    ws.conditional_format(
        first, 11, last, 11, {"type": "text", "criteria": "begins with", "value": "Utesluten", "format": styles.red}
    )
    charted = len(charted_units(result))
    if charted:
        # Included units come first in the table: the charts cover exactly those rows.
        _charts(wb, ws, row + 1, units[1][:charted], complete=result.complete)
    page_setup(ws, header, footer=FOOTER)
    ws.freeze_panes(2, 0)


def write_source_lines(wb: Any, ws: Any, styles: Styles, values: dict[str, Any], row: int, width: float) -> int:
    """The Underlag and Kontrollrad lines under the key figures (both levels), each merged over A–I (`width`
    characters) and as tall as it wraps, each a defined name so the add-in's refresh rewrites it. Returns the
    next free row."""
    for name in (SOURCE_LINE, CONTROL_LINE):
        ws.merge_range(row, 0, row, 8, values[name], styles.note)
        # running prose, as on the Text sheet: more characters per width unit than a table cell's
        height = row_height([(values[name], width * TEXT_FIT)])
        if height:
            ws.set_row(row, height)
        wb.define_name(name, f"='{SUMMARY_SHEET}'!$A${row + 1}")
        row += 1
    return row


def write_source_figures(
    wb: Any, styles: Styles, values: dict[str, Any], figures: Sequence[tuple[str, str, str]] = SOURCE_FIGURES
) -> None:
    """Full paths, finding counts, time and level on "Källor", above its table, for Ekonomistaben (defined
    names; both levels, each with its own `figures`)."""
    ws = wb.get_worksheet_by_name("Källor")
    for offset, (name, label, kind) in enumerate(figures):
        row = SOURCE_FIRST_ROW + offset
        ws.write_string(row, 0, label, styles.label)
        if kind == "text" and values[name]:
            ws.merge_range(row, 1, row, 4, "", styles.text)
            write_text_cell(ws, styles, row, 1, str(values[name]))
        else:
            write_cell(ws, styles, row, 1, values[name], kind)
        wb.define_name(name, f"='Källor'!$B${row + 1}")
        if name == ANTAL_FEL:
            ws.conditional_format(row, 1, row, 1, {"type": "cell", "criteria": ">", "value": 0, "format": styles.red})


def _write_report_sentences(ws: Any, styles: Styles, result: Result, row: int) -> int:
    """Investeringar and sjukfrånvaro in a sentence each (contract §7), where the templates give them;
    returns the next free row."""
    for sentence in (texts.investment_sentence(result), texts.sick_leave_sentence(result)):
        if not sentence:
            continue
        ws.merge_range(row, 0, row, 8, sentence, styles.wrap)
        height = row_height([(sentence, NOTE_WIDTH)])
        if height:
            ws.set_row(row, height)
        row += 1
    return row


# Characters a note merged over columns A–I holds on one line (their widths, as set in the layout above).
NOTE_WIDTH = 38 + 3 * 14 + 5 * 11


def _write_note(ws: Any, styles: Styles, row: int, note: str) -> int:
    """One note merged over A–I, as tall as its wrapped lines (a long note must not run into the next).
    Returns the next free row."""
    ws.merge_range(row, 0, row, 8, note, styles.note)
    height = row_height([(note, NOTE_WIDTH)])
    if height:
        ws.set_row(row, height)
    return row + 1


def _charts(wb: Any, ws: Any, header_row: int, rows: list[list[Any]], complete: bool = True) -> None:
    sheet = SUMMARY_SHEET
    scope = "" if complete else " – bara de som ingår i summorna"
    # The longer title of an incomplete summary is set smaller: at the default 14 pt it overran the chart
    # ("… (mnkr) – bar" with the "a" cut off in LibreOffice)
    # At 14 pt the title took two lines in the narrower chart and ran into the axis labels
    title_font = {"name_font": {"size": 11 if complete else 10, "bold": True}}
    first, last = header_row + 1, header_row + len(rows)
    categories = [sheet, first, 0, last, 0]
    deviation = wb.add_chart({"type": "bar"})
    deviation.add_series(
        {
            "name": "Avvikelse helår (mnkr)",
            "categories": categories,
            "values": [sheet, first, 3, last, 3],
            "fill": {"color": DARK_GREEN},
            "invert_if_negative": True,
            "invert_if_negative_color": DARK_RED,
            "data_labels": {"value": True, "num_format": FORMAT_MNKR_SIGNED},
        }
    )
    deviation.set_title({"name": f"Avvikelse helår per förvaltning (mnkr){scope}", **title_font})
    deviation.set_legend({"none": True})
    deviation.set_x_axis({"num_format": "#,##0", **axis_bounds([r[3] for r in rows if r[3] is not None])})
    deviation.set_y_axis({"reverse": True})
    deviation.set_plotarea({"layout": PLOT_LAYOUT})
    # 1,05 × 480 px ends just before column J, where the goals chart starts: the charts never overlap
    # (at 1,25 the goals chart hid the deviation chart's last axis label).
    ws.insert_chart(KEY_FIRST_ROW - 1, 3, deviation, {"x_scale": 1.05, "y_scale": 1.1})
    goals = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for col, label, color in (
        (4, "Uppnås helt", DARK_GREEN),
        (5, "Uppnås delvis", DARK_YELLOW),
        (6, "Uppnås inte", DARK_RED),
        (7, "Ej bedömt", DARK_GREY),
    ):
        goals.add_series(
            {
                "name": label,
                "categories": categories,
                "values": [sheet, first, col, last, col],
                "fill": {"color": color},
            }
        )
    goals.set_title({"name": f"Nämndmål per förvaltning{scope}", **title_font})
    goals.set_legend({"position": "bottom"})
    goals.set_y_axis({"reverse": True})
    goals.set_x_axis({"num_format": "0", **count_axis([sum(v or 0 for v in r[4:8]) for r in rows])})
    goals.set_plotarea({"layout": PLOT_LAYOUT})
    ws.insert_chart(KEY_FIRST_ROW - 1, 9, goals, {"x_scale": 1.1, "y_scale": 1.1})


# The plot area inside each chart (fractions of the chart): room on the left for the förvaltningar's names
# and on the right for the last axis label, which automatic layouts cut ("25." of "25,0").
PLOT_LAYOUT = {"x": 0.34, "y": 0.27, "width": 0.58, "height": 0.6}


def count_axis(totals: list[float]) -> dict[str, float]:
    """A count axis in whole steps from 0 (goals are never counted in halves)."""
    import math

    high = max(totals + [1.0])
    step = next(m for m in (1, 2, 5, 10, 20, 50, 100) if high / m <= 8)
    return {"min": 0, "max": math.ceil(high / step) * step, "major_unit": step}


def _write_text(wb: Any, styles: Styles, result: Result, header: str, created: date | None = None) -> None:
    from delar_xl.namnd.document import document

    write_text_sheet(
        wb,
        styles,
        document(result, created),
        "Genererad av delar_xl från mallarna. Granska och justera före användning.",
        header,
    )
