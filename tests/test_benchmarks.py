"""The benchmark scripts run (tiny N, one repetition). No test here asserts on a time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def make_templates():
    sys.path.insert(0, str(BENCH))
    try:
        import make_templates

        yield make_templates
    finally:
        sys.path.remove(str(BENCH))


def test_generated_templates_are_valid_and_alike(make_templates, tmp_path: Path) -> None:
    from delar_xl import check
    from delar_xl.findings import Severity

    folder = make_templates.ensure_templates(2, root=tmp_path, workers=1, quiet=True)
    files = make_templates.templates_in(folder)
    assert len(files) == 2
    result = check([folder])
    assert [f.render() for f in result.report.findings if f.severity is not Severity.INFO] == []
    assert {(u.template.meta.namnd, u.template.meta.periodslut) for u in result.units} == {
        (make_templates.NAMND, make_templates.PERIOD)
    }
    first = result.units[0].template
    assert (len(first.economy), len(first.goals), len(first.assignments), len(first.indicators)) == (20, 20, 20, 10)
    # Cached: a second call returns the same folder without writing.
    stamp = files[0].stat().st_mtime_ns
    assert make_templates.ensure_templates(2, root=tmp_path, quiet=True) == folder
    assert files[0].stat().st_mtime_ns == stamp


def test_some_templates_have_100_economy_rows(make_templates) -> None:
    sizes = [len(make_templates.build_template(i, 30).economy) for i in range(30)]
    assert sizes.count(100) == 3 and sizes.count(20) == 27


def test_run_py_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--sizes",
            "2",
            "--repeat",
            "1",
            "--warmup",
            "0",
            "--no-baseline",
            "--one-process",
            "--cache",
            str(tmp_path / "cache"),
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "| 2 | konsolidera |" in proc.stdout
    assert "| 2 | kontrollera-1proc |" in proc.stdout
    assert "2 filer kontrollerade: 0 fel" in proc.stdout
    for target in ("delar-xl --help", "peak memory", "linear in N", "at 3000 templates (process tree)"):
        assert target in proc.stdout
    # The breakdown: every stage of the one-process run, timed by delar_xl.timing.
    for stage in ("imports", "guard", "read", "rules", "consolidation", "summary write", "text"):
        assert f"| {stage} | " in proc.stdout
    assert "| 2 | stages |" in proc.stdout and "| – | import openpyxl |" in proc.stdout
    swedish = out.read_text(encoding="utf-8")
    assert "| mål | uppmätt | resultat |" in swedish and "Dator:" in swedish


def test_large_sets_are_renamed_copies(make_templates, tmp_path: Path, monkeypatch) -> None:
    """Past GENERATED_MAX the set is copies of the generated templates, each its own förvaltning."""
    from delar_xl import check

    monkeypatch.setattr(make_templates, "GENERATED_MAX", 2)
    folder = make_templates.ensure_templates(5, root=tmp_path, workers=1, quiet=True)
    result = check([folder])
    names = [u.template.meta.forvaltning for u in result.units]
    assert names == ["Förvaltning 001", "Förvaltning 002", "Förvaltning 0003", "Förvaltning 0004", "Förvaltning 0005"]
    assert [f.code for f in result.report.findings if f.code != "makron-ignoreras"] == []
    copy, original = result.units[4].template, result.units[0].template
    assert copy.meta.kontaktperson == "Controller, Förvaltning 0005"
    assert [r.budget for r in copy.economy] == [r.budget for r in original.economy]


def test_openpyxl_baseline_touches_the_tables(make_templates, tmp_path: Path) -> None:
    folder = make_templates.ensure_templates(2, root=tmp_path, workers=1, quiet=True)
    proc = subprocess.run(
        [sys.executable, str(BENCH / "openpyxl_baseline.py"), str(folder)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.split()[0]) > 1000  # four tables of two templates, blank rows included


def test_write_path_writes_the_summary_only_when_asked(make_templates, tmp_path: Path) -> None:
    folder = make_templates.ensure_templates(2, root=tmp_path, workers=1, quiet=True)
    for mode, written in (("consolidate", False), ("write", True)):
        out = tmp_path / f"{mode}.xlsx"
        proc = subprocess.run(
            [sys.executable, str(BENCH / "write_path.py"), mode, str(folder), str(out)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert out.exists() is written
