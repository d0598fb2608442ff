"""Writes förvaltning templates from the declaration in template.py, blank or filled from a model.

Filled templates (the demo, tests, benchmarks) are written the way Excel would save them: the
Avvikelse formula carries its computed value. `python -m delar_xl.template.write FOLDER` rewrites the
blank template committed under templates/.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from delar_xl.files import write_atomic
from delar_xl.numbers import FORMAT_DATE, FORMAT_TKR, FORMAT_TKR_SIGNED
from delar_xl.template import declaration as T
from delar_xl.template.model import AssignmentRow, EconomyRow, GoalRow, IndicatorRow, Metadata, Template

INPUT_FILL = "#FFF9E5"  # light yellow: where the controller types
LOCKED_FILL = "#E7E6E6"  # grey: filled from the plan, locked
HEADER_FILL = "#1F4E79"
TITLE_COLOR = "#1F4E79"
TABLE_STYLE = "Table Style Light 15"
EXAMPLE_NOTE = "EXEMPELDATA: påhittade siffror som återskapar kommunstyrelsens delårsrapport per 31 augusti 2021."

INSTRUCTIONS_WIDTH = 75  # fits a portrait A4 page unscaled
TITLE_HEIGHT = 22  # a 16 pt title in a 15 pt row runs into the line below it

# Excel limits for data-validation prompts.
_TITLE_MAX = 32
_MESSAGE_MAX = 255


@dataclass
class _Formats:
    title: Any
    intro: Any
    label: Any
    help: Any
    locked: Any
    by_kind: dict[T.Kind, Any]
    meta_by_kind: dict[T.Kind, Any]
    note: Any
    wrap: Any
    heading: Any
    # Cells filled from the plan in a pre-filled template: grey and locked, same number formats.
    locked_by_kind: dict[T.Kind, Any] = field(default_factory=dict)
    header: Any = None
    header_right: Any = None
    count: Any = None


@dataclass(frozen=True)
class Locks:
    """The cells of a pre-filled template that come from the plan: written locked and grey.

    `fields` are defined names on "Uppgifter"; `cells` are (table name, 0-based data row, column
    key). Every other input cell stays unlocked and yellow for the controller.
    """

    fields: frozenset[str] = frozenset()
    cells: frozenset[tuple[str, int, str]] = frozenset()

    def table_cells(self, table: str) -> frozenset[tuple[int, str]]:
        return frozenset((row, key) for name, row, key in self.cells if name == table)


def blank_template(forvaltning: str, periodslut: date, namnd: str = "Kommunstyrelsen") -> Template:
    return Template(meta=Metadata(forvaltning=forvaltning, namnd=namnd, periodslut=periodslut))


def write_template(path: Path | str, content: Template, note: str = "", locks: Locks | None = None) -> Path:
    """Write a template for `content` (its metadata and any rows) to `path`, atomically.

    `locks` names the cells filled from the plan (`utskick`): those are written locked and grey.
    """
    return write_atomic(Path(path), lambda tmp: _write(tmp, content, note, locks or Locks()))


def write_blank(path: Path | str, forvaltning: str, periodslut: date, namnd: str = "Kommunstyrelsen") -> Path:
    return write_template(path, blank_template(forvaltning, periodslut, namnd))


def new_workbook(path: Path) -> Any:
    """An XlsxWriter workbook that keeps user text as text: no formulas, links or numbers made from strings."""
    import xlsxwriter

    return xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )


def _write(path: Path, content: Template, note: str, locks: Locks) -> None:
    wb = new_workbook(path)
    wb.set_properties(
        {
            "title": f"Delårsrapport {content.meta.forvaltning}",
            "subject": "Mall för delårsrapport",
            "author": "delar_xl",
            "comments": f"Mallversion {T.TEMPLATE_VERSION}",
            # A fixed date keeps regenerated templates byte-comparable.
            "created": _fixed_datetime(),
        }
    )
    wb.set_calc_mode("auto")
    fmt = _formats(wb)
    header = _print_header(content.meta)
    _write_instructions(wb, fmt, header, note)
    _write_info(wb, fmt, header, content.meta, locks.fields)
    for table in T.TABLES:
        _write_table(wb, fmt, header, table, _rows_of(table, content), locked=locks.table_cells(table.name))
    wb.close()


def _fixed_datetime():
    from datetime import datetime

    return datetime(2021, 1, 1)


def _kind_formats(wb: Any, cell: dict[str, Any]) -> dict[T.Kind, Any]:
    """One format per kind on top of `cell` (the input look, or the locked look)."""
    # Text one step in from the left: it never touches the right-aligned number in the column before.
    text = {**cell, "align": "left", "indent": 1}
    return {
        T.Kind.ID: wb.add_format({**text}),
        T.Kind.TEXT: wb.add_format({**text, "text_wrap": True}),
        T.Kind.LONG_TEXT: wb.add_format({**text, "text_wrap": True}),
        T.Kind.CHOICE: wb.add_format({**text}),
        T.Kind.AMOUNT: wb.add_format({**cell, "num_format": FORMAT_TKR}),
        T.Kind.NUMBER: wb.add_format({**cell, "num_format": "#,##0.0##"}),
        T.Kind.YEAR: wb.add_format({**cell, "num_format": "0"}),
        T.Kind.INTEGER: wb.add_format({**cell, "num_format": "0"}),
        T.Kind.DATE: wb.add_format({**cell, "num_format": FORMAT_DATE, "align": "left"}),
    }


def _formats(wb: Any) -> _Formats:
    base = {"font_name": "Calibri", "font_size": 11, "valign": "top"}
    unlocked = {**base, "locked": False, "bg_color": INPUT_FILL, "border": 1, "border_color": "#BFBFBF"}
    locked = {**base, "locked": True, "bg_color": LOCKED_FILL, "border": 1, "border_color": "#BFBFBF"}
    formula = wb.add_format({**base, "num_format": FORMAT_TKR_SIGNED, "bg_color": "#F2F2F2", "locked": True,
                             "border": 1, "border_color": "#BFBFBF"})
    by_kind = _kind_formats(wb, unlocked)
    by_kind[T.Kind.FORMULA] = formula
    locked_by_kind = _kind_formats(wb, locked)
    locked_by_kind[T.Kind.FORMULA] = formula
    text = {**unlocked, "align": "left", "indent": 1}
    meta_by_kind = dict(by_kind)
    meta_by_kind[T.Kind.TEXT] = wb.add_format({**text, "text_wrap": True})  # long names wrap, never cut
    return _Formats(
        title=wb.add_format({**base, "bold": True, "font_size": 16, "font_color": TITLE_COLOR}),
        intro=wb.add_format({**base, "italic": True, "font_color": "#404040"}),
        label=wb.add_format({**base, "bold": True}),
        help=wb.add_format({**base, "font_color": "#595959", "text_wrap": True}),
        locked=wb.add_format({**base, "bg_color": "#F2F2F2", "border": 1, "border_color": "#BFBFBF"}),
        by_kind=by_kind,
        meta_by_kind=meta_by_kind,
        note=wb.add_format({**base, "bold": True, "font_color": "#C00000", "text_wrap": True}),
        wrap=wb.add_format({**base, "text_wrap": True}),
        heading=wb.add_format({**base, "bold": True, "font_size": 12, "font_color": TITLE_COLOR}),
        locked_by_kind=locked_by_kind,
        # Two-line headers ("Föregående prognos" in a narrow column); numbers' headers aligned like them.
        header=wb.add_format({**base, "bold": True, "text_wrap": True, "align": "left", "indent": 1}),
        header_right=wb.add_format({**base, "bold": True, "text_wrap": True, "align": "right"}),
        count=wb.add_format({"num_format": "#,##0"}),
    )


def _print_header(meta: Metadata) -> str:
    period = meta.periodslut.isoformat() if meta.periodslut else ""
    name = meta.forvaltning.replace("&", "&&")
    return f"&L{name}&C&A&R{meta.rapport.replace('&', '&&')} per {period}"


def _page_setup(ws: Any, header: str, landscape: bool = True) -> None:
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.set_header(header)
    ws.set_footer("&LSkapad med delar_xl&RSida &P av &N")


def _protect(ws: Any) -> None:
    # No password: protection guides, it must never lock anybody out.
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": True})


def _write_instructions(wb: Any, fmt: _Formats, header: str, note: str) -> None:
    ws = wb.add_worksheet(T.INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, INSTRUCTIONS_WIDTH)
    ws.write_string(0, 0, "Mall för delårsrapport – instruktioner", fmt.title)
    ws.set_row(0, TITLE_HEIGHT)
    if note:
        ws.write_string(1, 0, note, fmt.note)
        ws.set_row(1, row_height([(note, INSTRUCTIONS_WIDTH * 0.8)]))
    row = 2
    for line in T.INSTRUCTIONS:
        style = fmt.heading if line in ("Så fyller du i mallen", "Regler") else fmt.wrap
        if line:
            ws.write_string(row, 0, line, style)
            height = row_height([(line, INSTRUCTIONS_WIDTH)])
            if height:
                ws.set_row(row, height)
        row += 1
    _page_setup(ws, header, landscape=False)
    ws.print_area(0, 0, row, 0)
    _protect(ws)
    ws.activate()


def _write_info(wb: Any, fmt: _Formats, header: str, meta: Metadata, locked: frozenset[str] = frozenset()) -> None:
    ws = wb.add_worksheet(T.INFO_SHEET)
    for col, width in enumerate(T.INFO_WIDTHS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, "Uppgifter om rapporten", fmt.title)
    ws.set_row(0, TITLE_HEIGHT)
    ws.write_string(1, 0, "Fyll i de gula cellerna. Namnen på cellerna används av sammanställningen.", fmt.intro)
    ws.write_string(T.INFO_FIRST_ROW - 2, 0, "Uppgift", fmt.label)
    ws.write_string(T.INFO_FIRST_ROW - 2, 1, "Värde", fmt.label)
    ws.write_string(T.INFO_FIRST_ROW - 2, 2, "Hjälp", fmt.label)
    values = _meta_values(meta)
    for offset, f in enumerate(T.FIELDS):
        row = T.INFO_FIRST_ROW - 1 + offset
        ws.write_string(row, 0, f.label + (" *" if f.required else ""), fmt.label)
        if f.name == "Mallversion":
            cell_format = fmt.locked
        elif f.name in locked:
            cell_format = fmt.locked_by_kind[f.kind]
        else:
            cell_format = fmt.meta_by_kind[f.kind]
        _write_value(ws, row, 1, values[f.name], f.kind, cell_format)
        help_text = f.help + (" Ifyllt från planen." if f.name in locked else "")
        ws.write_string(row, 2, help_text, fmt.help)
        if f.name != "Mallversion" and f.name not in locked:
            _validate_field(ws, row, f)
        wb.define_name(f.name, f"='{T.INFO_SHEET}'!$B${row + 1}")
        height = _field_height(f, values[f.name], help_text)
        if height:
            ws.set_row(row, height)
    ws.write_string(T.INFO_FIRST_ROW + len(T.FIELDS), 0, "* = måste fyllas i", fmt.help)
    _page_setup(ws, header, landscape=False)
    _protect(ws)


_MAX_ROW_HEIGHT = 409.0  # points: Excel's limit


def _field_height(f: T.Field, value: object, help_text: str) -> float | None:
    """Points for a field's row: its declared lines, or what its text or its wrapped help needs."""
    lines = max(f.lines, wrapped_lines(help_text, T.INFO_WIDTHS[2]))
    if f.kind in (T.Kind.TEXT, T.Kind.LONG_TEXT) and isinstance(value, str):
        lines = max(lines, wrapped_lines(value, T.INFO_WIDTHS[1]))  # long names wrap too
    return min(15.0 * lines, _MAX_ROW_HEIGHT) if lines > 1 else None


