"""The email face: send the summary to Ekonomistaben, or hand it over as an unsent draft.

Flow: summary file → `read_headline` (a few contract names, read with python-calamine) →
`compose` (Swedish subject and body, the file attached unchanged) → a `Sender`:

- `SmtpSender`: SMTP, with STARTTLS or SSL and login when configured. The envelope is checked
  recipient by recipient before any data is sent, so a refused recipient means nothing was
  delivered to anyone.
- `EmlSender`: writes an .eml marked `X-Unsent: 1`, which Outlook opens as a draft.
- `OutlookSender`: opens an Outlook draft through COM (Windows only; untestable on Linux, its
  tests drive a stand-in COM object).

Configuration comes from the [epost] section of the settings file, overridden by environment
variables, overridden by command-line arguments. A password is read only from the environment
or the system keyring (optional `keyring` package), never from a file.

`cli_send` is the `delar-xl skicka` command; `offer_send` is what the Excel add-in calls after
consolidating.
"""

from __future__ import annotations

import base64
import io
import os
import smtplib
import socket
import ssl
import sys
import tomllib
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Any, Mapping, Protocol, Sequence

from .files import write_atomic
from .findings import DelarXlError, OutputError, UnreadableFile
from .guard import check_package
from .numbers import NumberKind, format_mnkr, parse_number, rounded_sum_differs
from .cells import a1_to_index
from .ooxml import defined_names
from .settings import load_settings
from .text import MONTHS

XLSX_MAINTYPE = "application"
XLSX_SUBTYPE = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEYRING_SERVICE = "delar_xl"

METHODS = ("smtp", "eml", "outlook")
SECURITY = ("starttls", "ssl", "ingen")
_DEFAULT_PORT = {"starttls": 587, "ssl": 465, "ingen": 25}

_COUNT_NAMES = {
    "goals": "AntalMal",
    "goals_full": "MalHelt",
    "goals_partly": "MalDelvis",
    "goals_not": "MalInte",
    "goals_unassessed": "MalEjBedomt",
    "assignments": "AntalUppdrag",
    "assignments_done": "UppdragVerkstalls",
    "assignments_postponed": "UppdragForskjuts",
    "assignments_cancelled": "UppdragAvbryts",
    "errors": "AntalFel",
    "warnings": "AntalVarningar",
}


# Errors. ------------------------------------------------------------------------------------


class MailError(DelarXlError):
    """Nothing was sent. The message is Swedish and meant for the user."""


class ConfigError(MailError):
    """The settings, arguments or summary file do not allow a message to be built or sent."""


class DeliveryError(MailError):
    """The server could not be reached or refused the message; nothing was delivered."""


# Reading the summary. -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitLine:
    """One förvaltning's row in the summary's `Forvaltningar` table."""

    name: str
    deviation_mnkr: float | None
    status: str


@dataclass(frozen=True)
class Headline:
    """The figures the email body quotes, read from the summary's defined names and tables."""

    report: str = "Delårsrapport"
    board: str = ""
    period_end: date | None = None
    units: tuple[UnitLine, ...] = ()
    deviation_total_mnkr: float | None = None
    goals: int | None = None
    goals_full: int | None = None
    goals_partly: int | None = None
    goals_not: int | None = None
    goals_unassessed: int | None = None
    assignments: int | None = None
    assignments_done: int | None = None
    assignments_postponed: int | None = None
    assignments_cancelled: int | None = None
    errors: int = 0
    warnings: int = 0


def read_headline(source: Path | bytes) -> Headline:
    """The headline figures of a summary workbook (a path or the file's bytes).

    Raises `ConfigError` with a Swedish message when the file is not a readable summary.
    """
    data = source if isinstance(source, bytes) else _read_file(Path(source))
    _check_package(data)
    try:
        from python_calamine import CalamineWorkbook

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = defined_names(zf)
        book = CalamineWorkbook.from_filelike(io.BytesIO(data), load_tables=True)
    except ConfigError:
        raise
    except Exception as exc:  # calamine and the XML parser raise many kinds of errors
        raise ConfigError(f"Sammanställningen kunde inte läsas: {exc}.") from exc
    cells = _NameReader(book, names)
    errors = cells.count("AntalFel")
    if errors is None:
        errors = _count_errors_in_table(book)
    if errors is None:
        raise ConfigError(
            "Filen är ingen sammanställning från delar_xl: namnet AntalFel och tabellen Kontroll saknas."
        )
    counts = {key: cells.count(name) for key, name in _COUNT_NAMES.items() if key not in ("errors", "warnings")}
    return Headline(
        report=cells.text("Rapport") or "Delårsrapport",
        board=cells.text("Namnd"),
        period_end=cells.date("Periodslut") or _period_from_sources(book),
        units=_unit_lines(book),
        deviation_total_mnkr=cells.number("AvvikelseTotal"),
        errors=errors,
        warnings=cells.count("AntalVarningar") or 0,
        **counts,
    )


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"Sammanställningen {path} finns inte.") from None
    except OSError as exc:
        raise ConfigError(f"Sammanställningen {path} kunde inte läsas: {exc.strerror or exc}.") from exc


