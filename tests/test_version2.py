"""Template version 2 (contract §7): investeringar, personal, the report's own texts and the
förvaltningschef's sign-off – in the template, the plan, the checks and the summary.

Templates are real files from the product's generator; the version 1 template is the blank one
this project shipped before version 2 (tests/fixtures/mall-version-1.xlsx), filled with openpyxl as a
controller would."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from conftest import fill, with_meta
from contract import (
    PLAN_V2_NAMES,
    PLAN_V2_TABLES,
    SUMMARY_V2_NAMES,
    SUMMARY_V2_TABLES,
    TEMPLATE_V2_NAMES,
    TEMPLATE_V2_TABLES,
)
from plans import PLAN_FILE, example_plan
from test_summary import name_value, records, table

from delar_xl.cli import main
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.declaration import STATUS_NOT_APPROVED
from delar_xl.namnd.dispatch import write_prefilled
from delar_xl.namnd.document import paragraphs
from delar_xl.namnd.summary import write_summary
from delar_xl.plan.check import check_template
from delar_xl.plan.read import check_plan
from delar_xl.plan.write import write_plan
from delar_xl.settings import Settings
from delar_xl.template import declaration as T
from delar_xl.template.model import EconomyRow, InvestmentRow, PersonnelRow
from delar_xl.template.read import CODE_VERSION_1, read_template
from delar_xl.template.rules import validate
from delar_xl.template.write import write_blank

FIXTURE_V1 = Path(__file__).parent / "fixtures" / "mall-version-1.xlsx"
PERIOD = date(2021, 8, 31)


def _as_read(template):
    """The template written by the generator and read back: its rows know their cells."""
    from tempfile import TemporaryDirectory

    from delar_xl.template.write import write_template

    with TemporaryDirectory() as folder:
        return read_template(write_template(Path(folder) / "mall.xlsx", template)).template


def findings(template, code: str | None = None) -> list[list[str]]:
    return [
        [f.sheet, f.cell, f.severity.value, f.code]
        for f in validate(_as_read(template), Settings())
        if code is None or f.code == code
    ]


def messages(template, code: str) -> list[str]:
    return [f.message for f in validate(_as_read(template), Settings()) if f.code == code]


# 1. The template ------------------------------------------------------------------------------


def test_blank_template_has_the_version_2_names_and_tables(tmp_path: Path) -> None:
    path = write_blank(tmp_path / "mall.xlsx", "Leanlink", PERIOD)
    wb = openpyxl.load_workbook(path)
    assert set(TEMPLATE_V2_NAMES) <= set(wb.defined_names)
    ((sheet, ref),) = list(wb.defined_names["Mallversion"].destinations)
    assert wb[sheet][ref.replace("$", "")].value == "2"
    for name, (sheet, headers) in TEMPLATE_V2_TABLES.items():
        ws = wb[sheet]
        assert name in ws.tables, name
        assert [c.value for c in next(iter(ws[ws.tables[name].ref]))][: len(headers)] == headers
    # Without a plan the Personal sheet offers the default nyckeltal (contract §7), values empty.
    personal = wb["Personal"]
    assert [[personal.cell(r, c).value for c in (1, 2, 3, 4)] for r in (5, 6, 7)] == [
        ["P01", "Antal tillsvidareanställda", "antal", None],
        ["P02", "Sjukfrånvaro, andel av ordinarie arbetstid", "%", None],
        ["P03", "varav långtidssjukfrånvaro 60 dagar eller mer", "%", None],
    ]


def test_blank_template_locks_headers_and_offers_dropdowns_on_the_new_sheets(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_blank(tmp_path / "mall.xlsx", "Leanlink", PERIOD))
    for sheet in ("Investeringar", "Personal"):
        ws = wb[sheet]
        assert ws.protection.sheet, sheet
        assert ws["A4"].protection.locked is True and ws["A5"].protection.locked is False, sheet
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4", sheet
    units = [dv for dv in wb["Personal"].data_validations.dataValidation if dv.type == "list"]
    assert any("C5" in str(dv.sqref) for dv in units)  # Enhet: antal, %, dagar …
    info = wb["Uppgifter"]
    for name in ("VasentligaHandelser", "Framtid", "Forvaltningschef", "Godkand"):
        ((_, ref),) = list(wb.defined_names[name].destinations)
        assert info[ref.replace("$", "")].protection.locked is False, name
    # The tall text cells are tall, like Sammanfattning.
    ((_, ref),) = list(wb.defined_names["VasentligaHandelser"].destinations)
    assert info.row_dimensions[int(ref.split("$")[-1])].height >= 90  # six lines


def test_instructions_explain_each_new_part_in_swedish() -> None:
    text = " ".join(T.INSTRUCTIONS)
    for words in (
        "Fliken Investeringar",
        "Fliken Personal",
        "kolumnen Åtgärder",
        "Väsentliga händelser",
        "Förväntad utveckling",
        "Förvaltningschefen godkänner",
        "Projekt-id",
        "Nyckeltal-id",
    ):
        assert words in text, words


def test_version_2_round_trip_keeps_every_new_part(write, klf) -> None:
    klf = replace(klf, economy=[replace(klf.economy[0], measures="Vakanser tillsätts inte.")] + klf.economy[1:])
    result = read_template(write(klf))
    assert result.findings == []
    t = result.template
    assert t.meta.mallversion == "2" and t.version == 2
    assert (t.meta.vasentliga_handelser, t.meta.framtid) == (klf.meta.vasentliga_handelser, klf.meta.framtid)
    assert (t.meta.forvaltningschef, t.meta.godkand) == ("Anna Lindqvist", date(2021, 9, 24))
    assert t.economy[0].measures == "Vakanser tillsätts inte."
    assert [replace(r, row=0, cached_deviation=None) for r in t.investments] == klf.investments
    assert [r.row for r in t.investments] == [5, 6, 7]
    assert t.investments[0].cached_deviation == pytest.approx(2_200)
    assert [replace(p, row=0) for p in t.personnel] == klf.personnel
    assert (t.investment_budget, t.investment_forecast, t.investment_deviation) == (-21_500, -18_700, 2_800)


def test_version_1_template_is_read_with_one_info_and_none_of_the_new_parts(tmp_path: Path) -> None:
    filled = fill(
        FIXTURE_V1,
        {
            ("Uppgifter", "B4"): "Leanlink",
            ("Uppgifter", "B9"): datetime(2021, 9, 16),
            ("Ekonomi", "A5"): "LL-01",
            ("Ekonomi", "B5"): "Hemtjänst",
            ("Ekonomi", "C5"): -2_000,
            ("Ekonomi", "D5"): 1_250,
            ("Ekonomi", "E5"): -1_900,
            ("Ekonomi", "H5"): "Högre volymer.",
            ("Nämndmål", "A5"): "KS-M16",
            ("Nämndmål", "B5"): "Brukarna ska vara nöjda",
            ("Nämndmål", "C5"): "Uppnås helt",
        },
        tmp_path / "v1.xlsx",
    )
    result = read_template(filled)
    assert [[f.sheet, f.cell, f.severity.value, f.code] for f in result.findings] == [
        ["Uppgifter", "B11", "Info", CODE_VERSION_1]
    ]
    assert result.findings[0].message == (
        "Mallen är version 1. Den läses som vanligt men saknar det som version 2 har: flikarna Investeringar och "
        "Personal, kolumnen Åtgärder, väsentliga händelser, förväntad utveckling och förvaltningschefens "
        "godkännande. Använd den nya mallen nästa period."
    )
    t = result.template
    assert t.version == 1 and t.meta.godkand is None and t.investments == [] and t.personnel == []
    assert t.economy[0].measures == "" and t.deviation == pytest.approx(100)
    # …and its rules say nothing about what version 1 cannot have (no Åtgärder, Personal or Godkänd).
    assert validate(t, Settings()) == []


def test_version_1_and_version_2_templates_consolidate_together(tmp_path: Path, examples) -> None:
    klf, vos, _ = examples
    v1 = fill(
        FIXTURE_V1,
        {
            ("Uppgifter", "B4"): "Leanlink",
            ("Uppgifter", "B9"): datetime(2021, 9, 16),
            ("Ekonomi", "A5"): "LL-01",
            ("Ekonomi", "B5"): "Hemtjänst",
            ("Ekonomi", "C5"): -2_000,
            ("Ekonomi", "D5"): 1_250,
            ("Ekonomi", "E5"): -1_900,
            ("Ekonomi", "H5"): "Högre volymer.",
        },
        tmp_path / "Leanlink.xlsx",
    )
    from delar_xl.template.write import write_template

    paths = [write_template(tmp_path / "klf.xlsx", klf), write_template(tmp_path / "vos.xlsx", vos), v1]
    result = consolidate(paths)
    assert result.report.valid and result.complete
    assert [f.code for f in result.report.findings if f.severity.value != "Info"] == []
    assert result.investment_budget == pytest.approx(klf.investment_budget + vos.investment_budget)
    summary = write_summary(result, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(summary)
    rows = {r["Förvaltning"]: r["Investering avvikelse"] for r in records(wb, "Forvaltningar")}
    assert rows["Leanlink"] is None  # nothing is said about what version 1 cannot report
    assert rows["Verksamhetsstöd och service"] == pytest.approx(0.3)


# 3. Rules -----------------------------------------------------------------------------------


def test_large_investment_deviation_needs_a_comment(klf) -> None:
    t = replace(klf, investments=[replace(klf.investments[0], comment="")])
    assert findings(t, "kommentar-saknas") == [["Investeringar", "G5", "Fel", "kommentar-saknas"]]
    assert messages(t, "kommentar-saknas") == [
        "Kommentar krävs för projektet KLF-P01: avvikelsen 2\u00a0200 tkr når gränsen (1\u00a0000 tkr eller 5 % av "
        "budget). Skriv orsaken: tidsförskjutning, ändrad omfattning eller ändrad kostnad."
    ]
    small = replace(t, investments=[InvestmentRow("P", "Liten", -100_000, 0, -99_500)])
    assert findings(small, "kommentar-saknas") == []


def test_investment_without_forecast_is_a_fel_at_its_cell(klf) -> None:
    t = replace(klf, investments=[replace(klf.investments[1], forecast=None)])
    assert findings(t, "belopp-saknas") == [["Investeringar", "E5", "Fel", "belopp-saknas"]]
    assert messages(t, "belopp-saknas") == [
        "Prognos helår saknas för raden projektet KLF-P02. Skriv beloppet i tkr (0 om inget)."
    ]


def test_atgarder_expected_for_an_underskott_at_the_threshold(klf) -> None:
    deficit = EconomyRow("KLF-09", "Ny verksamhet", -10_000, -7_000, -11_500, None, "Fler ärenden än planerat.")
    t = replace(klf, economy=klf.economy + [deficit])
    assert findings(t, "atgarder-saknas") == [["Ekonomi", "I11", "Varning", "atgarder-saknas"]]
    assert messages(t, "atgarder-saknas") == [
        "KLF-09 har ett underskott på 1\u00a0500 tkr: skriv i Åtgärder vad förvaltningen gör för att hantera det "
        "(nämnden ska kunna se åtgärderna)."
    ]
    assert (
        findings(replace(t, economy=klf.economy + [replace(deficit, measures="Vakansprövning.")]), "atgarder-saknas")
        == []
    )
    below = replace(deficit, forecast=-10_300)  # 300 tkr and 3 %: under both thresholds
    assert findings(replace(t, economy=klf.economy + [below]), "atgarder-saknas") == []
    surplus = replace(deficit, forecast=-8_000)  # an överskott needs no åtgärd
    assert findings(replace(t, economy=klf.economy + [surplus]), "atgarder-saknas") == []


def test_personal_checked_like_indicators(klf) -> None:
    wrong_sum = PersonnelRow("P01", "Antal tillsvidareanställda", "antal", 412, 236, 650)
    outside = PersonnelRow("P02", "Sjukfrånvaro", "%", 6.9, 3.8, 7.2)
    half = PersonnelRow("P03", "Långtidssjukfrånvaro", "%", 2.9, None, None)
    empty = PersonnelRow("P04", "Personalomsättning", "%")
    explained = PersonnelRow("P05", "Övertid", "timmar", comment="Mäts inte per kön i lönesystemet.")
    t = replace(klf, personnel=[wrong_sum, outside, half, empty, explained])
    assert [f for f in findings(t) if f[0] == "Personal"] == [
        ["Personal", "E7", "Fel", "konsuppdelning-saknas"],
        ["Personal", "D8", "Varning", "personal-ej-ifylld"],
        ["Personal", "F5", "Fel", "totalt-stammer-inte"],
        ["Personal", "F6", "Fel", "totalt-utanfor"],
    ]
    assert messages(t, "totalt-stammer-inte") == [
        "Nyckeltal P01 räknas i antal: Totalt (650) ska vara Kvinnor + Män (648)."
    ]
    assert messages(t, "personal-ej-ifylld") == [
        "Nyckeltal P04 (Personalomsättning) är inte ifyllt. Redovisa kvinnor, män och totalt, eller skriv i "
        "Kommentar varför uppgiften saknas."
    ]


@pytest.mark.parametrize(
    "approved, code",
    [
        (date.today() + timedelta(days=1), "godkand-i-framtiden"),
        (date(2021, 8, 30), "godkand-fore-periodslut"),
    ],
)
def test_godkand_not_after_today_nor_before_periodslut(klf, approved: date, code: str) -> None:
    t = with_meta(klf, godkand=approved)
    assert findings(t, code) == [["Uppgifter", "B15", "Varning", code]]
    assert findings(with_meta(klf, godkand=date(2021, 8, 31)), code) == []


def test_godkand_without_a_forvaltningschef_is_a_varning(klf) -> None:
    t = with_meta(klf, forvaltningschef="")
    assert findings(t, "forvaltningschef-saknas") == [["Uppgifter", "B14", "Varning", "forvaltningschef-saknas"]]


def test_godkand_typed_as_text_is_read_as_a_date(write, klf, tmp_path: Path) -> None:
    path = fill(write(klf), {("Uppgifter", "B15"): "2021-09-30"}, tmp_path / "ut.xlsx")
    result = read_template(path)
    assert result.template.meta.godkand == date(2021, 9, 30)
    assert [(f.cell, f.code) for f in result.findings] == [("B15", "datum-text")]


def test_example_templates_have_no_findings(examples) -> None:
    for t in examples:
        assert validate(t, Settings()) == [], t.meta.forvaltning


# 2. The plan ------------------------------------------------------------------------------------


def test_plan_has_the_version_2_names_and_tables_and_round_trips(tmp_path: Path) -> None:
    from delar_xl.demo.namnd import example_plan as demo_plan

    plan = demo_plan()
    path = write_plan(tmp_path / "Plan.xlsx", "", None, plan)
    wb = openpyxl.load_workbook(path)
    assert set(PLAN_V2_NAMES) <= set(wb.defined_names)
    for name, (sheet, headers) in PLAN_V2_TABLES.items():
        ws = wb[sheet]
        assert [c.value for c in next(iter(ws[ws.tables[name].ref]))] == headers, name
    result = check_plan(path)
    assert result.findings == []
    read = result.plan
    assert (read.kommun, read.handlaggare, read.undertecknare) == (
        "Linköpings kommun",
        "Eva Nilsson, controller",
        ("Paul Håkansson", "Mikael Borin"),
    )
    # Bilaga 3 is Kommunledningsförvaltningen's own template, as in the reference (issue 22)
    assert [(a.bilaga, a.title[:30]) for a in read.attachments] == [
        (2, "Uppföljning av Kommunstyrelsen"),
        (5, "Uppföljning av Verksamhetsstöd"),
    ]
    assert [replace(r, row=0) for r in read.investments] == plan.investments
    assert read.personnel == []  # empty: the default set
    assert [p.key_figure_id for p in read.personnel_for("Leanlink")] == ["P01", "P02", "P03"]


def test_plan_version_1_is_still_read(tmp_path: Path) -> None:
    """A plan written before version 2 (no Kommun, no PlanInvesteringar): read without those parts."""
    path = write_plan(tmp_path / "Plan.xlsx", "Kommunstyrelsen", 2021)
    wb = openpyxl.load_workbook(path)
    for name in ("Kommun", "Handlaggare", "Undertecknare"):
        del wb.defined_names[name]
    for sheet in ("Investeringar", "Personal", "Bilagor"):
        del wb[sheet]
    ((sheet, ref),) = list(wb.defined_names["Planversion"].destinations)
    wb[sheet][ref.replace("$", "")] = "1"
    wb.save(tmp_path / "v1.xlsx")
    result = check_plan(tmp_path / "v1.xlsx")
    assert not {f.code for f in result.findings} & {"namn-saknas", "tabell-saknas", "planversion-okand"}
    assert result.plan is not None and result.plan.investments == [] and result.plan.kommun == ""


def test_plan_attachment_number_taken_by_a_forvaltning_is_a_fel(tmp_path: Path) -> None:
    from delar_xl.demo.namnd import example_plan as demo_plan
    from delar_xl.plan.declaration import PlanAttachment
    from delar_xl.plan.rules import validate_plan

    plan = demo_plan()
    plan.attachments = [PlanAttachment(4, "Uppföljning", row=5), PlanAttachment(None, "Utan nummer", row=6)]
    found = [(f.sheet, f.cell, f.code) for f in validate_plan(plan) if f.code.startswith("plan-bilaga")]
    assert found == [("Bilagor", "A5", "plan-bilaga-dubblett"), ("Bilagor", "A6", "plan-bilaga-saknas")]


def test_utskick_prefills_and_locks_projects_budgets_and_personal(tmp_path: Path) -> None:
    from delar_xl.demo.namnd import example_plan as demo_plan

    result = write_prefilled(demo_plan(), PERIOD, tmp_path)
    wb = openpyxl.load_workbook(result.written[0])  # Kommunledningsförvaltningen
    inv = wb["Investeringar"]
    assert [[inv.cell(r, c).value for c in (1, 2, 3, 4, 5)] for r in (5, 6, 7)] == [
        ["KLF-P01", "Digital ärendehantering", -12_000, None, None],
        ["KLF-P02", "Ombyggnad av stadshusets reception", -6_500, None, None],
        ["KLF-P03", "Trygghetskameror i centrum", -3_000, None, None],
    ]
    assert {c: inv[c].protection.locked for c in ("A5", "B5", "C5", "D5", "E5", "G5", "A8", "C8")} == {
        "A5": True,
        "B5": True,
        "C5": True,
        "D5": False,
        "E5": False,
        "G5": False,
        "A8": False,
        "C8": False,
    }
    personal = wb["Personal"]
    assert [personal.cell(r, 1).value for r in (5, 6, 7)] == ["P01", "P02", "P03"]
    assert {c: personal[c].protection.locked for c in ("A5", "B5", "C5", "D5", "F5", "G5", "A8")} == {
        "A5": True,
        "B5": True,
        "C5": True,
        "D5": False,
        "F5": False,
        "G5": False,
        "A8": False,
    }
    assert inv["A5"].fill.fgColor.rgb.endswith("E7E6E6") and inv["D5"].fill.fgColor.rgb.endswith("FFF9E5")


# --plan ---------------------------------------------------------------------------------------


def test_plan_check_of_investments_suggests_the_plan_id_and_names_budgets(klf) -> None:
    plan = example_plan()
    typo = replace(klf.investments[0], project_id="KLF-P1")
    budget = replace(klf.investments[1], budget=-7_000)
    new = InvestmentRow("KLF-P09", "Nytt projekt", None, -200, -400)
    t = _as_read(replace(klf, investments=[typo, budget, klf.investments[2], new]))
    found = [f for f in check_template(t, "klf.xlsx", plan) if f.sheet == "Investeringar"]
    assert [(f.cell, f.severity.value, f.code) for f in found] == [
        ("A5", "Fel", "plan-projekt-okant"),
        ("C6", "Fel", "plan-investering-budget-avviker"),
        ("A8", "Varning", "plan-projekt-nytt"),
    ]
    assert found[0].message == (
        'Projekt-id "KLF-P1" finns inte i planen. Menade du KLF-P01? Projektet har en budget (−12\u00a0000 tkr), '
        "men budget finns bara för planens projekt: använd planens projekt-id."
    )
    assert found[1].message == (
        "Budget helår för projektet KLF-P02 är −7\u00a0000 tkr här men −6\u00a0500 tkr i planen. Investeringsbudgeten "
        "är nämndens beslut: skriv planens belopp."
    )


def test_plan_project_that_no_template_reports_is_named(write, examples) -> None:
    klf, vos, ll = examples
    vos = replace(vos, investments=vos.investments[:1])  # VOS-P02 left out
    paths = [write(t, f"{i}.xlsx") for i, t in enumerate([klf, vos, ll])]
    result = consolidate(paths, plan=example_plan())
    found = [f for f in result.report.findings if f.code == "plan-projekt-ej-rapporterat"]
    assert [(f.file, f.sheet, f.cell, f.severity.value) for f in found] == [
        (PLAN_FILE, "Investeringar", "A9", "Varning")
    ]
    assert found[0].message == (
        "Investeringsprojektet VOS-P02 (Storköksutrustning) hos Verksamhetsstöd och service finns i planen med en "
        "budget på −4\u00a0500 tkr men redovisas inte i förvaltningens mall; det ingår inte i investeringarnas summor."
    )
    assert [p.project_id for p in result.unreported_projects] == ["VOS-P02"]


# 4. The summary --------------------------------------------------------------------------------


def test_summary_names_and_tables_of_version_2(demo) -> None:
    wb = openpyxl.load_workbook(demo.summary)
    assert {n: name_value(wb, n) for n in SUMMARY_V2_NAMES} == {
        "InvesteringBudgetTotal": pytest.approx(-42.0),
        "InvesteringPrognosTotal": pytest.approx(-38.1),
        "InvesteringAvvikelseTotal": pytest.approx(3.9),
    }
    for name, headers in SUMMARY_V2_TABLES.items():
        assert table(wb, name)[0] == headers, name
    assert len(records(wb, "Investeringar")) == 8 and len(records(wb, "Personal")) == 9
    deviations = {r["Förvaltning"]: r["Investering avvikelse"] for r in records(wb, "Forvaltningar")}
    assert deviations == {
        "Kommunledningsförvaltningen": pytest.approx(2.8),
        "Verksamhetsstöd och service": pytest.approx(0.3),
        "Leanlink": pytest.approx(0.8),
    }
    assert [r["Godkänd"] for r in records(wb, "Inlamning")] == [
        datetime(2021, 9, 24),
        datetime(2021, 9, 23),
        datetime(2021, 9, 17),
    ]
    # the seed's figures are unchanged
    assert name_value(wb, "AvvikelseTotal") == pytest.approx(43.065)
    assert (name_value(wb, "MalHelt"), name_value(wb, "MalDelvis"), name_value(wb, "AntalMal")) == (8, 10, 18)
    assert (name_value(wb, "UppdragVerkstalls"), name_value(wb, "UppdragForskjuts")) == (15, 3)


def test_summary_text_and_overview_say_investeringar_and_sjukfranvaro(demo) -> None:
    investments = (
        "Nettoinvesteringarna beräknas till 38,1 mnkr för helåret mot en budget på 42,0 mnkr, en "
        "avvikelse på +3,9 mnkr; störst avvikelse har ”Digital ärendehantering” inom "
        "Kommunledningsförvaltningen (+2,2 mnkr)."
    )
    sick = (
        "Sjukfrånvaron, som andel av ordinarie arbetstid, var för kvinnor respektive män 6,9 % och 3,8 % inom "
        "Kommunledningsförvaltningen, 8,4 % och 5,1 % inom Verksamhetsstöd och service och 9,8 % och 6,2 % "
        "inom Leanlink."
    )
    text = paragraphs(demo.result)
    assert investments in text and sick in text
    wb = openpyxl.load_workbook(demo.summary)
    overview = [c.value for row in wb["Sammanställning"].iter_rows(max_col=1) for c in row]
    assert investments in overview and sick in overview
    assert investments in [c.value for c in wb["Text"]["A"]]


def test_nothing_is_said_about_what_no_template_reported(write, examples) -> None:
    bare = [replace(t, investments=[], personnel=[]) for t in examples]
    result = consolidate([write(t, f"{i}.xlsx") for i, t in enumerate(bare)])
    text = " ".join(paragraphs(result))
    assert "nvestering" not in text and "Sjukfrånvaron" not in text


def test_word_tjansteskrivelse_has_the_investment_sentence(demo) -> None:
    import docx

    body = " ".join(p.text for p in docx.Document(str(demo.word)).paragraphs)
    assert "Nettoinvesteringarna beräknas till 38,1 mnkr" in body and "Sjukfrånvaron" in body


def test_mail_has_one_sentence_each(demo) -> None:
    from delar_xl.mail.compose import compose

    mail, _ = compose(demo.summary, ["ekonomistaben@example.se"], "a@example.se")
    assert (
        "Nettoinvesteringarna beräknas till 38,1 mnkr för helåret mot en budget på 42,0 mnkr, en avvikelse på "
        "+3,9 mnkr; störst avvikelse har ”Digital ärendehantering” inom Kommunledningsförvaltningen (+2,2 mnkr)."
    ) in mail.body.splitlines()
    assert any(line.startswith("Sjukfrånvaron, som andel av ordinarie arbetstid") for line in mail.body.splitlines())


def test_bara_godkanda_leaves_out_the_unapproved_with_a_varning(write, examples, tmp_path: Path, capsys) -> None:
    klf, vos, ll = examples
    paths = [write(klf, "klf.xlsx"), write(with_meta(vos, godkand=None), "vos.xlsx"), write(ll, "ll.xlsx")]
    out = tmp_path / "s.xlsx"
    assert main(["konsolidera", *map(str, paths), "--ut", str(out), "--bara-godkanda"]) == 1
    printed = capsys.readouterr().out
    assert (
        "vos.xlsx, blad Uppgifter, cell B15: Varning: Rapporten från Verksamhetsstöd och service är inte godkänd "
        "av förvaltningschefen (Godkänd är tomt) och tas inte med, eftersom sammanställningen bara tar med "
        "godkända rapporter."
    ) in printed.splitlines()
    wb = openpyxl.load_workbook(out)
    status = {r["Förvaltning"]: r["Status"] for r in records(wb, "Forvaltningar")}
    assert status["Verksamhetsstöd och service"] == f"{STATUS_NOT_APPROVED} – ingår inte i summorna"
    assert name_value(wb, "AntalFel") == 0
    assert name_value(wb, "AvvikelseTotal") == pytest.approx((klf.deviation + ll.deviation) / 1000)
    # Without the option every template counts, approved or not.
    assert consolidate(paths).complete


# The kommun level --------------------------------------------------------------------------------


def test_kommun_sums_the_namnders_investments(tmp_path: Path) -> None:
    from delar_xl.demo.kommun import write_kommun_demo

    kommun = write_kommun_demo(tmp_path / "kommun")
    wb = openpyxl.load_workbook(kommun.summary)
    parts = [openpyxl.load_workbook(p) for p in kommun.namnd_summaries]
    if any(name_value(p, "InvesteringAvvikelseTotal") is None for p in parts):
        pytest.skip("the kommun demo's nämnder carry no investments")
    for name in SUMMARY_V2_NAMES:
        assert name_value(wb, name) == pytest.approx(sum(name_value(p, name) for p in parts)), name
    rows = records(wb, "Namnder")
    assert [r["Investering avvikelse"] for r in rows] == pytest.approx(
        [name_value(p, "InvesteringAvvikelseTotal") for p in parts]
    )
    assert table(wb, "Investeringar")[0][-1] == "Nämnd"


# 7. Performance: the new tables are read on the fast path ---------------------------------------


def test_reading_a_version_2_template_needs_no_openpyxl(demo) -> None:
    """Investeringar and Personal go through the same calamine/zip reader as the other tables."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from delar_xl.namnd.consolidate import consolidate\n"
        f"result = consolidate([{str(demo.templates[0].parent)!r}])\n"
        "print(sum(len(u.template.investments) + len(u.template.personnel) for u in result.included))\n"
        "print('openpyxl' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["17", "False"]


