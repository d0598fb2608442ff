"""The issue's "Done when", end to end through the command line: plan → utskick → two of three
filled (only their unlocked cells, with openpyxl, as a controller in Excel) → konsolidera --plan →
skicka --paminnelse → utskick --foregaende for the next period → its summary's Prognosförändring."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from test_summary import name_value, records

from delar_xl.cli import main
from delar_xl.demo.namnd import example_plan, example_templates
from delar_xl.plan.write import write_plan
from delar_xl.template.model import Template

PLAN = "Plan Kommunstyrelsen 2021.xlsx"
KLF_FILE = "Bilaga 3 – Delårsrapport Kommunledningsförvaltningen 2021-08-31.xlsx"
VOS_FILE = "Bilaga 4 – Delårsrapport Verksamhetsstöd och service 2021-08-31.xlsx"
LL_FILE = "Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx"


def fill_as_controller(path: Path, answers: Template, out: Path, forecast_delta: float = 0.0) -> Path:
    """Type the controller's answers into the unlocked cells of a pre-filled template, row by id."""
    wb = openpyxl.load_workbook(path)
    wb["Uppgifter"]["B9"] = answers.meta.mbl_datum
    rows = {
        "Ekonomi": {r.key: r for r in answers.economy},
        "Nämndmål": {g.goal_id: g for g in answers.goals},
        "Uppdrag": {a.assignment_id: a for a in answers.assignments},
        "Indikatorer": {i.indicator_id: i for i in answers.indicators},
        # Version 2 (contract §7): the plan's projects and the personal nyckeltal are the controller's too.
        "Investeringar": {r.project_id: r for r in answers.investments},
        "Personal": {p.key_figure_id: p for p in answers.personnel},
    }
    for sheet, by_id in rows.items():
        ws = wb[sheet]
        for row in range(5, ws.max_row + 1):
            answer = by_id.get(ws.cell(row, 1).value)
            if answer is None:
                continue
            for column, value in _unlocked_answers(sheet, answer, forecast_delta).items():
                assert ws[f"{column}{row}"].protection.locked is False, (sheet, column, row)
                ws[f"{column}{row}"] = value
    wb.save(out)
    return out


def _unlocked_answers(sheet: str, a, delta: float) -> dict[str, object]:
    if sheet == "Ekonomi":
        return {"D": a.actual, "E": a.forecast + delta, "H": a.comment or None}
    if sheet == "Nämndmål":
        return {"C": a.assessment, "D": a.analysis}
    if sheet == "Uppdrag":
        return {"C": a.status, "D": a.new_year, "E": a.comment or None}
    if sheet == "Investeringar":
        return {"D": a.actual, "E": a.forecast, "G": a.comment or None}
    if sheet == "Personal":
        return {"D": a.women, "E": a.men, "F": a.total, "G": a.previous_year, "H": a.comment or None}
    return {"D": a.women, "E": a.men, "F": a.total, "H": a.reason or None}


@pytest.fixture
def cycle(tmp_path: Path) -> dict[str, Path]:
    plan = write_plan(tmp_path / PLAN, "Kommunstyrelsen", 2021, example_plan())
    assert main(["utskick", str(plan), "--period", "2021-08-31", "--ut", str(tmp_path / "utskick")]) == 0
    returned = tmp_path / "inkomna"
    returned.mkdir()
    klf, vos, _ = example_templates()
    fill_as_controller(tmp_path / "utskick" / KLF_FILE, klf, returned / KLF_FILE)
    fill_as_controller(tmp_path / "utskick" / VOS_FILE, vos, returned / VOS_FILE)
    return {"plan": plan, "utskick": tmp_path / "utskick", "inkomna": returned, "root": tmp_path}


