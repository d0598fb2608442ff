"""The kommun level with the finansförvaltning (contract §9): årets resultat, the balanskrav, honest words.

The nämnd summaries are test_kommun's `folder` (kommunstyrelsen from the demo and the two invented
nämnder). Their totals, read off each summary's BudgetTotal and PrognosTotal (mnkr):

    Kommunstyrelsen      −310,6   / −267,535
    Utbildningsnämnden  −2 150,0  / −2 153,4
    Äldrenämnden        −1 480,0  / −1 474,3
    Verksamhetens nettokostnad  −3 940,6 / −3 895,235

The finansförvaltning below (tkr) gives, by hand:

    Årets resultat, budget   −3 940,6 + 3 100 + 1 000 + 20 − 30 − 100 + 0  =  49,4
    Årets resultat, prognos  −3 895,235 + 3 120 + 1 000 + 25 − 30 − 110     = 109,765
    Balanskravsresultat      109,765 − 5 + 0 + 1 − 20 + 0                     =  85,765
    ResultatAndelProcent     109,765 ÷ (3 120 + 1 000) × 100                  =   2,66420…  ≥ 2 → Ja

and with skatteintäkter forecast at 3 000 000 instead of 3 120 000 (the negative case):

    Årets resultat, prognos  −10,235;  Balanskravsresultat −34,235;  andel −0,255875 % → Nej
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from test_kommun import KS_FILE, names, namnd_summary, records

from delar_xl.cli import main
from delar_xl.finans.model import BalanskravRow, Finans, FinansRow
from delar_xl.finans.write import write_finans
from delar_xl.kommun.consolidate import consolidate_kommun
from delar_xl.kommun.text import paragraphs

PERIOD = date(2021, 8, 31)
ANNUAL_NAMES = {
    "AretsResultatBudget",
    "AretsResultatPrognos",
    "BalanskravsresultatPrognos",
    "ResultatAndelProcent",
    "ResultatmalUppnas",
}
FINANS_FILE = "Finansförvaltningen 2021-08-31.xlsx"


def finans(skatt_prognos: float = 3_120_000, period: date = PERIOD, kommun: str = "") -> Finans:
    return Finans(
        periodslut=period,
        kommun=kommun,
        resultatmal_procent=2,
        finans=[
            FinansRow("SKATT", "Skatteintäkter", 3_100_000, 2_070_000, skatt_prognos, comment="Ny skatteprognos."),
            FinansRow("STATSBIDRAG", "Generella statsbidrag och utjämning", 1_000_000, 667_000, 1_000_000),
            FinansRow("FINANSINT", "Finansiella intäkter", 20_000, 15_000, 25_000, comment="Högre utdelning."),
            FinansRow("FINANSKOST", "Finansiella kostnader", -30_000, -20_000, -30_000),
            FinansRow(
                "GEMENSAMT",
                "Finansförvaltningens övriga poster",
                -100_000,
                -70_000,
                -110_000,
                comment="Högre pensionskostnader.",
            ),
            FinansRow("JMF", "Jämförelsestörande poster"),
        ],
        balanskrav=[
            BalanskravRow("REAVINST", "Samtliga realisationsvinster", -5_000),
            BalanskravRow("REAFORL", "Realisationsförluster enligt undantagsmöjlighet"),
            BalanskravRow("VPORE", "Orealiserade vinster och förluster i värdepapper", 1_000),
            BalanskravRow("RURRES", "Reservering till resultatutjämningsreserv", -20_000),
            BalanskravRow("RURDISP", "Disponering från resultatutjämningsreserv"),
        ],
    )


def table_rows(path: Path, name: str) -> list[list[object]]:
    wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    for ws in wb.worksheets:
        if name in ws.tables:
            return [[c.value for c in row] for row in ws[ws.tables[name].ref]]
    raise AssertionError(f"table {name} missing")


@pytest.fixture
def folder(demo, tmp_path: Path) -> Path:
    """test_kommun's three nämnd summaries: kommunstyrelsen (the demo) and the two invented nämnder."""
    import shutil

    from delar_xl.demo.kommun import example_namnder

    target = tmp_path / "nämnder"
    target.mkdir()
    shutil.copy2(demo.summary, target / KS_FILE)
    for template in example_namnder():
        namnd_summary(target, [template])
    return target


