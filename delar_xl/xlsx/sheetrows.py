"""The rows of the summary's table sheets, written as worksheet XML and added to XlsxWriter's package.

XlsxWriter writes everything else (titles, tables, formats, widths, print setup, charts). For the
table sheets' data rows — at 300 templates ~165 000 cells, at 3 000 ten times more — it spends
about 9 µs a cell: a cell object when the cell is written, then generic XML helpers per cell and
attribute at `close()`. That was most of a `konsolidera`. Here each row is one string built with
a few f-strings (~1 µs a cell), and `save()` puts the rows into the sheet parts when the package
is zipped, widening the sheet's dimension and its table's range over them. Strings are written
inline (`t="inlineStr"`), as XlsxWriter itself does in its `constant_memory` mode, so no
shared-string table has to be merged.

Text is always written as text, never as a formula: `<c t="inlineStr">` has no formula, and text
that a spreadsheet could take for one on editing gets the quote-prefix style (RISKY_START).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from delar_xl.xlsx.cells import EXCEL_TEXT_MAX as MAX_TEXT
from delar_xl.xlsx.cells import SHORTENED, column_index, column_letter

RISKY_START = frozenset(("=", "+", "-", "@", "\t", "\r", "\n"))  # a text a spreadsheet could read as a formula
# Excel's escape for characters XML cannot hold (and for text that looks like that escape).
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/>')
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 for dates from 1900-03-01 (its 1900 leap-year bug)


def style_index(cell_format: Any) -> int:
    """The number a cell's `s` attribute needs for an XlsxWriter format.

    XlsxWriter numbers a format when it first writes a cell in it (`Format._get_xf_index`, which
    it calls itself while writing worksheets, before it writes styles.xml); asking here only moves
    that moment earlier. It is the one private call this module makes: tests/test_sheetrows.py
    reads every style back, so an XlsxWriter that changes it fails there, not in a user's file.
    """
    return cell_format._get_xf_index()


@dataclass(frozen=True, slots=True)
class Column:
    """How one column's cells are written: the XlsxWriter format for each kind of value.

    A format gets its style number when the first cell needs it, so a format no cell uses (a
    date format in a column without dates) is not added to the file.
    """

    letter: str
    text: Any  # plain text (wrapped or not, indented or not: the format says)
    quoted: Any  # text that starts like a formula: the same with quote prefix
    number: Any
    date: Any
    boolean: Any  # "Ja"/"Nej"
    hashed: bool = False  # hex digits: never cut, never quoted


@dataclass
class Body:
    """A table sheet's data rows, rendered, waiting for the package to be saved."""

    first_row: int  # 0-based, as XlsxWriter counts
    last_col: int  # 0-based
    rows: list[str] = field(default_factory=list)
    table: str = ""  # the Excel table (header row just above) that save() widens over the rows

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1