def test_two_of_three_consolidated_with_the_plan(cycle, capsys) -> None:
    summary = cycle["root"] / "Sammanställning 2021-08-31.xlsx"
    code = main(["konsolidera", str(cycle["inkomna"]), "--plan", str(cycle["plan"]), "--ut", str(summary)])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    assert (
        f"{PLAN}, blad Förvaltningar, cell A7: Varning: Leanlink (bilaga 6) har inte lämnat någon mall. "
        "Sammanställningen är ofullständig tills mallen kommer in. Kontaktperson: Controller, Leanlink." in lines
    )
    for goal in ("KS-M16", "KS-M17", "KS-M18"):
        assert any(
            line.startswith(f"{PLAN}, blad Nämndmål, cell A")
            and f"Nämndmål {goal} (" in line
            and "räknas som Ej bedömt" in line
            for line in lines
        ), goal
    assert lines[-4:] == [
        "  Nämndmål: 18 (helt 6, delvis 9, inte 0, ej bedömt 3)",
        # AntalUppdrag is 18: the line counts Leanlink's three unreported assignments as the summary does
        "  Uppdrag: 18 (verkställs 12, förskjuts 3, avbryts 0, ej rapporterade 3)",
        "  Inlämnat: 2 av 3 förvaltningar",
        "  OBS! Ingen mall från Leanlink. Summorna är ofullständiga tills mallen har kommit in.",
    ]
    wb = openpyxl.load_workbook(summary)
    assert (
        name_value(wb, "MalEjBedomt"),
        name_value(wb, "AntalSaknade"),
        name_value(wb, "AntalForvantade"),
        name_value(wb, "UppdragEjRapporterade"),
        name_value(wb, "AntalUppdrag"),
    ) == (3, 1, 3, 3, 18)
    assert name_value(wb, "Plan") == str(cycle["plan"].resolve())
    assert [(r["Förvaltning"], r["Bilaga"], r["Fil"], r["Status"]) for r in records(wb, "Inlamning")] == [
        ("Kommunledningsförvaltningen", 3, KLF_FILE, "Med i sammanställningen"),  # Bilaga 1 is the nämnd's report
        ("Verksamhetsstöd och service", 4, VOS_FILE, "Med i sammanställningen"),
        ("Leanlink", 6, None, "Saknas"),
    ]


def test_missing_and_excluded_give_one_closing_line_and_the_text_counts_every_assignment(cycle, capsys) -> None:
    vos = cycle["inkomna"] / VOS_FILE
    wb = openpyxl.load_workbook(vos)
    (row,) = [r for r in range(5, wb["Ekonomi"].max_row + 1) if wb["Ekonomi"].cell(r, 1).value == "VOS-02"]
    wb["Ekonomi"][f"E{row}"] = "ungefär 2 400"  # a Fel: Verksamhetsstöd och service is left out
    wb.save(vos)
    summary = cycle["root"] / "Sammanställning 2021-08-31.xlsx"
    code = main(["konsolidera", str(cycle["inkomna"]), "--plan", str(cycle["plan"]), "--ut", str(summary), "--text"])
    out = capsys.readouterr().out
    assert code == 1
    closing = [line for line in out.splitlines() if line.startswith("  OBS!")]
    assert closing == [
        '  OBS! Summorna är ofullständiga: ingen mall från Leanlink, och det som står under "Ingår inte" är inte med.'
    ]
    assert "  Uppdrag: 18 (verkställs 9, förskjuts 3, avbryts 0, ej rapporterade 6)" in out.splitlines()
    assert name_value(openpyxl.load_workbook(summary), "AntalUppdrag") == 18
    # one way for both counts of the sentence (issue 22): "18 … 9", never "18 … nio"
    assert (
        "Av kommunstyrelsens 18 strategiska utvecklingsuppdrag kommer 9 uppdrag att vara verkställda vid årets slut."
    ) in out
    assert "Sex uppdrag har inte rapporterats i någon av de mallar som ingår." in out


def test_plan_in_the_folder_is_used_without_asking(cycle, capsys) -> None:
    (cycle["inkomna"] / PLAN).write_bytes(cycle["plan"].read_bytes())
    code = main(["kontrollera", str(cycle["inkomna"])])
    out = capsys.readouterr().out
    assert code == 0  # nobody's template has a Fel; Leanlink's absence is a Varning here
    assert (
        f"{PLAN}: Info: Planen {PLAN} bland filerna används: mallarna kontrolleras mot den och "
        "förvaltningar utan mall redovisas som saknade."
    ) in out.splitlines()
    assert (
        out.splitlines()[-1] == "  OBS! Ingen mall från Leanlink. Summorna är ofullständiga tills mallen har kommit in."
    )


