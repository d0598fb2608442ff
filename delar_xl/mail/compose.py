"""Composing the summary's email: the Swedish subject and body around the file's unchanged bytes."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from delar_xl.mail.headline import Headline, one_line, read_headline, read_summary_bytes
from delar_xl.mail.message import Mail
from delar_xl.numbers import format_mnkr, format_number, is_negative_mnkr, rounded_sum_differs
from delar_xl.words import lower_name, swedish_date


def subject_for(headline: Headline) -> str:
    """ "Delårsrapport per den 31 augusti 2021 – Kommunstyrelsen"."""
    subject = one_line(headline.report) or "Delårsrapport"
    if headline.period_end is not None:
        subject += f" per den {swedish_date(headline.period_end)}"
    if headline.board:
        subject += f" – {one_line(headline.board)}"
    return subject


def body_for(headline: Headline, attachment_name: str) -> str:
    """The short Swedish body: deviations per förvaltning and in total, counts, findings."""
    lines = ["Hej!", "", _intro(headline, attachment_name), ""]
    if headline.errors:
        lines += [_errors_notice(headline.errors, headline.parts), ""]
    if headline.missing:
        lines += [_missing_notice(headline), ""]
    lines += _economy_lines(headline)
    lines += _report_lines(headline)
    lines += _count_lines(headline)
    lines += ["", "Meddelandet är skapat av delar_xl."]
    return "\n".join(lines) + "\n"


def compose(summary: Path, to: Sequence[str], sender: str | None) -> tuple[Mail, Headline]:
    """Read the summary once and build the message around exactly those bytes."""
    summary = Path(summary)
    data = read_summary_bytes(summary)
    headline = read_headline(data)
    name = unicodedata.normalize("NFC", summary.name)
    mail = Mail(
        subject=subject_for(headline),
        body=body_for(headline, name),
        to=tuple(to),
        sender=sender,
        attachment_name=name,
        attachment=data,
        attachment_path=summary.resolve(),
    )
    return mail, headline


def _intro(headline: Headline, attachment_name: str) -> str:
    report = one_line(headline.report).lower() or "delårsrapport"
    text = f"Bifogat finns sammanställningen av {report}{'n' if report.endswith('e') else 'en'}"
    if headline.board:
        text += f" för {lower_name(one_line(headline.board))}"
    if headline.period_end is not None:
        text += f" per den {swedish_date(headline.period_end)}"
    return text + f" ({attachment_name})."


def _errors_notice(errors: int, parts: str = "förvaltningar") -> str:
    found = "ett fel" if errors == 1 else f"{errors} fel"
    return (
        f"OBS! Kontrollen hittade {found} (se bladet Kontroll). {parts.capitalize()} med fel ingår inte "
        "i totalerna, som därför är ofullständiga. Sammanställningen skickas ändå, på avsändarens begäran."
    )


def _missing_notice(headline: Headline) -> str:
    """An incomplete summary says so before its totals, as its banner does:
    "OBS! 1 av 3 förvaltningar har inte lämnat in (Leanlink). Totalerna är därför ofullständiga."."""
    names = list(headline.missing)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
    who = f"{len(names)} av {headline.expected} förvaltningar" if headline.expected else listed
    which = f" ({listed})" if headline.expected else ""
    return f"OBS! {who} har inte lämnat in{which}. Totalerna är därför ofullständiga."


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def _economy_lines(headline: Headline) -> list[str]:
    if not headline.units and headline.deviation_total_mnkr is None:
        return []
    lines = ["Prognos för helåret, avvikelse mot budget:"]
    for unit in headline.units:
        line = f"- {unit.name}: {_deviation_text(unit.deviation_mnkr)}"
        # an incomplete nämnd in the kommun's summary says so on its line even without a Fel
        if unit.status and (headline.errors or "ofullständig" in unit.status):
            line += f" – {unit.status}"
        lines.append(line)
    # at the kommun level the sum is the nämnder's deviation, never the kommun's result (contract §9)
    label = "Nämndernas budgetavvikelse" if headline.kommun_level else "Totalt"
    total = f"{label}, utan {headline.parts} med fel" if headline.errors else label
    if headline.missing:  # the total rests on part of the förvaltningar: say whose is not in it
        total += f"{' och' if headline.errors else ','} utan {_listed(list(headline.missing))}"
    lines.append(f"- {total}: {_deviation_text(headline.deviation_total_mnkr)}")
    if not headline.errors and _rounding_differs(headline):
        lines.append("Beloppen är avrundade var för sig och summerar därför inte exakt till totalen.")
    if headline.kommun_level:
        lines += [""] + _annual_lines(headline)
    return lines + [""]


def _report_lines(headline: Headline) -> list[str]:
    """Investeringar and sjukfrånvaro in a sentence each (contract §7), as the summary's text says them;
    nothing when the summary has neither."""
    from delar_xl.namnd.text import investment_sentence_of, sick_leave_sentence_of

    lines = []
    budget, forecast = headline.investment_budget_mnkr, headline.investment_forecast_mnkr
    if budget is not None and forecast is not None and headline.largest_project is not None:
        lines.append(investment_sentence_of(budget * 1000.0, forecast * 1000.0, headline.largest_project))
    sick = sick_leave_sentence_of(list(headline.sick_leave))
    if sick:
        lines.append(sick)
    return lines + [""] if lines else []


def _annual_lines(headline: Headline) -> list[str]:
    """Årets resultat, the balanskravsresultat and the finansiella målet, or that they are missing."""
    h = headline
    if h.result_forecast_mnkr is None:
        return [
            (
                "Årets resultat och balanskravsresultatet redovisas inte: finansförvaltningens underlag ingår inte i "
                "sammanställningen."
            )
        ]
    lines = [
        f"Årets resultat, prognos: {format_mnkr(h.result_forecast_mnkr * 1000.0)}"
        + (f" (budget {format_mnkr(h.result_budget_mnkr * 1000.0)})." if h.result_budget_mnkr is not None else ".")
    ]
    if h.balance_mnkr is not None:
        negative = is_negative_mnkr(h.balance_mnkr)
        lines.append(
            f"Balanskravsresultat, prognos: {format_mnkr(h.balance_mnkr * 1000.0)}"
            + (" – negativt: ska återställas inom tre år (KL 11 kap. 12 §)." if negative else ".")
        )
    if h.goal_reached and h.goal_percent is not None:
        share = (
            f" (årets resultat {format_number(h.result_share_percent, 1)} %)"
            if h.result_share_percent is not None
            else ""
        )
        verdict = "uppnås" if h.goal_reached == "Ja" else "uppnås inte"
        lines.append(
            f"Finansiellt mål, {format_number(h.goal_percent, 1)} % av skatteintäkter och generella "
            f"statsbidrag: {verdict}{share}."
        )
    return lines


def _deviation_text(mnkr: float | None) -> str:
    if mnkr is None:
        return "–"
    text = format_mnkr(mnkr * 1000.0)
    rounded = round(mnkr, 1)
    if rounded > 0:
        return f"{text} (överskott)"
    if rounded < 0:
        return f"{text} (underskott)"
    return text


def _rounding_differs(headline: Headline) -> bool:
    values = [u.deviation_mnkr for u in headline.units if u.deviation_mnkr is not None]
    if headline.deviation_total_mnkr is None or not values or len(values) < len(headline.units):
        return False
    return rounded_sum_differs(values, headline.deviation_total_mnkr) is not None


def _count_lines(headline: Headline) -> list[str]:
    h = headline
    lines = []
    if h.goals is not None:
        lines.append(
            f"Nämndmål: {h.goals} (uppnås helt {_n(h.goals_full)}, delvis {_n(h.goals_partly)}, "
            f"inte {_n(h.goals_not)}, ej bedömt {_n(h.goals_unassessed)})."
        )
    if h.assignments is not None:
        lines.append(
            # UppdragVerkstalls is Verkställt + Verkställs under året: done by the end of the year
            f"Strategiska uppdrag: {h.assignments} (verkställs vid årets slut {_n(h.assignments_done)}, "
            f"förskjuts {_n(h.assignments_postponed)}, avbryts {_n(h.assignments_cancelled)}"
            + (f", ej rapporterade {h.assignments_unreported})." if h.assignments_unreported else ").")
        )
    errors = "ett fel" if h.errors == 1 else f"{h.errors} fel"
    warnings = "en varning" if h.warnings == 1 else f"{h.warnings} varningar"
    lines.append(f"Kontroll: {errors} och {warnings}.")
    return lines


def _n(value: int | None) -> str:
    return "–" if value is None else str(value)
