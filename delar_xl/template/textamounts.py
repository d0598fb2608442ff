"""Amounts quoted in free text ("12,8 mnkr", "1 500 tkr", "−3,5 miljoner") and the words they belong to.

Pure text analysis for the text ↔ table cross-check (crosscheck.py): sentences, tokens, amounts
with the unit and precision the writer used, and whether an amount is tied to a result word
(överskott, underskott, avvikelse, resultat, prognos, budget). Everything here leans towards
"not an amount we can judge": a number without a money unit, a range, an approximation bound or
a figure that only sits somewhere in the same sentence as a result word is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from delar_xl.numbers import NumberKind, parse_number

_SPACE = "[ \u00a0\u202f\u2009]"

# Longest spellings first, so "miljoner kronor" is one unit rather than "miljoner" + a word.
_UNITS: tuple[tuple[str, float], ...] = (
    (r"miljarder\s+kronor|miljarder\s+kr|miljarder|miljard|mdkr|mdr", 1_000_000.0),
    (
        r"miljoner\s+kronor|miljoner\s+kr|miljoner|miljon\s+kronor|miljon|milj\.?\s*kr|milj\.?|mnkr|mkr|msek|mn\s+kr",
        1_000.0,
    ),
    (r"tusen\s+kronor|tusen\s+kr|tkr|tsek|kkr", 1.0),
    (r"kronor|kr|sek", 0.001),
)
_UNIT_RE = "|".join(f"(?P<u{i}>{pattern})" for i, (pattern, _) in enumerate(_UNITS))

# A sign only counts when it touches the digits; a dash after a digit or letter is not a sign.
_AMOUNT_RE = (
    rf"(?<![\w.,+\-\u2212–])(?P<sign>[+\-\u2212–]?)(?P<int>\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+)(?P<dec>,\d+)?"
    rf"{_SPACE}?(?:{_UNIT_RE})(?![\w])"
)
_TOKEN_RE = re.compile(
    rf"(?P<amount>{_AMOUNT_RE})"
    r"|(?P<number>\d+(?:[.,:/\-]\d+)*)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<stop>[,;:()\[\]–—\-\u2212/?!\"”“'])",
    re.IGNORECASE,
)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”(])|\n+")


class Topic(str, Enum):
    """What the word next to an amount says the amount is."""

    SURPLUS = "överskott"
    DEFICIT = "underskott"
    DEVIATION = "avvikelse"
    RESULT = "resultat"
    FORECAST = "prognos"
    BUDGET = "budget"


KEYWORDS: dict[str, Topic] = {
    **dict.fromkeys(
        ("överskott", "överskottet", "budgetöverskott", "budgetöverskottet", "plusresultat"), Topic.SURPLUS
    ),
    **dict.fromkeys(
        ("underskott", "underskottet", "budgetunderskott", "budgetunderskottet", "minusresultat"), Topic.DEFICIT
    ),
    **dict.fromkeys(
        ("avvikelse", "avvikelsen", "budgetavvikelse", "budgetavvikelsen", "helårsavvikelse", "helårsavvikelsen"),
        Topic.DEVIATION,
    ),
    **dict.fromkeys(
        ("resultat", "resultatet", "nettoresultat", "nettoresultatet", "helårsresultat", "helårsresultatet"),
        Topic.RESULT,
    ),
    **dict.fromkeys(
        (
            "prognos",
            "prognosen",
            "helårsprognos",
            "helårsprognosen",
            "prognostiserar",
            "prognostiseras",
            "prognostiserat",
            "prognostiserad",
            "prognostiserade",
            "prognosförändring",
            "prognosförändringen",
        ),
        Topic.FORECAST,
    ),
    # Only the budget itself: a kommunbidrag or ram may differ from the table's Budget helår.
    **dict.fromkeys(("budget", "budgeten"), Topic.BUDGET),
}

# Words that may stand between a result word and its amount: "ett överskott för helåret på 12,8 mnkr".
# Any other word in between means the amount belongs to something else ("vakanser motsvarande 4 mnkr").
_FILLERS = frozenset(
    (
        "på",
        "med",
        "om",
        "av",
        "i",
        "år",
        "ett",
        "en",
        "det",
        "den",
        "är",
        "var",
        "vara",
        "blir",
        "blev",
        "bli",
        "har",
        "hade",
        "beräknas",
        "beräknat",
        "beräknad",
        "bedöms",
        "bedömt",
        "väntas",
        "förväntas",
        "uppgår",
        "uppgick",
        "uppgå",
        "till",
        "att",
        "totalt",
        "sammantaget",
        "sammanlagt",
        "samlat",
        "samlad",
        "samlade",
        "för",
        "helår",
        "helåret",
        "hela",
        "året",
        "redovisar",
        "redovisas",
        "redovisat",
        "visar",
        "visas",
        "ger",
        "gav",
        "landar",
        "hamnar",
        "preliminärt",
        "nu",
        "per",
        "vi",
        "förvaltningen",
        "förvaltningens",
        "positiv",
        "positivt",
        "positiva",
        "negativ",
        "negativt",
        "negativa",
        "ekonomiskt",
        "ekonomisk",
        "ekonomiska",
        "förväntat",
        "förväntad",
        "därmed",
        "alltså",
        "således",
        "också",
        "även",
        "som",
        "pekar",
        "mot",
        "cirka",
        "ca",
        "omkring",
        "ungefär",
        "runt",
        "närmare",
        "kring",
        "minus",
        "plus",
    )
)
_SIGN_WORDS = {"minus": -1, "plus": 1}
# Between an amount and a result word after it: "12,8 mnkr i överskott", "2 mnkr bättre än budget".
_FORWARD_FILLERS = frozenset(
    (
        "i",
        "mot",
        "än",
        "bättre",
        "sämre",
        "över",
        "under",
        "lägre",
        "högre",
        "jämfört",
        "med",
        "gentemot",
        "förhållande",
        "till",
        "ett",
        "en",
    )
)
# "avvikelse mot budget på 12,8 mnkr": the amount is the avvikelse, not the budget.
_AGAINST = frozenset(("mot", "gentemot", "jämfört", "med", "än", "i", "förhållande", "till"))
_APPROXIMATE = frozenset(("cirka", "ca", "omkring", "ungefär", "runt", "närmare", "kring"))
# A bound is not a figure: "drygt 12 mnkr", "mer än 5 mnkr", "upp till 3 mnkr".
_BOUNDS = frozenset(
    ("drygt", "knappt", "över", "under", "minst", "högst", "nästan", "uppemot", "än", "nära", "ytterligare", "extra")
)
_PART_MARKERS = frozenset(
    (
        "från",
        "inom",
        "avseende",
        "hänförligt",
        "hänförs",
        "gällande",
        "kopplat",
        "kopplad",
        "varav",
        "inklusive",
        "exklusive",
        "inkl",
        "exkl",
        "per",
    )
)
# "12,8 mnkr i år", "12,8 mnkr för helåret" are the whole year, not a part.
_WHOLE_YEAR = frozenset(("år", "året", "helår", "helåret", "hela", "verksamhetsåret", "budgetåret"))
_RANGE_WORDS = frozenset(("till", "och", "eller", "à", "respektive"))


@dataclass(frozen=True)
class Amount:
    """One amount as written: its value in the stated unit, converted to tkr, and its precision."""

    text: str  # as written, e.g. "−3,5 miljoner"
    value: float  # signed as written (no sign written → positive)
    unit_tkr: float  # tkr per stated unit: 1000 for mnkr
    decimals: int
    trailing_zeros: int  # of a whole number: "1 500" → 2
    sign: int  # +1, −1 when written, 0 when not

    @property
    def tkr(self) -> float:
        return self.value * self.unit_tkr

    @property
    def precision_tkr(self) -> float:
        """One unit of the last digit the writer gave, in tkr: "12,8 mnkr" → 100, "13 mnkr" → 1 000.

        A whole number of tkr or kr with trailing zeros is read as rounded ("1 500 tkr" → 100 tkr),
        never coarser than 1 mnkr.
        """
        if self.decimals:
            return self.unit_tkr * 10.0**-self.decimals
        if self.unit_tkr >= 1000:
            return self.unit_tkr
        cap = 3 if self.unit_tkr == 1 else 6
        return self.unit_tkr * 10.0 ** min(self.trailing_zeros, cap)


@dataclass(frozen=True)
class Token:
    kind: str  # "amount", "number", "word" or "stop"
    text: str  # words lower-cased
    amount: Amount | None = None


@dataclass(frozen=True)
class Quote:
    """An amount tied to a result word, as the cross-check compares it."""

    amount: Amount
    topic: Topic
    approximate: bool


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.split(text) if s and s.strip()]


def tokens(sentence: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(sentence):
        if m.group("amount"):
            amount = _amount(m)
            out.append(Token("amount", m.group("amount"), amount) if amount else Token("number", m.group(0)))
        elif m.group("number"):
            out.append(Token("number", m.group("number")))
        elif m.group("word"):
            out.append(Token("word", m.group("word").casefold()))
        else:
            out.append(Token("stop", m.group("stop")))
    return out


def _amount(m: re.Match[str]) -> Amount | None:
    digits = m.group("sign") + m.group("int") + (m.group("dec") or "")
    parsed = parse_number(digits)
    if parsed.kind is not NumberKind.TEXT or parsed.value is None:
        return None  # "1,234 tkr" could be either: never guessed
    unit = next(factor for i, (_, factor) in enumerate(_UNITS) if m.group(f"u{i}"))
    whole = re.sub(r"\D", "", m.group("int"))
    zeros = len(whole) - len(whole.rstrip("0")) if whole.strip("0") else 0
    sign = {"": 0, "+": 1}.get(m.group("sign"), -1)
    return Amount(
        m.group("amount"), parsed.value, unit, len(m.group("dec") or "") - (1 if m.group("dec") else 0), zeros, sign
    )


# Prices and small sums in kronor ("45 kr per portion") are never a förvaltning's result.
_SMALLEST_TKR = 10.0


def quotes(toks: list[Token]) -> list[tuple[int, Quote]]:
    """Every amount that is tied to a result word, with its token index."""
    found = []
    for i, tok in enumerate(toks):
        if tok.kind != "amount" or tok.amount is None or _unusable(toks, i):
            continue
        if tok.amount.unit_tkr < 1 and abs(tok.amount.tkr) < _SMALLEST_TKR:
            continue
        topic = _topic_before(toks, i)
        if topic is None and _clause_start_before(toks, i):
            topic = _topic_after(toks, i)
        if topic is not None and not _part_after(toks, i):
            approximate = i > 0 and toks[i - 1].text in _APPROXIMATE
            found.append((i, Quote(_spelled_sign(toks, i, tok.amount), topic, approximate)))
    return found


def _spelled_sign(toks: list[Token], i: int, amount: Amount) -> Amount:
    """ "landar på minus 8,9 miljoner": the word is the sign."""
    word = toks[i - 1].text if i > 0 else ""
    if amount.sign or word not in _SIGN_WORDS:
        return amount
    sign = _SIGN_WORDS[word]
    return replace(amount, text=f"{word} {amount.text}", value=sign * abs(amount.value), sign=sign)


def _unusable(toks: list[Token], i: int) -> bool:
    """Ranges, enumerations ("3 och 5 mnkr"), bounds ("drygt 12 mnkr") and numbers glued to numbers."""
    prev = toks[i - 1] if i > 0 else None
    before = toks[i - 2] if i > 1 else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    after = toks[i + 2] if i + 2 < len(toks) else None
    if prev is not None and prev.kind in ("number", "amount"):
        return True
    if prev is not None and prev.text in _BOUNDS:
        return True
    if prev is not None and prev.text == "till" and before is not None and before.text == "upp":
        return True
    if (
        prev is not None
        and (prev.text in _RANGE_WORDS or prev.text in "-–−/")
        and before is not None
        and before.kind in ("number", "amount")
    ):
        return True
    return (
        nxt is not None
        and (nxt.text in _RANGE_WORDS or nxt.text in "-–−/")
        and after is not None
        and after.kind in ("number", "amount")
    )


def _topic_before(toks: list[Token], i: int) -> Topic | None:
    """The result word an amount follows, with only filler words in between."""
    for j in range(i - 1, max(i - 10, -1), -1):
        tok = toks[j]
        if tok.text == ":":
            continue  # "Prognos helår: −283,0 mnkr"
        if tok.kind != "word":
            return None
        topic = KEYWORDS.get(tok.text)
        if topic is not None:
            return _against_budget(toks, j) if topic is Topic.BUDGET else topic
        if tok.text not in _FILLERS:
            return None
    return None


def _against_budget(toks: list[Token], j: int) -> Topic:
    """ "avvikelse mot budget på 5 mnkr", "överskott jämfört med budgeten": the first word decides."""
    for k in range(j - 1, max(j - 5, -1), -1):
        tok = toks[k]
        if tok.kind != "word":
            break
        topic = KEYWORDS.get(tok.text)
        if topic is not None and topic is not Topic.BUDGET:
            return topic
        if tok.text not in _AGAINST:
            break
    return Topic.BUDGET


def _clause_start_before(toks: list[Token], i: int) -> bool:
    """Only filler words between the start of the clause and the amount."""
    for j in range(i - 1, -1, -1):
        tok = toks[j]
        if tok.kind == "stop":
            return True
        if tok.kind != "word" or tok.text not in _FILLERS:
            return False
    return True


def _part_after(toks: list[Token], i: int) -> bool:
    """ "2 mnkr från engångsintäkter", "3 mnkr i hemtjänsten", "40 mnkr för investeringar": a part."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    after = toks[i + 2] if i + 2 < len(toks) else None
    if nxt is None or nxt.kind != "word":
        return False
    if nxt.text in _PART_MARKERS:
        return True
    if nxt.text in ("i", "för") and after is not None and after.kind == "word":
        return after.text not in _WHOLE_YEAR and after.text not in KEYWORDS
    return False


