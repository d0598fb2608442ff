"""Swedish words for running text: counts in words, lists with "och", genitives, quotes, dates.

Shared by everything that writes Swedish sentences: the tjänsteskrivelse at both levels (namnd/text.py,
kommun/text.py), the decision, the e-mail and the reminders. Numbers follow Swedish style: small counts
in words ("åtta nämndmål"), larger ones in digits, never a digit starting a sentence.
"""

from __future__ import annotations

from datetime import date

_WORDS = (
    "noll",
    "ett",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
    "tretton",
    "fjorton",
    "femton",
    "sexton",
    "sjutton",
    "arton",
    "nitton",
    "tjugo",
)
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
LEFT_QUOTE = RIGHT_QUOTE = "\u201d"  # Swedish typography uses ” on both sides


def count_word(n: int, limit: int = 12) -> str:
    """A count as Swedish running text: words up to `limit`, digits above ("ett", "tio", "18")."""
    return _WORDS[n] if 0 <= n <= min(limit, 20) else str(n)


def sentence_start(n: int) -> str:
    """A count that opens a sentence: always a word when one exists ("Åtta", "Arton")."""
    if 0 <= n <= 20:
        word = _WORDS[n]
        return word[0].upper() + word[1:]
    return f"Totalt {n}"


def join_and(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " och " + items[-1]


def quoted(text: str) -> str:
    return f"{LEFT_QUOTE}{text.strip()}{RIGHT_QUOTE}"


def period_phrase(end: date | None) -> str:
    """2021-08-31 → "per den 31 augusti"."""
    if end is None:
        return "per periodslut"
    return f"per den {end.day} {MONTHS[end.month - 1]}"


def owner(namnd: str) -> str:
    """ "Kommunstyrelsen" → "kommunstyrelsens" (possessive, lower case inside a sentence)."""
    name = namnd.strip() or "nämnden"
    lowered = name[0].lower() + name[1:]
    return lowered if lowered.endswith("s") else lowered + "s"


def genitive(name: str) -> str:
    """ "Leanlink" → "Leanlinks", "Verksamhetsstöd och service" → "Verksamhetsstöd och services"
    (a proper name keeps its capital; one ending in s, x or z takes no extra s)."""
    name = name.strip()
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def swedish_date(day: date) -> str:
    """2021-08-31 → "31 augusti 2021"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def lower_name(name: str) -> str:
    """A name inside a sentence: "Kommunstyrelsen" → "kommunstyrelsen"; an acronym ("KLF", "IT-stöd") and
    anything that does not start with a capital followed by a small letter are left alone."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


__all__ = [
    "LEFT_QUOTE",
    "MONTHS",
    "RIGHT_QUOTE",
    "count_word",
    "genitive",
    "join_and",
    "lower_name",
    "owner",
    "period_phrase",
    "quoted",
    "sentence_start",
    "swedish_date",
]
