"""Dataclasses for one template's content. Amounts are tkr, result sign, unrounded.

The same classes serve the reader (what a file holds, with row numbers for findings) and the
generator (what to write into a new template: the demo and the tests fill templates this way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Why the row classes define `__reduce__`: worker processes send every template model back to the
# main process as a pickle, and the default pickling of a slots dataclass (`__getstate__` and
# `__setstate__` walking `dataclasses.fields()` on every row) cost about 4 M instructions a
# template, both ways. Pickled as the constructor's arguments instead, in field order (a test
# checks that every field is listed), a row unpickles to an equal row.


@dataclass(frozen=True, slots=True)
class Metadata:
    forvaltning: str
    namnd: str
    periodslut: date | None
    rapport: str = "Delårsrapport"
    kontaktperson: str = ""
    mbl_datum: date | None = None
    sammanfattning: str = ""
    mallversion: str = ""
    # Version 2 (contract §7): the förvaltning's own texts and the förvaltningschef's sign-off.
    vasentliga_handelser: str = ""  # VasentligaHandelser
    framtid: str = ""  # Framtid: förväntad utveckling, risker och möjligheter
    forvaltningschef: str = ""  # Forvaltningschef
    godkand: date | None = None  # Godkand: the date the förvaltningschef approved; None = not approved

    @property
    def year(self) -> int | None:
        return self.periodslut.year if self.periodslut else None

    @property
    def approved(self) -> bool:
        return self.godkand is not None

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            Metadata,
            (
                self.forvaltning,
                self.namnd,
                self.periodslut,
                self.rapport,
                self.kontaktperson,
                self.mbl_datum,
                self.sammanfattning,
                self.mallversion,
                self.vasentliga_handelser,
                self.framtid,
                self.forvaltningschef,
                self.godkand,
            ),
        )


@dataclass(frozen=True, slots=True)
class EconomyRow:
    key: str
    activity: str
    budget: float | None
    actual: float | None
    forecast: float | None
    previous_forecast: float | None = None
    comment: str = ""
    row: int = 0  # 1-based sheet row it was read from; 0 when not read from a file
    cached_deviation: float | None = None  # what the file's formula cell held, if anything
    measures: str = ""  # Åtgärder (version 2): what the förvaltning does about an underskott

    @property
    def deviation(self) -> float | None:
        """Avvikelse helår = Prognos helår − Budget helår (positive = överskott), always recomputed."""
        if self.budget is None or self.forecast is None:
            return None
        return self.forecast - self.budget

    @property
    def forecast_change(self) -> float | None:
        """Prognosförändring since the previous report."""
        if self.forecast is None or self.previous_forecast is None:
            return None
        return self.forecast - self.previous_forecast

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            EconomyRow,
            (
                self.key,
                self.activity,
                self.budget,
                self.actual,
                self.forecast,
                self.previous_forecast,
                self.comment,
                self.row,
                self.cached_deviation,
                self.measures,
            ),
        )


@dataclass(frozen=True, slots=True)
class GoalRow:
    goal_id: str
    goal: str
    assessment: str
    analysis: str = ""
    row: int = 0

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (GoalRow, (self.goal_id, self.goal, self.assessment, self.analysis, self.row))


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    assignment_id: str
    assignment: str
    status: str
    new_year: int | None = None
    comment: str = ""
    row: int = 0

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            AssignmentRow,
            (self.assignment_id, self.assignment, self.status, self.new_year, self.comment, self.row),
        )


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    indicator_id: str
    indicator: str
    unit: str
    women: float | None = None
    men: float | None = None
    total: float | None = None
    target: float | None = None
    reason: str = ""
    row: int = 0

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            IndicatorRow,
            (
                self.indicator_id,
                self.indicator,
                self.unit,
                self.women,
                self.men,
                self.total,
                self.target,
                self.reason,
                self.row,
            ),
        )


@dataclass(frozen=True, slots=True)
class InvestmentRow:
    """One investment project (version 2): tkr, result sign (utgifter negative, bidrag positive)."""

    project_id: str  # Projekt-id
    project: str  # Projekt
    budget: float | None
    actual: float | None
    forecast: float | None
    comment: str = ""
    row: int = 0
    cached_deviation: float | None = None

    @property
    def deviation(self) -> float | None:
        """Avvikelse helår = Prognos helår − Budget helår (positive = a lower net utgift), always recomputed."""
        if self.budget is None or self.forecast is None:
            return None
        return self.forecast - self.budget

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            InvestmentRow,
            (
                self.project_id,
                self.project,
                self.budget,
                self.actual,
                self.forecast,
                self.comment,
                self.row,
                self.cached_deviation,
            ),
        )


@dataclass(frozen=True, slots=True)
class PersonnelRow:
    """One personal nyckeltal (version 2), checked like an indicator (gender split, antal sums)."""

    key_figure_id: str  # Nyckeltal-id, e.g. P01
    key_figure: str  # Nyckeltal
    unit: str
    women: float | None = None
    men: float | None = None
    total: float | None = None
    previous_year: float | None = None  # Föregående år: the total, same period last year
    comment: str = ""
    row: int = 0

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            PersonnelRow,
            (
                self.key_figure_id,
                self.key_figure,
                self.unit,
                self.women,
                self.men,
                self.total,
                self.previous_year,
                self.comment,
                self.row,
            ),
        )


@dataclass
class Template:
    """One förvaltning's report for one period."""

    meta: Metadata
    economy: list[EconomyRow] = field(default_factory=list)
    goals: list[GoalRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    investments: list[InvestmentRow] = field(default_factory=list)  # version 2
    personnel: list[PersonnelRow] = field(default_factory=list)  # version 2
    # Where it came from (empty for a template built in memory).
    file: str = ""
    path: str = ""
    sha256: str = ""
    # Where things were found in the file, so findings can name the cell:
    # field name → (sheet, A1 cell); table name → column key → 0-based column index.
    field_cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    columns: dict[str, dict[str, int]] = field(default_factory=dict)
    # "Sheet!A1" of cells the reader already reported as unreadable, so rules do not report them twice.
    unreadable: set[str] = field(default_factory=set)

    def cell(self, table: str, key: str, row: int) -> str:
        """A1 address of column `key` of `table` in sheet row `row` (1-based)."""
        from delar_xl.template.declaration import table_by_name
        from delar_xl.xlsx.cells import table_cell

        return table_cell(self.columns, table, key, row, table_by_name(table).index(key))

    def field_cell(self, name: str) -> tuple[str, str]:
        from delar_xl.template.declaration import INFO_SHEET, field_cell

        return self.field_cells.get(name, (INFO_SHEET, field_cell(name)))

    @property
    def budget(self) -> float:
        return sum(r.budget for r in self.economy if r.budget is not None)

    @property
    def forecast(self) -> float:
        return sum(r.forecast for r in self.economy if r.forecast is not None)

    @property
    def deviation(self) -> float:
        return self.forecast - self.budget

    @property
    def investment_budget(self) -> float:
        return sum(r.budget for r in self.investments if r.budget is not None)

    @property
    def investment_forecast(self) -> float:
        return sum(r.forecast for r in self.investments if r.forecast is not None)

    @property
    def investment_deviation(self) -> float:
        return self.investment_forecast - self.investment_budget

    @property
    def version(self) -> int:
        """The template version read (1 or 2); a template built in memory is the current version."""
        from delar_xl.template.declaration import TEMPLATE_VERSION, version_number

        return version_number(self.meta.mallversion or TEMPLATE_VERSION)