def test_typo_in_a_locked_id_is_reported_at_its_cell(cycle, capsys) -> None:
    path = cycle["inkomna"] / KLF_FILE
    wb = openpyxl.load_workbook(path)
    ws = wb["Nämndmål"]
    ws.protection.sheet = False  # the controller unprotects the sheet (no password) and retypes an id
    (row,) = [r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "KS-M05"]
    ws.cell(row, 1).value = "KS-M5"
    wb.save(path)
    assert main(["kontrollera", str(path), "--plan", str(cycle["plan"])]) == 1
    out = capsys.readouterr().out
    assert (
        f'{KLF_FILE}, blad Nämndmål, cell A{row}: Fel: Mål-id "KS-M5" finns inte i planen. Menade du '
        "KS-M05? Målet räknas inte med; skriv planens id."
    ) in out.splitlines()


def test_reminder_then_next_period_with_previous_forecast(cycle, capsys, monkeypatch) -> None:
    for key in ("DELAR_XL_SMTP", "DELAR_XL_METOD", "DELAR_XL_SETTINGS"):
        monkeypatch.delenv(key, raising=False)
    root = cycle["root"]
    august = root / "Sammanställning 2021-08-31.xlsx"
    assert main(["konsolidera", str(cycle["inkomna"]), "--plan", str(cycle["plan"]), "--ut", str(august)]) == 1
    drafts = root / "påminnelser"
    assert main(["skicka", "--paminnelse", str(august), "--eml", str(drafts), "--mallar", str(cycle["utskick"])]) == 0
    assert [p.name for p in drafts.iterdir()] == ["Påminnelse Leanlink.eml"]
    # The next period, pre-filled from August's summary: KLF's and VOS's forecasts become Föregående prognos.
    assert (
        main(
            [
                "utskick",
                str(cycle["plan"]),
                "--period",
                "2021-12-31",
                "--ut",
                str(root / "helar"),
                "--foregaende",
                str(august),
            ]
        )
        == 0
    )
    capsys.readouterr()
    december = root / "inkomna-helar"
    december.mkdir()
    for t in example_templates():
        name = next(p.name for p in (root / "helar").iterdir() if t.meta.forvaltning in p.name)
        fill_as_controller(root / "helar" / name, t, december / name, forecast_delta=400)
    summary = root / "Sammanställning 2021-12-31.xlsx"
    code = main(["konsolidera", str(december), "--plan", str(cycle["plan"]), "--ut", str(summary)])
    assert code == 0, capsys.readouterr().out
    wb = openpyxl.load_workbook(summary)
    # +400 tkr on each of KLF's 6 and VOS's 5 lines; Leanlink had no previous figure.
    assert name_value(wb, "PrognosforandringTotal") == pytest.approx(11 * 400 / 1000)
    changes = {r["Förvaltning"]: r["Prognosförändring"] for r in records(wb, "Forvaltningar")}
    assert changes == {
        "Kommunledningsförvaltningen": pytest.approx(2.4),
        "Verksamhetsstöd och service": pytest.approx(2.0),
        "Leanlink": None,
    }
    assert name_value(wb, "AntalSaknade") == 0


def test_plan_that_does_not_exist_is_a_bad_argument(cycle, capsys) -> None:
    missing = cycle["root"] / "Ingen plan.xlsx"
    assert (
        main(["konsolidera", str(cycle["inkomna"]), "--plan", str(missing), "--ut", str(cycle["root"] / "S.xlsx")]) == 2
    )
    assert main(["kontrollera", str(cycle["inkomna"]), "--plan", str(missing)]) == 2
    assert capsys.readouterr().err == f"Fel: planen {missing} finns inte.\n" * 2
    assert not (cycle["root"] / "S.xlsx").exists()


def test_demo_consolidates_with_its_plan(demo) -> None:
    """The README's first command runs the whole cycle; the reference figures are unchanged."""
    r = demo.result
    assert r.plan is not None and r.plan.file == PLAN and r.missing == [] and r.unreported == []
    assert round(r.deviation / 100) / 10 == 43.1 and r.goal_counts()["Uppnås helt"] == 8
    wb = openpyxl.load_workbook(demo.summary)
    assert (name_value(wb, "AntalForvantade"), name_value(wb, "AntalSaknade")) == (3, 0)
    assert name_value(wb, "Plan") == str(demo.plan.resolve())
    assert [r["Status"] for r in records(wb, "Inlamning")] == ["Med i sammanställningen"] * 3
    assert wb["Sammanställning"]["A2"].value == "3 av 3 förvaltningar har lämnat in. Alla 3 mallar ingår."