@pytest.fixture
def with_finans(folder: Path) -> Path:
    write_finans(folder / FINANS_FILE, finans())
    return folder


# The figures -------------------------------------------------------------------------------------


def test_resultatprognos_and_balanskrav_by_hand(with_finans: Path, tmp_path: Path) -> None:
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(with_finans), "--ut", str(out)]) == 0
    values = names(out)
    assert values["AretsResultatBudget"] == pytest.approx(49.4, abs=1e-9)
    assert values["AretsResultatPrognos"] == pytest.approx(109.765, abs=1e-9)
    assert values["BalanskravsresultatPrognos"] == pytest.approx(85.765, abs=1e-9)
    assert values["ResultatAndelProcent"] == pytest.approx(109.765 / 4120 * 100, abs=1e-9)
    assert values["ResultatmalProcent"] == 2 and values["ResultatmalUppnas"] == "Ja"
    # the nämnder's own totals are unchanged and still the nämnder's
    assert values["AvvikelseTotal"] == pytest.approx(45.365, abs=1e-9)
    header, *rows = table_rows(out, "Resultatprognos")
    assert header == ["Post", "Budget helår", "Prognos helår", "Avvikelse helår"]
    assert [r[0] for r in rows] == [
        "Verksamhetens nettokostnad",
        "Skatteintäkter",
        "Generella statsbidrag och utjämning",
        "Finansiella intäkter",
        "Finansiella kostnader",
        "Finansförvaltningens övriga poster",
        "Jämförelsestörande poster",
        "Årets resultat",
    ]
    assert rows[0][1:3] == [pytest.approx(-3940.6), pytest.approx(-3895.235)]
    assert rows[1][1:] == [3100, 3120, 20]
    assert rows[6][1:] == [None, None, None]  # JMF left empty: no amount, not 0,0
    assert rows[-1][1:] == [pytest.approx(49.4), pytest.approx(109.765), pytest.approx(60.365)]
    header, *rows = table_rows(out, "Balanskravsutredning")
    assert header == ["Post", "Prognos helår"]
    assert rows == [
        ["Årets resultat", pytest.approx(109.765)],
        ["Samtliga realisationsvinster", -5],
        ["Realisationsförluster enligt undantagsmöjlighet", None],
        ["Orealiserade vinster och förluster i värdepapper", 1],
        ["Reservering till resultatutjämningsreserv", -20],
        ["Disponering från resultatutjämningsreserv", None],
        ["Balanskravsresultat", pytest.approx(85.765)],
    ]
    sources = records(out, "Kallor")
    assert [r["Förvaltning"] for r in sources if r["Fil"] == FINANS_FILE] == ["Finansförvaltningen"]


def test_text_word_terminal_and_mail_state_the_result(with_finans: Path, tmp_path: Path, capsys) -> None:
    from delar_xl.mail import body_for, read_headline

    out, word = tmp_path / "Kommunen.xlsx", tmp_path / "Tjänsteskrivelse.docx"
    assert main(["konsolidera", str(with_finans), "--ut", str(out), "--word", str(word)]) == 0
    stdout = capsys.readouterr().out
    assert (
        "  Nämndernas budgetavvikelse: +45,4 mnkr\n"
        "  Prognosförändring: +21,4 mnkr\n"  # the nämnders' forecast change, beside their deviation (issue 19)
        "  Årets resultat: +109,8 mnkr (budget +49,4 mnkr, avvikelse +60,4 mnkr)\n"
        "  Balanskravsresultat: +85,8 mnkr\n"
        "  Finansiellt mål (2,0 %): uppnås (2,7 %)\n"
    ) in stdout
    text = paragraphs(consolidate_kommun([with_finans]))
    expected = [
        (
            "Årets resultat prognostiseras till +109,8 mnkr, 60,4 mnkr bättre än budget (budget +49,4 mnkr). Det är "
            "nämndernas nettokostnad tillsammans med finansförvaltningens skatteintäkter, generella statsbidrag och "
            "utjämning, finansnetto och gemensamma poster."
        ),
        "Balanskravsresultatet beräknas till +85,8 mnkr; balanskravet uppfylls.",
        (
            "Det finansiella målet, ett resultat på minst 2,0 procent av skatteintäkter och generella statsbidrag, "
            "uppnås: årets resultat motsvarar 2,7 procent enligt prognosen."
        ),
    ]
    start = text.index(expected[0])
    assert text[start : start + 3] == expected
    assert "- Balanskravsresultat  + 85,8 mnkr" in text
    assert f"Finansförvaltningens underlag ({FINANS_FILE})" in text
    body = [p.text for p in docx.Document(str(word)).paragraphs]
    assert all(line in body for line in expected)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(word)).tables]
    assert ["Årets resultat", "+109,8 mnkr"] in tables[1] and ["Balanskravsresultat", "+85,8 mnkr"] in tables[2]
    mail = body_for(read_headline(out), out.name)
    assert (
        "- Nämndernas budgetavvikelse: +45,4 mnkr (överskott)\n\n"
        "Årets resultat, prognos: +109,8 mnkr (budget +49,4 mnkr).\n"
        "Balanskravsresultat, prognos: +85,8 mnkr.\n"
        "Finansiellt mål, 2,0 % av skatteintäkter och generella statsbidrag: uppnås (årets resultat 2,7 %).\n"
    ) in mail


