"""What a consolidation produces (contract §2): the units, goals and assignments, and the tables built from them.

`namnd/consolidate.py` fills a `Result`; the summary writer, the add-in, the text and `Result.frames()`
present it. The contract's tables are computed here once, as plain data (name → headers and rows), so that
every presenter imports this module and none of them the engine: no import circle, and `frames()` needs
neither the writer nor XlsxWriter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from delar_xl.findings import Finding, Report, Severity
from delar_xl.namnd.declaration import (
    FINDING_HEADERS,
    NOT_IN_SUMS,
    SOURCE_HEADERS,
    STATUS_INCLUDED,
    STATUS_MISSING,
    STATUS_SKIPPED,
    SUBMISSION_HEADERS,
    UNIT_HEADERS,
)
from delar_xl.plan.declaration import Plan, PlanAssignment, PlanInvestment, PlanUnit, bilaga_in_file_name
from delar_xl.template import declaration as T
from delar_xl.template.model import Template

if TYPE_CHECKING:
    import pandas  # for the annotation only: pandas is imported when frames() is called


class Reported(Protocol):
    """What the title, the page and the document's properties say of a result, at either level."""

    @property
    def namnd(self) -> str: ...

    @property
    def rapport(self) -> str: ...

    @property
    def periodslut(self) -> date | None: ...


class GoalCounted(Protocol):
    """Something whose nämndmål are counted per assessment: a result of either level, or one nämnd."""

    def goal_counts(self) -> Mapping[str, int]: ...


class Source(Protocol):
    """What a status is said of: a förvaltning's file here, a nämnd's summary one level up."""

    @property
    def status(self) -> str: ...

    @property
    def included(self) -> bool: ...


def unit_status(unit: Source) -> str:
    """A source's status as its row says it: one left out says that it is not in the sums."""
    return unit.status if unit.included else f"{unit.status} – {NOT_IN_SUMS}"


# Lowest first: a conflicting goal counts with its lowest assessment, an assignment with the status
# that has come least far (never reporting more done than every förvaltning agrees on).
GOAL_RANK = {T.GOAL_NOT: 0, T.GOAL_PARTIAL: 1, T.GOAL_FULL: 2}
STATUS_RANK = {T.CANCELLED: 0, T.POSTPONED: 1, T.DOING: 2, T.DONE: 3}


@dataclass
class Unit:
    """One source file: a förvaltning's template, or something that could not be used."""

    file: str
    path: str
    sha256: str
    template: Template | None
    findings: list[Finding]
    status: str = STATUS_INCLUDED

    @property
    def included(self) -> bool:
        return self.status == STATUS_INCLUDED

    @property
    def name(self) -> str:
        return self.template.meta.forvaltning if self.template and self.template.meta.forvaltning else self.file

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def model(self) -> Template:
        """The template, for code that knows there is one (every included unit has)."""
        if self.template is None:
            raise ValueError(f"{self.file}: no template")  # a bug in delar_xl, never a user's file
        return self.template

    def goal_counts(self) -> Counter[str]:
        return Counter(g.assessment for g in self.template.goals) if self.template else Counter()

    def assignment_counts(self) -> Counter[str]:
        return Counter(a.status for a in self.template.assignments) if self.template else Counter()


@dataclass
class Goal:
    """A distinct nämndmål (by Mål-id) with the assessment that counts."""

    goal_id: str
    goal: str
    assessment: str
    sources: list[str]


@dataclass
class Assignment:
    assignment_id: str
    assignment: str
    status: str
    new_year: int | None
    sources: list[str]


@dataclass
class CheckResult:
    """`units` are the templates (and files that are neither template nor plan); a plan among the
    inputs is checked as a plan and kept apart in `plans` (plan/read.PlanReadResult, findings in
    `report` too), so it never counts as a template."""

    units: list[Unit]
    report: Report
    plans: list[Any] = field(default_factory=list)
    plan: Plan | None = None  # the plan checked against (contract §4), if any
    missing: list[PlanUnit] = field(default_factory=list)  # plan förvaltningar that sent no template

    @property
    def readable(self) -> list[Unit]:
        return [u for u in self.units if u.template is not None]


