"""The ribbon button on the kommun's summary: the nämnd summaries in its folder consolidated again.

Run through xlwings' remote engine, as tests/test_addin_main.py does (its payload helpers are reused).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from conftest import with_meta
from test_addin_main import _address, open_as_caller, written_cells  # noqa: F401 (fixtures below)
from test_kommun import KS_FILE, namnd_summary

from delar_xl.demo.kommun import example_namnder
from delar_xl.demo.namnd import Demo
from delar_xl.excel import ribbon as excel
from delar_xl.excel.ui import ScriptedUi
from delar_xl.kommun.consolidate import consolidate_kommun
from delar_xl.kommun.summary import write_kommun_summary


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DELAR_XL_LOG", str(tmp_path / "logg" / "delar_xl.log"))
    monkeypatch.setenv("DELAR_XL_SETTINGS", str(tmp_path / "ingen.toml"))


@pytest.fixture
def mail_offers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, object]]:
    calls: list[tuple[Path, object]] = []
    import delar_xl.mail

    monkeypatch.setattr(delar_xl.mail, "offer_send", lambda path, ui: calls.append((Path(path), ui)))
    return calls


def test_kommun_summary_is_refreshed_from_its_folder(demo: Demo, tmp_path: Path, mail_offers) -> None:
    folder = tmp_path / "nämnder"
    folder.mkdir()
    shutil.copy2(demo.summary, folder / KS_FILE)
    for template in example_namnder():
        namnd_summary(folder, [template])
    kommun = write_kommun_summary(consolidate_kommun([folder]), folder / "Sammanställning Kommunen.xlsx")
    book = open_as_caller(kommun)
    late = with_meta(example_namnder()[1], namnd="Kulturnämnden", forvaltning="Kulturförvaltningen")
    namnd_summary(folder, [late])  # a fourth nämnd sends its summary after the kommun summary was made
    ui = ScriptedUi()

    excel.main(ui=ui)

    assert ui.errors == []
    result = consolidate_kommun([folder])
    names = {n.name: n.refers_to_range for n in book.names}
    cells = written_cells(book, "Sammanställning")
    assert cells[_address(names["AntalNamnder"])] == 4
    assert cells[_address(names["AvvikelseTotal"])] == pytest.approx(result.deviation)
    assert cells["A2"] == "'Alla 4 nämnders sammanställningar ingår."
    assert "'Kulturnämnden" in cells.values()
    assert ui.messages == [
        (
            "Klart: 4 nämnder, 0 fel, nämndernas budgetavvikelse +51,1 mnkr, årets resultat redovisas "
            "inte (finansförvaltningens underlag saknas eller ingår inte)."
        )
    ]
    assert mail_offers == [(kommun, ui)]
    word = folder / "Tjänsteskrivelse Kommunen.docx"  # rewritten beside the refreshed summary
    assert "Kulturnämnden" in " ".join(p.text for p in docx.Document(str(word)).paragraphs)


def test_a_kommun_refresh_from_a_moved_folder_rewrites_kallor_and_the_underlag_line(
    demo: Demo, tmp_path: Path, mail_offers
) -> None:
    """Issue 22 one level up: the refresh writes by defined name, so Kallmapp, Niva and the counts land on
    Källor and the two lines under the key figures on Sammanställning, wherever they are."""
    folder = tmp_path / "nämnder"
    folder.mkdir()
    shutil.copy2(demo.summary, folder / KS_FILE)
    for template in example_namnder():
        namnd_summary(folder, [template])
    kommun = write_kommun_summary(consolidate_kommun([folder]), tmp_path / "Sammanställning Kommunen.xlsx")
    moved = folder.rename(tmp_path / "nämnder 2021")
    book = open_as_caller(kommun)
    ui = ScriptedUi(folders=[moved])

    excel.main(ui=ui)

    assert ui.errors == []
    names = {n.name: n.refers_to_range for n in book.names}
    for_staff, cells = written_cells(book, "Källor"), written_cells(book, "Sammanställning")
    assert for_staff[_address(names["Kallmapp"])] == f"'{moved.resolve()}"
    assert for_staff[_address(names["Niva"])] == "'Kommun"
    assert [for_staff[_address(names["AntalFel"])], for_staff[_address(names["AntalVarningar"])]] == [0, 0]
    assert cells[_address(names["Underlag"])] == (
        "'Underlag: nämndernas sammanställningar i mappen ”nämnder 2021” (sökvägar och kontrollsummor på bladet "
        "Källor)."
    )
    assert cells[_address(names["Kontrollrad"])] == (
        "'För Ekonomistaben: kontrollen gav 0 fel och 0 varningar (se bladet Kontroll)."
    )
    assert not [v for v in cells.values() if isinstance(v, str) and str(tmp_path) in v]


def test_blank_workbook_and_a_folder_of_summaries_gives_the_kommun_summary(
    demo: Demo, tmp_path: Path, mail_offers
) -> None:
    from datetime import datetime

    folder = tmp_path / "nämnder"
    folder.mkdir()
    shutil.copy2(demo.summary, folder / KS_FILE)
    for template in example_namnder():
        namnd_summary(folder, [template])
    ui = ScriptedUi(folders=[folder])

    excel.run(open_as_caller(None), ui, now=datetime(2026, 11, 27, 2, 45))

    expected = folder / "Sammanställning Kommunen 2021-08-31 (skapad 2026-11-27).xlsx"
    assert ui.opened == [expected] and not ui.errors
    assert ui.messages == [
        (
            "Klart: 3 nämnder, 0 fel, nämndernas budgetavvikelse +45,4 mnkr, årets resultat redovisas "
            "inte (finansförvaltningens underlag saknas eller ingår inte)."
        )
    ]
    assert mail_offers == [(expected, ui)]
    assert (folder / "Tjänsteskrivelse Kommunen 2021-08-31 (skapad 2026-11-27).docx").exists()
    assert consolidate_kommun([expected]).report.flatten(["code"]) == [["kommun-hoppas-over"]]


def test_a_refresh_that_makes_the_forecast_change_partial_says_delsumma(
    demo: Demo, tmp_path: Path, mail_offers
) -> None:
    """Issue 19: a nämnd without föregående prognos arrives after the kommun summary was made."""
    folder = tmp_path / "nämnder"
    folder.mkdir()
    shutil.copy2(demo.summary, folder / KS_FILE)
    for template in example_namnder():
        namnd_summary(folder, [template])
    kommun = write_kommun_summary(consolidate_kommun([folder]), folder / "Sammanställning Kommunen.xlsx")
    book = open_as_caller(kommun)
    late = with_meta(example_namnder()[1], namnd="Kulturnämnden", forvaltning="Kulturförvaltningen")
    namnd_summary(folder, [replace(late, economy=[replace(r, previous_forecast=None) for r in late.economy])])

    excel.main(ui=ScriptedUi())

    names = {n.name: n.refers_to_range for n in book.names}
    cells = written_cells(book, "Sammanställning")
    for name, label in (
        ("ForegaendePrognosTotal", "Föregående prognos (mnkr), delsumma"),
        ("PrognosforandringTotal", "Prognosförändring (mnkr), delsumma"),
    ):
        assert cells[f"A{names[name].row}"] == f"'{label}"
    assert cells[_address(names["PrognosforandringTotal"])] == pytest.approx(
        consolidate_kommun([folder]).forecast_change
    )
    text = " ".join(str(v) for v in written_cells(book, "Text").values())
    assert (
        "helårsprognosen för Kommunstyrelsen, Utbildningsnämnden och Äldrenämnden förbättrats med 21,4 mnkr. "
        "Kulturnämnden har ingen föregående prognos och ingår inte i jämförelsen."
    ) in text


# The finansförvaltning's template in the folder (contract §9) ------------------------------------------


def _namnder_with_finans(demo: Demo, tmp_path: Path, finans: bool = True) -> Path:
    from delar_xl.demo.kommun import example_finans
    from delar_xl.finans.write import write_finans

    folder = tmp_path / "nämnder"
    folder.mkdir()
    shutil.copy2(demo.summary, folder / KS_FILE)
    for template in example_namnder():
        namnd_summary(folder, [template])
    if finans:
        write_finans(folder / "Finansförvaltningen 2021-08-31.xlsx", example_finans())
    return folder


def test_a_folder_with_the_finans_template_gives_arets_resultat(demo: Demo, tmp_path: Path, mail_offers) -> None:
    from datetime import datetime

    from test_kommun import names

    folder = _namnder_with_finans(demo, tmp_path)
    ui = ScriptedUi(folders=[folder])

    excel.run(open_as_caller(None), ui, now=datetime(2026, 11, 27, 2, 45))

    # the demo's finansförvaltning names the kommun: the file and the document carry it
    expected = folder / "Sammanställning Exempelkommun 2021-08-31 (skapad 2026-11-27).xlsx"
    assert ui.opened == [expected] and not ui.errors
    assert ui.messages == [
        (
            "Klart: 3 nämnder, 0 fel, nämndernas budgetavvikelse +45,4 mnkr, årets resultat "
            "+177,2 mnkr, balanskravsresultat +119,9 mnkr."
        )
    ]
    values = names(expected)
    assert values["AretsResultatPrognos"] == pytest.approx(177.165, abs=1e-9)
    assert values["BalanskravsresultatPrognos"] == pytest.approx(119.865, abs=1e-9)
    word = folder / "Tjänsteskrivelse Exempelkommun 2021-08-31 (skapad 2026-11-27).docx"
    assert "Balanskravsresultatet beräknas till +119,9 mnkr; balanskravet uppfylls." in [
        p.text for p in docx.Document(str(word)).paragraphs
    ]


def test_refresh_with_the_same_finans_template_refills_in_place(demo: Demo, tmp_path: Path, mail_offers) -> None:
    from delar_xl.demo.kommun import example_finans
    from delar_xl.finans.write import write_finans

    folder = _namnder_with_finans(demo, tmp_path)
    kommun = write_kommun_summary(consolidate_kommun([folder]), folder / "Sammanställning Kommunen.xlsx")
    book = open_as_caller(kommun)
    changed = example_finans()
    changed.finans[0] = replace(changed.finans[0], forecast=3_096_400)  # skatteintäkter 100 mnkr lower
    write_finans(folder / "Finansförvaltningen 2021-08-31.xlsx", changed)
    ui = ScriptedUi()

    excel.main(ui=ui)

    assert ui.errors == [] and ui.opened == []
    names = {n.name: n.refers_to_range for n in book.names}
    cells = written_cells(book, "Sammanställning")
    assert cells[_address(names["AretsResultatPrognos"])] == pytest.approx(77.165, abs=1e-9)
    assert cells[_address(names["BalanskravsresultatPrognos"])] == pytest.approx(19.865, abs=1e-9)
    assert ui.messages == [
        (
            "Klart: 3 nämnder, 0 fel, nämndernas budgetavvikelse +45,4 mnkr, årets resultat "
            "+77,2 mnkr, balanskravsresultat +19,9 mnkr."
        )
    ]


def test_refresh_after_the_finans_template_arrives_writes_a_new_summary(
    demo: Demo, tmp_path: Path, mail_offers
) -> None:
    from delar_xl.demo.kommun import example_finans
    from delar_xl.finans.write import write_finans

    folder = _namnder_with_finans(demo, tmp_path, finans=False)
    kommun = write_kommun_summary(consolidate_kommun([folder]), folder / "Sammanställning Kommunen.xlsx")
    book = open_as_caller(kommun)
    write_finans(folder / "Finansförvaltningen 2021-08-31.xlsx", example_finans())
    ui = ScriptedUi()

    excel.main(ui=ui)

    assert ui.errors == [] and len(ui.opened) == 1
    assert ui.opened[0].name.startswith("Sammanställning Exempelkommun 2021-08-31 (skapad ")
    assert ui.messages == [
        (
            "Klart: 3 nämnder, 0 fel, nämndernas budgetavvikelse +45,4 mnkr, årets resultat "
            "+177,2 mnkr, balanskravsresultat +119,9 mnkr. En ny sammanställning skrevs: "
            "finansförvaltningens underlag har tillkommit."
        )
    ]
    assert "AretsResultatPrognos" not in {n.name for n in book.names}  # the open workbook was left as it was


def test_the_finans_template_open_in_excel_is_checked(tmp_path: Path) -> None:
    from conftest import fill

    from delar_xl.demo.kommun import example_finans
    from delar_xl.finans.write import write_finans

    path = write_finans(tmp_path / "Finansförvaltningen 2021-08-31.xlsx", example_finans())
    fill(path, {("Finansförvaltning", "A5"): "SKATTER"})
    book = open_as_caller(path)
    ui = ScriptedUi()

    excel.main(ui=ui)

    assert ui.messages == [
        (
            f"Kontroll av {path.name}: 1 fel, 0 varningar. Se bladet Kontroll; årets resultat kan "
            "inte räknas fram förrän felen är rättade."
        )
    ]
    cells = written_cells(book, "Kontroll")
    assert [cells["A4"], cells["B4"], cells["E4"]] == ["'Fel", "'Finansförvaltning", "'post-id-andrat"]
    assert cells["C4"] == '=HYPERLINK("#\'Finansförvaltning\'!A5","A5")'
