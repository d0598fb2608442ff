"""Swedish numbers in and out.

In: cells that hold text instead of a number ("12,8", "1 234", "−3,5") are understood the Swedish
way; anything that could mean two things ("1,234", "12.8") is never guessed.
Out: mnkr with one decimal, decimal comma and an explicit sign ("+12,8 mnkr").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

MINUS = "\u2212"  # used in running text; cells get a plain "-"
_SPACES = "\u00a0\u202f\u2009 "
_SPACE_RE = re.compile(f"[{_SPACES}]")

# Digits with optional thousands groups of exactly three (separated by a space of some kind),
# then an optional decimal comma. "1 234,5" and "1234,5" pass; "1 23" does not.
_SWEDISH = re.compile(rf"^[+\-{MINUS}–]?(?:\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d+)(?:,\d+)?$")
_PLAIN_INT = re.compile(rf"^[+\-{MINUS}–]?\d+$")
_DOTTED = re.compile(rf"^[+\-{MINUS}–]?\d+\.\d+$")
_COMMA_THREE = re.compile(rf"^[+\-{MINUS}–]?\d{{1,3}}(?:,\d{{3}})+$")

ERROR_VALUES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        # Swedish Excel shows these; files store the English codes, but people type what they see.
        "#SKÄRNING!",
        "#DIVISION/0!",
        "#VÄRDEFEL!",
        "#REFERENS!",
        "#NAMN?",
        "#OGILTIGT!",
        "#SAKNAS!",
        "#BERÄKNA!",
    }
)


class NumberKind(str, Enum):
    EMPTY = "empty"
    NUMBER = "number"  # a real number cell
    TEXT = "text"  # text that is unambiguously a Swedish number
    AMBIGUOUS = "ambiguous"  # "1,234" or "12.8": could be either
    INVALID = "invalid"  # not a number at all
    ERROR = "error"  # an Excel error value


@dataclass(frozen=True)
class ParsedNumber:
    kind: NumberKind
    value: float | None = None
    raw: object = None


def is_error_value(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper() in ERROR_VALUES


def parse_number(value: object) -> ParsedNumber:
    """Understand a cell value as a number, the Swedish way, without ever guessing."""
    if value is None or value == "":
        return ParsedNumber(NumberKind.EMPTY, None, value)
    if isinstance(value, bool):
        return ParsedNumber(NumberKind.INVALID, None, value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return ParsedNumber(NumberKind.INVALID, None, value)
        return ParsedNumber(NumberKind.NUMBER, float(value), value)
    if not isinstance(value, str):
        return ParsedNumber(NumberKind.INVALID, None, value)
    text = value.strip()
    if not text:
        return ParsedNumber(NumberKind.EMPTY, None, value)
    if is_error_value(text):
        return ParsedNumber(NumberKind.ERROR, None, value)
    if _DOTTED.match(text) or _COMMA_THREE.match(text):
        return ParsedNumber(NumberKind.AMBIGUOUS, None, value)
    if _SWEDISH.match(text):
        normal = _SPACE_RE.sub("", text).replace(",", ".").replace(MINUS, "-").replace("–", "-")
        return ParsedNumber(NumberKind.TEXT, float(normal), value)
    return ParsedNumber(NumberKind.INVALID, None, value)


def format_number(value: float, decimals: int = 1, sign: bool = False) -> str:
    """1234.56 → "1 234,6" (grouped with a non-breaking space).

    The sign follows the unrounded value, so a small deficit reads "−0,0", never "+0,0" or "0,0";
    `sign` adds "+" to positive values. Exactly zero has no sign.
    """
    text = f"{abs(round(value, decimals)):,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    if value < 0:
        return MINUS + text
    return ("+" + text) if sign and value > 0 else text


def rounded_sum_differs(values: list[float], total: float, decimals: int = 1) -> float | None:
    """The values rounded one by one and added, when that differs from the rounded total; else None.

    For saying that displayed rows do not add up to the displayed total (never adjusting them).
    """
    rounded_sum = round(sum(round(v, decimals) for v in values), decimals)
    return rounded_sum if rounded_sum != round(total, decimals) else None


def tkr_to_mnkr(tkr: float) -> float:
    return tkr / 1000.0


def format_mnkr(tkr: float | None, sign: bool = True, unit: bool = True) -> str:
    """tkr → "+12,8 mnkr". None → "–" (no amount); a tiny non-zero amount → "+0,0"."""
    if tkr is None:
        return "–"
    text = format_number(tkr_to_mnkr(tkr), 1, sign=sign)
    return f"{text} mnkr" if unit else text


# Cell number formats (Excel, locale independent: the file stores "." and ",", Excel shows the user's).
FORMAT_TKR = "#,##0;-#,##0;0"
FORMAT_TKR_SIGNED = "+#,##0;-#,##0;0"  # deviations: the sign says överskott or underskott
# What the summary shows (domain.md's legend): thousands grouped, and "–" for an amount that is exactly
# zero (no amount); a small non-zero amount still reads "0,0". The template's input cells keep the plain
# zero above: a controller who types 0 sees 0.
NO_AMOUNT = "\u2013"
FORMAT_MNKR = f'#,##0.0;-#,##0.0;"{NO_AMOUNT}"'
FORMAT_MNKR_SIGNED = f'+#,##0.0;-#,##0.0;"{NO_AMOUNT}"'
FORMAT_TKR_SHOWN = f'#,##0;-#,##0;"{NO_AMOUNT}"'
FORMAT_TKR_SIGNED_SHOWN = f'+#,##0;-#,##0;"{NO_AMOUNT}"'
FORMAT_DATE = "yyyy-mm-dd"


def as_date(value: Any) -> date | None:
    """A date from what a reader gives for a cell: a date, a datetime, an Excel serial day or ISO text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return date(1899, 12, 30) + timedelta(days=int(value))  # an Excel serial day
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def is_negative_mnkr(amount: float) -> bool:
    """An amount in mnkr below zero by at least half a tkr (the unit amounts are entered in), however it rounds."""
    return amount < -0.0005
