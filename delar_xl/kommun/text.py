"""The proposed tjänsteskrivelse at the kommun level: the same style as text.py, speaking of nämnder.

"Nämndernas ekonomiska helårsbedömning är att …" (nämndernas budgetavvikelse), årets resultat and the
balanskrav from the finansförvaltning's template (contract §9), the goal counts per
nämnd and the postponed assignments per nämnd. The phrasing helpers of text.py (counts in words,
quotation marks, signed mnkr) are reused; this module only knows what the kommun level adds.
`kommun_document` builds document.py's block model (contract §5's sections), so the Text sheet,
the terminal and the Word document (kommun/word.py) render one and the same text.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from delar_xl.kommun.annual_result import AnnualResult
from delar_xl.kommun.coverage import previous_coverage
from delar_xl.kommun.result import KOMMUN_NAME, KommunResult, NamndUnit
from delar_xl.namnd import document as D
from delar_xl.namnd.coverage import change_subject
from delar_xl.namnd.decision import definite
from delar_xl.namnd.declaration import (
    ANTAL_UPPDRAG,
    UPPDRAG_EJ_RAPPORTERADE,
    UPPDRAG_VERKSTALLS,
)
from delar_xl.namnd.text import as_sentence, assessment_sentence, development_sentence, goals_of_total_sentence
from delar_xl.numbers import format_mnkr, format_number, rounded_sum_differs
from delar_xl.template import declaration as T
from delar_xl.words import count_word, genitive, join_and, lower_name, period_phrase, quoted, sentence_start


def _tkr(mnkr: float) -> float:
    return mnkr * 1000.0


def kommun_name(result: KommunResult, inside: bool = True) -> str:
    """The kommun's name (contract §9); the fallback "Kommunen" is a common noun: "kommunen" inside a sentence."""
    if result.namnd == KOMMUN_NAME and inside:
        return KOMMUN_NAME.lower()
    return result.namnd


def title(result: KommunResult) -> str:
    """ "Delårsrapport för Linköpings kommun per den 31 augusti med prognos för helår 2021"."""
    year = result.periodslut.year if result.periodslut else ""
    if result.rapport == "Verksamhetsberättelse":
        return f"Verksamhetsberättelse för {kommun_name(result)} {year}"
    return f"{result.rapport} för {kommun_name(result)} {period_phrase(result.periodslut)} med prognos för helår {year}"


def incomplete_notice(result: KommunResult) -> str:
    """What is left out or incomplete, plainly, before anything else."""
    parts = []
    left_out = result.left_out
    if left_out:
        names = join_and(
            [
                f"{u.name} ({u.file}: {u.status.split(': ', 1)[-1]})"
                if u.name != u.file
                else f"{u.file} ({u.status.split(': ', 1)[-1]})"
                for u in left_out
            ]
        )
        parts.append(f"{names} har inte tagits med i kommunens summor.")
    incomplete = result.incomplete_units
    if incomplete:
        names = join_and([f"{u.name} ({'; '.join(u.incomplete)})" for u in incomplete])
        parts.append(
            f"Sammanställningen för {names} är själv ofullständig, så kommunens summor bygger på en ofullständig nämnd."
        )
    if not parts:
        return ""
    return (
        "OBS! Sammanställningen är ofullständig. "
        + " ".join(parts)
        + " Rätta underlaget och konsolidera på nytt innan texten används."
    )


def goals_paragraph(result: KommunResult) -> str:
    counts = result.goal_counts()
    total = sum(counts.values())
    if total == 0:
        return "Det finns inga nämndmål att bedöma i nämndernas underlag för perioden."
    sentences = [development_sentence(counts, "nämndernas"), assessment_sentence(counts)]
    for unit in result.included:
        sentences += unit_not_assessed_sentences(unit)
    return " ".join(filter(None, sentences))


