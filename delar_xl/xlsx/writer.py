"""XlsxWriter helpers for a workbook people fill in or read: formats, the one page setup, protection,
validation, and a declared table (schema.py) on its own sheet.

The template's writer (template/write.py) and the plan's (plan/write.py) draw their sheets with these;
the summary writers (namnd/book.py) use the page setup. Nothing here knows what a delårsrapport is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from delar_xl.numbers import FORMAT_DATE, FORMAT_TKR, FORMAT_TKR_SIGNED
from delar_xl.xlsx.cells import EXCEL_TEXT_MAX, column_letter
from delar_xl.xlsx.schema import FIRST_COLUMN, HEADER_ROW, Column, Field, Kind, Table

INPUT_FILL = "#FFF9E5"  # light yellow: where the controller types
LOCKED_FILL = "#E7E6E6"  # grey: filled from the plan, locked
HEADER_FILL = "#1F4E79"
TITLE_COLOR = "#1F4E79"
TABLE_STYLE = "Table Style Light 15"

INSTRUCTIONS_WIDTH = 75  # fits a portrait A4 page unscaled
# Running text in the one wide Instruktioner column wraps with less waste than a table cell: about 1,2
# characters per width unit (as the summary's Text sheet measures it), where row_height allows for 1,05.
INSTRUCTIONS_FIT = 1.15
TITLE_HEIGHT = 22  # a 16 pt title in a 15 pt row runs into the line below it

# Excel limits for data-validation prompts.
_TITLE_MAX = 32
_MESSAGE_MAX = 255


@dataclass
class Formats:
    title: Any
    intro: Any
    label: Any
    help: Any
    locked: Any
    by_kind: dict[Kind, Any]
    meta_by_kind: dict[Kind, Any]
    note: Any
    wrap: Any
    heading: Any
    # Cells filled from the plan in a pre-filled template: grey and locked, same number formats.
    locked_by_kind: dict[Kind, Any] = field(default_factory=dict)
    header: Any = None
    header_right: Any = None
    count: Any = None


def new_workbook(path: Path) -> Any:
    """An XlsxWriter workbook that keeps user text as text: no formulas, links or numbers made from strings."""
    import xlsxwriter

    return xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )


def fixed_datetime() -> datetime:
    """The creation date written into every generated workbook: regenerated files stay byte-comparable."""
    return datetime(2021, 1, 1)


def _kind_formats(wb: Any, cell: dict[str, Any]) -> dict[Kind, Any]:
    """One format per kind on top of `cell` (the input look, or the locked look)."""
    # Text one step in from the left: it never touches the right-aligned number in the column before.
    text = {**cell, "align": "left", "indent": 1}
    return {
        Kind.ID: wb.add_format({**text}),
        Kind.TEXT: wb.add_format({**text, "text_wrap": True}),
        Kind.LONG_TEXT: wb.add_format({**text, "text_wrap": True}),
        Kind.CHOICE: wb.add_format({**text}),
        Kind.AMOUNT: wb.add_format({**cell, "num_format": FORMAT_TKR}),
        Kind.NUMBER: wb.add_format({**cell, "num_format": "#,##0.0##"}),
        Kind.YEAR: wb.add_format({**cell, "num_format": "0"}),
        Kind.INTEGER: wb.add_format({**cell, "num_format": "0"}),
        Kind.DATE: wb.add_format({**cell, "num_format": FORMAT_DATE, "align": "left"}),
    }


def formats(wb: Any) -> Formats:
    base = {"font_name": "Calibri", "font_size": 11, "valign": "top"}
    unlocked = {**base, "locked": False, "bg_color": INPUT_FILL, "border": 1, "border_color": "#BFBFBF"}
    locked = {**base, "locked": True, "bg_color": LOCKED_FILL, "border": 1, "border_color": "#BFBFBF"}
    formula = wb.add_format(
        {
            **base,
            "num_format": FORMAT_TKR_SIGNED,
            "bg_color": "#F2F2F2",
            "locked": True,
            "border": 1,
            "border_color": "#BFBFBF",
        }
    )
    by_kind = _kind_formats(wb, unlocked)
    by_kind[Kind.FORMULA] = formula
    locked_by_kind = _kind_formats(wb, locked)
    locked_by_kind[Kind.FORMULA] = formula
    text = {**unlocked, "align": "left", "indent": 1}
    meta_by_kind = dict(by_kind)
    meta_by_kind[Kind.TEXT] = wb.add_format({**text, "text_wrap": True})  # long names wrap, never cut
    return Formats(
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


def page_setup(ws: Any, header: str, landscape: bool = True, footer: str = "Skapad med delar_xl") -> None:
    """A4, one page wide, the same margins on every printed sheet; `header` in Excel's &L/&C/&R codes."""
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.set_header(header)
    ws.set_footer(f"&L{footer}&RSida &P av &N")


