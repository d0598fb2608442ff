"""What the summary shows a reader: charts that follow the totals, counts explained, print layout.

Summaries are written by the product from real template files and inspected through openpyxl and
the raw package parts (chart XML, styles), never by comparing screenshots.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from delar_xl import summary as S
from delar_xl.consolidation import Result, consolidate
from delar_xl.demo import Demo, example_templates
from delar_xl.generate import write_template

VOS = "Verksamhetsstöd och service"


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def table_cells(wb: openpyxl.Workbook, name: str):
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws[ws.tables[name].ref]
    raise KeyError(name)


def chart_ranges(path: Path) -> list[str]:
    """Every cell range the workbook's charts draw from (categories and values)."""
    with zipfile.ZipFile(path) as zf:
        parts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
        return [ref for part in parts for ref in re.findall(r"<c:f>([^<]+)</c:f>", zf.read(part).decode())]


def chart_titles(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        parts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
        return ["".join(re.findall(r"<a:t>([^<]*)</a:t>", zf.read(p).decode())) for p in parts]


def rows_of(ref: str) -> set[int]:
    first, last = re.search(r"\$[A-Z]+\$(\d+):\$[A-Z]+\$(\d+)$", ref).groups()
    return set(range(int(first), int(last) + 1))


def sheet_texts(ws) -> list[str]:
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


@pytest.fixture(scope="module")
def excluded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """VOS (the second file) has a Fel and is left out of the totals."""
    folder = tmp_path_factory.mktemp("excluded")
    klf, vos, ll = example_templates()
    vos = replace(vos, goals=[replace(g, assessment="Kanske") if g.goal_id == "KS-M13" else g for g in vos.goals])
    paths = [write_template(folder / f"Bilaga {i} – {t.meta.forvaltning}.xlsx", t)
             for i, t in enumerate([klf, vos, ll], 1)]
    result = consolidate(paths)
    return result, S.write_summary(result, folder / "ut" / "Sammanställning.xlsx")


# 1. Charts follow the totals ------------------------------------------------------------------


def test_charts_leave_out_the_excluded_forvaltning(excluded: tuple[Result, Path]) -> None:
    path = excluded[1]
    ws, cells = table_cells(load(path), "Forvaltningar")
    row_of = {row[0].value: row[0].row for row in cells[1:]}
    drawn = set().union(*(rows_of(ref) for ref in chart_ranges(path)))
    assert drawn == {row_of["Kommunledningsförvaltningen"], row_of["Leanlink"]}
    assert row_of[VOS] not in drawn


def test_charts_say_they_show_only_the_included(excluded: tuple[Result, Path]) -> None:
    titles = chart_titles(excluded[1])
    assert titles == ["Avvikelse helår per förvaltning (mnkr) – bara de som ingår i summorna",
                      "Nämndmål per förvaltning – bara de som ingår i summorna"]
    texts = sheet_texts(load(excluded[1])[S.SUMMARY_SHEET])
    assert (f"Summorna och diagrammen är ofullständiga: {VOS} ingår inte (se Status i tabellen "
            "Per förvaltning och bladet Kontroll).") in texts


def test_excluded_forvaltning_listed_after_the_included(excluded: tuple[Result, Path]) -> None:
    ws, cells = table_cells(load(excluded[1]), "Forvaltningar")
    assert [row[0].value for row in cells[1:]] == ["Kommunledningsförvaltningen", "Leanlink", VOS]
    assert cells[-1][11].value == "Utesluten: fel i mallen – ingår inte i summorna"


def test_charts_of_a_complete_summary_draw_every_row(demo: Demo) -> None:
    ws, cells = table_cells(load(demo.summary), "Forvaltningar")
    drawn = set().union(*(rows_of(ref) for ref in chart_ranges(demo.summary)))
    assert drawn == {row[0].row for row in cells[1:]}
    assert chart_titles(demo.summary) == ["Avvikelse helår per förvaltning (mnkr)", "Nämndmål per förvaltning"]


# 2. Counts explained --------------------------------------------------------------------------


def test_shared_goal_is_explained_under_the_table(demo: Demo) -> None:
    wb = load(demo.summary)
    ws, cells = table_cells(wb, "Forvaltningar")
    last = cells[-1][0].row
    below = [ws.cell(r, 1).value for r in range(last + 1, last + 5)]
    assert below == [None, "Mål-id KS-M05 bedöms av två förvaltningar och räknas en gång i nyckeltalen.",
                     "Därför kan kolumnerna per förvaltning summera till mer än nyckeltalen.", None]
    # The figures the note explains: 19 in the columns, 18 in Nyckeltal.
    goal_columns = sum(v for row in cells[1:] for v in (c.value for c in row[4:8]))
    assert goal_columns == 19 and demo.result.goal_counts() and sum(demo.result.goal_counts().values()) == 18


def test_no_count_note_without_shared_ids(excluded: tuple[Result, Path]) -> None:
    assert S.count_notes(excluded[0]) == []  # KS-M05's second assessor (VOS) is left out


def test_shared_assignment_is_explained(tmp_path: Path) -> None:
    klf, vos, ll = example_templates()
    ll = replace(ll, assignments=ll.assignments + [klf.assignments[0]])
    paths = [write_template(tmp_path / f"{i}.xlsx", t) for i, t in enumerate([klf, vos, ll])]
    notes = S.count_notes(consolidate(paths))
    assert "Uppdrag-id KS-U01 rapporteras av två förvaltningar och räknas en gång i nyckeltalen." in notes