def _meta_values(meta: Metadata) -> dict[str, object]:
    return {
        "Forvaltning": meta.forvaltning,
        "Namnd": meta.namnd,
        "Rapport": meta.rapport,
        "Periodslut": meta.periodslut,
        "Kontaktperson": meta.kontaktperson,
        "MBLDatum": meta.mbl_datum,
        "Sammanfattning": meta.sammanfattning,
        "Mallversion": T.TEMPLATE_VERSION,
    }


def _validate_field(ws: Any, row: int, f: T.Field) -> None:
    options: dict[str, Any] = {"input_title": _clip(f.label, _TITLE_MAX), "input_message": _clip(f.help, _MESSAGE_MAX)}
    if f.kind is T.Kind.CHOICE:
        options.update(validate="list", source=list(f.choices))
    elif f.kind is T.Kind.DATE:
        options.update(
            validate="date", criteria="between", minimum=date(2000, 1, 1), maximum=date(2100, 12, 31),
            error_title="Datum", error_message="Skriv ett datum, t.ex. 2021-08-31.",
        )
    else:
        options.update(validate="any")
    ws.data_validation(row, 1, row, 1, options)


def _rows_of(table: T.Table, content: Template) -> list[list[object]]:
    """The model's rows as cell values in the declared column order."""
    if table is T.ECONOMY:
        return [
            [r.key, r.activity, r.budget, r.actual, r.forecast, r.deviation, r.previous_forecast, r.comment]
            for r in content.economy
        ]
    if table is T.GOALS:
        return [[r.goal_id, r.goal, r.assessment, r.analysis] for r in content.goals]
    if table is T.ASSIGNMENTS:
        return [[r.assignment_id, r.assignment, r.status, r.new_year, r.comment] for r in content.assignments]
    return [
        [r.indicator_id, r.indicator, r.unit, r.women, r.men, r.total, r.target, r.reason]
        for r in content.indicators
    ]


