"""Årets resultat and the balanskrav (contract §9): the nämnder's totals plus the finansförvaltning's posts.

The nämnder's summaries give Verksamhetens nettokostnad (their Budget and Prognos helår, mnkr);
the finansförvaltning's template gives skatteintäkter, statsbidrag, finansnetto, gemensamma poster
(tkr) and the balanskrav adjustments. All arithmetic is with the result sign and unrounded, exactly
as §9 writes it:

    Årets resultat       = Verksamhetens nettokostnad + Σ Finans posts
    Balanskravsresultat  = Årets resultat + Σ Balanskrav posts
    ResultatAndelProcent = Årets resultat (prognos) ÷ (SKATT + STATSBIDRAG, prognos) × 100

An empty amount counts as 0 (the rules already insist on SKATT and STATSBIDRAG). Amounts here are
mnkr, as everywhere in the kommun summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from delar_xl.finans import declaration as F
from delar_xl.finans.model import Finans
from delar_xl.numbers import is_negative_mnkr

NET_COST = "Verksamhetens nettokostnad"
ANNUAL_RESULT = "Årets resultat"
BALANCE_RESULT = "Balanskravsresultat"


@dataclass(frozen=True)
class ForecastLine:
    """One row of the Resultatprognos table (mnkr, unrounded). None: the cell was empty (shown "–", counted 0)."""

    post: str
    budget: float | None
    forecast: float | None

    @property
    def deviation(self) -> float | None:
        if self.budget is None and self.forecast is None:
            return None
        return (self.forecast or 0.0) - (self.budget or 0.0)


@dataclass(frozen=True)
class AnnualResult:
    """The kommun's resultatprognos and balanskravsutredning."""

    lines: tuple[ForecastLine, ...]  # Verksamhetens nettokostnad, each Finans post, Årets resultat
    balance_lines: tuple[tuple[str, float | None], ...]  # Årets resultat, each Balanskrav post, Balanskravsresultat
    tax_forecast: float  # SKATT + STATSBIDRAG, prognos (mnkr)
    goal_percent: float | None  # the finansiella målet (ResultatmalProcent), None when not given

    @property
    def budget(self) -> float:
        return self.lines[-1].budget or 0.0

    @property
    def forecast(self) -> float:
        return self.lines[-1].forecast or 0.0

    @property
    def deviation(self) -> float:
        return self.forecast - self.budget

    @property
    def balance(self) -> float:
        return self.balance_lines[-1][1] or 0.0

    @property
    def balance_negative(self) -> bool:
        """The balanskravsresultat is negative, however small: KL 11 kap. 12 § knows no rounding, so −40 tkr must be
        restored too (it is shown as "−0,0 mnkr", which the legend allows for an amount under 0,1). Half a tkr, the
        inputs' own unit, absorbs floating-point noise. The text, the Förslag till beslut, the terminal and the
        e-mail all decide with this."""
        return is_negative_mnkr(self.balance)

    def rounding_notes(self) -> list[tuple[str, float, float]]:
        """(what, the rounded rows' sum, the total) where the one-decimal rows do not add up to the shown total."""
        from delar_xl.numbers import rounded_sum_differs

        out = []
        for what, values, total in (
            ("Resultatprognos, budget helår", [line.budget or 0.0 for line in self.lines[:-1]], self.budget),
            ("Resultatprognos, prognos helår", [line.forecast or 0.0 for line in self.lines[:-1]], self.forecast),
            ("Balanskravsutredning", [amount or 0.0 for _, amount in self.balance_lines[:-1]], self.balance),
        ):
            rounded = rounded_sum_differs(values, total)
            if rounded is not None:
                out.append((what, rounded, total))
        return out

    @property
    def share_percent(self) -> float | None:
        """Årets resultat in percent of skatteintäkter and generella statsbidrag (prognos); None without them."""
        if not self.tax_forecast:
            return None
        return self.forecast / self.tax_forecast * 100.0

    @property
    def goal_reached(self) -> bool | None:
        if self.goal_percent is None or self.share_percent is None:
            return None
        return self.share_percent >= self.goal_percent


def _mnkr(tkr: float | None) -> float | None:
    return None if tkr is None else tkr / 1000.0


def annual_result(net_cost_budget: float, net_cost_forecast: float, finans: Finans) -> AnnualResult:
    """Årets resultat and the balanskrav from the nämnder's totals (mnkr) and the finansförvaltning's posts (tkr).

    The posts are taken by id in their declared order; a post the template lacks counts as 0
    (the rules have said so as a Fel, which keeps such a template out in the first place).
    """
    lines = [ForecastLine(NET_COST, net_cost_budget, net_cost_forecast)]
    for post in F.FINANS_POSTS:
        row = finans.finans_row(post.post_id)
        lines.append(ForecastLine(post.name, _mnkr(row.budget if row else None), _mnkr(row.forecast if row else None)))
    lines.append(
        ForecastLine(
            ANNUAL_RESULT, sum(line.budget or 0.0 for line in lines), sum(line.forecast or 0.0 for line in lines)
        )
    )
    result = lines[-1].forecast
    balance: list[tuple[str, float | None]] = [(ANNUAL_RESULT, result)]
    for post in F.BALANSKRAV_POSTS:
        adjustment = finans.balanskrav_row(post.post_id)
        balance.append((post.name, _mnkr(adjustment.forecast if adjustment else None)))
    balance.append((BALANCE_RESULT, sum(amount or 0.0 for _, amount in balance)))
    tax = sum(_mnkr(r.forecast) or 0.0 for r in finans.finans if r.post_id in F.TAX_POSTS)
    return AnnualResult(tuple(lines), tuple(balance), tax, finans.resultatmal_procent)


__all__ = ["ANNUAL_RESULT", "BALANCE_RESULT", "NET_COST", "AnnualResult", "ForecastLine", "annual_result"]