@dataclass
class Result(CheckResult):
    """The consolidated view of all included templates. Amounts in tkr, unrounded."""

    namnd: str = ""
    periodslut: date | None = None
    rapport: str = "Delårsrapport"
    goals: list[Goal] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    source_folder: str = ""
    unreported: list[PlanAssignment] = field(default_factory=list)  # plan assignments no template reports
    unreported_projects: list[PlanInvestment] = field(default_factory=list)  # plan projects not reported
    approved_only: bool = False  # `--bara-godkanda`: templates without a Godkand date were left out
    # Periods as many templates report each (period → files): nothing is consolidated until --period says which.
    undecided_periods: dict[date, list[str]] = field(default_factory=dict)
    period_asked: bool = False  # the period came from --period, not from the majority

    @property
    def included(self) -> list[Unit]:
        return [u for u in self.units if u.included]

    @property
    def complete(self) -> bool:
        """False when some template was left out, or a förvaltning in the plan sent none."""
        return not self.missing and all(u.included for u in self.units if u.status != STATUS_SKIPPED)

    @property
    def expected(self) -> list[str]:
        """Förvaltningar expected: the plan's (Bilaga order), or without a plan those that sent a file."""
        if self.plan is not None:
            return self.plan.unit_names()
        return [u.name for u in self.units if u.status != STATUS_SKIPPED]

    @property
    def previous_forecast(self) -> float | None:
        """Föregående prognos over included förvaltningar (tkr), None when no template has one."""
        values = [
            r.previous_forecast
            for u in self.included
            if u.template
            for r in u.template.economy
            if r.previous_forecast is not None
        ]
        return sum(values) if values else None

    @property
    def forecast_change(self) -> float | None:
        """Prognos helår − Föregående prognos over the rows that have both (tkr)."""
        values = [
            r.forecast_change
            for u in self.included
            if u.template
            for r in u.template.economy
            if r.forecast_change is not None
        ]
        return sum(values) if values else None

    @property
    def investment_budget(self) -> float:
        """Investeringar over included förvaltningar (tkr, result sign: utgifter negative)."""
        return sum(u.model.investment_budget for u in self.included)

    @property
    def investment_forecast(self) -> float:
        return sum(u.model.investment_forecast for u in self.included)

    @property
    def investment_deviation(self) -> float:
        return self.investment_forecast - self.investment_budget

    @property
    def reports_investments(self) -> bool:
        """True when some included template has the Investeringar table (version 2): its sums are real,
        0 included. Without one, the summary leaves the Investering names empty rather than say 0."""
        return any(u.model.version >= T.INVESTMENTS.since for u in self.included)

    @property
    def has_investments(self) -> bool:
        """True when some included template reports an investment project (nothing to say otherwise)."""
        return any(u.model.investments for u in self.included)

    @property
    def budget(self) -> float:
        return sum(u.template.budget for u in self.included if u.template)

    @property
    def forecast(self) -> float:
        return sum(u.template.forecast for u in self.included if u.template)

    @property
    def deviation(self) -> float:
        return self.forecast - self.budget

    @property
    def deviation_mnkr(self) -> float:
        return self.deviation / 1000.0

    def goal_counts(self) -> dict[str, int]:
        counts = Counter(g.assessment for g in self.goals)
        return {a: counts.get(a, 0) for a in T.ASSESSMENTS}

    def assignment_counts(self) -> dict[str, int]:
        counts = Counter(a.status for a in self.assignments)
        return {s: counts.get(s, 0) for s in T.STATUSES}

    @property
    def postponed(self) -> list[Assignment]:
        return [a for a in self.assignments if a.status == T.POSTPONED]

    def frames(self) -> dict[str, pandas.DataFrame]:
        """The contract's detail tables as pandas DataFrames (pandas is imported only here)."""
        import pandas as pd

        return {name: pd.DataFrame(rows, columns=headers) for name, (headers, rows) in table_rows(self).items()}


# The contract's tables ---------------------------------------------------------------------------


def _unit_row(unit: Unit) -> list[Any]:
    t = unit.template
    if t is None:
        return [
            unit.name,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            unit_status(unit),
            None,
            None,
            None,
        ]
    goals, assignments = unit.goal_counts(), unit.assignment_counts()
    return [
        unit.name,
        t.budget / 1000.0,
        t.forecast / 1000.0,
        t.deviation / 1000.0,
        goals[T.GOAL_FULL],
        goals[T.GOAL_PARTIAL],
        goals[T.GOAL_NOT],
        goals[T.GOAL_NOT_ASSESSED],
        assignments[T.DONE] + assignments[T.DOING],
        assignments[T.POSTPONED],
        t.meta.mbl_datum,
        unit_status(unit),
        *_forecast_change(t),
        t.investment_deviation / 1000.0 if t.investments else None,
    ]


def _forecast_change(template: Any) -> list[float | None]:
    """[Föregående prognos, Prognosförändring] of one template in mnkr; None where no row has one."""
    rows = [r for r in template.economy if r.previous_forecast is not None]
    if not rows:
        return [None, None]
    return [
        sum(r.previous_forecast for r in rows) / 1000.0,
        sum(r.forecast_change for r in rows if r.forecast_change is not None) / 1000.0,
    ]