def render_rows(
    rows: Iterable[Sequence[Any]],
    first_row: int,
    columns: Sequence[Column],
    heights: Sequence[float] = (),
    row_columns: Callable[[Sequence[Any]], Sequence[Column]] | None = None,
    table: str = "",
) -> Body:
    """The rows as `<row>` elements from `first_row` (0-based).

    An empty value ("" or None) writes no cell, as an unstyled blank shows nothing. `heights[i]`
    (points, 0 for the default) sets row i's height. `row_columns(values)`, when given, chooses
    the columns for one row (a count in a column of amounts is shown without decimals). `table`
    names the Excel table whose header row is just above: declare it to XlsxWriter over its
    header and one row, and save() widens it over all the rows (XlsxWriter's `add_table` checks
    and records every cell of the range it is given, ~0,1 s at 300 templates).
    """
    body = Body(first_row, len(columns) - 1, table=table)
    numbers: dict[int, int] = {}

    def s(cell_format: Any) -> int:
        number = numbers.get(id(cell_format))
        if number is None:
            number = numbers[id(cell_format)] = style_index(cell_format)
        return number

    prepared: dict[int, list[tuple[Column, str, str, str]]] = {}

    def prepare(row_columns: Sequence[Column]) -> list[tuple[Column, str, str, str]]:
        # For each column, the parts of a plain text cell and of a number cell that do not change
        # from row to row. (Style numbers are asked for here, on the first row that uses the columns.)
        if id(row_columns) not in prepared:
            prepared[id(row_columns)] = [
                (
                    column,
                    column.letter,
                    f'" s="{s(column.text)}" t="inlineStr"><is><t>',
                    f'" s="{s(column.number)}"><v>',
                )
                for column in row_columns
            ]
        return prepared[id(row_columns)]

    append = body.rows.append
    for index, values in enumerate(rows):
        number = first_row + index + 1
        row = str(number)
        height = heights[index] if index < len(heights) else 0
        cells = [f'<row r="{row}" ht="{height:g}" customHeight="1">' if height else f'<row r="{row}">']
        for value, (column, letter, text_open, number_open) in zip(
            values, prepare(row_columns(values) if row_columns else columns)
        ):
            cls = value.__class__
            # The two cells nearly every row is made of are built here; the rest by _cell().
            if (
                cls is str
                and value
                and value[0] not in RISKY_START
                and not value[0].isspace()
                and not value[-1].isspace()
                and len(value) <= MAX_TEXT
                and not column.hashed
                and not _NEEDS_ESCAPE.search(value)
            ):
                if "&" in value or "<" in value or ">" in value:
                    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                cells.append(f'<c r="{letter}{row}{text_open}{value}</t></is></c>')
            elif (cls is float or cls is int) and math.isfinite(value):
                cells.append(f'<c r="{letter}{row}{number_open}{value:.16G}</v></c>')
            else:
                cell = _cell(value, column, number, s)
                if cell:
                    cells.append(cell)
        cells.append("</row>")
        append("".join(cells))
    return body


def _cell(value: Any, column: Column, row: int, s: Callable[[Any], int]) -> str:
    cls = value.__class__
    if cls is str:
        return _text_cell(value, column, row, s) if value else ""
    if cls is float or cls is int:
        if not math.isfinite(value):
            return f'<c r="{column.letter}{row}" s="{s(column.number)}" t="e"><v>#NUM!</v></c>'
        return f'<c r="{column.letter}{row}" s="{s(column.number)}"><v>{value:.16G}</v></c>'
    if value is None:
        return ""
    if cls is bool:
        return _inline(column.letter, row, s(column.boolean), "Ja" if value else "Nej")
    if isinstance(value, (datetime, date)):
        return f'<c r="{column.letter}{row}" s="{s(column.date)}"><v>{excel_serial(value):.16G}</v></c>'
    if isinstance(value, (int, float)):  # a subclass (numpy, IntEnum): its plain value
        return _cell(float(value), column, row, s)
    return _text_cell(str(value), column, row, s)


def _text_cell(text: str, column: Column, row: int, s: Callable[[Any], int]) -> str:
    if column.hashed:
        return _inline(column.letter, row, s(column.text), text)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 20] + SHORTENED  # the reader has reported it as Fel; the cut is marked
    return _inline(column.letter, row, s(column.quoted if text[0] in RISKY_START else column.text), text)