def unit_not_assessed_sentences(unit: NamndUnit) -> list[str]:
    """The nämnd's Ej bedömt goals by name with the reasons its förvaltningar give (their Analys), and how many
    more it counts as Ej bedömt without a row (plan goals no förvaltning reported)."""
    named = unit.not_assessed()
    out = []
    for goal, reasons in named:
        because = " ".join(as_sentence(r) for r in reasons) if reasons else "Inget skäl har angetts."
        out.append(f"{quoted(goal)} ({unit.name}) har inte bedömts. {because}")
    unnamed = unit.goal_counts().get(T.GOAL_NOT_ASSESSED, 0) - len(named)
    if unnamed > 0:
        out.append(f"{sentence_start(unnamed)} nämndmål hos {unit.name} har inte bedömts av någon förvaltning.")
    return out


def result_phrase(unit: NamndUnit) -> str:
    """ "Kommunstyrelsen redovisar ett överskott med 43,1 mnkr" (and says so when the nämnd is incomplete)."""
    amount = format_mnkr(abs(_tkr(unit.deviation)), sign=False)
    caveat = " (i ett ofullständigt underlag)" if unit.incomplete else ""
    if amount.startswith("0,0"):
        return f"{unit.name} redovisar ett resultat i nivå med budget{caveat}"
    kind = "överskott" if unit.deviation > 0 else "underskott"
    return f"{unit.name} redovisar ett {kind} med {amount}{caveat}"


def economy_paragraph(result: KommunResult) -> str:
    """The nämnder's deviation from their budgets: nämndernas budgetavvikelse, never the kommun's result (§9)."""
    units = result.included
    if not units:
        return "Ingen nämnds ekonomiska helårsbedömning kunde tas med."
    if len(units) == 1:
        return f"Nämndernas ekonomiska helårsbedömning är att {result_phrase(units[0])}."
    return (
        f"Nämndernas ekonomiska helårsbedömning är att {join_and([result_phrase(u) for u in units])}. "
        f"Sammantaget är nämndernas budgetavvikelse {format_mnkr(_tkr(result.deviation))}."
    )


def _mnkr_text(mnkr: float) -> str:
    return format_mnkr(_tkr(mnkr))


def _percent(value: float) -> str:
    return f"{format_number(value, 1)} procent"


def annual_result_paragraphs(result: KommunResult) -> list[str]:
    """Årets resultat against budget, the balanskravsresultat and the finansiella målet (contract §9); without a
    usable finansförvaltning's template, what is missing and nothing more."""
    annual = result.annual
    if annual is None:
        return [_missing_annual(result)]
    caveat = (
        " Det bygger på nämndernas ofullständiga summor (se ovan)."
        if result.left_out or result.incomplete_units
        else ""
    )
    difference = annual.deviation
    compared = (
        "i nivå med budget"
        if round(difference, 1) == 0
        else f"{format_mnkr(abs(_tkr(difference)), sign=False)} {'bättre' if difference > 0 else 'sämre'} än budget"
    )
    paragraphs = [
        (
            f"Årets resultat prognostiseras till {_mnkr_text(annual.forecast)}, {compared} "
            f"(budget {_mnkr_text(annual.budget)}). Det är nämndernas nettokostnad tillsammans med "
            f"finansförvaltningens skatteintäkter, generella statsbidrag och utjämning, finansnetto och "
            f"gemensamma poster.{caveat}"
        )
    ]
    balance = annual.balance
    if annual.balance_negative:
        paragraphs.append(
            f"Balanskravsresultatet beräknas till {_mnkr_text(balance)}, det vill säga negativt. "
            "Kommunen uppfyller då inte balanskravet. Enligt kommunallagen (11 kap. 12 §) ska ett "
            "negativt balanskravsresultat återställas inom tre år, och fullmäktige ska besluta om en "
            "plan för hur det ska ske."
        )
    else:
        paragraphs.append(f"Balanskravsresultatet beräknas till {_mnkr_text(balance)}; balanskravet uppfylls.")
    paragraphs.append(_goal_sentence(annual))
    return paragraphs


