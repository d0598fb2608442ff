"""What the kommun level produces (contract §6): the nämnder's summaries as units, and the tables built from them.

`kommun/consolidate.py` fills a `KommunResult`; kommun/summary.py, kommun/text.py, the add-in and
`KommunResult.frames()` present it, as namnd/result.py does one level down. The names of things at this
level (levels, statuses, the names summed over nämnder) are here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from delar_xl.finans.model import Finans
from delar_xl.findings import Finding, Report, Severity
from delar_xl.kommun.annual_result import AnnualResult, annual_result
from delar_xl.namnd import result as namnd
from delar_xl.namnd.declaration import (
    AVVIKELSE_TOTAL,
    BUDGET_TOTAL,
    FINDING_HEADERS,
    GOAL_NAMES,
    INVESTERING_AVVIKELSE_TOTAL,
    INVESTMENT_DEVIATION_HEADER,
    NAMNDER_TABLE,
    OPTIONAL_AMOUNT_NAMES,
    PROGNOS_TOTAL,
    SOURCE_HEADERS,
    STATUS_INCLUDED,
    STATUS_SKIPPED,
    UNITS_TABLE,
    UPPDRAG_FORSKJUTS,
    UPPDRAG_VERKSTALLS,
)
from delar_xl.namnd.read import NamndSummary
from delar_xl.namnd.result import STATUS_RANK
from delar_xl.template import declaration as T

if TYPE_CHECKING:
    import pandas  # for the annotation only: pandas is imported when frames() is called

KOMMUN_NAME = "Kommunen"  # what the §2 name `Namnd` holds at the kommun level

STATUS_INCOMPLETE = "Med i sammanställningen, men ofullständig"
STATUS_OTHER_PERIOD = "Utesluten: annan period"
STATUS_DUPLICATE = "Utesluten: nämnden finns i flera sammanställningar"
STATUS_FINANS_ERRORS = "Utesluten: underlaget har fel"
STATUS_DUPLICATE_FINANS = "Utesluten: flera underlag från finansförvaltningen"


@dataclass
class NamndUnit:
    """One input file: a nämnd's summary, or something that could not be used."""

    file: str
    path: str
    sha256: str
    summary: NamndSummary | None
    findings: list[Finding]
    status: str = STATUS_INCLUDED
    incomplete: list[str] = field(default_factory=list)  # why the nämnd's own totals are incomplete

    @property
    def included(self) -> bool:
        return self.status in (STATUS_INCLUDED, STATUS_INCOMPLETE)

    @property
    def name(self) -> str:
        return self.summary.namnd if self.summary and self.summary.namnd else self.file

    @property
    def model(self) -> NamndSummary:
        """The summary as read, for code that knows there is one (every included unit has)."""
        if self.summary is None:
            raise ValueError(f"{self.file}: no summary")  # a bug in delar_xl, never a user's file
        return self.summary

    def number(self, name: str) -> float | None:
        return self.summary.number(name) if self.summary else None

    def count(self, name: str) -> int:
        return self.summary.count(name) if self.summary else 0

    @property
    def budget(self) -> float:
        """mnkr, unrounded, as the nämnd's summary holds it."""
        return self.number(BUDGET_TOTAL) or 0.0

    @property
    def forecast(self) -> float:
        return self.number(PROGNOS_TOTAL) or 0.0

    @property
    def deviation(self) -> float:
        return self.number(AVVIKELSE_TOTAL) or 0.0

    def goal_counts(self) -> dict[str, int]:
        return {assessment: self.count(name) for assessment, name in GOAL_NAMES.items()}

    def not_assessed(self) -> list[tuple[str, list[str]]]:
        """(nämndmål, the reasons given) for each goal a förvaltning assessed Ej bedömt in the nämnd's Namndmal
        table, in table order; a reason (Analys) once each."""
        goals: dict[str, tuple[str, list[str]]] = {}
        for row in self.summary.records("Namndmal") if self.summary else []:
            if row.get("Bedömning") != T.GOAL_NOT_ASSESSED:
                continue
            key = str(row.get("Mål-id") or "").strip().casefold()
            name = str(row.get("Nämndmål") or row.get("Mål-id") or "").strip()
            _, reasons = goals.setdefault(key, (name, []))
            reason = str(row.get("Analys") or "").strip()
            if reason and reason not in reasons:
                reasons.append(reason)
        return list(goals.values())

    def postponed(self) -> list[tuple[str, int | None]]:
        """(assignment, new year) of the nämnd's postponed assignments."""
        return [(name, year) for name, status, year in self.assignments() if status == T.POSTPONED]

    def cancelled(self) -> list[str]:
        return [name for name, status, _ in self.assignments() if status == T.CANCELLED]

    def assignments(self) -> list[tuple[str, str, int | None]]:
        """(assignment, counted status, new year) per distinct Uppdrag-id in the nämnd's Uppdrag table.

        The counts come from the nämnd's names; the names of the assignments from its Uppdrag
        table, where several förvaltningar may report one id: the status that has come least far
        counts, as in namnd/consolidate.py (STATUS_RANK).
        """
        counted: dict[str, dict[str, Any]] = {}
        for row in self.summary.records("Uppdrag") if self.summary else []:
            key = str(row.get("Uppdrag-id") or "").strip().casefold()
            if not key:
                continue
            if key not in counted or _rank(row.get("Status")) < _rank(counted[key].get("Status")):
                counted[key] = row
        return [
            (str(r.get("Uppdrag") or r.get("Uppdrag-id")).strip(), str(r.get("Status") or ""), _year(r.get("Nytt år")))
            for r in counted.values()
        ]


