"""The kommun level (contract §6): nämnd summaries written by the product → the kommun's summary.

Every input here is a real summary: the demo's kommunstyrelsen, and the invented nämnder of
demo/kommun.py (or variants of them) written through the template generator, `consolidate` and
`write_summary`. The kommun summary is read back with openpyxl, like a user's tool would.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import with_meta
from contract import SUMMARY_NAMES, SUMMARY_TABLES

from delar_xl.cli import main
from delar_xl.demo.kommun import example_namnder, write_kommun_demo
from delar_xl.demo.namnd import Demo
from delar_xl.kommun.consolidate import consolidate_kommun
from delar_xl.kommun.text import paragraphs
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.summary import write_summary
from delar_xl.template.model import Template
from delar_xl.template.write import template_file_name, write_template

# Contract §6, written out independently of the code (as tests/contract.py does for §1 and §2).
NAMNDER_HEADERS = [
    "Nämnd",
    "Budget helår",
    "Prognos helår",
    "Avvikelse helår",
    "Mål helt",
    "Mål delvis",
    "Mål inte",
    "Mål ej bedömt",
    "Uppdrag verkställs",
    "Uppdrag förskjuts",
    "Status",
]
KS_FILE = "Sammanställning Kommunstyrelsen 2021-08-31.xlsx"
UBN_FILE = "Sammanställning Utbildningsnämnden 2021-08-31.xlsx"
AEN_FILE = "Sammanställning Äldrenämnden 2021-08-31.xlsx"


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def names(path: Path) -> dict[str, object]:
    wb = load(path)
    values = {}
    for name, dn in wb.defined_names.items():
        ((sheet, ref),) = list(dn.destinations)
        values[name] = wb[sheet][ref.replace("$", "")].value
    return values


def name_cell(path: Path, name: str) -> tuple[str, str]:
    """(sheet, A1 cell) of a defined name, as findings name it."""
    ((sheet, ref),) = list(load(path).defined_names[name].destinations)
    return sheet, ref.replace("$", "")


def table_cell(path: Path, name: str, first: str, header: str) -> str:
    """A1 cell of column `header` in the row of `name` whose first cell is `first`."""
    from openpyxl.utils import get_column_letter, range_boundaries

    wb = load(path)
    for ws in wb.worksheets:
        if name in ws.tables:
            min_col, min_row, _, max_row = range_boundaries(ws.tables[name].ref)
            headers = [c.value for c in ws[min_row]][min_col - 1 :]
            for row in range(min_row + 1, max_row + 1):
                if ws.cell(row, min_col).value == first:
                    return f"{get_column_letter(min_col + headers.index(header))}{row}"
    raise AssertionError(f"{first} not in {name}")


def table(path: Path, name: str) -> list[list[object]]:
    """Header and rows of a table, wherever it is."""
    wb = load(path)
    for ws in wb.worksheets:
        if name in ws.tables:
            return [[c.value for c in row] for row in ws[ws.tables[name].ref]]
    raise AssertionError(f"table {name} missing")


def records(path: Path, name: str) -> list[dict[str, object]]:
    header, *rows = table(path, name)
    return [dict(zip(header, r)) for r in rows if any(v is not None for v in r)]


def namnd_summary(folder: Path, templates: list[Template], name: str | None = None) -> Path:
    """Write the templates into their own folder, consolidate them and write the nämnd's summary into `folder`."""
    namnd = templates[0].meta.namnd
    period = templates[0].meta.periodslut
    source = folder.parent / f"mallar {name or namnd} {period}"
    for t in templates:
        write_template(source / template_file_name(t.meta.forvaltning, period), t)
    result = consolidate([source])
    return write_summary(result, folder / (name or f"Sammanställning {namnd} {period.isoformat()}.xlsx"))


@pytest.fixture
def folder(demo: Demo, tmp_path: Path) -> Path:
    """Three nämnd summaries for 2021-08-31: kommunstyrelsen (the demo) and the two invented nämnder."""
    target = tmp_path / "nämnder"
    target.mkdir()
    shutil.copy2(demo.summary, target / KS_FILE)
    for template in example_namnder():
        namnd_summary(target, [template])
    return target


