"""Which plan a check uses: the one given (`--plan`), or the one found among the inputs.

The plan's reader and rules are plan/read.py's; consolidation checks every plan among the
inputs as a plan (`CheckResult.plans`). This module only decides which of them, or which file
given with `--plan`, the templates are checked against, and says so in findings, so the command
line and the add-in's refresh behave alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from delar_xl.findings import Finding, Severity
from delar_xl.plan.declaration import Plan

if TYPE_CHECKING:
    from delar_xl.plan.read import PlanReadResult


@dataclass
class PlanChoice:
    """The plan to check against (None: none) and what to tell the user about the choice."""

    plan: Plan | None
    findings: list[Finding] = field(default_factory=list)


def choose_plan(found: Sequence[PlanReadResult], given: Plan | Path | str | None) -> PlanChoice:
    """The plan to use: one given wins; otherwise the one plan among the inputs, with an Info.

    `found` are the plans among the inputs, already checked (their findings are reported by the
    caller). A plan with Fel is never used: checking templates against it would mislead.
    """
    if isinstance(given, Plan):
        return PlanChoice(given)
    if given is not None:
        return _given(found, Path(given))
    if len(found) > 1:
        names = ", ".join(r.file for r in found)
        return PlanChoice(
            None,
            [
                Finding(
                    found[0].file,
                    "",
                    "",
                    Severity.WARNING,
                    "plan-flera",
                    f"Flera planer finns bland filerna ({names}); ingen används. Ange den som "
                    "gäller med --plan, eller flytta de andra.",
                )
            ],
        )
    if not found:
        return PlanChoice(None)
    read = found[0]
    choice = _usable(read)
    if choice.plan is not None:
        choice.findings.append(
            Finding(
                read.file,
                "",
                "",
                Severity.INFO,
                "plan-hittad",
                f"Planen {read.file} bland filerna används: mallarna kontrolleras mot den "
                "och förvaltningar utan mall redovisas som saknade.",
            )
        )
    return choice


def _given(found: Sequence[PlanReadResult], path: Path) -> PlanChoice:
    """`--plan PLAN`: the same file among the inputs is not read twice; its findings are out already."""
    from delar_xl.plan.read import check_plan

    target = path.resolve()
    for read in found:
        if read.path and Path(read.path).resolve() == target:
            return _usable(read)
    read = check_plan(path)
    choice = _usable(read)
    choice.findings[:0] = read.findings
    return choice


def _usable(read: PlanReadResult) -> PlanChoice:
    if read.plan is None:
        return PlanChoice(None)  # the reader's Fel says why
    if read.has_errors:
        return PlanChoice(
            None,
            [
                Finding(
                    read.file,
                    "",
                    "",
                    Severity.INFO,
                    "plan-anvands-inte",
                    "Planen har fel och används inte för kontrollen av mallarna: rätta planen och kör igen.",
                )
            ],
        )
    plan = read.plan
    plan.file = plan.file or read.file
    plan.path = str(Path(read.path).resolve()) if read.path else plan.path
    return PlanChoice(plan)


__all__ = ["PlanChoice", "choose_plan"]
