"""Which nämnder the kommun's Föregående prognos and Prognosförändring rest on (issue 19).

The kommun sums these over the nämnder whose summaries have them. That is part of the kommun when
a nämnd's summary has no föregående prognos, when a nämnd's own total is itself a delsumma (some
of its verksamheter lack one), or when a nämnd is left out of the sums. namnd/coverage.py's
`Coverage` holds the answer and says it in the same words as one level down: "delsumma" in the key
figures, a note under them and under Per nämnd, the terminal line and whose change the text states.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from delar_xl.namnd.coverage import Coverage

if TYPE_CHECKING:
    from delar_xl.kommun.result import KommunResult, NamndUnit

PREVIOUS_NAME = "ForegaendePrognosTotal"
PREVIOUS_HEADER, FORECAST_HEADER = "Föregående prognos", "Prognos helår"


def previous_coverage(result: KommunResult) -> Coverage:
    """The included nämnder by how much of them has a föregående prognos, and the nämnder left out."""
    whole, part, none = [], [], []
    for unit in result.included:
        if unit.number(PREVIOUS_NAME) is None:
            none.append(unit.name)
            continue
        have, rows = previous_rows(unit)
        if have < rows:
            part.append((unit.name, have, rows))
        else:
            whole.append(unit.name)
    return Coverage(
        whole, part, none, left_out=[u.name for u in result.left_out], order=[u.name for u in result.included]
    )


def previous_rows(unit: NamndUnit) -> tuple[int, int]:
    """(rows with a föregående prognos, rows with a prognos) in the nämnd's Ekonomi table: the nämnd's own
    total is a delsumma when the first is smaller. A table without the column cannot say: taken as whole."""
    table = unit.summary.tables.get("Ekonomi") if unit.summary else None
    if table is None or PREVIOUS_HEADER not in table.headers:
        return 0, 0
    rows = [r for r in table.records() if _filled(r.get(FORECAST_HEADER))]
    return sum(1 for r in rows if _filled(r.get(PREVIOUS_HEADER))), len(rows)


def _filled(value: object) -> bool:
    return value is not None and value != ""


__all__ = ["previous_coverage", "previous_rows"]
