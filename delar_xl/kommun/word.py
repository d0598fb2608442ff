"""The kommun's tjänsteskrivelse as a Word document (contract §5, one level up), from kommun_text's model.

word.py lays out document.py's blocks; only the blocks differ at the kommun level, so this module
builds them with kommun_text.kommun_document and hands them to word.py's builder.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from delar_xl.files import write_atomic
from delar_xl.findings import OutputError
from delar_xl.kommun.result import KommunResult
from delar_xl.kommun.text import kommun_document
from delar_xl.namnd.word import _verify, build


def write_kommun_word(result: "KommunResult", path: Path | str, created: date | datetime | None = None) -> Path:
    """Write the kommun's tjänsteskrivelse to `path` (.docx) atomically; the previous file is kept as .bak."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise OutputError(f"Tjänsteskrivelsen sparas som Word-dokument (.docx), inte {path.name}. "
                          "Ange ett filnamn som slutar på .docx.")
    moment = created if isinstance(created, datetime) else datetime.combine(created or date.today(), datetime.min.time())
    blocks = kommun_document(result, moment.date())
    return write_atomic(path, lambda tmp: build(result, blocks, moment).save(str(tmp)), verify=_verify)


__all__ = ["write_kommun_word"]