def other_period(folder: Path) -> Path:
    """A fourth nämnd whose summary is for 2021-04-30."""
    aldre = example_namnder()[1]
    template = with_meta(aldre, namnd="Kulturnämnden", forvaltning="Kulturförvaltningen", periodslut=date(2021, 4, 30))
    return namnd_summary(folder, [template])


# Contract §6 names and tables ------------------------------------------------------------------


def test_nämnd_summary_says_niva_namnd(demo: Demo) -> None:
    assert names(demo.summary)["Niva"] == "Nämnd"


def test_kommun_summary_contract_names(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 0
    values = names(out)
    assert values["Niva"] == "Kommun"
    assert set(SUMMARY_NAMES) <= set(values)
    assert values["AntalNamnder"] == 3
    assert [values[n] for n in ("AntalMal", "MalHelt", "MalDelvis", "MalInte", "MalEjBedomt")] == [23, 10, 11, 1, 1]
    assert [values[n] for n in ("AntalUppdrag", "UppdragVerkstalls", "UppdragForskjuts", "UppdragAvbryts")] == [
        21,
        17,
        4,
        0,
    ]
    assert [values["AntalFel"], values["AntalVarningar"]] == [0, 0]


def test_kommun_summary_contract_tables(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    assert table(out, "Namnder")[0][: len(NAMNDER_HEADERS)] == NAMNDER_HEADERS
    for name, columns in SUMMARY_TABLES.items():
        header = table(out, name)[0]
        assert header[: len(columns)] == columns, name
    for name in ("Forvaltningar", "Ekonomi", "Namndmal", "Uppdrag", "Indikatorer"):
        assert table(out, name)[0][-1] == "Nämnd", name


def test_kommun_summary_one_row_per_namnd(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    rows = [
        [
            r[h]
            for h in (
                "Nämnd",
                "Mål helt",
                "Mål delvis",
                "Mål inte",
                "Mål ej bedömt",
                "Uppdrag verkställs",
                "Uppdrag förskjuts",
                "Status",
            )
        ]
        for r in records(out, "Namnder")
    ]
    assert rows == [
        ["Kommunstyrelsen", 8, 10, 0, 0, 15, 3, "Med i sammanställningen"],
        ["Utbildningsnämnden", 1, 1, 0, 1, 1, 1, "Med i sammanställningen"],
        ["Äldrenämnden", 1, 0, 1, 0, 1, 0, "Med i sammanställningen"],
    ]
    deviations = [round(r["Avvikelse helår"], 6) for r in records(out, "Namnder")]
    assert deviations == [43.065, -3.4, 5.7]


def test_kommun_detail_tables_carry_the_namnd(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    units = [(r["Förvaltning"], r["Nämnd"]) for r in records(out, "Forvaltningar")]
    assert units == [
        ("Kommunledningsförvaltningen", "Kommunstyrelsen"),
        ("Verksamhetsstöd och service", "Kommunstyrelsen"),
        ("Leanlink", "Kommunstyrelsen"),
        ("Utbildningsförvaltningen", "Utbildningsnämnden"),
        ("Äldreförvaltningen", "Äldrenämnden"),
    ]
    economy = records(out, "Ekonomi")
    assert len(economy) == 16 + 3 + 2
    assert (economy[-1]["Förvaltning"], economy[-1]["Radnyckel"], economy[-1]["Nämnd"]) == (
        "Äldreförvaltningen",
        "AF-02",
        "Äldrenämnden",
    )


def test_kommun_kallor_names_each_summary_with_its_sha256(folder: Path, tmp_path: Path) -> None:
    import hashlib

    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    rows = [(r["Fil"], r["SHA-256"], r["Nämnd"], r["Status"]) for r in records(out, "Kallor")]
    expected = [
        (f, hashlib.sha256((folder / f).read_bytes()).hexdigest(), n, "Med i sammanställningen")
        for f, n in ((KS_FILE, "Kommunstyrelsen"), (UBN_FILE, "Utbildningsnämnden"), (AEN_FILE, "Äldrenämnden"))
    ]
    assert rows == expected


# Done when --------------------------------------------------------------------------------


def test_kommun_three_plus_one_other_period_exit_1(folder: Path, tmp_path: Path, capsys) -> None:
    fourth = other_period(folder)
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 1
    stdout = capsys.readouterr().out
    sheet, cell = name_cell(fourth, "Periodslut")
    assert (
        f"{fourth.name}, blad {sheet}, cell {cell}: Fel: Sammanställningen avser delårsrapport per "
        "2021-04-30, men de övriga avser delårsrapport per 2021-08-31." in stdout
    )
    statuses = [(r["Nämnd"], r["Status"]) for r in records(out, "Namnder")]
    assert statuses == [
        ("Kommunstyrelsen", "Med i sammanställningen"),
        ("Kulturnämnden", "Utesluten: annan period – ingår inte i summorna"),
        ("Utbildningsnämnden", "Med i sammanställningen"),
        ("Äldrenämnden", "Med i sammanställningen"),
    ]
    assert [[r["Fil"], r["Blad"], r["Cell"], r["Allvarlighet"], r["Kod"]] for r in records(out, "Kontroll")] == [
        [fourth.name, sheet, cell, "Fel", "annan-period"]
    ]
    values = names(out)
    assert values["AntalNamnder"] == 3 and values["AntalMal"] == 23 and values["AntalFel"] == 1
    banner = load(out)["Sammanställning"]["A2"].value
    assert banner.startswith("OFULLSTÄNDIG: 1 av 4 nämnder ingår inte i summorna (Kulturnämnden)")


def test_kommun_two_namnder_with_m1_count_two_goals(folder: Path) -> None:
    (folder / KS_FILE).unlink()
    result = consolidate_kommun([folder])
    assert result.count("AntalMal") == 5
    assert result.goal_counts() == {"Uppnås helt": 2, "Uppnås delvis": 1, "Uppnås inte": 1, "Ej bedömt": 1}


def test_kommun_m1_rows_keep_their_namnd(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    m1 = [(r["Nämnd"], r["Bedömning"]) for r in records(out, "Namndmal") if r["Mål-id"] == "M1"]
    assert m1 == [("Utbildningsnämnden", "Uppnås delvis"), ("Äldrenämnden", "Uppnås helt")]


def test_kommun_totals_are_sums_of_the_unrounded_namnd_totals(folder: Path, tmp_path: Path) -> None:
    other_period(folder)  # left out: must not count
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    kommun = names(out)
    parts = [names(folder / f) for f in (KS_FILE, UBN_FILE, AEN_FILE)]
    for name in ("BudgetTotal", "PrognosTotal", "AvvikelseTotal"):
        # XlsxWriter stores 16 significant digits, so the file's sum may differ in the 17th.
        assert kommun[name] == pytest.approx(sum(p[name] for p in parts), rel=1e-15, abs=0), name
    assert kommun["AvvikelseTotal"] == pytest.approx(45.365, abs=1e-9)  # 43,065 − 3,4 + 5,7: not 45,4
    rows = records(out, "Namnder")
    assert [r["Budget helår"] for r in rows if r["Status"].startswith("Med")] == [p["BudgetTotal"] for p in parts]


# The same discipline as one level down ------------------------------------------------------------


def test_kommun_duplicate_namnd_is_left_out_with_fel(folder: Path, tmp_path: Path) -> None:
    shutil.copy2(folder / KS_FILE, folder / "Sammanställning Kommunstyrelsen kopia.xlsx")
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 1
    result = consolidate_kommun([folder])
    assert result.report.flatten(["file", "sheet", "cell", "severity", "code"]) == [
        [KS_FILE, *name_cell(folder / KS_FILE, "Namnd"), "Fel", "namnd-dubblett"],
        ["Sammanställning Kommunstyrelsen kopia.xlsx", *name_cell(folder / KS_FILE, "Namnd"), "Fel", "namnd-dubblett"],
    ]
    assert [u.name for u in result.included] == ["Utbildningsnämnden", "Äldrenämnden"]
    assert names(out)["AntalMal"] == 5


@pytest.fixture
def incomplete(folder: Path) -> Path:
    """Utbildningsnämnden's summary rebuilt with one of its two förvaltningar left out (a Fel in its template)."""
    ubn = example_namnder()[0]
    broken = with_meta(ubn, forvaltning="Gymnasieförvaltningen")
    broken = replace(broken, economy=[replace(r, key="GF-01", comment="") for r in ubn.economy[:1]])
    (folder / UBN_FILE).unlink()
    namnd_summary(folder, [ubn, broken])
    return folder


def test_kommun_incomplete_namnd_is_included_with_a_warning(incomplete: Path, tmp_path: Path) -> None:
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(incomplete), "--ut", str(out)]) == 1
    result = consolidate_kommun([incomplete])
    status_cell = table_cell(incomplete / UBN_FILE, "Forvaltningar", "Gymnasieförvaltningen", "Status")
    assert result.report.flatten(["file", "sheet", "cell", "severity", "code"]) == [
        [UBN_FILE, "Sammanställning", status_cell, "Varning", "namnd-ofullstandig"],
        [UBN_FILE, *name_cell(incomplete / UBN_FILE, "AntalFel"), "Varning", "namnd-har-fel"],
    ]
    assert (
        "Gymnasieförvaltningen (Utesluten: fel i mallen) ingår inte i nämndens summor"
        in result.report.findings[0].message
    )
    rows = {r["Nämnd"]: r["Status"] for r in records(out, "Namnder")}
    assert rows["Utbildningsnämnden"] == "Med i sammanställningen, men ofullständig: 1 förvaltning ingår inte"
    assert names(out)["AvvikelseTotal"] == pytest.approx(43.065 - 3.4 + 5.7, abs=1e-9)
    banner = load(out)["Sammanställning"]["A2"].value
    assert banner.startswith("OFULLSTÄNDIG: Utbildningsnämnden är själv ofullständig")
    text = paragraphs(result)
    assert (
        "OBS! Sammanställningen är ofullständig. Sammanställningen för Utbildningsnämnden (1 förvaltning ingår "
        "inte) är själv ofullständig, så kommunens summor bygger på en ofullständig nämnd."
    ) in text[2]


def test_kommun_unreadable_file_is_left_out(folder: Path, tmp_path: Path) -> None:
    (folder / "trasig.xlsx").write_bytes(b"inte en arbetsbok")
    wb = openpyxl.Workbook()
    wb.save(folder / "annan.xlsx")
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 1
    result = consolidate_kommun([folder])
    assert result.report.flatten(["file", "severity", "code"]) == [
        ["annan.xlsx", "Fel", "inte-en-sammanstallning"],
        ["trasig.xlsx", "Fel", "fil-inte-xlsx"],
    ]
    assert len(result.included) == 3


def test_kommun_earlier_kommun_summary_in_the_folder_is_skipped(folder: Path) -> None:
    out = folder / "Sammanställning Kommunen 2021-08-31.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 0
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 0
    result = consolidate_kommun([folder])
    assert result.report.flatten(["file", "severity", "code"]) == [[out.name, "Info", "kommun-hoppas-over"]]
    assert names(out)["AntalNamnder"] == 3


def test_kommun_never_writes_over_an_input(folder: Path, capsys) -> None:
    before = (folder / KS_FILE).read_bytes()
    assert main(["konsolidera", str(folder), "--ut", str(folder / KS_FILE)]) == 2
    assert "skrivs aldrig över" in capsys.readouterr().err
    assert (folder / KS_FILE).read_bytes() == before


def test_mixed_folder_stays_at_namnd_level_and_says_how(demo: Demo, tmp_path: Path, capsys) -> None:
    mixed = tmp_path / "blandat"
    mixed.mkdir()
    for p in demo.templates:
        shutil.copy2(p, mixed / p.name)
    shutil.copy2(demo.summary, mixed / KS_FILE)
    out = tmp_path / "ut.xlsx"
    assert main(["konsolidera", str(mixed), "--ut", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert (
        f"{KS_FILE}: Info: Filen är en sammanställning från delar_xl, inte en mall; den hoppas över. Lägg "
        "nämndernas sammanställningar i en egen mapp och kör konsolidera på den."
    ) in stdout
    assert names(out)["Niva"] == "Nämnd"


# Text -------------------------------------------------------------------------------------


def test_kommun_text_speaks_of_namnder(folder: Path) -> None:
    text = paragraphs(consolidate_kommun([folder]))
    assert text[0] == "Delårsrapport för kommunen per den 31 augusti med prognos för helår 2021"
    # contract §9: the summed deviation is the nämnder's, never the kommun's result
    assert (
        "Nämndernas ekonomiska helårsbedömning är att Kommunstyrelsen redovisar ett "
        "överskott med 43,1 mnkr, Utbildningsnämnden redovisar ett underskott med 3,4 mnkr och Äldrenämnden "
        "redovisar ett överskott med 5,7 mnkr. Sammantaget är nämndernas budgetavvikelse +45,4 mnkr."
    ) in text
    # never "samtliga 23" when one goal is Uppnås inte and one Ej bedömt (issue 22); the Ej bedömt goal is named
    # with the reason its förvaltning gives
    assert (
        "Utveckling sker inom 21 av nämndernas 23 nämndmål för budgetåret. Tio nämndmål bedöms uppnås helt, "
        "elva bedöms uppnås delvis och ett bedöms inte uppnås per helår. Ett nämndmål har inte bedömts "
        "(Ej bedömt). ”Elevernas trygghet ska öka” (Utbildningsnämnden) har inte bedömts. Elevenkäten "
        "genomförs under hösten; resultatet kommer i verksamhetsberättelsen."
    ) in text
    assert not [p for p in text if "samtliga 23" in p]
    assert (
        "- Utbildningsnämnden: Ett av tre nämndmål bedöms uppnås per helår, ett bedöms delvis uppnås och ett "
        "har inte bedömts." in text
    )
    assert (
        "Inom utbildningsnämnden förskjuts ett uppdrag till 2022: ”Utbildningsnämnden ska utreda en samlad "
        "skolskjutsorganisation”." in text
    )
    assert [p for p in text if p.startswith("Inom kommunstyrelsen förskjuts tre uppdrag till 2022: ”Samtliga")]
    assert text[-3:] == [
        f"Kommunstyrelsens sammanställning ({KS_FILE})",
        f"Utbildningsnämndens sammanställning ({UBN_FILE})",
        f"Äldrenämndens sammanställning ({AEN_FILE})",
    ]
    assert text[text.index("Nämndernas budgetavvikelse per nämnd är följande:") + 1 :][:3] == [
        "- Kommunstyrelsen  + 43,1 mnkr",
        "- Utbildningsnämnden  − 3,4 mnkr",
        "- Äldrenämnden  + 5,7 mnkr",
    ]


def test_kommun_text_has_the_sections_of_contract_5(folder: Path) -> None:
    text = paragraphs(consolidate_kommun([folder]))
    headings = [
        "Förslag till beslut",
        "Ärende",
        "Bakgrund",
        "Jämställdhet",
        "Information eller förhandling enligt lag (1976:580) om medbestämmande i arbetslivet",
        "Beslutsunderlag",
    ]
    assert [t for t in text if t in headings] == headings
    assert text[text.index("Förslag till beslut") + 1] == (
        "1. Delårsrapporten för kommunen per den 31 augusti med prognos för helår 2021 godkänns."
    )


def test_kommun_text_sheet_holds_the_text(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out), "--text"])
    cells = [c.value for c in load(out)["Text"]["A"] if c.value]
    assert cells[2] == "Delårsrapport för kommunen per den 31 augusti med prognos för helår 2021"
    assert cells[2:] == [p for p in paragraphs(consolidate_kommun([folder])) if p]


def test_kommun_word_document(folder: Path, tmp_path: Path, capsys) -> None:
    import docx

    out, word = tmp_path / "Kommunen.xlsx", tmp_path / "Tjänsteskrivelse Kommunen.docx"
    assert main(["konsolidera", str(folder), "--ut", str(out), "--word", str(word)]) == 0
    assert f"Tjänsteskrivelsen skrevs: {word}" in capsys.readouterr().out
    doc = docx.Document(str(word))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Förslag till beslut",
        "Ärende",
        "Bakgrund",
        "Jämställdhet",
        "Information eller förhandling enligt lag (1976:580) om medbestämmande i arbetslivet",
        "Beslutsunderlag",
    ]
    body = [p.text for p in doc.paragraphs]
    assert any(t.startswith("Nämndernas ekonomiska helårsbedömning är att") for t in body)
    amounts = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert amounts[:3] == [
        ["Kommunstyrelsen", "+43,1 mnkr"],
        ["Utbildningsnämnden", "−3,4 mnkr"],
        ["Äldrenämnden", "+5,7 mnkr"],
    ]


def test_kommun_word_that_is_not_docx_writes_nothing(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out), "--word", str(tmp_path / "fel.txt")]) == 2
    assert not out.exists()