def _write_table(wb: Any, fmt: _Formats, header: str, table: T.Table, rows: list[list[object]], *,
                 locked: frozenset[tuple[int, str]] = frozenset(), protect: bool = True,
                 list_sources: dict[str, str] | None = None) -> Any:
    """One declared table on its own sheet. `locked`: (data row, column key) written locked;
    `protect`: False for the plan (Ekonomistaben owns it); `list_sources`: column key → a list
    formula for a dropdown whose values live elsewhere (e.g. another table's column)."""
    ws = wb.add_worksheet(table.sheet)
    first_row = T.HEADER_ROW - 1  # 0-based header row
    n_rows = max(table.blank_rows, len(rows) + 5)
    last_row = first_row + n_rows
    last_col = T.FIRST_COLUMN + len(table.columns) - 1
    ws.write_string(0, 0, table.title, fmt.title)
    ws.set_row(0, TITLE_HEIGHT)
    ws.write_string(1, 0, table.intro, fmt.intro)
    columns = []
    for col in table.columns:
        spec: dict[str, Any] = {"header": col.header, "format": fmt.by_kind[col.kind],
                                "header_format": fmt.header_right if col.kind in NUMERIC_KINDS else fmt.header}
        if col.kind is T.Kind.FORMULA:
            spec["formula"] = col.formula
        columns.append(spec)
    ws.add_table(
        first_row, T.FIRST_COLUMN, last_row, last_col,
        {"name": table.name, "columns": columns, "style": TABLE_STYLE, "autofilter": False},
    )
    for offset in range(n_rows):
        values = rows[offset] if offset < len(rows) else [None] * len(table.columns)
        for index, col in enumerate(table.columns):
            _write_table_cell(ws, fmt, first_row + 1 + offset, index, col, values[index],
                              (offset, col.key) in locked)
        if offset < len(rows):
            _fit_row_height(ws, first_row + 1 + offset, table.columns, values)
    for index, col in enumerate(table.columns):
        ws.set_column(T.FIRST_COLUMN + index, T.FIRST_COLUMN + index, col.width)
        if col.kind is not T.Kind.FORMULA:
            _validate_column(ws, first_row + 1, last_row, T.FIRST_COLUMN + index, col,
                             (list_sources or {}).get(col.key, ""))
    header_height = row_height([(c.header, c.width) for c in table.columns])  # "Föregående prognos": two lines
    if header_height:
        ws.set_row(first_row, header_height)
    if table is T.INDICATORS:
        _counts_without_decimals(ws, fmt, first_row + 1, last_row)
    ws.freeze_panes(first_row + 1, 0)
    _page_setup(ws, header, landscape=table.landscape)
    ws.repeat_rows(first_row)
    # No print area: a fixed one would not grow with the table (a plan filled after `delar-xl plan` printed
    # 5 of its 8 budget rows), and without one Excel and LibreOffice print every row the table has.
    if protect:
        _protect(ws)
    return ws