def _rank(status: Any) -> int:
    """How far an assignment's status has come (STATUS_RANK); anything unknown ranks last."""
    return STATUS_RANK.get(status, 9) if isinstance(status, str) else 9


def _year(value: Any) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return None


@dataclass
class FinansUnit:
    """The finansförvaltning's template among the inputs (contract §9): read, checked, included or not."""

    file: str
    path: str
    sha256: str
    finans: Finans | None
    findings: list[Finding]
    status: str = STATUS_INCLUDED

    @property
    def included(self) -> bool:
        return self.status == STATUS_INCLUDED and self.finans is not None


@dataclass
class KommunResult:
    """The consolidated view of all included nämnd summaries. Amounts in mnkr, unrounded."""

    units: list[NamndUnit]
    report: Report
    periodslut: date | None = None
    rapport: str = "Delårsrapport"
    source_folder: str = ""
    namnd: str = KOMMUN_NAME  # the kommun's name (§9): --kommun, the nämnd summaries' Kommun, the finans template's
    finans_units: list[FinansUnit] = field(default_factory=list)
    # Periods as many summaries report each (period → files): nothing is consolidated until --period says which.
    undecided_periods: dict[date, list[str]] = field(default_factory=dict)

    @property
    def finans(self) -> Finans | None:
        """The finansförvaltning's template when exactly one is usable; None otherwise (then no årets resultat)."""
        usable = [u for u in self.finans_units if u.included]
        return usable[0].finans if len(usable) == 1 else None

    @property
    def annual(self) -> AnnualResult | None:
        """Årets resultat and the balanskrav (§9), or None without a usable finansförvaltning's template."""
        finans = self.finans
        if finans is None or not self.included:
            return None
        return annual_result(self.budget, self.forecast, finans)

    @property
    def anything_readable(self) -> bool:
        """A nämnd summary or the finansförvaltning's template could be read (kontrollera has something to say)."""
        return bool(self.readable) or any(u.finans is not None for u in self.finans_units)

    @property
    def readable(self) -> list[NamndUnit]:
        return [u for u in self.considered if u.summary is not None]

    @property
    def included(self) -> list[NamndUnit]:
        return [u for u in self.units if u.included]

    @property
    def considered(self) -> list[NamndUnit]:
        """Every input but the skipped ones (a previous kommun summary in the folder)."""
        return [u for u in self.units if u.status != STATUS_SKIPPED]

    @property
    def left_out(self) -> list[NamndUnit]:
        return [u for u in self.considered if not u.included]

    @property
    def incomplete_units(self) -> list[NamndUnit]:
        return [u for u in self.included if u.incomplete]

    @property
    def finans_left_out(self) -> list[FinansUnit]:
        """The finansförvaltning's templates given but not used (errors, another period, more than one)."""
        return [u for u in self.finans_units if not u.included]

    @property
    def complete(self) -> bool:
        """False when a summary was left out, an included nämnd is itself incomplete, or a finansförvaltning's
        template given is not used. (No finansförvaltning's template at all is said, not counted: the nämnder's
        figures are whole without it.)"""
        return not self.left_out and not self.incomplete_units and not self.finans_left_out

    @property
    def budget(self) -> float:
        return sum(u.budget for u in self.included)

    @property
    def forecast(self) -> float:
        return sum(u.forecast for u in self.included)

    @property
    def deviation(self) -> float:
        """The sum of the nämnder's own unrounded deviations (equal to forecast − budget up to float noise)."""
        return sum(u.deviation for u in self.included)

    def count(self, name: str) -> int:
        return sum(u.count(name) for u in self.included)

    def goal_counts(self) -> dict[str, int]:
        return {assessment: self.count(name) for assessment, name in GOAL_NAMES.items()}

    def frames(self) -> dict[str, pandas.DataFrame]:
        """The kommun summary's tables as pandas DataFrames (pandas is imported only here)."""
        import pandas as pd

        return {name: pd.DataFrame(rows, columns=headers) for name, (headers, rows) in table_rows(self).items()}

    def optional_total(self, name: str) -> float | None:
        """A §4 name summed over the included nämnder; None unless every one of them has it."""
        values = [u.number(name) for u in self.included]
        if not values or any(v is None for v in values):
            return None
        return sum(values)  # type: ignore[arg-type]

    def partial_total(self, name: str) -> float | None:
        """A §4 amount summed over the included nämnder that have it; None when none has. Over part of the
        nämnder it is a delsumma, and kommun/coverage.py says whose."""
        values = [v for v in (u.number(name) for u in self.included) if v is not None]
        return sum(values) if values else None

    @property
    def forecast_change(self) -> float | None:
        """Prognosförändring (mnkr) over the nämnder that have a föregående prognos."""
        return self.partial_total("PrognosforandringTotal")