def test_plausibility_rules_apply_to_investment_rows(klf) -> None:
    """Issue 19's amount rules (a slip, never a Fel) on Investeringar as on Ekonomi: here mnkr typed in tkr."""
    slip = InvestmentRow("KLF-P09", "Förskola, om- och tillbyggnad", -12_000, -5_000, -12, "Prognos i mnkr?")
    t = replace(klf, investments=klf.investments + [slip])
    assert findings(t, "rimlig-enhet") == [["Investeringar", "E8", "Varning", "rimlig-enhet"]]
    assert messages(t, "rimlig-enhet") == [
        "Prognosen för projektet KLF-P09 (−12 tkr) är mer än 100 gånger mindre än budgeten (−12\u00a0000 tkr). "
        "Beloppen skrivs i tkr: har den skrivits i mnkr? −12,0 mnkr skrivs −12\u00a0000 tkr."
    ]


def test_version_1_template_against_a_plan_with_projects_names_none_of_them(tmp_path: Path) -> None:
    """A version 1 template cannot report investments: its one Info says so, not a Varning per project."""
    filled = fill(
        FIXTURE_V1,
        {
            ("Uppgifter", "B4"): "Leanlink",
            ("Uppgifter", "B9"): datetime(2021, 9, 16),
            ("Ekonomi", "A5"): "LL-01",
            ("Ekonomi", "B5"): "Hemtjänst",
            ("Ekonomi", "C5"): -2_000,
            ("Ekonomi", "D5"): 1_250,
            ("Ekonomi", "E5"): -1_900,
            ("Ekonomi", "H5"): "Högre volymer.",
        },
        tmp_path / "Leanlink.xlsx",
    )
    result = consolidate([filled], plan=example_plan())
    assert result.unreported_projects == []
    assert [f.code for f in result.report.findings if f.file == filled.name] == [CODE_VERSION_1]
