"""Writes the summary workbook (contract §2) from a consolidation result, from scratch, atomically.

What goes into it is computed once, by `name_values` and `tables.table_rows` (re-exported here as
`summary.table_rows`); the XlsxWriter code below and the add-in (excel.py, writing into an open
workbook) both present those same values.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable

from delar_xl.files import write_atomic
from delar_xl.findings import OutputError, Severity
from delar_xl.namnd import text as texts
from delar_xl.namnd.layout import (
    DETAIL_ROW_KINDS,
    GAP,
    HASH_FONT,
    HASH_SIZE,
    HASH_WIDTH,
    NUMERIC_KINDS,
    charted_units,
    content_width,
    count_notes,
    detail_total,
    hash_height,
    left_out_note,
    left_out_units,
    unit_total_row,
    with_gaps,
)
from delar_xl.namnd.result import (  # table_rows is re-exported: callers ask the summary for its tables
    STATUS_SKIPPED,
    SUBMISSION_HEADERS,
    UNIT_HEADERS,
    Result,
    detail_table,
    finding_table,
    source_table,
    submission_rows,
    table_rows,  # noqa: F401
    unit_table,
)
from delar_xl.numbers import (
    FORMAT_DATE,
    FORMAT_MNKR,
    FORMAT_MNKR_SIGNED,
    FORMAT_TKR,
    FORMAT_TKR_SIGNED,
    format_number,
    rounded_sum_differs,
)
from delar_xl.template import declaration as T
from delar_xl.xlsx.cells import column_letter
from delar_xl.xlsx.sheetrows import MAX_TEXT, RISKY_START, SHORTENED, Body, Column, render_rows, save

SUMMARY_SHEET = "Sammanställning"
GREEN, YELLOW, RED, GREY = "#C6EFCE", "#FFEB9C", "#FFC7CE", "#D9D9D9"
DARK_GREEN, DARK_YELLOW, DARK_RED, DARK_GREY = "#00B050", "#FFC000", "#C00000", "#A6A6A6"
TITLE_COLOR = "#1F4E79"
TABLE_STYLE = "Table Style Medium 2"
# The key figures both levels show, in this order: counts over distinct ids, then the amounts (mnkr).
COUNT_AND_AMOUNT_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("AntalMal", "Nämndmål totalt", "count"),
    ("MalHelt", "Uppnås helt", "count"),
    ("MalDelvis", "Uppnås delvis", "count"),
    ("MalInte", "Uppnås inte", "count"),
    ("MalEjBedomt", "Ej bedömt", "count"),
    ("AntalUppdrag", "Strategiska utvecklingsuppdrag totalt", "count"),
    ("UppdragVerkstalls", "Verkställs vid årets slut", "count"),
    ("UppdragForskjuts", "Förskjuts", "count"),
    ("UppdragAvbryts", "Avbryts", "count"),
    ("UppdragEjRapporterade", "Uppdrag som inte rapporterats", "count"),
    ("BudgetTotal", "Budget helår (mnkr)", "mnkr"),
    ("PrognosTotal", "Prognos helår (mnkr)", "mnkr"),
    ("AvvikelseTotal", "Avvikelse helår (mnkr)", "signed"),
    ("ForegaendePrognosTotal", "Föregående prognos (mnkr)", "mnkr"),
    ("PrognosforandringTotal", "Prognosförändring (mnkr)", "signed"),
)
# Key figures on "Sammanställning": (defined name, label, kind). Kinds: count, mnkr, signed, text, date.
KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("Namnd", "Nämnd", "text"),
    ("Rapport", "Rapport", "text"),
    ("Periodslut", "Periodslut", "date"),
    *COUNT_AND_AMOUNT_FIGURES,
    ("AntalForvantade", "Förvaltningar som ska lämna in", "count"),
    ("AntalSaknade", "Förvaltningar som inte lämnat in", "count"),
    ("AntalFel", "Fel", "count"),
    ("AntalVarningar", "Varningar", "count"),
    ("Kallmapp", "Mapp med mallar", "text"),
    ("Plan", "Plan", "text"),
    ("Skapad", "Skapad", "text"),
    ("Niva", "Nivå", "text"),
)
KEY_FIRST_ROW = 4  # 0-based row of the first key figure


# Contract table → sheet it lives on.
TABLE_SHEETS = {
    "Forvaltningar": SUMMARY_SHEET,
    "Kontroll": "Kontroll",
    "Kallor": "Källor",
    "Inlamning": "Inlämning",
    **{t.name: t.sheet for t in T.TABLES},
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
        "AntalMal": sum(goals.values()),
        "MalHelt": goals[T.GOAL_FULL],
        "MalDelvis": goals[T.GOAL_PARTIAL],
        "MalInte": goals[T.GOAL_NOT],
        "MalEjBedomt": goals[T.GOAL_NOT_ASSESSED],
        "AntalUppdrag": sum(assignments.values()) + len(result.unreported),
        "UppdragVerkstalls": assignments[T.DONE] + assignments[T.DOING],
        "UppdragForskjuts": assignments[T.POSTPONED],
        "UppdragAvbryts": assignments[T.CANCELLED],
        "BudgetTotal": result.budget / 1000.0,
        "PrognosTotal": result.forecast / 1000.0,
        "AvvikelseTotal": result.deviation / 1000.0,
        "AntalFel": result.report.count(Severity.ERROR),
        "AntalVarningar": result.report.count(Severity.WARNING),
        "Kallmapp": result.source_folder,
        **plan_name_values(result),
        "Skapad": created.strftime("%Y-%m-%d %H:%M"),
        "Niva": "Nämnd",  # contract §6: a summary built from templates; `Kommun` one level up (kommun.py)
    }




def plan_name_values(result: Result) -> dict[str, Any]:
    """Contract §4 names: submission counts, the forecast change, and the plan used (for a refresh)."""
    previous, change = result.previous_forecast, result.forecast_change
    return {
        "UppdragEjRapporterade": len(result.unreported),
        "ForegaendePrognosTotal": None if previous is None else previous / 1000.0,
        "PrognosforandringTotal": None if change is None else change / 1000.0,
        "AntalForvantade": len(result.expected),
        "AntalSaknade": len(result.missing),
        "Plan": (result.plan.path or result.plan.file) if result.plan is not None else "",
    }


def banner(result: Result) -> tuple[str, bool]:
    """The status line at the top of the summary, and whether it is a warning."""
    errors = result.report.count(Severity.ERROR)
    warnings = result.report.count(Severity.WARNING)
    considered = [u for u in result.units if u.status != STATUS_SKIPPED]
    submitted = submission_sentence(result)
    counts = f"({errors} fel, {warnings} varningar)"
    if not result.complete:
        left_out = len([u for u in considered if not u.included])
        if not left_out:  # only förvaltningar that sent nothing
            return f"OFULLSTÄNDIG: {submitted} {counts}. Se bladen Inlämning och Kontroll.", True
        lead = f"{submitted}. " if submitted else ""
        return (f"OFULLSTÄNDIG: {lead}{left_out} av {len(considered)} filer ingår inte i summorna "
                f"{counts}. Se bladet Kontroll.", True)
    lead = f"{submitted}. " if submitted else ""
    return (f"{lead}Alla {len(considered)} mallar ingår. {errors} fel, {warnings} varningar.", False)


def submission_sentence(result: Result) -> str:
    """"3 av 3 förvaltningar har lämnat in", or with who is missing; "" without a plan."""
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
    return write_atomic(path, lambda tmp: _write(result, tmp, created), verify=_verify)


def require_xlsx(path: Path) -> None:
    """A summary (either level) is always .xlsx: an .xlsm is blocked by Office when emailed, and
    other names would not open at all."""
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"Sammanställningen sparas alltid som Excel-arbetsbok (.xlsx), inte {path.name}. "
                          "Ange ett filnamn som slutar på .xlsx.")


def _check_target(result: Result, path: Path) -> None:
    require_xlsx(path)
    target = path.resolve()
    for unit in result.units:
        if unit.status == STATUS_SKIPPED:
            continue  # a previous summary: ours to replace (it is kept as .bak)
        if unit.path and Path(unit.path).resolve() == target:
            raise OutputError(f"{path.name} är en av mallarna som läses; den skrivs aldrig över. "
                              "Ange ett annat filnamn för sammanställningen.")


def _verify(path: Path) -> None:
    import zipfile

    from delar_xl.xlsx.parts import defined_names

    with zipfile.ZipFile(path) as zf:
        if zf.testzip() is not None or "AntalMal" not in defined_names(zf):
            raise OSError("sammanställningen kunde inte läsas tillbaka")


class _Styles:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": "Calibri", "font_size": 11, "valign": "top"}
        self.base = base
        self._props: dict[int, dict[str, Any]] = {}  # id(format) → its properties, to derive variants
        self._indented: dict[int, Any] = {}
        self.wb = _Recording(wb, self._props)
        wb = self.wb
        self.title = wb.add_format({**base, "bold": True, "font_size": 16, "font_color": TITLE_COLOR})
        # Explicit colours: not every spreadsheet application draws Excel's table styles.
        self.header = wb.add_format({**base, "bold": True, "text_wrap": True, "font_color": "#FFFFFF",
                                     "bg_color": TITLE_COLOR})
        self.header_right = wb.add_format({**base, "bold": True, "text_wrap": True, "font_color": "#FFFFFF",
                                           "bg_color": TITLE_COLOR, "align": "right"})
        self.ok = wb.add_format({**base, "bold": True, "bg_color": GREEN, "font_color": "#006100"})
        self.alarm = wb.add_format({**base, "bold": True, "bg_color": RED, "font_color": "#9C0006", "font_size": 13})
        self.label = wb.add_format({**base, "bold": True})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#595959", "text_wrap": True})
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.text = wb.add_format({**base})
        self.quoted = wb.add_format({**base, "quote_prefix": True})
        self.quoted_wrap = wb.add_format({**base, "quote_prefix": True, "text_wrap": True})
        self.count = wb.add_format({**base, "num_format": "0"})
        self.mnkr = wb.add_format({**base, "num_format": FORMAT_MNKR})
        self.signed = wb.add_format({**base, "num_format": FORMAT_MNKR_SIGNED})
        self.tkr = wb.add_format({**base, "num_format": FORMAT_TKR})
        self.tkr_signed = wb.add_format({**base, "num_format": FORMAT_TKR_SIGNED})
        self.whole = wb.add_format({**base, "num_format": "#,##0"})
        self.hash = wb.add_format({**base, "font_name": HASH_FONT, "font_size": HASH_SIZE, "text_wrap": True})
        self._totals: dict[str, Any] = {}
        self.number = wb.add_format({**base, "num_format": "#,##0.0##"})
        self.date = wb.add_format({**base, "num_format": FORMAT_DATE, "align": "left"})
        self.heading = wb.add_format({**base, "bold": True, "font_size": 12, "font_color": TITLE_COLOR})
        self.heading_wrap = wb.add_format({**base, "bold": True, "font_size": 12, "font_color": TITLE_COLOR,
                                           "text_wrap": True})
        self.green = wb.add_format({"bg_color": GREEN, "font_color": "#006100"})
        self.red = wb.add_format({"bg_color": RED, "font_color": "#9C0006"})
        self.yellow = wb.add_format({"bg_color": YELLOW, "font_color": "#9C5700"})
        self.grey = wb.add_format({"bg_color": GREY})
        # Kind → format, built once: for_kind is asked cell by cell.
        self._kinds = {"count": self.count, "mnkr": self.mnkr, "signed": self.signed, "date": self.date,
                       "tkr": self.tkr, "number": self.number, "wrap": self.wrap, "tkr_signed": self.tkr_signed,
                       "whole": self.whole, "hash": self.hash}

    def for_kind(self, kind: str) -> Any:
        return self._kinds.get(kind, self.text)

    def header_for(self, kind: str) -> Any:
        if kind.endswith(GAP):
            return self.indented(self.header)
        return self.header_right if kind in NUMERIC_KINDS else self.header

    def indented(self, style: Any) -> Any:
        """`style` indented one step: space between a number column and the text column after it."""
        if id(style) not in self._indented:
            props = self._props.get(id(style), {})
            # Excel and LibreOffice indent only aligned text: say "left" where the style left it open.
            self._indented[id(style)] = self.wb.add_format({**props, "align": props.get("align", "left"), "indent": 1})
        return self._indented[id(style)]

    def total(self, kind: str) -> Any:
        """A total row's cell: bold over a rule, in the kind's number format."""
        if kind not in self._totals:
            number = {"count": "0", "whole": "#,##0", "mnkr": FORMAT_MNKR, "signed": FORMAT_MNKR_SIGNED,
                      "tkr": FORMAT_TKR, "tkr_signed": FORMAT_TKR_SIGNED}.get(kind)
            self._totals[kind] = self.wb.add_format({**self.base, "bold": True, "top": 1,
                                                     **({"num_format": number} if number else {})})
        return self._totals[kind]


class _Recording:
    """The workbook's add_format, remembering each format's properties (XlsxWriter cannot copy one)."""

    def __init__(self, wb: Any, props: dict[int, dict[str, Any]]) -> None:
        self._wb, self._props = wb, props

    def add_format(self, props: dict[str, Any]) -> Any:
        style = self._wb.add_format(props)
        self._props[id(style)] = dict(props)
        return style


def _open_workbook() -> tuple[Any, io.BytesIO, dict[str, Body]]:
    """An XlsxWriter workbook written in memory, and the table sheets' rows to add when it is saved.

    Both levels' writers (this and kommun_summary.py) open and save through here."""
    import xlsxwriter

    package = io.BytesIO()
    wb = xlsxwriter.Workbook(package, {"in_memory": True, "strings_to_formulas": False,
                                       "strings_to_urls": False, "strings_to_numbers": False})
    return wb, package, {}


