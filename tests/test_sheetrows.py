"""The table sheets' rows written as XML (delar_xl/sheetrows.py) read back exactly as the same rows
written cell by cell through XlsxWriter: value, type and every part of the style, in openpyxl and
python-calamine. The one private XlsxWriter call (`style_index`) is proved here."""

from __future__ import annotations

import math
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from delar_xl.namnd import book as S
from delar_xl.namnd.layout import with_gaps
from delar_xl.xlsx import sheetrows as R

HEADERS = ["Förvaltning", "Belopp", "Kommentar", "Antal", "Text", "SHA-256", "Datum", "Flagga"]
KINDS = {"Belopp": "tkr_signed", "Kommentar": "wrap", "Antal": "count", "SHA-256": "hash", "Datum": "date"}
LONG = "ord " * 9_000  # over Excel's 32 767 characters: cut and marked
ROWS: list[list[Any]] = [
    ["Kommunledning", -415_100.25, "Vakanser & <höga> kostnader", 3, "=1+1", "ab" * 32, date(2021, 8, 31), True],
    ["Leanlink", 0, "", 0, "+46 13 20 00 00", "", datetime(2021, 10, 5, 12, 30), False],
    ["VoS", 12_800_000, "rad ett\nrad två", 1.5, "-bra", None, date(1900, 1, 15), None],
    ["  mellanslag  ", 1e-7, "styr\x01tecken _x0041_ kvar", -2, "@SUM(A1:A2)", "ff", date(1900, 3, 1), ""],
    ["Ünïcödé − ✓ 😀", 123456789.123456789, LONG, 10**15, "\tflik", "00", date(2099, 12, 31), "Ja"],
    ["", None, None, None, None, None, None, None],
]
LITERAL_ESCAPE_CELL = "C7"  # "styr\x01tecken _x0041_ kvar"


def _write_both(path: Path, rows: list[list[Any]] = ROWS) -> None:
    """Sheet "Celler": XlsxWriter's own cells (summary._add_table); sheet "Rader": sheetrows."""
    wb, package, bodies = S.open_workbook()
    styles = S.Styles(wb)
    cells = wb.add_worksheet("Celler")
    S.add_table(cells, styles, 2, "Celler", (HEADERS, rows), KINDS)
    lines = wb.add_worksheet("Rader")
    gapped = with_gaps(HEADERS, KINDS)
    S._define_table(lines, styles, 2, "Rader", HEADERS, gapped, 1)  # widened by save() over the rows
    bodies["Rader"] = S._body(styles, 3, (HEADERS, rows), gapped, [0.0, 45.0], name="Rader")
    S.save_workbook(wb, package, bodies, path)


def _style(cell: Any) -> tuple[Any, ...]:
    return (
        cell.number_format,
        cell.quotePrefix,
        cell.font.b,
        cell.font.name,
        cell.font.sz,
        cell.alignment.wrap_text,
        cell.alignment.indent,
        cell.alignment.horizontal,
        cell.alignment.vertical,
        cell.fill.fgColor.rgb,
        cell.border.top.style,
    )


def test_rows_read_back_as_xlsxwriters_own_cells(tmp_path: Path) -> None:
    path = tmp_path / "båda.xlsx"
    _write_both(path)
    wb = openpyxl.load_workbook(path)
    cells, lines = wb["Celler"], wb["Rader"]
    compared = 0
    for r in range(4, 4 + len(ROWS)):
        for c in range(1, len(HEADERS) + 1):
            mine, theirs = lines.cell(r, c), cells.cell(r, c)
            where = f"{mine.coordinate} ({HEADERS[c - 1]})"
            if mine.coordinate == LITERAL_ESCAPE_CELL:
                # openpyxl decodes Excel's _xHHHH_ escape in shared strings but not in inline ones;
                # the bytes are XlsxWriter's own (test_cells_are_xlsxwriters_constant_memory_cells)
                # and calamine reads both alike (test_calamine_reads_the_same_values).
                assert mine.value == theirs.value.replace("_x0041_", "_x005F_x0041_"), where
            else:
                assert mine.value == theirs.value, where
            assert mine.data_type == theirs.data_type, where
            assert (mine.has_style, _style(mine)) == (theirs.has_style, _style(theirs)), where
            compared += mine.value is not None
    assert compared > 30
    assert lines.cell(4, 5).value == "=1+1" and lines.cell(4, 5).quotePrefix  # text, never a formula
    assert lines.cell(8, 3).value.endswith(" … [förkortad]") and len(lines.cell(8, 3).value) <= R.MAX_TEXT
    assert lines.tables["Rader"].ref == cells.tables["Celler"].ref == "A3:H9"
    assert lines.tables["Rader"].autoFilter.ref == "A3:H9"


def test_calamine_reads_the_same_values(tmp_path: Path) -> None:
    path = tmp_path / "båda.xlsx"
    _write_both(path)
    book = CalamineWorkbook.from_path(str(path))
    theirs = book.get_sheet_by_name("Celler").to_python()
    mine = book.get_sheet_by_name("Rader").to_python()
    assert mine == theirs
    assert any("Vakanser & <höga> kostnader" in row for row in mine)


