"""The .eml draft: a message marked `X-Unsent: 1`, which Outlook opens ready to send.

Also where a draft goes when sending failed (next to the summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

from delar_xl.files import write_atomic
from delar_xl.findings import OutputError
from delar_xl.mail.errors import MailError
from delar_xl.mail.message import Mail, build_message


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


def fallback_path(summary: Path) -> Path:
    """Where the draft goes when sending failed: next to the summary, same name, .eml."""
    return Path(summary).resolve().with_suffix(".eml")


def write_fallback(mail: Mail, summary: Path) -> tuple[Path | None, str]:
    """Write the unsent draft next to the summary; (path or None, Swedish sentence)."""
    path = fallback_path(summary)
    try:
        EmlSender(path).deliver(mail)
    except MailError as exc:
        return None, f"Utkastet kunde inte heller sparas: {exc}"
    except OSError as exc:
        from delar_xl.oserrors import writing

        return None, f"Utkastet kunde inte heller sparas: {writing(exc)}"
    return path, (
        f"Meddelandet sparades i stället som utkast: {path}. Öppna det i Outlook eller Thunderbird och skicka därifrån."
    )
