"""`delar-xl utskick`: pre-filled templates from the plan (contract §4), locked where the plan
filled them, read back through the contract's names alone, filled in the unlocked cells only
(openpyxl, as a controller in Excel), and `--foregaende` from a real summary of the product."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import fill
from contract import TEMPLATE_NAMES, TEMPLATE_TABLES

from delar_xl.cli import main
from delar_xl.demo.namnd import example_plan
from delar_xl.namnd.consolidate import check, consolidate
from delar_xl.namnd.dispatch import DispatchRefused, dispatch, read_previous_summary, write_prefilled
from delar_xl.namnd.summary import write_summary
from delar_xl.plan import declaration as P
from delar_xl.plan.write import write_plan

PERIOD = date(2021, 8, 31)
NEXT = date(2021, 10, 31)
NAMES = [
    "Bilaga 3 – Delårsrapport Kommunledningsförvaltningen 2021-08-31.xlsx",
    "Bilaga 4 – Delårsrapport Verksamhetsstöd och service 2021-08-31.xlsx",
    "Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx",
]


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "Plan.xlsx", "", None, example_plan())


@pytest.fixture
def sent(plan_file: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "utskick"
    assert main(["utskick", str(plan_file), "--period", "2021-08-31", "--ut", str(folder)]) == 0
    return folder


def name_cell(wb: openpyxl.Workbook, name: str):
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")]


# Names and content ---------------------------------------------------------------------------


def test_utskick_writes_one_template_per_forvaltning_in_bilaga_order(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ny"
    assert main(["utskick", str(plan_file), "--period", "2021-08-31", "--ut", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == NAMES
    out = capsys.readouterr().out
    assert out.startswith("3 förifyllda mallar skrevs i")
    assert [line.strip() for line in out.splitlines()[1:]] == NAMES


def test_utskick_template_read_through_contract_names_alone(sent: Path) -> None:
    """Defined names and table objects, as Power Query or pandas would find them; no delar_xl code."""
    wb = openpyxl.load_workbook(sent / NAMES[2])
    assert set(TEMPLATE_NAMES) <= set(wb.defined_names)
    assert name_cell(wb, "Forvaltning").value == "Leanlink"
    assert name_cell(wb, "Namnd").value == "Kommunstyrelsen"
    assert name_cell(wb, "Periodslut").value == datetime(2021, 8, 31)
    assert name_cell(wb, "Kontaktperson").value == "Controller, Leanlink"
    assert name_cell(wb, "Rapport").value == "Delårsrapport"
    assert name_cell(wb, "Mallversion").value == "2"  # contract §7
    found = {}
    for name, (sheet, headers) in TEMPLATE_TABLES.items():
        ws = wb[sheet]
        assert name in ws.tables
        rows = [[c.value for c in r] for r in ws[ws.tables[name].ref]]
        assert rows[0][: len(headers)] == headers
        found[name] = [r for r in rows[1:] if r[0] is not None]
    assert [r[:3] for r in found["Ekonomi"]] == [
        ["LL-01", "Hemtjänst", -2000],
        ["LL-02", "Särskilt boende", 0],
        ["LL-03", "Funktionsstöd", 1500],
        ["LL-04", "Hemsjukvård och rehabilitering", 500],
        ["LL-05", "Gemensamt och ledning", 0],
    ]
    assert all(r[3] is None and r[4] is None and r[6] is None for r in found["Ekonomi"])
    assert [r[0] for r in found["Namndmal"]] == ["KS-M16", "KS-M17", "KS-M18"]
    assert found["Namndmal"][1][1] == "Heltid ska vara norm" and found["Namndmal"][1][2] is None
    assert [r[0] for r in found["Uppdrag"]] == ["KS-U16", "KS-U17", "KS-U18"]
    assert [(r[0], r[2], r[6]) for r in found["Indikatorer"]] == [
        ("N00090", "%", None),
        ("LL-I02", "%", 80),
        ("LL-I03", "antal", None),
    ]


def test_utskick_shared_goal_goes_to_both_forvaltningar(sent: Path) -> None:
    for name in NAMES[:2]:
        ws = openpyxl.load_workbook(sent / name)["Nämndmål"]
        ids = [r[0].value for r in ws[ws.tables["Namndmal"].ref][1:] if r[0].value]
        assert "KS-M05" in ids
    ws = openpyxl.load_workbook(sent / NAMES[0])["Nämndmål"]
    assert [r[0].value for r in ws[ws.tables["Namndmal"].ref][1:] if r[0].value] == [
        f"KS-M{i:02}" for i in range(1, 13)
    ]


# Locked and unlocked cells ----------------------------------------------------------------------


def test_utskick_plan_cells_locked_controller_cells_unlocked(sent: Path) -> None:
    wb = openpyxl.load_workbook(sent / NAMES[0])
    info, eco, goals, tasks, ind = (wb[s] for s in ("Uppgifter", "Ekonomi", "Nämndmål", "Uppdrag", "Indikatorer"))
    assert all(ws.protection.sheet for ws in (info, eco, goals, tasks, ind))
    locked = lambda ws, cells: {c: ws[c].protection.locked for c in cells}  # noqa: E731
    # Uppgifter: Forvaltning, Namnd, Periodslut locked; Rapport, Kontaktperson, MBL, Sammanfattning open.
    assert locked(info, ["B4", "B5", "B7", "B11"]) == {"B4": True, "B5": True, "B7": True, "B11": True}
    assert locked(info, ["B6", "B8", "B9", "B10"]) == {c: False for c in ["B6", "B8", "B9", "B10"]}
    # Ekonomi: Radnyckel, Verksamhet, Budget from the plan; Avvikelse is the formula.
    assert locked(eco, ["A5", "B5", "C5", "F5", "A10", "C10"]) == {
        c: True for c in ["A5", "B5", "C5", "F5", "A10", "C10"]
    }
    assert locked(eco, ["D5", "E5", "G5", "H5"]) == {c: False for c in ["D5", "E5", "G5", "H5"]}
    # The rows below the plan's six lines are the controller's, for a new line.
    assert locked(eco, ["A11", "B11", "C11", "E11", "A44"]) == {c: False for c in ["A11", "B11", "C11", "E11", "A44"]}
    assert eco.tables["Ekonomi"].ref == "A4:I44"  # I: Åtgärder (contract §7)
    assert locked(goals, ["A5", "B5", "A16", "B16"]) == {c: True for c in ["A5", "B5", "A16", "B16"]}
    assert locked(goals, ["C5", "D5", "A17", "B17"]) == {c: False for c in ["C5", "D5", "A17", "B17"]}
    assert locked(tasks, ["A5", "B5"]) == {"A5": True, "B5": True}
    assert locked(tasks, ["C5", "D5", "E5", "A17"]) == {c: False for c in ["C5", "D5", "E5", "A17"]}
    # Indicators: id, name and Enhet locked; Målvärde only where the plan has one.
    assert locked(ind, ["A5", "B5", "C5", "G7", "G8"]) == {c: True for c in ["A5", "B5", "C5", "G7", "G8"]}
    assert locked(ind, ["D5", "E5", "F5", "G5", "H5", "G6"]) == {c: False for c in ["D5", "E5", "F5", "G5", "H5", "G6"]}
    assert ind["G6"].value is None and ind["G7"].value == 80  # KLF-I02 has no target, KLF-I03 has 80


def test_utskick_locked_cells_are_grey_unlocked_yellow(sent: Path) -> None:
    ws = openpyxl.load_workbook(sent / NAMES[0])["Ekonomi"]
    assert ws["A5"].fill.fgColor.rgb.endswith("E7E6E6")
    assert ws["E5"].fill.fgColor.rgb.endswith("FFF9E5")


def test_utskick_controller_fills_unlocked_cells_and_it_consolidates(sent: Path, tmp_path: Path) -> None:
    """A controller in Excel can only type into unlocked cells: fill those, nothing else, and check."""
    path = sent / NAMES[2]
    wb = openpyxl.load_workbook(path)
    edits = {("Uppgifter", "B9"): datetime(2021, 9, 16)}
    forecasts = [1_904, 6_212, 2_688, 884, 10_400]
    for i, forecast in enumerate(forecasts):
        edits |= {("Ekonomi", f"D{5 + i}"): 0, ("Ekonomi", f"E{5 + i}"): forecast, ("Ekonomi", f"H{5 + i}"): "Orsak."}
    edits |= {
        ("Ekonomi", "A10"): "LL-06",
        ("Ekonomi", "B10"): "Ny verksamhet",
        ("Ekonomi", "C10"): -100,
        ("Ekonomi", "E10"): -100,
    }
    for row in (5, 6, 7):
        edits |= {("Nämndmål", f"C{row}"): "Uppnås helt", ("Uppdrag", f"C{row}"): "Verkställt"}
    edits |= {
        ("Indikatorer", "D5"): 9.8,
        ("Indikatorer", "E5"): 6.2,
        ("Indikatorer", "F5"): 9.1,
        ("Indikatorer", "D6"): 71,
        ("Indikatorer", "E6"): 84,
        ("Indikatorer", "F6"): 73,
        ("Indikatorer", "D7"): 1_320,
        ("Indikatorer", "E7"): 745,
        ("Indikatorer", "F7"): 2_065,
    }
    # Version 2 (contract §7): the plan's default personal nyckeltal P01–P03 are the controller's to fill too.
    edits |= {
        ("Personal", "D5"): 610,
        ("Personal", "E5"): 240,
        ("Personal", "F5"): 850,
        ("Personal", "D6"): 8.4,
        ("Personal", "E6"): 5.1,
        ("Personal", "F6"): 7.5,
        ("Personal", "D7"): 3.9,
        ("Personal", "E7"): 2.2,
        ("Personal", "F7"): 3.4,
    }
    # …and Utfall and Prognos of the plan's three investment projects (LL-P01–P03, budgets locked).
    edits |= {
        ("Investeringar", "D5"): -4_700,
        ("Investeringar", "E5"): -5_200,
        ("Investeringar", "D6"): -1_100,
        ("Investeringar", "E6"): -3_800,
        ("Investeringar", "D7"): 0,
        ("Investeringar", "E7"): 1_000,
    }
    for sheet, cell in edits:
        assert wb[sheet][cell].protection.locked is False, f"{sheet}!{cell} är låst"
    filled = fill(path, edits, tmp_path / "ifylld.xlsx")
    result = consolidate([filled])
    assert result.report.flatten(["severity", "code"]) == []
    (unit,) = result.included
    assert unit.template.deviation == pytest.approx(22_088 - 100 + 100)
    assert [r.key for r in unit.template.economy] == ["LL-01", "LL-02", "LL-03", "LL-04", "LL-05", "LL-06"]


def test_utskick_inputs_never_modified(plan_file: Path, tmp_path: Path) -> None:
    before = plan_file.read_bytes()
    dispatch(plan_file, PERIOD, tmp_path / "ut")
    assert plan_file.read_bytes() == before


# Refusals ----------------------------------------------------------------------------------------


def test_utskick_plan_with_errors_writes_nothing_exit_1(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = fill(plan_file, {("Nämndmål", "A6"): "KS-M01"}, tmp_path / "fel.xlsx")
    folder = tmp_path / "ut"
    assert main(["utskick", str(bad), "--period", "2021-08-31", "--ut", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "fel.xlsx, blad Nämndmål, cell A6: Fel: Mål-id KS-M01 finns redan" in captured.out
    assert "inga mallar skrevs" in captured.err
    assert not folder.exists() or list(folder.iterdir()) == []


@pytest.mark.parametrize("kind", ["template", "csv"])
def test_utskick_not_a_plan_is_exit_2(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from delar_xl.template.write import write_blank

    path = tmp_path / "inte-plan.xlsx"
    if kind == "template":
        write_blank(path, "Leanlink", PERIOD)
    else:
        path.write_text("Förvaltning;Bilaga\n", encoding="utf-8")
    assert main(["utskick", str(path), "--period", "2021-08-31", "--ut", str(tmp_path / "ut")]) == 2
    assert "inte-plan.xlsx: Fel:" in capsys.readouterr().out
    assert not (tmp_path / "ut").exists()


def test_utskick_never_overwrites_an_existing_template(
    sent: Path, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = sent / NAMES[1]
    filled.write_bytes(b"ifylld av controllern")
    assert main(["utskick", str(plan_file), "--period", "2021-08-31", "--ut", str(sent)]) == 2
    assert filled.read_bytes() == b"ifylld av controllern"
    err = capsys.readouterr().err
    assert "innehåller redan" in err and "Inget skrevs" in err
    assert sorted(p.name for p in sent.iterdir()) == NAMES  # no .bak, nothing beside


def test_utskick_period_outside_the_plan_year_is_refused(plan_file: Path, tmp_path: Path) -> None:
    with pytest.raises(DispatchRefused, match="inte i planens budgetår 2021"):
        dispatch(plan_file, date(2022, 8, 31), tmp_path / "ut")
    assert not (tmp_path / "ut").exists()


def test_utskick_year_end_is_a_verksamhetsberattelse(tmp_path: Path) -> None:
    result = write_prefilled(example_plan(), date(2021, 12, 31), tmp_path)
    assert result.templates[0].content.meta.rapport == "Verksamhetsberättelse"
    assert result.written[0].name == "Bilaga 3 – Delårsrapport Kommunledningsförvaltningen 2021-12-31.xlsx"


def test_utskick_file_name_without_characters_file_systems_refuse(tmp_path: Path) -> None:
    plan = example_plan()
    name = "Vård/omsorg: Öst"
    plan.units[2] = replace(plan.units[2], forvaltning=name)
    rename = lambda units: tuple(name if u == "Leanlink" else u for u in units)  # noqa: E731
    plan.economy = [replace(r, forvaltning=name) if r.forvaltning == "Leanlink" else r for r in plan.economy]
    plan.goals = [replace(g, units=rename(g.units)) for g in plan.goals]
    plan.assignments = [replace(a, units=rename(a.units)) for a in plan.assignments]
    plan.indicators = [replace(i, units=rename(i.units)) for i in plan.indicators]
    plan.investments = [replace(r, forvaltning=name) if r.forvaltning == "Leanlink" else r for r in plan.investments]
    result = write_prefilled(plan, PERIOD, tmp_path)
    assert len(result.templates[2].content.economy) == 5
    assert result.written[2].name == "Bilaga 6 – Delårsrapport Vård-omsorg- Öst 2021-08-31.xlsx"


# --foregaende ---------------------------------------------------------------------------------


@pytest.fixture
def previous(demo, tmp_path: Path) -> Path:
    """The demo's real summary per 2021-08-31 (written by the product)."""
    return demo.summary


