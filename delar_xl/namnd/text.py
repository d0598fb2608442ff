"""The proposed tjänsteskrivelse text, in the style of kommunstyrelsen's delårsrapport 2021.

Numbers follow Swedish style (words.py): small counts in words ("Åtta nämndmål …", "tio bedöms …"),
larger ones in digits, never a digit starting a sentence; amounts as "12,8 mnkr".
"""

from __future__ import annotations

from collections import defaultdict

from delar_xl.namnd.coverage import change_subject, previous_coverage
from delar_xl.namnd.result import GoalCounted, Reported, Result, Unit
from delar_xl.numbers import MINUS, format_mnkr, format_number, rounded_sum_differs
from delar_xl.template import declaration as T
from delar_xl.template.model import IndicatorRow
from delar_xl.words import (
    count_word,
    join_and,
    owner,
    period_phrase,
    quoted,
    sentence_start,
)


def title(result: Reported) -> str:
    year = result.periodslut.year if result.periodslut else ""
    if result.rapport == "Verksamhetsberättelse":
        return f"Verksamhetsberättelse för {result.namnd.lower() or 'nämnden'} {year}"
    return (
        f"{result.rapport} för {result.namnd.lower() or 'nämnden'} {period_phrase(result.periodslut)} "
        f"med prognos för helår {year}"
    )


# Goals ---------------------------------------------------------------------------------


def goals_paragraph(result: Result) -> str:
    counts = result.goal_counts()
    total = sum(counts.values())
    who = owner(result.namnd)
    if total == 0:
        return f"Det finns inga nämndmål att bedöma i {who} underlag för perioden."
    return " ".join(
        filter(None, [development_sentence(counts, who), assessment_sentence(counts), *not_assessed_sentences(result)])
    )


def development_sentence(counts: dict[str, int], who: str) -> str:
    """ "Utveckling sker inom kommunstyrelsens samtliga arton nämndmål för budgetåret." – "samtliga" only when
    every goal is reached at least in part, else "inom femton av … arton", or nothing when none is: the prose
    follows the assessments (both levels; `who` is the owner in the genitive, "nämndernas" one level up)."""
    total = sum(counts.values())
    developing = counts.get(T.GOAL_FULL, 0) + counts.get(T.GOAL_PARTIAL, 0)
    if developing < total:
        if not developing:
            return ""
        limit = of_limit(total)
        return (
            f"Utveckling sker inom {count_word(developing, limit)} av {who} {count_word(total, limit)} "
            "nämndmål för budgetåret."
        )
    if total == 1:
        return f"Utveckling sker inom {who} nämndmål för budgetåret."
    if total == 2:
        return f"Utveckling sker inom {who} båda nämndmål för budgetåret."
    return f"Utveckling sker inom {who} samtliga {count_word(total)} nämndmål för budgetåret."


def of_limit(total: int) -> int:
    """The count_word limit for "X av Y": both in words when Y has a word (up to twenty), else both in
    digits, never "Tio av 23"."""
    return 20 if total <= 20 else -1


def not_assessed_sentences(result: Result) -> list[str]:
    """Each Ej bedömt goal by name with the reason its förvaltning gives (the Analys of that row)."""
    out = []
    for goal in result.goals:
        if goal.assessment != T.GOAL_NOT_ASSESSED:
            continue
        name = quoted(goal.goal or goal.goal_id)
        if not goal.sources:
            out.append(f"{name} har inte bedömts av någon förvaltning.")
            continue
        reasons = not_assessed_reasons(result, goal.goal_id)
        if reasons:
            out.append(f"{name} har inte bedömts. " + " ".join(as_sentence(r) for r in reasons))
        else:
            out.append(f"{name} har inte bedömts, och inget skäl har angetts.")
    return out


def not_assessed_reasons(result: Result, goal_id: str) -> list[str]:
    """The reasons (Analys) given for `goal_id` on rows assessed Ej bedömt, each once, in report order."""
    reasons: list[str] = []
    for unit in result.included:
        for row in unit.template.goals if unit.template else []:
            text = row.analysis.strip()
            if (
                row.goal_id.casefold() == goal_id.casefold()
                and row.assessment == T.GOAL_NOT_ASSESSED
                and text
                and text not in reasons
            ):
                reasons.append(text)
    return reasons


def as_sentence(text: str) -> str:
    """User text as a sentence: a capital first and a full stop last, nothing else changed."""
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?" else text + "."


