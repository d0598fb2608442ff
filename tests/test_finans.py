"""The finansförvaltning's template (contract §9): written by `delar-xl mall --finans`, read, checked at its cells.

Every file here is written by the product's own generator and, for bad input, edited the way a
controller would (openpyxl, conftest.fill).
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import fill

from delar_xl.cli import main
from delar_xl.demo.kommun import example_finans
from delar_xl.finans.read import check_finans
from delar_xl.finans.write import write_finans
from delar_xl.kommun.consolidate import inputs_are_summaries
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.read import input_kind

PERIOD = date(2021, 8, 31)
# Contract §9, written out independently of the code.
FINANS_HEADERS = ["Post-id", "Post", "Budget helår", "Utfall period", "Prognos helår", "Avvikelse helår", "Kommentar"]
FINANS_IDS = ["SKATT", "STATSBIDRAG", "FINANSINT", "FINANSKOST", "GEMENSAMT", "JMF"]
BALANSKRAV_HEADERS = ["Post-id", "Post", "Prognos helår", "Kommentar"]
BALANSKRAV_IDS = ["REAVINST", "REAFORL", "VPORE", "RURRES", "RURDISP"]
FINANS_NAMES = {"Finansversion", "Kommun", "Periodslut", "ResultatmalProcent"}


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def table(wb: openpyxl.Workbook, name: str) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[list[object]]]:
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, [[c.value for c in row] for row in ws[ws.tables[name].ref]]
    raise AssertionError(f"table {name} missing")


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    return write_finans(tmp_path / "Finansförvaltningen 2021-08-31.xlsx", example_finans())


# The template ------------------------------------------------------------------------------------


def test_mall_finans_writes_the_contract_names_tables_and_fixed_posts(tmp_path: Path, capsys) -> None:
    out = tmp_path / "Finans.xlsx"
    assert main(["mall", "--finans", "--period", "2021-08-31", "--kommun", "Linköpings kommun", "--ut", str(out)]) == 0
    assert capsys.readouterr().out == f"Finansförvaltningens underlag skrevs: {out}\n"
    wb = load(out)
    assert FINANS_NAMES <= set(wb.defined_names)
    values = {}
    for name in FINANS_NAMES:
        ((sheet, ref),) = list(wb.defined_names[name].destinations)
        values[name] = wb[sheet][ref.replace("$", "")].value
    assert values["Kommun"] == "Linköpings kommun" and values["Finansversion"] == "1"
    assert values["Periodslut"].date() == PERIOD and values["ResultatmalProcent"] is None
    ws, rows = table(wb, "Finans")
    assert ws.title == "Finansförvaltning" and rows[0] == FINANS_HEADERS
    assert [r[0] for r in rows[1:] if r[0]] == FINANS_IDS
    assert rows[1][1] == "Skatteintäkter" and rows[2][1] == "Generella statsbidrag och utjämning"
    ws_b, rows_b = table(wb, "Balanskrav")
    assert ws_b.title == "Balanskrav" and rows_b[0] == BALANSKRAV_HEADERS
    assert [r[0] for r in rows_b[1:] if r[0]] == BALANSKRAV_IDS
    # print setup: A4, the kommun in the header, the fixed posts printed without spare rows
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert "Linköpings kommun" in ws.oddHeader.left.text
    assert ws.print_area == "'Finansförvaltning'!$A$1:$G$10"
    # ids locked on a protected sheet, amounts open; the help text is Swedish
    assert ws.protection.sheet and ws["A5"].protection.locked and not ws["E5"].protection.locked
    prompts = {str(dv.sqref).split(":")[0]: dv.prompt for dv in ws.data_validations.dataValidation}
    assert prompts["E5"].startswith("Prognos för helåret. Belopp i tkr med resultattecken")


@pytest.mark.parametrize("blank", [True, False])
def test_fixed_post_tables_offer_exactly_their_posts(blank: bool, filled: Path, tmp_path: Path) -> None:
    """Contract §9: the posts are fixed, so the tables have no spare rows to type a post into."""
    path = filled
    if blank:
        path = tmp_path / "Blank.xlsx"
        assert main(["mall", "--finans", "--period", "2021-08-31", "--ut", str(path)]) == 0
    wb = load(path)
    for name, sheet, ids, ref, last in (
        ("Finans", "Finansförvaltning", FINANS_IDS, "A4:G10", "G"),
        ("Balanskrav", "Balanskrav", BALANSKRAV_IDS, "A4:D9", "D"),
    ):
        ws, rows = table(wb, name)
        assert ws.title == sheet and ws.tables[name].ref == ref
        assert [r[0] for r in rows[1:]] == ids  # every row a post: none blank
        end = 4 + len(ids)
        assert ws.print_area == f"'{sheet}'!$A$1:${last}${end}"
        assert ws.max_row == end  # nothing under the posts (checked before openpyxl makes cells by looking)
        # protected: rows cannot be inserted or deleted, and the row under the table is locked
        assert ws.protection.sheet and ws.protection.insertRows and ws.protection.deleteRows
        assert ws[f"A{end + 1}"].protection.locked and ws[f"C{end + 1}"].protection.locked
        # the input prompts and checks cover the posts, not rows beneath them
        assert all(
            int(str(dv.sqref).split(":")[-1].lstrip("ABCDEFG")) == end for dv in ws.data_validations.dataValidation
        )
    assert check_finans(path).finans is not None


def test_mall_needs_forvaltning_or_finans(tmp_path: Path, capsys) -> None:
    assert main(["mall", "--period", "2021-08-31", "--ut", str(tmp_path / "x.xlsx")]) == 2
    assert "ange --forvaltning NAMN (eller --finans" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_filled_finans_reads_back_unrounded_and_without_findings(filled: Path) -> None:
    read = check_finans(filled)
    assert read.findings == []
    finans = read.finans
    assert finans.kommun == "Exempelkommun" and finans.periodslut == PERIOD and finans.resultatmal_procent == 2.0
    assert [(r.post_id, r.budget, r.forecast, r.deviation) for r in finans.finans][:2] == [
        ("SKATT", 3_150_000, 3_196_400, 46_400),
        ("STATSBIDRAG", 1_020_000, 1_031_200, 11_200),
    ]
    assert [(r.post_id, r.forecast) for r in finans.balanskrav] == [
        ("REAVINST", -14_200),
        ("REAFORL", None),
        ("VPORE", -3_100),
        ("RURRES", -40_000),
        ("RURDISP", None),
    ]


def test_blank_finans_asks_for_the_tax_amounts(tmp_path: Path, capsys) -> None:
    out = tmp_path / "Finans.xlsx"
    main(["mall", "--finans", "--period", "2021-08-31", "--ut", str(out)])
    assert main(["kontrollera", str(out)]) == 1
    stdout = capsys.readouterr().out
    assert (
        "Finans.xlsx, blad Finansförvaltning, cell E5: Fel: Prognos helår saknas för Skatteintäkter. Årets resultat "
        "kan inte räknas utan det; skriv beloppet i tkr."
    ) in stdout
    assert "1 fil kontrollerad: 4 fel, 0 varningar, 0 info." in stdout


# Bad input, named at its cell ------------------------------------------------------------------


def test_text_in_an_amount_is_a_fel_at_its_cell(filled: Path, capsys) -> None:
    fill(filled, {("Finansförvaltning", "E5"): "tre miljarder"})
    assert main(["kontrollera", str(filled)]) == 1
    stdout = capsys.readouterr().out
    assert (
        f'{filled.name}, blad Finansförvaltning, cell E5: Fel: Prognos helår "tre miljarder" är inte ett tal. '
        "Skriv ett belopp, t.ex. −415 100."
    ) in stdout


def test_a_missing_post_is_a_fel_where_it_belongs(filled: Path) -> None:
    # the FINANSINT row emptied (a deleted row reads the same: the post is not there)
    fill(filled, {("Finansförvaltning", f"{c}7"): None for c in "ABCDEG"})
    findings = check_finans(filled).findings
    assert [[f.sheet, f.cell, f.severity.value, f.code] for f in findings] == [
        ["Finansförvaltning", "A7", "Fel", "post-saknas"]
    ]
    assert findings[0].message.startswith("Posten FINANSINT (Finansiella intäkter) saknas i tabellen Finans.")


def test_a_changed_post_id_is_one_fel_at_its_cell(filled: Path) -> None:
    fill(filled, {("Finansförvaltning", "A5"): "SKATTER", ("Balanskrav", "A8"): "RUR"})
    findings = check_finans(filled).findings
    assert [[f.sheet, f.cell, f.code] for f in findings] == [
        ["Finansförvaltning", "A5", "post-id-andrat"],
        ["Balanskrav", "A8", "post-id-andrat"],
    ]
    assert findings[0].message == (
        'Post-id "SKATTER" är ändrat: här ska stå SKATT (Skatteintäkter). Byt tillbaka '
        "id:t; sammanställningen läser posterna på id."
    )


def grow(path: Path, sheet: str, name: str, rows: int) -> None:
    """What a controller must do to add a row to a fixed-post table: unprotect the sheet and drag the table out."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    ws.protection.sheet = False
    first, last = ws.tables[name].ref.split(":")
    column, row = last.rstrip("0123456789"), int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    ws.tables[name].ref = f"{first}:{column}{row + rows}"
    wb.save(path)
    wb.close()


