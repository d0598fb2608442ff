"""delar_xl: delårsrapporter i Excel — mall, kontroll, sammanställning och text.

The public API. Heavy modules are imported on first use so that `delar-xl --help` and a ribbon
click start fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from datetime import date

    from delar_xl.kommun.result import KommunResult
    from delar_xl.namnd.dispatch import DispatchResult
    from delar_xl.namnd.result import CheckResult, Result
    from delar_xl.settings import Settings


def make_template(path: Path | str, forvaltning: str, periodslut: date, namnd: str = "Kommunstyrelsen") -> Path:
    """Write an empty template for one förvaltning and period."""
    from delar_xl.template.write import write_blank

    return write_blank(path, forvaltning, periodslut, namnd)


def check(paths: Iterable[Path | str], settings: Settings | None = None) -> CheckResult:
    """Read and validate templates (files or folders). Never raises for a bad file."""
    from delar_xl.namnd.consolidate import check as _check

    return _check(paths, settings)


def consolidate(
    paths: Iterable[Path | str],
    settings: Settings | None = None,
    plan: Path | str | None = None,
    *,
    approved_only: bool = False,
) -> Result:
    """Validate and consolidate templates (against `plan`, when given; only approved ones with
    `approved_only`, contract §7); `result.frames()` gives pandas DataFrames."""
    from delar_xl.namnd.consolidate import consolidate as _consolidate

    return _consolidate(paths, settings, plan, approved_only=approved_only)


def write_summary(result: Result, path: Path | str) -> Path:
    """Write the summary workbook atomically; the previous one is kept as a .bak file."""
    from delar_xl.namnd.summary import write_summary as _write_summary

    return _write_summary(result, path)


def write_word(result: Result, path: Path | str) -> Path:
    """Write the proposed tjänsteskrivelse as a Word document (.docx) atomically (contract §5)."""
    from delar_xl.namnd.word import write_word as _write_word

    return _write_word(result, path)


def write_report(result: Result, path: Path | str) -> Path:
    """Write the nämnd's delårsrapport as a Word document (.docx) atomically (contract §8)."""
    from delar_xl.namnd.report import write_report as _write_report

    return _write_report(result, path)


def write_plan(path: Path | str, namnd: str, year: int) -> Path:
    """Write an empty plan (contract §4) for a nämnd and budget year."""
    from delar_xl.plan.write import write_plan as _write_plan

    return _write_plan(path, namnd, year)


def dispatch(
    plan: Path | str, periodslut: date, folder: Path | str, previous: Path | str | None = None
) -> DispatchResult:
    """Check the plan and write one pre-filled template per förvaltning (`delar-xl utskick`)."""
    from delar_xl.namnd.dispatch import dispatch as _dispatch

    return _dispatch(plan, periodslut, folder, previous)


def main() -> None:
    """What the add-in's ribbon button runs (`import delar_xl; delar_xl.main()`)."""
    from delar_xl.excel.ribbon import main as _main

    _main()


def consolidate_kommun(
    paths: Iterable[Path | str], kommun: str | None = None, period: date | None = None
) -> KommunResult:
    """Consolidate the nämnders' summaries (files or folders, with the finansförvaltning's template when there is
    one) into the kommun's result (contract §6, §9); `kommun` names the kommun, `period` picks the period."""
    from delar_xl.kommun.consolidate import consolidate_kommun as _consolidate_kommun

    return _consolidate_kommun(paths, period=period, kommun=kommun)


def write_kommun_summary(result: KommunResult, path: Path | str) -> Path:
    """Write the kommun's summary workbook atomically; the previous one is kept as a .bak file."""
    from delar_xl.kommun.summary import write_kommun_summary as _write

    return _write(result, path)


__all__ = [
    "check",
    "consolidate",
    "consolidate_kommun",
    "dispatch",
    "main",
    "make_template",
    "write_kommun_summary",
    "write_plan",
    "write_report",
    "write_summary",
    "write_word",
    "__version__",
]