def _check_package(data: bytes) -> None:
    """The same guard every input passes (the summary may have travelled by email)."""
    try:
        check_package(data)
    except UnreadableFile as exc:
        raise ConfigError(f"Sammanställningen kan inte läsas: {exc}") from exc


class _NameReader:
    """Values of single-cell defined names, with each sheet read once."""

    def __init__(self, book: Any, names: Mapping[str, Any]) -> None:
        self._book = book
        self._names = names
        self._sheets: dict[str, list[list[Any]]] = {}

    def value(self, name: str) -> Any:
        target = self._names.get(name)
        if target is None or not target.cell:
            return None
        if target.sheet not in self._sheets:
            try:
                sheet = self._book.get_sheet_by_name(target.sheet)
            except Exception:
                return None
            self._sheets[target.sheet] = sheet.to_python(skip_empty_area=False)
        row, col = a1_to_index(target.cell)
        rows = self._sheets[target.sheet]
        if row >= len(rows) or col >= len(rows[row]):
            return None
        return rows[row][col]

    def number(self, name: str) -> float | None:
        return _as_number(self.value(name))

    def count(self, name: str) -> int | None:
        number = self.number(name)
        return None if number is None else int(round(number))

    def text(self, name: str) -> str:
        value = self.value(name)
        return value.strip() if isinstance(value, str) else ""

    def date(self, name: str) -> date | None:
        return _as_date(self.value(name))


def _as_number(value: Any) -> float | None:
    parsed = parse_number(value)
    if parsed.kind in (NumberKind.NUMBER, NumberKind.TEXT):
        return parsed.value
    return None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return date(1899, 12, 30) + timedelta(days=int(value))  # an Excel serial day
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _table(book: Any, name: str) -> list[dict[str, Any]]:
    """Rows of an Excel table as dicts keyed by header text; [] when the table is missing."""
    try:
        table = book.get_table_by_name(name)
    except Exception:
        return []
    columns = [str(c) for c in table.columns]
    return [dict(zip(columns, row)) for row in table.to_python()]


def _unit_lines(book: Any) -> tuple[UnitLine, ...]:
    lines = []
    for row in _table(book, "Forvaltningar"):
        name = str(row.get("Förvaltning") or "").strip()
        if not name:
            continue
        status = row.get("Status")
        lines.append(UnitLine(_one_line(name), _as_number(row.get("Avvikelse helår")), _one_line(str(status or ""))))
    return tuple(lines)


def _count_errors_in_table(book: Any) -> int | None:
    try:
        book.get_table_by_name("Kontroll")
    except Exception:
        return None
    return sum(1 for row in _table(book, "Kontroll") if str(row.get("Allvarlighet", "")).strip() == "Fel")


def _period_from_sources(book: Any) -> date | None:
    periods = {_as_date(row.get("Periodslut")) for row in _table(book, "Kallor")} - {None}
    return periods.pop() if len(periods) == 1 else None


# Composing the message. -------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    """Everything a sender needs: the texts, the addresses and the attachment (unchanged bytes)."""

    subject: str
    body: str
    to: tuple[str, ...]
    sender: str | None
    attachment_name: str
    attachment: bytes = field(repr=False)
    attachment_path: Path | None = None


