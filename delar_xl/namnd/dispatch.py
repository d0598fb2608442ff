"""`utskick`: one pre-filled template per förvaltning in the plan (contract §4).

A pre-filled template is an ordinary template (§1) written by template/write.py, with the metadata,
the förvaltning's budget lines, goals, assignments and indicators filled from the plan; those
cells are locked (generate.Locks), the controller's cells stay unlocked and yellow. With a
previous summary, `Föregående prognos` is filled per Radnyckel from its `Ekonomi` table.

`dispatch(plan_path, …)` is what the command line and the add-in call: it checks the plan, reads
the previous summary and writes nothing when the plan has a `Fel`. `write_prefilled(plan, …)` is
the core for a plan already in memory (the demo, tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from delar_xl.findings import DelarXlError, Finding, OutputError, Severity
from delar_xl.namnd.read import NamndSummary
from delar_xl.plan.declaration import Plan, PlanUnit
from delar_xl.template import declaration as T
from delar_xl.template.model import (
    AssignmentRow,
    EconomyRow,
    GoalRow,
    IndicatorRow,
    InvestmentRow,
    Metadata,
    PersonnelRow,
    Template,
)
from delar_xl.template.write import Locks, template_file_name, write_template

_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
YEAR_END = (12, 31)


class DispatchRefused(DelarXlError):
    """Input `utskick` cannot use (a previous summary for another nämnd, a folder with templates
    already in it, …): nothing is written. The message says why, in Swedish."""


@dataclass(frozen=True)
class PreviousRow:
    """One row of a previous summary's detail table, for one förvaltning: its id and text, and in
    Ekonomi its budget and forecast (tkr); in Indikatorer `unit` is the Enhet."""

    key: str
    text: str
    budget: float | None = None
    forecast: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class PreviousForecasts:
    """What `--foregaende` takes from a previous summary: its nämnd, period and every included
    förvaltning's `Prognos helår` (tkr) per Radnyckel; and each förvaltning's rows of Ekonomi,
    Namndmal, Uppdrag and Indikatorer, so that nothing it reported vanishes unsaid."""

    file: str
    namnd: str
    periodslut: date | None
    forecasts: dict[tuple[str, str], float]
    # table name → förvaltning (casefolded) → rows
    rows: dict[str, dict[str, list[PreviousRow]]] = field(default_factory=dict)

    def forecast(self, forvaltning: str, key: str) -> float | None:
        return self.forecasts.get((forvaltning.casefold(), key.casefold()))

    def rows_for(self, table: str, forvaltning: str) -> list[PreviousRow]:
        return self.rows.get(table, {}).get(forvaltning.casefold(), [])


@dataclass
class Prefilled:
    """One förvaltning's pre-filled template: what is written and which cells are locked."""

    unit: PlanUnit
    file_name: str
    content: Template
    locks: Locks
    missing_previous: list[str] = field(default_factory=list)  # Radnycklar without a previous figure
    # Said in the output, one line each: rows the förvaltning added last period (not in the plan),
    # carried into this template; rows of the previous summary the plan no longer has.
    carried: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


@dataclass
class DispatchResult:
    plan: Plan | None
    findings: list[Finding] = field(default_factory=list)
    templates: list[Prefilled] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    previous: PreviousForecasts | None = None

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


# The pre-filled content ----------------------------------------------------------------------


def prefilled_file_name(unit: PlanUnit, period: date) -> str:
    """ "Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx" (characters no file system allows replaced)."""
    name = _UNSAFE_IN_FILE_NAMES.sub("-", unit.forvaltning).strip(" .")
    return f"Bilaga {unit.bilaga} – {template_file_name(name, period)}"


def report_type(period: date) -> str:
    """A period ending 31 December is the verksamhetsberättelse; every other one a delårsrapport."""
    return "Verksamhetsberättelse" if (period.month, period.day) == YEAR_END else "Delårsrapport"


