"""The text ↔ table cross-check: amounts and signs a controller states in free text, against the Ekonomi table.

Texts checked: the Sammanfattning (Uppgifter), every Ekonomi row's Kommentar and every Nämndmål
row's Analys. An amount tied to a result word (textamounts.quotes) that matches none of the
template's figures at the precision the text states is a Varning at the text's cell
(`text-belopp-avviker`); "överskott" for a negative Avvikelse helår, or "underskott" for a
positive one, in a sentence clearly about the result, is a Varning too (`text-tecken-avviker`).

Conservative by design: a text that agrees with the table must never be flagged, so every doubt
(another year, a condition, a target, the nämnd as a whole, a part of the verksamhet) means
"not checked". No I/O.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from delar_xl.findings import Finding, Severity
from delar_xl.numbers import format_mnkr, format_number
from delar_xl.template import declaration as T
from delar_xl.template.model import EconomyRow, Template
from delar_xl.template.textamounts import Amount, Quote, Token, Topic, polarities, quotes, sentences, tokens, words
from delar_xl.words import MONTHS

CODE_AMOUNT = "text-belopp-avviker"
CODE_SIGN = "text-tecken-avviker"

# A deviation that shows as 0,0 mnkr has no sign worth arguing about.
_SIGN_THRESHOLD_TKR = 50.0
_EPSILON = 1e-6

# Sentences we do not judge: conditions and risks, targets, negations, other periods.
_DOUBT = frozenset(
    (
        "ifall",
        "såvida",
        "annars",
        "risk",
        "risken",
        "risker",
        "riskerar",
        "befaras",
        "befarar",
        "befarat",
        "kan",
        "kunde",
        "kunna",
        "skulle",
        "eventuellt",
        "eventuella",
        "möjligen",
        "möjligt",
        "ska",
        "skall",
        "bör",
        "mål",
        "målet",
        "målsättning",
        "målsättningen",
        "resultatmål",
        "resultatmålet",
        "resultatkrav",
        "resultatkravet",
        "krav",
        "kravet",
        "sparbeting",
        "budgeterat",
        "budgeterade",
        "planerat",
        "planerade",
        "inte",
        "ej",
        "icke",
        "inget",
        "ingen",
        "inga",
        "utan",
        "fjol",
        "fjolåret",
        "fjolårets",
        "ackumulerat",
        "ackumulerade",
        "balanserat",
        "balanserade",
        "inom",
        "ingår",
        "ingick",
        "varav",  # a part of the result, not the result
        "exklusive",
        "exkl",
        "inklusive",
        "inkl",
        "justerat",
        "justerad",
        "justerade",
        "rensat",
        "rensad",
        "bortsett",
        "frånsett",
        "förutsättning",
        "förutsatt",  # another figure than the table's
        # Another report or an earlier forecast: "i delårsrapporten per april prognostiserades …"
        "delårsrapporten",
        "delårsrapport",
        "delårsbokslutet",
        "bokslutet",
        "bokslut",
        "årsredovisningen",
        "verksamhetsberättelsen",
        "tertialrapporten",
        "månadsrapporten",
        "ekonomirapporten",
        "ekonomirapport",
        "prognostiserades",
        "budgeterades",
    )
)
# The period so far (jan–aug) against a periodised budget the template does not hold; counted only
# when nothing in the sentence says helår or prognos.
_PERIOD = frozenset(
    (
        "perioden",
        "periodens",
        "period",
        "hittills",
        "delåret",
        "delårets",
        "tertialet",
        "tertial",
        *MONTHS,
        "våren",
        "sommaren",
        "hösten",
        "vintern",
        "början",
        "månaden",
        "månader",
        "månaderna",
    )
)
_FULL_YEAR = frozenset(
    (
        "helår",
        "helåret",
        "helårs",
        "helårsprognos",
        "helårsprognosen",
        "helårsavvikelse",
        "helårsavvikelsen",
        "helårsresultat",
        "helårsresultatet",
        "prognos",
        "prognosen",
        "prognostiserar",
        "prognostiseras",
        "prognostiserat",
        "prognostiserad",
        "prognostiserade",
        "årets",
        "helårsbedömningen",
    )
)
_OTHER_YEAR_WORDS = frozenset(("förra", "föregående", "tidigare"))
_YEAR_NOUNS = frozenset(("år", "året", "års", "årets"))
# The result of something bigger than this förvaltning.
_OTHER_SCOPE = frozenset(
    ("nämnden", "nämndens", "nämnderna", "nämndernas", "kommunen", "kommunens", "koncernen", "koncernens")
)
# Extra doubt for "överskott"/"underskott" without an amount: a part, a change, a cause.
_SIGN_DOUBT = frozenset(
    (
        "trots",
        "inom",
        "del",
        "delar",
        "delvis",
        "vissa",
        "några",
        "flera",
        "enhet",
        "enheten",
        "enheter",
        "enheterna",
        "område",
        "området",
        "områden",
        "avdelning",
        "avdelningen",
        "avdelningar",
        "minska",
        "minskar",
        "minskat",
        "minskade",
        "minskning",
        "öka",
        "ökar",
        "ökat",
        "ökade",
        "ökning",
        "vända",
        "vänds",
        "täcka",
        "täcker",
        "täcks",
        "återställa",
        "återställs",
        "hantera",
        "motverka",
        "undvika",
        "undviks",
        "jämfört",
        "hämta",
        "hämtas",
        "hämtats",
        "återhämtat",
        "återhämtats",
        "tidigare",
        "vägs",
        "väga",
        "kompenseras",
    )
)
# Words that make a sentence without an amount be about the förvaltning's whole result.
_WHOLE = frozenset(
    (
        "förvaltningen",
        "förvaltningens",
        "vi",
        "totalt",
        "sammantaget",
        "sammanlagt",
        "helår",
        "helåret",
        "helårsprognos",
        "helårsprognosen",
        "prognos",
        "prognosen",
        "prognostiserar",
        "prognostiseras",
        "årets",
    )
)
_YEAR_RE = re.compile(r"^(19|20)\d\d$")
_WORTH_READING = re.compile(r"\d|överskott|underskott|positiv|negativ", re.IGNORECASE)
_NAME_RE = re.compile(r"(?<![\w-])[A-ZÅÄÖÉ][a-zåäöéü]+")


@dataclass(frozen=True)
class Figures:
    """The figures of one row or of the whole table that a text may quote, in tkr."""

    deviation: float
    forecast: float
    budget: float
    others: tuple[float, ...]  # utfall, föregående prognos, its avvikelse, prognosförändring

    def all(self) -> tuple[float, ...]:
        return (self.deviation, self.forecast, self.budget) + self.others


@dataclass(frozen=True)
class Source:
    """One free text and where it is: the subject names it in messages ("Sammanfattningen")."""

    sheet: str
    cell: str
    text: str
    subject: str
    row: EconomyRow | None = None  # the Ekonomi row a Kommentar belongs to


def cross_check(t: Template) -> list[Finding]:
    """Findings for every free text of `t` whose amounts or signs the Ekonomi table does not support."""
    if not t.economy or any(r.budget is None or r.forecast is None for r in t.economy):
        return []  # amounts_present already says what is missing; a total without them means nothing
    total = _total_figures(t)
    # Every figure a text may quote, as sorted magnitudes: the nearest one decides.
    known = sorted(abs(f) for figures in [total, *map(_row_figures, t.economy)] for f in figures.all())
    findings: list[Finding] = []
    for source in _sources(t):
        own = _row_figures(source.row) if source.row else None
        findings.extend(_check_source(t, source, total, own, known))
    return findings


def _sources(t: Template) -> Iterator[Source]:
    """Every free text that may quote the result: one with a digit or a sign word in it."""
    if _WORTH_READING.search(t.meta.sammanfattning):
        sheet, cell = t.field_cell("Sammanfattning")
        yield Source(sheet, cell, t.meta.sammanfattning, "Sammanfattningen")
    for r in t.economy:
        if _WORTH_READING.search(r.comment):
            yield Source(
                T.ECONOMY.sheet,
                t.cell(T.ECONOMY.name, "comment", r.row),
                r.comment,
                f"Kommentaren till {r.key or r.activity}",
                r,
            )
    for g in t.goals:
        if _WORTH_READING.search(g.analysis):
            yield Source(
                T.GOALS.sheet, t.cell(T.GOALS.name, "analysis", g.row), g.analysis, f"Analysen av nämndmål {g.goal_id}"
            )


def _total_figures(t: Template) -> Figures:
    return _figures(t.economy)


def _row_figures(r: EconomyRow) -> Figures:
    """`_figures([r])` without its generator sums: cross_check asks for every row's figures.

    The same values: a sum over one row is `0 + value` (0 when the value is left out), and
    `value or 0.0` is what `_figures` adds up."""
    budget = r.budget or 0.0
    forecast = r.forecast or 0.0
    others = [0 + r.actual if r.actual is not None else 0]
    if r.previous_forecast is not None:
        previous = r.previous_forecast or 0.0
        others += [previous, previous - budget, forecast - previous]
    return Figures(forecast - budget, forecast, budget, tuple(others))


def _figures(rows: list[EconomyRow]) -> Figures:
    budget = sum(r.budget or 0.0 for r in rows)
    forecast = sum(r.forecast or 0.0 for r in rows)
    others = [sum(r.actual for r in rows if r.actual is not None)]
    if all(r.previous_forecast is not None for r in rows):
        previous = sum(r.previous_forecast or 0.0 for r in rows)
        others += [previous, previous - budget, forecast - previous]
    return Figures(forecast - budget, forecast, budget, tuple(others))


def _check_source(
    t: Template, source: Source, total: Figures, own: Figures | None, known: list[float]
) -> Iterator[Finding]:
    sign_reported = False
    for whole in sentences(source.text):
        if not _WORTH_READING.search(whole):
            continue  # no amount and no sign word: most comments, read in a microsecond
        sentence = main_clause(whole)
        toks = tokens(sentence)
        if _in_doubt(t, toks) or _names_someone_else(t, sentence):
            continue
        tied = quotes(toks)
        for _, quote in tied:
            if not _supported(quote, known):
                yield _amount_finding(t, source, quote, total, own)
        if not sign_reported:
            finding = _sign_finding(t, source, toks, tied, total, own)
            if finding is not None:
                sign_reported = True
                yield finding


# A clause after a comma that gives the cause or a part of what the main clause said: "…, främst på grund
# av lägre kostnader inom HR-center". It does not change what the main clause says about the result.
_CAUSE_CLAUSE = re.compile(
    r",\s+(?:främst|framför allt|huvudsakligen|i huvudsak|till största delen|bland annat|till följd av|"
    r"på grund av|tack vare|beroende på|med anledning av|som en följd av|vilket|varav)\b",
    re.IGNORECASE,
)


def main_clause(sentence: str) -> str:
    """The sentence up to a cause clause, when that part states a result by itself (an amount tied to a
    result word, or överskott/underskott): the statement is checked whether or not it goes on to name a
    verksamhet. Otherwise the whole sentence, judged as before."""
    m = _CAUSE_CLAUSE.search(sentence)
    if m is None:
        return sentence
    head = sentence[: m.start()]
    toks = tokens(head)
    return head if quotes(toks) or polarities(toks) else sentence


def _in_doubt(t: Template, toks: list[Token]) -> bool:
    ws = words(toks)
    if not ws or ws[0] == "om" or any(a.text == "," and b.text == "om" for a, b in zip(toks, toks[1:])):
        return True  # "Om inga åtgärder vidtas …" is a condition, not a result
    if any(w in _DOUBT or w in _OTHER_SCOPE for w in ws):
        return True
    if any(w in _PERIOD for w in ws) and not any(w in _FULL_YEAR for w in ws):
        return True
    if _names_nämnd(t, ws):
        return True
    if any(a in _OTHER_YEAR_WORDS and b in _YEAR_NOUNS for a, b in zip(ws, ws[1:])):
        return True
    year = t.meta.year
    return any(tok.kind == "number" and _YEAR_RE.match(tok.text) and int(tok.text) != year for tok in toks)


def _names_someone_else(t: Template, sentence: str) -> bool:
    """A capitalised word inside the sentence is a name (Swedish capitalises little else): another
    förvaltning, nämnd or organisation, whose figures this template does not hold. Acronyms
    ("IT") and the förvaltning's own name do not count."""
    own = set(t.meta.forvaltning.casefold().split())
    for m in _NAME_RE.finditer(sentence):
        if m.start() == 0 or sentence[: m.start()].rstrip().endswith((":", "(", '"', "”", "–", "-")):
            continue
        if m.group(0).casefold() not in own:
            return True
    return False


