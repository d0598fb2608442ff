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

from delar_xl.demo.namnd import Demo, example_templates
from delar_xl.namnd import summary as S
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.result import Result
from delar_xl.template.write import write_template

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


def width(ws, letter: str) -> int:
    """A column's width as set (XlsxWriter stores it with its pixel padding: 36 → 36.71)."""
    return int(ws.column_dimensions[letter].width)


def sheet_texts(ws) -> list[str]:
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


@pytest.fixture(scope="module")
def excluded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """VOS (the second file) has a Fel and is left out of the totals."""
    folder = tmp_path_factory.mktemp("excluded")
    klf, vos, ll = example_templates()
    vos = replace(vos, goals=[replace(g, assessment="Kanske") if g.goal_id == "KS-M13" else g for g in vos.goals])
    paths = [
        write_template(folder / f"Bilaga {i} – {t.meta.forvaltning}.xlsx", t) for i, t in enumerate([klf, vos, ll], 1)
    ]
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
    assert titles == [
        "Avvikelse helår per förvaltning (mnkr) – bara de som ingår i summorna",
        "Nämndmål per förvaltning – bara de som ingår i summorna",
    ]
    texts = sheet_texts(load(excluded[1])[S.SUMMARY_SHEET])
    assert (
        f"Summorna och diagrammen är ofullständiga: {VOS} ingår inte (se Status i tabellen "
        "Per förvaltning och bladet Kontroll)."
    ) in texts


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
    below = [ws.cell(r, 1).value for r in range(last + 1, last + 6)]
    assert below == [
        "Totalt (det som ingår i summorna)",
        None,
        "Mål-id KS-M05 bedöms av två förvaltningar och räknas en gång i nyckeltalen.",
        "Därför kan kolumnerna per förvaltning summera till mer än nyckeltalen.",
        None,
    ]
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


# 5. Print layout: alignment, widths, number formats, totals --------------------------------------


def test_numeric_headers_are_right_aligned_like_their_numbers(excluded: tuple[Result, Path]) -> None:
    wb = load(excluded[1])
    checked = 0
    for ws in wb.worksheets:
        for tab in ws.tables.values():
            name = tab.name
            rows = list(ws[tab.ref])
            for col, head in enumerate(rows[0]):
                values = [r[col].value for r in rows[1:] if r[col].value is not None]
                numeric = bool(values) and all(isinstance(v, (int, float)) for v in values)
                assert (head.alignment.horizontal == "right") is numeric, f"{ws.title} {name} {head.value}"
                checked += numeric
    assert checked >= 20


def test_file_columns_are_as_wide_as_their_content(excluded: tuple[Result, Path], tmp_path: Path) -> None:
    wb = load(excluded[1])
    name = "Bilaga 2 – Verksamhetsstöd och service.xlsx"  # 44 characters: wider than the cap, so it wraps
    kontroll = wb["Kontroll"]
    assert width(kontroll, "B") == 36
    assert all(c.alignment.wrap_text for c in kontroll["B"][3:] if c.value == name)
    kallor = wb["Källor"]
    assert width(kallor, "A") == 30
    assert width(kallor, "B") == 28  # "Kommunledningsförvaltningen" + 2 = 29, over the cap: it wraps
    # Short names: narrow columns.
    klf = example_templates()[0]
    path = write_template(tmp_path / "K.xlsx", replace(klf, goals=[replace(klf.goals[0], assessment="x")]))
    short = load(S.write_summary(consolidate([path]), tmp_path / "s.xlsx"))
    assert width(short["Kontroll"], "B") == 16
    assert width(short["Källor"], "A") == 16
    assert width(short["Källor"], "B") == 28  # still Kommunledningsförvaltningen


def test_kallor_prints_the_full_hash_small_and_wrapped(demo: Demo) -> None:
    ws = load(demo.summary)["Källor"]
    cells = [row[3] for row in ws[ws.tables["Kallor"].ref][1:]]
    assert all(re.fullmatch(r"[0-9a-f]{64}", c.value) for c in cells)
    assert {(c.font.name, c.font.sz, c.alignment.wrap_text) for c in cells} == {("Courier New", 8, True)}
    assert width(ws, "D") == S.HASH_WIDTH
    assert all(ws.row_dimensions[c.row].height >= 44 for c in cells)  # four lines of hash
    widths = sum(width(ws, letter) for letter in "ABCDEFGH")
    assert widths <= 166  # landscape A4 at ≥ 88 %: readable (it was 290, printed at half size)


