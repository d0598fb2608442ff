"""Reads a summary workbook (contract §2) back into a model: one nämnd's summary as an input one level up.

Everything comes through the contract's defined names and table objects, never through positions
or displayed text: amounts are the unrounded numbers in the cells, not the one-decimal strings a
reader sees. This is THE reader of a summary: the kommun level, `utskick --foregaende`, the e-mail
and the reminders all read through it. Like every input, the file passes xlsx/guard.py before any
parser sees it, is opened read-only and closed at once. Reading never raises on bad content: a file
that cannot be used becomes one `Fel` for that file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date as Date  # NamndSummary has a method named date
from pathlib import Path
from typing import Any

from delar_xl.files import read_input, sha256_of
from delar_xl.findings import Finding, UnreadableFile, contained
from delar_xl.kinds import KIND_OTHER, is_summary, kind_of
from delar_xl.namnd.declaration import (
    NAMND,
    NAMNDER_TABLE,
    NIVA,
    NIVA_NAMND,
    PERIODSLUT,
    RAPPORT,
    REQUIRED_NAMES,
    TABLE_NAMES,
)
from delar_xl.numbers import as_date
from delar_xl.xlsx.cells import a1_to_index, cell_ref

NOT_A_SUMMARY = "inte-en-sammanstallning"  # the code of the Fel for a workbook that is no summary
# Tables read when present: §2's, §4's Inlamning and, in a kommun's summary, §6's Namnder.
READ_TABLES = (*TABLE_NAMES, NAMNDER_TABLE)


@dataclass
class SummaryTable:
    """One Excel table of a summary: headers and rows as the cells hold them, with their position."""

    name: str
    sheet: str
    headers: list[str]
    rows: list[list[Any]]
    first_data_row: int  # 0-based sheet row of the first data row
    first_col: int  # 0-based sheet column of the first column

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by header; rows that are entirely empty are left out."""
        return [dict(zip(self.headers, row)) for row in self.rows if any(v not in (None, "") for v in row)]

    def cell(self, index: int, header: str) -> str:
        """A1 address of column `header` in data row `index` (0-based)."""
        return cell_ref(self.first_data_row + index, self.first_col + self.headers.index(header))


@dataclass
class NamndSummary:
    """A nämnd's summary as read: defined-name values, where each name lives, and the tables."""

    file: str
    path: str
    sha256: str
    values: dict[str, Any] = field(default_factory=dict)
    places: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (sheet, A1 cell)
    tables: dict[str, SummaryTable] = field(default_factory=dict)

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value)

    def count(self, name: str) -> int:
        number = self.number(name)
        return 0 if number is None else int(round(number))

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return value.strip() if isinstance(value, str) else ""

    def date(self, name: str) -> Date | None:
        return as_date(self.values.get(name))

    def place(self, name: str) -> tuple[str, str]:
        """(sheet, cell) of a defined name; ("", "") when the summary does not have it."""
        return self.places.get(name, ("", ""))

    def records(self, table: str) -> list[dict[str, Any]]:
        found = self.tables.get(table)
        return found.records() if found else []

    @property
    def namnd(self) -> str:
        return self.text(NAMND)

    @property
    def niva(self) -> str:
        """`Nämnd` or `Kommun`; summaries written before the kommun level have no `Niva` and are nämnd summaries."""
        return self.text(NIVA) or NIVA_NAMND

    @property
    def periodslut(self) -> Date | None:
        return self.date(PERIODSLUT)

    @property
    def rapport(self) -> str:
        return self.text(RAPPORT) or "Delårsrapport"


@dataclass
class SummaryReadResult:
    file: str
    path: str
    sha256: str
    summary: NamndSummary | None
    findings: list[Finding] = field(default_factory=list)


def input_kind(path: Path | str) -> str:
    """The kind of workbook from its defined names only: "summary", "template", "plan", "finans" or "other"
    (unreadable, any other workbook).

    Cheap: the guard and one small XML part. Used to decide whether `konsolidera` works one
    level up (every input a summary) or on templates.
    """
    from delar_xl.xlsx.guard import check_package, parser_errors
    from delar_xl.xlsx.parts import defined_names

    try:
        data = Path(path).read_bytes()
        guard = check_package(data, Path(path).name, verify=False)  # the real read verifies every part
        zf = guard.package or zipfile.ZipFile(io.BytesIO(data))
        names = defined_names(zf)
    except (OSError, UnreadableFile):
        return KIND_OTHER
    except parser_errors():
        return KIND_OTHER
    except Exception as exc:  # a bug here must not stop the others: the file's own reader names the problem
        from delar_xl.log import log_exception

        log_exception(exc, f"input_kind {path}")
        return KIND_OTHER
    return kind_of(names)