def assessment_sentence(counts: dict[str, int]) -> str:
    """ "Åtta nämndmål bedöms uppnås helt och tio bedöms uppnås delvis per helår." (and the other cases)."""
    phrases = []
    for status, verb in (
        (T.GOAL_FULL, "uppnås helt"),
        (T.GOAL_PARTIAL, "uppnås delvis"),
        (T.GOAL_NOT, "inte uppnås"),
    ):
        n = counts.get(status, 0)
        if n:
            phrases.append((n, verb))
    parts = []
    # One way for every count of the sentence: words while all have one (up to twelve), else digits,
    # and then the sentence opens without a digit ("Av nämndmålen bedöms 8 uppnås helt och 13 …").
    in_words = len(phrases) == 1 or all(n <= 12 for n, _ in phrases)
    for i, (n, verb) in enumerate(phrases):
        if i == 0 and in_words:
            parts.append(f"{sentence_start(n)} nämndmål bedöms {verb}")
        elif i == 0:
            parts.append(f"Av nämndmålen bedöms {n} {verb}")
        else:
            parts.append(f"{count_word(n, 12 if in_words else -1)} bedöms {verb}")
    text = join_and(parts) + " per helår." if parts else ""
    not_assessed = counts.get(T.GOAL_NOT_ASSESSED, 0)
    if not_assessed:
        verb = "har inte bedömts" if not_assessed > 1 else "har inte bedömts"
        extra = f"{sentence_start(not_assessed)} nämndmål {verb} (Ej bedömt)."
        text = f"{text} {extra}".strip()
    return text


def goals_of_total_sentence(result: GoalCounted) -> str:
    """ "Åtta av arton nämndmål bedöms uppnås per helår, tio bedöms delvis uppnås."."""
    counts = result.goal_counts()
    total = sum(counts.values())
    if total == 0:
        return ""
    full, partial = counts[T.GOAL_FULL], counts[T.GOAL_PARTIAL]
    limit = of_limit(total)  # one way for every count of the sentence: "Åtta av arton", "Av 23 … 10"
    if full and limit > 0:
        text = f"{sentence_start(full)} av {count_word(total, limit)} nämndmål bedöms uppnås per helår"
    elif full:
        text = f"Av {total} nämndmål bedöms {full} uppnås per helår"
    else:
        text = f"Inget av {count_word(total, limit)} nämndmål bedöms uppnås helt per helår"
    rest = []
    if partial:
        rest.append(f"{count_word(partial, limit)} bedöms delvis uppnås")
    if counts[T.GOAL_NOT]:
        rest.append(f"{count_word(counts[T.GOAL_NOT], limit)} bedöms inte uppnås")
    if counts[T.GOAL_NOT_ASSESSED]:
        rest.append(f"{count_word(counts[T.GOAL_NOT_ASSESSED], limit)} har inte bedömts")
    separator = ", " if full else "; "
    return text + (separator + join_and(rest) if rest else "") + "."


# Assignments ---------------------------------------------------------------------------------


def assignments_paragraph(result: Result) -> str:
    counts = result.assignment_counts()
    # AntalUppdrag counts the plan's assignments that no included template reports: so does the text
    unreported = len(getattr(result, "unreported", []))
    total = sum(counts.values()) + unreported
    who = owner(result.namnd)
    if total == 0:
        return f"Det finns inga strategiska utvecklingsuppdrag i {who} underlag för perioden."
    done = counts[T.DONE] + counts[T.DOING]
    noun = "strategiska utvecklingsuppdrag"
    if total == 1:
        negation = "" if done else "inte "
        first = f"{who[0].upper() + who[1:]} enda {noun} kommer {negation}att vara verkställt vid årets slut."
    elif done:
        plural = "verkställda" if done != 1 else "verkställt"
        limit = 12 if total <= 12 else -1  # "Av … 18 … kommer 15" or "Av … tio … kommer åtta", never mixed
        first = (
            f"Av {who} {count_word(total, limit)} {noun} kommer {count_word(done, limit)} uppdrag att vara "
            f"{plural} vid årets slut."
        )
    else:
        first = f"Inget av {who} {count_word(total)} {noun} kommer att vara verkställt vid årets slut."
    sentences = [first]
    sentences.extend(_postponed_sentences(result))
    sentences.extend(_cancelled_sentences(result))
    if unreported:
        sentences.append(f"{sentence_start(unreported)} uppdrag har inte rapporterats i någon av de mallar som ingår.")
    return " ".join(sentences)


