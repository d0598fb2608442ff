"""How the summary reads and prints, beyond the contract's tables: which rows the charts draw, notes
that explain the counts, total rows under the tables, column widths from content, number kinds.

Pure functions of a result or of table rows; summary.py (XlsxWriter) and excel/ribbon.py (the add-in's
refresh) both use them, so a written and a refreshed summary say the same.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from delar_xl.namnd import text as texts
from delar_xl.namnd.declaration import (
    AVVIKELSE_TOTAL,
    BUDGET_TOTAL,
    FOREGAENDE_PROGNOS_TOTAL,
    INVESTERING_AVVIKELSE_TOTAL,
    MAL_DELVIS,
    MAL_EJ_BEDOMT,
    MAL_HELT,
    MAL_INTE,
    PROGNOS_TOTAL,
    PROGNOSFORANDRING_TOTAL,
    STATUS_SKIPPED,
    UPPDRAG_FORSKJUTS,
    UPPDRAG_VERKSTALLS,
)
from delar_xl.namnd.result import Result, Unit
from delar_xl.numbers import format_number
from delar_xl.template import declaration as T

# Kinds whose cells hold numbers: their headers are right-aligned like the numbers under them.
NUMERIC_KINDS = frozenset({"count", "whole", "mnkr", "signed", "tkr", "tkr_signed", "number"})
# A kind ending in GAP is indented: text right after a right-aligned number column.
GAP = "|gap"
HASH_FONT, HASH_SIZE = "Courier New", 8  # SHA-256 in a small fixed font, wrapped: printable, still complete
HASH_WIDTH = 18  # 20 characters a line in the hash font: a SHA-256 in four lines


# Who is drawn, what is explained ---------------------------------------------------------------


def charted_units(result: Result) -> list[Unit]:
    """The förvaltningar in the totals, in file order: the rows the charts draw."""
    return [u for u in result.units if u.included]


def left_out_units(result: Result) -> list[Unit]:
    """Considered but left out of the totals; listed after those included, so the charts never draw them."""
    return [u for u in result.units if not u.included and u.status != STATUS_SKIPPED]


def left_out_note(result: Result) -> str:
    """Which förvaltningar the totals and the charts leave out: named, so nobody reads them as included."""
    names = texts.join_and([u.name for u in left_out_units(result)])
    return (
        f"Summorna och diagrammen är ofullständiga: {names} ingår inte (se Status i tabellen "
        "Per förvaltning och bladet Kontroll)."
    )


def count_notes(result: Result) -> list[str]:
    """Why the per-förvaltning goal and assignment columns may add up to more than Nyckeltal."""
    notes = []
    for label, verb, items in (
        ("Mål-id", "bedöms", [(g.goal_id, g.sources) for g in result.goals]),
        ("Uppdrag-id", "rapporteras", [(a.assignment_id, a.sources) for a in result.assignments]),
    ):
        for item_id, sources in items:
            if len(sources) > 1:
                notes.append(
                    f"{label} {item_id} {verb} av {texts.count_word(len(sources))} förvaltningar "
                    "och räknas en gång i nyckeltalen."
                )
    shared = bool(notes)
    unassessed = [g.goal_id for g in result.goals if not g.sources]  # plan goals no included template assesses
    unreported = [a.assignment_id for a in getattr(result, "unreported", [])]
    if unassessed:
        notes.append(
            f"{_ids('Mål-id', unassessed)} bedöms inte i någon mall som ingår och räknas som Ej bedömt "
            "(se bladet Kontroll)."
        )
    if unreported:
        notes.append(
            f"{_ids('Uppdrag-id', unreported)} rapporteras inte i någon mall som ingår men räknas i "
            "Strategiska utvecklingsuppdrag totalt."
        )
    if shared and (unassessed or unreported):
        notes.append("Därför stämmer kolumnerna per förvaltning inte med nyckeltalen.")
    elif shared:
        notes.append("Därför kan kolumnerna per förvaltning summera till mer än nyckeltalen.")
    elif unassessed or unreported:
        notes.append("Därför kan kolumnerna per förvaltning summera till mindre än nyckeltalen.")
    return notes


def _ids(label: str, ids: list[str], shown: int = 6) -> str:
    """ "Mål-id KS-M16, KS-M17 och KS-M18"; a long list is cut ("… och 4 till") to fit its one-row note."""
    if len(ids) <= shown:
        return f"{label} {texts.join_and(ids)}"
    return f"{label} {', '.join(ids[:shown])} och {len(ids) - shown} till"


# Total rows (written under the tables, outside the table objects) --------------------------------


def unit_total_row(values: dict[str, Any]) -> list[Any]:
    """The Totalt row under Per förvaltning: the Nyckeltal (included förvaltningar, ids counted once)."""
    return [
        "Totalt (det som ingår i summorna)",
        values[BUDGET_TOTAL],
        values[PROGNOS_TOTAL],
        values[AVVIKELSE_TOTAL],
        values[MAL_HELT],
        values[MAL_DELVIS],
        values[MAL_INTE],
        values[MAL_EJ_BEDOMT],
        values[UPPDRAG_VERKSTALLS],
        values[UPPDRAG_FORSKJUTS],
        None,
        None,
        values.get(FOREGAENDE_PROGNOS_TOTAL),
        values.get(PROGNOSFORANDRING_TOTAL),
        values.get(INVESTERING_AVVIKELSE_TOTAL),
    ]


def detail_total(table: T.Table, rows: tuple[list[str], list[list[Any]]]) -> list[Any] | None:
    """The Summa row under a detail table with amounts: each amount column summed over every row,
    blank where some row has no value (a partial sum would read as the whole)."""
    headers, values = rows
    amount_headers = {c.header for c in table.columns if c.kind in (T.Kind.AMOUNT, T.Kind.FORMULA)}
    amounts = [i for i, h in enumerate(headers) if h in amount_headers]
    if not amounts or not values:
        return None
    total: list[Any] = ["Summa"] + [None] * (len(headers) - 1)
    for i in amounts:
        column = [r[i] for r in values]
        total[i] = sum(column) if all(isinstance(v, (int, float)) for v in column) else None
    return total


def table_totals(tables: dict[str, tuple[list[str], list[list[Any]]]], values: dict[str, Any]) -> dict[str, list[Any]]:
    """Table name → the total row written directly under it (the add-in rewrites them too)."""
    totals = {"Forvaltningar": unit_total_row(values)}
    for table in (T.ECONOMY, T.INVESTMENTS):  # the detail tables with amounts, a Summa row under each
        total = detail_total(table, tables[table.name]) if table.name in tables else None
        if total:
            totals[table.name] = total
    return totals


# Widths, kinds, heights ---------------------------------------------------------------------------


def content_width(table: tuple[list[str], list[list[Any]]], header: str, low: float, high: float) -> float:
    """A column wide enough for its header and longest value, within [low, high]; longer text wraps."""
    headers, rows = table
    index = headers.index(header)
    longest = max([len(header)] + [len(_shown(r[index])) for r in rows if r[index] is not None])
    return float(min(high, max(low, longest + 2)))


def _shown(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return "2021-08-31"
    if isinstance(value, float):
        return format_number(value, 0)
    return str(value)


def count_rows(values: Sequence[Any]) -> dict[str, str]:
    """A count (Enhet antal) is shown without decimals; rates keep theirs."""
    unit = values[3] if len(values) > 3 else ""
    if isinstance(unit, str) and unit.strip().casefold() == T.COUNT_UNIT:
        return {"Kvinnor": "whole", "Män": "whole", "Totalt": "whole", "Målvärde": "whole", "Föregående år": "whole"}
    return {}


# Table → per-row overrides of the column kinds (by header).
# Personal (contract §7) has Enhet where Indikatorer has it: its antal rows are counts too.
DETAIL_ROW_KINDS: dict[str, Callable[[Sequence[Any]], dict[str, str]]] = {
    "Indikatorer": count_rows,
    "Personal": count_rows,
}


def with_gaps(headers: list[str], kinds: dict[str, str]) -> dict[str, str]:
    """Kinds with GAP on each text column right after a number column: a right-aligned number and the
    left-aligned text beside it would otherwise touch ("32021-09-23", "−95 000Vakanser")."""
    gapped = dict(kinds)
    for before, head in zip(headers, headers[1:]):
        if kinds.get(before) in NUMERIC_KINDS and kinds.get(head, "text") not in NUMERIC_KINDS:
            gapped[head] = kinds.get(head, "text") + GAP
    return gapped


def hash_height(text: str, width: float) -> float:
    """Points for `text` wrapped in the small fixed hash font in a column `width` wide (Excel units:
    about 7 px each, plus 5 px padding; a Courier New 8 pt character is about 6,4 px)."""
    per_line = max(1, int((width * 7 + 5 - 4) / 6.4))
    return 11.0 * math.ceil(len(text) / per_line)
