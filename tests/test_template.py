"""The generated template fulfils contract §1, and the committed blank template is up to date."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from contract import TEMPLATE_NAMES, TEMPLATE_TABLES
from normalise import dump

from delar_xl.cli import main
from delar_xl.template import declaration as T
from delar_xl.template.write import BLANK_NAME, write_blank, write_committed_blank

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mall") / "Leanlink.xlsx"
    assert main(["mall", "--forvaltning", "Leanlink", "--period", "2021-08-31", "--ut", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def book(blank: Path):
    wb = openpyxl.load_workbook(blank)
    yield wb
    wb.close()


def test_template_is_xlsx_without_macros(blank: Path) -> None:
    with zipfile.ZipFile(blank) as zf:
        names = zf.namelist()
        assert not [n for n in names if "vba" in n.lower()]
        assert "sheet.main+xml" in zf.read("[Content_Types].xml").decode()


def test_template_sheets_instructions_first(book) -> None:
    assert book.sheetnames == [
        "Instruktioner",
        "Uppgifter",
        "Ekonomi",
        "Nämndmål",
        "Uppdrag",
        "Indikatorer",
        "Investeringar",
        "Personal",
    ]  # version 2 (contract §7) adds the last two
    assert book.active.title == "Instruktioner"
    text = " ".join(str(c.value) for row in book["Instruktioner"].iter_rows() for c in row if c.value)
    assert "tkr" in text and "−415 100" in text and "överskott" in text


def test_template_defined_names_point_at_one_cell_each(book) -> None:
    for name in TEMPLATE_NAMES:
        destinations = list(book.defined_names[name].destinations)
        assert destinations == [("Uppgifter", destinations[0][1])], name
        assert ":" not in destinations[0][1]


def test_template_metadata_values(book) -> None:
    def value(name: str):
        sheet, ref = next(book.defined_names[name].destinations)
        return book[sheet][ref.replace("$", "")].value

    assert value("Forvaltning") == "Leanlink"
    assert value("Namnd") == "Kommunstyrelsen"
    assert value("Rapport") == "Delårsrapport"
    assert value("Periodslut") == dt.datetime(2021, 8, 31)
    assert value("Mallversion") == T.TEMPLATE_VERSION


@pytest.mark.parametrize("table", TEMPLATE_TABLES)
def test_template_tables_have_contract_headers(book, table: str) -> None:
    sheet, headers = TEMPLATE_TABLES[table]
    ws = book[sheet]
    assert table in ws.tables
    found = [c.name for c in ws.tables[table].tableColumns]
    assert found[: len(headers)] == headers
    first = ws.tables[table].ref.split(":")[0]
    assert [ws.cell(row=ws[first].row, column=ws[first].column + i).value for i in range(len(headers))] == headers


def test_template_dropdowns_for_assessment_and_status(book) -> None:
    def lists(sheet: str) -> dict[str, str]:
        return {str(v.sqref): v.formula1 for v in book[sheet].data_validations.dataValidation if v.type == "list"}

    assert '"Uppnås helt,Uppnås delvis,Uppnås inte,Ej bedömt"' in lists("Nämndmål").values()
    assert '"Verkställt,Verkställs under året,Förskjuts,Avbryts"' in lists("Uppdrag").values()
    unit = [v for v in book["Indikatorer"].data_validations.dataValidation if v.type == "list"][0]
    assert unit.errorStyle == "information"  # other units are accepted


def test_template_inputs_unlocked_rest_protected(book) -> None:
    for sheet in T.SHEETS:
        assert book[sheet].protection.sheet, sheet
        assert not book[sheet].protection.password, sheet
    ws = book["Ekonomi"]
    assert ws["A5"].protection.locked is False  # Radnyckel, first data row
    assert ws["C5"].protection.locked is False  # Budget helår
    assert ws["F5"].protection.locked is True  # Avvikelse helår: a formula
    assert ws["A4"].protection.locked is True  # header
    assert book["Uppgifter"]["B4"].protection.locked is False
    assert book["Uppgifter"]["B11"].protection.locked is True  # Mallversion


def test_template_formats_and_layout(book) -> None:
    ws = book["Ekonomi"]
    assert ws["C5"].number_format == "#,##0;-#,##0;0"
    assert ws.freeze_panes == "A5"
    assert book["Uppgifter"]["B7"].number_format == "yyyy-mm-dd"
    assert ws["F5"].value.startswith("=IF(COUNT(Ekonomi[[#This Row],[Budget helår]]")
    prompts = {v.promptTitle for v in ws.data_validations.dataValidation}
    assert "Budget helår" in prompts


def test_template_print_setup(book) -> None:
    for sheet in T.SHEETS:
        ws = book[sheet]
        assert ws.page_setup.paperSize == 9, sheet  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, sheet
        assert ws.page_setup.fitToWidth in (None, 1), sheet  # 1 is the default and may be omitted
        assert ws.page_setup.fitToHeight == 0, sheet  # as many pages down as needed
        assert "Leanlink" in (ws.oddHeader.left.text or ""), sheet
        assert "2021-08-31" in (ws.oddHeader.right.text or ""), sheet
    assert book["Ekonomi"].page_setup.orientation == "landscape"


def test_template_committed_blank_is_up_to_date(tmp_path: Path) -> None:
    """Fails when templates/ was not regenerated after a change to the declaration or generator."""
    fresh = write_committed_blank(tmp_path)
    committed = ROOT / "templates" / BLANK_NAME
    assert committed.exists(), "templates/ saknar den tomma mallen: kör make template"
    assert dump(committed) == dump(fresh), "templates/ är inaktuell: kör make template"


def test_template_generation_is_deterministic(tmp_path: Path) -> None:
    a = write_blank(tmp_path / "a.xlsx", "X", dt.date(2021, 8, 31))
    b = write_blank(tmp_path / "b.xlsx", "X", dt.date(2021, 8, 31))
    assert a.read_bytes() == b.read_bytes()


def test_cli_mall_bad_period_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = _exit(["mall", "--forvaltning", "X", "--period", "31/8", "--ut", str(tmp_path / "x.xlsx")])
    assert code == 2
    assert "är inte ett datum" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_mall_missing_argument_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit(["mall", "--period", "2021-08-31"]) == 2
    assert "följande argument krävs" in capsys.readouterr().err


def _exit(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code)
