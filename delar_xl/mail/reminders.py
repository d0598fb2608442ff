"""Reminders to the förvaltningar that have not sent their template (`delar-xl skicka --paminnelse`).

Flow: the summary's `Inlamning` table (contract §4) → one `Reminder` per row with `Status`
`Saknas` → a `Mail` to the plan's `E-post` with the förvaltning's pre-filled template attached →
the same `Sender`s as the summary's email (delar_xl.mail: SMTP or an unsent .eml draft). This module
only calls delar_xl.mail's public pieces; how a message is built and delivered stays there.

The template is looked for by utskick's file name (`Bilaga N – Delårsrapport FÖRVALTNING
ÅÅÅÅ-MM-DD.xlsx`) in the folder given, or else in the summary's `Kallmapp`.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from delar_xl.mail import (
    ConfigError,
    EmlSender,
    Mail,
    MailError,
    Sender,
    SmtpSender,
    mail_settings,
    swedish_date,
    validate_address,
)
from delar_xl.mail.headline import headline_of, read_summary, read_summary_bytes
from delar_xl.namnd import declaration as D
from delar_xl.words import genitive


@dataclass(frozen=True)
class Reminder:
    """One förvaltning that has not sent its template, as the summary's Inlamning table lists it."""

    forvaltning: str
    bilaga: int | None
    kontaktperson: str
    epost: str


@dataclass(frozen=True)
class SummaryFacts:
    """What a reminder needs from the summary besides Inlamning."""

    namnd: str
    report: str
    period_end: date | None
    source_folder: str


def read_reminders(summary: Path) -> tuple[SummaryFacts, list[Reminder]]:
    """The summary's facts and one Reminder per förvaltning whose Inlamning status is Saknas.

    Raises `ConfigError` when the file is no summary, or one without an Inlamning table.
    """
    read = read_summary(read_summary_bytes(Path(summary)))  # the one summary reader, through the e-mail's errors
    headline = headline_of(read)
    if D.SUBMISSIONS_TABLE not in read.tables:
        raise ConfigError(
            f"Sammanställningen saknar tabellen {D.SUBMISSIONS_TABLE}: den skrevs utan plan eller av en äldre "
            "version. Konsolidera igen med --plan PLAN."
        )
    if not _text(read.values.get(D.PLAN)):
        raise ConfigError(
            "Sammanställningen är gjord utan plan, så den vet inte vilka förvaltningar som saknas. "
            "Konsolidera med --plan PLAN (eller med planen i mappen) och försök igen."
        )
    facts = SummaryFacts(headline.board, headline.report, headline.period_end, _text(read.values.get(D.KALLMAPP)))
    reminders = [
        Reminder(
            _text(r.get("Förvaltning")), _whole(r.get("Bilaga")), _text(r.get("Kontaktperson")), _text(r.get("E-post"))
        )
        for r in read.records(D.SUBMISSIONS_TABLE)
        if _text(r.get("Status")) == D.STATUS_MISSING and _text(r.get("Förvaltning"))
    ]
    return facts, reminders


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _whole(value: Any) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    return None


# The template to attach ----------------------------------------------------------------------


def template_name(reminder: Reminder, period_end: date | None, report: str = "Delårsrapport") -> str:
    """utskick's file name: "Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx"."""
    period = period_end.isoformat() if period_end else ""
    lead = f"Bilaga {reminder.bilaga} – " if reminder.bilaga is not None else ""
    return f"{lead}{report} {reminder.forvaltning} {period}.xlsx"


def find_template(reminder: Reminder, facts: SummaryFacts, folders: list[Path]) -> Path | None:
    """The förvaltning's template in the first folder that has it (names compared in NFC)."""
    wanted = unicodedata.normalize("NFC", template_name(reminder, facts.period_end, facts.report or "Delårsrapport"))
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if unicodedata.normalize("NFC", path.name) == wanted:
                return path
    return None


# The message --------------------------------------------------------------------------------


def subject_for(reminder: Reminder, facts: SummaryFacts) -> str:
    """ "Påminnelse: Delårsrapport per den 31 augusti 2021 – Leanlink"."""
    subject = f"Påminnelse: {facts.report or 'Delårsrapport'}"
    if facts.period_end:
        subject += f" per den {swedish_date(facts.period_end)}"
    return f"{subject} – {reminder.forvaltning}"


def body_for(reminder: Reminder, facts: SummaryFacts, attachment: str) -> str:
    report = (facts.report or "Delårsrapport").lower()
    period = f" per den {swedish_date(facts.period_end)}" if facts.period_end else ""
    to_whom = f" till {facts.namnd.lower()}" if facts.namnd else ""
    bilaga = f" (bilaga {reminder.bilaga})" if reminder.bilaga is not None else ""
    lines = [
        "Hej!",
        "",
        f"Ekonomistaben har ännu inte fått {genitive(reminder.forvaltning)} {report}{period}{to_whom}{bilaga}. "
        "Sammanställningen är ofullständig tills den kommer in.",
        "",
        f"Mallen är bifogad: {attachment}. Fyll i de gula cellerna och skicka mallen till Ekonomistaben så snart "
        "som möjligt; Ekonomistaben kontrollerar den och hör av sig om något behöver rättas. Har du "
        "Excel-tillägget delar_xl kan du kontrollera mallen själv först, med knappen Konsolidera på fliken "
        "Delårsrapport.",
        "",
        "Meddelandet är skapat av delar_xl.",
    ]
    return "\n".join(lines) + "\n"