def _save_workbook(wb: Any, package: io.BytesIO, bodies: dict[str, Body], path: Path) -> None:
    wb.close()
    save(package.getvalue(), bodies, path)


def _write(result: Result, path: Path, created: datetime | None) -> None:
    wb, package, bodies = _open_workbook()
    wb.set_properties({"title": texts.title(result) + " – sammanställning", "author": "delar_xl",
                       "subject": "Sammanställning av delårsrapporter"})
    styles = _Styles(wb)
    values = name_values(result, created)
    header = _print_header(result)
    # Each table is built just before its sheet is written and dropped after: the rows of all
    # tables are never held at once (at 3 000 templates they are ~30 MB of lists).
    _write_overview(wb, styles, result, values, unit_table(result), header)
    findings = finding_table(result)
    _write_table_sheet(wb, styles, bodies, "Kontroll", "Kontroll", "Kontroll – alla fynd", findings,
                       {"Allvarlighet": 12, "Fil": content_width(findings, "Fil", 16, 36),
                        "Blad": content_width(findings, "Blad", 8, 16), "Cell": 8, "Meddelande": 90,
                        "Kod": content_width(findings, "Kod", 8, 26)},
                       header, kinds={"Fil": "wrap"}, severity_column=0)
    del findings
    sources = source_table(result)
    _write_table_sheet(wb, styles, bodies, "Källor", "Kallor", "Källor – filerna sammanställningen bygger på", sources,
                       {"Fil": content_width(sources, "Fil", 16, 30),
                        "Förvaltning": content_width(sources, "Förvaltning", 14, 28), "Periodslut": 11,
                        "SHA-256": HASH_WIDTH, "Status": content_width(sources, "Status", 12, 28), "Fel": 6,
                        "Varningar": 11, "Sökväg": content_width(sources, "Sökväg", 16, 36)},
                       header, kinds={"Fil": "wrap", "Förvaltning": "wrap", "SHA-256": "hash", "Status": "wrap",
                                      "Sökväg": "wrap", "Fel": "count", "Varningar": "count"})
    del sources
    submissions = (list(SUBMISSION_HEADERS), submission_rows(result))
    _write_table_sheet(wb, styles, bodies, "Inlämning", "Inlamning", "Inlämning – vilka förvaltningar har lämnat in",
                       submissions,
                       {"Förvaltning": content_width(submissions, "Förvaltning", 14, 32), "Bilaga": 8,
                        "Fil": content_width(submissions, "Fil", 16, 40), "Status": content_width(submissions, "Status", 12, 32),
                        "Kontaktperson": content_width(submissions, "Kontaktperson", 14, 30),
                        "E-post": content_width(submissions, "E-post", 14, 34)},
                       header, kinds={"Bilaga": "count", "Fil": "wrap", "Status": "wrap", "Förvaltning": "wrap",
                                      "Kontaktperson": "wrap", "E-post": "wrap"})
    del submissions
    for table in T.TABLES:
        rows = detail_table(result, table)
        widths = {"Förvaltning": content_width(rows, "Förvaltning", 12, 28), **{c.header: c.width for c in table.columns}}
        kinds = {c.header: _kind_of(c) for c in table.columns}
        _write_table_sheet(wb, styles, bodies, table.sheet, table.name, f"{table.title} – alla förvaltningar",
                           rows, widths, header, kinds=kinds, row_kinds=DETAIL_ROW_KINDS.get(table.name),
                           total=detail_total(table, rows))
        del rows
    _write_text(wb, styles, result, header, created.date() if isinstance(created, datetime) else created)
    _save_workbook(wb, package, bodies, path)