def test_indicator_counts_have_no_decimals(demo: Demo) -> None:
    ws = load(demo.summary)["Indikatorer"]
    rows = list(ws[ws.tables["Indikatorer"].ref])
    headers = [c.value for c in rows[0]]
    unit, women, total = headers.index("Enhet"), headers.index("Kvinnor"), headers.index("Totalt")
    formats = {(r[unit].value, r[women].number_format, r[total].number_format) for r in rows[1:]}
    assert ("antal", "#,##0", "#,##0") in formats
    assert ("%", "#,##0.0##", "#,##0.0##") in formats
    assert not [f for f in formats if f[0] == "antal" and f[1] != "#,##0"]


def test_ekonomi_deviation_has_its_sign(demo: Demo) -> None:
    ws = load(demo.summary)["Ekonomi"]
    rows = list(ws[ws.tables["Ekonomi"].ref])
    col = [c.value for c in rows[0]].index("Avvikelse helår")
    # Thousands grouped; an amount of exactly zero shows the legend's "–" (issue 22)
    assert {r[col].number_format for r in rows[1:]} == {'+#,##0;-#,##0;"–"'}
    assert {r[col - 1].number_format for r in rows[1:]} == {'#,##0;-#,##0;"–"'}  # Prognos: no sign


def test_ekonomi_total_row_below_the_table(demo: Demo) -> None:
    wb = load(demo.summary)
    ws = wb["Ekonomi"]
    tab = ws.tables["Ekonomi"]
    rows = list(ws[tab.ref])
    headers = [c.value for c in rows[0]]
    total = [c.value for c in ws[rows[-1][0].row + 1]][: len(headers)]
    assert total[0] == "Summa"
    for head in ("Budget helår", "Utfall period", "Prognos helår", "Avvikelse helår"):
        col = headers.index(head)
        assert total[col] == pytest.approx(sum(r[col].value for r in rows[1:])), head
    assert total[headers.index("Avvikelse helår")] == pytest.approx(demo.result.deviation)
    assert ws.cell(rows[-1][0].row + 1, 1).font.b


def test_totals_stay_out_of_the_tables_for_power_query_and_pandas(demo: Demo) -> None:
    import pandas as pd
    from python_calamine import CalamineWorkbook

    wb = load(demo.summary)
    for name, sheet in (("Ekonomi", "Ekonomi"), ("Forvaltningar", S.SUMMARY_SHEET)):
        ws = wb[sheet]
        rows = [[c.value for c in r] for r in ws[ws.tables[name].ref]]
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        assert not frame.iloc[:, 0].astype(str).str.startswith(("Summa", "Totalt")).any(), name
        assert ws.tables[name].totalsRowCount in (None, 0), name
        table = CalamineWorkbook.from_path(str(demo.summary), load_tables=True).get_table_by_name(name).to_python()
        assert len(table) == len(rows) - 1 and table[-1][0] == rows[-1][0], name  # data rows only, no total
    assert len(demo.result.frames()["Ekonomi"]) == 16  # every economy row of the three, and no total


def test_forvaltningar_total_row_is_the_nyckeltal(demo: Demo) -> None:
    wb = load(demo.summary)
    ws = wb[S.SUMMARY_SHEET]
    rows = list(ws[ws.tables["Forvaltningar"].ref])
    total = [c.value for c in ws[rows[-1][0].row + 1]][:10]
    assert total[0] == "Totalt (det som ingår i summorna)"
    assert total[3] == pytest.approx(demo.result.deviation / 1000)
    assert total[4:10] == [8, 10, 0, 0, 15, 3]
    assert ws.cell(rows[-1][0].row + 1, 4).number_format == '+#,##0.0;-#,##0.0;"–"'  # grouped (issue 22)


def test_text_after_a_number_column_is_indented(demo: Demo) -> None:
    """A right-aligned number and the left-aligned text beside it must not touch ("−95 000Vakanser")."""
    wb = load(demo.summary)
    ws = wb["Ekonomi"]
    rows = list(ws[ws.tables["Ekonomi"].ref])
    col = [c.value for c in rows[0]].index("Kommentar")
    # Every comment shown; an empty cell is written as no cell at all (nothing to indent, issue 14).
    comments = [r[col] for r in rows if r[col].value is not None]
    assert len(comments) > 10
    assert {(c.alignment.horizontal, c.alignment.indent) for c in comments} == {("left", 1)}
    assert {c.alignment.indent for c in rows[1][:3]} == {0}  # other text columns as before
    overview = wb[S.SUMMARY_SHEET]
    units = list(overview[overview.tables["Forvaltningar"].ref])
    assert units[1][10].alignment.indent == 1  # MBL-datum after Uppdrag förskjuts


# The template's print layout --------------------------------------------------------------------