def _postponed_sentences(result: Result) -> list[str]:
    by_year: dict[int | None, list[str]] = defaultdict(list)
    for a in result.postponed:
        by_year[a.new_year].append(a.assignment or a.assignment_id)
    sentences = []
    for year in sorted(by_year, key=lambda y: (y is None, y or 0)):
        names = by_year[year]
        n = len(names)
        when = f"till {year}" if year else "till ett senare år"
        sentences.append(f"{sentence_start(n)} uppdrag förskjuts {when}.")
        lead = "Dessa är" if n > 1 else "Det är"
        sentences.append(f"{lead} {join_and([quoted(x) for x in names])}.")
    return sentences


def _cancelled_sentences(result: Result) -> list[str]:
    names = [a.assignment or a.assignment_id for a in result.assignments if a.status == T.CANCELLED]
    if not names:
        return []
    n = len(names)
    lead = "Dessa är" if n > 1 else "Det är"
    return [f"{sentence_start(n)} uppdrag avbryts.", f"{lead} {join_and([quoted(x) for x in names])}."]


# Economy ---------------------------------------------------------------------------------


def result_phrase(unit: Unit) -> str:
    """ "Leanlink redovisar ett överskott med 22,1 mnkr"."""
    deviation = unit.template.deviation if unit.template else 0.0
    amount = format_mnkr(abs(deviation), sign=False)
    if amount.startswith("0,0"):
        return f"{unit.name} redovisar ett resultat i nivå med budget"
    kind = "överskott" if deviation > 0 else "underskott"
    return f"{unit.name} redovisar ett {kind} med {amount}"


def economy_paragraph(result: Result) -> str:
    units = result.included
    if not units:
        return "Ingen förvaltnings ekonomiska helårsbedömning kunde tas med."
    who = owner(result.namnd)
    phrases = [result_phrase(u) for u in units]
    lead = (
        f"Den ekonomiska helårsbedömningen för {who[:-1] if who.endswith('s') else who} uppdelat på förvaltning är att "
    )
    if len(units) == 1:
        lead = f"Den ekonomiska helårsbedömningen för {who[:-1] if who.endswith('s') else who} är att "
    text = lead + join_and(phrases) + "."
    if len(units) > 1:
        # in running text the sign sits on the number ("+43,1 mnkr"); only the list spaces it
        text += f" Sammantaget är avvikelsen mot budget {format_mnkr(result.deviation)}."
    return " ".join([text, *measures_sentences(result)])


def measures_sentences(result: Result) -> list[str]:
    """For each förvaltning with an underskott, the åtgärder it gives (the Åtgärder of its rows with an
    underskott), or that it gives none: an underskott is never reported without them."""
    out = []
    for unit in result.included:
        template = unit.template
        if template is None or not format_mnkr(template.deviation).startswith(MINUS):
            continue
        measures: list[str] = []
        for row in template.economy:
            text = getattr(row, "measures", "").strip()
            if row.deviation is not None and row.deviation < 0 and text and text not in measures:
                measures.append(text)
        if measures:
            out.append(
                f"{unit.name} möter underskottet med följande åtgärder: " + " ".join(as_sentence(m) for m in measures)
            )
        else:
            out.append(f"{unit.name} har inte angett någon åtgärd för underskottet.")
    return out


def signed_mnkr(tkr: float | None) -> str:
    """A deviation as the reference's list writes it, "+ 12,8 mnkr" / "− 3,4 mnkr" (running text uses format_mnkr:
    "+12,8 mnkr")."""
    text = format_mnkr(tkr)
    if text[0] in "+" + MINUS:
        return f"{text[0]} {text[1:]}"
    return text


def economy_rows(result: Result) -> list[tuple[str, float]]:
    """(förvaltning, avvikelse helår in tkr, unrounded), one per included förvaltning."""
    return [(u.name, u.template.deviation) for u in result.included if u.template]


def economy_rounding_note(result: Result) -> str:
    """A sentence when the rounded lines do not add up to the rounded total, else ""."""
    rows = economy_rows(result)
    if len(rows) > 1 and rounded_sum_differs([tkr / 1000 for _, tkr in rows], result.deviation / 1000) is not None:
        return (
            f"Beloppen är avrundade var för sig; summan av raderna avviker därför från totalen "
            f"{format_mnkr(result.deviation)}."
        )
    return ""