def _kind_of(column: T.Column) -> str:
    if column.kind is T.Kind.FORMULA:
        return "tkr_signed"  # Avvikelse helår: + överskott, − underskott
    if column.kind is T.Kind.AMOUNT:
        return "tkr"
    if column.kind is T.Kind.NUMBER:
        return "number"
    if column.kind is T.Kind.YEAR:
        return "count"
    if column.kind is T.Kind.LONG_TEXT:
        return "wrap"
    return "text"


def _print_header(result: Result) -> str:
    period = result.periodslut.isoformat() if result.periodslut else ""
    return f"&L{result.namnd.replace('&', '&&')}&C&A&R{result.rapport} per {period}"


def _page_setup(ws: Any, header: str, landscape: bool = True) -> None:
    ws.set_paper(9)
    ws.set_landscape() if landscape else ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.set_header(header)
    ws.set_footer("&LSammanställd med delar_xl&RSida &P av &N")


def _write_cell(ws: Any, styles: _Styles, row: int, col: int, value: Any, kind: str = "text") -> None:
    """Write one value with its type. Template text is always a string, never a formula.

    A kind ending in GAP is indented: text that follows a right-aligned number column.
    """
    gap = kind.endswith(GAP)
    kind = kind.removesuffix(GAP)
    pick = styles.indented if gap else (lambda style: style)
    if value is None or value == "":
        ws.write_blank(row, col, None, pick(styles.for_kind(kind)))
    elif isinstance(value, bool):
        ws.write_string(row, col, "Ja" if value else "Nej", pick(styles.text))
    elif isinstance(value, (datetime, date)):
        ws.write_datetime(row, col, value, pick(styles.date))
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, pick(styles.for_kind(kind)))
    elif kind == "hash":
        ws.write_string(row, col, str(value), pick(styles.hash))  # hex digits: never read as a formula
    else:
        _write_text_cell(ws, styles, row, col, str(value), wrap=kind == "wrap", gap=gap)