def test_row_heights_and_dimension(tmp_path: Path) -> None:
    path = tmp_path / "båda.xlsx"
    _write_both(path)
    wb = openpyxl.load_workbook(path)
    lines = wb["Rader"]
    assert lines.row_dimensions[5].height == 45.0
    assert lines.row_dimensions[4].height is None
    assert lines.row_dimensions[3].height == 30  # XlsxWriter's header row, kept
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet2.xml").decode("utf-8")
    assert '<dimension ref="A3:H9"/>' in xml  # the header (XlsxWriter's) and the six rows
    numbers = [int(n) for n in re.findall(r'<row r="(\d+)"', xml)]
    assert numbers == sorted(set(numbers))  # every row once, in order


def test_a_body_that_overlaps_xlsxwriters_rows_is_refused(tmp_path: Path) -> None:
    wb, package, bodies = S.open_workbook()
    styles = S.Styles(wb)
    ws = wb.add_worksheet("Blad")
    ws.write_string(4, 0, "skrivs av XlsxWriter", styles.text)
    column = R.Column("A", styles.text, styles.quoted, styles.number, styles.date, styles.text)
    bodies["Blad"] = R.render_rows([["a"], ["b"], ["c"]], 3, [column])
    with pytest.raises(ValueError, match="rad 5"):
        S.save_workbook(wb, package, bodies, tmp_path / "x.xlsx")


def test_rows_go_before_what_follows_the_table(tmp_path: Path) -> None:
    """A total row under the table (written by XlsxWriter) stays under it."""
    wb, package, bodies = S.open_workbook()
    styles = S.Styles(wb)
    ws = wb.add_worksheet("Blad")
    ws.write_string(0, 0, "Rubrik", styles.title)
    ws.write_string(6, 0, "Summa", styles.label)
    column = R.Column("A", styles.text, styles.quoted, styles.number, styles.date, styles.text)
    bodies["Blad"] = R.render_rows([["a"], [1.5], ["c"]], 3, [column])
    S.save_workbook(wb, package, bodies, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["Blad"]
    assert [ws.cell(r, 1).value for r in range(1, 8)] == ["Rubrik", None, None, "a", 1.5, "c", "Summa"]


def test_numbers_that_are_not_finite_become_an_error_value(tmp_path: Path) -> None:
    wb, package, bodies = S.open_workbook()
    styles = S.Styles(wb)
    wb.add_worksheet("Blad").write_string(0, 0, "Rubrik", styles.title)
    column = R.Column("A", styles.text, styles.quoted, styles.number, styles.date, styles.text)
    bodies["Blad"] = R.render_rows([[math.nan], [math.inf], [2.0]], 1, [column])
    S.save_workbook(wb, package, bodies, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["Blad"]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["#NUM!", "#NUM!", 2]


@pytest.mark.parametrize(
    "day",
    [
        date(1900, 1, 1),
        date(1900, 2, 28),
        date(1900, 3, 1),
        date(2021, 8, 31),
        datetime(2021, 10, 5, 18, 0),
        date(9999, 12, 31),
    ],
)
def test_excel_serial_is_xlsxwriters(day: date) -> None:
    from xlsxwriter.utility import _datetime_to_excel_datetime

    assert R.excel_serial(day) == _datetime_to_excel_datetime(day, False, False)


def test_unused_formats_are_not_added(tmp_path: Path) -> None:
    """A column's date and Ja/Nej formats are added to the file only when a cell uses them."""

    def formats(rows: list[list[Any]]) -> int:
        wb, package, bodies = S.open_workbook()
        styles = S.Styles(wb)
        wb.add_worksheet("Blad").write_string(0, 0, "Rubrik", styles.title)
        column = R.Column(
            "B", styles.text, styles.quoted, styles.number, styles.indented(styles.date), styles.indented(styles.label)
        )
        bodies["Blad"] = R.render_rows(rows, 1, [column])
        S.save_workbook(wb, package, bodies, tmp_path / "x.xlsx")
        with zipfile.ZipFile(tmp_path / "x.xlsx") as zf:
            return int(re.search(r'<cellXfs count="(\d+)"', zf.read("xl/styles.xml").decode()).group(1))

    assert formats([["text"], [1.0], [date(2021, 1, 1)], [True]]) == formats([["text"], [1.0]]) + 2


def test_cells_are_xlsxwriters_constant_memory_cells(tmp_path: Path) -> None:
    """Byte for byte (style numbers aside) the cells XlsxWriter writes itself in its constant_memory
    mode, which also writes strings inline: the same escapes, whitespace rule and number format."""
    import xlsxwriter

    values = [
        "styr\x01tecken _x0041_ kvar & <x> \ufffe",
        " mellanslag ",
        "rad\nrad",
        1e-7,
        123456789.123456789,
        -415_100.25,
        0,
        10**15,
        "=1+1",
        "Ünïcödé − ✓ 😀",
    ]
    path = tmp_path / "cm.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet()
    fmt = wb.add_format({"bold": True})
    for col, value in enumerate(values):
        (ws.write_string if isinstance(value, str) else ws.write_number)(0, col, value, fmt)
    wb.close()
    with zipfile.ZipFile(path) as zf:
        theirs = re.search(r"<row [^>]*>.*?</row>", zf.read("xl/worksheets/sheet1.xml").decode(), re.S).group()
    columns = [R.Column(S.column_letter(c), fmt, fmt, fmt, fmt, fmt) for c in range(len(values))]
    mine = R.render_rows([values], 0, columns, row_columns=None).rows[0]

    def plain(xml: str) -> str:
        return re.sub(r' (s|spans)="[^"]*"', "", xml)

    assert plain(mine) == plain(theirs)
