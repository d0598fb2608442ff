"""Which plan a check uses: the one given (`--plan`), or the one found among the templates.

The plan's own reader belongs to the plan (part A of issue 10); this module only decides which
file to read and says so in findings, so consolidation and the add-in's refresh behave alike.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .findings import Finding, Severity
from .plan import Plan


@dataclass
class PlanChoice:
    """The plan to check against (None: none), the files that are plans, and what to tell the user."""

    plan: Plan | None
    plan_files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def is_plan_file(path: Path) -> bool:
    """A workbook with the plan's `Planversion` name and no template `Mallversion`: cheap, no cells read."""
    try:
        from .plan_read import is_plan  # the plan's reader, when it is there
    except ImportError:
        is_plan = None
    if is_plan is not None:
        return bool(is_plan(path))
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        from .ooxml import defined_names

        with zipfile.ZipFile(path) as zf:
            names = defined_names(zf)
    except Exception:  # not a package, damaged, unreadable: the template reader reports it
        return False
    return "Planversion" in names and "Mallversion" not in names


def load_plan(path: Path) -> tuple[Plan | None, list[Finding]]:
    """Read a plan file: (the plan, or None when it cannot be used; the plan's findings)."""
    try:
        from .plan_read import read_plan
    except ImportError:
        return None, [Finding(path.name, "", "", Severity.ERROR, "plan-lasare-saknas",
                              "Planen kan inte läsas av den här versionen av delar_xl.")]
    result = read_plan(path)
    findings = list(result.findings)
    plan = result.plan
    if plan is not None and any(f.severity is Severity.ERROR for f in findings):
        findings.append(Finding(path.name, "", "", Severity.INFO, "plan-anvands-inte",
                                "Planen har fel och används inte för kontrollen: rätta planen och kör igen."))
        plan = None
    if plan is not None:
        plan.file = plan.file or path.name
        plan.path = plan.path or str(path.resolve())
        plan.sha256 = plan.sha256 or getattr(result, "sha256", "")
    return plan, findings


def choose_plan(files: Sequence[Path], given: Plan | Path | str | None) -> PlanChoice:
    """The plan to use and the plan files among `files` (never read as templates).

    A plan given wins; otherwise exactly one plan among the files is used, with an Info saying so.
    """
    plan_files = [p for p in files if is_plan_file(p)]
    choice = PlanChoice(None, plan_files)
    if isinstance(given, Plan):
        choice.plan = given
    elif given is not None:
        choice.plan, choice.findings = load_plan(Path(given))
    elif len(plan_files) == 1:
        choice.plan, choice.findings = load_plan(plan_files[0])
        if choice.plan is not None:
            choice.findings.append(Finding(plan_files[0].name, "", "", Severity.INFO, "plan-hittad",
                                           f"Planen {plan_files[0].name} i mappen används: mallarna kontrolleras "
                                           "mot den och förvaltningar utan mall redovisas som saknade."))
    elif len(plan_files) > 1:
        names = ", ".join(p.name for p in plan_files)
        choice.findings.append(Finding(plan_files[0].name, "", "", Severity.WARNING, "plan-flera",
                                       f"Flera planer finns bland filerna ({names}); ingen används. Ange den som "
                                       "gäller med --plan, eller flytta de andra."))
    for path in plan_files:
        if given is not None and not isinstance(given, Plan) and Path(given).resolve() == path.resolve():
            continue
        if given is not None:
            choice.findings.append(Finding(path.name, "", "", Severity.INFO, "plan-hoppas-over",
                                           "Filen är en plan, inte en mall; den hoppas över (planen som angavs "
                                           "används)."))
    return choice


__all__ = ["PlanChoice", "choose_plan", "is_plan_file", "load_plan"]