def _write_text_cell(ws: Any, styles: _Styles, row: int, col: int, text: str, wrap: bool = False,
                     gap: bool = False) -> None:
    if len(text) > MAX_TEXT:
        # The reader already reported this as Fel; mark the cut instead of hiding it.
        text = text[: MAX_TEXT - 20] + SHORTENED
    risky = text[:1] in RISKY_START
    style = (styles.quoted_wrap if wrap else styles.quoted) if risky else (styles.wrap if wrap else styles.text)
    ws.write_string(row, col, text, styles.indented(style) if gap else style)


def _write_overview(wb: Any, styles: _Styles, result: Result, values: dict[str, Any],
                    units: tuple[list[str], list[list[Any]]], header: str) -> None:
    ws = wb.add_worksheet(SUMMARY_SHEET)
    ws.activate()
    ws.set_column(0, 0, 38)
    ws.set_column(1, 3, 14)
    ws.set_column(4, 9, 11)
    ws.set_column(10, 10, 12)  # MBL-datum: a date and the indent after the number columns
    ws.set_column(11, 11, 36)
    ws.set_column(12, 13, 17)
    ws.write_string(0, 0, texts.title(result) + " – sammanställning", styles.title)
    ws.set_row(0, 22)
    message, alarm = banner(result)
    ws.merge_range(1, 0, 1, 8, message, styles.alarm if alarm else styles.ok)
    ws.write_string(KEY_FIRST_ROW - 1, 0, "Nyckeltal", styles.heading)
    for offset, (name, label, kind) in enumerate(KEY_FIGURES):
        row = KEY_FIRST_ROW + offset
        ws.write_string(row, 0, label, styles.label)
        _write_cell(ws, styles, row, 1, values[name], kind)
        wb.define_name(name, f"='{SUMMARY_SHEET}'!$B${row + 1}")
    _traffic_lights(ws, styles)
    row = KEY_FIRST_ROW + len(KEY_FIGURES) + 1
    notes = rounding_notes(result)
    if left_out_units(result):
        notes.insert(0, left_out_note(result))
    if result.missing:
        notes.insert(0, "Summorna är ofullständiga: " + texts.join_and([u.forvaltning for u in result.missing])
                     + " har inte lämnat in (se bladet Inlämning).")
    for note in notes:
        ws.merge_range(row, 0, row, 8, note, styles.note)
        row += 1
    row += 1
    ws.write_string(row, 0, "Per förvaltning (mnkr)", styles.heading)
    kinds = {"Budget helår": "mnkr", "Prognos helår": "mnkr", "Avvikelse helår": "signed", "MBL-datum": "date",
             "Föregående prognos": "mnkr", "Prognosförändring": "signed",
             **{h: "count" for h in UNIT_HEADERS[4:10]}}
    _add_table(ws, styles, row + 1, "Forvaltningar", units, kinds)
    first, last = row + 2, row + 1 + max(1, len(units[1]))
    _write_total(ws, styles, last + 1, units[0], unit_total_row(values), kinds)
    for offset, note in enumerate(count_notes(result)):
        # Under the table, where the per-förvaltning counts are read against Nyckeltal.
        ws.merge_range(last + 3 + offset, 0, last + 3 + offset, 8, note, styles.note)
    ws.conditional_format(first, 3, last + 1, 3, {"type": "cell", "criteria": ">", "value": 0, "format": styles.green})
    ws.conditional_format(first, 3, last + 1, 3, {"type": "cell", "criteria": "<", "value": 0, "format": styles.red})
    ws.conditional_format(first, 11, last, 11, {"type": "text", "criteria": "begins with", "value": "Utesluten",
                                                "format": styles.red})
    charted = len(charted_units(result))
    if charted:
        # Included units come first in the table: the charts cover exactly those rows.
        _charts(wb, ws, row + 1, units[1][:charted], complete=result.complete)
    _page_setup(ws, header)
    ws.freeze_panes(2, 0)