def prefill(plan: Plan, unit: PlanUnit, period: date, previous: PreviousForecasts | None = None) -> Prefilled:
    """The template for `unit` with what the plan (and the previous summary) says, and its locks."""
    name = unit.forvaltning
    meta = Metadata(
        forvaltning=name,
        namnd=plan.namnd,
        periodslut=period,
        rapport=report_type(period),
        kontaktperson=unit.kontaktperson,
    )
    cells: set[tuple[str, int, str]] = set()
    economy, missing = [], []
    for i, row in enumerate(plan.economy_for(name)):
        before = previous.forecast(name, row.key) if previous else None
        if previous and before is None:
            missing.append(row.key)
        economy.append(EconomyRow(row.key, row.activity, row.budget, None, None, before))
        cells |= {(T.ECONOMY.name, i, "key"), (T.ECONOMY.name, i, "activity")}
        cells |= {
            (T.ECONOMY.name, i, k) for k, v in (("budget", row.budget), ("previous_forecast", before)) if v is not None
        }
    goals = [GoalRow(g.goal_id, g.goal, "") for g in plan.goals_for(name)]
    cells |= {(T.GOALS.name, i, k) for i in range(len(goals)) for k in ("goal_id", "goal")}
    assignments = [AssignmentRow(a.assignment_id, a.assignment, "") for a in plan.assignments_for(name)]
    cells |= {(T.ASSIGNMENTS.name, i, k) for i in range(len(assignments)) for k in ("assignment_id", "assignment")}
    indicators = []
    for i, ind in enumerate(plan.indicators_for(name)):
        indicators.append(IndicatorRow(ind.indicator_id, ind.indicator, ind.unit, target=ind.target))
        cells |= {(T.INDICATORS.name, i, "indicator_id"), (T.INDICATORS.name, i, "indicator")}
        cells |= {
            (T.INDICATORS.name, i, k) for k, v in (("unit", ind.unit or None), ("target", ind.target)) if v is not None
        }
    carried: list[str] = []
    dropped: list[str] = []
    if previous is not None:
        _carry_economy(plan, name, previous, economy, cells, carried, dropped)
        _carry_indicators(plan, name, previous, indicators, cells, carried)
        dropped += _dropped(previous, T.GOALS.name, "nämndmål", name, {g.goal_id for g in goals})
        dropped += _dropped(previous, T.ASSIGNMENTS.name, "uppdrag", name, {a.assignment_id for a in assignments})
    investments = [InvestmentRow(r.project_id, r.project, r.budget, None, None) for r in plan.investments_for(name)]
    cells |= {
        (T.INVESTMENTS.name, i, k)
        for i, r in enumerate(plan.investments_for(name))
        for k, v in (("project_id", r.project_id), ("project", r.project), ("budget", r.budget))
        if v not in ("", None)
    }
    # The personal nyckeltal (the plan's, or the default set): ids, names and units are the nämnd's.
    personnel = [PersonnelRow(p.key_figure_id, p.key_figure, p.unit) for p in plan.personnel_for(name)]
    cells |= {
        (T.PERSONNEL.name, i, k)
        for i, p in enumerate(personnel)
        for k, v in (("key_figure_id", p.key_figure_id), ("key_figure", p.key_figure), ("unit", p.unit))
        if v
    }
    content = Template(meta, economy, goals, assignments, indicators, investments=investments, personnel=personnel)
    # Forvaltning, Namnd and Periodslut decide where a template belongs: locked. Rapport and
    # Kontaktperson are filled but stay the controller's (someone else may fill the template in).
    locks = Locks(fields=frozenset({"Forvaltning", "Namnd", "Periodslut"}), cells=frozenset(cells))
    return Prefilled(unit, prefilled_file_name(unit, period), content, locks, missing, carried, dropped)


def _tkr(value: float | None) -> str:
    from delar_xl.numbers import format_number

    return "–" if value is None else f"{format_number(value, 0)} tkr"


def _carry_economy(
    plan: Plan,
    name: str,
    previous: PreviousForecasts,
    economy: list[EconomyRow],
    cells: set[tuple[str, int, str]],
    carried: list[str],
    dropped: list[str],
) -> None:
    """A row of the previous summary that is not in the plan: without budget the förvaltning added it
    (a new verksamhet, Budget 0), and it is carried with its Föregående prognos; with a budget it was
    a budget line the nämnd has dropped since, and it is named."""
    planned = {r.key.casefold() for r in plan.economy_for(name)}
    for row in previous.rows_for(T.ECONOMY.name, name):
        if row.key.casefold() in planned:
            continue
        if row.budget:
            dropped.append(
                f"{row.key} {row.text} finns inte längre i planen (föregående prognos "
                f"{_tkr(row.forecast)} i {previous.file})."
            )
            continue
        i = len(economy)
        economy.append(EconomyRow(row.key, row.text, 0.0, None, None, row.forecast))
        # Budget 0 locked: a budget comes only from the plan. Prognos and Kommentar are the controller's.
        cells |= {(T.ECONOMY.name, i, k) for k in ("key", "activity", "budget")}
        if row.forecast is not None:
            cells.add((T.ECONOMY.name, i, "previous_forecast"))
        carried.append(f"{row.key} {row.text}, föregående prognos {_tkr(row.forecast)}")


