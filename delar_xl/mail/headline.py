"""Reading the summary's headline: the few contract names and tables an email quotes (python-calamine)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from delar_xl.findings import UnreadableFile
from delar_xl.mail.errors import ConfigError
from delar_xl.numbers import NumberKind, as_date, parse_number
from delar_xl.xlsx.cells import a1_to_index
from delar_xl.xlsx.guard import check_package, open_zip
from delar_xl.xlsx.parts import defined_names

_COUNT_NAMES = {
    "goals": "AntalMal",
    "goals_full": "MalHelt",
    "goals_partly": "MalDelvis",
    "goals_not": "MalInte",
    "goals_unassessed": "MalEjBedomt",
    "assignments": "AntalUppdrag",
    "assignments_done": "UppdragVerkstalls",
    "assignments_postponed": "UppdragForskjuts",
    "assignments_cancelled": "UppdragAvbryts",
    "assignments_unreported": "UppdragEjRapporterade",  # contract §4: 0 or missing without a plan
    "expected": "AntalForvantade",
    "errors": "AntalFel",
    "warnings": "AntalVarningar",
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
    _check_package(data)
    try:
        from python_calamine import CalamineWorkbook

        with open_zip(data) as zf:
            names = defined_names(zf)
        book = CalamineWorkbook.from_filelike(io.BytesIO(data), load_tables=True)
    except ConfigError:
        raise
    except Exception as exc:  # calamine and the XML parser raise many kinds of errors
        raise ConfigError(f"Sammanställningen kunde inte läsas: {exc}.") from exc
    cells = _NameReader(book, names)
    errors = cells.count("AntalFel")
    if errors is None:
        errors = _count_errors_in_table(book)
    if errors is None:
        raise ConfigError(
            "Filen är ingen sammanställning från delar_xl: den saknar antalet fel och bladet Kontroll. "
            "Skicka sammanställningen som delar-xl konsolidera skrev."
        )
    counts = {key: cells.count(name) for key, name in _COUNT_NAMES.items() if key not in ("errors", "warnings")}
    return Headline(
        report=cells.text("Rapport") or "Delårsrapport",
        board=cells.text("Namnd"),
        period_end=cells.date("Periodslut") or _period_from_sources(book),
        units=_unit_lines(book),
        missing=_missing_units(book),
        deviation_total_mnkr=cells.number("AvvikelseTotal"),
        errors=errors,
        warnings=cells.count("AntalVarningar") or 0,
        parts="nämnder" if cells.text("Niva") == "Kommun" else "förvaltningar",
        result_budget_mnkr=cells.number("AretsResultatBudget"),
        result_forecast_mnkr=cells.number("AretsResultatPrognos"),
        balance_mnkr=cells.number("BalanskravsresultatPrognos"),
        result_share_percent=cells.number("ResultatAndelProcent"),
        goal_percent=cells.number("ResultatmalProcent"),
        goal_reached=cells.text("ResultatmalUppnas"),
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


def _check_package(data: bytes) -> None:
    """The same guard every input passes (the summary may have travelled by email)."""
    try:
        check_package(data)
    except UnreadableFile as exc:
        raise ConfigError(f"Sammanställningen kan inte läsas: {exc}") from exc


class _NameReader:
    """Values of single-cell defined names, with each sheet read once."""

    def __init__(self, book: Any, names: Mapping[str, Any]) -> None:
        self._book = book
        self._names = names
        self._sheets: dict[str, list[list[Any]]] = {}

    def value(self, name: str) -> Any:
        target = self._names.get(name)
        if target is None or not target.cell:
            return None
        if target.sheet not in self._sheets:
            try:
                sheet = self._book.get_sheet_by_name(target.sheet)
            except Exception:
                return None
            self._sheets[target.sheet] = sheet.to_python(skip_empty_area=False)
        row, col = a1_to_index(target.cell)
        rows = self._sheets[target.sheet]
        if row >= len(rows) or col >= len(rows[row]):
            return None
        return rows[row][col]

    def number(self, name: str) -> float | None:
        return _as_number(self.value(name))

    def count(self, name: str) -> int | None:
        number = self.number(name)
        return None if number is None else int(round(number))

    def text(self, name: str) -> str:
        value = self.value(name)
        return value.strip() if isinstance(value, str) else ""

    def date(self, name: str) -> date | None:
        return as_date(self.value(name))


def _as_number(value: Any) -> float | None:
    parsed = parse_number(value)
    if parsed.kind in (NumberKind.NUMBER, NumberKind.TEXT):
        return parsed.value
    return None



def _table(book: Any, name: str) -> list[dict[str, Any]]:
    """Rows of an Excel table as dicts keyed by header text; [] when the table is missing."""
    try:
        table = book.get_table_by_name(name)
    except Exception:
        return []
    columns = [str(c) for c in table.columns]
    return [dict(zip(columns, row)) for row in table.to_python()]


def _unit_lines(book: Any) -> tuple[UnitLine, ...]:
    # The kommun's summary (contract §6) is told per nämnd, from its Namnder table.
    rows, key = _table(book, "Namnder"), "Nämnd"
    if not rows:
        rows, key = _table(book, "Forvaltningar"), "Förvaltning"
    lines = []
    for row in rows:
        name = str(row.get(key) or "").strip()
        if not name:
            continue
        status = row.get("Status")
        lines.append(UnitLine(one_line(name), _as_number(row.get("Avvikelse helår")), one_line(str(status or ""))))
    return tuple(lines)


def _missing_units(book: Any) -> tuple[str, ...]:
    """The förvaltningar with status `Saknas` in Inlamning (contract §4); () without a plan."""
    return tuple(one_line(str(row.get("Förvaltning") or "")) for row in _table(book, "Inlamning")
                 if str(row.get("Status") or "").strip() == "Saknas")


def _count_errors_in_table(book: Any) -> int | None:
    try:
        book.get_table_by_name("Kontroll")
    except Exception:
        return None
    return sum(1 for row in _table(book, "Kontroll") if str(row.get("Allvarlighet", "")).strip() == "Fel")


def _period_from_sources(book: Any) -> date | None:
    periods = {as_date(row.get("Periodslut")) for row in _table(book, "Kallor")} - {None}
    return periods.pop() if len(periods) == 1 else None


def one_line(text: str) -> str:
    """Text from a cell, safe in a header: line breaks and runs of spaces become one space."""
    return " ".join(text.split())
