"""The plan (contract §4): written by the product's generator, filled with openpyxl as Ekonomistaben
would, read back, and every plan rule reported at its cell."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from conftest import PERIOD as P_PERIOD
from conftest import fill

from delar_xl.cli import main
from delar_xl.demo.namnd import example_plan
from delar_xl.namnd.consolidate import check
from delar_xl.plan import declaration as P
from delar_xl.plan.read import check_plan, is_plan, read_plan
from delar_xl.plan.write import write_plan
from delar_xl.template.write import write_blank

PLAN_NAMES = {"Namnd": "B4", "Ar": "B5", "Planversion": "B6"}
# Contract §4, written out: table → (sheet, headers).
PLAN_TABLES = {
    "PlanForvaltningar": ("Förvaltningar", ["Förvaltning", "Bilaga", "Kontaktperson", "E-post"]),
    "PlanMal": ("Nämndmål", ["Mål-id", "Nämndmål", "Förvaltningar"]),
    "PlanUppdrag": ("Uppdrag", ["Uppdrag-id", "Uppdrag", "Förvaltningar"]),
    "PlanEkonomi": ("Ekonomi", ["Förvaltning", "Radnyckel", "Verksamhet", "Budget helår"]),
    "PlanIndikatorer": ("Indikatorer", ["Indikator-id", "Nämndindikator", "Enhet", "Målvärde", "Förvaltningar"]),
    "PlanMottagare": ("Mottagare", ["Mottagare"]),
}
KLF, VOS, LL = "Kommunledningsförvaltningen", "Verksamhetsstöd och service", "Leanlink"


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "Plan.xlsx", "", None, example_plan())


def flat(path: Path) -> list[list[object]]:
    return [[f.sheet, f.cell, f.severity.value, f.code] for f in check_plan(path).findings]


def stripped(rows: list) -> list:
    return [replace(r, row=0) for r in rows]


# The blank plan ------------------------------------------------------------------------------


def test_plan_blank_has_instructions_first_names_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "Plan.xlsx"
    assert main(["plan", "--namnd", "Kommunstyrelsen", "--ar", "2021", "--ut", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Instruktioner",
        "Uppgifter",
        "Förvaltningar",
        "Nämndmål",
        "Uppdrag",
        "Ekonomi",
        "Indikatorer",
        "Mottagare",
        "Investeringar",
        "Personal",
        "Bilagor",
    ]  # last three: §7
    for name, cell in PLAN_NAMES.items():
        ((sheet, ref),) = list(wb.defined_names[name].destinations)
        assert (sheet, ref.replace("$", "")) == ("Uppgifter", cell)
    assert wb["Uppgifter"]["B4"].value == "Kommunstyrelsen"
    assert wb["Uppgifter"]["B5"].value == 2021
    assert wb["Uppgifter"]["B6"].value == "2"  # Planversion 2: contract §7
    for name, (sheet, headers) in PLAN_TABLES.items():
        ws = wb[sheet]
        assert name in ws.tables, name
        rows = list(ws[ws.tables[name].ref])
        assert [c.value for c in rows[0]] == headers
        assert len(rows) - 1 >= 20, name  # blank rows to fill in
        assert not ws.protection.sheet, f"{sheet} ska inte vara skyddat"
    text = "\n".join(str(c.value) for c in wb["Instruktioner"]["A"] if c.value)
    assert "semikolon (;)" in text and "tkr" in text and "−415 100" in text


def test_plan_ekonomi_forvaltning_is_a_dropdown_from_planforvaltningar(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_plan(tmp_path / "p.xlsx", "Kommunstyrelsen", 2021))
    validations = {str(v.sqref): v for v in wb["Ekonomi"].data_validations.dataValidation}
    assert validations["A5:A104"].type == "list"
    assert validations["A5:A104"].formula1 == "'Förvaltningar'!$A$5:$A$24"
    assert wb["Förvaltningar"].tables["PlanForvaltningar"].ref == "A4:D24"
    bilaga = {str(v.sqref): v for v in wb["Förvaltningar"].data_validations.dataValidation}["B5:B24"]
    assert (bilaga.type, bilaga.formula1) == ("whole", "1")


def test_plan_bad_year_argument_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["plan", "--namnd", "KS", "--ar", "21", "--ut", str(tmp_path / "p.xlsx")])
    assert exit_.value.code == 2
    assert "inte ett budgetår" in capsys.readouterr().err


def test_plan_blank_checked_says_it_has_no_forvaltningar(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "p.xlsx", "Kommunstyrelsen", 2021)
    assert flat(path) == [["Förvaltningar", "A5", "Fel", "plan-inga-forvaltningar"]]


# Round trip ------------------------------------------------------------------------------------


def test_plan_round_trip_example(plan_file: Path) -> None:
    expected = example_plan()
    result = check_plan(plan_file)
    assert result.findings == []
    plan = result.plan
    assert (plan.namnd, plan.year, plan.planversion) == ("Kommunstyrelsen", 2021, "2")
    assert stripped(plan.units) == expected.units
    assert stripped(plan.goals) == expected.goals
    assert stripped(plan.assignments) == expected.assignments
    assert stripped(plan.economy) == expected.economy
    assert stripped(plan.indicators) == expected.indicators
    assert plan.recipients == expected.recipients
    assert result.sha256 == hashlib.sha256(plan_file.read_bytes()).hexdigest()
    assert [u.row for u in plan.units] == [5, 6, 7]
    assert plan.unit_names() == [KLF, VOS, LL]


def test_plan_example_content_matches_the_reference() -> None:
    plan = example_plan()
    # Bilaga 1 is kommunstyrelsen's own delårsrapport, 2 and 5 the plan's other bilagor (issue 22)
    assert [(u.forvaltning, u.bilaga) for u in plan.units] == [(KLF, 3), (VOS, 4), (LL, 6)]
    assert [(a.bilaga, a.title) for a in plan.attachments] == [
        (2, "Uppföljning av Kommunstyrelsens lokalförsörjningsplan 2021"),
        (5, "Uppföljning av Verksamhetsstöd och services verksamhetsplan per den 31 augusti 2021"),
    ]
    assert len(plan.goals) == 18 and len(plan.assignments) == 18
    assert [g.units for g in plan.goals if g.goal_id == "KS-M05"] == [(KLF, VOS)]
    assert sum(r.budget for r in plan.economy) == -310_600
    assert plan.recipients[0] == "Biträdande kommundirektör, Mikael Borin"
    assert plan.recipients[-1] == "Ekonomistaben" and len(plan.recipients) == 7
    # The shared indicator has a target per förvaltning, so the plan leaves it to them.
    (sick,) = [i for i in plan.indicators if i.indicator_id == "N00090"]
    assert (sick.units, sick.target) == ((), None)


def test_plan_reading_never_modifies_the_file(plan_file: Path) -> None:
    before = plan_file.read_bytes()
    read_plan(plan_file)
    check([plan_file])
    assert plan_file.read_bytes() == before


# Not a plan ------------------------------------------------------------------------------------


def test_plan_is_plan_tells_plans_from_other_files(plan_file: Path, tmp_path: Path, demo) -> None:
    template = write_blank(tmp_path / "mall.xlsx", "Leanlink", P_PERIOD)
    csv = tmp_path / "plan.csv"
    csv.write_text("Förvaltning;Bilaga\nLeanlink;6\n", encoding="utf-8")
    assert is_plan(plan_file) and is_plan(plan_file.read_bytes())
    assert not is_plan(template) and not is_plan(demo.summary) and not is_plan(csv)
    assert not is_plan(tmp_path / "finns-inte.xlsx")


@pytest.mark.parametrize("kind", ["template", "summary", "csv"])
def test_plan_not_a_plan_is_one_clear_error(kind: str, tmp_path: Path, demo) -> None:
    if kind == "template":
        path = write_blank(tmp_path / "mall.xlsx", "Leanlink", P_PERIOD)
        words = "en mall för delårsrapport, inte en plan"
    elif kind == "summary":
        path = demo.summary
        words = "en sammanställning, inte en plan"
    else:
        path = tmp_path / "plan.xlsx"
        path.write_text("Förvaltning;Bilaga\nLeanlink;6\n", encoding="utf-8")
        words = ""
    result = check_plan(path)
    assert result.plan is None
    (finding,) = result.findings
    assert finding.severity.value == "Fel" and finding.cell == ""
    assert finding.code == ("fil-inte-xlsx" if kind == "csv" else "inte-en-plan")
    assert words in finding.message


def test_plan_given_to_the_template_reader_is_refused_clearly(plan_file: Path) -> None:
    from delar_xl.template.read import read_template

    result = read_template(plan_file)
    assert result.template is None
    assert [(f.severity.value, f.code) for f in result.findings] == [("Fel", "plan-inte-mall")]


# kontrollera PLAN ----------------------------------------------------------------------------


def test_plan_kontrollera_checks_a_plan_as_a_plan(plan_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kontrollera", str(plan_file)]) == 0
    out = capsys.readouterr().out
    assert "1 fil kontrollerad: 0 fel" in out
    assert "bland filerna används" not in out  # a plan on its own is checked, not used for templates


def test_plan_in_a_folder_of_templates_is_checked_as_a_plan(plan_file: Path, tmp_path: Path, write, klf) -> None:
    folder = tmp_path / "mallar"
    folder.mkdir()
    (folder / plan_file.name).write_bytes(plan_file.read_bytes())
    write(klf, "mallar/Bilaga 1.xlsx")
    result = check([folder])
    # Issue 10: a plan among the templates is also used to check them (part B), and says so. Issue 19:
    # kontrollera also names the plan goals and uppdrag nobody reported, as konsolidera does.
    found = result.report.flatten(["file", "severity", "code"])
    assert [row for row in found if row[2] not in ("plan-mal-ej-bedomt", "plan-uppdrag-ej-rapporterat")] == [
        ["Plan.xlsx", "Info", "plan-hittad"],
        ["Plan.xlsx", "Varning", "plan-forvaltning-saknas"],
        ["Plan.xlsx", "Varning", "plan-forvaltning-saknas"],
    ]
    assert ["Plan.xlsx", "Varning", "plan-mal-ej-bedomt"] in found
    assert [u.file for u in result.units] == ["Bilaga 1.xlsx"]
    assert [(p.file, p.plan.namnd) for p in result.plans] == [("Plan.xlsx", "Kommunstyrelsen")]


def test_plan_kontrollera_with_errors_is_exit_1(plan_file: Path, tmp_path: Path) -> None:
    bad = fill(plan_file, {("Förvaltningar", "B6"): 3}, tmp_path / "dubblett.xlsx")  # VOS as KLF's Bilaga 3
    assert main(["kontrollera", str(bad)]) == 1


def test_plan_kontrollera_not_a_plan_nothing_readable_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("inte en arbetsbok", encoding="utf-8")
    assert main(["kontrollera", str(path)]) == 2


# Each rule at its cell -------------------------------------------------------------------------


def _one(plan_file: Path, tmp_path: Path, edits: dict) -> list[list[object]]:
    return flat(fill(plan_file, edits, tmp_path / "ändrad.xlsx"))


def test_plan_rule_duplicate_forvaltning(plan_file: Path, tmp_path: Path) -> None:
    assert _one(plan_file, tmp_path, {("Förvaltningar", "A8"): "leanlink", ("Förvaltningar", "B8"): 7}) == [
        ["Förvaltningar", "A8", "Fel", "plan-forvaltning-dubblett"]
    ]


@pytest.mark.parametrize(
    "sheet, cell, value, what",
    [
        ("Nämndmål", "A6", "KS-M01", "Mål-id KS-M01 finns redan på rad 5 (cell A5)"),
        ("Uppdrag", "A22", "KS-U17", "Uppdrag-id KS-U17 finns redan på rad 21 (cell A21)"),
        ("Indikatorer", "A6", "N00090", "Indikator-id N00090 finns redan på rad 5 (cell A5)"),
    ],
)
def test_plan_rule_duplicate_ids(plan_file: Path, tmp_path: Path, sheet: str, cell: str, value: str, what: str) -> None:
    result = check_plan(fill(plan_file, {(sheet, cell): value}, tmp_path / "d.xlsx"))
    assert [[f.sheet, f.cell, f.code] for f in result.findings] == [[sheet, cell, "plan-id-dubblett"]]
    assert what in result.findings[0].message


def test_plan_rule_duplicate_radnyckel_per_forvaltning(plan_file: Path, tmp_path: Path) -> None:
    # Ekonomi rows 5–10 are KLF-01…06; row 11 is VOS-01. The same key in another förvaltning is fine.
    edits = {("Ekonomi", "B6"): "KLF-01", ("Ekonomi", "B11"): "KLF-03"}
    assert _one(plan_file, tmp_path, edits) == [["Ekonomi", "B6", "Fel", "plan-radnyckel-dubblett"]]


def test_plan_rule_unknown_forvaltning_in_a_list_suggests_the_closest(plan_file: Path, tmp_path: Path) -> None:
    result = check_plan(
        fill(
            plan_file,
            {("Nämndmål", "C9"): "Kommunledningsförvaltningen; Verksamhetsstöd o service"},
            tmp_path / "d.xlsx",
        )
    )
    assert [[f.sheet, f.cell, f.code] for f in result.findings] == [["Nämndmål", "C9", "plan-forvaltning-okand"]]
    assert result.findings[0].message == (
        'Förvaltningen "Verksamhetsstöd o service" finns inte i tabellen PlanForvaltningar (fliken Förvaltningar). '
        "Menade du Verksamhetsstöd och service?"
    )


def test_plan_rule_unknown_forvaltning_in_ekonomi(plan_file: Path, tmp_path: Path) -> None:
    result = check_plan(fill(plan_file, {("Ekonomi", "A16"): "Lean link"}, tmp_path / "d.xlsx"))
    assert [[f.sheet, f.cell, f.code] for f in result.findings] == [["Ekonomi", "A16", "plan-forvaltning-okand"]]
    assert result.findings[0].message.endswith("Menade du Leanlink?")


def test_plan_rule_unknown_forvaltning_without_anything_close(plan_file: Path, tmp_path: Path) -> None:
    result = check_plan(fill(plan_file, {("Uppdrag", "C5"): "Socialförvaltningen"}, tmp_path / "d.xlsx"))
    assert [[f.cell, f.code] for f in result.findings] == [["C5", "plan-forvaltning-okand"]]
    assert "Menade du" not in result.findings[0].message


def test_plan_rule_missing_and_duplicate_bilaga(plan_file: Path, tmp_path: Path) -> None:
    edits = {("Förvaltningar", "B5"): None, ("Förvaltningar", "B7"): 4}
    assert _one(plan_file, tmp_path, edits) == [
        ["Förvaltningar", "B5", "Fel", "plan-bilaga-saknas"],
        ["Förvaltningar", "B7", "Fel", "plan-bilaga-dubblett"],
    ]


@pytest.mark.parametrize("value, code", [(4.5, "plan-bilaga-ej-heltal"), ("fyra", "tal-ogiltigt")])
def test_plan_rule_bilaga_not_a_whole_number(plan_file: Path, tmp_path: Path, value: object, code: str) -> None:
    # Reported once, by the reader: the rules do not add "Bilaga saknas" for the same cell.
    assert _one(plan_file, tmp_path, {("Förvaltningar", "B6"): value}) == [["Förvaltningar", "B6", "Fel", code]]


def test_plan_rule_budget_not_a_number(plan_file: Path, tmp_path: Path) -> None:
    result = check_plan(fill(plan_file, {("Ekonomi", "D7"): "mycket"}, tmp_path / "d.xlsx"))
    assert [[f.sheet, f.cell, f.severity.value, f.code] for f in result.findings] == [
        ["Ekonomi", "D7", "Fel", "tal-ogiltigt"]
    ]
    assert 'Budget helår "mycket" är inte ett tal' in result.findings[0].message


def test_plan_rule_budget_as_swedish_text_is_read_with_a_note(plan_file: Path, tmp_path: Path) -> None:
    result = check_plan(fill(plan_file, {("Ekonomi", "D7"): "−415 100"}, tmp_path / "d.xlsx"))
    assert [[f.cell, f.severity.value, f.code] for f in result.findings] == [["D7", "Info", "tal-som-text"]]
    assert result.plan.economy[2].budget == -415_100


def test_plan_rule_missing_budget_is_a_warning(plan_file: Path, tmp_path: Path) -> None:
    assert _one(plan_file, tmp_path, {("Ekonomi", "D8"): None}) == [["Ekonomi", "D8", "Varning", "plan-budget-saknas"]]


@pytest.mark.parametrize("value", ["controller.klf", "a b@kommun.se", "x@y", "a@b.se; c@d.se"])
def test_plan_rule_email_not_an_address(plan_file: Path, tmp_path: Path, value: str) -> None:
    assert _one(plan_file, tmp_path, {("Förvaltningar", "D6"): value}) == [
        ["Förvaltningar", "D6", "Fel", "plan-epost-ogiltig"]
    ]


@pytest.mark.parametrize(
    "value, code",
    [
        ("tjugoett", "plan-ar-ogiltigt"),
        (1899, "plan-ar-ogiltigt"),
        (2021.5, "plan-ar-ogiltigt"),
        (None, "plan-ar-saknas"),
    ],
)
def test_plan_rule_year_not_a_year(plan_file: Path, tmp_path: Path, value: object, code: str) -> None:
    assert _one(plan_file, tmp_path, {("Uppgifter", "B5"): value}) == [["Uppgifter", "B5", "Fel", code]]


def test_plan_rule_year_as_text_is_read(plan_file: Path, tmp_path: Path) -> None:
    result = check_plan(fill(plan_file, {("Uppgifter", "B5"): "2021"}, tmp_path / "d.xlsx"))
    assert result.findings == [] and result.plan.year == 2021


def test_plan_rule_missing_namnd(plan_file: Path, tmp_path: Path) -> None:
    assert _one(plan_file, tmp_path, {("Uppgifter", "B4"): None}) == [["Uppgifter", "B4", "Fel", "plan-namnd-saknas"]]


def test_plan_rule_row_without_id(plan_file: Path, tmp_path: Path) -> None:
    assert _one(plan_file, tmp_path, {("Nämndmål", "A7"): None}) == [["Nämndmål", "A7", "Fel", "plan-id-saknas"]]


def test_plan_unknown_version_is_one_error(plan_file: Path, tmp_path: Path) -> None:
    assert _one(plan_file, tmp_path, {("Uppgifter", "B6"): "9"}) == [["Uppgifter", "B6", "Fel", "planversion-okand"]]


def test_plan_missing_table_is_reported(plan_file: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(plan_file)
    del wb["Mottagare"].tables["PlanMottagare"]
    wb.save(tmp_path / "utan.xlsx")
    assert flat(tmp_path / "utan.xlsx") == [["Mottagare", "", "Fel", "tabell-saknas"]]


def test_plan_rules_are_pure_functions_of_the_plan() -> None:
    """No file needed: the demo's plan passes every rule; a broken one in memory is caught."""
    from delar_xl.plan.rules import validate_plan

    assert validate_plan(example_plan()) == []
    plan = example_plan()
    plan.units.append(P.PlanUnit("Leanlink", 6, "", "inte-en-adress", row=8))
    assert [f.code for f in validate_plan(plan)] == [
        "plan-forvaltning-dubblett",
        "plan-bilaga-dubblett",
        "plan-epost-ogiltig",
    ]