def _inline(letter: str, row: int, style: int, text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", _LITERAL_ESCAPE.sub(r"_x005F\1", text))
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c r="{letter}{row}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def excel_serial(value: date | datetime) -> float:
    """The day number Excel shows a date or time as (the 1900 date system)."""
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    serial = (moment.replace(tzinfo=None) - _EPOCH).total_seconds() / 86_400
    return serial if serial >= 61 else serial - 1 if serial >= 1 else serial  # Excel's 1900-02-29


# Saving ----------------------------------------------------------------------------------


def save(package: bytes, bodies: dict[str, Body], path: Path) -> None:
    """Write XlsxWriter's `package` to `path` with each sheet's body (by sheet name) in its rows.

    Every other part is copied as it is. A body must not overlap rows XlsxWriter wrote itself.
    """
    from delar_xl.xlsx.parts import parse_workbook, sheet_parts

    with zipfile.ZipFile(io.BytesIO(package)) as source:
        parts = sheet_parts(source, parse_workbook(source))
        by_part = {parts[sheet]: body for sheet, body in bodies.items() if body.rows}
        by_table = {body.table: body for body in bodies.values() if body.rows and body.table}
        # zlib's fastest level for the sheets with rows, which are most of the package: a third of
        # the default's time for about 30 % more bytes (1,3 MB instead of 1,0 MB at 300 templates).
        # Every other part keeps the default level (`writestr` with the part's own ZipInfo).
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for info in source.infolist():
                data = source.read(info)
                body = by_part.get(info.filename)
                if body is not None:
                    _write_sheet(target, info, data, body)
                elif by_table and info.filename.startswith("xl/tables/"):
                    target.writestr(info, _widened_table(data, by_table))
                else:
                    target.writestr(info, data)


def _write_sheet(target: zipfile.ZipFile, info: zipfile.ZipInfo, xml: bytes, body: Body) -> None:
    before, after = _split_at_body(xml, body)
    with target.open(info.filename, "w", force_zip64=True) as out:  # at the target's level
        out.write(_with_dimension(before, body))
        for start in range(0, len(body.rows), 2_000):  # bounded pieces: the rows are never joined whole
            out.write("".join(body.rows[start : start + 2_000]).encode("utf-8"))
        out.write(after)


def _split_at_body(xml: bytes, body: Body) -> tuple[bytes, bytes]:
    """The sheet XML before and after the place of the body's rows (rows are kept in order)."""
    first, last = body.first_row + 1, body.last_row + 1
    for match in _ROW_NUMBER.finditer(xml):
        number = int(match.group(1))
        if first <= number <= last:
            raise ValueError(f"rad {number} skrivs både av XlsxWriter och som tabellrad")
        if number > last:
            return xml[: match.start()], xml[match.start() :]
    if b"<sheetData/>" in xml:
        head, tail = xml.split(b"<sheetData/>", 1)
        return head + b"<sheetData>", b"</sheetData>" + tail
    end = xml.index(b"</sheetData>")
    return xml[:end], xml[end:]


_TABLE_NAME = re.compile(rb'<table [^>]*?\bname="([^"]*)"')
_TABLE_REF = re.compile(rb'(<(?:table|autoFilter) [^>]*?\bref=")([A-Z]+\d+:[A-Z]+\d+)(")')


def _widened_table(xml: bytes, by_table: dict[str, Body]) -> bytes:
    """A table part whose range (and its filter's) reaches the last of its body's rows."""
    match = _TABLE_NAME.search(xml)
    body = by_table.get(match.group(1).decode("utf-8")) if match else None
    if body is None:
        return xml
    ref = f"A{body.first_row}:{column_letter(body.last_col)}{body.last_row + 1}".encode()
    return _TABLE_REF.sub(lambda m: m.group(1) + ref + m.group(3), xml)


def _with_dimension(xml: bytes, body: Body) -> bytes:
    """The `<dimension>` widened to cover the body: applications size the used area from it."""
    match = _DIMENSION.search(xml)
    if match is None:
        return xml
    first_col, first_row = match.group(1).decode(), int(match.group(2))
    last_col = match.group(3).decode() if match.group(3) else first_col
    last_row = int(match.group(4)) if match.group(4) else first_row
    last_col = column_letter(max(column_index(last_col), body.last_col))
    last_row = max(last_row, body.last_row + 1)
    ref = f'<dimension ref="{first_col}{first_row}:{last_col}{last_row}"/>'.encode()
    return xml[: match.start()] + ref + xml[match.end() :]


__all__ = [
    "Body",
    "Column",
    "render_rows",
    "save",
    "style_index",
    "excel_serial",
    "RISKY_START",
    "MAX_TEXT",
    "SHORTENED",
]