def test_a_negative_balanskrav_is_said_plainly(folder: Path, tmp_path: Path, capsys) -> None:
    from delar_xl.mail import body_for, read_headline

    write_finans(folder / FINANS_FILE, finans(skatt_prognos=3_000_000))
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 0
    values = names(out)
    assert values["AretsResultatPrognos"] == pytest.approx(-10.235, abs=1e-9)
    assert values["BalanskravsresultatPrognos"] == pytest.approx(-34.235, abs=1e-9)
    assert values["ResultatAndelProcent"] == pytest.approx(-0.255875, abs=1e-9)
    assert values["ResultatmalUppnas"] == "Nej"
    stdout = capsys.readouterr().out
    assert "  Balanskravsresultat: −34,2 mnkr – NEGATIVT: ska återställas inom tre år (KL 11 kap. 12 §)\n" in stdout
    assert "  Finansiellt mål (2,0 %): uppnås inte (−0,3 %)\n" in stdout
    text = paragraphs(consolidate_kommun([folder]))
    assert (
        "Balanskravsresultatet beräknas till −34,2 mnkr, det vill säga negativt. Kommunen uppfyller då inte "
        "balanskravet. Enligt kommunallagen (11 kap. 12 §) ska ett negativt balanskravsresultat återställas inom "
        "tre år, och fullmäktige ska besluta om en plan för hur det ska ske."
    ) in text
    assert any(p.startswith("Årets resultat prognostiseras till −10,2 mnkr, 59,6 mnkr sämre än budget") for p in text)
    assert any(p.endswith("uppnås inte: årets resultat motsvarar −0,3 procent enligt prognosen.") for p in text)
    assert (
        "Balanskravsresultat, prognos: −34,2 mnkr – negativt: ska återställas inom tre år (KL 11 kap. 12 §)."
        in body_for(read_headline(out), out.name)
    )


# Förslag till beslut: a negative balanskravsresultat asks for a plan (KL 11 kap. 12 §) ---------------------

RESTORE_PLAN = (
    "Kommunstyrelsen uppdrar åt kommundirektören att återkomma med förslag till åtgärdsplan för hur det "
    "negativa balanskravsresultatet som prognostiseras för 2021 ska återställas inom tre år, för beslut i "
    "kommunfullmäktige enligt kommunallagen (11 kap. 12 §)."
)


def decision_lines(text: list[str]) -> list[str]:
    """The numbered lines under "Förslag till beslut" in the plain text (terminal and Text sheet)."""
    start = text.index("Förslag till beslut") + 1
    return [line for line in text[start : text.index("Ärende")] if line]


def word_decision(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "List Number"]