# Demo -------------------------------------------------------------------------------------


def test_demo_kommun_keeps_the_reference_figures(tmp_path: Path, capsys) -> None:
    assert main(["demo", "--kommun", "--ut", str(tmp_path)]) == 0
    stdout = capsys.readouterr().out
    assert (
        "  Kommunledningsförvaltningen: +12,8 mnkr\n  Verksamhetsstöd och service: +8,2 mnkr\n"
        "  Leanlink: +22,1 mnkr\n  Totalt: +43,1 mnkr\n" in stdout
    )
    assert (
        "  Kommunstyrelsen: +43,1 mnkr\n  Utbildningsnämnden: −3,4 mnkr\n  Äldrenämnden: +5,7 mnkr\n"
        "  Nämndernas budgetavvikelse: +45,4 mnkr\n  Prognosförändring: +21,4 mnkr\n" in stdout
    )
    assert "  Nämndmål: 23 (helt 10, delvis 11, inte 1, ej bedömt 1)\n" in stdout
    assert (tmp_path / "Tjänsteskrivelse Kommunen 2021-08-31.docx").is_file()
    kommun = names(tmp_path / "Sammanställning Kommunen 2021-08-31.xlsx")
    assert kommun["Niva"] == "Kommun" and kommun["AntalFel"] == 0
    ks = names(tmp_path / KS_FILE)
    assert (ks["AvvikelseTotal"], ks["AntalMal"], ks["MalHelt"], ks["MalDelvis"]) == (43.065, 18, 8, 10)
    for path in (tmp_path / "Utbildningsnämnden" / "mallar").iterdir():
        assert "EXEMPELDATA" in names(path)["Sammanfattning"]


