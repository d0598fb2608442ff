"""The shape of a workbook people fill in: kinds of cells, metadata fields, tables and their columns.

A declaration (template/declaration.py for the template, plan/declaration.py for the plan) lists its
fields and tables in these terms; the generic reader (reader.py) and writer (writer.py) work from them.
Nothing here knows what a delårsrapport is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """What a cell holds, which decides its format, its validation and how it is read."""

    ID = "id"
    TEXT = "text"
    LONG_TEXT = "long_text"
    AMOUNT = "amount"  # tkr, result sign
    NUMBER = "number"  # indicator values
    CHOICE = "choice"
    YEAR = "year"
    INTEGER = "integer"  # a whole number that is not a year, e.g. the plan's Bilaga
    DATE = "date"
    FORMULA = "formula"  # computed in the template, always recomputed by the reader


@dataclass(frozen=True)
class Field:
    """One metadata cell on "Uppgifter", reachable through a workbook-scoped defined name."""

    name: str  # defined name (contract)
    label: str
    kind: Kind
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    # Lines of wrapped text the value cell shows. A paragraph gets one tall cell, never merged
    # cells: the reader flags merged cells, and a defined name points at exactly one cell.
    lines: int = 1
    since: int = 1  # the version of the workbook (e.g. Mallversion) that introduced the field


@dataclass(frozen=True)
class Column:
    """One column of an Excel table."""

    key: str  # identifier used in the model and the rules
    header: str  # header text in the template (contract)
    kind: Kind
    width: float
    help: str
    choices: tuple[str, ...] = ()
    strict: bool = True  # False: the dropdown suggests but other text is accepted
    formula: str = ""  # structured-reference formula for Kind.FORMULA
    since: int = 1  # the workbook version that introduced the column


@dataclass(frozen=True)
class Table:
    """One Excel table on its own sheet."""

    name: str  # table name (contract)
    sheet: str
    title: str
    intro: str
    columns: tuple[Column, ...]
    blank_rows: int  # rows offered in a blank template; the sheet is protected, so it cannot grow
    landscape: bool = True
    # The generator writes every row the table may have (fixed posts whose ids it fixes, contract §9): no
    # spare rows are offered, the sheet is always protected (no row can be inserted) and the print area
    # is exactly those rows. A row typed beside them could only be an unknown post.
    fixed_rows: bool = False
    since: int = 1  # the workbook version that introduced the table

    def rows_offered(self, filled: int) -> int:
        """The data rows the written table has when `filled` rows are written into it."""
        if self.fixed_rows:
            return filled
        return max(self.blank_rows, filled + SPARE_ROWS)

    @property
    def id_column(self) -> Column:
        return self.columns[0]

    def columns_in(self, version: int) -> tuple[Column, ...]:
        """The columns a workbook of `version` has (a version 1 template's Ekonomi has no Åtgärder)."""
        return tuple(c for c in self.columns if c.since <= version)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def index(self, key: str) -> int:
        return [c.key for c in self.columns].index(key)


# Empty rows under the filled ones of a table people add rows to (a pre-filled template's Mål, a plan's
# Förvaltningar): room for what the generator could not know.
SPARE_ROWS = 5

# Where a declared table sits on its own sheet: title in row 1, intro in row 2, the table's header in
# row HEADER_ROW (1-based), data below it, from column A.
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1
FIRST_COLUMN = 0  # column A


__all__ = ["FIRST_COLUMN", "FIRST_DATA_ROW", "HEADER_ROW", "SPARE_ROWS", "Column", "Field", "Kind", "Table"]
