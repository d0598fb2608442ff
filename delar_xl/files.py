"""Files in and out: reading an input's bytes, hashes of inputs, and atomic writes that never lose the
previous output."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from delar_xl.findings import Finding, OutputError, file_not_opened

R = TypeVar("R")

BACKUP_SUFFIX = ".bak"


def read_input(path: Path | str, file: str | None, read: Callable[[bytes, str, str], R],
               unopened: Callable[[str, str, Finding], R]) -> R:
    """Read an input file's bytes (opened read-only, closed at once, never modified) and hand them to
    `read(data, name, path)`; a file the operating system will not give us becomes one Fel, through
    `unopened(name, path, finding)`. `name` is what findings call the file (`file`, or the file's name).
    Every reader of an input (template, plan, summary) starts here."""
    path = Path(path)
    name = file or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return unopened(name, str(path), file_not_opened(name, exc))
    return read(data, name, str(path))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(
    target: Path,
    write: Callable[[Path], object],
    verify: Callable[[Path], None] | None = None,
) -> Path:
    """Write `target` through a temp file in the same folder, then replace it.

    `write(tmp)` produces the file; `verify(tmp)` reads it back and raises if it is unusable.
    The previous `target`, if any, is kept as `target + ".bak"`. When the target cannot be
    replaced (open in Excel on Windows, read-only folder), the new file is kept under a
    free name and an `OutputError` says where; the old file is untouched either way.
    Returns the path actually written.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".~delar_xl-", suffix=target.suffix, dir=folder)
    except OSError as exc:
        raise OutputError(f"Kan inte skriva i mappen {folder}: {exc.strerror or exc}.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        _fsync(tmp)
        _set_mode(tmp, target)
        if verify is not None:
            verify(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return _replace(tmp, target)


def _replace(tmp: Path, target: Path) -> Path:
    try:
        if target.exists():
            backup = target.with_name(target.name + BACKUP_SUFFIX)
            # Copy, not rename: if the replace below fails the target must still be in place.
            backup.write_bytes(target.read_bytes())
        os.replace(tmp, target)
        return target
    except OSError as exc:
        kept = _free_name(target)
        try:
            os.replace(tmp, kept)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise OutputError(
                f"Kunde inte skriva {target}: {exc.strerror or exc}. Den tidigare filen är orörd."
            ) from exc
        who = _lock_owner(target)
        raise OutputError(
            f"Kunde inte ersätta {target}{who}: {exc.strerror or exc}. "
            f"Den tidigare filen är orörd; det nya resultatet sparades som {kept}.",
        ) from exc


def _free_name(target: Path) -> Path:
    for n in range(1, 1000):
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        if not candidate.exists():
            return candidate
    raise OutputError(f"Hittar inget ledigt filnamn bredvid {target}.")


def _lock_owner(target: Path) -> str:
    """' (öppen hos NAMN)' from Excel's owner file, when one is there."""
    # Excel names it "~$" + the name, dropping the first two characters of long names.
    raw = b""
    for lock in (target.with_name("~$" + target.name[2:]), target.with_name("~$" + target.name)):
        try:
            raw = lock.read_bytes()[:112]
            break
        except OSError:
            continue
    if not raw:
        return ""
    # Excel's owner file starts with the user name as a length-prefixed byte string.
    length = raw[0] if raw else 0
    name = raw[1 : 1 + length].decode("latin-1", "replace").strip()
    return f" (filen är öppen hos {name})" if name else " (filen är öppen i ett annat program)"


def _set_mode(tmp: Path, target: Path) -> None:
    """mkstemp makes owner-only files; give the result the mode a plain save would have."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