def unit_status(unit: NamndUnit) -> str:
    """The nämnd's status as its row in `Namnder` says it."""
    if unit.status == STATUS_INCOMPLETE:
        return f"{STATUS_INCOMPLETE}: {'; '.join(unit.incomplete)}"
    return namnd.unit_status(unit)


# The kommun summary's tables --------------------------------------------------------------------

NAMND_HEADERS = (
    "Nämnd",
    "Budget helår",
    "Prognos helår",
    "Avvikelse helår",
    "Mål helt",
    "Mål delvis",
    "Mål inte",
    "Mål ej bedömt",
    "Uppdrag verkställs",
    "Uppdrag förskjuts",
    "Status",
    "Fil",
)
# Contract §4 columns, added after the others when the nämnd summaries carry them (built with a plan).
NAMND_FORECAST_HEADERS = ("Föregående prognos", "Prognosförändring")
DETAIL_TABLES = (UNITS_TABLE, *(t.name for t in T.TABLES))
FINANS_SOURCE = "Finansförvaltningen"  # its row in Kallor (the Förvaltning column)
# Contract §9: written only with a usable finansförvaltning's template.
RESULT_HEADERS = ("Post", "Budget helår", "Prognos helår", "Avvikelse helår")
BALANCE_HEADERS = ("Post", "Prognos helår")