def swedish_date(day: date) -> str:
    """2021-08-31 → "31 augusti 2021"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def subject_for(headline: Headline) -> str:
    """"Delårsrapport per den 31 augusti 2021 – Kommunstyrelsen"."""
    subject = _one_line(headline.report) or "Delårsrapport"
    if headline.period_end is not None:
        subject += f" per den {swedish_date(headline.period_end)}"
    if headline.board:
        subject += f" – {_one_line(headline.board)}"
    return subject


def _one_line(text: str) -> str:
    """Text from a cell, safe in a header: line breaks and runs of spaces become one space."""
    return " ".join(text.split())


def body_for(headline: Headline, attachment_name: str) -> str:
    """The short Swedish body: deviations per förvaltning and in total, counts, findings."""
    lines = ["Hej!", "", _intro(headline, attachment_name), ""]
    if headline.errors:
        lines += [_errors_notice(headline.errors), ""]
    lines += _economy_lines(headline)
    lines += _count_lines(headline)
    lines += ["", "Meddelandet är skapat av delar_xl."]
    return "\n".join(lines) + "\n"


def compose(summary: Path, to: Sequence[str], sender: str | None) -> tuple[Mail, Headline]:
    """Read the summary once and build the message around exactly those bytes."""
    summary = Path(summary)
    data = _read_file(summary)
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


def build_message(mail: Mail, draft: bool = False) -> EmailMessage:
    """The MIME message: UTF-8 headers, quoted-printable body, the .xlsx attached (RFC 2231 name)."""
    msg = EmailMessage(policy=policy.SMTP)
    if mail.sender:
        msg["From"] = mail.sender
    if mail.to:
        msg["To"] = ", ".join(mail.to)
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=_domain_of(mail.sender))
    if draft:
        msg["X-Unsent"] = "1"  # Outlook opens the file as a new message, ready to send
    msg.set_content(mail.body, cte="quoted-printable")
    msg.add_attachment(
        mail.attachment,
        maintype=XLSX_MAINTYPE,
        subtype=XLSX_SUBTYPE,
        filename=mail.attachment_name,
    )
    for part in msg.iter_attachments():
        del part["MIME-Version"]  # the email package repeats it in each part; it belongs on top only
    msg["Content-Language"] = "sv-SE"  # after set_content, which drops Content-* headers
    return msg


def _intro(headline: Headline, attachment_name: str) -> str:
    report = _one_line(headline.report).lower() or "delårsrapport"
    text = f"Bifogat finns sammanställningen av {report}{'n' if report.endswith('e') else 'en'}"
    if headline.board:
        text += f" för {_lower_first(_one_line(headline.board))}"
    if headline.period_end is not None:
        text += f" per den {swedish_date(headline.period_end)}"
    return text + f" ({attachment_name})."


def _errors_notice(errors: int) -> str:
    found = "ett fel" if errors == 1 else f"{errors} fel"
    return (
        f"OBS! Kontrollen hittade {found} (se bladet Kontroll). Förvaltningar med fel ingår inte "
        "i totalerna, som därför är ofullständiga. Sammanställningen skickas ändå, på avsändarens begäran."
    )


def _economy_lines(headline: Headline) -> list[str]:
    if not headline.units and headline.deviation_total_mnkr is None:
        return []
    lines = ["Prognos för helåret, avvikelse mot budget:"]
    for unit in headline.units:
        line = f"- {unit.name}: {_deviation_text(unit.deviation_mnkr)}"
        if headline.errors and unit.status:
            line += f" – {unit.status}"
        lines.append(line)
    total = "Totalt, utan förvaltningar med fel" if headline.errors else "Totalt"
    lines.append(f"- {total}: {_deviation_text(headline.deviation_total_mnkr)}")
    if not headline.errors and _rounding_differs(headline):
        lines.append("Beloppen är avrundade var för sig och summerar därför inte exakt till totalen.")
    return lines + [""]


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
    values = [u.deviation_mnkr for u in headline.units]
    if headline.deviation_total_mnkr is None or not values or None in values:
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
            f"Strategiska uppdrag: {h.assignments} (verkställs under året {_n(h.assignments_done)}, "
            f"förskjuts {_n(h.assignments_postponed)}, avbryts {_n(h.assignments_cancelled)})."
        )
    errors = "ett fel" if h.errors == 1 else f"{h.errors} fel"
    warnings = "en varning" if h.warnings == 1 else f"{h.warnings} varningar"
    lines.append(f"Kontroll: {errors} och {warnings}.")
    return lines


def _n(value: int | None) -> str:
    return "–" if value is None else str(value)


def _lower_first(name: str) -> str:
    """"Kommunstyrelsen" → "kommunstyrelsen"; acronyms ("KLF") are left alone."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _domain_of(address: str | None) -> str:
    if address:
        spec = getaddresses([address])[0][1]
        if "@" in spec:
            return spec.rsplit("@", 1)[1]
    return "delar-xl.invalid"


