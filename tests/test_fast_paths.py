"""The reader's and the rules' fast paths give exactly what the general paths they skip give."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from delar_xl.numbers import NumberKind, parse_number
from delar_xl.template.crosscheck import _figures, _row_figures
from delar_xl.template.model import EconomyRow
from delar_xl.xlsx.parts import _has_formula_tag, formula_cells

AMOUNTS = st.none() | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, -0.0, 1e-300])


@given(AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS)
def test_one_row_figures_are_those_of_the_general_sum(budget, actual, forecast, previous) -> None:
    row = EconomyRow("K1", "Verksamhet", budget, actual, forecast, previous)
    fast, general = _row_figures(row), _figures([row])
    assert repr(fast) == repr(general)  # repr: the same types and the same sign of zero


def test_one_row_figures_keep_integer_amounts() -> None:
    row = EconomyRow("K1", "Verksamhet", 100, 40, 90, None)  # models built in code may hold ints
    assert repr(_row_figures(row)) == repr(_figures([row]))


@given(st.binary(max_size=40) | st.lists(st.sampled_from([b"<f", b">", b" ", b"/", b"o", b"<", b"\t"])).map(b"".join))
def test_formula_tag_check_is_the_three_literal_checks(data: bytes) -> None:
    assert _has_formula_tag(data) == (b"<f>" in data or b"<f " in data or b"<f/" in data)


def test_a_sheet_with_only_validation_formulas_has_no_formula_cells() -> None:
    assert formula_cells(b'<c r="A1"><v>1</v></c><formula1>"a,b"</formula1>') == {}
    assert formula_cells(b'<c r="B2"><f>A1</f><v>1</v></c><formula1>x</formula1>') == {(1, 1): True}


@given(st.none() | st.just("") | st.floats() | st.integers() | st.booleans() | st.text(max_size=8))
def test_number_fast_path_agrees_with_parse_number(value) -> None:
    # The two cases _Row.number answers without parse_number: a finite float and an empty cell.
    if type(value) is float and math.isfinite(value):
        parsed = parse_number(value)
        assert parsed.kind is NumberKind.NUMBER and parsed.value == value
    elif value is None or value == "":
        parsed = parse_number(value)
        assert parsed.kind is NumberKind.EMPTY and parsed.value is None


@given(st.text())
def test_printable_text_holds_no_control_character(text: str) -> None:
    from delar_xl.xlsx.reader import _CONTROL_CHARS

    if text.isprintable():  # _Row.text skips the regex for these
        assert _CONTROL_CHARS.search(text) is None