def test_demo_kommun_summaries_folder_consolidates_again(tmp_path: Path) -> None:
    demo = write_kommun_demo(tmp_path)
    assert [p.parent.name for p in demo.namnd_summaries] == ["nämnder"] * 3
    again = consolidate_kommun([tmp_path / "nämnder"])
    assert again.complete and again.deviation == demo.result.deviation


# LibreOffice ----------------------------------------------------------------------------------


def test_kommun_summary_libreoffice_recalculates_unchanged(soffice: str, folder: Path, tmp_path: Path) -> None:
    from libreoffice import convert

    other_period(folder)  # a left-out nämnd too: its empty row must survive as well
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    (recalculated,) = convert([out], "xlsx", tmp_path / "lo")
    (pdf,) = convert([out], "pdf", tmp_path / "lo-pdf", recalc=False)
    before, after = names(out), names(recalculated)
    assert set(after) >= set(before)
    for name, value in before.items():
        if isinstance(value, float):
            assert after[name] == pytest.approx(value, abs=1e-9), name
        else:
            assert after[name] == value, name
    assert after["Niva"] == "Kommun"
    assert records(recalculated, "Namnder") == records(out, "Namnder")
    assert table(recalculated, "Ekonomi")[0][-1] == "Nämnd"
    assert pdf.read_bytes().startswith(b"%PDF")


