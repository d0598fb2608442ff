"""The finansförvaltning's template as data (contract §9): what the reader returns and the writer writes.

Amounts in tkr with the result sign, unrounded. The rows keep their sheet row so that findings
name the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from delar_xl.finans import declaration as F


@dataclass(frozen=True)
class FinansRow:
    """One post of the Finans table."""

    post_id: str
    post: str
    budget: float | None = None
    actual: float | None = None
    forecast: float | None = None
    comment: str = ""
    row: int = 0
    cached_deviation: float | None = None

    @property
    def deviation(self) -> float | None:
        """Prognos helår − Budget helår, always recomputed (the cached formula value is never trusted)."""
        if self.budget is None or self.forecast is None:
            return None
        return self.forecast - self.budget


@dataclass(frozen=True)
class BalanskravRow:
    """One adjustment of the Balanskrav table."""

    post_id: str
    post: str
    forecast: float | None = None
    comment: str = ""
    row: int = 0


@dataclass
class Finans:
    """The finansförvaltning's template for one period."""

    periodslut: date | None
    kommun: str = ""
    resultatmal_procent: float | None = None
    kontaktperson: str = ""
    finans: list[FinansRow] = field(default_factory=list)
    balanskrav: list[BalanskravRow] = field(default_factory=list)
    finansversion: str = F.FINANS_VERSION
    # Where it came from (empty for one built in memory).
    file: str = ""
    path: str = ""
    sha256: str = ""
    # Where things were found: field name → (sheet, A1); table name → column key → 0-based column.
    field_cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    columns: dict[str, dict[str, int]] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)  # "Sheet!A1" the reader already reported

    def cell(self, table: str, key: str, row: int) -> str:
        """A1 address of column `key` of table `table` in sheet row `row` (1-based)."""
        from delar_xl.xlsx.cells import table_cell

        declared = next(t for t in F.TABLES if t.name == table)
        return table_cell(self.columns, table, key, row, declared.index(key))

    def field_cell(self, name: str) -> tuple[str, str]:
        return self.field_cells.get(name, (F.INFO_SHEET, F.field_cell(name)))

    def finans_row(self, post_id: str) -> FinansRow | None:
        return next((r for r in self.finans if r.post_id == post_id), None)

    def balanskrav_row(self, post_id: str) -> BalanskravRow | None:
        return next((r for r in self.balanskrav if r.post_id == post_id), None)


def blank_finans(periodslut: date, kommun: str = "") -> Finans:
    """The fixed posts with no amounts: what `delar-xl mall --finans` writes."""
    return Finans(
        periodslut=periodslut,
        kommun=kommun,
        finans=[FinansRow(p.post_id, p.name) for p in F.FINANS_POSTS],
        balanskrav=[BalanskravRow(p.post_id, p.name) for p in F.BALANSKRAV_POSTS],
    )
