"""Which part of the nämnd a total rests on: the Föregående prognos and Prognosförändring totals
sum only the rows that have a föregående prognos, and every place that shows them (key figures,
Per förvaltning, terminal, text, Word) says so when that is not the whole nämnd (issue 19).

The kommun level (kommun/coverage.py) fills the same `Coverage` with nämnder instead of förvaltningar,
and with the nämnder left out of its sums, so both levels say it in the same words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from delar_xl.namnd.result import Result


@dataclass(frozen=True)
class Coverage:
    """The included förvaltningar by how many of their rows (with a prognos) have a föregående prognos."""

    whole: list[str] = field(default_factory=list)
    part: list[tuple[str, int, int]] = field(default_factory=list)  # (förvaltning, rows with, rows)
    none: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # not in the sums at all (the kommun's excluded nämnder)
    order: list[str] = field(default_factory=list)  # every unit's name in the order of the sums' table

    @property
    def available(self) -> bool:
        return bool(self.whole or self.part)

    @property
    def partial(self) -> bool:
        """True when a total over föregående prognos rests on part of the rows."""
        return self.available and bool(self.part or self.none or self.left_out)

    def covered(self) -> list[str]:
        """ "Kommunledningsförvaltningen (5 av 6 verksamheter)", in the order of the förvaltningar."""
        named = [(name, name) for name in self.whole]
        named += [(name, f"{name} ({have} av {rows} verksamheter)") for name, have, rows in self.part]
        position = {name: i for i, name in enumerate(self.order)}
        return [text for _, text in sorted(named, key=lambda item: position.get(item[0], len(position)))]


def previous_coverage(result: Result) -> Coverage:
    whole, part, none = [], [], []
    for unit in result.included:
        rows = [r for r in unit.model.economy if r.forecast is not None]
        have = sum(1 for r in rows if r.previous_forecast is not None)
        if have == 0:
            none.append(unit.name)
        elif have == len(rows):
            whole.append(unit.name)
        else:
            part.append((unit.name, have, len(rows)))
    return Coverage(whole, part, none, order=[unit.name for unit in result.included])


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def terminal_caveat(coverage: Coverage) -> str:
    """ " (delsumma: bara A (5 av 6 verksamheter); B och C saknar föregående prognos)", or ""."""
    if not coverage.partial:
        return ""
    lacking = f"; {_and(coverage.none)} saknar föregående prognos" if coverage.none else ""
    if coverage.left_out:
        lacking += f"; {_and(coverage.left_out)} ingår inte"
    return f" (delsumma: bara {_and(coverage.covered())}{lacking})"


def summary_note(coverage: Coverage) -> str:
    """The note under the key figures and the Per förvaltning table, or ""."""
    if not coverage.partial:
        return ""
    lacking = f" {_and(coverage.none)} saknar föregående prognos." if coverage.none else ""
    if coverage.left_out:
        lacking += f" {_and(coverage.left_out)} ingår inte i sammanställningen."
    return f"Föregående prognos och Prognosförändring är delsummor: de avser bara {_and(coverage.covered())}." + lacking


def change_subject(coverage: Coverage) -> tuple[str, str]:
    """For the sentence: whose forecast changed (" för A (5 av 6 verksamheter)") and who is not in it."""
    if not coverage.partial:
        return "", ""
    lacking = ""
    if coverage.none:
        lacking = f" {_and(coverage.none)} har ingen föregående prognos och ingår inte i jämförelsen."
    # A left-out unit is not named here: the sentence names whose change it is, and the text's notice says
    # what is left out (the text never speaks of a left-out nämnd beyond that notice).
    return f" för {_and(coverage.covered())}", lacking