def _names_nämnd(t: Template, ws: list[str]) -> bool:
    name = t.meta.namnd.casefold().split()
    stem = name[0] if name else ""
    return bool(stem) and len(stem) >= 4 and any(w.startswith(stem[: max(4, len(stem) - 1)]) for w in ws)


def _supported(quote: Quote, known: list[float]) -> bool:
    """Some figure, rounded to the precision the text states, is the stated amount ("cirka": ± one unit)."""
    at = bisect.bisect_left(known, abs(quote.amount.tkr))
    return any(_agrees(quote.amount, figure, quote.approximate) for figure in known[max(at - 1, 0) : at + 1])


def _agrees(amount: Amount, figure: float, approximate: bool = False) -> bool:
    # Half a unit of the last stated digit, and a hair more: 12,85 may be shown as 12,8 or 12,9.
    tolerance = amount.precision_tkr * (1.0 if approximate else 0.5) * (1 + _EPSILON)
    return abs(abs(amount.tkr) - abs(figure)) <= tolerance


# Messages ---------------------------------------------------------------------------------

_PHRASES = {
    Topic.SURPLUS: "ett överskott på",
    Topic.DEFICIT: "ett underskott på",
    Topic.DEVIATION: "en avvikelse på",
    Topic.RESULT: "ett resultat på",
    Topic.FORECAST: "en prognos på",
    Topic.BUDGET: "en budget på",
}