# kontrollera and the Python API -------------------------------------------------------------------


def test_kontrollera_on_summaries_checks_them_one_level_up(folder: Path, capsys) -> None:
    assert main(["kontrollera", str(folder)]) == 0
    fourth = other_period(folder)
    assert main(["kontrollera", str(folder)]) == 1
    stdout = capsys.readouterr().out
    assert f"{fourth.name}, blad Sammanställning" in stdout and "Fel: Sammanställningen avser" in stdout
    assert not list(folder.parent.glob("*.xlsx"))  # kontrollera writes nothing


def test_kommun_frames_for_pandas_users(folder: Path) -> None:
    import delar_xl

    frames = delar_xl.consolidate_kommun([folder]).frames()
    assert list(frames["Namnder"].columns[: len(NAMNDER_HEADERS)]) == NAMNDER_HEADERS
    assert frames["Namndmal"].groupby("Nämnd")["Mål-id"].nunique().to_dict() == {
        "Kommunstyrelsen": 18,
        "Utbildningsnämnden": 3,
        "Äldrenämnden": 2,
    }


def test_a_plan_among_summaries_keeps_the_namnd_level(demo: Demo, folder: Path) -> None:
    from delar_xl.kommun.consolidate import inputs_are_summaries

    assert inputs_are_summaries([folder])
    assert not inputs_are_summaries([demo.plan, folder])


