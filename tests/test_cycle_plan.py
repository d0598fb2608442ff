"""The reporting cycle from the command line, as Ekonomistaben and the controllers run it:
`plan` → filled in Excel (openpyxl) → `kontrollera PLAN` → `utskick` → two of three controllers fill
their unlocked cells → `konsolidera` → `utskick --foregaende` pre-fills the next period."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import fill

from delar_xl.cli import main

UNITS = [
    ("Kommunledningsförvaltningen", 1, "Kim", "kim@example.se"),
    ("Verksamhetsstöd och service", 4, "Vera", "vera@example.se"),
    ("Leanlink", 6, "Lea", "lea@example.se"),
]
ECONOMY = [
    ("Kommunledningsförvaltningen", "KLF-01", "Kommunledning", -98_400),
    ("Verksamhetsstöd och service", "VOS-01", "Måltidsservice", 1_200),
    ("Leanlink", "LL-01", "Hemtjänst", -2_000),
    ("Leanlink", "LL-02", "Särskilt boende", 0),
]
FORECASTS = {"KLF-01": -93_112, "VOS-01": 3_905}


def _plan_edits() -> dict:
    edits: dict = {}
    for i, unit in enumerate(UNITS):
        edits |= {("Förvaltningar", f"{c}{5 + i}"): v for c, v in zip("ABCD", unit)}
    for i, row in enumerate(ECONOMY):
        edits |= {("Ekonomi", f"{c}{5 + i}"): v for c, v in zip("ABCD", row)}
    edits |= {
        ("Nämndmål", "A5"): "KS-M01",
        ("Nämndmål", "B5"): "God ekonomisk hushållning",
        ("Nämndmål", "A6"): "KS-M02",
        ("Nämndmål", "B6"): "Attraktiv arbetsgivare",
        ("Nämndmål", "C6"): "Kommunledningsförvaltningen; Leanlink",
        ("Uppdrag", "A5"): "KS-U01",
        ("Uppdrag", "B5"): "Ny näringslivsstrategi",
        ("Uppdrag", "C5"): "Kommunledningsförvaltningen",
        ("Mottagare", "A5"): "Ekonomistaben",
    }
    return edits


def _controller_fills(path: Path, key: str, forecast: float, goals: int) -> None:
    """Only unlocked cells, like Excel allows: the forecast, the MBL date, the assessments, the status."""
    wb = openpyxl.load_workbook(path)
    edits = {
        ("Uppgifter", "B9"): datetime(2021, 9, 20),
        ("Ekonomi", "D5"): 0,
        ("Ekonomi", "E5"): forecast,
        ("Ekonomi", "H5"): "Vakanser. Engångseffekt.",
    }
    edits |= {("Nämndmål", f"C{5 + i}"): "Uppnås helt" for i in range(goals)}
    if wb["Uppdrag"]["A5"].value:
        edits[("Uppdrag", "C5")] = "Verkställt"
    for sheet, cell in edits:
        assert wb[sheet][cell].protection.locked is False, f"{sheet}!{cell}"
    fill(path, edits)


def test_cycle_plan_utskick_konsolidera_and_the_next_period(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "Plan Kommunstyrelsen 2021.xlsx"
    assert main(["plan", "--namnd", "Kommunstyrelsen", "--ar", "2021", "--ut", str(plan)]) == 0
    fill(plan, _plan_edits())
    assert main(["kontrollera", str(plan)]) == 0

    august = tmp_path / "augusti"
    assert main(["utskick", str(plan), "--period", "2021-08-31", "--ut", str(august)]) == 0
    names = sorted(p.name for p in august.iterdir())
    assert names == [
        "Bilaga 1 – Delårsrapport Kommunledningsförvaltningen 2021-08-31.xlsx",
        "Bilaga 4 – Delårsrapport Verksamhetsstöd och service 2021-08-31.xlsx",
        "Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx",
    ]
    # Two of three send theirs in; Leanlink's stays unfilled and is not in the folder consolidated.
    returned = tmp_path / "inkomna"
    returned.mkdir()
    for name, key, goals in ((names[0], "KLF-01", 2), (names[1], "VOS-01", 1)):
        target = returned / name
        target.write_bytes((august / name).read_bytes())
        _controller_fills(target, key, FORECASTS[key], goals)
    summary = tmp_path / "Sammanställning 2021-08-31.xlsx"
    capsys.readouterr()
    assert main(["konsolidera", str(returned), "--ut", str(summary)]) == 0
    assert "Totalt: +8,0 mnkr" in capsys.readouterr().out  # (98 400 − 93 112) + (3 905 − 1 200) = 7 993 tkr

    october = tmp_path / "oktober"
    assert (
        main(["utskick", str(plan), "--period", "2021-10-31", "--ut", str(october), "--foregaende", str(summary)]) == 0
    )
    out = capsys.readouterr().out
    assert "Föregående prognos saknas i Sammanställning 2021-08-31.xlsx för Leanlink: LL-01, LL-02" in out
    klf = openpyxl.load_workbook(october / "Bilaga 1 – Delårsrapport Kommunledningsförvaltningen 2021-10-31.xlsx")
    assert klf["Ekonomi"]["G5"].value == -93_112 and klf["Ekonomi"]["G5"].protection.locked
    assert [klf["Nämndmål"][f"A{r}"].value for r in (5, 6, 7)] == ["KS-M01", "KS-M02", None]
    vos = openpyxl.load_workbook(october / "Bilaga 4 – Delårsrapport Verksamhetsstöd och service 2021-10-31.xlsx")
    assert vos["Ekonomi"]["G5"].value == 3_905
    assert [vos["Nämndmål"][f"A{r}"].value for r in (5, 6)] == ["KS-M01", None]  # KS-M02: KLF and Leanlink only
    assert vos["Uppdrag"]["A5"].value is None  # KS-U01 is Kommunledningsförvaltningen's
