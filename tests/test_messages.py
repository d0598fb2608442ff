"""Messages that say what is really wrong (issue 12, point 3): formulas in input cells, choices typed
almost right, missing sheets, untouched templates, LibreOffice's ways, and the CLI's closing lines.

Templates are written by the product's generator and edited with openpyxl as a controller's
program would; a calculated formula is what Excel saves: the formula with its value in `<v>`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from conftest import fill

from delar_xl import check, consolidate
from delar_xl.cli import main
from delar_xl.findings import Finding
from delar_xl.namnd.summary import write_summary
from delar_xl.template.model import Template

EKONOMI_PART = "xl/worksheets/sheet3.xml"  # openpyxl saves the sheets in order: Instruktioner, Uppgifter, Ekonomi


def findings(path: Path) -> list[Finding]:
    return check([path]).report.findings


def at(path: Path, sheet: str, cell: str) -> list[Finding]:
    return [f for f in findings(path) if (f.sheet, f.cell) == (sheet, cell)]


def with_cached_value(path: Path, part: str, cell: str, value: str) -> Path:
    """Give a formula the value Excel would have saved with it (openpyxl saves `<v />`, or `<v></v>`
    when lxml is installed)."""
    with zipfile.ZipFile(path) as zf:
        items = {name: zf.read(name) for name in zf.namelist()}
    xml = items[part].decode()
    xml, n = re.subn(rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)', rf"\g<1><v>{value}</v>", xml)
    assert n == 1, cell
    items[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items.items():
            zf.writestr(name, data)
    return path


# Formulas in input cells ----------------------------------------------------------------------


def test_uncalculated_formula_in_input_cell_is_reported_as_a_formula(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Ekonomi", "E5"): "=C5+4000"}, tmp_path / "program.xlsx")
    found = at(path, "Ekonomi", "E5")
    assert [(f.severity.value, f.code) for f in found] == [("Fel", "formel-ej-beraknad")]
    assert found[0].message.startswith("Prognos helår: cellen innehåller en formel som inte har räknats ut")
    assert "Öppna filen i Excel och spara den" in found[0].message
    assert "saknas" not in found[0].message


def test_calculated_formula_in_input_cell_is_read_by_its_value(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Ekonomi", "E5"): "=C5+4000"}, tmp_path / "excel.xlsx")
    # −98 400 + 4 000: the value Excel computes (−411 100 before issue 19, a deviation the plausibility rules flag)
    with_cached_value(path, EKONOMI_PART, "E5", "-94400")
    result = check([path])
    found = [f for f in result.report.findings if (f.sheet, f.cell) == ("Ekonomi", "E5")]
    assert [(f.severity.value, f.code) for f in found] == [("Info", "formel-i-cell")]
    assert "Prognos helår är en formel; dess uträknade värde (\u221294\u00a0400) används" in found[0].message
    assert result.units[0].template.economy[0].forecast == -94_400
    assert result.report.valid


def test_uncalculated_formula_in_a_choice_cell(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Nämndmål", "C5"): '=IF(1=1,"Uppnås helt","")'}, tmp_path / "program.xlsx")
    assert [f.code for f in at(path, "Nämndmål", "C5")] == ["formel-ej-beraknad"]  # not "Bedömning saknas"


def test_uncalculated_formula_in_metadata(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Uppgifter", "B4"): '="Kommunledningsförvaltningen"'}, tmp_path / "program.xlsx")
    assert [f.code for f in at(path, "Uppgifter", "B4")] == ["formel-ej-beraknad"]  # not "Förvaltning måste fyllas i"


def test_missing_deviation_formula_is_an_info(write, klf: Template, tmp_path: Path) -> None:
    """LibreOffice does not carry a table's calculated column into a row inserted in it."""
    path = fill(write(klf), {("Ekonomi", "F6"): None}, tmp_path / "libreoffice.xlsx")
    result = check([path])
    found = [f for f in result.report.findings if (f.sheet, f.cell) == ("Ekonomi", "F6")]
    assert [(f.severity.value, f.code) for f in found] == [("Info", "formel-saknas")]
    assert "LibreOffice" in found[0].message
    assert result.units[0].template.economy[1].deviation == klf.economy[1].deviation  # recomputed
    assert [f.code for f in result.report.findings] == ["formel-saknas"]