def test_a_negative_balanskrav_puts_a_restoration_plan_in_the_decision(folder: Path, tmp_path: Path) -> None:
    write_finans(folder / FINANS_FILE, finans(skatt_prognos=3_000_000))  # balanskravsresultat −34,235 mnkr
    out, word = tmp_path / "Kommunen.xlsx", tmp_path / "Tjänsteskrivelse.docx"
    assert main(["konsolidera", str(folder), "--ut", str(out), "--word", str(word)]) == 0
    lines = decision_lines(paragraphs(consolidate_kommun([folder])))
    assert len(lines) == 3 and lines[0].startswith("1. Delårsrapporten för kommunen per den 31 augusti")
    assert lines[2] == f"3. {RESTORE_PLAN}"
    assert word_decision(word)[-1] == RESTORE_PLAN and len(word_decision(word)) == 3
    text_sheet = [c.value for c in openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Text"]["A"]]
    assert f"3. {RESTORE_PLAN}" in text_sheet


def test_a_balanskrav_met_or_unknown_proposes_no_plan(with_finans: Path, tmp_path: Path) -> None:
    word = tmp_path / "Tjänsteskrivelse.docx"
    assert main(["konsolidera", str(with_finans), "--ut", str(tmp_path / "K.xlsx"), "--word", str(word)]) == 0
    met = decision_lines(paragraphs(consolidate_kommun([with_finans])))  # balanskravsresultat +85,765 mnkr
    assert [line[:3] for line in met] == ["1. ", "2. "]
    assert not [line for line in met + word_decision(word) if "balanskrav" in line or "åtgärdsplan" in line]
    (with_finans / FINANS_FILE).unlink()
    unknown = decision_lines(paragraphs(consolidate_kommun([with_finans])))  # no finansförvaltning: no result
    assert unknown == met


def test_the_restoration_plan_in_a_verksamhetsberattelse_is_for_the_year(folder: Path) -> None:
    from dataclasses import replace

    from delar_xl.kommun.text import decision_items

    write_finans(folder / FINANS_FILE, finans(skatt_prognos=3_000_000))
    result = replace(consolidate_kommun([folder]), rapport="Verksamhetsberättelse", periodslut=date(2021, 12, 31))
    assert decision_items(result)[-1] == (
        "Kommunstyrelsen uppdrar åt kommundirektören att återkomma med förslag till åtgärdsplan för hur det negativa "
        "balanskravsresultatet för 2021 ska återställas inom tre år, för beslut i kommunfullmäktige enligt "
        "kommunallagen (11 kap. 12 §)."
    )


# Without the finansförvaltning, or with one that cannot be used ------------------------------------------


def test_without_finans_no_names_and_the_text_says_what_is_missing(folder: Path, tmp_path: Path, capsys) -> None:
    from delar_xl.mail import body_for, read_headline

    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 0
    assert not ANNUAL_NAMES & set(names(out))
    assert "  Årets resultat: redovisas inte – finansförvaltningens underlag saknas.\n" in capsys.readouterr().out
    text = paragraphs(consolidate_kommun([folder]))
    missing = (
        "Årets resultat och balanskravsresultatet kan inte redovisas: det kräver finansförvaltningens prognos för "
        "skatteintäkter, generella statsbidrag och utjämning, finansnetto och gemensamma poster, som saknas i "
        "underlaget."
    )
    assert missing in text
    assert not [p for p in text if "Balanskravsresultatet beräknas" in p or "finansiella målet" in p]
    assert (
        "Årets resultat och balanskravsresultatet redovisas inte: finansförvaltningens underlag ingår inte i "
        "sammanställningen."
    ) in body_for(read_headline(out), out.name)


def test_finans_with_a_fel_is_left_out_and_said(folder: Path, tmp_path: Path, capsys) -> None:
    from conftest import fill

    path = write_finans(folder / FINANS_FILE, finans())
    fill(path, {("Finansförvaltning", "E5"): "tre miljarder"})
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 1
    stdout = capsys.readouterr().out
    assert (
        f'{FINANS_FILE}, blad Finansförvaltning, cell E5: Fel: Prognos helår "tre miljarder" är inte ett tal.' in stdout
    )
    assert (
        "  Årets resultat: redovisas inte – finansförvaltningens underlag ingår inte (underlaget har fel).\n" in stdout
    )
    assert not ANNUAL_NAMES & set(names(out))
    banner = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Sammanställning"]["A2"].value
    assert banner.startswith("OFULLSTÄNDIG: finansförvaltningens underlag ingår inte, så årets resultat redovisas inte")
    assert (
        "Årets resultat och balanskravsresultatet kan inte redovisas: finansförvaltningens underlag har inte kunnat "
        "tas med (underlaget har fel)."
    ) in paragraphs(consolidate_kommun([folder]))


def test_finans_for_another_period_is_a_fel_at_its_periodslut(folder: Path) -> None:
    write_finans(folder / FINANS_FILE, finans(period=date(2021, 4, 30)))
    result = consolidate_kommun([folder])
    assert result.annual is None
    assert result.report.flatten(["file", "sheet", "cell", "severity", "code"]) == [
        [FINANS_FILE, "Uppgifter", "B5", "Fel", "annan-period"]
    ]


def test_two_finans_templates_are_neither_used(folder: Path) -> None:
    write_finans(folder / FINANS_FILE, finans())
    write_finans(folder / "Finans kopia.xlsx", finans())
    result = consolidate_kommun([folder])
    assert result.annual is None
    assert [f.code for f in result.report.findings] == ["finans-dubblett", "finans-dubblett"]


def test_kontrollera_a_finans_template_alone(tmp_path: Path, capsys) -> None:
    path = write_finans(tmp_path / FINANS_FILE, finans())
    assert main(["kontrollera", str(path)]) == 0
    assert "1 fil kontrollerad: 0 fel, 0 varningar, 0 info." in capsys.readouterr().out


# The kommun's name -----------------------------------------------------------------------------------


def test_kommun_name_from_the_option(with_finans: Path, tmp_path: Path) -> None:
    out, word = tmp_path / "K.xlsx", tmp_path / "K.docx"
    assert (
        main(["konsolidera", str(with_finans), "--ut", str(out), "--word", str(word), "--kommun", "Linköpings kommun"])
        == 0
    )
    values = names(out)
    assert values["Namnd"] == values["Kommun"] == "Linköpings kommun"
    document = docx.Document(str(word))
    assert (
        document.paragraphs[0].text
        == "Delårsrapport för Linköpings kommun per den 31 augusti med prognos för helår 2021"
    )
    assert document.sections[0].header.paragraphs[0].text.startswith("Linköpings kommun – tjänsteskrivelse")
    assert document.core_properties.title.startswith("Delårsrapport för Linköpings kommun")


def test_kommun_name_from_the_namnd_summaries_then_the_finans_template(folder: Path) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    assert consolidate_kommun([folder]).namnd == "Kommunen"
    write_finans(folder / FINANS_FILE, finans(kommun="Exempelkommun"))
    assert consolidate_kommun([folder]).namnd == "Exempelkommun"
    # a nämnd summary whose plan had Kommun (contract §7) wins over the finans template's
    summary = next(folder.glob("Sammanställning Äldrenämnden*.xlsx"))
    wb = openpyxl.load_workbook(summary)
    wb["Sammanställning"]["Z1"] = "Linköpings kommun"
    wb.defined_names["Kommun"] = DefinedName("Kommun", attr_text="'Sammanställning'!$Z$1")
    wb.save(summary)
    result = consolidate_kommun([folder])
    assert result.namnd == "Linköpings kommun"
    assert paragraphs(result)[0] == "Delårsrapport för Linköpings kommun per den 31 augusti med prognos för helår 2021"


# The demo and LibreOffice -------------------------------------------------------------------------------


def test_demo_kommun_has_a_finansforvaltning_of_plausible_size(tmp_path: Path) -> None:
    from delar_xl.demo.kommun import write_kommun_demo

    demo = write_kommun_demo(tmp_path)
    assert demo.finans.parent == tmp_path / "nämnder"
    result = demo.result
    assert result.report.findings == [] and result.namnd == "Exempelkommun"
    annual = result.annual
    # by hand: −3 895,235 + 3 196,4 + 1 031,2 + 31,5 − 38,6 − 162,3 + 14,2 = 177,165;
    # 177,165 − 14,2 − 3,1 − 40,0 = 119,865; budget −3 940,6 + 3 150 + 1 020 + 28 − 42 − 135 + 0 = 80,4
    assert (annual.forecast, annual.budget, annual.balance) == (
        pytest.approx(177.165, abs=1e-9),
        pytest.approx(80.4, abs=1e-9),
        pytest.approx(119.865, abs=1e-9),
    )
    assert annual.share_percent == pytest.approx(177.165 / 4227.6 * 100, abs=1e-9) and annual.goal_reached
    values = names(demo.summary)
    assert values["AretsResultatPrognos"] == pytest.approx(177.165, abs=1e-9)
    assert values["Kommun"] == values["Namnd"] == "Exempelkommun"


def test_kommun_summary_with_finans_survives_libreoffice(soffice: str, with_finans: Path, tmp_path: Path) -> None:
    from libreoffice import convert

    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(with_finans), "--ut", str(out)])
    (recalculated,) = convert([out], "xlsx", tmp_path / "lo")
    before, after = names(out), names(recalculated)
    for name in ANNUAL_NAMES:
        if isinstance(before[name], float):
            assert after[name] == pytest.approx(before[name], abs=1e-9), name
        else:
            assert after[name] == before[name], name
    assert table_rows(recalculated, "Balanskravsutredning")[-1] == ["Balanskravsresultat", pytest.approx(85.765)]