def _traffic_lights(ws: Any, styles: _Styles) -> None:
    names = [n for n, _, _ in KEY_FIGURES]
    row_of = {n: KEY_FIRST_ROW + names.index(n) for n in names}
    for name, style in (("MalHelt", styles.green), ("MalDelvis", styles.yellow), ("MalInte", styles.red),
                        ("MalEjBedomt", styles.grey), ("UppdragVerkstalls", styles.green),
                        ("UppdragForskjuts", styles.yellow), ("UppdragAvbryts", styles.red)):
        ws.conditional_format(row_of[name], 0, row_of[name], 0, {"type": "no_errors", "format": style})
    deviation = row_of["AvvikelseTotal"]
    ws.conditional_format(deviation, 1, deviation, 1, {"type": "cell", "criteria": ">", "value": 0, "format": styles.green})
    ws.conditional_format(deviation, 1, deviation, 1, {"type": "cell", "criteria": "<", "value": 0, "format": styles.red})
    errors = row_of["AntalFel"]
    ws.conditional_format(errors, 1, errors, 1, {"type": "cell", "criteria": ">", "value": 0, "format": styles.red})


def _charts(wb: Any, ws: Any, header_row: int, rows: list[list[Any]], complete: bool = True) -> None:
    sheet = SUMMARY_SHEET
    scope = "" if complete else " – bara de som ingår i summorna"
    # The longer title of an incomplete summary is set smaller: at the default 14 pt it overran the chart
    # ("… (mnkr) – bar" with the "a" cut off in LibreOffice)
    title_font = {} if complete else {"name_font": {"size": 10, "bold": True}}
    first, last = header_row + 1, header_row + len(rows)
    categories = [sheet, first, 0, last, 0]
    deviation = wb.add_chart({"type": "bar"})
    deviation.add_series({
        "name": "Avvikelse helår (mnkr)", "categories": categories, "values": [sheet, first, 3, last, 3],
        "fill": {"color": DARK_GREEN}, "invert_if_negative": True, "invert_if_negative_color": DARK_RED,
        "data_labels": {"value": True, "num_format": FORMAT_MNKR_SIGNED},
    })
    deviation.set_title({"name": f"Avvikelse helår per förvaltning (mnkr){scope}", **title_font})
    deviation.set_legend({"none": True})
    deviation.set_x_axis({"num_format": "0.0", **_axis_bounds([r[3] for r in rows if r[3] is not None])})
    deviation.set_y_axis({"reverse": True})
    ws.insert_chart(KEY_FIRST_ROW - 1, 3, deviation, {"x_scale": 1.25, "y_scale": 1.1})
    goals = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for col, label, color in ((4, "Uppnås helt", DARK_GREEN), (5, "Uppnås delvis", DARK_YELLOW),
                              (6, "Uppnås inte", DARK_RED), (7, "Ej bedömt", DARK_GREY)):
        goals.add_series({"name": label, "categories": categories, "values": [sheet, first, col, last, col],
                          "fill": {"color": color}})
    goals.set_title({"name": f"Nämndmål per förvaltning{scope}", **title_font})
    goals.set_legend({"position": "bottom"})
    goals.set_y_axis({"reverse": True})
    ws.insert_chart(KEY_FIRST_ROW - 1, 9, goals, {"x_scale": 1.1, "y_scale": 1.1})


