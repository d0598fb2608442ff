"""The built-in example against the real tjänsteskrivelse (shared/reference/…-2021-08-31.txt).

The demo's summary is read back as a user's tool would: openpyxl for defined names and table
objects, python-calamine (what Power Query-like readers see) for the values and the text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from delar_xl.demo.namnd import POSTPONED, Demo

REFERENCE_COUNTS = {
    "MalHelt": 8,
    "MalDelvis": 10,
    "MalInte": 0,
    "MalEjBedomt": 0,
    "AntalMal": 18,
    "AntalUppdrag": 18,
    "UppdragVerkstalls": 15,
    "UppdragForskjuts": 3,
    "UppdragAvbryts": 0,
    "AntalFel": 0,
    "AntalVarningar": 0,
}
# (förvaltning, avvikelse helår in mnkr, unrounded) in the order the tjänsteskrivelse names them.
REFERENCE_UNITS = [
    ("Kommunledningsförvaltningen", 12.762),
    ("Verksamhetsstöd och service", 8.215),
    ("Leanlink", 22.088),
]
REFERENCE_ROUNDED = ["12,8", "8,2", "22,1"]


# Reading helpers ----------------------------------------------------------------------------


def name_value(wb: openpyxl.Workbook, name: str) -> object:
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")].value


def openpyxl_table(wb: openpyxl.Workbook, name: str) -> tuple[list[str], list[list[object]]]:
    for ws in wb.worksheets:
        if name in ws.tables:
            rows = [[c.value for c in row] for row in ws[ws.tables[name].ref]]
            return rows[0], rows[1:]
    raise KeyError(name)


@pytest.fixture(scope="module")
def summary_wb(demo: Demo) -> openpyxl.Workbook:
    wb = openpyxl.load_workbook(demo.summary)
    yield wb
    wb.close()


@pytest.fixture(scope="module")
def calamine_wb(demo: Demo) -> CalamineWorkbook:
    wb = CalamineWorkbook.from_path(str(demo.summary), load_tables=True)
    yield wb
    wb.close()


@pytest.fixture(scope="module")
def text_lines(calamine_wb: CalamineWorkbook) -> list[str]:
    rows = calamine_wb.get_sheet_by_name("Text").to_python()
    return [str(cell) for row in rows for cell in row if str(cell).strip()]


@pytest.fixture(scope="module")
def text(text_lines: list[str]) -> str:
    return "\n".join(text_lines)


# Files ----------------------------------------------------------------------------------------


def test_demo_writes_three_templates_and_a_summary(demo: Demo) -> None:
    assert [p.name for p in demo.templates] == [
        "Bilaga 3 – Delårsrapport Kommunledningsförvaltningen 2021-08-31.xlsx",
        "Bilaga 4 – Delårsrapport Verksamhetsstöd och service 2021-08-31.xlsx",
        "Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx",
    ]
    assert all(p.is_file() and p.stat().st_size > 0 for p in demo.templates)
    assert demo.summary.name == "Sammanställning Kommunstyrelsen 2021-08-31.xlsx"
    assert demo.summary.is_file()
    assert demo.summary.parent == demo.templates[0].parent.parent


def test_demo_result_has_no_findings(demo: Demo) -> None:
    assert demo.result.report.findings == []
    assert demo.result.complete


# Defined names ----------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", sorted(REFERENCE_COUNTS.items()))
def test_demo_summary_name_matches_reference(summary_wb: openpyxl.Workbook, name: str, expected: int) -> None:
    assert name_value(summary_wb, name) == expected


def test_demo_summary_avvikelse_total_is_unrounded_43_065(summary_wb: openpyxl.Workbook) -> None:
    value = name_value(summary_wb, "AvvikelseTotal")
    assert value == pytest.approx(43.065, abs=1e-9)
    assert round(value, 1) == pytest.approx(43.1)


def test_demo_summary_budget_and_prognos_totals(summary_wb: openpyxl.Workbook) -> None:
    budget = name_value(summary_wb, "BudgetTotal")
    prognos = name_value(summary_wb, "PrognosTotal")
    assert budget == pytest.approx(-310.6, abs=1e-9)
    assert prognos == pytest.approx(-267.535, abs=1e-9)
    assert prognos - budget == pytest.approx(name_value(summary_wb, "AvvikelseTotal"), abs=1e-9)


def test_demo_summary_goal_counts_reconcile(summary_wb: openpyxl.Workbook) -> None:
    parts = sum(name_value(summary_wb, n) for n in ("MalHelt", "MalDelvis", "MalInte", "MalEjBedomt"))
    assert parts == name_value(summary_wb, "AntalMal")


def test_demo_summary_avvikelse_total_shown_with_one_decimal(summary_wb: openpyxl.Workbook) -> None:
    ((sheet, ref),) = list(summary_wb.defined_names["AvvikelseTotal"].destinations)
    fmt = summary_wb[sheet][ref.replace("$", "")].number_format
    assert "0.0" in fmt and "0.00" not in fmt


# Table Forvaltningar --------------------------------------------------------------------


def test_demo_forvaltningar_rows_match_reference(summary_wb: openpyxl.Workbook) -> None:
    headers, rows = openpyxl_table(summary_wb, "Forvaltningar")
    name_col, dev_col = headers.index("Förvaltning"), headers.index("Avvikelse helår")
    got = [(r[name_col], r[dev_col]) for r in rows]
    assert [n for n, _ in got] == [n for n, _ in REFERENCE_UNITS]
    for (_, value), (_, expected), shown in zip(got, REFERENCE_UNITS, REFERENCE_ROUNDED):
        assert value == pytest.approx(expected, abs=1e-9)
        assert f"{value:.1f}".replace(".", ",") == shown


def test_demo_forvaltningar_counts_and_mbl_dates(summary_wb: openpyxl.Workbook) -> None:
    headers, rows = openpyxl_table(summary_wb, "Forvaltningar")
    col = {h: i for i, h in enumerate(headers)}
    assert [r[col["Mål helt"]] for r in rows] == [5, 1, 2]
    assert [r[col["Mål delvis"]] for r in rows] == [7, 3, 1]
    assert [r[col["Uppdrag verkställs"]] for r in rows] == [9, 3, 3]
    assert [r[col["Uppdrag förskjuts"]] for r in rows] == [3, 0, 0]
    assert [r[col["MBL-datum"]].date().isoformat() for r in rows] == ["2021-09-23", "2021-09-22", "2021-09-16"]
    assert all("Med i" in r[col["Status"]] for r in rows)


def test_demo_forvaltningar_read_with_calamine(calamine_wb: CalamineWorkbook) -> None:
    table = calamine_wb.get_table_by_name("Forvaltningar")
    assert table.columns[:4] == ["Förvaltning", "Budget helår", "Prognos helår", "Avvikelse helår"]
    rows = table.to_python()
    assert [(r[0], round(r[3], 3)) for r in rows] == REFERENCE_UNITS
    assert sum(r[3] for r in rows) == pytest.approx(43.065, abs=1e-9)


def test_demo_summary_key_figures_read_with_calamine(
    calamine_wb: CalamineWorkbook, summary_wb: openpyxl.Workbook
) -> None:
    """calamine sees the same values at the cells the defined names point to."""
    for name, expected in REFERENCE_COUNTS.items():
        # The finding counts sit on "Källor", off the page politicians read (issue 22)
        ((sheet, ref),) = list(summary_wb.defined_names[name].destinations)
        rows = calamine_wb.get_sheet_by_name(sheet).to_python()
        cell = openpyxl.utils.cell.coordinate_from_string(ref.replace("$", ""))
        col = openpyxl.utils.cell.column_index_from_string(cell[0]) - 1
        assert rows[cell[1] - 1][col] == expected, name


def test_demo_detail_tables_hold_every_row(calamine_wb: CalamineWorkbook) -> None:
    sizes = {
        name: len(calamine_wb.get_table_by_name(name).to_python())
        for name in ("Ekonomi", "Namndmal", "Uppdrag", "Indikatorer")
    }
    # Namndmal lists every row of every template: KS-M05 is reported by two förvaltningar.
    assert sizes == {"Ekonomi": 16, "Namndmal": 19, "Uppdrag": 18, "Indikatorer": 10}


def test_demo_kallor_records_sha256_of_each_template(demo: Demo, calamine_wb: CalamineWorkbook) -> None:
    table = calamine_wb.get_table_by_name("Kallor")
    col = {h: i for i, h in enumerate(table.columns)}
    rows = table.to_python()
    expected = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in demo.templates}
    assert {r[col["Fil"]]: r[col["SHA-256"]] for r in rows} == expected


def test_demo_kontroll_has_no_error_or_warning(calamine_wb: CalamineWorkbook) -> None:
    rows = calamine_wb.get_table_by_name("Kontroll").to_python()
    assert [r for r in rows if r[0] in ("Fel", "Varning")] == []


# The text -------------------------------------------------------------------------------


REFERENCE_SENTENCES = [
    "Åtta nämndmål bedöms uppnås helt och tio bedöms uppnås delvis per helår.",
    "Av kommunstyrelsens 18 strategiska utvecklingsuppdrag kommer 15 uppdrag att vara verkställda vid årets slut.",
    "Kommunledningsförvaltningen redovisar ett överskott med 12,8 mnkr",
    "Verksamhetsstöd och service redovisar ett överskott med 8,2 mnkr",
    "Åtta av arton nämndmål bedöms uppnås per helår, tio bedöms delvis uppnås.",
    "Utveckling sker inom kommunstyrelsens samtliga 18 nämndmål för budgetåret.",
]


@pytest.mark.parametrize("sentence", REFERENCE_SENTENCES)
def test_demo_text_contains_reference_sentence(text: str, sentence: str) -> None:
    assert sentence in text


def test_demo_text_leanlink_surplus(text: str) -> None:
    assert "Leanlink" in text and "överskott med 22,1 mnkr" in text


def test_demo_text_names_the_three_postponed_assignments(text: str) -> None:
    expected = f"Tre uppdrag förskjuts till 2022. Dessa är ”{POSTPONED[0]}”, ”{POSTPONED[1]}” och ”{POSTPONED[2]}”."
    assert expected in text


def test_demo_postponed_names_are_those_of_the_reference(shared: Path) -> None:
    reference = " ".join(
        (shared / "reference" / "tjansteskrivelse-delarsrapport-ks-2021-08-31.txt").read_text(encoding="utf-8").split()
    )
    for name in POSTPONED:
        assert f"”{name}”" in reference


def test_demo_text_lists_deviation_per_forvaltning(text_lines: list[str]) -> None:
    lines = [line.rstrip() for line in text_lines]
    assert "- Kommunledningsförvaltningen  + 12,8 mnkr" in lines
    assert "- Verksamhetsstöd och service  + 8,2 mnkr" in lines
    assert any(line.startswith("- Leanlink ") and line.endswith("+ 22,1 mnkr") for line in lines)


def test_demo_text_mbl_sentence(text: str) -> None:
    start = (
        "Information enligt MBL § 19 genomfördes vid Kommunledningsförvaltningen den 2021-09-23, "
        "inom Verksamhetsstöd och service den 2021-09-22 och inom Leanlink"
    )
    assert start in text
    sentence = text[text.index(start) :].split("\n")[0]
    assert "2021-09-16" in sentence and sentence.endswith(".")


def test_demo_text_title(text_lines: list[str]) -> None:
    assert "Delårsrapport för kommunstyrelsen per den 31 augusti med prognos för helår 2021" in text_lines


def test_demo_text_has_no_incomplete_notice(text: str) -> None:
    assert "ofullständig" not in text.casefold()


@pytest.fixture(scope="module")
def shared() -> Path:
    path = Path(__file__).resolve().parents[2] / "shared"
    if not path.is_dir():
        pytest.skip("../shared (the reference texts) is not beside the project here")
    return path


def test_demo_ekonomi_table_deviation_is_prognos_minus_budget(calamine_wb: CalamineWorkbook) -> None:
    table = calamine_wb.get_table_by_name("Ekonomi")
    col = {h: i for i, h in enumerate(table.columns)}
    per_unit: dict[str, float] = {}
    for row in table.to_python():
        deviation = row[col["Avvikelse helår"]]
        assert deviation == row[col["Prognos helår"]] - row[col["Budget helår"]], row[col["Radnyckel"]]
        per_unit[row[col["Förvaltning"]]] = per_unit.get(row[col["Förvaltning"]], 0) + deviation
    assert per_unit == {name: round(mnkr * 1000) for name, mnkr in REFERENCE_UNITS}