def test_formulas_are_found_in_the_sheet_xml() -> None:
    from delar_xl.xlsx.parts import formula_cells

    xml = (
        b'<row r="5"><c r="C5"><v>1</v></c><c r="E5" t="str"><f>C5</f><v></v></c>'
        b'<c r="F5"><f t="shared" si="0"/><v>3</v></c><x:c r="AA10"><x:f>1</x:f><x:v /></x:c></row>'
    )
    assert formula_cells(xml) == {(4, 4): True, (4, 5): True, (9, 26): False}
    assert formula_cells(b'<row r="1"><c r="A1"><v>1</v></c></row>') == {}


# Choices --------------------------------------------------------------------------------------


def test_choice_in_wrong_case_and_spaces_is_understood(write, klf: Template, tmp_path: Path) -> None:
    path = fill(
        write(klf), {("Nämndmål", "C5"): "  uppnås  DELVIS ", ("Uppdrag", "C5"): "verkställt"}, tmp_path / "m.xlsx"
    )
    result = check([path])
    assert result.report.flatten(["severity", "sheet", "cell", "code"]) == [
        ["Info", "Nämndmål", "C5", "val-tolkat"],
        ["Info", "Uppdrag", "C5", "val-tolkat"],
    ]
    assert result.report.findings[0].message == (
        'Bedömning "uppnås  DELVIS" är skrivet med andra versaler eller mellanslag än i listan; '
        'tolkat som "Uppnås delvis". Välj gärna värdet i listan.'
    )
    template = result.units[0].template
    assert template.goals[0].assessment == "Uppnås delvis"
    assert template.assignments[0].status == "Verkställt"


