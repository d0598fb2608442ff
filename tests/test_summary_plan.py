"""The summary built with a plan (contract §4): submission status, the forecast change, the plan it used.

Real template files, a plan built in memory (tests/plans.py), a real summary read back with
openpyxl through the contract's defined names and table objects.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from contract import SUMMARY_CYCLE_NAMES, SUMMARY_V2_TABLES
from plans import example_plan
from test_summary import name_value, records, table

from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.document import paragraphs
from delar_xl.namnd.summary import banner, write_summary

# Föregående prognos and Prognos helår per förvaltning in tkr, summed by hand from demo.py.
KLF_PREV = -95_000 - 44_500 - 37_800 - 22_100 - 59_000 - 30_000  # −288 400
KLF_FORECAST = -93_112 - 43_702 - 36_905 - 21_815 - 57_612 - 29_892  # −283 038
VOS_PREV = 2_400 + 1_500 - 500 + 200 - 13_900  # −10 300
VOS_FORECAST = 3_905 + 2_415 - 90 + 385 - 13_200  # −6 585
LL_PREV = -1_500 + 3_000 + 2_000 + 600 + 8_000  # 12 100
LL_FORECAST = 1_904 + 6_212 + 2_688 + 884 + 10_400  # 22 088


def summary_of(write, templates, tmp_path: Path, plan=None) -> tuple[openpyxl.Workbook, object]:
    paths = [write(t, f"Bilaga {i} – {t.meta.forvaltning}.xlsx") for i, t in enumerate(templates, 1)]
    plan = plan if plan is not None else example_plan()
    plan.path = str(tmp_path / "Plan Kommunstyrelsen 2021.xlsx")
    result = consolidate(paths, plan=plan)
    out = write_summary(result, tmp_path / "Sammanställning.xlsx")
    return openpyxl.load_workbook(out), result


def test_two_of_three_summary_names_and_inlamning(write, examples, tmp_path: Path) -> None:
    wb, result = summary_of(write, examples[:2], tmp_path)
    assert {n: name_value(wb, n) for n in SUMMARY_CYCLE_NAMES} == {
        "AntalForvantade": 3,
        "AntalSaknade": 1,
        "UppdragEjRapporterade": 3,
        "ForegaendePrognosTotal": pytest.approx((KLF_PREV + VOS_PREV) / 1000),
        "PrognosforandringTotal": pytest.approx((KLF_FORECAST - KLF_PREV + VOS_FORECAST - VOS_PREV) / 1000),
    }
    assert name_value(wb, "AntalUppdrag") == 18  # 15 reported + 3 the plan has that nobody reported
    assert name_value(wb, "MalEjBedomt") == 3 and name_value(wb, "AntalMal") == 18
    assert name_value(wb, "Plan") == str(tmp_path / "Plan Kommunstyrelsen 2021.xlsx")
    headers, rows = table(wb, "Inlamning")
    assert headers == SUMMARY_V2_TABLES["Inlamning"]  # §4's columns, then §7's Godkänd
    assert rows == [  # Godkänd (§7): the date each förvaltningschef approved; none for the missing one
        # the demo plan's Bilaga 3 (Bilaga 1 is the nämnd's own report, issue 22)
        [
            "Kommunledningsförvaltningen",
            3,
            "Bilaga 1 – Kommunledningsförvaltningen.xlsx",
            "Med i sammanställningen",
            "Ekonomichef, Kommunledningsförvaltningen",
            "kommunledningsförvaltningen@example.se",
            datetime(2021, 9, 24),
        ],
        [
            "Verksamhetsstöd och service",
            4,
            "Bilaga 2 – Verksamhetsstöd och service.xlsx",
            "Med i sammanställningen",
            "Controller, Verksamhetsstöd och service",
            "verksamhetsstöd@example.se",
            datetime(2021, 9, 23),
        ],
        ["Leanlink", 6, None, "Saknas", "Controller, Leanlink", "leanlink@example.se", None],
    ]
    assert wb["Sammanställning"]["A2"].value == (
        "OFULLSTÄNDIG: 2 av 3 förvaltningar har lämnat in; Leanlink saknas. Se bladen Inlämning och Kontroll."
    )
    assert not result.complete


def test_forvaltningar_gains_previous_forecast_and_change(write, examples, tmp_path: Path) -> None:
    wb, _ = summary_of(write, examples, tmp_path)
    headers, _ = table(wb, "Forvaltningar")
    assert headers == SUMMARY_V2_TABLES["Forvaltningar"]  # §4's columns, then §7's Investering avvikelse
    rows = {r["Förvaltning"]: (r["Föregående prognos"], r["Prognosförändring"]) for r in records(wb, "Forvaltningar")}
    assert rows == {
        "Kommunledningsförvaltningen": (
            pytest.approx(KLF_PREV / 1000),
            pytest.approx((KLF_FORECAST - KLF_PREV) / 1000),
        ),
        "Verksamhetsstöd och service": (
            pytest.approx(VOS_PREV / 1000),
            pytest.approx((VOS_FORECAST - VOS_PREV) / 1000),
        ),
        "Leanlink": (pytest.approx(LL_PREV / 1000), pytest.approx((LL_FORECAST - LL_PREV) / 1000)),
    }
    assert name_value(wb, "AntalSaknade") == 0 and name_value(wb, "AntalForvantade") == 3
    assert wb["Sammanställning"]["A2"].value == ("3 av 3 förvaltningar har lämnat in. Alla 3 mallar ingår.")


def test_text_mentions_the_change_since_the_previous_forecast(write, examples, tmp_path: Path) -> None:
    _, result = summary_of(write, examples, tmp_path)
    change = KLF_FORECAST - KLF_PREV + VOS_FORECAST - VOS_PREV + LL_FORECAST - LL_PREV  # 19 065
    assert change == 19_065
    assert "Jämfört med föregående prognos har helårsprognosen förbättrats med 19,1 mnkr." in paragraphs(result)


def test_no_previous_forecast_no_sentence_and_blank_names(write, examples, tmp_path: Path) -> None:
    from dataclasses import replace

    cleared = [replace(t, economy=[replace(r, previous_forecast=None) for r in t.economy]) for t in examples]
    wb, result = summary_of(write, cleared, tmp_path)
    assert name_value(wb, "ForegaendePrognosTotal") is None and name_value(wb, "PrognosforandringTotal") is None
    assert not any(p.startswith("Jämfört med föregående prognos") for p in paragraphs(result))


def test_without_a_plan_expected_are_the_templates_found(write, examples, tmp_path: Path) -> None:
    paths = [write(t, f"{t.meta.forvaltning}.xlsx") for t in examples[:2]]
    result = consolidate(paths)
    wb = openpyxl.load_workbook(write_summary(result, tmp_path / "S.xlsx"))
    assert (
        name_value(wb, "AntalForvantade"),
        name_value(wb, "AntalSaknade"),
        name_value(wb, "UppdragEjRapporterade"),
        name_value(wb, "Plan"),
    ) == (2, 0, 0, None)
    assert [r["Status"] for r in records(wb, "Inlamning")] == ["Med i sammanställningen"] * 2
    assert banner(result)[0] == "Alla 2 mallar ingår."


def test_text_says_a_missing_forvaltning_is_not_in_the_totals(write, examples, tmp_path: Path) -> None:
    _, result = summary_of(write, examples[:2], tmp_path)
    assert paragraphs(result)[4] == (  # after the title and "Datum: …" (issue 22)
        "OBS! Sammanställningen är ofullständig. Leanlink (har inte lämnat in) har inte tagits med i summorna. "
        "Rätta mallarna och konsolidera på nytt innan texten används."
    )
