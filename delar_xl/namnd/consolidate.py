"""Many templates → one result: checks, counts over distinct ids, unrounded sums, provenance.

`check(paths)` reads and validates; `consolidate(paths)` also builds the `Result` (namnd/result.py)
that summary.py and text.py present. One bad file never stops the others.
"""

from __future__ import annotations

import errno
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from delar_xl import timing
from delar_xl.files import TEMP_PREFIX
from delar_xl.findings import Finding, Report, Severity, check_failed
from delar_xl.namnd.declaration import (
    STATUS_DUPLICATE,
    STATUS_ERRORS,
    STATUS_NOT_APPROVED,
    STATUS_NOT_IN_PLAN,
    STATUS_OTHER_REPORT,
    STATUS_SKIPPED,
    STATUS_UNREADABLE,
)
from delar_xl.namnd.result import GOAL_RANK, STATUS_RANK, Assignment, CheckResult, Goal, Result, Unit
from delar_xl.plan.declaration import Plan
from delar_xl.settings import Settings, load_settings
from delar_xl.template import declaration as T
from delar_xl.template.model import AssignmentRow, GoalRow
from delar_xl.template.read import ReadResult, read_template
from delar_xl.template.rules import validate

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".xltx", ".xltm"})


# Finding files --------------------------------------------------------------------------------


def collect_paths(args: Iterable[Path | str]) -> tuple[list[Path], list[Finding]]:
    """Expand folders into their spreadsheet files; say what was not read and why.

    Lock files are skipped with an Info. A folder is read, not its sub-folders: a sub-folder with
    spreadsheets in it is named (a Varning), so a template put there is never silently missed;
    give the sub-folder as well to read it. A link that points nowhere or at itself is a Fel; an
    empty folder, or one with no spreadsheet at all, is a Fel that lists what it held.
    """
    paths: list[Path] = []
    notes: list[Finding] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            candidates, found = folder_contents(path)
            notes.extend(found)
        elif path.exists():
            candidates = [path]
        elif path.is_symlink():
            notes.append(_broken_link(path))
            continue
        else:
            notes.append(
                Finding(path.name, "", "", Severity.ERROR, "fil-saknas", f"Filen eller mappen {path} finns inte.")
            )
            continue
        for candidate in candidates:
            if candidate.name.startswith("~$"):
                notes.append(
                    Finding(
                        candidate.name,
                        "",
                        "",
                        Severity.INFO,
                        "lasfil",
                        "Låsfil från Excel (någon har arbetsboken öppen); den hoppas över.",
                    )
                )
            elif candidate.name.startswith(TEMP_PREFIX):
                continue  # our own unfinished temp file
            else:
                paths.append(candidate)
    return paths, notes


# What a folder holds besides spreadsheets, and the advice for each kind (the reader has its own
# for .xls, .ods and the like, which it reads and names).
SKIPPED_ADVICE = (
    (
        {".csv"},
        (
            "En CSV-fil läses inte: för över uppgifterna till mallen från Ekonomistaben och spara den som "
            "Excel-arbetsbok (*.xlsx)."
        ),
    ),
    (
        {".docx", ".doc", ".pdf", ".odt", ".rtf"},
        (
            "Ett Word-dokument eller en PDF-fil läses inte: uppgifterna ska "
            "stå i mallen (.xlsx); be förvaltningen skicka den."
        ),
    ),
    ({".numbers"}, "En Numbers-fil läses inte: exportera den som Excel-arbetsbok (.xlsx) i Numbers."),
    ({".zip", ".7z", ".rar"}, "En packad fil (.zip) öppnas inte: packa upp den och ange mappen."),
)
_SUBFOLDER_SCAN_LIMIT = 2000  # entries looked at below one sub-folder: enough to say whether templates are there


