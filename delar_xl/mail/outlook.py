"""Outlook through COM (Windows only): a new message with the summary attached, for the user to send."""

from __future__ import annotations

from dataclasses import dataclass

from delar_xl.mail.errors import MailError
from delar_xl.mail.message import Mail


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
