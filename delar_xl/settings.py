"""Everything configurable in one object, read from an optional TOML file and the environment.

Search order for the file: $DELAR_XL_SETTINGS, ./delar_xl.toml, the user's config folder
(~/.config/delar_xl/delar_xl.toml, %APPDATA%\\delar_xl\\delar_xl.toml). Sections: [kontroll]
and [epost]. Passwords are never read from a file (see mail/settings.py).

A file that is not valid TOML, or a value out of range, raises `SettingsError` (Swedish, naming the
file, line and key); an unknown section or key is a `Varning` in `Settings.warnings`, with the
nearest known name ("Menade du …?"): a typo must not silently fall back to a default.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from delar_xl.findings import DelarXlError, Finding, Severity

# Every section and key the product reads. [epost] is interpreted by delar_xl.mail.settings; the
# password keys are listed so that mail/settings.py, not a "did you mean", says they are not allowed.
KNOWN_KEYS: dict[str, frozenset[str]] = {
    "kontroll": frozenset(
        {
            "kommentar_grans_tkr",
            "kommentar_grans_procent",
            "rimlighet_grans_tkr",
            "rimlighet_enhet_faktor",
            "rimlighet_avvikelse_procent",
        }
    ),
    "epost": frozenset(
        {
            "metod",
            "smtp",
            "sakerhet",
            "port",
            "anvandare",
            "till",
            "fran",
            "ca_fil",
            "tidsgrans_sekunder",
            "losenord",
            "lösenord",
            "password",
        }
    ),
}
CODE_UNKNOWN = "installning-okand"
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


class SettingsError(DelarXlError):
    """The settings file cannot be used; the message names the file, the line or the key."""


@dataclass(frozen=True)
class Settings:
    # A comment is required when |avvikelse| or |prognosförändring| reaches either threshold.
    comment_threshold_tkr: float = 1000.0
    comment_threshold_percent: float = 5.0
    # Plausibility (template/plausibility.py): sign, unit and proportion slips are looked for in amounts
    # from plausibility_min_tkr (higher than the comment threshold: small rows swing a lot, and a
    # missing comment is already a Fel there); a prognos or utfall this many times smaller or larger
    # than the budget looks like mnkr or kr typed in a tkr column; an avvikelse over this share of the
    # budget is out of proportion.
    plausibility_min_tkr: float = 5000.0
    unit_slip_factor: float = 100.0
    deviation_share_percent: float = 50.0
    # Raw [epost] section; delar_xl.mail.settings interprets it.
    mail: dict[str, Any] = field(default_factory=dict)
    # Unknown sections and keys, one Varning each (the file's name as `file`).
    warnings: tuple[Finding, ...] = ()


def settings_file() -> Path | None:
    candidates = []
    if os.environ.get("DELAR_XL_SETTINGS"):
        candidates.append(Path(os.environ["DELAR_XL_SETTINGS"]))
    candidates.append(Path.cwd() / "delar_xl.toml")
    if os.environ.get("APPDATA"):
        candidates.append(Path(os.environ["APPDATA"]) / "delar_xl" / "delar_xl.toml")
    candidates.append(Path.home() / ".config" / "delar_xl" / "delar_xl.toml")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def load_settings(path: Path | None = None) -> Settings:
    """Settings from `path`, or from the first settings file found, or the defaults."""
    path = path or settings_file()
    if path is None:
        return Settings()
    data = _parse(path)
    check = data.get("kontroll", {})
    if not isinstance(check, dict):
        raise SettingsError(
            f"Inställningsfilen {path}: kontroll ska vara ett avsnitt, [kontroll], med "
            "inställningarna på egna rader under det."
        )
    mail = data.get("epost", {})
    return Settings(
        comment_threshold_tkr=_number(path, check, "kommentar_grans_tkr", Settings.comment_threshold_tkr, "tkr"),
        comment_threshold_percent=_number(
            path, check, "kommentar_grans_procent", Settings.comment_threshold_percent, "procent", upper=100.0
        ),
        plausibility_min_tkr=_number(path, check, "rimlighet_grans_tkr", Settings.plausibility_min_tkr, "tkr"),
        unit_slip_factor=_number(path, check, "rimlighet_enhet_faktor", Settings.unit_slip_factor, "gånger", above=1.0),
        deviation_share_percent=_number(
            path, check, "rimlighet_avvikelse_procent", Settings.deviation_share_percent, "procent av budgeten"
        ),
        mail=dict(mail) if isinstance(mail, dict) else {},
        warnings=tuple(_unknown(path, data)),
    )


def _parse(path: Path) -> dict[str, Any]:
    from delar_xl.oserrors import reading

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"Inställningsfilen {path} kan inte läsas: {reading(exc)}") from exc
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"Inställningsfilen {path} kan inte läsas: den är inte sparad som UTF-8. Spara den "
            "som UTF-8 (i Anteckningar: Spara som, Kodning UTF-8) och försök igen."
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(_syntax_message(path, raw, str(exc))) from exc


def _syntax_message(path: Path, raw: bytes, reason: str) -> str:
    """The line and column tomllib names (its text is English), with the line itself and a hint."""
    if "overwrite" in reason or "Cannot declare" in reason:
        hint = "Samma inställning eller samma avsnitt står två gånger; ta bort det ena"
    elif "Unterminated string" in reason:
        hint = "En text saknar sitt avslutande citattecken"
    else:
        hint = 'Skriv tal utan mellanslag (1000) och text inom citattecken ("text")'
    found = _AT_LINE.search(reason)
    if not found:
        return f"Inställningsfilen {path} kan inte läsas: den slutar mitt i något. {hint}; rätta filen och försök igen."
    number, column = int(found.group(1)), int(found.group(2))
    lines = raw.decode("utf-8-sig", "replace").splitlines()
    text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    shown = f" ({text})" if text else ""
    return (
        f"Inställningsfilen {path} kan inte läsas: rad {number}{shown} är inte giltig TOML (kolumn {column}). "
        f"{hint}; rätta raden och försök igen."
    )


def _number(
    path: Path,
    section: dict[str, Any],
    key: str,
    default: float,
    unit: str,
    upper: float | None = None,
    above: float | None = None,
) -> float:
    """A threshold: a number, 0 or more (at most `upper`; more than `above`, when given); anything else
    is refused naming the key."""
    value = section.get(key, default)
    ok = (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and value >= 0
        and (upper is None or value <= upper)
        and (above is None or value > above)
    )
    if ok:
        return float(value)
    shown = f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else value
    if above is not None:
        limit = f"större än {above:g}"
    else:
        limit = f"mellan 0 och {upper:g}" if upper is not None else "0 eller större"
    example = f"{default:g}"
    raise SettingsError(
        f"Inställningsfilen {path}: {key} = {shown} går inte att använda. Ange ett tal {limit} "
        f"({unit}) utan citattecken, till exempel {key} = {example}."
    )


def _unknown(path: Path, data: dict[str, Any]) -> list[Finding]:
    """A Varning for every section or key no part of delar_xl reads, with the nearest known name."""
    found = []
    for name, value in data.items():
        if name not in KNOWN_KEYS:
            if isinstance(value, dict):
                guess = _nearest(name, list(KNOWN_KEYS))
                hint = f" Menade du [{guess}]?" if guess else " Avsnitten är [kontroll] och [epost]."
                found.append(_warning(path, f"Okänt avsnitt [{name}] i {path}; det används inte.{hint}"))
            else:
                keys = sorted(k for keys in KNOWN_KEYS.values() for k in keys)
                section = next((s for s, keys in KNOWN_KEYS.items() if name in keys), None)
                guess = _nearest(name, keys)
                hint = f" Den hör hemma under [{section}]." if section else f' Menade du "{guess}"?' if guess else ""
                found.append(
                    _warning(path, f'Inställningen "{name}" i {path} står utanför avsnitten och används inte.{hint}')
                )
            continue
        if not isinstance(value, dict):
            continue
        for key in value:
            if key not in KNOWN_KEYS[name]:
                guess = _nearest(key, sorted(KNOWN_KEYS[name]))
                hint = f' Menade du "{guess}"?' if guess else ""
                found.append(_warning(path, f'Okänd inställning "{key}" i [{name}] i {path}; den används inte.{hint}'))
    return found


def _nearest(name: str, known: list[str]) -> str | None:
    matches = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _warning(path: Path, message: str) -> Finding:
    return Finding(path.name, "", "", Severity.WARNING, CODE_UNKNOWN, message)
