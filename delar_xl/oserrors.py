"""The one table from an operating-system error to Swedish: what happened, and what to do about it.

Every message that reports an `OSError` goes through `reading` or `writing`, so that no English
`strerror` ("No such file or directory", "File exists") ever reaches a user, and the advice fits
the error: a missing file is not told to be closed in other programs. Both return a lower-case
clause that ends with a full stop, to follow "Filen kan inte öppnas: " or "Kunde inte skriva X: ".
"""

from __future__ import annotations

import errno
from dataclasses import dataclass


@dataclass(frozen=True)
class OsProblem:
    """What happened (a clause) and what to do when reading, and when writing."""

    what: str
    read_advice: str
    write_advice: str


_CLOSE_OR_ASK = "Stäng den i andra program, eller be om behörighet att läsa den."
_OTHER_FOLDER = "Välj en mapp där du får spara filer."

# Windows reports a file held open by another program (Excel) as a sharing or lock violation.
_WINERROR_IN_USE = frozenset({32, 33})

_TABLE: dict[int, OsProblem] = {
    errno.ENOENT: OsProblem(
        "filen finns inte (den kan ha flyttats eller tagits bort)",
        "Kontrollera sökvägen.",
        "Kontrollera att mappen finns.",
    ),
    errno.EACCES: OsProblem(
        "du saknar behörighet, eller filen är öppen i ett annat program",
        _CLOSE_OR_ASK,
        "Stäng den i andra program, eller välj en mapp där du får spara filer.",
    ),
    errno.EPERM: OsProblem(
        "du saknar behörighet", "Be om behörighet att läsa filen, eller kopiera den till en egen mapp.", _OTHER_FOLDER
    ),
    errno.EROFS: OsProblem("disken eller mappen är skrivskyddad", "Kopiera filen till en egen mapp.", _OTHER_FOLDER),
    errno.ENOSPC: OsProblem(
        "disken är full", "Frigör utrymme och försök igen.", "Frigör utrymme eller välj en annan disk och försök igen."
    ),
    errno.EDQUOT: OsProblem(
        "ditt lagringsutrymme (kvot) är slut",
        "Ta bort filer du inte behöver och försök igen.",
        "Ta bort filer du inte behöver eller välj en annan disk.",
    ),
    errno.EFBIG: OsProblem(
        "filen blev större än vad som får skrivas här (filstorleksgräns)",
        "Filen är för stor för att läsas här.",
        "Välj en annan mapp eller disk.",
    ),
    errno.ENAMETOOLONG: OsProblem(
        "namnet eller sökvägen är för lång",
        "Flytta filen till en mapp med kortare sökväg eller ge den ett kortare namn.",
        "Välj ett kortare filnamn eller en mapp med kortare sökväg.",
    ),
    errno.ENOTDIR: OsProblem(
        "en del av sökvägen är en fil, inte en mapp", "Kontrollera sökvägen.", "Kontrollera sökvägen."
    ),
    errno.EISDIR: OsProblem(
        "det är en mapp, inte en fil",
        "Ange en fil, eller mappen utan filnamn.",
        "Ange ett annat filnamn, eller byt namn på mappen.",
    ),
    errno.EEXIST: OsProblem(
        "det finns en fil med det namnet där en mapp behövs",
        "Kontrollera sökvägen.",
        "Byt namn på filen eller välj en annan mapp.",
    ),
    errno.ELOOP: OsProblem(
        "länken pekar på sig själv (eller i en slinga)", "Rätta eller ta bort länken.", "Rätta eller ta bort länken."
    ),
    errno.EBUSY: OsProblem(
        "filen används av ett annat program",
        "Stäng den i andra program och försök igen.",
        "Stäng den i andra program och försök igen.",
    ),
    errno.ETXTBSY: OsProblem(
        "filen används av ett annat program",
        "Stäng den i andra program och försök igen.",
        "Stäng den i andra program och försök igen.",
    ),
    errno.EIO: OsProblem(
        "disken eller nätverket svarade med ett läs- eller skrivfel",
        "Kontrollera disken eller nätverksanslutningen och försök igen.",
        "Kontrollera disken eller nätverksanslutningen och försök igen.",
    ),
    errno.EMFILE: OsProblem(
        "för många filer är öppna samtidigt",
        "Stäng andra program och försök igen.",
        "Stäng andra program och försök igen.",
    ),
    errno.ENFILE: OsProblem(
        "för många filer är öppna samtidigt",
        "Stäng andra program och försök igen.",
        "Stäng andra program och försök igen.",
    ),
    errno.EINVAL: OsProblem(
        'namnet går inte att använda här (till exempel tecknen : * ? " < > |)',
        "Byt namn på filen.",
        "Välj ett filnamn utan sådana tecken.",
    ),
    errno.ENXIO: OsProblem(
        "det är ingen vanlig fil (till exempel en enhet)", "Ange en vanlig fil.", "Ange ett annat filnamn."
    ),
    errno.ENODEV: OsProblem(
        "det är ingen vanlig fil (till exempel en enhet)", "Ange en vanlig fil.", "Ange ett annat filnamn."
    ),
}
_IN_USE = OsProblem(
    "filen är öppen i ett annat program",
    "Stäng den i andra program och försök igen.",
    "Stäng den i andra program och försök igen.",
)


def problem(exc: OSError) -> OsProblem:
    """The table's row for `exc`; an errno not in the table is named by its number, never its English text."""
    if getattr(exc, "winerror", None) in _WINERROR_IN_USE:
        return _IN_USE
    found = _TABLE.get(exc.errno) if exc.errno is not None else None
    if found is not None:
        return found
    code = f"felkod {exc.errno}" if exc.errno is not None else type(exc).__name__
    advice = "Försök igen; kvarstår felet, kontakta den som förvaltar datorn eller nätverket."
    return OsProblem(f"operativsystemet gav ett fel ({code})", advice, advice)


def reading(exc: OSError) -> str:
    """ "what happened. What to do." for a file that could not be read."""
    found = problem(exc)
    return f"{found.what}. {found.read_advice}"


def writing(exc: OSError) -> str:
    """ "what happened. What to do." for a file or folder that could not be written."""
    found = problem(exc)
    return f"{found.what}. {found.write_advice}"


def os_error_in(exc: BaseException) -> OSError | None:
    """The OSError behind `exc`: itself, or one it was raised from (XlsxWriter's FileCreateError wraps it)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError):
            return current
        seen.add(id(current))
        wrapped = next((a for a in getattr(current, "args", ()) if isinstance(a, OSError)), None)
        current = wrapped or current.__cause__ or current.__context__
    return None


__all__ = ["OsProblem", "os_error_in", "problem", "reading", "writing"]