def test_an_added_post_and_a_duplicate_are_fel(filled: Path) -> None:
    # The tables offer no spare row: adding one takes an unprotected sheet and a table dragged out.
    grow(filled, "Finansförvaltning", "Finans", 1)
    grow(filled, "Balanskrav", "Balanskrav", 1)
    fill(
        filled,
        {
            ("Finansförvaltning", "A11"): "EXTRA",
            ("Finansförvaltning", "E11"): 5,
            ("Balanskrav", "A10"): "VPORE",
            ("Balanskrav", "C10"): 1,
        },
    )
    codes = [[f.sheet, f.cell, f.code] for f in check_finans(filled).findings]
    assert ["Finansförvaltning", "A11", "post-okand"] in codes
    assert ["Balanskrav", "A7", "post-dubblett"] in codes and ["Balanskrav", "A10", "post-dubblett"] in codes


def test_a_deleted_post_row_is_a_fel_where_the_post_belongs(filled: Path) -> None:
    # The controller unprotects the sheet and deletes the FINANSINT row: the table shrinks by one.
    wb = openpyxl.load_workbook(filled)
    ws = wb["Finansförvaltning"]
    ws.protection.sheet = False
    ws.delete_rows(7)
    ws.tables["Finans"].ref = "A4:G9"
    wb.save(filled)
    wb.close()
    findings = check_finans(filled).findings
    assert [[f.sheet, f.cell, f.severity.value, f.code] for f in findings] == [
        ["Finansförvaltning", "A7", "Fel", "post-saknas"]
    ]
    assert findings[0].message.startswith("Posten FINANSINT (Finansiella intäkter) saknas i tabellen Finans.")


