"""Everything configurable in one object, read from an optional TOML file and the environment.

Search order for the file: $DELAR_XL_SETTINGS, ./delar_xl.toml, the user's config folder
(~/.config/delar_xl/delar_xl.toml, %APPDATA%\\delar_xl\\delar_xl.toml). Sections: [kontroll]
and [epost]. Passwords are never read from a file (see mail/settings.py).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    check = data.get("kontroll", {})
    return Settings(
        comment_threshold_tkr=float(check.get("kommentar_grans_tkr", Settings.comment_threshold_tkr)),
        comment_threshold_percent=float(check.get("kommentar_grans_procent", Settings.comment_threshold_percent)),
        plausibility_min_tkr=float(check.get("rimlighet_grans_tkr", Settings.plausibility_min_tkr)),
        unit_slip_factor=float(check.get("rimlighet_enhet_faktor", Settings.unit_slip_factor)),
        deviation_share_percent=float(check.get("rimlighet_avvikelse_procent", Settings.deviation_share_percent)),
        mail=dict(data.get("epost", {})),
    )