def read_summary(path: Path | str, file: str | None = None) -> SummaryReadResult:
    """Read a summary file (opened read-only, closed at once, never modified)."""
    return read_input(
        path, file, read_summary_bytes, lambda name, where, found: SummaryReadResult(name, where, "", None, [found])
    )


def read_summary_bytes(
    data: bytes, file: str, path: str = "", required: tuple[str, ...] = REQUIRED_NAMES
) -> SummaryReadResult:
    """Read a summary from its bytes. `required`: the names it must have to be used (all of §2's to be
    added up one level up; none to quote what it has, as the e-mail does)."""
    digest = sha256_of(data)
    summary, findings = contained(file, "read_summary", lambda: _read(data, file, path, digest, required), [])
    return SummaryReadResult(file, path, digest, summary, findings)


def _read(data: bytes, file: str, path: str, digest: str, required: tuple[str, ...]) -> NamndSummary:
    from python_calamine import CalamineWorkbook

    from delar_xl.xlsx.guard import check_package, parser_errors
    from delar_xl.xlsx.parts import defined_names, parse_workbook, sheet_parts, tables

    guard = check_package(data, file)
    try:
        zf = guard.package or zipfile.ZipFile(io.BytesIO(data))
        workbook = parse_workbook(zf)
        names = defined_names(zf, workbook)
        infos = tables(zf, sheet_parts(zf, workbook))
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except parser_errors() as exc:
        raise UnreadableFile(
            "Filen är inte en Excel-arbetsbok (.xlsx) eller är skadad och kan inte läsas.", "fil-skadad"
        ) from exc
    if not is_summary(names):
        raise UnreadableFile(
            "Filen är ingen sammanställning från delar_xl. Ange nämndernas sammanställningar, "
            "eller förvaltningarnas mallar för sig.",
            NOT_A_SUMMARY,
        )
    missing = [n for n in required if n not in names or not names[n].cell]
    if missing:
        raise UnreadableFile(
            f"Sammanställningen saknar namnen {', '.join(missing)} och kan inte läggas samman. "
            "Konsolidera nämndens mallar på nytt med delar_xl.",
            "sammanstallning-ofullstandig",
        )
    grids = _Grids(book)
    summary = NamndSummary(file, path, digest)
    for name, target in names.items():
        if target.cell:
            summary.places[name] = (target.sheet, target.cell)
            summary.values[name] = grids.value(target.sheet, target.cell)
    for name in READ_TABLES:
        info = infos.get(name)
        if info is not None and info.header_row is not None:
            summary.tables[name] = _table(grids, info)
    return summary


class _Grids:
    """Sheet values from A1, each sheet read once."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.sheets: dict[str, list[list[Any]]] = {}

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self.sheets:
            try:
                self.sheets[sheet] = self.book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception:  # a missing sheet: the names and tables on it read as empty
                self.sheets[sheet] = []
        return self.sheets[sheet]

    def value(self, sheet: str, cell: str) -> Any:
        row, col = a1_to_index(cell)
        return self.at(sheet, row, col)

    def at(self, sheet: str, row: int, col: int) -> Any:
        rows = self.grid(sheet)
        if row >= len(rows) or col >= len(rows[row]):
            return None
        value = rows[row][col]
        return None if value == "" else value


def _table(grids: _Grids, info: Any) -> SummaryTable:
    headers = list(info.columns)
    rows = [
        [grids.at(info.sheet, r, info.first_col + c) for c in range(len(headers))]
        for r in range(info.first_data_row, info.last_data_row + 1)
    ]
    return SummaryTable(info.name, info.sheet, headers, rows, info.first_data_row, info.first_col)


__all__ = [
    "NOT_A_SUMMARY",
    "NamndSummary",
    "SummaryReadResult",
    "SummaryTable",
    "input_kind",
    "read_summary",
    "read_summary_bytes",
]
