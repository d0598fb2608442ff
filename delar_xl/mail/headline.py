"""The summary's headline: the few contract names and tables an email quotes, read by namnd/read.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from delar_xl.mail.errors import ConfigError
from delar_xl.namnd import declaration as D
from delar_xl.namnd.read import NOT_A_SUMMARY, NamndSummary
from delar_xl.numbers import NumberKind, as_date, parse_number
from delar_xl.template import declaration as T

_COUNT_NAMES = {
    "goals": D.ANTAL_MAL,
    "goals_full": D.MAL_HELT,
    "goals_partly": D.MAL_DELVIS,
    "goals_not": D.MAL_INTE,
    "goals_unassessed": D.MAL_EJ_BEDOMT,
    "assignments": D.ANTAL_UPPDRAG,
    "assignments_done": D.UPPDRAG_VERKSTALLS,
    "assignments_postponed": D.UPPDRAG_FORSKJUTS,
    "assignments_cancelled": D.UPPDRAG_AVBRYTS,
    "assignments_unreported": D.UPPDRAG_EJ_RAPPORTERADE,  # contract §4: 0 or missing without a plan
    "expected": D.ANTAL_FORVANTADE,
}


@dataclass(frozen=True)
class UnitLine:
    """One förvaltning's row in the summary's `Forvaltningar` table."""

    name: str
    deviation_mnkr: float | None
    status: str


@dataclass(frozen=True)
class Headline:
    """The figures the email body quotes, read from the summary's defined names and tables."""

    report: str = "Delårsrapport"
    board: str = ""
    period_end: date | None = None
    units: tuple[UnitLine, ...] = ()
    deviation_total_mnkr: float | None = None
    goals: int | None = None
    goals_full: int | None = None
    goals_partly: int | None = None
    goals_not: int | None = None
    goals_unassessed: int | None = None
    assignments: int | None = None
    assignments_done: int | None = None
    assignments_postponed: int | None = None
    assignments_cancelled: int | None = None
    assignments_unreported: int | None = None
    expected: int | None = None
    missing: tuple[str, ...] = ()  # förvaltningar in the plan that sent nothing (Inlamning: Saknas)
    errors: int = 0
    warnings: int = 0
    parts: str = "förvaltningar"  # what the units are: "nämnder" in the kommun's summary (Niva = Kommun)
    # Contract §7, when the summary has them: the investment totals (mnkr), the project that deviates
    # most (projekt, förvaltning, avvikelse in tkr) and sjukfrånvaro by gender (förvaltning, kvinnor, män).
    investment_budget_mnkr: float | None = None
    investment_forecast_mnkr: float | None = None
    largest_project: tuple[str, str, float] | None = None
    sick_leave: tuple[tuple[str, float, float], ...] = ()
    # Contract §9, the kommun's summary only (mnkr; None when the finansförvaltning's template was not in it)
    result_budget_mnkr: float | None = None
    result_forecast_mnkr: float | None = None
    balance_mnkr: float | None = None
    result_share_percent: float | None = None
    goal_percent: float | None = None
    goal_reached: str = ""  # "Ja", "Nej" or "" (no goal)

    @property
    def kommun_level(self) -> bool:
        return self.parts == "nämnder"


def read_headline(source: Path | bytes) -> Headline:
    """The headline figures of a summary workbook (a path or the file's bytes).

    Raises `ConfigError` with a Swedish message when the file is not a readable summary.
    """
    data = source if isinstance(source, bytes) else read_summary_bytes(Path(source))
    return headline_of(read_summary(data))


def read_summary(data: bytes) -> NamndSummary:
    """The summary in `data`, read by the one summary reader (namnd/read.py) with whatever §2 names it
    has: an e-mail quotes what is there. Raises `ConfigError` when it is no readable summary."""
    from delar_xl.namnd.read import read_summary_bytes as read

    done = read(data, "", required=())
    if done.summary is None:
        finding = done.findings[0]
        if finding.code == NOT_A_SUMMARY:
            raise ConfigError(
                "Filen är ingen sammanställning från delar_xl. Skicka sammanställningen som delar-xl konsolidera skrev."
            )
        raise ConfigError(f"Sammanställningen kan inte läsas: {finding.message}")
    return done.summary


