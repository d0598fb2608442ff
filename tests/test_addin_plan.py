"""The ribbon button on an open plan: it offers to write the pre-filled templates, through the same
core as `delar-xl utskick`, run through xlwings' remote engine like tests/test_addin_main.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import fill
from test_addin_main import actions, open_as_caller, written_cells

from delar_xl.demo.namnd import example_plan
from delar_xl.excel import ribbon as excel
from delar_xl.excel.ui import ScriptedUi
from delar_xl.plan.write import write_plan

NOW = datetime(2026, 12, 1, 21, 0)
NAMES = [
    "Bilaga 3 – Delårsrapport Kommunledningsförvaltningen 2021-08-31.xlsx",
    "Bilaga 4 – Delårsrapport Verksamhetsstöd och service 2021-08-31.xlsx",
    "Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx",
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DELAR_XL_LOG", str(tmp_path / "logg" / "delar_xl.log"))
    monkeypatch.setenv("DELAR_XL_SETTINGS", str(tmp_path / "ingen.toml"))


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "Plan Kommunstyrelsen 2021.xlsx", "", None, example_plan())


def test_addin_plan_is_its_own_situation(plan_file: Path) -> None:
    assert excel.situation_of(open_as_caller(plan_file)) is excel.Situation.PLAN


def test_addin_plan_writes_the_prefilled_templates(plan_file: Path, tmp_path: Path) -> None:
    book = open_as_caller(plan_file)
    folder = tmp_path / "utskick"
    folder.mkdir()
    ui = ScriptedUi(answers=[True, False], texts=["2021-08-31"], folders=[folder])

    excel.main(ui=ui)

    assert not ui.errors
    assert sorted(p.name for p in folder.iterdir()) == NAMES
    assert ui.questions[0] == (
        "Den öppna arbetsboken är en plan (Kommunstyrelsen 2021). Vill du skriva en förifylld mall per förvaltning?"
    )
    assert ui.prompts == ["Periodslut för mallarna (ÅÅÅÅ-MM-DD):", "Välj mappen där de förifyllda mallarna ska sparas"]
    assert ui.messages == [f"Klart: 3 förifyllda mallar skrevs i {folder}."]
    assert actions(book, "setValues") == []  # the plan itself is not touched
    wb = openpyxl.load_workbook(folder / NAMES[0])
    assert wb["Ekonomi"]["A5"].value == "KLF-01" and wb["Ekonomi"]["A5"].protection.locked


def test_addin_plan_with_the_previous_summary(tmp_path: Path, demo) -> None:
    from delar_xl.plan.declaration import PlanEconomyRow

    plan = example_plan()
    plan.economy.append(PlanEconomyRow("Leanlink", "LL-06", "Ny verksamhet", -500))
    plan_path = write_plan(tmp_path / "Plan.xlsx", "", None, plan)
    folder = tmp_path / "oktober"
    book = open_as_caller(plan_path)
    ui = ScriptedUi(answers=[True, True], texts=["2021-10-31"], folders=[folder], files=[demo.summary])
    excel.run(book, ui, NOW)
    assert not ui.errors
    assert ui.messages == [
        f"Klart: 3 förifyllda mallar skrevs i {folder}. Föregående prognos saknas i "
        f"{demo.summary.name} för Leanlink: LL-06."
    ]
    ws = openpyxl.load_workbook(folder / "Bilaga 6 – Delårsrapport Leanlink 2021-10-31.xlsx")["Ekonomi"]
    assert ws["G9"].value == 10_400 and ws["G9"].protection.locked


def test_addin_plan_with_errors_gets_a_check_sheet_and_writes_nothing(plan_file: Path, tmp_path: Path) -> None:
    bad = fill(plan_file, {("Nämndmål", "A6"): "KS-M01"}, tmp_path / "fel.xlsx")
    book = open_as_caller(bad)
    folder = tmp_path / "ut"
    ui = ScriptedUi(answers=[True, False], texts=["2021-08-31"], folders=[folder])

    excel.run(book, ui, NOW)

    assert not folder.exists() or list(folder.iterdir()) == []
    assert ui.errors == [
        "Planen har 1 fel; inga mallar skrevs. Se bladet Kontroll, rätta planen och klicka Konsolidera igen."
    ]
    cells = written_cells(book, "Kontroll")
    assert cells["A4"] == "'Fel" and cells["B4"] == "'Nämndmål"
    assert cells["C4"] == '=HYPERLINK("#\'Nämndmål\'!A6","A6")'


@pytest.mark.parametrize(
    "script",
    [
        {"answers": [False]},  # no, thanks
        {"answers": [True], "texts": [None]},  # cancelled the period
        {"answers": [True], "texts": ["2021-08-31"], "folders": [None]},  # cancelled the folder
    ],
)
def test_addin_plan_cancelled_writes_nothing(plan_file: Path, script: dict) -> None:
    book = open_as_caller(plan_file)
    ui = ScriptedUi(**script)

    excel.run(book, ui, NOW)

    assert ui.messages == [] and ui.errors == []
    assert sorted(p.name for p in plan_file.parent.iterdir()) == [plan_file.name]


def test_addin_plan_bad_period_is_a_message(plan_file: Path, tmp_path: Path) -> None:
    ui = ScriptedUi(answers=[True], texts=["31 augusti"], folders=[tmp_path])

    excel.run(open_as_caller(plan_file), ui, NOW)

    assert len(ui.errors) == 1 and ui.errors[0].startswith('"31 augusti" är inte ett datum.')


def test_addin_plan_never_overwrites_templates_in_the_folder(plan_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ut"
    folder.mkdir()
    (folder / NAMES[2]).write_bytes(b"ifylld")
    ui = ScriptedUi(answers=[True, False], texts=["2021-08-31"], folders=[folder])

    excel.run(open_as_caller(plan_file), ui, NOW)

    assert (folder / NAMES[2]).read_bytes() == b"ifylld"
    assert len(ui.errors) == 1 and "innehåller redan" in ui.errors[0]
    assert sorted(p.name for p in folder.iterdir()) == [NAMES[2]]
