"""A1 cell addresses, the one conversion between them and 0-based (row, column) indexes.

Findings and every other boundary speak A1 ("C7"); readers and writers count from 0.
"""

from __future__ import annotations

EXCEL_TEXT_MAX = 32_767  # characters in one cell, Excel's own limit: longer text is refused, or cut and marked
SHORTENED = " … [förkortad]"  # marks text cut to fit a cell (the reader has reported it)


def column_letter(index: int) -> str:
    """0-based column index to letters: 0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """Letters to a 0-based column index: "A" → 0, "AA" → 26; "" → -1."""
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ord(ch) - 64)
    return col - 1


def cell_ref(row: int, col: int) -> str:
    """0-based row and column to an A1 address: (0, 0) → "A1"."""
    return f"{column_letter(col)}{row + 1}"


def a1_to_index(ref: str) -> tuple[int, int]:
    """ "C7" or "$C$7" → (6, 2), 0-based row and column."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    return int(digits or 0) - 1, column_index(letters)


def table_cell(found: dict[str, dict[str, int]], table: str, key: str, row: int, declared_index: int) -> str:
    """A1 address of column `key` of `table` in sheet row `row` (1-based): where the reader found
    the column (`found`: table → key → 0-based index), else where the declaration puts it."""
    index = found.get(table, {}).get(key)
    return f"{column_letter(declared_index if index is None else index)}{row}"