NUMERIC_KINDS = frozenset({T.Kind.AMOUNT, T.Kind.NUMBER, T.Kind.FORMULA, T.Kind.YEAR})


def _counts_without_decimals(ws: Any, fmt: _Formats, first: int, last: int) -> None:
    """Rows with Enhet antal show whole numbers; rates keep their decimals (the column's format)."""
    table = T.INDICATORS
    unit = T.FIRST_COLUMN + table.index("unit")
    numbers = [T.FIRST_COLUMN + i for i, c in enumerate(table.columns) if c.kind is T.Kind.NUMBER]
    unit_cell = f"${_letter(unit)}{first + 1}"
    ws.conditional_format(first, min(numbers), last, max(numbers), {
        "type": "formula", "criteria": f'=LOWER(TRIM({unit_cell}))="{T.COUNT_UNIT}"', "format": fmt.count})


def _letter(col: int) -> str:
    from delar_xl.xlsx.cells import column_letter

    return column_letter(col)


def _write_table_cell(ws: Any, fmt: _Formats, row: int, index: int, col: T.Column, value: object,
                      locked: bool = False) -> None:
    cell_format = (fmt.locked_by_kind if locked else fmt.by_kind)[col.kind]
    c = T.FIRST_COLUMN + index
    if col.kind is T.Kind.FORMULA:
        # Written like Excel saves it: the formula with its computed value.
        ws.write_formula(row, c, col.formula, cell_format, "" if value is None else value)
        return
    _write_value(ws, row, c, value, col.kind, cell_format)