def folder_contents(folder: Path) -> tuple[list[Path], list[Finding]]:
    """The spreadsheets directly in `folder` (natural order) and what to say about the rest."""
    candidates: list[Path] = []
    notes: list[Finding] = []
    skipped: Counter[str] = Counter()
    subfolders = 0
    try:
        entries = sorted(os.scandir(folder), key=lambda e: natural_key(Path(e.name)))
    except OSError as exc:
        from delar_xl.oserrors import reading

        return [], [
            Finding(
                str(folder), "", "", Severity.ERROR, "mapp-oatkomlig", f"Mappen {folder} kan inte läsas: {reading(exc)}"
            )
        ]
    for entry in entries:
        if entry.name.startswith(TEMP_PREFIX):
            continue
        path = Path(entry.path)
        spreadsheet = path.suffix.lower() in SPREADSHEET_SUFFIXES
        if entry.is_symlink() and not _resolves(path):
            if spreadsheet:
                notes.append(_broken_link(path))
            continue
        if path.is_dir():
            subfolders += 1
            inside = _spreadsheets_below(path)
            if inside:
                notes.append(
                    Finding(
                        path.name,
                        "",
                        "",
                        Severity.WARNING,
                        "undermapp-lases-inte",
                        f"Undermappen {path.name} lästes inte ({_kinds(inside)}). Ska mallarna där med, "
                        f"flytta dem till {folder} eller ange undermappen också.",
                    )
                )
        elif spreadsheet:
            candidates.append(path)
        else:
            skipped[path.suffix.lower()] += 1
    if not candidates and not notes:
        notes.append(_nothing_to_read(folder, skipped, subfolders))
    return candidates, notes


def _nothing_to_read(folder: Path, skipped: Counter[str], subfolders: int) -> Finding:
    if not skipped and not subfolders:
        return Finding(
            str(folder),
            "",
            "",
            Severity.ERROR,
            "mapp-tom",
            f"Mappen {folder} är tom. Lägg mallarna (.xlsx) i den, eller ange rätt mapp.",
        )
    held = _kinds(skipped)
    if subfolders:
        folders = f"{subfolders} undermapp{'ar' if subfolders > 1 else ''} utan Excel-filer"
        held = f"{held} och {folders}" if held else folders
    advice = [text for suffixes, text in SKIPPED_ADVICE if suffixes & set(skipped)]
    message = f"Mappen {folder} innehåller ingen Excel-arbetsbok, bara {held}." + "".join(f" {a}" for a in advice)
    return Finding(str(folder), "", "", Severity.ERROR, "mapp-utan-excel", message)


def _kinds(counts: Counter[str]) -> str:
    """ "2 .csv-filer, 1 .pdf-fil och 1 fil utan filändelse", by suffix."""
    parts = []
    for suffix in sorted(counts):
        n = counts[suffix]
        if suffix:
            parts.append(f"{n} {suffix}-{'fil' if n == 1 else 'filer'}")
        else:
            parts.append(f"{n} {'fil' if n == 1 else 'filer'} utan filändelse")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def _spreadsheets_below(folder: Path) -> Counter[str]:
    """Spreadsheet files anywhere below `folder` by suffix (links not followed, at most a few thousand looked at)."""
    found: Counter[str] = Counter()
    seen = 0
    for _root, dirs, files in os.walk(folder):
        for name in files:
            suffix = Path(name).suffix.lower()
            if suffix in SPREADSHEET_SUFFIXES and not name.startswith(("~$", TEMP_PREFIX)):
                found[suffix] += 1
        seen += len(files) + len(dirs)
        if seen > _SUBFOLDER_SCAN_LIMIT:
            break
    return found