def test_an_amount_typed_under_a_fixed_table_is_moved_to_its_post(filled: Path, capsys) -> None:
    # Only possible on an unprotected sheet; the advice is the post, never to drag the table out.
    wb = openpyxl.load_workbook(filled)
    wb["Balanskrav"].protection.sheet = False
    wb["Balanskrav"]["C11"] = -2_000
    wb.save(filled)
    wb.close()
    assert main(["kontrollera", str(filled)]) == 1
    stdout = capsys.readouterr().out
    assert (
        f"{filled.name}, blad Balanskrav, cell C11: Fel: Rad 11 ligger under tabellen Balanskrav (A4:D9) och "
        "kommer inte med. Tabellen har fasta poster och tar inga fler rader: skriv beloppet på den post det "
        "hör till, och förklara det i Kommentar."
    ) in stdout
    assert "dra ut tabellen" not in stdout


def test_signs_and_comment_threshold(filled: Path) -> None:
    fill(filled, {("Balanskrav", "C5"): 14_200, ("Finansförvaltning", "G5"): None, ("Uppgifter", "B6"): 25})
    codes = [[f.sheet, f.cell, f.severity.value, f.code] for f in check_finans(filled).findings]
    assert codes == [
        ["Uppgifter", "B6", "Varning", "resultatmal-orimligt"],
        ["Balanskrav", "C5", "Varning", "tecken-post"],
        ["Finansförvaltning", "G5", "Fel", "kommentar-saknas"],
    ]


# Recognised among the kommun level's inputs --------------------------------------------------------


def test_level_detection_knows_the_finans_template(filled: Path, demo, tmp_path: Path) -> None:
    assert input_kind(filled) == "finans"
    assert inputs_are_summaries([filled])
    assert inputs_are_summaries([demo.summary, filled])
    mixed = tmp_path / "mallar"
    mixed.mkdir()
    for path in demo.templates:
        shutil.copy2(path, mixed / Path(path).name)
    shutil.copy2(filled, mixed / filled.name)
    assert not inputs_are_summaries([mixed])  # templates decide: the nämnd level, the finans file skipped
    result = consolidate([mixed])
    skipped = [f for f in result.report.findings if f.file == filled.name]
    assert [(f.severity.value, f.code) for f in skipped] == [("Info", "finans-hoppas-over")]
    assert result.report.valid


def test_a_plan_or_template_is_not_a_finans_template(demo, tmp_path: Path) -> None:
    from delar_xl.finans.read import read_finans

    read = read_finans(demo.plan)
    assert read.finans is None and read.findings[-1].code == "inte-finans"
    assert "Filen är en plan, inte finansförvaltningens underlag." in read.findings[-1].message


def test_finans_model_replace_keeps_rows(filled: Path) -> None:
    finans = check_finans(filled).finans
    assert replace(finans, kommun="X").finans == finans.finans