def _axis_bounds(values: list[float]) -> dict[str, float]:
    """Room for every bar and its label: spreadsheet engines' automatic bounds may clip the longest."""
    import math

    high, low = max(values + [0.0]), min(values + [0.0])
    step = 10 ** math.floor(math.log10(max(high - low, 1.0)))
    return {"min": math.floor(low * 1.25 / step) * step, "max": math.ceil(high * 1.25 / step) * step}


def _add_table(ws: Any, styles: _Styles, first_row: int, name: str,
               table: tuple[list[str], list[list[Any]]], kinds: dict[str, str]) -> None:
    """A table whose cells XlsxWriter holds: the overview's, which its charts read when it saves."""
    headers, rows = table
    kinds = with_gaps(headers, kinds)
    _define_table(ws, styles, first_row, name, headers, kinds, len(rows))
    for col, head in enumerate(headers):
        _write_column(ws, styles, col, enumerate(map(itemgetter(col), rows), first_row + 1), kinds.get(head, "text"))


def _define_table(ws: Any, styles: _Styles, first_row: int, name: str, headers: list[str],
                  kinds: dict[str, str], rows: int) -> None:
    """The table over its header row and `rows` rows (a table needs at least one)."""
    last_row = first_row + max(1, rows)
    ws.add_table(first_row, 0, last_row, len(headers) - 1,
                 {"name": name, "style": TABLE_STYLE,
                  "columns": [{"header": h, "header_format": styles.header_for(kinds.get(h, "text"))}
                              for h in headers]})
    ws.set_row(first_row, 30)  # two lines: "Uppdrag verkställs" must not be cut in a narrow column