@pytest.fixture(scope="module")
def template_wb(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    from delar_xl.template.write import EXAMPLE_NOTE

    path = write_template(tmp_path_factory.mktemp("mall") / "mall.xlsx", example_templates()[0], note=EXAMPLE_NOTE)
    return load(path)


def test_template_numeric_headers_right_aligned(template_wb: openpyxl.Workbook) -> None:
    from delar_xl.template import declaration as T

    for table in T.TABLES:
        ws = template_wb[table.sheet]
        for i, col in enumerate(table.columns):
            head = ws.cell(T.HEADER_ROW, 1 + i)
            numeric = col.kind in (T.Kind.AMOUNT, T.Kind.NUMBER, T.Kind.FORMULA, T.Kind.YEAR)
            assert (head.alignment.horizontal == "right") is numeric, (table.name, col.header)
            assert head.alignment.wrap_text, (table.name, col.header)


def test_template_long_header_gets_two_lines(template_wb: openpyxl.Workbook) -> None:
    from delar_xl.template import declaration as T

    ws = template_wb["Ekonomi"]
    assert ws.cell(T.HEADER_ROW, 7).value == "Föregående prognos"
    assert ws.row_dimensions[T.HEADER_ROW].height == 30  # 18 characters in a column 14 wide
    assert template_wb["Nämndmål"].row_dimensions[T.HEADER_ROW].height is None  # short headers: one line


def test_template_deviation_has_its_sign(template_wb: openpyxl.Workbook) -> None:
    assert template_wb["Ekonomi"]["F5"].number_format == "+#,##0;-#,##0;0"


def test_template_example_note_wraps(template_wb: openpyxl.Workbook) -> None:
    ws = template_wb["Instruktioner"]
    assert ws["A2"].value.startswith("EXEMPELDATA")
    assert ws["A2"].alignment.wrap_text
    assert ws.row_dimensions[2].height >= 30


def test_template_info_sheet_fits_a_portrait_page(template_wb: openpyxl.Workbook) -> None:
    from delar_xl.template import declaration as T

    ws = template_wb[T.INFO_SHEET]
    assert ws.page_setup.orientation == "portrait"
    assert sum(width(ws, letter) for letter in "ABC") <= 96  # it was 144: printed at two thirds
    longest = max(len(f.label) for f in T.FIELDS)
    assert width(ws, "A") >= longest
    help_cells = [ws.cell(T.INFO_FIRST_ROW + i, 3) for i in range(len(T.FIELDS))]
    assert all(c.alignment.wrap_text for c in help_cells)
    assert ws.row_dimensions[T.INFO_FIRST_ROW].height == 30  # Förvaltning's help: two lines


def test_template_counts_shown_without_decimals(template_wb: openpyxl.Workbook) -> None:
    ws = template_wb["Indikatorer"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    (rule,) = [r for r in rules if r.type == "expression"]
    assert rule.formula == ['LOWER(TRIM($C5))="antal"']
    assert rule.dxf.numFmt.formatCode == "#,##0"
    (ranges,) = [str(cf.sqref) for cf in ws.conditional_formatting]
    assert ranges.startswith("D5:G")


def test_text_sheet_rows_fit_their_paragraphs(demo: Demo) -> None:
    """Portrait, one column, rows as tall as the wrapped paragraph: not a third of each page blank."""
    ws = load(demo.summary)["Text"]
    assert ws.page_setup.orientation == "portrait"
    assert width(ws, "A") == S.TEXT_WIDTH
    for row in ws.iter_rows(min_row=4):
        text = row[0].value
        if isinstance(text, str) and len(text) > 300 and not text.startswith("Information"):
            lines = (ws.row_dimensions[row[0].row].height - S.PARAGRAPH_SPACE) / 15
            # 75–100 characters on each full line (LibreOffice shows ~110, Excel's Calibri more); the
            # last line of a paragraph may hold a single word.
            assert len(text) / 100 <= lines <= len(text) / 75 + 1, (text[:40], lines)


def test_wrapped_lines_count_words_that_move_whole() -> None:
    from delar_xl.xlsx.writer import wrapped_lines

    path = "/tmp/demo/mallar/Bilaga 1 – Delårsrapport Kommunledningsförvaltningen 2021-08-31.xlsx"
    assert wrapped_lines(path, 36) == 4  # by length alone 3: the long words each start a line
    assert wrapped_lines("Föregående prognos", 14) == 2
    assert wrapped_lines("Budget helår", 14) == 1
    assert wrapped_lines("rad ett\nrad två", 40) == 2  # line breaks typed in the cell count
    assert wrapped_lines("x" * 100, 20) == 5  # 20 characters a line, broken inside the word


def test_kallor_rows_are_tall_enough_for_their_paths(demo: Demo) -> None:
    from delar_xl.xlsx.writer import wrapped_lines

    ws = load(demo.summary)["Källor"]
    rows = list(ws[ws.tables["Kallor"].ref])
    col = [c.value for c in rows[0]].index("Sökväg")
    for row in rows[1:]:
        path = row[col].value
        assert ws.row_dimensions[row[0].row].height >= 15 * wrapped_lines(path, width(ws, "H")), path