def write_instructions(
    wb: Any,
    fmt: Formats,
    header: str,
    sheet: str,
    title: str,
    lines: Sequence[str],
    headings: Collection[str],
    note: str = "",
    protect: bool = True,
) -> Any:
    """The instructions sheet a workbook opens on: a title, an optional note (red), then `lines`, the
    `headings` among them bold; each line as high as its wrapped text, printed portrait on A4."""
    ws = wb.add_worksheet(sheet)
    ws.set_column(0, 0, INSTRUCTIONS_WIDTH)
    ws.write_string(0, 0, title, fmt.title)
    ws.set_row(0, TITLE_HEIGHT)
    if note:
        ws.write_string(1, 0, note, fmt.note)
        ws.set_row(1, row_height([(note, INSTRUCTIONS_WIDTH * 0.8)]))
    row = 2
    for line in lines:
        if line:
            ws.write_string(row, 0, line, fmt.heading if line in headings else fmt.wrap)
            height = row_height([(line, INSTRUCTIONS_WIDTH * INSTRUCTIONS_FIT)])
            if height:
                ws.set_row(row, height)
        row += 1
    page_setup(ws, header, landscape=False)
    ws.print_area(0, 0, row, 0)
    if protect:
        protect_sheet(ws)
    ws.activate()
    return ws


def protect_sheet(ws: Any) -> None:
    # No password: protection guides, it must never lock anybody out.
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": True})


def validate_field(ws: Any, row: int, f: Field) -> None:
    options: dict[str, Any] = {"input_title": _clip(f.label, _TITLE_MAX), "input_message": _clip(f.help, _MESSAGE_MAX)}
    if f.kind is Kind.CHOICE:
        options.update(validate="list", source=list(f.choices))
    elif f.kind is Kind.DATE:
        options.update(
            validate="date",
            criteria="between",
            minimum=date(2000, 1, 1),
            maximum=date(2100, 12, 31),
            error_title="Datum",
            error_message="Skriv ett datum, t.ex. 2021-08-31.",
        )
    else:
        options.update(validate="any")
    ws.data_validation(row, 1, row, 1, options)


def write_table(
    wb: Any,
    fmt: Formats,
    header: str,
    table: Table,
    rows: list[list[object]],
    *,
    locked: frozenset[tuple[int, str]] = frozenset(),
    protect: bool = True,
    list_sources: dict[str, str] | None = None,
    whole_when: tuple[str, str] | None = None,
) -> Any:
    """One declared table on its own sheet. `locked`: (data row, column key) written locked;
    `protect`: False for the plan (Ekonomistaben owns it); `list_sources`: column key → a list
    formula for a dropdown whose values live elsewhere (e.g. another table's column);
    `whole_when`: (column key, value): rows whose column holds that value show their numbers whole
    (an indicator counted in `antal`), other rows keep the column's decimals.

    The rows offered follow the declaration (`Table.rows_offered`): spare rows under `rows`, or for a
    table with fixed rows exactly `rows`, on a protected sheet that prints them."""
    if table.fixed_rows and (not protect or not rows):
        # Unprotected, rows could be inserted into it; empty, it would have no rows at all.
        raise ValueError(f"Table {table.name} has fixed rows: it needs its rows and a protected sheet.")
    ws = wb.add_worksheet(table.sheet)
    first_row = HEADER_ROW - 1  # 0-based header row
    n_rows = table.rows_offered(len(rows))
    last_row = first_row + n_rows
    last_col = FIRST_COLUMN + len(table.columns) - 1
    ws.write_string(0, 0, table.title, fmt.title)
    ws.set_row(0, TITLE_HEIGHT)
    ws.write_string(1, 0, table.intro, fmt.intro)
    columns = []
    for col in table.columns:
        spec: dict[str, Any] = {
            "header": col.header,
            "format": fmt.by_kind[col.kind],
            "header_format": fmt.header_right if col.kind in NUMERIC_KINDS else fmt.header,
        }
        if col.kind is Kind.FORMULA:
            spec["formula"] = col.formula
        columns.append(spec)
    ws.add_table(
        first_row,
        FIRST_COLUMN,
        last_row,
        last_col,
        {"name": table.name, "columns": columns, "style": TABLE_STYLE, "autofilter": False},
    )
    for offset in range(n_rows):
        values: list[object] = rows[offset] if offset < len(rows) else [None] * len(table.columns)
        for index, col in enumerate(table.columns):
            _write_table_cell(ws, fmt, first_row + 1 + offset, index, col, values[index], (offset, col.key) in locked)
        if offset < len(rows):
            _fit_row_height(ws, first_row + 1 + offset, table.columns, values)
    for index, col in enumerate(table.columns):
        ws.set_column(FIRST_COLUMN + index, FIRST_COLUMN + index, col.width)
        if col.kind is not Kind.FORMULA:
            _validate_column(
                ws, first_row + 1, last_row, FIRST_COLUMN + index, col, (list_sources or {}).get(col.key, "")
            )
    header_height = row_height([(c.header, c.width) for c in table.columns])  # "Föregående prognos": two lines
    if header_height:
        ws.set_row(first_row, header_height)
    if whole_when is not None:
        _counts_without_decimals(ws, fmt, table, first_row + 1, last_row, *whole_when)
    ws.freeze_panes(first_row + 1, 0)
    page_setup(ws, header, landscape=table.landscape)
    ws.repeat_rows(first_row)
    # No print area for a table that can grow: a fixed one would not grow with it (a plan filled after
    # `delar-xl plan` printed 5 of its 8 budget rows), and without one Excel and LibreOffice print every row
    # the table has. Fixed rows never grow: the printout is the title, the header and exactly those rows.
    if table.fixed_rows:
        ws.print_area(0, 0, last_row, last_col)
    if protect:
        protect_sheet(ws)
    return ws