def _formats(styles: _Styles, kind: str) -> tuple[Any, Any, Any, Any, Any]:
    """A column's formats for (text, text starting like a formula, number, date, Ja/Nej)."""
    gap = kind.endswith(GAP)
    base = kind.removesuffix(GAP)
    pick = styles.indented if gap else (lambda style: style)
    if base == "hash":
        text = quoted = pick(styles.hash)  # hex digits: never read as a formula
    else:
        text = pick(styles.wrap if base == "wrap" else styles.text)
        quoted = pick(styles.quoted_wrap if base == "wrap" else styles.quoted)
    return text, quoted, pick(styles.for_kind(base)), pick(styles.date), pick(styles.text)


def _write_column(ws: Any, styles: _Styles, col: int, cells: Iterable[tuple[int, Any]], kind: str) -> None:
    """Write one table column's (row, value) cells through XlsxWriter, its formats resolved once.

    The same cells as sheetrows.render_rows writes for the table sheets: an empty value writes no
    cell; strings and numbers take the short path; anything else goes through `_write_cell`.
    """
    text, quoted, number, _, _ = _formats(styles, kind)
    hashed = kind.removesuffix(GAP) == "hash"
    write_string, write_number = ws.write_string, ws.write_number
    for row, value in cells:
        cls = value.__class__
        if cls is str:
            if not value:
                continue
            if len(value) > MAX_TEXT and not hashed:
                value = value[: MAX_TEXT - 20] + SHORTENED  # reported as Fel by the reader
            write_string(row, col, value, quoted if value[0] in RISKY_START else text)
        elif cls is float or cls is int:
            write_number(row, col, value, number)
        elif value is not None:
            _write_cell(ws, styles, row, col, value, kind)


def _body(styles: _Styles, first_row: int, table: tuple[list[str], list[list[Any]]], kinds: dict[str, str],
          heights: list[float], row_kinds: Callable[[list[Any]], dict[str, str]] | None = None,
          name: str = "") -> Body:
    """A table sheet's rows for sheetrows.save(), in the same formats `_write_column` would use."""
    headers, rows = table

    def column(col: int, kind: str) -> Column:
        return Column(column_letter(col), *_formats(styles, kind), hashed=kind.removesuffix(GAP) == "hash")

    columns = tuple(column(col, kinds.get(head, "text")) for col, head in enumerate(headers))
    if row_kinds is None:
        return render_rows(rows, first_row, columns, heights, table=name)
    variants: dict[tuple[tuple[str, str], ...], tuple[Column, ...]] = {}

    def row_columns(values: list[Any]) -> tuple[Column, ...]:
        # Some rows show a column otherwise (a count without decimals): one set of columns per variant.
        override = row_kinds(values)
        if not override:
            return columns
        key = tuple(sorted(override.items()))
        if key not in variants:
            variants[key] = tuple(column(col, override[head]) if head in override else columns[col]
                                  for col, head in enumerate(headers))
        return variants[key]

    return render_rows(rows, first_row, columns, heights, row_columns, table=name)


def _write_total(ws: Any, styles: _Styles, row: int, headers: list[str], values: list[Any],
                 kinds: dict[str, str]) -> None:
    """A total directly under a table, outside the table object: Power Query and pandas read the
    table by its range and never see it."""
    for col, value in enumerate(values):
        kind = kinds.get(headers[col], "text")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(row, col, value, styles.total(kind))
        elif value:
            ws.write_string(row, col, str(value), styles.total("text"))
        else:
            ws.write_blank(row, col, None, styles.total("text"))