# Settings. --------------------------------------------------------------------------------


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
    if (
        not local
        or "." not in domain
        or any(ch in text for ch in "\r\n\t")
        or not spec.isascii()
        or " " in spec
    ):
        raise ConfigError(f"Ogiltig e-postadress: {text!r}.")
    return text


def _file_section() -> dict[str, Any]:
    try:
        return dict(load_settings().mail)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Inställningsfilen kunde inte läsas: {exc}.") from exc


def _pick(*values: Any) -> str:
    """The first value that is set, as stripped text."""
    for value in values:
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _parse_server(text: str) -> tuple[str, int]:
    """"smtp.example.se:587" → ("smtp.example.se", 587); "[::1]:25" works too; no port → 0."""
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


def _keyring_password(user: str) -> str | None:
    """The password stored with `keyring set delar_xl USER`, if the keyring package is installed."""
    try:
        import keyring  # optional dependency
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # no usable backend, a locked keychain, …
        return None


# Senders. ---------------------------------------------------------------------------------


class Sender(Protocol):
    """Delivers a `Mail` and returns a Swedish sentence saying what happened; raises `MailError`."""

    def deliver(self, mail: Mail) -> str: ...


@dataclass(frozen=True)
class SmtpSender:
    """Sends over SMTP; STARTTLS/SSL and login as configured. All recipients or none."""

    settings: MailSettings

    def deliver(self, mail: Mail) -> str:
        s = self.settings
        if not s.host:
            raise ConfigError(
                "Ingen e-postserver är angiven: ange --smtp VÄRD:PORT, miljövariabeln DELAR_XL_SMTP "
                "eller smtp i avsnittet [epost] i inställningsfilen."
            )
        if not mail.sender:
            raise ConfigError("Avsändare saknas: ange --fran ADRESS, DELAR_XL_FRAN eller fran i [epost].")
        if not mail.to:
            raise ConfigError("Mottagare saknas: ange --till ADRESS, DELAR_XL_TILL eller till i [epost].")
        if s.user and s.effective_security == "ingen":
            raise ConfigError(
                "Inloggning utan kryptering är avstängd: sätt sakerhet = \"starttls\" eller \"ssl\" i [epost]."
            )
        password = s.password or (_keyring_password(s.user) if s.user else None) or ""
        if s.user and not password:
            raise ConfigError(
                f"Lösenord saknas för {s.user}: sätt miljövariabeln DELAR_XL_SMTP_LOSENORD eller spara "
                f"det i nyckelringen (keyring set {KEYRING_SERVICE} {s.user})."
            )
        data = build_message(mail).as_bytes(policy=policy.SMTP)
        recipients = [_addr_spec(a) for a in mail.to]
        where = f"{s.host}:{s.port}"
        try:
            smtp = self._connect()
            try:
                self._secure_and_login(smtp, password)
                _transmit(smtp, _addr_spec(mail.sender), recipients, data)
            finally:
                _quit(smtp)
        except MailError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"E-postservern {where} godtog inte inloggningen för {s.user} "
                f"({_reply(exc.smtp_code, exc.smtp_error)}). Kontrollera användarnamn och lösenord. Inget skickades."
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(
                f"E-postservern {where} saknar stöd för det som krävs: {exc}. Inget skickades."
            ) from exc
        except ssl.SSLError as exc:
            raise DeliveryError(
                f"Den krypterade förbindelsen med {where} kunde inte upprättas ({exc.reason or exc}). "
                "Kontrollera sakerhet och ca_fil i [epost]. Inget skickades."
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"E-postservern {where} avvisade meddelandet ({_reply(exc.smtp_code, exc.smtp_error)}). "
                "Inget skickades."
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(
                f"Kunde inte ansluta till e-postservern {where} ({_os_reason(exc)}). Inget skickades."
            ) from exc
        return f"Sammanställningen skickades till {', '.join(mail.to)} via {where}."

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.effective_security == "ssl":
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._tls_context())
        return smtplib.SMTP(s.host, s.port, timeout=s.timeout)

    def _secure_and_login(self, smtp: smtplib.SMTP, password: str) -> None:
        s = self.settings
        smtp.ehlo()
        if s.effective_security == "starttls":
            if not smtp.has_extn("starttls"):
                raise DeliveryError(
                    f"E-postservern {s.host}:{s.port} erbjuder inte krypterad förbindelse (STARTTLS). Inget skickades."
                )
            smtp.starttls(context=self._tls_context())
            smtp.ehlo()
        if s.user:
            _login(smtp, s.user, password)

    def _tls_context(self) -> ssl.SSLContext:
        try:
            return ssl.create_default_context(cafile=self.settings.ca_file or None)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"Certifikatfilen {self.settings.ca_file} kunde inte läsas: {exc}.") from exc


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login, or AUTH PLAIN in UTF-8 (RFC 4616) for a name or password with å, ä, ö.

    smtplib encodes credentials as ASCII and would crash on "lösen".
    """
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise DeliveryError(
            f"E-postservern {smtp._host} kan inte ta emot inloggning med å, ä eller ö (AUTH PLAIN saknas). "
            "Inget skickades."
        )
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _transmit(smtp: smtplib.SMTP, envelope_from: str, recipients: list[str], data: bytes) -> None:
    """MAIL, every RCPT, then DATA only if every recipient was accepted (else RSET: nothing sent)."""
    code, reply = smtp.mail(envelope_from)
    if code != 250:
        _abort(smtp)
        raise DeliveryError(
            f"E-postservern avvisade avsändaren {envelope_from} ({_reply(code, reply)}). Inget skickades."
        )
    for address in recipients:
        code, reply = smtp.rcpt(address)
        if code not in (250, 251):
            _abort(smtp)
            raise DeliveryError(
                f"E-postservern tog inte emot mottagaren {address} ({_reply(code, reply)}). "
                "Inget skickades, inte heller till de andra mottagarna."
            )
    smtp.data(data)  # raises SMTPDataError unless the server answers 250


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye; once DATA was accepted the message is delivered, whatever QUIT answers."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _abort(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except (smtplib.SMTPException, OSError):
        pass


def _addr_spec(address: str) -> str:
    return getaddresses([address])[0][1]


def _reply(code: int | None, text: bytes | str | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"svar {code}: {(text or '').strip()}".rstrip(": ")


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "anslutningen nekades; fel värd eller port, eller servern är inte igång"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "ingen kontakt inom tidsgränsen"
    if isinstance(exc, socket.gaierror):
        return "värdnamnet hittades inte"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "servern stängde förbindelsen"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


@dataclass(frozen=True)
class EmlSender:
    """Writes the message as an unsent draft (.eml with `X-Unsent: 1`)."""

    path: Path

    def deliver(self, mail: Mail) -> str:
        data = build_message(mail, draft=True).as_bytes(policy=policy.SMTP)
        try:
            target = Path(self.path).resolve()
            written = write_atomic(target, lambda tmp: tmp.write_bytes(data), verify=_verify_eml)
        except OutputError as exc:
            raise MailError(str(exc)) from exc
        return (
            f"Utkastet sparades som {written}. Öppna det i Outlook (eller Thunderbird: Redigera som nytt), "
            "kontrollera mottagarna och skicka."
        )


def _verify_eml(path: Path) -> None:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    if not any(part.get_filename() for part in msg.iter_attachments()):
        raise OutputError(f"Utkastet {path} blev ofullständigt och sparades inte.")


@dataclass(frozen=True)
class OutlookSender:
    """Opens a new Outlook message with the summary attached, for the user to check and send.

    Windows with Outlook and pywin32 only; on other systems `deliver` raises `MailError`.
    Untestable on Linux except through a stand-in COM object (see tests/test_mail.py).
    """

    def deliver(self, mail: Mail) -> str:
        try:
            import win32com.client  # pywin32, Windows only
        except ImportError:
            raise MailError("Outlook kan bara användas på Windows med Outlook och pywin32 installerade.") from None
        if mail.attachment_path is None:
            raise MailError("Outlook behöver sammanställningen som en fil på disken.")
        try:
            outlook = win32com.client.Dispatch("Outlook.Application")
            item = outlook.CreateItem(0)  # olMailItem
            item.Subject = mail.subject
            item.Body = mail.body
            if mail.to:
                item.To = "; ".join(mail.to)
            item.Attachments.Add(str(mail.attachment_path))
            item.Display(False)
        except Exception as exc:  # pywintypes.com_error and friends
            raise MailError(f"Outlook kunde inte öppna ett nytt meddelande: {exc}.") from exc
        return "Ett nytt meddelande med sammanställningen är öppet i Outlook: kontrollera det och skicka."


def fallback_path(summary: Path) -> Path:
    """Where the draft goes when sending failed: next to the summary, same name, .eml."""
    return Path(summary).resolve().with_suffix(".eml")


def write_fallback(mail: Mail, summary: Path) -> tuple[Path | None, str]:
    """Write the unsent draft next to the summary; (path or None, Swedish sentence)."""
    path = fallback_path(summary)
    try:
        EmlSender(path).deliver(mail)
    except (MailError, OSError) as exc:
        return None, f"Utkastet kunde inte heller sparas: {exc}"
    return path, (
        f"Meddelandet sparades i stället som utkast: {path}. Öppna det i Outlook eller Thunderbird och skicka därifrån."
    )


# The command line. ------------------------------------------------------------------------


def cli_send(
    summary: Path,
    to: list[str],
    sender: str | None,
    smtp: str | None,
    eml: Path | None,
    despite_errors: bool,
) -> int:
    """`delar-xl skicka`: 0 sent or draft written, 1 refused (the summary has Fel), 2 failed."""
    if eml is not None and smtp:
        return _fail("Ange antingen --eml eller --smtp, inte båda.")
    try:
        config = mail_settings(smtp=smtp, sender=sender, to=to)
        mail, headline = compose(Path(summary), config.to, config.sender or None)
    except MailError as exc:
        return _fail(str(exc))
    if headline.errors and not despite_errors:
        found = "ett fel" if headline.errors == 1 else f"{headline.errors} fel"
        print(
            f"Sammanställningen har {found} (se bladet Kontroll) och skickas inte. Rätta mallarna och "
            "konsolidera igen, eller skicka ändå med --trots-fel.",
            file=sys.stderr,
        )
        return 1
    chosen = _cli_sender(config, Path(summary), smtp, eml)
    try:
        print(chosen.deliver(mail))
    except MailError as exc:
        print(str(exc), file=sys.stderr)
        if not isinstance(chosen, EmlSender):
            print(write_fallback(mail, Path(summary))[1], file=sys.stderr)
        return 2
    if headline.errors:
        print("Observera: sammanställningen har fel, och meddelandet säger det.")
    return 0


def _cli_sender(config: MailSettings, summary: Path, smtp: str | None, eml: Path | None) -> Sender:
    """--eml wins; then a configured `metod` (outlook, eml) unless --smtp was given; else SMTP."""
    if eml is not None:
        return EmlSender(Path(eml))
    if not smtp and config.method == "outlook":
        return OutlookSender()
    if not smtp and config.method == "eml":
        return EmlSender(fallback_path(summary))
    return SmtpSender(config)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


# The Excel add-in. ------------------------------------------------------------------------


class UI(Protocol):
    """What the add-in offers: a message box and a yes/no question."""

    def alert(self, message: str) -> None: ...

    def confirm(self, question: str) -> bool: ...


def offer_send(summary_path: Path, ui: UI, *, config: MailSettings | None = None) -> None:
    """After consolidating: ask whether to email the summary, then do it the configured way.

    Outlook draft (`metod = "outlook"`), SMTP, or an .eml next to the summary. Never raises
    for a user-level problem: everything is reported through `ui.alert`.
    """
    summary_path = Path(summary_path)
    try:
        config = config or mail_settings()
        mail, headline = compose(summary_path, config.to, config.sender or None)
    except MailError as exc:
        ui.alert(f"Sammanställningen kan inte skickas: {exc}")
        return
    if not ui.confirm(_question(headline, config)):
        return
    method = config.effective_method
    sender: Sender
    if method == "outlook":
        sender = OutlookSender()
    elif method == "smtp":
        sender = SmtpSender(config)
    else:
        sender = EmlSender(fallback_path(summary_path))
    try:
        ui.alert(sender.deliver(mail))
    except MailError as exc:
        _, where = write_fallback(mail, summary_path) if method != "eml" else (None, "")
        ui.alert(f"{exc}\n\n{where}".strip())


def _question(headline: Headline, config: MailSettings) -> str:
    to = f" ({', '.join(config.to)})" if config.to else ""
    question = f"Vill du skicka sammanställningen till Ekonomistaben{to} med e-post?"
    if headline.errors:
        found = "ett fel" if headline.errors == 1 else f"{headline.errors} fel"
        question = (
            f"Sammanställningen har {found}, och totalerna är ofullständiga. "
            f"Vill du ändå skicka den till Ekonomistaben{to}? Meddelandet säger att den har fel."
        )
    if config.effective_method == "outlook":
        question += " Ett utkast öppnas i Outlook."
    elif config.effective_method == "eml":
        question += " Ett utkast sparas bredvid sammanställningen."
    return question