def _topic_after(toks: list[Token], i: int) -> Topic | None:
    for j in range(i + 1, min(i + 5, len(toks))):
        tok = toks[j]
        if tok.kind != "word":
            return None
        topic = KEYWORDS.get(tok.text)
        if topic is not None:
            return topic
        if tok.text not in _FORWARD_FILLERS:
            return None
    return None


def words(toks: list[Token]) -> list[str]:
    return [t.text for t in toks if t.kind == "word"]


_POSITIVE = frozenset(k for k, v in KEYWORDS.items() if v is Topic.SURPLUS)
_NEGATIVE = frozenset(k for k, v in KEYWORDS.items() if v is Topic.DEFICIT)
_SIGNED_NOUNS = frozenset(k for k, v in KEYWORDS.items() if v in (Topic.DEVIATION, Topic.RESULT))


def polarities(toks: list[Token]) -> set[int]:
    """+1 for överskott (or "positiv avvikelse"), −1 for underskott (or "negativt resultat")."""
    found: set[int] = set()
    ws = words(toks)
    for k, w in enumerate(ws):
        nxt = ws[k + 1] if k + 1 < len(ws) else ""
        if w in _POSITIVE or (w in ("positiv", "positivt", "positiva") and nxt in _SIGNED_NOUNS):
            found.add(1)
        elif w in _NEGATIVE or (w in ("negativ", "negativt", "negativa") and nxt in _SIGNED_NOUNS):
            found.add(-1)
    return found
