"""Plausibility: amounts that are legal but almost certainly a slip (domain.md, "Plausibility").

Each rule looks at one amount row as plain values – budget, utfall, prognos in tkr with the result
sign – and returns at most one `Varning` at the cell that holds the slip, never a `Fel`: the
controller may be right. They know nothing of the table they come from, so the same call serves
the template's Ekonomi and any other amount table (investeringar):

    amount_findings(file, sheet, "projekt P1", budget, actual, forecast,
                    {"budget": "C5", "actual": "D5", "forecast": "E5"}, settings)

Thresholds are the settings' (`plausibility_min_tkr`, `unit_slip_factor`, `deviation_share_percent`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from delar_xl.findings import Finding, Severity
from delar_xl.numbers import format_mnkr, format_number
from delar_xl.settings import Settings

CODE_SIGN = "rimlig-tecken"
CODE_UNIT = "rimlig-enhet"
CODE_PROPORTION = "rimlig-avvikelse"
CODE_ACTUAL = "rimlig-utfall"
CODES = (CODE_SIGN, CODE_UNIT, CODE_PROPORTION, CODE_ACTUAL)

# Words for the two amounts a budget is compared with, as a controller reads them.
_NAMES = {"actual": ("Utfallet", "utfallet"), "forecast": ("Prognosen", "prognosen")}
_TOLERANCE_TKR = 0.5  # half a tkr: rounding in the ekonomisystem's export is no slip


@dataclass(frozen=True)
class AmountRow:
    """One row of an amount table, plain values (tkr, result sign) and where they are."""

    file: str
    sheet: str
    label: str  # how the message names the row: "KLF-01", "projekt P1"
    budget: float | None
    actual: float | None
    forecast: float | None
    cells: Mapping[str, str]  # "budget", "actual", "forecast" → A1 address

    def at(self, key: str, code: str, message: str) -> Finding:
        return Finding(self.file, self.sheet, self.cells.get(key, ""), Severity.WARNING, code, message)


def _tkr(value: float, sign: bool = False) -> str:
    """Whole tkr as typed; a fraction (mnkr typed in a tkr column: 12,8) keeps its decimal."""
    return f"{format_number(value, 0 if float(value).is_integer() else 1, sign=sign)} tkr"


def _opposite(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and a * b < 0


def sign_slip(row: AmountRow, s: Settings) -> Finding | None:
    """Budget and prognos (else utfall) of opposite sign, the larger at or above the plausibility threshold
    and the smaller at or above the comment threshold."""
    for key in ("forecast", "actual"):
        value, budget = getattr(row, key), row.budget
        if value is None or budget is None or not _opposite(budget, value):
            continue
        larger, smaller = max(abs(budget), abs(value)), min(abs(budget), abs(value))
        if larger < s.plausibility_min_tkr or smaller < s.comment_threshold_tkr:
            continue
        kind = "kostnad skrivs negativ" if budget < 0 else "intäkt skrivs positiv"
        result = ""
        if key == "forecast":
            which = "överskott" if value > budget else "underskott"
            result = f" Avvikelsen blir då {format_mnkr(value - budget)} ({which})."
        return row.at(
            key,
            CODE_SIGN,
            f"{_NAMES[key][0]} för {row.label} har motsatt tecken mot budgeten (budget "
            f"{_tkr(budget, True)}, {_NAMES[key][1]} {_tkr(value, True)}).{result} "
            f"En {kind} (resultattecken); kontrollera tecknet.",
        )
    return None


def unit_slip(row: AmountRow, s: Settings) -> Finding | None:
    """A prognos (else utfall) about a thousand times smaller or larger than the budget: mnkr or kr typed in tkr."""
    if not row.budget:
        return None
    for key in ("forecast", "actual"):
        value = getattr(row, key)
        if not value or max(abs(row.budget), abs(value)) < s.plausibility_min_tkr:
            continue
        ratio = abs(value) / abs(row.budget)
        factor = format_number(s.unit_slip_factor, 0)
        if ratio * s.unit_slip_factor <= 1:
            return row.at(
                key,
                CODE_UNIT,
                f"{_NAMES[key][0]} för {row.label} ({_tkr(value)}) är mer än {factor} gånger mindre "
                f"än budgeten ({_tkr(row.budget)}). Beloppen skrivs i tkr: har den skrivits i mnkr? "
                f"{format_number(value, 1)} mnkr skrivs {_tkr(value * 1000)}.",
            )
        if ratio >= s.unit_slip_factor:
            return row.at(
                key,
                CODE_UNIT,
                f"{_NAMES[key][0]} för {row.label} ({_tkr(value)}) är mer än {factor} gånger budgeten "
                f"({_tkr(row.budget)}). Beloppen skrivs i tkr: har den skrivits i kronor? "
                f"{format_number(value, 0)} kr skrivs {_tkr(value / 1000)}.",
            )
    return None


def deviation_out_of_proportion(row: AmountRow, s: Settings) -> Finding | None:
    """|Avvikelse| over the share of |budget| and at or above the plausibility threshold. A row without
    budget (0: a new verksamhet) has nothing to be out of proportion with."""
    if not row.budget or row.forecast is None:
        return None
    deviation = row.forecast - row.budget
    if abs(deviation) < s.plausibility_min_tkr or abs(deviation) * 100 <= abs(row.budget) * s.deviation_share_percent:
        return None
    return row.at(
        "forecast",
        CODE_PROPORTION,
        f"Avvikelsen för {row.label} ({_tkr(deviation, True)}) är mer än "
        f"{format_number(s.deviation_share_percent, 0)} % av budgeten ({_tkr(row.budget)}), med prognosen "
        f"{_tkr(row.forecast)}. Kontrollera prognosen; stämmer den, förklara avvikelsen i Kommentar.",
    )


def actual_beyond_year(row: AmountRow, s: Settings) -> Finding | None:
    """For a cost row, the period's utfall already larger in magnitude than the full-year prognos."""
    if row.actual is None or row.forecast is None or row.actual >= 0 or row.forecast > 0:
        return None
    if (row.budget or row.forecast) >= 0:  # not a cost row
        return None
    if -row.actual <= -row.forecast + _TOLERANCE_TKR:
        return None
    return row.at(
        "actual",
        CODE_ACTUAL,
        f"Utfallet för perioden för {row.label} ({_tkr(row.actual)}) är redan större än prognosen för "
        f"helåret ({_tkr(row.forecast)}): kostnaden kan inte bli mindre under resten av året. "
        "Kontrollera prognosen och utfallet.",
    )


# A slip of sign or unit makes the deviation out of proportion too: one finding says it.
_SLIPS: tuple[Callable[[AmountRow, Settings], Finding | None], ...] = (sign_slip, unit_slip)


def row_findings(row: AmountRow, s: Settings) -> list[Finding]:
    """Every plausibility Varning for one row, at most one per cause: a slipped prognos is not
    compared with the budget or the utfall again, a slipped utfall not with the prognos."""
    slip = next((f for rule in _SLIPS if (f := rule(row, s)) is not None), None)
    if slip is not None and slip.cell == row.cells.get("forecast"):
        return [slip]
    found = [slip] if slip is not None else []
    found += [f for f in (deviation_out_of_proportion(row, s),) if f is not None]
    if slip is None:
        found += [f for f in (actual_beyond_year(row, s),) if f is not None]
    return found


def amount_findings(
    file: str,
    sheet: str,
    label: str,
    budget: float | None,
    actual: float | None,
    forecast: float | None,
    cells: Mapping[str, str],
    settings: Settings,
) -> list[Finding]:
    """The one call for any amount table: plain values of one row and the cells they are in."""
    return row_findings(AmountRow(file, sheet, label, budget, actual, forecast, cells), settings)
