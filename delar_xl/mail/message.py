"""The message itself: what every sender delivers, and its MIME form (independent of what it says)."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Protocol

XLSX_MAINTYPE = "application"
XLSX_SUBTYPE = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


class Sender(Protocol):
    """Delivers a `Mail` and returns a Swedish sentence saying what happened; raises `MailError`."""

    def deliver(self, mail: Mail) -> str: ...


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


def _domain_of(address: str | None) -> str:
    if address:
        spec = getaddresses([address])[0][1]
        if "@" in spec:
            return spec.rsplit("@", 1)[1]
    return "delar-xl.invalid"