def _carry_indicators(
    plan: Plan,
    name: str,
    previous: PreviousForecasts,
    indicators: list[IndicatorRow],
    cells: set[tuple[str, int, str]],
    carried: list[str],
) -> None:
    """An indicator the förvaltning reported last period that the plan does not list: carried, id and name."""
    planned = {i.indicator_id.casefold() for i in indicators}
    for row in previous.rows_for(T.INDICATORS.name, name):
        if row.key.casefold() in planned:
            continue
        cells |= {(T.INDICATORS.name, len(indicators), k) for k in ("indicator_id", "indicator")}
        indicators.append(IndicatorRow(row.key, row.text, row.unit))
        planned.add(row.key.casefold())
        carried.append(f"indikator {row.key} {row.text}")


def _dropped(previous: PreviousForecasts, table: str, label: str, name: str, ids: set[str]) -> list[str]:
    """Goals and uppdrag come only from the plan: one it no longer has for this förvaltning is named."""
    folded = {i.casefold() for i in ids}
    return [
        f"{label} {row.key} {row.text[:60]} finns inte längre i planen för {name}."
        for row in previous.rows_for(table, name)
        if row.key.casefold() not in folded
    ]


def prefill_note(plan: Plan) -> str:
    return (
        f"Förifylld från planen för {plan.namnd} {plan.year}: grå celler kommer från planen och är låsta. "
        "Fyll i de gula cellerna."
    )


# Writing ---------------------------------------------------------------------------------------


def write_prefilled(
    plan: Plan,
    period: date,
    folder: Path | str,
    previous: PreviousForecasts | None = None,
    note: str = "",
    *,
    overwrite: bool = False,
) -> DispatchResult:
    """Write one pre-filled template per förvaltning of `plan` into `folder`, in Bilaga order.

    Refuses (DispatchRefused, nothing written) when the plan breaks a plan rule with a `Fel`, the
    period is not in the plan's year or a template of the same name is already in `folder`: a
    returned template is never overwritten.
    Only the demo passes `overwrite` (its own example files; the old ones are kept as .bak).
    """
    from delar_xl.plan.rules import validate_plan

    folder = Path(folder)
    errors = [f for f in validate_plan(plan) if f.severity is Severity.ERROR]
    if errors:  # dispatch() has reported them one by one; a plan built in memory gets the first
        raise DispatchRefused(f"Planen har {len(errors)} fel; inga mallar skrevs. Första felet: {errors[0].render()}")
    if plan.year is not None and period.year != plan.year:
        raise DispatchRefused(
            f"Perioden {period.isoformat()} ligger inte i planens budgetår {plan.year}. "
            "Ange ett periodslut under budgetåret eller använd planen för det året."
        )
    units = sorted(plan.units, key=lambda u: (u.bilaga is None, u.bilaga or 0))
    templates = [prefill(plan, unit, period, previous) for unit in units]
    existing = [] if overwrite else [t.file_name for t in templates if (folder / t.file_name).exists()]
    if existing:
        raise DispatchRefused(
            f"Mappen {folder} innehåller redan {', '.join(existing)}. Inget skrevs: en mall som kanske redan "
            "är ifylld skrivs aldrig över. Välj en annan mapp eller flytta bort filerna."
        )
    note = " ".join(part for part in (note, prefill_note(plan)) if part)
    written = _write_all(folder, templates, note, overwrite)
    return DispatchResult(plan, [], templates, written, previous)


def _write_all(folder: Path, templates: list[Prefilled], note: str, overwrite: bool) -> list[Path]:
    """Every template or none: when one cannot be written (disk full, no permission), those already
    written are removed again, so that nobody sends out half a dispatch. Each file is written
    atomically; the names were checked to be free (except for the demo's own `overwrite`)."""
    written: list[Path] = []
    try:
        for t in templates:
            written.append(write_template(folder / t.file_name, t.content, note=note, locks=t.locks))
    except OutputError as exc:
        if overwrite:
            raise
        for path in written:
            path.unlink(missing_ok=True)
        said = str(exc).removesuffix(" Inget skrevs.")  # write_atomic's ending, said for the whole dispatch below
        raise OutputError(f"{said} Inga mallar skrevs; de som hann skrivas är borttagna igen.") from exc
    return written


def dispatch(
    plan_path: Path | str, period: date, folder: Path | str, previous_path: Path | str | None = None
) -> DispatchResult:
    """Check the plan, then write its pre-filled templates (nothing when the plan has a `Fel`).

    `result.plan` is None when the file is no usable plan; `result.findings` are the plan's.
    A previous summary that cannot be used raises DispatchRefused.
    """
    from delar_xl.plan.read import check_plan

    checked = check_plan(plan_path)
    result = DispatchResult(checked.plan, list(checked.findings))
    if checked.plan is None or result.has_errors:
        return result
    previous = read_previous(previous_path, checked.plan, period) if previous_path else None
    done = write_prefilled(checked.plan, period, folder, previous)
    done.findings = result.findings
    return done


# The previous summary ----------------------------------------------------------------------------


