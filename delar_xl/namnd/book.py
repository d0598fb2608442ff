"""The summary workbook's writing helpers, shared by both levels (namnd/summary.py, kommun/summary.py).

Styles, a workbook written in memory and saved with the table sheets' rows (xlsx/sheetrows.py), typed
cells, tables with their header formats and totals, a sheet with one table, the key figures' colours and
the check that a written summary reads back. What goes into a summary is each level's own.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from delar_xl.namnd.declaration import (
    ANTAL_MAL,
    AVVIKELSE_TOTAL,
    MAL_DELVIS,
    MAL_EJ_BEDOMT,
    MAL_HELT,
    MAL_INTE,
    UPPDRAG_AVBRYTS,
    UPPDRAG_FORSKJUTS,
    UPPDRAG_VERKSTALLS,
)
from delar_xl.namnd.layout import GAP, HASH_FONT, HASH_SIZE, NUMERIC_KINDS, hash_height, with_gaps
from delar_xl.numbers import (
    FORMAT_DATE,
    FORMAT_MNKR,
    FORMAT_MNKR_SIGNED,
    FORMAT_TKR_SHOWN,
    FORMAT_TKR_SIGNED_SHOWN,
)
from delar_xl.xlsx.cells import column_letter
from delar_xl.xlsx.schema import Column as SchemaColumn
from delar_xl.xlsx.schema import Kind
from delar_xl.xlsx.sheetrows import MAX_TEXT, RISKY_START, SHORTENED, Body, Column, render_rows, save
from delar_xl.xlsx.writer import page_setup, row_height, wrapped_lines

GREEN, YELLOW, RED, GREY = "#C6EFCE", "#FFEB9C", "#FFC7CE", "#D9D9D9"
DARK_GREEN, DARK_YELLOW, DARK_RED, DARK_GREY = "#00B050", "#FFC000", "#C00000", "#A6A6A6"
TITLE_COLOR = "#1F4E79"
TABLE_STYLE = "Table Style Medium 2"
TITLE_COLOR = "#1F4E79"
TABLE_STYLE = "Table Style Medium 2"
FOOTER = "Sammanställd med delar_xl"  # the printed footer of every summary sheet (a template says "Skapad")
TEXT_WIDTH = 75  # the Text sheet's one column: fits a portrait A4 page even where an application does not scale it
# Running text in one wide column wraps with less waste than a table cell: about 1,2 characters per
# width unit, where row_height allows for 1,05.
TEXT_FIT = 1.15
PARAGRAPH_SPACE = 6.0  # points under each paragraph, as in a document


class Styles:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": "Calibri", "font_size": 11, "valign": "top"}
        self.base = base
        self._props: dict[int, dict[str, Any]] = {}  # id(format) → its properties, to derive variants
        self._indented: dict[int, Any] = {}
        self.wb = _Recording(wb, self._props)
        wb = self.wb
        self.title = wb.add_format({**base, "bold": True, "font_size": 16, "font_color": TITLE_COLOR})
        # Explicit colours: not every spreadsheet application draws Excel's table styles.
        self.header = wb.add_format(
            {**base, "bold": True, "text_wrap": True, "font_color": "#FFFFFF", "bg_color": TITLE_COLOR}
        )
        self.header_right = wb.add_format(
            {
                **base,
                "bold": True,
                "text_wrap": True,
                "font_color": "#FFFFFF",
                "bg_color": TITLE_COLOR,
                "align": "right",
            }
        )
        self.ok = wb.add_format({**base, "bold": True, "bg_color": GREEN, "font_color": "#006100"})
        self.alarm = wb.add_format({**base, "bold": True, "bg_color": RED, "font_color": "#9C0006", "font_size": 13})
        self.alarm_wrap = wb.add_format(
            {**base, "bold": True, "bg_color": RED, "font_color": "#9C0006", "font_size": 13, "text_wrap": True}
        )
        self.label = wb.add_format({**base, "bold": True})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#595959", "text_wrap": True})
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.text = wb.add_format({**base})
        self.quoted = wb.add_format({**base, "quote_prefix": True})
        self.quoted_wrap = wb.add_format({**base, "quote_prefix": True, "text_wrap": True})
        self.count = wb.add_format({**base, "num_format": "0"})
        self.mnkr = wb.add_format({**base, "num_format": FORMAT_MNKR})
        self.signed = wb.add_format({**base, "num_format": FORMAT_MNKR_SIGNED})
        self.tkr = wb.add_format({**base, "num_format": FORMAT_TKR_SHOWN})
        self.tkr_signed = wb.add_format({**base, "num_format": FORMAT_TKR_SIGNED_SHOWN})
        self.whole = wb.add_format({**base, "num_format": "#,##0"})
        self.hash = wb.add_format({**base, "font_name": HASH_FONT, "font_size": HASH_SIZE, "text_wrap": True})
        self._totals: dict[str, Any] = {}
        self.number = wb.add_format({**base, "num_format": "#,##0.0##"})
        self.date = wb.add_format({**base, "num_format": FORMAT_DATE, "align": "left"})
        self.heading = wb.add_format({**base, "bold": True, "font_size": 12, "font_color": TITLE_COLOR})
        self.heading_wrap = wb.add_format(
            {**base, "bold": True, "font_size": 12, "font_color": TITLE_COLOR, "text_wrap": True}
        )
        self.green = wb.add_format({"bg_color": GREEN, "font_color": "#006100"})
        self.red = wb.add_format({"bg_color": RED, "font_color": "#9C0006"})
        self.yellow = wb.add_format({"bg_color": YELLOW, "font_color": "#9C5700"})
        self.grey = wb.add_format({"bg_color": GREY})
        # Kind → format, built once: for_kind is asked cell by cell.
        self._kinds = {
            "count": self.count,
            "mnkr": self.mnkr,
            "signed": self.signed,
            "date": self.date,
            "tkr": self.tkr,
            "number": self.number,
            "wrap": self.wrap,
            "tkr_signed": self.tkr_signed,
            "whole": self.whole,
            "hash": self.hash,
        }

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
            number = {
                "count": "0",
                "whole": "#,##0",
                "mnkr": FORMAT_MNKR,
                "signed": FORMAT_MNKR_SIGNED,
                "tkr": FORMAT_TKR_SHOWN,
                "tkr_signed": FORMAT_TKR_SIGNED_SHOWN,
            }.get(kind)
            self._totals[kind] = self.wb.add_format(
                {**self.base, "bold": True, "top": 1, **({"num_format": number} if number else {})}
            )
        return self._totals[kind]


class _Recording:
    """The workbook's add_format, remembering each format's properties (XlsxWriter cannot copy one)."""

    def __init__(self, wb: Any, props: dict[int, dict[str, Any]]) -> None:
        self._wb, self._props = wb, props

    def add_format(self, props: dict[str, Any]) -> Any:
        style = self._wb.add_format(props)
        self._props[id(style)] = dict(props)
        return style


def open_workbook() -> tuple[Any, io.BytesIO, dict[str, Body]]:
    """An XlsxWriter workbook written in memory, and the table sheets' rows to add when it is saved.

    Both levels' writers (namnd/summary.py and kommun/summary.py) open and save through here."""
    import xlsxwriter

    package = io.BytesIO()
    wb = xlsxwriter.Workbook(
        package,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    return wb, package, {}


def save_workbook(wb: Any, package: io.BytesIO, bodies: dict[str, Body], path: Path) -> None:
    """Close the workbook and write it to `path` with the table sheets' rows added."""
    wb.close()
    save(package.getvalue(), bodies, path)


def verify_summary(path: Path) -> None:
    """Raise OSError unless the written file opens as a zip and holds the summary's names (either level)."""
    import zipfile

    from delar_xl.xlsx.parts import defined_names

    with zipfile.ZipFile(path) as zf:
        if zf.testzip() is not None or ANTAL_MAL not in defined_names(zf):
            raise OSError("sammanställningen kunde inte läsas tillbaka")


def kind_of(column: SchemaColumn) -> str:
    if column.kind is Kind.FORMULA:
        return "tkr_signed"  # Avvikelse helår: + överskott, − underskott
    if column.kind is Kind.AMOUNT:
        return "tkr"
    if column.kind is Kind.NUMBER:
        return "number"
    if column.kind is Kind.YEAR:
        return "count"
    if column.kind is Kind.LONG_TEXT:
        return "wrap"
    return "text"


def write_cell(ws: Any, styles: Styles, row: int, col: int, value: Any, kind: str = "text") -> None:
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
        write_text_cell(ws, styles, row, col, str(value), wrap=kind == "wrap", gap=gap)


def write_text_cell(
    ws: Any, styles: Styles, row: int, col: int, text: str, wrap: bool = False, gap: bool = False
) -> None:
    if len(text) > MAX_TEXT:
        # The reader already reported this as Fel; mark the cut instead of hiding it.
        text = text[: MAX_TEXT - 20] + SHORTENED
    risky = text[:1] in RISKY_START
    style = (styles.quoted_wrap if wrap else styles.quoted) if risky else (styles.wrap if wrap else styles.text)
    ws.write_string(row, col, text, styles.indented(style) if gap else style)


def axis_bounds(values: list[float]) -> dict[str, float]:
    """Room for every bar and its label: spreadsheet engines' automatic bounds may clip the longest.
    Whole-number steps (1, 2, 5 × 10ⁿ), so the axis labels need no decimals."""
    import math

    high, low = max(values + [0.0]), min(values + [0.0])
    span = max((high - low) * 1.25, 1.0)
    magnitude = 10 ** math.floor(math.log10(span / 5))
    step = max(next(m * magnitude for m in (1, 2, 5, 10) if span / (m * magnitude) <= 6), 1)
    return {
        "min": math.floor(low * 1.25 / step) * step,
        "max": math.ceil(high * 1.25 / step) * step,
        "major_unit": step,
    }


def add_table(
    ws: Any, styles: Styles, first_row: int, name: str, table: tuple[list[str], list[list[Any]]], kinds: dict[str, str]
) -> None:
    """A table whose cells XlsxWriter holds: the overview's, which its charts read when it saves."""
    headers, rows = table
    kinds = with_gaps(headers, kinds)
    _define_table(ws, styles, first_row, name, headers, kinds, len(rows))
    for col, head in enumerate(headers):
        _write_column(ws, styles, col, enumerate(map(itemgetter(col), rows), first_row + 1), kinds.get(head, "text"))


def _define_table(
    ws: Any, styles: Styles, first_row: int, name: str, headers: list[str], kinds: dict[str, str], rows: int
) -> None:
    """The table over its header row and `rows` rows (a table needs at least one)."""
    last_row = first_row + max(1, rows)
    ws.add_table(
        first_row,
        0,
        last_row,
        len(headers) - 1,
        {
            "name": name,
            "style": TABLE_STYLE,
            "columns": [{"header": h, "header_format": styles.header_for(kinds.get(h, "text"))} for h in headers],
        },
    )
    ws.set_row(first_row, 30)  # two lines: "Uppdrag verkställs" must not be cut in a narrow column


def _formats(styles: Styles, kind: str) -> tuple[Any, Any, Any, Any, Any]:
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


def _write_column(ws: Any, styles: Styles, col: int, cells: Iterable[tuple[int, Any]], kind: str) -> None:
    """Write one table column's (row, value) cells through XlsxWriter, its formats resolved once.

    The same cells as sheetrows.render_rows writes for the table sheets: an empty value writes no
    cell; strings and numbers take the short path; anything else goes through `write_cell`.
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
            write_cell(ws, styles, row, col, value, kind)


def _body(
    styles: Styles,
    first_row: int,
    table: tuple[list[str], list[list[Any]]],
    kinds: dict[str, str],
    heights: list[float],
    row_kinds: Callable[[Sequence[Any]], dict[str, str]] | None = None,
    name: str = "",
) -> Body:
    """A table sheet's rows for sheetrows.save(), in the same formats `_write_column` would use."""
    headers, rows = table

    def column(col: int, kind: str) -> Column:
        return Column(column_letter(col), *_formats(styles, kind), hashed=kind.removesuffix(GAP) == "hash")

    columns = tuple(column(col, kinds.get(head, "text")) for col, head in enumerate(headers))
    if row_kinds is None:
        return render_rows(rows, first_row, columns, heights, table=name)
    variants: dict[tuple[tuple[str, str], ...], tuple[Column, ...]] = {}

    def row_columns(values: Sequence[Any]) -> tuple[Column, ...]:
        # Some rows show a column otherwise (a count without decimals): one set of columns per variant.
        override = row_kinds(values)
        if not override:
            return columns
        key = tuple(sorted(override.items()))
        if key not in variants:
            variants[key] = tuple(
                column(col, override[head]) if head in override else columns[col] for col, head in enumerate(headers)
            )
        return variants[key]

    return render_rows(rows, first_row, columns, heights, row_columns, table=name)


def write_total(
    ws: Any, styles: Styles, row: int, headers: list[str], values: list[Any], kinds: dict[str, str]
) -> None:
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


def write_table_sheet(
    wb: Any,
    styles: Styles,
    bodies: dict[str, Body],
    sheet: str,
    name: str,
    title: str,
    table: tuple[list[str], list[list[Any]]],
    widths: Mapping[str, float],
    header: str,
    kinds: dict[str, str] | None = None,
    severity_column: int | None = None,
    row_kinds: Callable[[Sequence[Any]], dict[str, str]] | None = None,
    total: list[Any] | None = None,
    first_row: int = 2,
) -> None:
    """A sheet with a title and one table (its header at `first_row`); its rows go into `bodies`, added
    when the workbook is saved."""
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
    _define_table(ws, styles, first_row, name, headers, gapped, 1)  # sheetrows.save() widens it over the rows
    body = first_row + 1
    bodies[sheet] = _body(styles, body, table, gapped, _wrapped_heights(table, widths, kinds), row_kinds, name)
    if total:
        write_total(ws, styles, body + len(rows), headers, total, kinds)
    if severity_column is not None and rows:
        last = first_row + len(rows)
        for word, style in (("Fel", styles.red), ("Varning", styles.yellow)):
            ws.conditional_format(
                body,
                severity_column,
                last,
                severity_column,
                {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": style},
            )
    ws.freeze_panes(body, 0)
    page_setup(ws, header, footer=FOOTER)
    ws.repeat_rows(first_row)


def _wrapped_heights(
    table: tuple[list[str], list[list[Any]]], widths: Mapping[str, float], kinds: dict[str, str]
) -> list[float]:
    """Each row's height in points (0: the default), as its wrapped text needs.

    Spreadsheet applications fit wrapped rows when they edit them, not when they open a file.
    Column by column: the wrapped lines of each row's text, and the points of its hash; a row's
    height is its tallest cell's, where that needs more than one line.
    """
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


def key_colours(ws: Any, styles: Styles, rows: dict[str, int]) -> None:
    """The key figures' traffic lights: goals and assignments by their colour, the deviation green or red (the
    error count, red above 0, is on "Källor": namnd/summary.py's write_source_figures). `rows`: defined name →
    its 0-based row in column A/B (a level may leave some out)."""
    for name, style in (
        (MAL_HELT, styles.green),
        (MAL_DELVIS, styles.yellow),
        (MAL_INTE, styles.red),
        (MAL_EJ_BEDOMT, styles.grey),
        (UPPDRAG_VERKSTALLS, styles.green),
        (UPPDRAG_FORSKJUTS, styles.yellow),
        (UPPDRAG_AVBRYTS, styles.red),
    ):
        ws.conditional_format(rows[name], 0, rows[name], 0, {"type": "no_errors", "format": style})
    deviation = rows[AVVIKELSE_TOTAL]
    for criteria, style in ((">", styles.green), ("<", styles.red)):
        ws.conditional_format(
            deviation, 1, deviation, 1, {"type": "cell", "criteria": criteria, "value": 0, "format": style}
        )


def print_header(namnd: str, rapport: str, periodslut: date | None) -> str:
    """The printed header of every summary sheet: who, which sheet, which report and period."""
    period = periodslut.isoformat() if periodslut else ""
    return f"&L{namnd.replace('&', '&&')}&C&A&R{rapport} per {period}"


def write_text_sheet(wb: Any, styles: Styles, blocks: list[Any], note: str, header: str) -> None:
    """The Text sheet of either level: the tjänsteskrivelse's blocks (namnd/document.py's model, rendered
    by `lines` as the terminal shows them), one paragraph a row, as high as its wrapped text."""
    from delar_xl.namnd.document import BLANK, TEXT, grouped_lines

    ws = wb.add_worksheet("Text")
    ws.set_column(0, 0, TEXT_WIDTH)
    ws.write_string(0, 0, "Förslag till text för tjänsteskrivelsen", styles.title)
    ws.set_row(0, 22)
    ws.write_string(1, 0, note, styles.note)
    rows = grouped_lines(blocks)
    heights: list[float] = []
    for offset, (paragraph, kind, _) in enumerate(rows):
        row = 3 + offset
        if kind == TEXT:
            write_text_cell(ws, styles, row, 0, paragraph, wrap=True)
        elif kind != BLANK:
            ws.write_string(row, 0, paragraph, styles.heading_wrap)
        heading = kind not in (TEXT, BLANK)
        height = row_height([(paragraph, TEXT_WIDTH * TEXT_FIT * (0.8 if heading else 1))])
        if kind == TEXT and not paragraph.startswith("- "):
            height = (height or 15.0) + PARAGRAPH_SPACE  # a paragraph's own space below; list lines keep none
        if height:
            ws.set_row(row, height)
        heights.append(height or 15.0)
    page_setup(ws, header, landscape=False, footer=FOOTER)
    ws.print_area(0, 0, 3 + len(rows), 0)
    # Headings kept with what follows, lists of bilagor and mottagare whole (issue 22: "Bakgrund" alone at
    # a page foot, "Beslutet skickas till" split over two pages)
    breaks = text_page_breaks(
        [group for _, _, group in rows],
        heights,
        [kind == BLANK for _, kind, _ in rows],
        first_page_used=22.0 + 15.0 * 2,
    )
    if breaks:
        ws.set_h_pagebreaks([3 + i for i in breaks])


# A portrait A4 page's printable height in points (842 less the 0,75" margins), with room to spare for
# the difference between our estimated row heights and the ones Excel or LibreOffice lays out.
TEXT_PAGE_POINTS = (842 - 2 * 54) * 0.9


def text_page_breaks(
    groups: list[int],
    heights: list[float],
    blank: list[bool],
    first_page_used: float = 0.0,
    page: float = TEXT_PAGE_POINTS,
) -> list[int]:
    """The line indexes before which a new page starts: a group (a heading with what follows it, a list)
    that fits on a page but not on the rest of this one begins the next; a longer one flows on."""
    breaks: list[int] = []
    used = first_page_used
    i = 0
    while i < len(groups):
        j = i
        while j < len(groups) and groups[j] == groups[i]:
            j += 1
        size = sum(heights[i:j])
        if used + size > page and size <= page and used > 0:
            start = next((k for k in range(i, j) if not blank[k]), i)  # never a page that opens blank
            breaks.append(start)
            used = sum(heights[start:j])
        else:
            used += size
            while used > page:  # a group longer than a page: the engine breaks it where it must
                used -= page
        i = j
    return breaks
