"""Reading and checking filled templates: every planted fault is reported at its cell."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import fill, with_meta

from delar_xl import check
from delar_xl.cli import main
from delar_xl.template.model import Template


def flat(path_or_paths, fields=("sheet", "cell", "code")) -> list[list[object]]:
    paths = path_or_paths if isinstance(path_or_paths, list) else [path_or_paths]
    return check(paths).report.flatten(list(fields))


def codes(path: Path) -> list[str]:
    return [row[0] for row in flat(path, ("code",))]


# A valid template ------------------------------------------------------------------------


def test_check_example_template_is_clean(write, klf: Template) -> None:
    path = write(klf)
    result = check([path])
    assert result.report.findings == []
    assert result.report.valid
    template = result.units[0].template
    assert template.meta.forvaltning == "Kommunledningsförvaltningen"
    assert template.meta.periodslut == date(2021, 8, 31)
    assert len(template.economy) == 6 and len(template.goals) == 12 and len(template.assignments) == 12
    assert template.economy[0].row == 5
    assert round(template.deviation) == 12_762


def test_check_filled_with_openpyxl_formulas_never_calculated(write, klf: Template, tmp_path: Path) -> None:
    """openpyxl leaves no cached value in the Avvikelse formula: that is not an error."""
    path = fill(write(klf), {("Uppgifter", "B8"): "Kim Controller"}, tmp_path / "sparad.xlsx")
    result = check([path])
    assert result.report.findings == []
    assert result.units[0].template.economy[0].cached_deviation is None
    assert round(result.units[0].template.deviation) == 12_762


def test_check_blank_template_warns_it_is_empty(tmp_path: Path) -> None:
    """Issue 12: a template sent back untouched gets a Varning (it used to pass with only a note)."""
    path = tmp_path / "tom.xlsx"
    assert main(["mall", "--forvaltning", "Leanlink", "--period", "2021-08-31", "--ut", str(path)]) == 0
    assert flat(path, ("severity", "sheet", "cell", "code")) == [
        ["Varning", "Ekonomi", "A5", "mall-tom"],
        ["Info", "Uppgifter", "B9", "mbl-saknas"],
    ]


def test_check_never_modifies_input(write, klf: Template) -> None:
    path = write(klf)
    before = path.read_bytes(), path.stat().st_mtime_ns
    check([path])
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# Ten planted faults ------------------------------------------------------------------------

PLANTED = {
    ("Uppgifter", "B7"): date(2021, 8, 30),  # not a month end
    ("Ekonomi", "C5"): "1,234",  # ambiguous number
    ("Ekonomi", "E6"): "abc",  # not a number
    ("Ekonomi", "D7"): "12,8",  # a Swedish text number: understood, Info
    ("Ekonomi", "H7"): None,  # large deviation, comment removed
    ("Ekonomi", "G9"): "#REF!",  # error value
    ("Ekonomi", "A45"): "KLF-99",  # typed below the table
    ("Nämndmål", "C6"): "Uppnås nästan",  # not in the list
    ("Nämndmål", "C7"): "Ej bedömt",  # ... without analysis
    ("Nämndmål", "D7"): None,
    ("Uppdrag", "D6"): 2021,  # postponed to the report year
    ("Uppdrag", "A8"): "KS-U01",  # duplicate id
    ("Indikatorer", "F6"): 650,  # antal: 412 + 236 != 650
}

EXPECTED = [
    ["Uppgifter", "B7", "Fel", "periodslut-ej-manadsslut"],
    ["Ekonomi", "C5", "Fel", "tal-tvetydigt"],
    ["Ekonomi", "E6", "Fel", "tal-ogiltigt"],
    ["Ekonomi", "D7", "Info", "tal-som-text"],
    ["Ekonomi", "D7", "Varning", "rimlig-enhet"],  # 12,8 against a budget of −38 600: mnkr in a tkr column (issue 19)
    ["Ekonomi", "G9", "Fel", "felvarde"],
    ["Ekonomi", "A45", "Fel", "utanfor-tabell"],
    ["Ekonomi", "H7", "Fel", "kommentar-saknas"],
    ["Nämndmål", "C6", "Fel", "bedomning-ogiltig"],
    ["Nämndmål", "D7", "Fel", "analys-saknas"],
    ["Uppdrag", "A8", "Fel", "id-dubblett"],
    ["Uppdrag", "D6", "Fel", "nytt-ar-for-tidigt"],
    ["Indikatorer", "F6", "Fel", "totalt-stammer-inte"],
]


@pytest.fixture
def faulty(write, klf: Template, tmp_path: Path) -> Path:
    return fill(write(klf), PLANTED, tmp_path / "felaktig.xlsx")


def test_check_planted_faults_each_at_its_cell(faulty: Path) -> None:
    found = flat(faulty, ("sheet", "cell", "severity", "code"))
    assert sorted(found) == sorted(EXPECTED)


def test_check_messages_are_swedish_and_name_the_place(faulty: Path) -> None:
    findings = check([faulty]).report.findings
    by_cell = {f.cell: f for f in findings if f.sheet == "Ekonomi" and not f.code.startswith("rimlig-")}
    assert "kan läsas på två sätt" in by_cell["C5"].message
    assert "tolkat som 12,8" in by_cell["D7"].message
    assert "#REF!" in by_cell["G9"].message
    assert "under tabellen Ekonomi" in by_cell["A45"].message
    assert "rapportåret 2021" in [f for f in findings if f.sheet == "Uppdrag" and f.cell == "D6"][0].message
    assert by_cell["C5"].render().startswith("felaktig.xlsx, blad Ekonomi, cell C5: Fel: ")


def test_check_text_number_is_used(faulty: Path) -> None:
    template = check([faulty]).units[0].template
    assert template.economy[2].actual == 12.8


def test_cli_kontrollera_planted_faults_exit_1(faulty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kontrollera", str(faulty)]) == 1
    out = capsys.readouterr().out
    for sheet, cell, severity, _ in EXPECTED:
        assert f"felaktig.xlsx, blad {sheet}, cell {cell}: {severity}: " in out
    assert "1 fil kontrollerad: 11 fel, 1 varning, 1 info." in out  # singular (issue 12)


def test_cli_kontrollera_valid_exit_0(write, klf: Template, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kontrollera", str(write(klf))]) == 0
    assert "0 fel" in capsys.readouterr().out


# One rule at a time ------------------------------------------------------------------------


def test_rule_numbers_swedish_text(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Ekonomi", "C5"): "−98\u00a0400", ("Ekonomi", "E5"): "-93 112,0"}, tmp_path / "t.xlsx")
    assert flat(path, ("cell", "severity", "code")) == [["C5", "Info", "tal-som-text"], ["E5", "Info", "tal-som-text"]]
    assert check([path]).units[0].template.economy[0].budget == -98_400


def test_rule_number_with_dot_is_ambiguous(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Ekonomi", "E5"): "12.8"}, tmp_path / "t.xlsx")
    assert flat(path, ("cell", "code")) == [["E5", "tal-tvetydigt"]]


def test_rule_missing_amount(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Ekonomi", "E8"): None}, tmp_path / "t.xlsx")
    assert flat(path, ("cell", "code")) == [["E8", "belopp-saknas"]]


def test_rule_comment_threshold_percent_of_budget(write, klf: Template) -> None:
    # 300 tkr is below 1 000 tkr but 6 % of a 5 000 tkr budget.
    row = replace(klf.economy[3], budget=-5_000, actual=-3_300, forecast=-4_700, previous_forecast=-4_700, comment="")
    klf.economy[3] = row
    assert flat(write(klf), ("cell", "code")) == [["H8", "kommentar-saknas"]]


def test_rule_comment_for_forecast_change(write, klf: Template) -> None:
    klf.economy[3] = replace(klf.economy[3], previous_forecast=-20_500, comment="")  # change −1 315 tkr
    found = check([write(klf)]).report.findings
    assert [(f.cell, f.code) for f in found] == [("H8", "kommentar-saknas")]
    assert "prognosförändringen −1\u00a0315 tkr" in found[0].message


def test_rule_comment_threshold_configurable(write, klf: Template) -> None:
    from delar_xl.settings import Settings

    klf.economy[3] = replace(klf.economy[3], comment="")  # deviation 285 tkr, 1,3 %
    path = write(klf)
    assert check([path]).report.findings == []
    strict = Settings(comment_threshold_tkr=200)
    assert [f.code for f in check([path], strict).report.findings] == ["kommentar-saknas"]


def test_rule_cached_deviation_disagrees(write, klf: Template, tmp_path: Path) -> None:
    path = write(klf)
    planted = tmp_path / "cache.xlsx"
    _replace_in_part(path, planted, "xl/worksheets/sheet3.xml", "<v>5288</v>", "<v>5000</v>")
    found = check([planted]).report.findings
    assert [(f.sheet, f.cell, f.severity.value, f.code) for f in found] == [
        ("Ekonomi", "F5", "Varning", "avvikelse-avviker")
    ]
    assert check([planted]).units[0].template.economy[0].deviation == 5288


def test_rule_goal_assessment_missing(write, klf: Template) -> None:
    klf.goals[0] = replace(klf.goals[0], assessment="")
    assert flat(write(klf), ("cell", "code")) == [["C5", "bedomning-saknas"]]


def test_rule_not_assessed_with_analysis_is_fine(write, klf: Template) -> None:
    klf.goals[0] = replace(klf.goals[0], assessment="Ej bedömt", analysis="Kolada publicerar först 2022.")
    assert flat(write(klf)) == []


def test_rule_status_not_allowed(write, klf: Template) -> None:
    klf.assignments[0] = replace(klf.assignments[0], status="Klart")
    assert flat(write(klf), ("cell", "code")) == [["C5", "status-ogiltig"]]


def test_rule_postponed_needs_year_and_comment(write, klf: Template) -> None:
    klf.assignments[1] = replace(klf.assignments[1], new_year=None, comment="")
    assert flat(write(klf), ("cell", "code")) == [["D6", "nytt-ar-saknas"], ["E6", "kommentar-saknas"]]


def test_rule_cancelled_needs_comment(write, klf: Template) -> None:
    klf.assignments[0] = replace(klf.assignments[0], status="Avbryts")
    assert flat(write(klf), ("cell", "code")) == [["E5", "kommentar-saknas"]]


def test_rule_new_year_without_postponing_warns(write, klf: Template) -> None:
    klf.assignments[0] = replace(klf.assignments[0], new_year=2022)
    assert flat(write(klf), ("cell", "severity", "code")) == [["D5", "Varning", "nytt-ar-overflodigt"]]


def test_rule_row_without_id(write, klf: Template) -> None:
    klf.goals[2] = replace(klf.goals[2], goal_id="")
    assert flat(write(klf), ("sheet", "cell", "code")) == [["Nämndmål", "A7", "id-saknas"]]


def test_rule_duplicate_ids_ignore_case(write, klf: Template) -> None:
    klf.economy[1] = replace(klf.economy[1], key="klf-01")
    assert flat(write(klf), ("cell", "code")) == [["A6", "id-dubblett"]]


def test_rule_indicator_rate_total_outside(write, klf: Template) -> None:
    klf.indicators[0] = replace(klf.indicators[0], total=7.5)  # women 6,9, men 3,8
    assert flat(write(klf), ("cell", "code")) == [["F5", "totalt-utanfor"]]


def test_rule_indicator_not_split_needs_reason(write, klf: Template) -> None:
    klf.indicators[1] = replace(klf.indicators[1], women=None, men=None)
    found = check([write(klf)]).report.findings
    assert [(f.cell, f.code) for f in found] == [("D6", "konsuppdelning-saknas")]
    assert "Kvinnor och Män" in found[0].message


def test_rule_indicator_unit_missing_warns(write, klf: Template) -> None:
    klf.indicators[2] = replace(klf.indicators[2], unit="")
    assert flat(write(klf), ("cell", "severity", "code")) == [["C7", "Varning", "enhet-saknas"]]


def test_rule_required_metadata(write, klf: Template) -> None:
    path = write(with_meta(klf, forvaltning="", namnd=""))
    assert flat(path, ("sheet", "cell", "code")) == [
        ["Uppgifter", "B4", "uppgift-saknas"],
        ["Uppgifter", "B5", "uppgift-saknas"],
    ]


def test_rule_report_type_unknown(write, klf: Template) -> None:
    assert flat(write(with_meta(klf, rapport="Kvartalsrapport")), ("cell", "code")) == [["B6", "rapport-okand"]]


def test_rule_period_typed_as_text(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Uppgifter", "B7"): "2021-08-31"}, tmp_path / "t.xlsx")
    assert flat(path, ("cell", "severity", "code")) == [["B7", "Info", "datum-text"]]
    path = fill(write(klf), {("Uppgifter", "B7"): "31 aug"}, tmp_path / "u.xlsx")
    assert flat(path, ("cell", "severity", "code")) == [["B7", "Fel", "datum-ogiltigt"]]


# Structure ---------------------------------------------------------------------------------


def _edit(path: Path, out: Path, change) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(out)
    return out


def test_structure_missing_sheet(write, klf: Template, tmp_path: Path) -> None:
    path = _edit(write(klf), tmp_path / "t.xlsx", lambda wb: wb.remove(wb["Uppdrag"]))
    found = check([path]).report.findings
    assert [(f.sheet, f.code) for f in found] == [("Uppdrag", "blad-saknas")]
    assert '"Nämndmål"' in found[0].message  # names the sheets that are there


def test_structure_renamed_sheet(write, klf: Template, tmp_path: Path) -> None:
    def rename(wb) -> None:
        wb["Nämndmål"].title = "Mål"

    found = check([_edit(write(klf), tmp_path / "t.xlsx", rename)]).report.findings
    assert [(f.sheet, f.severity.value, f.code) for f in found] == [
        ("Nämndmål", "Fel", "blad-saknas"),
        ("Mål", "Varning", "tabell-flyttad"),
    ]


def test_structure_renamed_column(write, klf: Template, tmp_path: Path) -> None:
    def rename(wb) -> None:
        ws = wb["Nämndmål"]
        ws["C4"] = "Bedömn."
        ws.tables["Namndmal"].tableColumns[2].name = "Bedömn."

    found = check([_edit(write(klf), tmp_path / "t.xlsx", rename)]).report.findings
    assert [(f.sheet, f.cell, f.code) for f in found] == [("Nämndmål", "C4", "kolumn-saknas")]
    assert 'där står "Bedömn."' in found[0].message


def test_structure_missing_defined_name(write, klf: Template, tmp_path: Path) -> None:
    def drop(wb) -> None:
        del wb.defined_names["Periodslut"]

    found = check([_edit(write(klf), tmp_path / "t.xlsx", drop)]).report.findings
    assert [(f.sheet, f.cell, f.code) for f in found] == [("Uppgifter", "B7", "namn-saknas")]


def test_structure_unknown_template_version(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Uppgifter", "B11"): "7"}, tmp_path / "t.xlsx")
    result = check([path])
    assert result.report.flatten(["cell", "code"]) == [["B11", "mallversion-okand"]]
    assert result.units[0].template is None


def test_structure_hidden_sheet_and_row(write, klf: Template, tmp_path: Path) -> None:
    def hide(wb) -> None:
        wb["Indikatorer"].sheet_state = "hidden"
        wb["Ekonomi"].row_dimensions[6].hidden = True

    found = check([_edit(write(klf), tmp_path / "t.xlsx", hide)]).report.flatten(["sheet", "cell", "severity", "code"])
    assert found == [["Indikatorer", "", "Varning", "blad-dolt"], ["Ekonomi", "A6", "Varning", "dold-rad"]]


def test_structure_merged_cells_in_table(write, klf: Template, tmp_path: Path) -> None:
    found = check([_edit(write(klf), tmp_path / "t.xlsx", lambda wb: wb["Nämndmål"].merge_cells("B5:B6"))])
    assert found.report.flatten(["sheet", "cell", "code"]) == [["Nämndmål", "B5", "sammanfogade-celler"]]


def test_structure_data_right_of_table(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Ekonomi", "J6"): "glömd anteckning"}, tmp_path / "t.xlsx")
    assert flat(path, ("cell", "code")) == [["J6", "utanfor-tabell"]]


def test_structure_control_characters_and_long_text(write, klf: Template, tmp_path: Path) -> None:
    klf.goals[0] = replace(klf.goals[0], analysis="rad\x07ett")
    # openpyxl (like Excel) cuts the 40 000 characters to 32 767 without a word: the reader says so.
    path = fill(write(klf), {("Nämndmål", "D6"): "x" * 40_000}, tmp_path / "lang.xlsx")
    found = check([path]).report.flatten(["cell", "severity", "code"])
    assert found == [["D5", "Varning", "styrtecken"], ["D6", "Varning", "text-vid-gransen"]]


# Many files ---------------------------------------------------------------------------------


def test_check_one_broken_file_does_not_stop_the_others(write, examples: list[Template], tmp_path: Path) -> None:
    good = [write(t, f"{i}.xlsx") for i, t in enumerate(examples)]
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(b"Radnyckel;Budget\nKLF-01;-98400\n")
    result = check(good + [broken])
    assert [u.file for u in result.units if u.template] == ["0.xlsx", "1.xlsx", "2.xlsx"]
    assert result.report.flatten(["file", "severity"]) == [["trasig.xlsx", "Fel"]]


def test_check_folder_skips_lock_files(write, klf: Template, tmp_path: Path, capsys) -> None:
    write(klf, "KLF.xlsx")
    (tmp_path / "~$KLF.xlsx").write_bytes(b"\x05Kim  ")
    (tmp_path / "anteckning.txt").write_text("inte en mall")
    result = check([tmp_path])
    assert [u.file for u in result.units] == ["KLF.xlsx"]
    assert result.report.flatten(["file", "severity", "code"]) == [["~$KLF.xlsx", "Info", "lasfil"]]


def test_cli_kontrollera_nothing_readable_exit_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.xlsx").write_text("<html>inte excel</html>")
    assert main(["kontrollera", str(tmp_path)]) == 2
    out = capsys.readouterr()
    assert "a.xlsx: Fel: " in out.out
    assert "Ingen mall kunde läsas" in out.err


def test_cli_kontrollera_missing_path_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["kontrollera", str(tmp_path / "finns-inte.xlsx")]) == 2
    assert "finns inte" in capsys.readouterr().out


def _replace_in_part(src: Path, dst: Path, part: str, old: str, new: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                assert old in text, f"{old} saknas i {part}"
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)


def test_structure_other_workbook_is_one_finding(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Något helt annat"
    wb.save(path)
    assert flat(path, ("sheet", "cell", "severity", "code")) == [["", "", "Fel", "inte-en-mall"]]