def test_email_of_the_kommun_summary_lists_the_namnder(folder: Path, tmp_path: Path) -> None:
    from delar_xl.mail import body_for, read_headline, subject_for

    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    headline = read_headline(out)
    assert subject_for(headline) == "Delårsrapport per den 31 augusti 2021 – Kommunen"
    body = body_for(headline, out.name)
    assert (
        "- Kommunstyrelsen: +43,1 mnkr (överskott)\n- Utbildningsnämnden: −3,4 mnkr (underskott)\n"
        "- Äldrenämnden: +5,7 mnkr (överskott)\n- Nämndernas budgetavvikelse: +45,4 mnkr (överskott)\n" in body
    )


def test_email_of_an_incomplete_kommun_summary_speaks_of_namnder(folder: Path, tmp_path: Path) -> None:
    from delar_xl.mail import body_for, read_headline

    other_period(folder)
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    body = body_for(read_headline(out), out.name)
    assert "Nämnder med fel ingår inte i totalerna" in body
    assert "- Nämndernas budgetavvikelse, utan nämnder med fel: +45,4 mnkr (överskott)" in body
    assert "förvaltningar med fel" not in body.lower()


def test_kommun_namnd_missing_a_forvaltning_by_its_plan(demo: Demo, folder: Path, tmp_path: Path) -> None:
    """Issue 10's `konsolidera --plan`: a förvaltning that sent nothing makes the nämnd incomplete."""
    source = tmp_path / "två av tre"
    source.mkdir()
    for path in demo.templates[:2]:
        shutil.copy2(path, source / path.name)
    write_summary(consolidate([source], plan=demo.plan), folder / KS_FILE)
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 1
    result = consolidate_kommun([folder])
    missing = Path(demo.templates[2]).name.split(" – ")[-1].removeprefix("Delårsrapport ").rsplit(" ", 1)[0]
    assert result.report.flatten(["file", "sheet", "cell", "severity", "code"]) == [
        [KS_FILE, *name_cell(folder / KS_FILE, "AntalSaknade"), "Varning", "namnd-saknar-forvaltningar"]
    ]
    assert f"saknas 1 förvaltning ({missing}) som planen väntar" in result.report.findings[0].message
    rows = {r["Nämnd"]: r["Status"] for r in records(out, "Namnder")}
    assert rows["Kommunstyrelsen"] == "Med i sammanställningen, men ofullständig: 1 förvaltning saknas"


