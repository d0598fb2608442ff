"""xlsx/writer.py's declared tables: the rows a table offers follow its declaration (xlsx/schema.py).

A table people add rows to gets spare rows under the filled ones; a table whose rows the generator
fixes (the finansförvaltning's posts, contract §9) gets exactly those rows, a protected sheet and a
print area of those rows. Written with the product's writer, read back with openpyxl.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from delar_xl.xlsx.schema import SPARE_ROWS, Column, Kind, Table
from delar_xl.xlsx.writer import formats, new_workbook, write_table

COLUMNS = (Column("key", "Id", Kind.ID, 10, "Id."), Column("amount", "Belopp", Kind.AMOUNT, 12, "Belopp i tkr."))
OPEN = Table("Oppen", "Öppen", "Öppen tabell", "Rader får läggas till.", COLUMNS, blank_rows=6)
FIXED = Table("Fast", "Fast", "Fasta rader", "Raderna är fasta.", COLUMNS, blank_rows=2, fixed_rows=True)
ROWS: list[list[object]] = [["A", 1], ["B", 2]]


def written(tmp_path: Path, table: Table, rows: list[list[object]], protect: bool = True):
    path = tmp_path / f"{table.name}.xlsx"
    wb = new_workbook(path)
    write_table(wb, formats(wb), "&LTest", table, rows, protect=protect)
    wb.close()
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))[table.sheet]


def test_an_open_table_offers_spare_rows_and_no_print_area(tmp_path: Path) -> None:
    ws = written(tmp_path, OPEN, ROWS)
    assert SPARE_ROWS == 5 and OPEN.rows_offered(len(ROWS)) == 7
    assert ws.tables["Oppen"].ref == "A4:B11"  # the two rows and five spare ones
    assert not ws.print_area  # a fixed print area would not grow with the table
    assert OPEN.rows_offered(0) == 6
    assert written(tmp_path, OPEN, []).tables["Oppen"].ref == "A4:B10"  # a blank template: its blank rows


def test_a_fixed_table_offers_exactly_its_rows(tmp_path: Path) -> None:
    ws = written(tmp_path, FIXED, ROWS)
    assert FIXED.rows_offered(len(ROWS)) == 2
    assert ws.tables["Fast"].ref == "A4:B6"
    assert [[c.value for c in row] for row in ws["A5:B6"]] == ROWS
    assert ws.print_area == "'Fast'!$A$1:$B$6"
    assert ws.max_row == 6  # nothing under the rows (checked before openpyxl makes A7 by looking at it)
    assert ws.protection.sheet and ws.protection.insertRows and ws["A7"].protection.locked


def test_a_fixed_table_is_always_protected_and_never_empty(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="fixed rows"):
        written(tmp_path, FIXED, ROWS, protect=False)
    with pytest.raises(ValueError, match="fixed rows"):
        written(tmp_path, FIXED, [])