def _amount_finding(t: Template, source: Source, quote: Quote, total: Figures, own: Figures | None) -> Finding:
    amount = quote.amount
    if quote.topic is Topic.FORECAST:
        said = (
            f"Prognos helår {_show(total.forecast, amount, False)} och Avvikelse helår {_show(total.deviation, amount)}"
        )
    elif quote.topic is Topic.BUDGET:
        said = f"Budget helår {_show(total.budget, amount, False)}"
    else:
        said = _show(total.deviation, amount)
    if own is not None and quote.topic not in (Topic.FORECAST, Topic.BUDGET):
        where = f"raden ger {_show(own.deviation, amount)} (förvaltningen totalt {said})"
    else:
        where = f"tabellen Ekonomi ger {said}"
    message = f"{source.subject} nämner {_PHRASES[quote.topic]} {amount.text}, men {where}."
    return Finding(t.file, source.sheet, source.cell, Severity.WARNING, CODE_AMOUNT, message)


def _show(tkr: float, like: Amount, sign: bool = True) -> str:
    """A table figure in the unit family the text used: mnkr with one decimal, or whole tkr."""
    if like.unit_tkr >= 1000:
        return format_mnkr(tkr, sign=sign)
    return f"{format_number(tkr, 0, sign=sign)} tkr"