def test_kommun_text_names_what_is_left_out(folder: Path) -> None:
    fourth = other_period(folder)
    text = paragraphs(consolidate_kommun([folder]))
    assert text[2] == (
        f"OBS! Sammanställningen är ofullständig. Kulturnämnden ({fourth.name}: annan period) har inte "
        "tagits med i kommunens summor. Rätta underlaget och konsolidera på nytt innan texten används."
    )
    assert "Kulturnämnden" not in " ".join(text[3:])


def test_kommun_forecast_change_sums_the_namnder(folder: Path, tmp_path: Path) -> None:
    """Contract §4's forecast names, summed unrounded when every included nämnd has them."""
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    parts = [names(folder / f) for f in (KS_FILE, UBN_FILE, AEN_FILE)]
    if any(p.get("ForegaendePrognosTotal") is None for p in parts):
        pytest.skip("the nämnd summaries carry no ForegaendePrognosTotal (issue 10)")
    kommun = names(out)
    for name in ("ForegaendePrognosTotal", "PrognosforandringTotal"):
        assert kommun[name] == pytest.approx(sum(p[name] for p in parts), rel=1e-15, abs=0), name
    header = table(out, "Namnder")[0]
    # contract §7's Investering avvikelse follows §4's columns, before the file name
    assert header[len(NAMNDER_HEADERS) :] == ["Föregående prognos", "Prognosförändring", "Investering avvikelse", "Fil"]
    assert [r["Prognosförändring"] for r in records(out, "Namnder")] == [p["PrognosforandringTotal"] for p in parts]
