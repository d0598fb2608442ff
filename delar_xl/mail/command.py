"""`delar-xl skicka`: compose, refuse a summary with Fel unless asked, deliver or fall back to a draft."""

from __future__ import annotations

import sys
from pathlib import Path

from delar_xl.mail.compose import compose
from delar_xl.mail.eml import EmlSender, fallback_path, write_fallback
from delar_xl.mail.errors import MailError
from delar_xl.mail.message import Sender
from delar_xl.mail.outlook import OutlookSender
from delar_xl.mail.settings import MailSettings, mail_settings
from delar_xl.mail.smtp import SmtpSender


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