def submission_rows(result: Result) -> list[list[Any]]:
    """Inlamning (contract §4): one row per expected förvaltning, `Saknas` for those that sent nothing."""
    considered = [u for u in result.units if u.status != STATUS_SKIPPED]
    if result.plan is None:
        return [
            [
                u.name,
                bilaga_in_file_name(u.file),
                u.file,
                u.status,
                u.template.meta.kontaktperson if u.template else "",
                "",
                _approved(u),
            ]
            for u in considered
        ]
    rows = []
    for name in result.plan.unit_names():
        planned = result.plan.unit(name)
        assert planned is not None  # one of the plan's own names
        sent = [u for u in considered if u.template is not None and u.name.casefold() == name.casefold()]
        status = sent[0].status if sent else STATUS_MISSING
        rows.append(
            [
                name,
                planned.bilaga,
                ", ".join(u.file for u in sent),
                status,
                planned.kontaktperson,
                planned.epost,
                _approved(sent[0]) if sent else None,
            ]
        )
    return rows


def _approved(unit: Unit) -> date | None:
    """The Godkand date of the unit's template (contract §7), None when not approved or not read."""
    return unit.template.meta.godkand if unit.template is not None else None


def included_first(result: Result) -> list[Unit]:
    """The förvaltningar in the totals, in file order, then those left out: the charts draw the first ones."""
    considered = [u for u in result.units if u.status != STATUS_SKIPPED]
    return [u for u in considered if u.included] + [u for u in considered if not u.included]


def table_rows(result: Result) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every contract table: name → (headers, rows)."""
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        "Forvaltningar": unit_table(result),
        "Kontroll": finding_table(result),
        "Kallor": source_table(result),
        "Inlamning": (list(SUBMISSION_HEADERS), submission_rows(result)),
    }
    for table in T.TABLES:
        tables[table.name] = detail_table(result, table)
    return tables


def unit_table(result: Result) -> tuple[list[str], list[list[Any]]]:
    """Forvaltningar: one row per considered förvaltning, those in the totals first."""
    return list(UNIT_HEADERS), [_unit_row(u) for u in included_first(result)]


def finding_table(result: Result) -> tuple[list[str], list[list[Any]]]:
    """Kontroll: every finding, in report order."""
    return list(FINDING_HEADERS), [
        [f.severity.value, f.file, f.sheet, f.cell, f.message, f.code] for f in result.report.sorted()
    ]


def source_table(result: Result) -> tuple[list[str], list[list[Any]]]:
    """Kallor: one row per file read (a skipped earlier summary is noted in Kontroll; not a source)."""
    return list(SOURCE_HEADERS), [
        [
            u.file,
            u.template.meta.forvaltning if u.template else "",
            u.template.meta.periodslut if u.template else None,
            u.sha256,
            u.status,
            sum(1 for f in u.findings if f.severity is Severity.ERROR),
            sum(1 for f in u.findings if f.severity is Severity.WARNING),
            u.path,
        ]
        for u in result.units
        if u.status != STATUS_SKIPPED
    ]


def detail_table(result: Result, table: T.Table) -> tuple[list[str], list[list[Any]]]:
    """One detail table (Ekonomi, Namndmal, Uppdrag, Indikatorer): the included templates' rows,
    each led by its förvaltning. Built one table at a time, so a writer need not hold all four."""
    records, values = _DETAIL_ROWS[table.name]
    included = [u for u in result.included if u.template]
    return ["Förvaltning", *table.headers], [[u.name, *values(r)] for u in included for r in records(u.template)]


# Table name → (the template's records, one record's values in the table's column order).
_DETAIL_ROWS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], tuple[Any, ...]]]] = {
    "Ekonomi": (
        lambda t: t.economy,
        lambda r: (
            r.key,
            r.activity,
            r.budget,
            r.actual,
            r.forecast,
            r.deviation,
            r.previous_forecast,
            r.comment,
            r.measures,
        ),
    ),
    "Namndmal": (lambda t: t.goals, lambda r: (r.goal_id, r.goal, r.assessment, r.analysis)),
    "Uppdrag": (lambda t: t.assignments, lambda r: (r.assignment_id, r.assignment, r.status, r.new_year, r.comment)),
    "Indikatorer": (
        lambda t: t.indicators,
        lambda r: (r.indicator_id, r.indicator, r.unit, r.women, r.men, r.total, r.target, r.reason),
    ),
    "Investeringar": (
        lambda t: t.investments,
        lambda r: (r.project_id, r.project, r.budget, r.actual, r.forecast, r.deviation, r.comment),
    ),
    "Personal": (
        lambda t: t.personnel,
        lambda r: (r.key_figure_id, r.key_figure, r.unit, r.women, r.men, r.total, r.previous_year, r.comment),
    ),
}
