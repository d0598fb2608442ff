"""Word documents as PDF through LibreOffice (`konsolidera --pdf`, contract §8).

LibreOffice runs headless with a private profile of its own, so a LibreOffice the user has open is never
disturbed; it writes into a temporary folder, and each PDF is moved beside its document only when it is
complete. Without `soffice` on the PATH nothing is converted and one sentence says so: the documents
themselves are written either way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from delar_xl.files import write_atomic
from delar_xl.findings import OutputError

TIMEOUT_SECONDS = 300
NO_LIBREOFFICE = (
    "PDF skrevs inte: LibreOffice (soffice) finns inte på den här datorn. Word-dokumenten är "
    "skrivna; spara dem som PDF från Word, eller installera LibreOffice och kör igen med --pdf."
)


@dataclass
class Converted:
    written: list[Path] = field(default_factory=list)
    message: str = ""  # one Swedish sentence when something could not be converted


def copied_from(source: Path) -> Callable[[Path], object]:
    """A writer for files.write_atomic that copies `source` into its temp file."""
    return lambda tmp: shutil.copyfile(source, tmp)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(documents: list[Path]) -> Converted:
    """Each document as "<name>.pdf" beside it, in one LibreOffice run."""
    binary = soffice()
    if binary is None:
        return Converted(message=NO_LIBREOFFICE)
    outcome = Converted()
    with tempfile.TemporaryDirectory(prefix="delar_xl-pdf-") as work:
        profile, out = Path(work) / "profil", Path(work) / "pdf"
        out.mkdir()
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, documents),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env={**os.environ, "HOME": str(profile)},
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return Converted(message=f"PDF skrevs inte: LibreOffice kunde inte köras ({exc.__class__.__name__}).")
        missing: list[str] = []
        failed: list[str] = []
        for document in documents:
            made = out / (document.stem + ".pdf")
            if made.is_file() and made.stat().st_size > 0:
                try:  # like every output: atomically, the previous PDF kept as .bak
                    outcome.written.append(write_atomic(document.with_suffix(".pdf"), copied_from(made)))
                except OutputError as exc:
                    failed.append(str(exc))
            else:
                missing.append(document.name)
        if missing:
            failed.insert(0, f"PDF skrevs inte för {', '.join(missing)}: LibreOffice kunde inte konvertera dokumentet.")
        outcome.message = " ".join(failed)
    return outcome


def page_texts(pdf: Path) -> list[str] | None:
    """The text of each page (poppler's pdftotext), or None where pdftotext is not installed."""
    binary = shutil.which("pdftotext")
    if binary is None:
        return None
    try:
        done = subprocess.run(
            [binary, "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    pages = done.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages
