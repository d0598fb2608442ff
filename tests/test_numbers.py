"""Swedish numbers in (cells typed as text) and out (mnkr with one decimal, comma and sign)."""

from __future__ import annotations

import math

import pytest

from delar_xl.numbers import MINUS, NumberKind, format_mnkr, format_number, parse_number

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12,8", 12.8),
        ("1 234", 1234.0),
        (f"1{NBSP}234", 1234.0),
        ("1\u202f234", 1234.0),
        (f"{MINUS}3,5", -3.5),
        ("-3,5", -3.5),
        ("1 234,5", 1234.5),
        ("1 234 567", 1234567.0),
        ("  42 ", 42.0),
        ("+4", 4.0),
        ("0,04", 0.04),
    ],
)
def test_parse_number_swedish_text(text: str, expected: float) -> None:
    parsed = parse_number(text)
    assert parsed.kind is NumberKind.TEXT
    assert parsed.value == pytest.approx(expected)
    assert parsed.raw == text


@pytest.mark.parametrize("text", ["1,234", "12.8", "1,234,567", f"{MINUS}12.8"])
def test_parse_number_ambiguous_is_never_guessed(text: str) -> None:
    parsed = parse_number(text)
    assert parsed.kind is NumberKind.AMBIGUOUS
    assert parsed.value is None


@pytest.mark.parametrize("text", ["abc", "12 mnkr", "1 23", "1,2,3", "--3", "12,8,"])
def test_parse_number_invalid(text: str) -> None:
    parsed = parse_number(text)
    assert parsed.kind is NumberKind.INVALID
    assert parsed.value is None


@pytest.mark.parametrize("text", ["#REF!", "#DIV/0!", "#N/A", "#ref!", " #VALUE! ", "#SAKNAS!"])
def test_parse_number_error_values(text: str) -> None:
    assert parse_number(text).kind is NumberKind.ERROR


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_number_empty(value: object) -> None:
    parsed = parse_number(value)
    assert parsed.kind is NumberKind.EMPTY
    assert parsed.value is None


@pytest.mark.parametrize("value, expected", [(4, 4.0), (4.0, 4.0), (-12762, -12762.0), (0, 0.0)])
def test_parse_number_real_numbers(value: object, expected: float) -> None:
    parsed = parse_number(value)
    assert parsed.kind is NumberKind.NUMBER
    assert parsed.value == expected


@pytest.mark.parametrize("value", [True, False, math.nan, math.inf, object()])
def test_parse_number_non_numbers_are_invalid(value: object) -> None:
    assert parse_number(value).kind is NumberKind.INVALID


# Out ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tkr, expected",
    [
        (12762, "+12,8 mnkr"),
        (8215, "+8,2 mnkr"),
        (22088, "+22,1 mnkr"),
        (43065, "+43,1 mnkr"),
        (-3400, f"{MINUS}3,4 mnkr"),
        (None, "–"),
        (40, "+0,0 mnkr"),
        (1234567, f"+1{NBSP}234,6 mnkr"),
        (-310600, f"{MINUS}310,6 mnkr"),
    ],
)
def test_format_mnkr(tkr: float | None, expected: str) -> None:
    assert format_mnkr(tkr) == expected


def test_format_mnkr_without_sign_or_unit() -> None:
    assert format_mnkr(12762, sign=False) == "12,8 mnkr"
    assert format_mnkr(12762, unit=False) == "+12,8"
    assert format_mnkr(-3400, sign=False) == f"{MINUS}3,4 mnkr"


def test_format_mnkr_small_deficit_keeps_its_sign() -> None:
    """−40 tkr is an underskott: "−0,0 mnkr", never "+0,0 mnkr" (which reads as an överskott).

    The summary cell's format "+0.0;-0.0;0.0" shows −0,04 as "-0,0" in Excel, so the text must agree.
    """
    assert format_mnkr(-40) == f"{MINUS}0,0 mnkr"
    assert format_mnkr(-40, sign=False) == f"{MINUS}0,0 mnkr"


def test_format_mnkr_empty_is_dash_not_zero() -> None:
    """Legend: "–" = no amount, "0,0" = an amount under 0,1 mnkr. Never mixed up."""
    assert format_mnkr(None) == "–"
    assert "0,0" in format_mnkr(40)
    assert format_mnkr(40) != "–"


@pytest.mark.parametrize(
    "value, decimals, sign, expected",
    [
        (1234.56, 1, False, f"1{NBSP}234,6"),
        (0.04, 1, False, "0,0"),
        (-0.0, 1, False, "0,0"),  # a negative zero is no amount below zero
        (0.04, 1, True, "+0,0"),
        (-3.45, 2, False, f"{MINUS}3,45"),
        (12.0, 0, True, "+12"),
    ],
)
def test_format_number(value: float, decimals: int, sign: bool, expected: str) -> None:
    assert format_number(value, decimals, sign) == expected