def compose_reminder(reminder: Reminder, facts: SummaryFacts, template: Path, sender: str | None) -> Mail:
    name = unicodedata.normalize("NFC", template.name)
    return Mail(
        subject=subject_for(reminder, facts),
        body=body_for(reminder, facts, name),
        to=(validate_address(reminder.epost),),
        sender=sender,
        attachment_name=name,
        attachment=template.read_bytes(),
        attachment_path=template.resolve(),
    )


def eml_name(reminder: Reminder) -> str:
    return f"Påminnelse {reminder.forvaltning}.eml"


# Sending ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    forvaltning: str
    done: bool
    message: str
    failed: bool = False  # delivery failed (as opposed to: nothing to send it with)


def send_reminders(
    summary: Path, sender_for: Callable[[Reminder], Sender], sender: str | None, templates: Path | None = None
) -> list[Outcome]:
    """One reminder per missing förvaltning; a förvaltning without address or template is reported, not sent."""
    facts, reminders = read_reminders(summary)
    folders = [templates] if templates is not None else []
    if facts.source_folder:
        folders.append(Path(facts.source_folder))
    outcomes = []
    for reminder in reminders:
        outcomes.append(_remind(reminder, facts, folders, sender_for, sender))
    return outcomes


def _remind(
    reminder: Reminder,
    facts: SummaryFacts,
    folders: list[Path],
    sender_for: Callable[[Reminder], Sender],
    sender: str | None,
) -> Outcome:
    name = reminder.forvaltning
    if not reminder.epost:
        return Outcome(name, False, f"{name}: ingen påminnelse, planen har ingen e-postadress (kolumnen E-post).")
    try:
        validate_address(reminder.epost)
    except ConfigError as exc:
        return Outcome(name, False, f"{name}: ingen påminnelse, {exc}")
    template = find_template(reminder, facts, folders)
    if template is None:
        where = " eller ".join(str(f) for f in folders) or "någon mapp"
        return Outcome(
            name,
            False,
            f"{name}: ingen påminnelse, mallen "
            f'"{template_name(reminder, facts.period_end, facts.report)}" finns inte i '
            f"{where}. Ange mappen med utskicket med --mallar MAPP.",
        )
    mail = compose_reminder(reminder, facts, template, sender)
    chosen = sender_for(reminder)
    try:
        chosen.deliver(mail)  # its sentence speaks of "Sammanställningen": ours says what was done
    except ConfigError:
        raise  # no server, no sender: the same for every reminder
    except MailError as exc:
        return Outcome(name, False, f"{name}: {exc}", failed=True)
    if isinstance(chosen, EmlSender):
        return Outcome(name, True, f"{name}: påminnelse till {reminder.epost} sparad som utkast: {chosen.path}")
    return Outcome(name, True, f"{name}: påminnelse skickad till {reminder.epost} med {template.name} bifogad.")


def _draft_sender(folder: Path, reminder: Reminder) -> EmlSender:
    folder.mkdir(parents=True, exist_ok=True)  # only once there is a draft to write
    return EmlSender(folder / eml_name(reminder))


def cli_remind(summary: Path, sender: str | None, smtp: str | None, eml: Path | None, templates: Path | None) -> int:
    """`delar-xl skicka --paminnelse`: 0 every reminder sent or written (or none needed),
    1 some could not be (no address, no template), 2 failed (no summary, no server, delivery)."""
    if eml is not None and smtp:
        print("Ange antingen --eml MAPP eller --smtp, inte båda.", file=sys.stderr)
        return 2
    try:
        config = mail_settings(smtp=smtp, sender=sender)
        sender_for: Callable[[Reminder], Sender]
        if eml is not None:
            folder = eml

            def sender_for(reminder: Reminder) -> Sender:
                return _draft_sender(folder, reminder)
        else:
            smtp_sender = SmtpSender(config)

            def sender_for(reminder: Reminder) -> Sender:
                return smtp_sender

        outcomes = send_reminders(Path(summary), sender_for, config.sender or None, templates)
    except (MailError, OSError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not outcomes:
        print("Alla förvaltningar i planen har lämnat in: inga påminnelser behövs.")
        return 0
    for outcome in outcomes:
        print(outcome.message, file=sys.stdout if outcome.done else sys.stderr)
    sent = sum(o.done for o in outcomes)
    print(_closing_line(sent, len(outcomes), eml is None))
    if sent == 0 and any(o.failed for o in outcomes):
        return 2
    return 0 if sent == len(outcomes) else 1


def _closing_line(done: int, total: int, sent: bool) -> str:
    """ "2 av 3 påminnelser skickade."; a single reminder is spoken of in the singular."""
    if total == 1:
        if done:
            return "Påminnelsen skickades." if sent else "Påminnelsen sparades som utkast."
        return "Påminnelsen kunde inte skickas." if sent else "Påminnelsen kunde inte sparas."
    return f"{done} av {total} påminnelser {'skickade' if sent else 'sparade som utkast'}."


__all__ = [
    "Reminder",
    "SummaryFacts",
    "cli_remind",
    "compose_reminder",
    "find_template",
    "read_reminders",
    "send_reminders",
    "template_name",
]