def _write_table_sheet(wb: Any, styles: _Styles, bodies: dict[str, Body], sheet: str, name: str, title: str,
                       table: tuple[list[str], list[list[Any]]], widths: dict[str, float], header: str,
                       kinds: dict[str, str] | None = None, severity_column: int | None = None,
                       row_kinds: Callable[[list[Any]], dict[str, str]] | None = None,
                       total: list[Any] | None = None) -> None:
    """A sheet with a title and one table; its rows go into `bodies`, added when the workbook is saved."""
    ws = wb.add_worksheet(sheet)
    headers, rows = table
    ws.write_string(0, 0, title, styles.title)
    ws.set_row(0, 22)  # a 16 pt title needs more than the default 15 pt row
    if not rows:
        ws.write_string(1, 0, "Inga rader.", styles.note)
    kinds = dict(kinds or {})
    kinds.setdefault("Periodslut", "date")
    kinds.setdefault("Meddelande", "wrap")
    for col, head in enumerate(headers):
        ws.set_column(col, col, widths.get(head, 14))
    gapped = with_gaps(headers, kinds)
    _define_table(ws, styles, 2, name, headers, gapped, 1)  # sheetrows.save() widens it over the rows
    bodies[sheet] = _body(styles, 3, table, gapped, _wrapped_heights(table, widths, kinds), row_kinds, name)
    if total:
        _write_total(ws, styles, 3 + len(rows), headers, total, kinds)
    if severity_column is not None and rows:
        last = 2 + len(rows)
        for word, style in (("Fel", styles.red), ("Varning", styles.yellow)):
            ws.conditional_format(3, severity_column, last, severity_column,
                                  {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": style})
    ws.freeze_panes(3, 0)
    _page_setup(ws, header)
    ws.repeat_rows(2)


def _wrapped_heights(table: tuple[list[str], list[list[Any]]], widths: dict[str, float],
                     kinds: dict[str, str]) -> list[float]:
    """Each row's height in points (0: the default), as its wrapped text needs.

    Spreadsheet applications fit wrapped rows when they edit them, not when they open a file.
    Column by column: the wrapped lines of each row's text, and the points of its hash; a row's
    height is its tallest cell's, where that needs more than one line.
    """
    from delar_xl.template.write import wrapped_lines

    headers, rows = table
    lines = [1] * len(rows)
    points = [0.0] * len(rows)
    for col, head in enumerate(headers):
        kind, width = kinds.get(head), widths.get(head, 14)
        if kind == "wrap":
            for i, value in enumerate(map(itemgetter(col), rows)):
                if value.__class__ is str:
                    lines[i] = max(lines[i], wrapped_lines(value, width))
        elif kind == "hash":
            for i, value in enumerate(map(itemgetter(col), rows)):
                if value:
                    points[i] = max(points[i], hash_height(str(value), width))
    return [max(15.0 * count if count > 1 else 0.0, hashed) for count, hashed in zip(lines, points)]


TEXT_WIDTH = 75  # fits a portrait A4 page even where a spreadsheet application does not scale it
# Running text in one wide column wraps with less waste than a table cell: about 1,2 characters per
# width unit, where row_height allows for 1,05.
TEXT_FIT = 1.15
PARAGRAPH_SPACE = 6.0  # points under each paragraph, as in a document


def _write_text(wb: Any, styles: _Styles, result: Result, header: str, created: date | None = None) -> None:
    from delar_xl.namnd.document import BLANK, TEXT, document, lines
    from delar_xl.template.write import row_height

    ws = wb.add_worksheet("Text")
    ws.set_column(0, 0, TEXT_WIDTH)
    ws.write_string(0, 0, "Förslag till text för tjänsteskrivelsen", styles.title)
    ws.set_row(0, 22)
    ws.write_string(1, 0, "Genererad av delar_xl från mallarna. Granska och justera före användning.", styles.note)
    rows = lines(document(result, created))
    for offset, (paragraph, kind) in enumerate(rows):
        row = 3 + offset
        if kind == TEXT:
            _write_text_cell(ws, styles, row, 0, paragraph, wrap=True)
        elif kind != BLANK:
            ws.write_string(row, 0, paragraph, styles.heading_wrap)
        heading = kind not in (TEXT, BLANK)
        height = row_height([(paragraph, TEXT_WIDTH * TEXT_FIT * (0.8 if heading else 1))])
        if kind == TEXT and not paragraph.startswith("- "):
            height = (height or 15.0) + PARAGRAPH_SPACE  # a paragraph's own space below; list lines keep none
        if height:
            ws.set_row(row, height)
    _page_setup(ws, header, landscape=False)
    ws.print_area(0, 0, 3 + len(rows), 0)
