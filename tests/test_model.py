"""The model's rows pickle as their constructor's arguments (model.py says why): every field, in order."""

from __future__ import annotations

import copy
import pickle
from dataclasses import fields
from datetime import date

import pytest

from delar_xl.template.model import AssignmentRow, EconomyRow, GoalRow, IndicatorRow, Metadata

# Every field set to a value that differs from its default, so a field left out of __reduce__ shows.
ROWS = [
    Metadata(
        "Förvaltning",
        "Nämnd",
        date(2021, 8, 31),
        "Delårsrapport 2",
        "Kontakt",
        date(2021, 9, 1),
        "Sammanfattning",
        "1.0",
    ),
    EconomyRow("K1", "Verksamhet", -100.0, -40.5, -90.0, -95.0, "Kommentar", 7, 10.0),
    GoalRow("M1", "Mål", "Uppfylls", "Analys", 8),
    AssignmentRow("U1", "Uppdrag", "Pågår", 2023, "Kommentar", 9),
    IndicatorRow("I1", "Indikator", "%", 1.0, 2.0, 3.0, 4.0, "Orsak", 10),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: type(r).__name__)
def test_reduce_lists_every_field_in_order(row: object) -> None:
    cls, args = row.__reduce__()
    assert cls is type(row)
    assert args == tuple(getattr(row, f.name) for f in fields(row))


@pytest.mark.parametrize("row", ROWS, ids=lambda r: type(r).__name__)
def test_pickle_and_copy_give_an_equal_row(row: object) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(row, protocol)) == row
    assert copy.copy(row) == row and copy.deepcopy(row) == row
