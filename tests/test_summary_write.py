"""What keeps the summary write lean (issue 14): guards against regressions that no other test sees,
because the workbook would still look the same — only bigger, slower or hungrier to write."""

from __future__ import annotations

import re
import sys
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from delar_xl.namnd import document as D
from delar_xl.namnd import summary as S
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.result import Result
from delar_xl.template import declaration as T

PER_CELL_LIMIT = 200  # bytes; measured 157 with sheetrows.py (204 before it; 257 before issue 14)
BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Result]:
    """Results of 2 and 10 of the benchmark's realistic templates (every tenth has 100 Ekonomi rows)."""
    sys.path.insert(0, str(BENCH))
    try:
        import make_templates

        root = tmp_path_factory.mktemp("bench")
        return {n: consolidate([make_templates.ensure_templates(n, root=root, workers=1, quiet=True)]) for n in (2, 10)}
    finally:
        sys.path.remove(str(BENCH))


def _cell_formats(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("xl/styles.xml").decode("utf-8")
    match = re.search(r'<cellXfs count="(\d+)"', styles)
    assert match
    return int(match.group(1))


def _cells(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        return sum(zf.read(n).count(b"<c ") for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))


def test_formats_are_few_and_do_not_grow_with_the_data(generated: dict[int, Result], tmp_path: Path) -> None:
    """Formats are resolved once per column kind: the same handful whatever the number of rows."""
    small = S.write_summary(generated[2], tmp_path / "liten.xlsx")
    large = S.write_summary(generated[10], tmp_path / "stor.xlsx")
    assert _cell_formats(small) == _cell_formats(large) <= 32
    assert _cells(large) > 4 * _cells(small)


def test_table_bodies_have_no_styled_blank_cells(generated: dict[int, Result], tmp_path: Path) -> None:
    """An empty value writes no cell: a styled blank is one more cell to hold and write, and shows nothing."""
    path = S.write_summary(generated[10], tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    blanks = 0
    for table in T.TABLES:
        ws = wb[table.sheet]
        for row in ws[ws.tables[table.name].ref][1:]:
            for cell in row:
                if cell.value is None:
                    blanks += 1
                    assert not cell.has_style, (table.sheet, cell.coordinate)
    assert blanks > 100  # Föregående prognos is empty in these templates: the check saw empty cells
    ekonomi = wb["Ekonomi"]
    total_row = ekonomi[ekonomi.tables["Ekonomi"].ref][-1][0].row + 1
    assert ekonomi.cell(total_row, 1).value == "Summa"
    assert ekonomi.cell(total_row, 9).border.top.style == "thin"  # the rule under a table stays whole


def _write_peak(result: Result, path: Path) -> tuple[int, int]:
    """(Python heap peak of one write_summary in bytes, cells written)."""
    tracemalloc.start()
    try:
        S.write_summary(result, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, _cells(path)


def test_writer_holds_little_per_cell(generated: dict[int, Result], tmp_path: Path) -> None:
    """The Python heap the write needs for each further cell (10 templates against 2, so what every
    write needs once cancels out). The table sheets' rows are held as their XML until the package
    is saved (sheetrows.py); XlsxWriter is given each table over its header and one row, so it
    keeps no per-cell record of the range."""
    S.write_summary(generated[2], tmp_path / "warm.xlsx")  # imports and caches outside the measurement
    small_peak, small_cells = _write_peak(generated[2], tmp_path / "liten.xlsx")
    large_peak, large_cells = _write_peak(generated[10], tmp_path / "stor.xlsx")
    per_cell = (large_peak - small_peak) / (large_cells - small_cells)
    assert per_cell < PER_CELL_LIMIT, f"{per_cell:.0f} B per cell"


def test_the_text_is_built_once_per_write(
    generated: dict[int, Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = D.document

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(D, "document", counting)
    S.write_summary(generated[2], tmp_path / "s.xlsx")
    assert len(calls) == 1