def headline_of(summary: NamndSummary) -> Headline:
    """The figures the e-mail quotes, from a summary as read."""
    cells = _Names(summary)
    errors = cells.count(D.ANTAL_FEL)
    if errors is None:
        errors = _count_errors_in_table(summary)
    if errors is None:
        raise ConfigError(
            "Filen är ingen sammanställning från delar_xl: den saknar antalet fel och bladet Kontroll. "
            "Skicka sammanställningen som delar-xl konsolidera skrev."
        )
    counts = {key: cells.count(name) for key, name in _COUNT_NAMES.items()}
    return Headline(
        report=cells.text(D.RAPPORT) or "Delårsrapport",
        board=cells.text(D.NAMND),
        period_end=as_date(summary.values.get(D.PERIODSLUT)) or _period_from_sources(summary),
        units=_unit_lines(summary),
        missing=_missing_units(summary),
        deviation_total_mnkr=cells.number(D.AVVIKELSE_TOTAL),
        errors=errors,
        warnings=cells.count(D.ANTAL_VARNINGAR) or 0,
        parts="nämnder" if cells.text(D.NIVA) == D.NIVA_KOMMUN else "förvaltningar",
        result_budget_mnkr=cells.number(D.ARETS_RESULTAT_BUDGET),
        result_forecast_mnkr=cells.number(D.ARETS_RESULTAT_PROGNOS),
        balance_mnkr=cells.number(D.BALANSKRAVSRESULTAT_PROGNOS),
        result_share_percent=cells.number(D.RESULTAT_ANDEL_PROCENT),
        goal_percent=cells.number(D.RESULTATMAL_PROCENT),
        goal_reached=cells.text(D.RESULTATMAL_UPPNAS),
        investment_budget_mnkr=cells.number(D.INVESTERING_BUDGET_TOTAL),
        investment_forecast_mnkr=cells.number(D.INVESTERING_PROGNOS_TOTAL),
        largest_project=_largest_project(summary),
        sick_leave=_sick_leave(summary),
        **counts,
    )


def read_summary_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"Sammanställningen {path} finns inte.") from None
    except OSError as exc:
        from delar_xl.oserrors import reading

        raise ConfigError(f"Sammanställningen {path} kunde inte läsas: {reading(exc)}") from exc


class _Names:
    """The values of a summary's single-cell defined names, as the e-mail reads them: numbers stored as
    text count, as in a summary another tool wrote."""

    def __init__(self, summary: NamndSummary) -> None:
        self._values = summary.values

    def number(self, name: str) -> float | None:
        return _as_number(self._values.get(name))

    def count(self, name: str) -> int | None:
        number = self.number(name)
        return None if number is None else int(round(number))

    def text(self, name: str) -> str:
        value = self._values.get(name)
        return value.strip() if isinstance(value, str) else ""


def _as_number(value: Any) -> float | None:
    parsed = parse_number(value)
    if parsed.kind in (NumberKind.NUMBER, NumberKind.TEXT):
        return parsed.value
    return None


def _unit_lines(summary: NamndSummary) -> tuple[UnitLine, ...]:
    # The kommun's summary (contract §6) is told per nämnd, from its Namnder table.
    rows, key = summary.records(D.NAMNDER_TABLE), "Nämnd"
    if not rows:
        rows, key = summary.records(D.UNITS_TABLE), "Förvaltning"
    lines = []
    for row in rows:
        name = str(row.get(key) or "").strip()
        if not name:
            continue
        status = row.get("Status")
        lines.append(UnitLine(one_line(name), _as_number(row.get("Avvikelse helår")), one_line(str(status or ""))))
    return tuple(lines)


def _largest_project(summary: NamndSummary) -> tuple[str, str, float] | None:
    """(Projekt, Förvaltning, Avvikelse helår in tkr) of the Investeringar row deviating most, if any."""
    best: tuple[str, str, float] | None = None
    for row in summary.records(T.INVESTMENTS.name):
        deviation = _as_number(row.get("Avvikelse helår"))
        if deviation is not None and (best is None or abs(deviation) > abs(best[2])):
            name = one_line(str(row.get("Projekt") or row.get("Projekt-id") or ""))
            best = (name, one_line(str(row.get("Förvaltning") or "")), deviation)
    return best


def _sick_leave(summary: NamndSummary) -> tuple[tuple[str, float, float], ...]:
    """(Förvaltning, Kvinnor, Män) of each förvaltning's sjukfrånvaro row in Personal, where both are given."""
    from delar_xl.namnd.text import is_sick_leave

    found: dict[str, tuple[str, float, float]] = {}
    for row in summary.records(T.PERSONNEL.name):
        where = one_line(str(row.get("Förvaltning") or ""))
        women, men = _as_number(row.get("Kvinnor")), _as_number(row.get("Män"))
        if where in found or women is None or men is None:
            continue
        if is_sick_leave(str(row.get("Nyckeltal-id") or ""), str(row.get("Nyckeltal") or "")):
            found[where] = (where, women, men)
    return tuple(found.values())


def _missing_units(summary: NamndSummary) -> tuple[str, ...]:
    """The förvaltningar with status `Saknas` in Inlamning (contract §4); () without a plan."""
    return tuple(
        one_line(str(row.get("Förvaltning") or ""))
        for row in summary.records(D.SUBMISSIONS_TABLE)
        if str(row.get("Status") or "").strip() == D.STATUS_MISSING
    )


def _count_errors_in_table(summary: NamndSummary) -> int | None:
    if D.FINDINGS_TABLE not in summary.tables:
        return None
    return sum(1 for row in summary.records(D.FINDINGS_TABLE) if str(row.get("Allvarlighet", "")).strip() == "Fel")


def _period_from_sources(summary: NamndSummary) -> date | None:
    periods = {as_date(row.get("Periodslut")) for row in summary.records(D.SOURCES_TABLE)} - {None}
    return periods.pop() if len(periods) == 1 else None


def one_line(text: str) -> str:
    """Text from a cell, safe in a header: line breaks and runs of spaces become one space."""
    return " ".join(text.split())