def _resolves(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError:
        return False
    return True


def _broken_link(path: Path) -> Finding:
    """A link that points at itself (or in a loop) or at nothing: named, never silently skipped."""
    try:
        os.stat(path)
        loop = False
    except OSError as exc:
        loop = exc.errno == errno.ELOOP
    if loop:
        message = "Filen är en länk som pekar på sig själv (eller i en slinga). Lägg själva mallen i mappen."
    else:
        message = f"Filen är en länk till {os.readlink(path)}, som inte finns. Lägg själva mallen i mappen."
    return Finding(path.name, "", "", Severity.ERROR, "fil-lank", message)


def natural_key(path: Path) -> list[object]:
    """Sort "Bilaga 2" before "Bilaga 10": numbering the files sets the order of the förvaltningar."""
    import re

    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", path.name)]


def unique_names(paths: Sequence[Path]) -> list[str]:
    """File names as findings show them; the parent folder is added where names collide."""
    counts = Counter(p.name for p in paths)
    return [p.name if counts[p.name] == 1 else f"{p.parent.name}/{p.name}" for p in paths]


# Checking ---------------------------------------------------------------------------------


# Reading and validating cost ~4 ms a template, all CPU: with many files, read in several processes.
POOL_MIN_FILES = 50  # below this, starting a worker costs more than it saves
POOL_MAX_WORKERS = 4  # processes that read, this one included; each worker holds ~30 MB


def _check_all(paths: Sequence[Path], settings: Settings) -> list[Unit]:
    """Read and validate every file, shared with worker processes when there are many; order is kept.

    This process reads the first share itself while the workers read the rest: one worker fewer
    to start, and the models of its own share need no pickling on the way back.
    """
    items = [(p, name, settings) for p, name in zip(paths, unique_names(paths))]
    processes = _workers(len(items))
    if processes == 1:
        return [_check_one(item) for item in items]
    own, rest = items[: len(items) // processes], items[len(items) // processes :]
    try:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(processes - 1)
        theirs = pool.map(_check_one, rest, chunksize=max(1, len(rest) // ((processes - 1) * 4)))
    except Exception:  # no pool here (frozen app, sandbox): do it all in this process
        return [_check_one(item) for item in items]
    with pool:
        mine = [_check_one(item) for item in own]
        try:
            return mine + list(theirs)
        except Exception:  # a worker died: its files are read here instead
            return mine + [_check_one(item) for item in rest]


def _check_one(item: tuple[Path, str, Settings]) -> Unit:
    path, name, settings = item
    with timing.stage("read"):  # the guard inside it is its own stage
        result = read_template(path, name)
    return _unit(result, settings)


def _workers(files: int) -> int:
    """How many processes read `files` files, this one included; DELAR_XL_WORKERS overrides
    (1 = this process alone)."""
    import os

    setting = os.environ.get("DELAR_XL_WORKERS", "").strip()
    if setting.isdigit():
        return max(1, int(setting))
    if files < POOL_MIN_FILES:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, POOL_MAX_WORKERS))


def _unit(result: ReadResult, settings: Settings) -> Unit:
    findings = list(result.findings)
    if result.template is not None:
        with timing.stage("rules"):
            try:
                findings.extend(validate(result.template, settings))
            except Exception as exc:  # a rule's bug costs this file, not the run
                findings.append(check_failed(result.file, exc, "validate"))
    unit = Unit(result.file, result.path, result.sha256, result.template, findings)
    if result.template is None:
        unit.status = STATUS_SKIPPED if _is_skip(findings) else STATUS_UNREADABLE
    elif unit.has_errors:
        unit.status = STATUS_ERRORS
    return unit


def _is_skip(findings: list[Finding]) -> bool:
    return bool(findings) and all(f.severity is Severity.INFO for f in findings)


def check(
    paths: Iterable[Path | str],
    settings: Settings | None = None,
    plan: Plan | Path | str | None = None,
    period: date | None = None,
    *,
    approved_only: bool = False,
) -> Result:
    """Read and validate every template; against the plan too when one is given or found among
    the files (contract §4); then the checks across files (period, duplicates, conflicting
    assessments and statuses, unreported plan goals and uppdrag), the same for `kontrollera` and
    `konsolidera`. Never raises for a bad file."""
    from delar_xl.plan.choose import choose_plan
    from delar_xl.xlsx.guard import ensure_safe_xml

    ensure_safe_xml()
    settings = settings or load_settings()
    files, notes = collect_paths(paths)
    units, plans = _split_plans(_check_all(files, settings))
    report = Report(list(notes))
    for read in plans:
        report.extend(read.findings)
    choice = choose_plan(plans, plan)
    templates = any(u.status != STATUS_SKIPPED for u in units)
    # A plan checked on its own is checked as a plan: nothing to say about using it for templates.
    report.extend(f for f in choice.findings if templates or f.code not in ("plan-hittad", "plan-anvands-inte"))
    if choice.plan is not None:
        _check_against_plan(units, choice.plan)
    for unit in units:
        report.extend(unit.findings)
    result = Result(
        units, report, plans, plan=choice.plan, period_asked=period is not None, approved_only=approved_only
    )
    if choice.plan is not None and templates:
        _report_missing(result, choice.plan)  # a plan checked on its own has nobody missing
    if templates:
        with timing.stage("consolidation"):
            _across_files(result, period)
    return result


def _across_files(result: Result, period: date | None) -> None:
    """What only several files together can show, in one place for both commands."""
    if result.approved_only:
        _exclude_not_approved(result)
    _pick_report(result, period)
    _exclude_duplicates(result)
    _merge_goals(result)
    _merge_assignments(result)
    if result.plan is not None:
        _complete_from_plan(result, result.plan)


def _split_plans(units: list[Unit]) -> tuple[list[Unit], list[Any]]:
    """A file the template reader refused as a plan (the defined name Planversion, the same test
    as plan/read.is_plan) is checked as a plan instead. Asking the reader costs templates nothing;
    an is_plan() on every file first would open each zip once more."""
    from delar_xl.plan.read import check_plan
    from delar_xl.template.read import CODE_PLAN_NOT_TEMPLATE

    templates, plans = [], []
    for unit in units:
        if unit.template is None and any(f.code == CODE_PLAN_NOT_TEMPLATE for f in unit.findings):
            plans.append(check_plan(unit.path, unit.file))
        else:
            templates.append(unit)
    return templates, plans


def _check_against_plan(units: list[Unit], plan: Plan) -> None:
    """Plan findings at their cells; a template with one of them is left out with the reason."""
    from delar_xl.plan.check import check_template

    for unit in units:
        if unit.template is None:
            continue
        try:
            found = check_template(unit.template, unit.file, plan)
        except Exception as exc:  # a bug in the plan check costs this file, not the run
            found = [check_failed(unit.file, exc, "check_template")]
        unit.findings.extend(found)
        codes = {f.code for f in found if f.severity is Severity.ERROR}
        if not unit.included or not codes:
            continue
        if "plan-forvaltning-okand" in codes and "fil-ovantat-fel" not in codes:
            unit.status = STATUS_NOT_IN_PLAN
        elif codes & {"plan-annan-namnd", "plan-annat-ar"}:
            unit.status = STATUS_OTHER_REPORT
        else:
            unit.status = STATUS_ERRORS


def _report_missing(result: CheckResult, plan: Plan) -> None:
    from delar_xl.plan.check import missing_findings, missing_units, units_sent

    result.missing = missing_units(plan, units_sent([u.template for u in result.units if u.template]))
    result.report.extend(missing_findings(plan, result.missing))


# Consolidating ------------------------------------------------------------------------------


def consolidate(
    paths: Iterable[Path | str],
    settings: Settings | None = None,
    plan: Plan | Path | str | None = None,
    period: date | None = None,
    *,
    approved_only: bool = False,
) -> Result:
    """Validate every template and consolidate the usable ones (against the plan, when there is one).

    `approved_only` (`--bara-godkanda`, contract §7): a template without a Godkand date is left out."""
    paths = list(paths)
    result = check(paths, settings, plan, period, approved_only=approved_only)
    result.source_folder = source_folder(paths)
    return result


def _complete_from_plan(result: Result, plan: Plan) -> None:
    """Plan goals nobody assessed count as Ej bedömt; plan assignments nobody reported are counted apart;
    plan investment projects an included template does not report are named."""
    from delar_xl.plan.check import (
        unassessed_findings,
        unassessed_goals,
        unreported_assignments,
        unreported_findings,
        unreported_project_findings,
        unreported_projects,
    )

    goals = unassessed_goals(plan, [g.goal_id for g in result.goals])
    result.goals += [Goal(g.goal_id, g.goal, T.GOAL_NOT_ASSESSED, []) for g in goals]
    result.report.extend(unassessed_findings(plan, goals))
    result.unreported = unreported_assignments(plan, [a.assignment_id for a in result.assignments])
    result.report.extend(unreported_findings(plan, result.unreported))
    result.unreported_projects = unreported_projects(plan, [u.model for u in result.included])
    result.report.extend(unreported_project_findings(plan, result.unreported_projects))


def _exclude_not_approved(result: Result) -> None:
    """`--bara-godkanda`: a template the förvaltningschef has not approved (no Godkand date) is left
    out with a Varning; it is not wrong, only not final."""
    from delar_xl.template.rules import approval_problem

    for unit in result.included:
        template = unit.model
        approved = template.meta.godkand
        problem = approval_problem(template)
        if approved is not None and not problem:
            continue
        sheet, cell = template.field_cell("Godkand")
        if template.version < 2:
            why = "Godkänd saknas: mallen är version 1 och har inte fältet; använd den nya mallen"
        elif problem and approved is not None:
            why = f"datumet {approved.isoformat()} kan inte vara ett godkännande av rapporten (se varningen ovan)"
        else:
            why = "Godkänd är tomt"
        finding = Finding(
            unit.file,
            sheet,
            cell,
            Severity.WARNING,
            "inte-godkand",
            f"Rapporten från {unit.name} är inte godkänd av förvaltningschefen ({why}) och tas inte "
            "med, eftersom sammanställningen bara tar med godkända rapporter.",
        )
        unit.findings.append(finding)
        result.report.findings.append(finding)
        unit.status = STATUS_NOT_APPROVED


def source_folder(paths: list[Path | str]) -> str:
    folders = {str(Path(p).resolve()) if Path(p).is_dir() else str(Path(p).resolve().parent) for p in paths}
    return folders.pop() if len(folders) == 1 else ""


def _pick_report(result: Result, period: date | None = None) -> None:
    """The period asked for (`--period`), else the one most templates report; the nämnd most of those
    report. The odd ones out are excluded, never mixed in; a tie of periods is never decided."""
    dated = [u for u in result.units if u.template and u.template.meta.periodslut and u.status != STATUS_OTHER_REPORT]
    if not dated:
        result.periodslut = period
        return
    if period is None:
        period, tied = majority_period(_period(u) for u in dated)
        if period is None:
            _undecided(result, dated, tied)
            return
    names = Counter(u.model.meta.namnd for u in dated if _period(u) == period)
    namnd = max(names.items(), key=lambda item: (item[1], item[0]))[0] if names else dated[0].model.meta.namnd
    result.namnd, result.periodslut = namnd, period
    rapports = Counter(u.template.meta.rapport for u in result.units if u.template)
    result.rapport = rapports.most_common(1)[0][0] if rapports else "Delårsrapport"
    asked = result.period_asked
    for unit in result.units:
        meta = unit.template.meta if unit.template else None
        if unit.status == STATUS_OTHER_REPORT:
            continue  # the plan check has said so already, at the cell
        if meta is None or meta.periodslut is None or (meta.namnd, meta.periodslut) == (namnd, period):
            continue
        sheet, cell = unit.model.field_cell("Periodslut" if meta.periodslut != period else "Namnd")
        others = (
            f"sammanställningen avser perioden {period.isoformat()} (--period)"
            if asked and meta.periodslut != period
            else f"de övriga avser {namnd} per {period.isoformat()}"
        )
        finding = Finding(
            unit.file,
            sheet,
            cell,
            Severity.ERROR,
            "annan-rapport",
            f"Mallen avser {meta.namnd} per {meta.periodslut.isoformat()}, men {others}. "
            "Den tas inte med" + ("." if asked else "; kontrollera nämnd och periodslut."),
        )
        unit.findings.append(finding)
        result.report.findings.append(finding)
        if unit.included:
            unit.status = STATUS_OTHER_REPORT


def majority_period(periods: Iterable[date]) -> tuple[date | None, list[date]]:
    """The period most inputs report; (None, the tied periods) when two or more have as many: a tie is never
    decided (at either level: templates here, nämnd summaries in kommun/consolidate.py)."""
    counts = Counter(periods)
    top = max(counts.values())
    tied = sorted(p for p, n in counts.items() if n == top)
    return (tied[0] if len(tied) == 1 else None), tied


def _period(unit: Unit) -> date:
    """The Periodslut of a template known to have one (the dated units above)."""
    periodslut = unit.model.meta.periodslut
    if periodslut is None:
        raise ValueError(f"{unit.file}: no period")  # a bug in delar_xl, never a user's file
    return periodslut


def _undecided(result: Result, dated: list[Unit], tied: list[date]) -> None:
    """As many templates on one period as on another: a Fel at each template's Periodslut, none included."""
    files = {p: [u.file for u in dated if _period(u) == p] for p in tied}
    result.undecided_periods = files
    parts = [f"{p.isoformat()} ({', '.join(names)})" for p, names in files.items()]
    listing = ", ".join(parts[:-1]) + " och " + parts[-1]
    message = (
        f"Mallarna avser olika perioder, lika många var: {listing}. Ange vilken period som sammanställs "
        f"med --period ÅÅÅÅ-MM-DD, t.ex. --period {tied[-1].isoformat()}."
    )
    for unit in dated:
        sheet, cell = unit.model.field_cell("Periodslut")
        finding = Finding(unit.file, sheet, cell, Severity.ERROR, "period-oavgjord", message)
        unit.findings.append(finding)
        result.report.findings.append(finding)
        if unit.included:
            unit.status = STATUS_OTHER_REPORT


def same_name_groups(units: Iterable[Any]) -> list[list[Any]]:
    """Units that share a name (case aside), two or more a group: at either level they would be
    counted twice, and which one is right is not ours to guess."""
    by_name: dict[str, list[Any]] = {}
    for unit in units:
        by_name.setdefault(unit.name.casefold(), []).append(unit)
    return [group for group in by_name.values() if len(group) > 1]


def _exclude_duplicates(result: Result) -> None:
    """Two templates for one förvaltning would be counted twice: neither is included."""
    for units in same_name_groups(result.included):
        files = ", ".join(u.file for u in units)
        for unit in units:
            sheet, cell = unit.model.field_cell("Forvaltning")
            finding = Finding(
                unit.file,
                sheet,
                cell,
                Severity.ERROR,
                "forvaltning-dubblett",
                f"{unit.name} finns i flera mallar ({files}). Ingen av dem tas med: ta bort eller "
                "rätta den som inte gäller och konsolidera igen.",
            )
            unit.findings.append(finding)
            result.report.findings.append(finding)
            unit.status = STATUS_DUPLICATE


def _merge_goals(result: Result) -> None:
    merged: dict[str, Goal] = {}
    first: dict[str, tuple[Unit, GoalRow]] = {}
    for unit in result.included:
        for row in unit.model.goals:
            key = row.goal_id.casefold()
            if key not in merged:
                merged[key] = Goal(row.goal_id, row.goal, row.assessment, [unit.file])
                first[key] = (unit, row)
                continue
            goal = merged[key]
            goal.sources.append(unit.file)
            if row.assessment != goal.assessment:
                goal.assessment = _lowest(goal.assessment, row.assessment)
                first_unit, first_row = first[key]
                _disagreement(
                    result,
                    "mal-olika-bedomning",
                    T.GOALS,
                    "assessment",
                    f"Nämndmål {row.goal_id}",
                    (unit, row.row, row.assessment),
                    (first_unit, first_row.row, first_row.assessment),
                    goal.assessment,
                    "den lägsta bedömningen",
                )
    result.goals = list(merged.values())


def _lowest(a: str, b: str) -> str:
    """The lower of two assessments; Ej bedömt yields to any real assessment, never merges into one."""
    if a not in GOAL_RANK:
        return b
    if b not in GOAL_RANK:
        return a
    return a if GOAL_RANK[a] <= GOAL_RANK[b] else b


def _merge_assignments(result: Result) -> None:
    merged: dict[str, Assignment] = {}
    first: dict[str, tuple[Unit, AssignmentRow]] = {}
    for unit in result.included:
        for row in unit.model.assignments:
            key = row.assignment_id.casefold()
            if key not in merged:
                merged[key] = Assignment(row.assignment_id, row.assignment, row.status, row.new_year, [unit.file])
                first[key] = (unit, row)
                continue
            assignment = merged[key]
            assignment.sources.append(unit.file)
            if row.status != assignment.status:
                if STATUS_RANK.get(row.status, 9) < STATUS_RANK.get(assignment.status, 9):
                    assignment.status, assignment.new_year = row.status, row.new_year
                first_unit, first_row = first[key]
                _disagreement(
                    result,
                    "uppdrag-olika-status",
                    T.ASSIGNMENTS,
                    "status",
                    f"Uppdrag {row.assignment_id}",
                    (unit, row.row, row.status),
                    (first_unit, first_row.row, first_row.status),
                    assignment.status,
                    "det som kommit kortast",
                )
    result.assignments = list(merged.values())


def _disagreement(
    result: Result,
    code: str,
    table: T.Table,
    column: str,
    item: str,
    here: tuple[Unit, int, str],
    there: tuple[Unit, int, str],
    counted: str,
    why: str,
) -> None:
    """A Varning where two templates say different things about the same id, naming both cells."""
    unit, row, value = here
    first_unit, first_row, first_value = there
    header = table.column(column).header.lower()
    finding = Finding(
        unit.file,
        table.sheet,
        unit.model.cell(table.name, column, row),
        Severity.WARNING,
        code,
        f'{item} har {header} "{value}" här men "{first_value}" i {first_unit.file} '
        f"(cell {first_unit.model.cell(table.name, column, first_row)}). Sammanställningen räknar "
        f'"{counted}" ({why}). Stäm av med den andra förvaltningen.',
    )
    unit.findings.append(finding)
    result.report.findings.append(finding)


__all__ = ["check", "collect_paths", "consolidate", "same_name_groups", "source_folder", "unique_names"]
