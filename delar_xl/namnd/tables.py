"""The contract's tables (§2) as plain data: name → (headers, rows), from a consolidation result.

Computed once here and presented three ways: the summary writer (summary.py), the add-in writing
into an open workbook (excel.py) and `Result.frames()` (pandas). Nothing here imports the writer
or consolidation at run time, so consolidation can use it without an import circle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from delar_xl.findings import Severity
from delar_xl.namnd.status import STATUS_MISSING, STATUS_SKIPPED
from delar_xl.plan.declaration import bilaga_in_file_name
from delar_xl.template import declaration as T

if TYPE_CHECKING:
    from delar_xl.namnd.consolidate import Result, Unit

UNIT_HEADERS = (
    "Förvaltning", "Budget helår", "Prognos helår", "Avvikelse helår", "Mål helt", "Mål delvis", "Mål inte",
    "Mål ej bedömt", "Uppdrag verkställs", "Uppdrag förskjuts", "MBL-datum", "Status",
    "Föregående prognos", "Prognosförändring",  # contract §4, after the v1 columns
    "Investering avvikelse",  # contract §7
)
SUBMISSION_HEADERS = ("Förvaltning", "Bilaga", "Fil", "Status", "Kontaktperson", "E-post",
                      "Godkänd")  # contract §7: the förvaltningschef's Godkand date, or empty
FINDING_HEADERS = ("Allvarlighet", "Fil", "Blad", "Cell", "Meddelande", "Kod")
SOURCE_HEADERS = ("Fil", "Förvaltning", "Periodslut", "SHA-256", "Status", "Fel", "Varningar", "Sökväg")


def _unit_row(unit: Unit) -> list[Any]:
    t = unit.template
    if t is None:
        return [unit.name, None, None, None, None, None, None, None, None, None, None, _unit_status(unit), None, None,
                None]
    goals, assignments = unit.goal_counts(), unit.assignment_counts()
    return [
        unit.name, t.budget / 1000.0, t.forecast / 1000.0, t.deviation / 1000.0,
        goals[T.GOAL_FULL], goals[T.GOAL_PARTIAL], goals[T.GOAL_NOT], goals[T.GOAL_NOT_ASSESSED],
        assignments[T.DONE] + assignments[T.DOING], assignments[T.POSTPONED],
        t.meta.mbl_datum, _unit_status(unit), *_forecast_change(t),
        t.investment_deviation / 1000.0 if t.investments else None,
    ]


def _forecast_change(template: Any) -> list[float | None]:
    """[Föregående prognos, Prognosförändring] of one template in mnkr; None where no row has one."""
    rows = [r for r in template.economy if r.previous_forecast is not None]
    if not rows:
        return [None, None]
    return [sum(r.previous_forecast for r in rows) / 1000.0,
            sum(r.forecast_change for r in rows if r.forecast_change is not None) / 1000.0]


def submission_rows(result: Result) -> list[list[Any]]:
    """Inlamning (contract §4): one row per expected förvaltning, `Saknas` for those that sent nothing."""
    considered = [u for u in result.units if u.status != STATUS_SKIPPED]
    if result.plan is None:
        return [[u.name, bilaga_in_file_name(u.file), u.file, u.status,
                 u.template.meta.kontaktperson if u.template else "", "", _approved(u)] for u in considered]
    rows = []
    for name in result.plan.unit_names():
        planned = result.plan.unit(name)
        sent = [u for u in considered if u.template is not None and u.name.casefold() == name.casefold()]
        status = sent[0].status if sent else STATUS_MISSING
        rows.append([name, planned.bilaga, ", ".join(u.file for u in sent), status,
                     planned.kontaktperson, planned.epost, _approved(sent[0]) if sent else None])
    return rows


def _approved(unit: Unit) -> Any:
    """The Godkand date of the unit's template (contract §7), None when not approved or not read."""
    return unit.template.meta.godkand if unit.template is not None else None


def _unit_status(unit: Unit) -> str:
    return unit.status if unit.included else f"{unit.status} – ingår inte i summorna"


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
        [u.file, u.template.meta.forvaltning if u.template else "",
         u.template.meta.periodslut if u.template else None, u.sha256, u.status,
         sum(1 for f in u.findings if f.severity is Severity.ERROR),
         sum(1 for f in u.findings if f.severity is Severity.WARNING), u.path]
        for u in result.units if u.status != STATUS_SKIPPED
    ]


def detail_table(result: Result, table: T.Table) -> tuple[list[str], list[list[Any]]]:
    """One detail table (Ekonomi, Namndmal, Uppdrag, Indikatorer): the included templates' rows,
    each led by its förvaltning. Built one table at a time, so a writer need not hold all four."""
    records, values = _DETAIL_ROWS[table.name]
    included = [u for u in result.included if u.template]
    return ["Förvaltning", *table.headers], [[u.name, *values(r)] for u in included for r in records(u.template)]


# Table name → (the template's records, one record's values in the table's column order).
_DETAIL_ROWS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], tuple[Any, ...]]]] = {
    "Ekonomi": (lambda t: t.economy, lambda r: (r.key, r.activity, r.budget, r.actual, r.forecast, r.deviation,
                                                r.previous_forecast, r.comment, r.measures)),
    "Namndmal": (lambda t: t.goals, lambda r: (r.goal_id, r.goal, r.assessment, r.analysis)),
    "Uppdrag": (lambda t: t.assignments, lambda r: (r.assignment_id, r.assignment, r.status, r.new_year, r.comment)),
    "Indikatorer": (lambda t: t.indicators, lambda r: (r.indicator_id, r.indicator, r.unit, r.women, r.men, r.total,
                                                       r.target, r.reason)),
    "Investeringar": (lambda t: t.investments, lambda r: (r.project_id, r.project, r.budget, r.actual, r.forecast,
                                                          r.deviation, r.comment)),
    "Personal": (lambda t: t.personnel, lambda r: (r.key_figure_id, r.key_figure, r.unit, r.women, r.men, r.total,
                                                   r.previous_year, r.comment)),
}