def _goal_sentence(annual: AnnualResult) -> str:
    share = annual.share_percent
    if annual.goal_percent is None:
        return "Finansförvaltningens underlag anger inget finansiellt mål för årets resultat att bedöma."
    goal = (
        f"Det finansiella målet, ett resultat på minst {_percent(annual.goal_percent)} av skatteintäkter och "
        "generella statsbidrag"
    )
    if share is None:
        return f"{goal}, kan inte bedömas: skatteintäkter och generella statsbidrag saknas i prognosen."
    verdict = "uppnås" if annual.goal_reached else "uppnås inte"
    return f"{goal}, {verdict}: årets resultat motsvarar {_percent(share)} enligt prognosen."


def _missing_annual(result: KommunResult) -> str:
    left_out = result.finans_left_out
    if left_out:
        why = left_out[0].status.split(": ", 1)[-1]
        return (
            f"Årets resultat och balanskravsresultatet kan inte redovisas: finansförvaltningens underlag har inte "
            f"kunnat tas med ({why})."
        )
    return (
        "Årets resultat och balanskravsresultatet kan inte redovisas: det kräver finansförvaltningens prognos för "
        "skatteintäkter, generella statsbidrag och utjämning, finansnetto och gemensamma poster, som saknas i "
        "underlaget."
    )


def _rounding_note(rounded_sum: float | None, total: float) -> str:
    if rounded_sum is None:
        return ""
    return f"Beloppen är avrundade var för sig; summan av raderna avviker därför från {format_mnkr(_tkr(total))}."


def annual_rows(result: KommunResult) -> tuple[list[tuple[str, float | None]], list[tuple[str, float | None]]]:
    """(post, prognos in tkr; None = no amount, shown "–") of the resultatprognos and of the
    balanskravsutredning, for document.py's AmountTable."""
    annual = result.annual
    if annual is None:
        return [], []
    return (
        [(line.post, None if line.forecast is None else _tkr(line.forecast)) for line in annual.lines],
        [(post, None if amount is None else _tkr(amount)) for post, amount in annual.balance_lines],
    )


def forecast_change_sentence(result: KommunResult) -> str:
    """The change since the previous report's forecast, and whose it is when that is not every nämnd (issue 19)."""
    change = result.forecast_change
    if change is None:
        return ""
    whose, lacking = change_subject(previous_coverage(result))
    if not whose and len(result.included) == 1:
        whose = f" för {result.included[0].name}"
    subject = f"helårsprognosen{whose}" if whose else "nämndernas samlade helårsprognos"
    if round(change, 1) == 0:
        return f"{subject[:1].upper()}{subject[1:]} är i stort sett oförändrad jämfört med föregående prognos.{lacking}"
    word = "förbättrats" if change > 0 else "försämrats"
    return (
        f"Jämfört med föregående prognos har {subject} {word} med "
        f"{format_mnkr(abs(_tkr(change)), sign=False)}.{lacking}"
    )


def goals_per_namnd(result: KommunResult) -> list[str]:
    """ "- Kommunstyrelsen: Åtta av arton nämndmål bedöms uppnås per helår, tio bedöms delvis uppnås."."""
    lines = []
    for unit in result.included:
        sentence = goals_of_total_sentence(unit) or "Inga nämndmål att bedöma."
        lines.append(f"- {unit.name}: {sentence}")
    return lines


