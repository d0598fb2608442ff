"""Consolidation: counts over distinct ids, unrounded sums, exclusion of bad templates, conflicts.

Every scenario starts from the 2021 example templates, changed in memory, written to real files
by the generator and consolidated from those files. Expected figures are computed by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import with_meta
from contract import SUMMARY_TABLES

from delar_xl.demo.namnd import POSTPONED, Demo
from delar_xl.namnd.consolidate import check, collect_paths, consolidate
from delar_xl.namnd.declaration import STATUS_ERRORS, STATUS_INCLUDED, STATUS_OTHER_REPORT
from delar_xl.namnd.result import Result
from delar_xl.template.model import AssignmentRow, GoalRow, Template

HELT, DELVIS, INTE, EJ = "Uppnås helt", "Uppnås delvis", "Uppnås inte", "Ej bedömt"

# Avvikelse helår per förvaltning in tkr, computed by hand from demo.py (prognos − budget per row).
KLF_DEV = 5288 + 1498 + 1695 + 285 + 3888 + 108  # 12 762
VOS_DEV = 2705 + 1615 + 2410 + 385 + 1100  # 8 215
LL_DEV = 3904 + 6212 + 1188 + 384 + 10400  # 22 088


@pytest.fixture
def files(write: Callable[[Template, str], Path]) -> Callable[..., list[Path]]:
    """files(t1, t2, …) → paths of real templates written for them, named in order."""

    def _files(*templates: Template) -> list[Path]:
        return [write(t, f"Bilaga {i} – {t.meta.forvaltning}.xlsx") for i, t in enumerate(templates, 1)]

    return _files


def set_goal(template: Template, goal_id: str, assessment: str, analysis: str = "Analys.") -> Template:
    rows = [replace(g, assessment=assessment, analysis=analysis) if g.goal_id == goal_id else g for g in template.goals]
    assert rows != template.goals, goal_id
    return replace(template, goals=rows)


def codes(result: Result) -> list[list[object]]:
    return result.report.flatten(["file", "severity", "code"])


# The example --------------------------------------------------------------------------------


def test_consolidate_demo_counts(demo: Demo) -> None:
    r = demo.result
    assert r.goal_counts() == {HELT: 8, DELVIS: 10, INTE: 0, EJ: 0}
    assert r.assignment_counts() == {"Verkställt": 6, "Verkställs under året": 9, "Förskjuts": 3, "Avbryts": 0}
    assert len(r.goals) == 18 and len(r.assignments) == 18


def test_consolidate_demo_sums_unrounded(demo: Demo) -> None:
    r = demo.result
    assert [u.template.deviation for u in r.included] == [KLF_DEV, VOS_DEV, LL_DEV]
    assert r.deviation == KLF_DEV + VOS_DEV + LL_DEV == 43_065
    assert r.deviation_mnkr == pytest.approx(43.065)
    assert r.budget == pytest.approx(-310_600)


def test_consolidate_demo_meta(demo: Demo) -> None:
    r = demo.result
    assert (r.namnd, r.periodslut, r.rapport) == ("Kommunstyrelsen", date(2021, 8, 31), "Delårsrapport")
    assert [u.name for u in r.included] == ["Kommunledningsförvaltningen", "Verksamhetsstöd och service", "Leanlink"]
    assert [a.assignment for a in r.postponed] == list(POSTPONED)
    assert {a.new_year for a in r.postponed} == {2022}


def test_consolidate_shared_goal_counts_once(demo: Demo) -> None:
    """KS-M05 is reported by two förvaltningar: it is one nämndmål with two sources."""
    (goal,) = [g for g in demo.result.goals if g.goal_id == "KS-M05"]
    assert len(goal.sources) == 2
    assert goal.assessment == DELVIS


# No goals -----------------------------------------------------------------------------------


def test_consolidate_no_goals_at_all(examples, files) -> None:
    result = consolidate(files(*[replace(t, goals=[]) for t in examples]))
    assert result.report.valid
    assert result.goal_counts() == {HELT: 0, DELVIS: 0, INTE: 0, EJ: 0}
    assert result.goals == []
    assert result.deviation == 43_065


# A template with Fel is left out -------------------------------------------------------------


def test_consolidate_template_with_error_is_excluded(examples, files) -> None:
    klf, vos, ll = examples
    bad = set_goal(vos, "KS-M13", "Kanske")
    result = consolidate(files(klf, bad, ll))
    assert ["Bilaga 2 – Verksamhetsstöd och service.xlsx", "Fel", "bedomning-ogiltig"] in codes(result)
    assert [u.status for u in result.units] == [STATUS_INCLUDED, STATUS_ERRORS, STATUS_INCLUDED]
    assert not result.complete
    assert [u.name for u in result.included] == ["Kommunledningsförvaltningen", "Leanlink"]
    assert result.deviation == KLF_DEV + LL_DEV
    # Its goals and assignments are left out too: KS-M05 still comes from KLF.
    assert len(result.goals) == 12 + 3
    assert len(result.assignments) == 12 + 3


def test_consolidate_error_cell_is_named(examples, files) -> None:
    klf, vos, ll = examples
    result = consolidate(files(klf, set_goal(vos, "KS-M13", "Kanske"), ll))
    (finding,) = [f for f in result.report.findings if f.code == "bedomning-ogiltig"]
    assert (finding.sheet, finding.cell) == ("Nämndmål", "C6")


# Conflicting goal assessments ------------------------------------------------------------


@pytest.mark.parametrize(
    "klf_says, vos_says, counted",
    [
        (DELVIS, INTE, INTE),
        (INTE, DELVIS, INTE),
        (HELT, DELVIS, DELVIS),
        (DELVIS, HELT, DELVIS),
        (HELT, INTE, INTE),
    ],
)
def test_consolidate_conflict_lowest_counts(examples, files, klf_says: str, vos_says: str, counted: str) -> None:
    klf, vos, ll = examples
    klf, vos = set_goal(klf, "KS-M05", klf_says), set_goal(vos, "KS-M05", vos_says)
    result = consolidate(files(klf, vos, ll))
    (goal,) = [g for g in result.goals if g.goal_id == "KS-M05"]
    assert goal.assessment == counted
    counts = result.goal_counts()
    assert sum(counts.values()) == 18
    expected = {HELT: 8, DELVIS: 9, INTE: 0, EJ: 0}
    expected[counted] += 1
    assert counts == expected
    assert result.complete  # a conflict is a warning, nobody is excluded


def test_consolidate_conflict_warning_names_both_files(examples, files) -> None:
    klf, vos, ll = examples
    paths = files(klf, set_goal(vos, "KS-M05", INTE), ll)
    result = consolidate(paths)
    warnings = [f for f in result.report.findings if f.code == "mal-olika-bedomning"]
    assert len(warnings) == 1
    (w,) = warnings
    assert w.severity.value == "Varning"
    names = {w.file} | {p.name for p in paths if p.name in w.message}
    assert names == {paths[0].name, paths[1].name}
    assert "KS-M05" in w.message and INTE in w.message and DELVIS in w.message
    assert (w.sheet, w.cell) == ("Nämndmål", "C5")
    assert result.report.valid


def test_consolidate_same_assessment_is_no_conflict(demo: Demo) -> None:
    assert not [f for f in demo.result.report.findings if f.code == "mal-olika-bedomning"]


def test_consolidate_not_assessed_is_its_own_category(examples, files) -> None:
    klf, vos, ll = examples
    klf = set_goal(klf, "KS-M02", EJ, "Mätningen görs först i december.")
    result = consolidate(files(klf, vos, ll))
    assert result.report.valid
    assert result.goal_counts() == {HELT: 8, DELVIS: 9, INTE: 0, EJ: 1}


@pytest.mark.parametrize("other", [HELT, DELVIS, INTE])
def test_consolidate_conflict_with_not_assessed_never_merges(examples, files, other: str) -> None:
    """Ej bedömt against a real assessment: a warning, and the goal counts in one of the two categories."""
    klf, vos, ll = examples
    klf, vos = set_goal(klf, "KS-M05", EJ, "Ej mätt ännu."), set_goal(vos, "KS-M05", other)
    result = consolidate(files(klf, vos, ll))
    (goal,) = [g for g in result.goals if g.goal_id == "KS-M05"]
    assert goal.assessment in (EJ, other)
    counts = result.goal_counts()
    assert sum(counts.values()) == 18
    base = {HELT: 8, DELVIS: 9, INTE: 0, EJ: 0}
    base[goal.assessment] += 1
    assert counts == base
    assert [f.code for f in result.report.findings] == ["mal-olika-bedomning"]


def test_consolidate_goal_ids_match_on_key_not_text(examples, files) -> None:
    """Same Mål-id with different wording is one goal; same wording with another id is two."""
    klf, vos, ll = examples
    goals = list(vos.goals)
    goals[0] = replace(goals[0], goal="Segregationen ska minska (omformulerat)")
    goals.append(GoalRow("KS-M99", goals[1].goal, HELT))
    result = consolidate(files(klf, replace(vos, goals=goals), ll))
    assert len(result.goals) == 19


# Another nämnd or period ----------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, cell",
    [
        ({"namnd": "Äldrenämnden"}, "B5"),
        ({"periodslut": date(2021, 10, 31)}, "B7"),
    ],
)
def test_consolidate_other_report_is_excluded(examples, files, changes: dict, cell: str) -> None:
    klf, vos, ll = examples
    paths = files(klf, vos, with_meta(ll, **changes))
    result = consolidate(paths)
    odd = [f for f in result.report.findings if f.code == "annan-rapport"]
    assert [(f.file, f.severity.value, f.sheet, f.cell) for f in odd] == [(paths[2].name, "Fel", "Uppgifter", cell)]
    assert result.units[2].status == STATUS_OTHER_REPORT
    assert (result.namnd, result.periodslut) == ("Kommunstyrelsen", date(2021, 8, 31))
    assert result.deviation == KLF_DEV + VOS_DEV
    assert not result.complete
    assert len(result.goals) == 15


# check() -----------------------------------------------------------------------------------


def test_check_demo_folder_is_valid(demo: Demo) -> None:
    checked = check([demo.templates[0].parent])
    assert checked.report.valid
    assert len(checked.readable) == 3


def test_collect_paths_skips_lock_files(tmp_path: Path, demo: Demo) -> None:
    folder = tmp_path / "mallar"
    folder.mkdir()
    for p in demo.templates:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / ("~$" + demo.templates[0].name)).write_bytes(b"\x05olle")
    (folder / "notes.txt").write_text("inte en mall")
    paths, notes = collect_paths([folder])
    assert [p.name for p in paths] == [p.name for p in demo.templates]
    assert [(n.severity.value, n.code) for n in notes] == [("Info", "lasfil")]


def test_collect_paths_orders_numbered_files_naturally(tmp_path: Path) -> None:
    for name in ("Bilaga 10.xlsx", "Bilaga 2.xlsx", "Bilaga 1.xlsx"):
        (tmp_path / name).write_bytes(b"")
    paths, _ = collect_paths([tmp_path])
    assert [p.name for p in paths] == ["Bilaga 1.xlsx", "Bilaga 2.xlsx", "Bilaga 10.xlsx"]


# frames() --------------------------------------------------------------------------------


def test_frames_have_contract_columns(demo: Demo) -> None:
    import pandas as pd

    frames = demo.result.frames()
    for name, columns in SUMMARY_TABLES.items():
        assert name in frames, name
        assert isinstance(frames[name], pd.DataFrame)
        assert list(frames[name].columns[: len(columns)]) == columns, name


def test_frames_hold_the_rows(demo: Demo) -> None:
    frames = demo.result.frames()
    assert len(frames["Ekonomi"]) == 16
    assert len(frames["Namndmal"]) == 19
    assert len(frames["Uppdrag"]) == 18
    assert len(frames["Forvaltningar"]) == 3
    eko = frames["Ekonomi"]
    assert eko.groupby("Förvaltning", sort=False)["Avvikelse helår"].sum().to_dict() == {
        "Kommunledningsförvaltningen": KLF_DEV,
        "Verksamhetsstöd och service": VOS_DEV,
        "Leanlink": LL_DEV,
    }
    assert frames["Forvaltningar"]["Avvikelse helår"].sum() == pytest.approx(43.065)


def test_frames_leave_out_excluded_templates(examples, files) -> None:
    klf, vos, ll = examples
    result = consolidate(files(klf, set_goal(vos, "KS-M13", "Kanske"), ll))
    frames = result.frames()
    assert "Verksamhetsstöd och service" not in set(frames["Ekonomi"]["Förvaltning"])
    assert len(frames["Forvaltningar"]) == 3  # it is listed, with its status
    status = frames["Forvaltningar"].set_index("Förvaltning")["Status"]
    assert status["Verksamhetsstöd och service"].startswith("Utesluten")


# Conflicting assignment statuses ----------------------------------------------------------


@pytest.mark.parametrize(
    "klf_row, vos_row, counted",
    [
        # KS-U02 is Förskjuts (2022) at KLF; VOS says Verkställt: the least advanced counts.
        (None, AssignmentRow("KS-U02", "Samordning", "Verkställt"), "Förskjuts"),
        (
            AssignmentRow("KS-U01", "Näringslivsstrategi", "Verkställt"),
            AssignmentRow("KS-U01", "Näringslivsstrategi", "Verkställs under året"),
            "Verkställs under året",
        ),
    ],
)
def test_consolidate_assignment_conflict_least_advanced_counts(examples, files, klf_row, vos_row, counted: str) -> None:
    klf, vos, ll = examples
    if klf_row is not None:
        klf = replace(
            klf, assignments=[klf_row if a.assignment_id == klf_row.assignment_id else a for a in klf.assignments]
        )
    vos = replace(vos, assignments=vos.assignments + [vos_row])
    paths = files(klf, vos, ll)
    result = consolidate(paths)
    (assignment,) = [a for a in result.assignments if a.assignment_id == vos_row.assignment_id]
    assert assignment.status == counted
    assert len(result.assignments) == 18
    warnings = [f for f in result.report.findings if f.code == "uppdrag-olika-status"]
    assert [(w.file, w.severity.value, w.sheet) for w in warnings] == [(paths[1].name, "Varning", "Uppdrag")]
    assert paths[0].name in warnings[0].message
    assert result.complete


def test_consolidate_same_forvaltning_twice_is_excluded(examples, files) -> None:
    """Two templates for one förvaltning would count it twice: both are left out with a Fel each."""
    klf, vos, leanlink = examples
    result = consolidate(files(klf, vos, leanlink, leanlink))
    assert [u.name for u in result.included] == ["Kommunledningsförvaltningen", "Verksamhetsstöd och service"]
    duplicates = [f for f in result.report.findings if f.code == "forvaltning-dubblett"]
    assert [(f.sheet, f.cell) for f in duplicates] == [("Uppgifter", "B4"), ("Uppgifter", "B4")]
    assert all("Bilaga 3 – Leanlink.xlsx, Bilaga 4 – Leanlink.xlsx" in f.message for f in duplicates)
    assert not result.complete
    assert round(result.deviation) == 12_762 + 8_215