# Bad files go through the same guard as templates ----------------------------------------------


def _rewrite_part(source: Path, target: Path, part: str, change) -> Path:
    import zipfile

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == part else data)
    return target


def test_plan_with_a_doctype_is_refused_by_the_guard(plan_file: Path, tmp_path: Path) -> None:
    hostile = _rewrite_part(
        plan_file,
        tmp_path / "dtd.xlsx",
        "xl/workbook.xml",
        lambda data: data.replace(b"?>", b'?><!DOCTYPE workbook [<!ENTITY lol "lol">]>', 1),
    )
    assert is_plan(hostile)  # it says it is a plan …
    result = check_plan(hostile)
    assert result.plan is None  # … but the guard refuses it before any parser runs
    assert [(f.severity.value, f.code) for f in result.findings] == [("Fel", "fil-dtd")]


def test_plan_truncated_is_one_error(plan_file: Path, tmp_path: Path) -> None:
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(plan_file.read_bytes()[:3000])
    result = check_plan(broken)
    assert result.plan is None and len(result.findings) == 1
    assert result.findings[0].severity.value == "Fel"


def test_plan_with_errors_in_a_folder_of_templates(
    plan_file: Path, tmp_path: Path, write, klf, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mallar"
    folder.mkdir()
    fill(plan_file, {("Förvaltningar", "D5"): "inte en adress"}, folder / "Plan.xlsx")
    write(klf, "mallar/Bilaga 1.xlsx")
    assert main(["kontrollera", str(folder)]) == 1
    out = capsys.readouterr().out
    assert 'Plan.xlsx, blad Förvaltningar, cell D5: Fel: E-post "inte en adress" är ingen e-postadress.' in out
    assert "Bilaga 1.xlsx" not in out  # the template is clean
    assert "2 filer kontrollerade: 1 fel" in out