NUMERIC_KINDS = frozenset({Kind.AMOUNT, Kind.NUMBER, Kind.FORMULA, Kind.YEAR})


def _counts_without_decimals(ws: Any, fmt: Formats, table: Table, first: int, last: int, key: str, value: str) -> None:
    """Rows whose `key` column holds `value` show whole numbers; the others keep their decimals."""
    unit = FIRST_COLUMN + table.index(key)
    numbers = [FIRST_COLUMN + i for i, c in enumerate(table.columns) if c.kind is Kind.NUMBER]
    unit_cell = f"${column_letter(unit)}{first + 1}"
    ws.conditional_format(
        first,
        min(numbers),
        last,
        max(numbers),
        {"type": "formula", "criteria": f'=LOWER(TRIM({unit_cell}))="{value}"', "format": fmt.count},
    )


def _write_table_cell(
    ws: Any, fmt: Formats, row: int, index: int, col: Column, value: object, locked: bool = False
) -> None:
    cell_format = (fmt.locked_by_kind if locked else fmt.by_kind)[col.kind]
    c = FIRST_COLUMN + index
    if col.kind is Kind.FORMULA:
        # Written like Excel saves it: the formula with its computed value.
        ws.write_formula(row, c, col.formula, cell_format, "" if value is None else value)
        return
    write_value(ws, row, c, value, col.kind, cell_format)


def _fit_row_height(ws: Any, row: int, columns: tuple[Column, ...], values: list[object]) -> None:
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


def write_value(ws: Any, row: int, col: int, value: object, kind: Kind, cell_format: Any) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, cell_format)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, cell_format)
    else:
        text = str(value)
        if len(text) > EXCEL_TEXT_MAX:
            # XlsxWriter would cut it with only a warning: refuse instead of losing text silently.
            raise ValueError(f"Texten är {len(text)} tecken; en cell rymmer högst {EXCEL_TEXT_MAX}.")
        ws.write_string(row, col, text, cell_format)


def _validate_column(ws: Any, first: int, last: int, col: int, column: Column, source: str = "") -> None:
    options: dict[str, Any] = {
        "input_title": _clip(column.header, _TITLE_MAX),
        "input_message": _clip(column.help, _MESSAGE_MAX),
    }
    if column.kind is Kind.CHOICE:
        options.update(validate="list", source=source or list(column.choices))
        if column.strict:
            options.update(error_title=column.header, error_message="Välj ett värde i listan.")
        else:
            options.update(
                error_type="information",
                error_title=column.header,
                error_message="Värdet finns inte i listan. Klicka OK för att behålla det ändå.",
            )
    elif column.kind in (Kind.AMOUNT, Kind.NUMBER):
        options.update(
            validate="decimal",
            criteria="between",
            minimum=-1e12,
            maximum=1e12,
            error_type="warning",
            error_title=column.header,
            error_message="Skriv ett tal (belopp i tkr).",
        )
    elif column.kind is Kind.YEAR:
        options.update(
            validate="integer",
            criteria="between",
            minimum=2000,
            maximum=2100,
            error_title=column.header,
            error_message="Skriv ett årtal, t.ex. 2022.",
        )
    elif column.kind is Kind.INTEGER:
        options.update(
            validate="integer",
            criteria="between",
            minimum=1,
            maximum=999,
            error_title=column.header,
            error_message="Skriv ett heltal, t.ex. 6.",
        )
    else:
        options.update(validate="any")
    ws.data_validation(first, col, last, col, options)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