# Sign -------------------------------------------------------------------------------------


def _sign_finding(
    t: Template, source: Source, toks: list[Token], tied: list[tuple[int, Quote]], total: Figures, own: Figures | None
) -> Finding | None:
    stated = polarities(toks) | {
        q.amount.sign for _, q in tied if q.amount.sign and q.topic in (Topic.SURPLUS, Topic.DEFICIT, Topic.DEVIATION)
    }
    if len(stated) != 1:
        return None  # nothing said, or both: "underskottet vägs upp av överskott …"
    polarity = stated.pop()
    target = _sign_target(t, source, toks, tied, total, own)
    if target is None or abs(target) < _SIGN_THRESHOLD_TKR or (target > 0) == (polarity > 0):
        return None
    said = "ett överskott" if polarity > 0 else "ett underskott"
    actual = "ett överskott" if target > 0 else "ett underskott"
    quoted = next((q.amount.text for _, q in tied), "")
    where = "raden" if own is not None and target == own.deviation else "tabellen Ekonomi"
    message = (
        f"{source.subject} talar om {said}{' på ' + quoted if quoted else ''}, "
        f"men {where} ger {actual} på {format_mnkr(target)}."
    )
    return Finding(t.file, source.sheet, source.cell, Severity.WARNING, CODE_SIGN, message)


def _sign_target(
    t: Template, source: Source, toks: list[Token], tied: list[tuple[int, Quote]], total: Figures, own: Figures | None
) -> float | None:
    """The deviation a sentence is clearly about, or None when that is not clear."""
    ws = words(toks)
    if any(w in _SIGN_DOUBT for w in ws):
        return None
    candidates = [own.deviation, total.deviation] if own is not None else [total.deviation]
    if tied:
        amount = tied[0][1].amount
        return next((deviation for deviation in candidates if _agrees(amount, deviation)), None)
    if any(tok.kind in ("amount", "number") for tok in toks):
        return None  # a figure we cannot place: the sign may be about it
    if _names_activity(t, ws, source.row):
        return None
    if own is not None:
        return own.deviation
    return total.deviation if _about_whole(t, ws) else None


def _names_activity(t: Template, ws: list[str], own: EconomyRow | None) -> bool:
    """The sentence names a verksamhet (other than the Kommentar's own row): it is about a part."""
    name = set(t.meta.forvaltning.casefold().split())  # "Kommunledningsförvaltningen" is not "Kommunledning"
    candidates = [w for w in ws if w not in name]
    for r in t.economy:
        if own is not None and r is own:
            continue
        stems = [w for w in r.activity.casefold().split() if len(w) >= 5]
        if any(word.startswith(stem) for stem in stems for word in candidates):
            return True
    return False


def _about_whole(t: Template, ws: list[str]) -> bool:
    name = t.meta.forvaltning.casefold()
    return any(w in _WHOLE for w in ws) or (bool(name) and name.split()[0] in ws)
