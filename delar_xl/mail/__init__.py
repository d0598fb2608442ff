"""The email face: send the summary to Ekonomistaben, or hand it over as an unsent draft.

Flow: summary file → `read_headline` (headline.py: a few contract names, read with python-calamine)
→ `compose` (compose.py: Swedish subject and body, the file attached unchanged, as a `Mail` from
message.py) → a `Sender`:

- `SmtpSender` (smtp.py): SMTP, with STARTTLS or SSL and login when configured. The envelope is
  checked recipient by recipient before any data is sent, so a refused recipient means nothing
  was delivered to anyone.
- `EmlSender` (eml.py): writes an .eml marked `X-Unsent: 1`, which Outlook opens as a draft.
- `OutlookSender` (outlook.py): opens an Outlook draft through COM (Windows only; untestable on
  Linux, its tests drive a stand-in COM object).

Configuration (settings.py) comes from the [epost] section of the settings file, overridden by
environment variables, overridden by command-line arguments. A password is read only from the
environment or the system keyring (optional `keyring` package), never from a file.

`cli_send` (command.py) is the `delar-xl skicka` command; `offer_send` (offer.py) is what the
Excel add-in calls after consolidating. Everything public is importable from `delar_xl.mail`.
"""

from __future__ import annotations

from delar_xl.mail.command import cli_send
from delar_xl.mail.compose import body_for, compose, subject_for
from delar_xl.mail.eml import EmlSender, fallback_path, write_fallback
from delar_xl.mail.errors import ConfigError, DeliveryError, MailError
from delar_xl.mail.headline import Headline, UnitLine, read_headline
from delar_xl.mail.message import XLSX_MAINTYPE, XLSX_SUBTYPE, Mail, Sender, build_message
from delar_xl.mail.offer import UI, offer_send
from delar_xl.mail.outlook import OutlookSender
from delar_xl.mail.settings import KEYRING_SERVICE, METHODS, SECURITY, MailSettings, mail_settings, validate_address
from delar_xl.mail.smtp import SmtpSender
from delar_xl.words import swedish_date

__all__ = [
    "KEYRING_SERVICE",
    "METHODS",
    "SECURITY",
    "UI",
    "XLSX_MAINTYPE",
    "XLSX_SUBTYPE",
    "ConfigError",
    "DeliveryError",
    "EmlSender",
    "Headline",
    "Mail",
    "MailError",
    "MailSettings",
    "OutlookSender",
    "Sender",
    "SmtpSender",
    "UnitLine",
    "body_for",
    "build_message",
    "cli_send",
    "compose",
    "fallback_path",
    "mail_settings",
    "offer_send",
    "read_headline",
    "subject_for",
    "swedish_date",
    "validate_address",
    "write_fallback",
]
