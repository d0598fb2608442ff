"""Mail settings: the [epost] section of the settings file, the environment and the command line.

A password is read only from the environment or the system keyring (optional `keyring` package),
never from a file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import getaddresses
from typing import Any

from delar_xl.mail.errors import ConfigError
from delar_xl.settings import SettingsError, load_settings

KEYRING_SERVICE = "delar_xl"

METHODS = ("smtp", "eml", "outlook")
SECURITY = ("starttls", "ssl", "ingen")
_DEFAULT_PORT = {"starttls": 587, "ssl": 465, "ingen": 25}


@dataclass(frozen=True)
class MailSettings:
    """The [epost] settings merged with the environment and the command line."""

    method: str = ""  # "smtp", "eml", "outlook"; "" = SMTP when a server is set, otherwise .eml
    host: str = ""
    port: int = 0
    security: str = ""  # "starttls", "ssl" or "ingen"; "" = chosen from the port
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    to: tuple[str, ...] = ()
    ca_file: str = ""
    timeout: int = 30

    @property
    def effective_security(self) -> str:
        if self.security:
            return self.security
        return {465: "ssl", 587: "starttls"}.get(self.port, "ingen")

    @property
    def effective_method(self) -> str:
        return self.method or ("smtp" if self.host else "eml")


def mail_settings(
    file_section: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    smtp: str | None = None,
    sender: str | None = None,
    to: Sequence[str] = (),
) -> MailSettings:
    """Merge, strongest last: the settings file's [epost] section, the environment, the arguments.

    `file_section` defaults to `load_settings().mail`, `environ` to `os.environ`. The password
    comes from DELAR_XL_SMTP_LOSENORD here, or from the keyring when `SmtpSender` needs it; never
    from the file.
    """
    env = os.environ if environ is None else environ
    section = _file_section() if file_section is None else dict(file_section)
    if any(key in section for key in ("losenord", "lösenord", "password")):
        raise ConfigError(
            "Lösenord får inte stå i inställningsfilen. Ta bort det ur avsnittet [epost] och sätt "
            "miljövariabeln DELAR_XL_SMTP_LOSENORD eller spara det i nyckelringen (se docs/epost.md)."
        )
    method = _pick(smtp and "smtp", env.get("DELAR_XL_METOD"), section.get("metod")).lower()
    if method and method not in METHODS:
        raise ConfigError(f"Okänd metod {method!r} för e-post: välj smtp, eml eller outlook.")
    security = _pick(env.get("DELAR_XL_SMTP_SAKERHET"), section.get("sakerhet")).lower()
    if security and security not in SECURITY:
        raise ConfigError(f"Okänd säkerhet {security!r} för e-post: välj starttls, ssl eller ingen.")
    host, port = _parse_server(_pick(smtp, env.get("DELAR_XL_SMTP"), section.get("smtp")))
    if host and not port:
        port = _as_int(section.get("port"), "port") or _DEFAULT_PORT[security or "starttls"]
    user = _pick(env.get("DELAR_XL_SMTP_ANVANDARE"), section.get("anvandare"))
    password = env.get("DELAR_XL_SMTP_LOSENORD", "")
    recipients = (
        _address_list(list(to)) or _address_list(env.get("DELAR_XL_TILL")) or _address_list(section.get("till"))
    )
    sender_address = _pick(sender, env.get("DELAR_XL_FRAN"), section.get("fran"))
    return MailSettings(
        method=method,
        host=host,
        port=port,
        security=security,
        user=user,
        password=password,
        sender=validate_address(sender_address) if sender_address else "",
        to=tuple(validate_address(a) for a in recipients),
        ca_file=_pick(env.get("DELAR_XL_SMTP_CA"), section.get("ca_fil")),
        timeout=_as_int(_pick(env.get("DELAR_XL_SMTP_TIDSGRANS"), section.get("tidsgrans_sekunder")), "tidsgräns")
        or 30,
    )


def _as_int(value: Any, what: str) -> int:
    """A whole number from the settings (0 when unset); ConfigError for anything else."""
    if value is None or value == "":
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"Ogiltig {what} i e-postinställningarna: {value!r}.") from None
    if number < 0:
        raise ConfigError(f"Ogiltig {what} i e-postinställningarna: {value!r}.")
    return number


def validate_address(address: str) -> str:
    """One address, "namn@example.se" or "Namn <namn@example.se>"; raises ConfigError otherwise."""
    text = str(address).strip()
    parsed = getaddresses([text])
    spec = parsed[0][1] if len(parsed) == 1 else ""
    local, _, domain = spec.rpartition("@")
    if not local or "." not in domain or any(ch in text for ch in "\r\n\t") or not spec.isascii() or " " in spec:
        raise ConfigError(f"Ogiltig e-postadress: {text!r}.")
    return text


def _file_section() -> dict[str, Any]:
    try:
        return dict(load_settings().mail)
    except SettingsError as exc:  # already Swedish, naming the file and the line
        raise ConfigError(str(exc)) from exc


def _pick(*values: Any) -> str:
    """The first value that is set, as stripped text."""
    for value in values:
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _parse_server(text: str) -> tuple[str, int]:
    """ "smtp.example.se:587" → ("smtp.example.se", 587); "[::1]:25" works too; no port → 0."""
    if not text:
        return "", 0
    host, port = text, ""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.lstrip(":")
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    if not host or (port and not port.isdigit()) or (port and not 0 < int(port) < 65536):
        raise ConfigError(f"Ogiltig e-postserver {text!r}: skriv VÄRD:PORT, till exempel smtp.kommun.se:587.")
    return host, int(port or 0)


def _address_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    parts = [part for item in value for part in str(item).replace(";", ",").split(",")]
    return [p.strip() for p in parts if p.strip()]


def keyring_password(user: str) -> str | None:
    """The password stored with `keyring set delar_xl USER`, if the keyring package is installed."""
    try:
        import keyring  # optional dependency
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # no usable backend, a locked keychain, …
        return None