def test_rounded_rows_that_do_not_add_up_are_said(folder: Path, tmp_path: Path) -> None:
    """Prognos: −3 895,235 + 3 120 + 1 000 + 25,04 − 30,04 − 110,04 = 109,725, shown 109,7; the rows shown
    (−3 895,2 + 3 120,0 + 1 000,0 + 25,0 − 30,0 − 110,0) add up to 109,8. Said, never adjusted."""
    from dataclasses import replace

    odd = finans()
    odd.finans[2] = replace(odd.finans[2], forecast=25_040)
    odd.finans[3] = replace(odd.finans[3], forecast=-30_040)
    odd.finans[4] = replace(odd.finans[4], forecast=-110_040)
    write_finans(folder / FINANS_FILE, odd)
    result = consolidate_kommun([folder])
    assert result.annual.forecast == pytest.approx(109.725, abs=1e-9)
    assert [(what, rounded) for what, rounded, _ in result.annual.rounding_notes()] == [
        ("Resultatprognos, prognos helår", 109.8)
    ]
    text = paragraphs(result)
    assert "Beloppen är avrundade var för sig; summan av raderna avviker därför från +109,7 mnkr." in text
    out = tmp_path / "Kommunen.xlsx"
    main(["konsolidera", str(folder), "--ut", str(out)])
    cells = [c.value for c in openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Sammanställning"]["A"]]
    assert (
        "Resultatprognos, prognos helår: de avrundade raderna summerar till 109,8 mnkr men summan är 109,7 mnkr "
        "(avrundningsdifferens; summan räknas på exakta belopp)."
    ) in cells


def test_arets_resultat_on_incomplete_namnder_says_so(with_finans: Path) -> None:
    from test_kommun import other_period

    other_period(with_finans)  # a fourth nämnd for another period: left out of the nämnder's totals
    result = consolidate_kommun([with_finans])
    assert not result.complete and result.annual is not None
    text = paragraphs(result)
    assert text[2].startswith("OBS! Sammanställningen är ofullständig.")
    assert any(
        p.startswith("Årets resultat prognostiseras till +109,8 mnkr")
        and p.endswith("Det bygger på nämndernas ofullständiga summor (se ovan).")
        for p in text
    )


def test_a_balanskrav_negative_by_less_than_a_tenth_of_a_million_is_negative(
    folder: Path, tmp_path: Path, capsys
) -> None:
    """−40 tkr rounds to "−0,0 mnkr" but is negative all the same (KL 11 kap. 12 § knows no rounding)."""
    write_finans(folder / FINANS_FILE, finans(skatt_prognos=3_120_000 - 85_805))  # balanskravsresultat −0,040 mnkr
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 0
    assert names(out)["BalanskravsresultatPrognos"] == pytest.approx(-0.04, abs=1e-9)
    assert (
        "  Balanskravsresultat: −0,0 mnkr – NEGATIVT: ska återställas inom tre år (KL 11 kap. 12 §)\n"
        in capsys.readouterr().out
    )
    text = paragraphs(consolidate_kommun([folder]))
    assert any(p.startswith("Balanskravsresultatet beräknas till −0,0 mnkr, det vill säga negativt.") for p in text)
    assert decision_lines(text)[-1].endswith(
        "ska återställas inom tre år, för beslut i kommunfullmäktige enligt kommunallagen (11 kap. 12 §)."
    )
