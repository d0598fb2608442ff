"""The kommun's tjänsteskrivelse as a Word document (contract §5, one level up).

The Word writer is the nämnd level's (namnd/word.py); only the blocks differ, built by
kommun/text.kommun_document.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from delar_xl.kommun.result import KommunResult
from delar_xl.kommun.text import kommun_document
from delar_xl.namnd.word import write_document


def write_kommun_word(result: KommunResult, path: Path | str, created: date | datetime | None = None) -> Path:
    """Write the kommun's tjänsteskrivelse to `path` (.docx) atomically; the previous file is kept as .bak."""
    return write_document(result, path, lambda day: kommun_document(result, day), created)


__all__ = ["write_kommun_word"]
