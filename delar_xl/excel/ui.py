"""The few things the add-in asks of the person at the screen, behind one small interface.

`excel.main()` talks to a `Ui`: in Excel that is `ExcelUi` (Excel's own message boxes through
xlwings, Excel's folder picker); in tests it is `ScriptedUi`, which records every message and
answers from a script. `delar_xl.mail.offer_send` takes the same object (it uses `alert` and
`confirm`).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from delar_xl.findings import DelarXlError

TITLE = "Delårsrapport"
# Office's FileDialog types (MsoFileDialogType): msoFileDialogFilePicker, msoFileDialogFolderPicker.
_MSO_FILE_PICKER = 3
_MSO_FOLDER_PICKER = 4


class Ui(Protocol):
    """Message boxes, a yes/no question, a folder dialog, and opening a workbook in Excel."""

    def alert(self, message: str, *, error: bool = False) -> None: ...

    def confirm(self, question: str) -> bool: ...

    def choose_folder(self, prompt: str, start: Path | None = None) -> Path | None: ...

    def open_workbook(self, path: Path) -> None: ...

    def ask_text(self, prompt: str, default: str = "") -> str | None:
        """A line of text (None = cancelled). Used when a plan is open: the period."""
        ...

    def choose_file(self, prompt: str, start: Path | None = None) -> Path | None:
        """An .xlsx file (None = cancelled). Used when a plan is open: the previous summary."""
        ...


class ExcelUi:
    """The real thing, inside the Excel that called Python (Windows and macOS)."""

    def __init__(self, book: Any) -> None:
        self.book = book

    def alert(self, message: str, *, error: bool = False) -> None:
        self.book.app.alert(message, title=TITLE, buttons="ok", mode="critical" if error else "info")

    def confirm(self, question: str) -> bool:
        return self.book.app.alert(question, title=TITLE, buttons="yes_no") == "yes"

    def choose_folder(self, prompt: str, start: Path | None = None) -> Path | None:
        if sys.platform == "darwin":
            return _choose_folder_mac(prompt, start)
        return _choose_folder_windows(self.book.app.api, prompt, start)

    def open_workbook(self, path: Path) -> None:
        self.book.app.books.open(str(path))

    def ask_text(self, prompt: str, default: str = "") -> str | None:
        if sys.platform == "darwin":
            return _ask_text_mac(prompt, default)
        answer = self.book.app.api.InputBox(prompt, TITLE, default)  # Application.InputBox: False on cancel
        return None if answer is False else str(answer)

    def choose_file(self, prompt: str, start: Path | None = None) -> Path | None:
        if sys.platform == "darwin":
            return _choose_file_mac(prompt, start)
        dialog = self.book.app.api.FileDialog(_MSO_FILE_PICKER)
        dialog.Title = prompt
        dialog.AllowMultiSelect = False
        dialog.Filters.Clear()
        dialog.Filters.Add("Excel-arbetsbok", "*.xlsx")
        if start is not None:
            dialog.InitialFileName = str(start).rstrip("\\") + "\\"
        if dialog.Show() != -1:
            return None
        return Path(dialog.SelectedItems(1))


def _choose_folder_windows(excel: Any, prompt: str, start: Path | None) -> Path | None:
    """Excel's own folder picker through COM, so the dialog belongs to the Excel window."""
    dialog = excel.FileDialog(_MSO_FOLDER_PICKER)
    dialog.Title = prompt
    dialog.AllowMultiSelect = False
    if start is not None:
        dialog.InitialFileName = str(start).rstrip("\\") + "\\"
    if dialog.Show() != -1:  # -1 is "OK"; 0 is cancel
        return None
    return Path(dialog.SelectedItems(1))


def _choose_folder_mac(prompt: str, start: Path | None) -> Path | None:
    """`choose folder` told to Excel, so the dialog comes up in front of it."""
    # POSIX file is resolved outside the tell block: inside it, Excel would be asked to do it.
    location = f'set startFolder to POSIX file "{_applescript_text(str(start))}"\n' if start else ""
    default = " default location startFolder" if start else ""
    script = (
        location
        + 'tell application "Microsoft Excel"\n'
        + "activate\n"
        + f'set chosen to choose folder with prompt "{_applescript_text(prompt)}"{default}\n'
        + "end tell\n"
        + "return POSIX path of chosen"
    )
    done = subprocess.run(["osascript", "-e", script], capture_output=True, text=True)
    if done.returncode == 0:
        return Path(done.stdout.strip())
    if "-128" in done.stderr:  # "User canceled."
        return None
    raise DelarXlError(f"Mappdialogen kunde inte visas: {done.stderr.strip() or done.returncode}")


def _osascript(script: str) -> str | None:
    """Run `script`; its output, or None when the user cancelled (error -128)."""
    done = subprocess.run(["osascript", "-e", script], capture_output=True, text=True)
    if done.returncode == 0:
        return done.stdout.strip()
    if "-128" in done.stderr:
        return None
    raise DelarXlError(f"Dialogen kunde inte visas: {done.stderr.strip() or done.returncode}")


def _ask_text_mac(prompt: str, default: str) -> str | None:
    return _osascript(
        'tell application "Microsoft Excel"\n'
        "activate\n"
        f'set answer to text returned of (display dialog "{_applescript_text(prompt)}" default answer '
        f'"{_applescript_text(default)}" with title "{TITLE}")\n'
        "end tell\n"
        "return answer"
    )


def _choose_file_mac(prompt: str, start: Path | None) -> Path | None:
    location = f'set startFolder to POSIX file "{_applescript_text(str(start))}"\n' if start else ""
    default = " default location startFolder" if start else ""
    chosen = _osascript(
        location
        + 'tell application "Microsoft Excel"\n'
        + "activate\n"
        + f'set chosen to choose file with prompt "{_applescript_text(prompt)}"{default}\n'
        + "end tell\n"
        + "return POSIX path of chosen"
    )
    return Path(chosen) if chosen else None


def _applescript_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@dataclass
class ScriptedUi:
    """A Ui for tests: records what would be shown and answers from a script.

    `folders` are returned by `choose_folder` in order (None = the user cancelled); `answers`
    by `confirm` in order, then `default_answer`; `texts` by `ask_text` and `files` by
    `choose_file`, in order (None = cancelled).
    """

    folders: list[Path | None] = field(default_factory=list)
    answers: list[bool] = field(default_factory=list)
    default_answer: bool = False
    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    opened: list[Path] = field(default_factory=list)
    texts: list[str | None] = field(default_factory=list)
    files: list[Path | None] = field(default_factory=list)

    def alert(self, message: str, *, error: bool = False) -> None:
        (self.errors if error else self.messages).append(message)

    def confirm(self, question: str) -> bool:
        self.questions.append(question)
        return self.answers.pop(0) if self.answers else self.default_answer

    def choose_folder(self, prompt: str, start: Path | None = None) -> Path | None:
        self.prompts.append(prompt)
        return self.folders.pop(0) if self.folders else None

    def open_workbook(self, path: Path) -> None:
        self.opened.append(Path(path))

    def ask_text(self, prompt: str, default: str = "") -> str | None:
        self.prompts.append(prompt)
        return self.texts.pop(0) if self.texts else None

    def choose_file(self, prompt: str, start: Path | None = None) -> Path | None:
        self.prompts.append(prompt)
        return self.files.pop(0) if self.files else None