def assignments_paragraph(result: KommunResult) -> str:
    total = result.count(ANTAL_UPPDRAG)
    if total == 0:
        return "Det finns inga strategiska utvecklingsuppdrag i nämndernas underlag för perioden."
    done = result.count(UPPDRAG_VERKSTALLS)
    noun = "strategiska utvecklingsuppdrag"
    if done:
        plural = "verkställda" if done != 1 else "verkställt"
        text = (
            f"Av nämndernas {count_word(total)} {noun} kommer {count_word(done)} uppdrag att vara {plural} "
            "vid årets slut."
        )
    else:
        text = f"Inget av nämndernas {count_word(total)} {noun} kommer att vara verkställt vid årets slut."
    # AntalUppdrag holds the nämnders' plan assignments that no template reported: say so, as a nämnd's text does
    unreported = result.count(UPPDRAG_EJ_RAPPORTERADE)
    if unreported:
        text += f" {sentence_start(unreported)} uppdrag har inte rapporterats i nämndernas underlag."
    return text


def postponed_per_namnd(result: KommunResult) -> list[str]:
    """ "Inom kommunstyrelsen förskjuts tre uppdrag till 2022: ”…”, ”…” och ”…”.", one sentence per nämnd and year."""
    sentences = []
    for unit in result.included:
        by_year: dict[int | None, list[str]] = defaultdict(list)
        for name, year in unit.postponed():
            by_year[year].append(name)
        for year in sorted(by_year, key=lambda y: (y is None, y or 0)):
            names = by_year[year]
            when = f"till {year}" if year else "till ett senare år"
            sentences.append(
                f"Inom {lower_name(unit.name)} förskjuts {count_word(len(names))} uppdrag {when}: "
                f"{join_and([quoted(n) for n in names])}."
            )
        cancelled = unit.cancelled()
        if cancelled:
            sentences.append(
                f"Inom {lower_name(unit.name)} avbryts {count_word(len(cancelled))} uppdrag: "
                f"{join_and([quoted(n) for n in cancelled])}."
            )
    return sentences


def economy_rows(result: KommunResult) -> list[tuple[str, float]]:
    """(nämnd, avvikelse in tkr) per included nämnd, for document.py's AmountTable (which rounds for display)."""
    return [(f"{u.name} (ofullständig)" if u.incomplete else u.name, _tkr(u.deviation)) for u in result.included]


def economy_rounding_note(result: KommunResult) -> str:
    units = result.included
    if len(units) > 1 and rounded_sum_differs([u.deviation for u in units], result.deviation) is not None:
        return (
            "Beloppen är avrundade var för sig; summan av raderna avviker därför från totalen "
            f"{format_mnkr(_tkr(result.deviation))}."
        )
    return ""


def decision_items(result: KommunResult) -> list[str]:
    first, _, rest = title(result).partition(" ")
    items = [f"{definite(first)} {rest} godkänns."]
    if result.included:
        items.append(
            f"Uppföljningen av {join_and([genitive(u.name) for u in result.included])} delårsrapporter noteras."
        )
    restore = restoration_plan_item(result)
    if restore:
        items.append(restore)
    return items


def restoration_plan_item(result: KommunResult) -> str:
    """With a negative balanskravsresultat, the point kommunstyrelsen proposes: an åtgärdsplan for fullmäktige.

    KL 11 kap. 12 §: a negative balanskravsresultat is to be restored within the three following years, and
    fullmäktige adopts an åtgärdsplan for how. Kommunstyrelsen (which prepares fullmäktige's business) has it
    drafted; in a delårsrapport the result is a prognos, in a verksamhetsberättelse the year's own.
    """
    annual = result.annual
    if annual is None or not annual.balance_negative:
        return ""
    year = f" för {result.periodslut.year}" if result.periodslut else ""
    which = (
        f"det negativa balanskravsresultatet{year}"
        if result.rapport == "Verksamhetsberättelse"
        else f"det negativa balanskravsresultatet som prognostiseras{year}"
    )
    return (
        f"Kommunstyrelsen uppdrar åt kommundirektören att återkomma med förslag till åtgärdsplan för hur {which} "
        "ska återställas inom tre år, för beslut i kommunfullmäktige enligt kommunallagen (11 kap. 12 §)."
    )