def _namnd_row(unit: NamndUnit, with_forecasts: bool, with_investments: bool = False) -> list[Any]:
    extra: list[Any] = []
    if with_forecasts:  # NAMND_FORECAST_HEADERS, in the order of OPTIONAL_AMOUNT_NAMES
        extra = [unit.number(n) if unit.included else None for n in OPTIONAL_AMOUNT_NAMES]
    if with_investments:  # INVESTMENT_DEVIATION_HEADER
        extra.append(unit.number(INVESTERING_AVVIKELSE_TOTAL) if unit.included else None)
    if not unit.included:
        return [unit.name, None, None, None, None, None, None, None, None, None, unit_status(unit), *extra, unit.file]
    goals = unit.goal_counts()
    return [
        unit.name,
        unit.budget,
        unit.forecast,
        unit.deviation,
        goals[T.GOAL_FULL],
        goals[T.GOAL_PARTIAL],
        goals[T.GOAL_NOT],
        goals[T.GOAL_NOT_ASSESSED],
        unit.count(UPPDRAG_VERKSTALLS),
        unit.count(UPPDRAG_FORSKJUTS),
        unit_status(unit),
        *extra,
        unit.file,
    ]


def _namnder(result: KommunResult) -> tuple[list[str], list[list[Any]]]:
    with_forecasts = any(u.number(OPTIONAL_AMOUNT_NAMES[0]) is not None for u in result.included)
    with_investments = any(u.number(INVESTERING_AVVIKELSE_TOTAL) is not None for u in result.included)
    # The forecast and investment columns follow Status (the last contract column), before the file name.
    forecasts = list(NAMND_FORECAST_HEADERS) if with_forecasts else []
    investments = [INVESTMENT_DEVIATION_HEADER] if with_investments else []
    headers = [*NAMND_HEADERS[:-1], *forecasts, *investments, NAMND_HEADERS[-1]]
    return headers, [_namnd_row(u, with_forecasts, with_investments) for u in result.considered]


def _detail_table(result: KommunResult, name: str) -> tuple[list[str], list[list[Any]]]:
    """All rows of one table of every included nämnd, with `Nämnd` as the last column.

    Headers are the union over the nämnder in order of first appearance: a nämnd summary written
    by an older version, with fewer columns, still fits (its missing cells stay empty).
    """
    headers: list[str] = []
    for unit in result.included:
        table = unit.summary.tables.get(name) if unit.summary else None
        for header in table.headers if table else []:
            if header not in headers and header != "Nämnd":
                headers.append(header)
    rows = [
        [record.get(h) for h in headers] + [unit.name]
        for unit in result.included
        if unit.summary
        for record in unit.summary.records(name)
    ]
    return headers + ["Nämnd"], rows


def table_rows(result: KommunResult) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every table of the kommun summary: name → (headers, rows)."""
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        NAMNDER_TABLE: _namnder(result),
        "Kontroll": (
            list(FINDING_HEADERS),
            [[f.severity.value, f.file, f.sheet, f.cell, f.message, f.code] for f in result.report.sorted()],
        ),
        "Kallor": (
            [*SOURCE_HEADERS, "Nämnd"],
            [
                [
                    u.file,
                    "",
                    u.summary.periodslut if u.summary else None,
                    u.sha256,
                    unit_status(u),
                    sum(1 for f in u.findings if f.severity is Severity.ERROR),
                    sum(1 for f in u.findings if f.severity is Severity.WARNING),
                    u.path,
                    u.summary.namnd if u.summary else "",
                ]
                for u in result.considered
            ]
            + [
                [
                    u.file,
                    FINANS_SOURCE,
                    u.finans.periodslut if u.finans else None,
                    u.sha256,
                    u.status if u.included else f"{u.status} – ingår inte i årets resultat",
                    sum(1 for f in u.findings if f.severity is Severity.ERROR),
                    sum(1 for f in u.findings if f.severity is Severity.WARNING),
                    u.path,
                    "",
                ]
                for u in result.finans_units
            ],
        ),
        **annual_tables(result),
    }
    for name in DETAIL_TABLES:
        tables[name] = _detail_table(result, name)
    return tables


def annual_tables(result: KommunResult) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """`Resultatprognos` and `Balanskravsutredning` (contract §9), or nothing without the finansförvaltning."""
    annual = result.annual
    if annual is None:
        return {}
    return {
        "Resultatprognos": (
            list(RESULT_HEADERS),
            [[line.post, line.budget, line.forecast, line.deviation] for line in annual.lines],
        ),
        "Balanskravsutredning": (list(BALANCE_HEADERS), [[post, amount] for post, amount in annual.balance_lines]),
    }