def read_previous(path: Path | str, plan: Plan, period: date) -> PreviousForecasts:
    """The previous summary's forecasts, refused (DispatchRefused) when it is no summary, or is for
    another nämnd, another budget year or a period not before `period`."""
    previous = read_previous_summary(path)
    where = f"Sammanställningen {previous.file}"
    if previous.namnd.casefold() != plan.namnd.casefold():
        raise DispatchRefused(
            f"{where} avser {previous.namnd or 'ingen nämnd'}, men planen avser {plan.namnd}. "
            "Ange sammanställningen för samma nämnd."
        )
    if previous.periodslut is None:
        raise DispatchRefused(f"{where} saknar periodslut (namnet Periodslut); den kan inte användas.")
    if previous.periodslut >= period:
        raise DispatchRefused(
            f"{where} avser perioden {previous.periodslut.isoformat()}, som inte ligger före "
            f"{period.isoformat()}. Ange den föregående periodens sammanställning."
        )
    if plan.year is not None and previous.periodslut.year != plan.year:
        raise DispatchRefused(
            f"{where} avser {previous.periodslut.isoformat()}, ett annat budgetår än planens "
            f"({plan.year}); dess prognos gäller inte det här året."
        )
    return previous


def read_previous_summary(path: Path | str) -> PreviousForecasts:
    """Namnd, Periodslut and the `Ekonomi` table of a summary, read by the one summary reader (namnd/read.py)."""
    from delar_xl.namnd.read import read_summary

    path = Path(path)
    read = read_summary(path)
    if read.summary is None:
        if any(f.code == "inte-en-sammanstallning" for f in read.findings):
            raise DispatchRefused(
                f"{path.name} är ingen sammanställning från delar_xl. Ange förra periodens "
                "sammanställning (skriven av delar-xl konsolidera)."
            )
        raise DispatchRefused(f"{path.name}: {read.findings[0].message}")
    summary = read.summary
    if "Ekonomi" not in summary.tables:
        raise DispatchRefused(
            f"{path.name} är ingen sammanställning från delar_xl (bladet Ekonomi saknas). "
            "Ange förra periodens sammanställning (skriven av delar-xl konsolidera)."
        )
    return PreviousForecasts(path.name, summary.namnd, summary.periodslut, _forecasts(summary), _previous_rows(summary))


def _forecasts(summary: NamndSummary) -> dict[tuple[str, str], float]:
    table = summary.tables["Ekonomi"]
    wanted = ("Förvaltning", "Radnyckel", "Prognos helår")
    if not all(h in table.headers for h in wanted):
        raise DispatchRefused("Tabellen Ekonomi i sammanställningen saknar kolumnerna " + ", ".join(wanted) + ".")
    found: dict[tuple[str, str], float] = {}
    for record in table.records():
        unit, key, forecast = (record.get(h) for h in wanted)
        if isinstance(forecast, (int, float)) and not isinstance(forecast, bool) and unit and key:
            found[(str(unit).strip().casefold(), str(key).strip().casefold())] = float(forecast)
    return found


# Each detail table's columns read for PreviousRow (key, text, then optional budget, forecast, unit).
_PREVIOUS_COLUMNS = {
    T.ECONOMY.name: ("Radnyckel", "Verksamhet", "Budget helår", "Prognos helår", None),
    T.GOALS.name: ("Mål-id", "Nämndmål", None, None, None),
    T.ASSIGNMENTS.name: ("Uppdrag-id", "Uppdrag", None, None, None),
    T.INDICATORS.name: ("Indikator-id", "Nämndindikator", None, None, "Enhet"),
}


def _previous_rows(summary: NamndSummary) -> dict[str, dict[str, list[PreviousRow]]]:
    found: dict[str, dict[str, list[PreviousRow]]] = {}
    for name, (key, text, budget, forecast, unit) in _PREVIOUS_COLUMNS.items():
        table = summary.tables.get(name)
        if table is None or "Förvaltning" not in table.headers or not {key, text} <= set(table.headers):
            continue
        rows = found.setdefault(name, {})
        for record in table.records():
            forvaltning, row_key = record.get("Förvaltning"), record.get(key)
            if not forvaltning or not row_key:
                continue
            rows.setdefault(str(forvaltning).strip().casefold(), []).append(
                PreviousRow(
                    str(row_key).strip(),
                    str(record.get(text) or "").strip(),
                    _number(record.get(budget)) if budget else None,
                    _number(record.get(forecast)) if forecast else None,
                    str(record.get(unit) or "").strip() if unit else "",
                )
            )
    return found


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


__all__ = [
    "DispatchRefused",
    "DispatchResult",
    "Prefilled",
    "PreviousForecasts",
    "PreviousRow",
    "dispatch",
    "prefill",
    "prefilled_file_name",
    "read_previous",
    "read_previous_summary",
    "write_prefilled",
]