def economy_list(result: Result) -> list[str]:
    """ "- Kommunledningsförvaltningen  + 12,8 mnkr", one line per included förvaltning.

    When the rounded lines do not add up to the rounded total, a last line says so: nothing is
    adjusted to make them fit.
    """
    lines = [f"- {name}  {signed_mnkr(tkr)}" for name, tkr in economy_rows(result)]
    note = economy_rounding_note(result)
    return lines + [note] if note else lines


# MBL and the rest ---------------------------------------------------------------------------


def mbl_sentence(result: Result) -> str:
    if not any(u.template for u in result.included):
        # Never an empty section: say that the information is missing, and why.
        return (
            "Uppgift om information enligt MBL § 19 saknas: ingen förvaltnings mall har tagits med i sammanställningen."
        )
    with_date = [u for u in result.included if u.template and u.template.meta.mbl_datum]
    missing = [u for u in result.included if u.template and not u.template.meta.mbl_datum]
    parts = []
    for i, unit in enumerate(with_date):
        preposition = "vid" if i == 0 else "inom"
        day = unit.template.meta.mbl_datum if unit.template else None
        parts.append(f"{preposition} {unit.name} den {day.isoformat() if day else ''}")
    text = f"Information enligt MBL § 19 genomfördes {join_and(parts)}." if parts else ""
    if missing:
        names = join_and([u.name for u in missing])
        text += f" Datum för information enligt MBL § 19 saknas för {names}."
    return text.strip()


def forecast_change_sentence(result: Result) -> str:
    """The change since the previous report's forecast, when the templates have one (contract §4)."""
    change = result.forecast_change
    if change is None:
        return ""
    if round(change / 1000.0, 1) == 0:
        whose, lacking = change_subject(previous_coverage(result))
        return f"Helårsprognosen{whose} är i stort sett oförändrad jämfört med föregående prognos.{lacking}"
    whose, lacking = change_subject(previous_coverage(result))
    word = "förbättrats" if change > 0 else "försämrats"
    return (
        f"Jämfört med föregående prognos har helårsprognosen{whose} {word} med "
        f"{format_mnkr(abs(change), sign=False)}.{lacking}"
    )


def incomplete_notice(result: Result) -> str:
    from delar_xl.namnd.declaration import STATUS_SKIPPED

    left_out = [u for u in result.units if not u.included and u.status != STATUS_SKIPPED]
    if not left_out and not result.missing:
        return ""
    names = join_and(
        [f"{u.name} ({u.status.split(': ', 1)[-1]})" for u in left_out]
        + [f"{u.forvaltning} (har inte lämnat in)" for u in result.missing]
    )
    return (
        f"OBS! Sammanställningen är ofullständig. {names} "
        "har inte tagits med i summorna. "
        "Rätta mallarna och konsolidera på nytt innan texten används."
    )


def gender_paragraph(result: Result) -> str:
    """The Jämställdhet paragraph: it claims gender-split reporting only when some indicator has
    Kvinnor and Män, and says plainly when none has."""
    who = owner(result.namnd)
    principle = "Uppföljning och utvärdering av resultatet ska bidra till en jämställd styrning och ledning."
    indicators = _distinct_indicators(result)
    split = [i for i in indicators if i.women is not None and i.men is not None]
    if split:
        return (
            f"I delårsrapporten har {who} nämndindikatorer, där det är möjligt, redovisats könsuppdelat för "
            f"att säkerställa att resurserna används på ett sätt som bidrar till jämställdhet. {principle}"
        )
    if not indicators:
        return f"I underlaget till delårsrapporten redovisas inga nämndindikatorer. {principle}"
    if len(indicators) == 1:
        first = f"{who[0].upper() + who[1:]} enda nämndindikator i underlaget har inte redovisats könsuppdelad."
    else:
        first = (
            f"Ingen av {who} {count_word(len(indicators))} nämndindikatorer i underlaget har redovisats könsuppdelad."
        )
    return f"{first} {principle}"