def test_near_miss_gets_a_suggestion_before_the_list(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Uppdrag", "C5"): "Verkstält"}, tmp_path / "m.xlsx")
    (found,) = at(path, "Uppdrag", "C5")
    assert found.code == "status-ogiltig"
    assert found.message == (
        'Statusen "Verkstält" för uppdrag KS-U01 är inte tillåten. Menade du Verkställt? '
        "Välj Verkställt, Verkställs under året, Förskjuts eller Avbryts i listan."
    )


def test_far_miss_gets_no_suggestion(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Nämndmål", "C5"): "Uppnås nästan"}, tmp_path / "m.xlsx")
    (found,) = at(path, "Nämndmål", "C5")
    assert "Menade du" not in found.message


# Sheets, empty templates, numbers as text ------------------------------------------------------


def test_missing_sheet_does_not_assume_a_rename(write, klf: Template, tmp_path: Path) -> None:
    path = write(klf)
    wb = openpyxl.load_workbook(path)
    del wb["Indikatorer"]
    wb.save(tmp_path / "utan.xlsx")
    (found,) = [f for f in findings(tmp_path / "utan.xlsx") if f.code == "blad-saknas"]
    assert found.message.startswith('Bladet "Indikatorer" saknas eller har fått ett annat namn.')
    assert "hämta en ny mall" in found.message


def test_untouched_template_warns(write, klf: Template) -> None:
    # version 2 (contract §7): Investeringar is a table with rows too, so an untouched template has none there
    path = write(replace(klf, economy=[], goals=[], assignments=[], indicators=[], investments=[]))
    found = [f for f in findings(path) if f.code == "mall-tom"]
    assert [(f.severity.value, f.sheet, f.cell) for f in found] == [("Varning", "Ekonomi", "A5")]


def test_template_with_rows_does_not_warn_empty(write, klf: Template) -> None:
    path = write(replace(klf, economy=[], goals=[], assignments=[]))  # indicators only
    assert "mall-tom" not in [f.code for f in findings(path)]


def test_number_as_text_info_does_not_assume_quotes(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Ekonomi", "D7"): "12,8"}, tmp_path / "m.xlsx")
    # 12,8 against a budget of −38 600 is also a plausibility Varning (issue 19); this test is about the Info.
    (found,) = [f for f in at(path, "Ekonomi", "D7") if not f.code.startswith("rimlig-")]
    assert found.code == "tal-som-text"
    assert "citattecken" not in found.message
    assert "formaterad som text" in found.message


# LibreOffice's ways ----------------------------------------------------------------------------


def test_outside_table_advice_says_what_to_do_in_libreoffice(write, klf: Template, tmp_path: Path) -> None:
    path = fill(write(klf), {("Ekonomi", "A45"): "KLF-99"}, tmp_path / "m.xlsx")
    (found,) = at(path, "Ekonomi", "A45")
    assert "Granska ▸ Ta bort skydd" in found.message
    assert "I LibreOffice kan en tabell inte dras ut" in found.message
    assert "infoga rader" in found.message


def test_instructions_say_what_to_do_in_libreoffice(write, klf: Template) -> None:
    ws = openpyxl.load_workbook(write(klf))["Instruktioner"]
    lines = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any(
        line.startswith("• I LibreOffice kan en tabell inte dras ut") and "Infoga rader ovanför" in line
        for line in lines
    ), lines


# The command line ------------------------------------------------------------------------------


def test_cli_singular_file(write, klf: Template, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kontrollera", str(write(klf))]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 fil kontrollerad: 0 fel, 0 varningar, 0 info."


def test_cli_plural_files_and_one_warning(write, examples, capsys: pytest.CaptureFixture[str]) -> None:
    klf, vos, ll = examples
    ll = replace(ll, indicators=[replace(ll.indicators[0], unit="")] + ll.indicators[1:])
    main(["kontrollera", str(write(klf, "a.xlsx")), str(write(vos, "b.xlsx")), str(write(ll, "c.xlsx"))])
    assert capsys.readouterr().out.splitlines()[-1] == "3 filer kontrollerade: 0 fel, 1 varning, 0 info."


def test_cli_nothing_readable_line_on_its_own_line(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_text("inte en arbetsbok")
    run = subprocess.run(
        [sys.executable, "-m", "delar_xl.cli", "kontrollera", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert run.returncode == 2
    lines = run.stdout.splitlines()
    assert lines[-2:] == ["1 fil kontrollerad: 1 fel, 0 varningar, 0 info.", "Ingen mall kunde läsas."]


def test_konsolidera_names_what_is_left_out(
    write, examples, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    klf, vos, ll = examples
    vos = replace(vos, goals=[replace(g, assessment="Kanske") if g.goal_id == "KS-M13" else g for g in vos.goals])
    paths = [write(t, f"Bilaga {i} – {t.meta.forvaltning}.xlsx") for i, t in enumerate([klf, vos, ll], 1)]
    write_summary(consolidate([paths[0]]), paths[0].parent / "Gammal sammanställning.xlsx")
    (paths[0].parent / "Trasig.xlsx").write_text("inte en arbetsbok")
    capsys.readouterr()
    assert main(["konsolidera", str(paths[0].parent), "--ut", str(tmp_path / "ut" / "s.xlsx")]) == 1
    out = capsys.readouterr().out.splitlines()
    tail = out[out.index("  Totalt: +34,9 mnkr") + 1 :]
    assert tail[:3] == [
        "  Ingår inte: Verksamhetsstöd och service (Bilaga 2 – Verksamhetsstöd och service.xlsx) – "
        "fel i mallen (1 fel, se ovan)",
        "  Hoppades över: Gammal sammanställning.xlsx – Filen är en sammanställning från delar_xl, inte en mall; "
        "den hoppas över. Lägg nämndernas sammanställningar i en egen mapp och kör konsolidera på den.",
        "  Ingår inte: Trasig.xlsx – kan inte läsas (1 fel, se ovan)",
    ]


def test_old_format_advice_says_how_in_libreoffice() -> None:
    fixture = Path(__file__).parent / "fixtures" / "mall.xls"
    (found,) = findings(fixture)
    assert "spara som Excel-arbetsbok (*.xlsx)" in found.message
    assert "i LibreOffice: Arkiv ▸ Spara som, filtyp Excel 2007–365 (.xlsx)" in found.message


def test_hidden_sheet_advice_says_how_in_libreoffice(write, klf: Template, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write(klf))
    wb["Indikatorer"].sheet_state = "hidden"
    wb.save(tmp_path / "dold.xlsx")
    (found,) = [f for f in findings(tmp_path / "dold.xlsx") if f.code == "blad-dolt"]
    assert "Ta fram" in found.message and "i LibreOffice ▸ Visa blad" in found.message


def test_formula_calculated_by_libreoffice_is_read_by_its_value(
    soffice: str, write, klf: Template, tmp_path: Path
) -> None:
    """The real engine: openpyxl writes the formula, LibreOffice calculates and saves it."""
    from libreoffice import convert

    (tmp_path / "in").mkdir()
    path = fill(write(klf), {("Ekonomi", "E5"): "=C5+4000"}, tmp_path / "in" / "mall.xlsx")
    assert [f.code for f in at(path, "Ekonomi", "E5")] == ["formel-ej-beraknad"]
    (saved,) = convert([path], "xlsx", tmp_path / "lo", recalc=True)
    result = check([saved])
    assert result.report.flatten(["severity", "sheet", "cell", "code"]) == [["Info", "Ekonomi", "E5", "formel-i-cell"]]
    assert result.units[0].template.economy[0].forecast == -94_400  # −98 400 + 4 000
