"""The add-in's question after consolidating: email the summary to Ekonomistaben, and how."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from delar_xl.mail.compose import compose
from delar_xl.mail.eml import EmlSender, fallback_path, write_fallback
from delar_xl.mail.errors import MailError
from delar_xl.mail.headline import Headline
from delar_xl.mail.message import Sender
from delar_xl.mail.outlook import OutlookSender
from delar_xl.mail.settings import MailSettings, mail_settings
from delar_xl.mail.smtp import SmtpSender


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