def _distinct_indicators(result: Result) -> list[IndicatorRow]:
    """Indicators of the included templates, one per Indikator-id (split if any förvaltning split it)."""
    seen: dict[str, IndicatorRow] = {}
    for unit in result.included:
        for row in unit.template.indicators if unit.template else []:
            key = row.indicator_id or row.indicator
            known = seen.get(key)
            if known is None or (row.women is not None and row.men is not None):
                seen[key] = row
    return list(seen.values())


def sources_lines(result: Result) -> list[str]:
    return [f"- {u.file}" for u in result.included]


# Investeringar and personal (contract §7) ---------------------------------------------------


def investment_sentence_of(
    budget_tkr: float, forecast_tkr: float, largest: tuple[str, str, float] | None = None
) -> str:
    """One sentence on the investeringar: budget, prognos and avvikelse in mnkr, and the project
    that deviates most (`largest`: project, förvaltning or nämnd, avvikelse in tkr).

    Amounts carry the result sign: net utgifter are negative and are told as their size ("en
    budget på 45,0 mnkr"); a positive avvikelse is a lower net utgift than budgeted."""
    deviation = forecast_tkr - budget_tkr
    if budget_tkr <= 0 and forecast_tkr <= 0:
        text = (
            f"Nettoinvesteringarna beräknas till {format_mnkr(-forecast_tkr, sign=False)} för helåret mot en "
            f"budget på {format_mnkr(-budget_tkr, sign=False)}, en avvikelse på {format_mnkr(deviation)}"
        )
    else:  # net inkomster (investeringsbidrag larger than utgifter): the signed amounts say it
        text = (
            f"Investeringarnas netto beräknas till {format_mnkr(forecast_tkr)} för helåret mot en budget på "
            f"{format_mnkr(budget_tkr)}, en avvikelse på {format_mnkr(deviation)}"
        )
    if largest is not None and round(largest[2] / 1000.0, 1) != 0:
        project, where, amount = largest
        text += f"; störst avvikelse har {quoted(project)} inom {where} ({format_mnkr(amount)})"
    return text + "."


def sick_leave_sentence_of(rows: list[tuple[str, float, float]]) -> str:
    """ "Sjukfrånvaron var 8,4 % för kvinnor och 5,1 % för män inom A, …" from (where, women %, men %);
    "" when no förvaltning gave both figures."""
    if not rows:
        return ""
    if len(rows) == 1:
        where, women, men = rows[0]
        return (
            f"Sjukfrånvaron, som andel av ordinarie arbetstid, var {_percent(women)} för kvinnor och "
            f"{_percent(men)} för män inom {where}."
        )
    parts = [f"{_percent(women)} och {_percent(men)} inom {where}" for where, women, men in rows]
    return f"Sjukfrånvaron, som andel av ordinarie arbetstid, var för kvinnor respektive män {join_and(parts)}."


def _percent(value: float) -> str:
    return f"{format_number(value, 1)} %"


def largest_investment_deviation(result: Result) -> tuple[str, str, float] | None:
    """(projekt, förvaltning, avvikelse tkr) of the included project whose avvikelse is largest in size."""
    best: tuple[str, str, float] | None = None
    for unit in result.included:
        for row in unit.model.investments:
            if row.deviation is not None and (best is None or abs(row.deviation) > abs(best[2])):
                best = (row.project or row.project_id, unit.name, row.deviation)
    return best


def investment_sentence(result: Result) -> str:
    """The investeringar in one sentence; "" when no included template reports a project."""
    if not result.has_investments:
        return ""
    return investment_sentence_of(
        result.investment_budget, result.investment_forecast, largest_investment_deviation(result)
    )


def is_sick_leave(key_figure_id: str, key_figure: str) -> bool:
    """The sjukfrånvaro nyckeltal: P02 of the default set, or one named so (not its "varav" part)."""
    return key_figure_id.strip().casefold() == T.SICK_LEAVE_ID.casefold() or key_figure.strip().casefold().startswith(
        "sjukfrånvaro"
    )


def sick_leave_rows(result: Result) -> list[tuple[str, float, float]]:
    """(förvaltning, kvinnor %, män %) of each included template that reports sjukfrånvaro by gender."""
    rows = []
    for unit in result.included:
        for row in unit.model.personnel:
            if is_sick_leave(row.key_figure_id, row.key_figure) and row.women is not None and row.men is not None:
                rows.append((unit.name, row.women, row.men))
                break
    return rows


def sick_leave_sentence(result: Result) -> str:
    return sick_leave_sentence_of(sick_leave_rows(result))