def test_utskick_foregaende_fills_previous_forecast_locked(
    plan_file: Path, previous: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "oktober"
    assert (
        main(["utskick", str(plan_file), "--period", "2021-10-31", "--ut", str(folder), "--foregaende", str(previous)])
        == 0
    )
    assert "saknas" not in capsys.readouterr().out
    wb = openpyxl.load_workbook(folder / "Bilaga 3 – Delårsrapport Kommunledningsförvaltningen 2021-10-31.xlsx")
    ws = wb["Ekonomi"]
    assert [ws[f"G{r}"].value for r in range(5, 11)] == [-93_112, -43_702, -36_905, -21_815, -57_612, -29_892]
    assert all(ws[f"G{r}"].protection.locked for r in range(5, 11))
    assert ws["G11"].value is None and ws["G11"].protection.locked is False
    assert name_cell(wb, "Periodslut").value == datetime(2021, 10, 31)


def test_utskick_foregaende_says_which_lines_had_no_previous_figure(
    previous: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = example_plan()
    plan.economy.append(P.PlanEconomyRow("Leanlink", "LL-06", "Ny verksamhet", -500))
    plan_file = write_plan(tmp_path / "Plan.xlsx", "", None, plan)
    assert (
        main(
            [
                "utskick",
                str(plan_file),
                "--period",
                "2021-10-31",
                "--ut",
                str(tmp_path / "ut"),
                "--foregaende",
                str(previous),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"Föregående prognos saknas i {previous.name} för Leanlink: LL-06" in out  # names the förvaltning (issue 19)
    assert out.count("Föregående prognos saknas") == 1
    ws = openpyxl.load_workbook(tmp_path / "ut" / "Bilaga 6 – Delårsrapport Leanlink 2021-10-31.xlsx")["Ekonomi"]
    assert ws["G10"].value is None and ws["G10"].protection.locked is False
    assert ws["G9"].value == 10_400 and ws["G9"].protection.locked is True


def test_utskick_foregaende_read_through_contract_names(previous: Path) -> None:
    read = read_previous_summary(previous)
    assert (read.namnd, read.periodslut) == ("Kommunstyrelsen", PERIOD)
    assert len(read.forecasts) == 16
    assert read.forecast("Leanlink", "LL-05") == 10_400


def test_utskick_foregaende_another_namnd_is_refused(
    previous: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = replace(example_plan(), namnd="Socialnämnden")
    plan_file = write_plan(tmp_path / "Plan.xlsx", "", None, plan)
    assert (
        main(
            [
                "utskick",
                str(plan_file),
                "--period",
                "2021-10-31",
                "--ut",
                str(tmp_path / "ut"),
                "--foregaende",
                str(previous),
            ]
        )
        == 2
    )
    assert "avser Kommunstyrelsen, men planen avser Socialnämnden" in capsys.readouterr().err
    assert not (tmp_path / "ut").exists()


@pytest.mark.parametrize("period", ["2021-04-30", "2021-08-31"])
def test_utskick_foregaende_later_or_same_period_is_refused(
    plan_file: Path, previous: Path, tmp_path: Path, period: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            ["utskick", str(plan_file), "--period", period, "--ut", str(tmp_path / "ut"), "--foregaende", str(previous)]
        )
        == 2
    )
    assert "som inte ligger före" in capsys.readouterr().err
    assert not (tmp_path / "ut").exists()


def test_utskick_foregaende_must_be_a_summary(
    plan_file: Path, tmp_path: Path, sent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "utskick",
                str(plan_file),
                "--period",
                "2021-10-31",
                "--ut",
                str(tmp_path / "ut"),
                "--foregaende",
                str(sent / NAMES[0]),
            ]
        )
        == 2
    )
    assert "är ingen sammanställning från delar_xl" in capsys.readouterr().err


def test_utskick_foregaende_from_an_incomplete_summary_leaves_excluded_lines_open(tmp_path: Path) -> None:
    """A förvaltning left out of the previous summary has no previous figures: reported, not invented."""
    from delar_xl.demo.namnd import example_templates
    from delar_xl.template.write import write_template

    folder = tmp_path / "mallar"
    for t in example_templates()[:2]:
        write_template(folder / f"{t.meta.forvaltning}.xlsx", t)
    summary = write_summary(consolidate([folder]), tmp_path / "Sammanställning.xlsx")
    result = dispatch(write_plan(tmp_path / "Plan.xlsx", "", None, example_plan()), NEXT, tmp_path / "ut", summary)
    assert [t.missing_previous for t in result.templates] == [[], [], ["LL-01", "LL-02", "LL-03", "LL-04", "LL-05"]]


def test_utskick_next_period_checks_clean_after_filling(plan_file: Path, previous: Path, tmp_path: Path) -> None:
    """The next period's pre-filled Föregående prognos is read back by the reader as the template's."""
    result = dispatch(plan_file, NEXT, tmp_path / "ut", previous)
    checked = check([result.written[2]])
    (unit,) = checked.units
    assert [r.previous_forecast for r in unit.template.economy] == [1_904, 6_212, 2_688, 884, 10_400]


def test_utskick_text_from_the_plan_is_never_a_formula(tmp_path: Path) -> None:
    """Plan text that looks like a formula stays text in the plan and in the pre-filled template."""
    risky = '=HYPERLINK("http://example.invalid","klicka")'
    plan = example_plan()
    plan.goals[0] = replace(plan.goals[0], goal=risky)
    plan.economy[0] = replace(plan.economy[0], activity="+46 13 20 00 00")
    plan_file = write_plan(tmp_path / "Plan.xlsx", "", None, plan)
    assert openpyxl.load_workbook(plan_file)["Nämndmål"]["B5"].data_type == "s"
    result = dispatch(plan_file, PERIOD, tmp_path / "ut")
    assert result.findings == []
    wb = openpyxl.load_workbook(result.written[0])
    assert (wb["Nämndmål"]["B5"].value, wb["Nämndmål"]["B5"].data_type) == (risky, "s")
    assert (wb["Ekonomi"]["B5"].value, wb["Ekonomi"]["B5"].data_type) == ("+46 13 20 00 00", "s")


def test_write_prefilled_refuses_a_plan_in_memory_with_errors(tmp_path: Path) -> None:
    plan = example_plan()
    plan.units[1] = replace(plan.units[1], bilaga=None)
    with pytest.raises(DispatchRefused, match="Planen har 1 fel; inga mallar skrevs. Första felet: "):
        write_prefilled(plan, PERIOD, tmp_path / "ut")
    assert not (tmp_path / "ut").exists()