def gender_paragraph(result: KommunResult) -> str:
    return (
        "I nämndernas delårsrapporter redovisas nämndindikatorerna, där det är möjligt, könsuppdelat; varje "
        "nämnds sammanställning säger vilka indikatorer som inte kan könsuppdelas och varför. Uppföljning och "
        "utvärdering av resultatet ska bidra till en jämställd styrning och ledning."
    )


def mbl_sentence(result: KommunResult) -> str:
    if not result.included:
        return ""
    names = join_and([u.name for u in result.included])
    return (
        f"Information enligt MBL § 19 har lämnats inom respektive nämnd ({names}); "
        "datumen per förvaltning framgår av nämndernas delårsrapporter."
    )


def basis_lines(result: KommunResult, created: date) -> list[str]:
    """The tjänsteskrivelse itself, then every included nämnd's summary (file name)."""
    lines = [f"Tjänsteskrivelse – {title(result)}, {created.isoformat()}"]
    lines += [f"{genitive(u.name)} sammanställning ({u.file})" for u in result.included]
    lines += [f"Finansförvaltningens underlag ({u.file})" for u in result.finans_units if u.included]
    return lines


def kommun_document(result: KommunResult, created: date | None = None) -> list[D.Block]:
    """The whole tjänsteskrivelse at the kommun level, in contract §5's sections."""
    created = created or date.today()
    blocks: list[D.Block] = [D.Heading(title(result), 0)]
    notice = incomplete_notice(result)
    if notice:
        blocks.append(D.Paragraph(notice, notice=True))
    blocks += [D.Heading(D.DECISION), D.NumberedList(tuple(decision_items(result)))]
    blocks += [D.Heading(D.MATTER), D.Paragraph(goals_paragraph(result)), D.Paragraph(economy_paragraph(result))]
    change = forecast_change_sentence(result)
    if change:
        blocks.append(D.Paragraph(change))
    blocks += [D.Paragraph(p) for p in annual_result_paragraphs(result)]
    blocks += [D.Heading(D.BACKGROUND)]
    overall = goals_of_total_sentence(result)
    if overall and result.included:
        blocks += [
            D.Paragraph(overall),
            D.Paragraph("Nämndmålen per nämnd:"),
            D.LineList(tuple(goals_per_namnd(result))),
        ]
    blocks += [D.Paragraph(p) for p in (assignments_paragraph(result), *postponed_per_namnd(result))]
    rows = economy_rows(result)
    if rows:
        blocks += [
            D.Paragraph("Nämndernas budgetavvikelse per nämnd är följande:"),
            D.AmountTable(tuple(rows), economy_rounding_note(result)),
        ]
    forecast, balance = annual_rows(result)
    annual = result.annual
    if forecast and annual is not None:
        notes = {what: rounded for what, rounded, _ in annual.rounding_notes()}
        blocks += [
            D.Paragraph("Resultatprognosen för helåret (intäkter positiva, kostnader negativa):"),
            D.AmountTable(
                tuple(forecast), _rounding_note(notes.get("Resultatprognos, prognos helår"), annual.forecast)
            ),
            D.Paragraph("Balanskravsutredningen (prognos):"),
            D.AmountTable(tuple(balance), _rounding_note(notes.get("Balanskravsutredning"), annual.balance)),
        ]
    blocks += [D.Heading(D.GENDER), D.Paragraph(gender_paragraph(result))]
    blocks += [D.Heading(D.MBL), D.Paragraph(mbl_sentence(result))]
    blocks += [D.Heading(D.BASIS), D.LineList(tuple(basis_lines(result, created)))]
    return blocks


def paragraphs(result: KommunResult, created: date | None = None) -> list[str]:
    """The whole proposed text, line by line (empty strings are blank lines): the same model as Word."""
    return D.plain_lines(kommun_document(result, created))


def render(result: KommunResult, created: date | None = None) -> str:
    return "\n".join(paragraphs(result, created)).strip() + "\n"


__all__ = ["annual_result_paragraphs", "kommun_document", "kommun_name", "paragraphs", "render", "title"]
