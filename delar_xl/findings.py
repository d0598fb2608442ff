"""Findings with exact positions, the report that collects them, and the exceptions for unusable files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

R = TypeVar("R")


class Severity(str, Enum):
    """How serious a finding is. The values are the Swedish words users read."""

    ERROR = "Fel"
    WARNING = "Varning"
    INFO = "Info"

    def __str__(self) -> str:
        return self.value


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One thing a controller should know about, at one place in one file.

    `cell` is an A1 address ("C7") or "" when the finding concerns a whole sheet or file;
    `code` is a stable identifier tests and other tools can rely on.
    """

    file: str
    sheet: str
    cell: str
    severity: Severity
    code: str
    message: str

    def location(self) -> str:
        """The place as a Swedish reader expects it: "fil.xlsx, blad Ekonomi, cell C7"."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"blad {self.sheet}")
        if self.cell:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts)

    def render(self) -> str:
        return f"{self.location()}: {self.severity.value}: {self.message}"


@dataclass
class Report:
    """All findings of a run. `valid` is false as soon as one finding is an error."""

    findings: list[Finding] = field(default_factory=list)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    @property
    def valid(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def counts(self) -> Counter[Severity]:
        return Counter(f.severity for f in self.findings)

    def for_file(self, file: str) -> list[Finding]:
        return [f for f in self.findings if f.file == file]

    def sorted(self) -> list[Finding]:
        """Findings by file, then severity, keeping the rule order within those."""
        return sorted(self.findings, key=lambda f: (f.file, _ORDER[f.severity]))

    def flatten(self, fields: Sequence[str]) -> list[list[object]]:
        """The findings as rows of the named attributes, for one-line assertions in tests."""
        return [[_plain(getattr(f, name)) for name in fields] for f in self.findings]


def file_not_opened(file: str, exc: OSError) -> Finding:
    """The one Fel for a file the operating system would not let us read (open elsewhere, gone, …)."""
    from delar_xl.oserrors import reading

    return Finding(file, "", "", Severity.ERROR, "fil-oatkomlig", f"Filen kan inte öppnas: {reading(exc)}")


def reader_failed(file: str, exc: Exception, where: str) -> Finding:
    """A reader bug costs one file, not the run: the exception is logged and the file gets one Fel."""
    from delar_xl.log import log_exception

    log = log_exception(exc, f"{where} {file}")
    return Finding(
        file,
        "",
        "",
        Severity.ERROR,
        "fil-ovantat-fel",
        f"Filen kunde inte läsas på grund av ett oväntat fel ({type(exc).__name__}). Detaljer finns i loggfilen {log}.",
    )


def check_failed(file: str, exc: Exception, where: str) -> Finding:
    """A bug in a step after reading (rules, the plan check) costs one file too: logged, one Fel."""
    from delar_xl.log import log_exception

    log = log_exception(exc, f"{where} {file}")
    return Finding(
        file,
        "",
        "",
        Severity.ERROR,
        "fil-ovantat-fel",
        f"Kontrollen av filen avbröts av ett oväntat fel ({type(exc).__name__}); filen tas inte med. "
        f"Detaljer finns i loggfilen {log}.",
    )


def _plain(value: object) -> object:
    return value.value if isinstance(value, Severity) else value


class DelarXlError(Exception):
    """Base of the errors delar_xl raises on purpose; the message is Swedish and meant for users."""


class UnreadableFile(DelarXlError):
    """A file that cannot be read as a template at all. Becomes one `Fel` for that file."""

    def __init__(self, message: str, code: str = "fil-oläslig") -> None:
        super().__init__(message)
        self.code = code


class SkippedFile(DelarXlError):
    """A file that is not a template but belongs in the folder (a summary): noted as Info, not read."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class OutputError(DelarXlError):
    """An output that could not be written where it was asked for."""


def contained(file: str, where: str, read: Callable[[], R], found: list[Finding]) -> tuple[R | None, list[Finding]]:
    """Run one file's `read()` so that nothing it raises stops the others: (what it read, its findings).

    `found` is what the reader has said so far. A file that cannot be read (`UnreadableFile`) keeps those
    findings and gets one Fel; a file that is not ours to read (`SkippedFile`) gets one Info instead; a bug
    in the reader is logged and costs that file one Fel (`reader_failed`, `where` names the reader).
    """
    try:
        return read(), found
    except UnreadableFile as exc:
        return None, [*found, Finding(file, "", "", Severity.ERROR, exc.code, str(exc))]
    except SkippedFile as exc:
        return None, [Finding(file, "", "", Severity.INFO, exc.code, str(exc))]
    except Exception as exc:  # a reader bug must cost one file, not the run: logged, reported, next file
        return None, [reader_failed(file, exc, where)]