def _fit_row_height(ws: Any, row: int, columns: tuple[T.Column, ...], values: list[object]) -> None:
    """Excel fits wrapped rows when it edits them, not when it opens a file: size filled rows here."""
    height = row_height([(str(v), c.width) for c, v in zip(columns, values) if isinstance(v, str)])
    if height:
        ws.set_row(row, height)


def row_height(texts: list[tuple[str, float]], line: float = 15.0) -> float | None:
    """Points needed to show each (text, column width) wrapped; None when one line is enough."""
    lines = max((wrapped_lines(text, width) for text, width in texts), default=1)
    return line * lines if lines > 1 else None


def wrapped_lines(text: str, width: float) -> int:
    """Lines `text` takes when wrapped at spaces in a column `width` wide, as a spreadsheet does.

    About 1,05 characters per width unit (a unit is a digit's width; letters and spaces are
    narrower; LibreOffice's wider fallback font fits ~1,4). Counting word by word matters in
    narrow columns: a long word ("Kommunledningsförvaltningen") moves whole to the next line.
    """
    import math

    capacity = max(width - 1, 1) / 0.95
    if len(text) <= capacity and "\n" not in text:
        return 1  # most cells: no word can overflow a line that the whole text fits on
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            if used and used + 1 + len(word) > capacity:
                lines, used = lines + 1, 0.0
            if len(word) > capacity:  # broken inside the word, over as many lines as it needs
                lines += math.ceil(len(word) / capacity) - 1
                used = len(word) % capacity
            else:
                used += (1 if used else 0) + len(word)
    return max(lines, 1)


def _write_value(ws: Any, row: int, col: int, value: object, kind: T.Kind, cell_format: Any) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, cell_format)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, cell_format)
    else:
        text = str(value)
        if len(text) > T.EXCEL_TEXT_MAX:
            # XlsxWriter would cut it with only a warning: refuse instead of losing text silently.
            raise ValueError(f"Texten är {len(text)} tecken; en cell rymmer högst {T.EXCEL_TEXT_MAX}.")
        ws.write_string(row, col, text, cell_format)


def _validate_column(ws: Any, first: int, last: int, col: int, column: T.Column, source: str = "") -> None:
    options: dict[str, Any] = {
        "input_title": _clip(column.header, _TITLE_MAX),
        "input_message": _clip(column.help, _MESSAGE_MAX),
    }
    if column.kind is T.Kind.CHOICE:
        options.update(validate="list", source=source or list(column.choices))
        if column.strict:
            options.update(error_title=column.header, error_message="Välj ett värde i listan.")
        else:
            options.update(error_type="information", error_title=column.header,
                           error_message="Värdet finns inte i listan. Klicka OK för att behålla det ändå.")
    elif column.kind in (T.Kind.AMOUNT, T.Kind.NUMBER):
        options.update(
            validate="decimal", criteria="between", minimum=-1e12, maximum=1e12, error_type="warning",
            error_title=column.header, error_message="Skriv ett tal (belopp i tkr).",
        )
    elif column.kind is T.Kind.YEAR:
        options.update(
            validate="integer", criteria="between", minimum=2000, maximum=2100,
            error_title=column.header, error_message="Skriv ett årtal, t.ex. 2022.",
        )
    elif column.kind is T.Kind.INTEGER:
        options.update(
            validate="integer", criteria="between", minimum=1, maximum=999,
            error_title=column.header, error_message="Skriv ett heltal, t.ex. 6.",
        )
    else:
        options.update(validate="any")
    ws.data_validation(first, col, last, col, options)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def template_file_name(forvaltning: str, periodslut: date) -> str:
    return f"Delårsrapport {forvaltning} {periodslut.isoformat()}.xlsx"


BLANK_NAME = "Delårsrapport-mall.xlsx"
BLANK_FORVALTNING = "Förvaltningens namn"
BLANK_PERIOD = date(2021, 8, 31)


def write_committed_blank(folder: Path) -> Path:
    """The blank template kept under templates/ (a test checks it is up to date)."""
    return write_blank(folder / BLANK_NAME, BLANK_FORVALTNING, BLANK_PERIOD)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "templates")
    print(write_committed_blank(out))


__all__ = [
    "AssignmentRow", "EconomyRow", "GoalRow", "IndicatorRow", "Locks", "Metadata", "Template",
    "blank_template", "write_blank", "write_template", "template_file_name",
]
