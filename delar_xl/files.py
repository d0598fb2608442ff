"""Files in and out: reading an input's bytes, hashes of inputs, and atomic writes that never lose the
previous output."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from delar_xl.findings import Finding, OutputError, file_not_opened
from delar_xl.oserrors import os_error_in, writing

R = TypeVar("R")

BACKUP_SUFFIX = ".bak"


def read_input(
    path: Path | str, file: str | None, read: Callable[[bytes, str, str], R], unopened: Callable[[str, str, Finding], R]
) -> R:
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


TEMP_PREFIX = ".~delar_xl-"  # our temp files; collect_paths never reads them, write_atomic tidies old ones
STALE_AFTER = 3600  # seconds: a temp file of ours this old is left from a run that was killed
DEFAULT_NAME_MAX = 255  # bytes of one name in a folder, where the file system does not say


def require_xlsx_name(path: Path, what: str = "Filen") -> None:
    """What delar_xl writes is always an .xlsx workbook: under another name (.xls, .xlsm, a folder)
    it would not open, or open as something it is not. Refused before anything is done."""
    if path.suffix.lower() != ".xlsx":
        raise OutputError(
            f"{what} sparas alltid som Excel-arbetsbok (.xlsx), inte {path.name}. Ange ett filnamn som slutar på .xlsx."
        )


def write_atomic(
    target: Path,
    write: Callable[[Path], object],
    verify: Callable[[Path], None] | None = None,
) -> Path:
    """Write `target` through a temp file in the same folder, then replace it.

    `write(tmp)` produces the file; `verify(tmp)` reads it back and raises if it is unusable.
    The previous `target`, if any, is kept as `target + ".bak"`. When the target cannot be
    replaced (open in Excel on Windows, a folder of that name), the new file is kept under a
    free name and an `OutputError` says where; the old file is untouched either way. Every
    operating-system error becomes an `OutputError` in Swedish (oserrors.py), and the temp file
    is removed. Our own temp files over an hour old in the folder are removed first.
    Returns the path actually written.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    _check_name(target, folder)
    previous = _existing_kind(target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temp_files(folder)
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=folder)
    except OSError as exc:
        raise OutputError(f"Kan inte skriva i mappen {folder}: {writing(exc)}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        _fsync(tmp)
        _set_mode(tmp, target)
        if verify is not None:
            verify(tmp)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        cause = os_error_in(exc)
        if cause is not None and cause.errno is not None:
            raise OutputError(f"Kunde inte skriva {target}: {writing(cause)} {_untouched(previous)}") from exc
        raise
    return _replace(tmp, target, previous)


def remove_stale_temp_files(folder: Path, now: float | None = None) -> None:
    """Remove our own temp files (`TEMP_PREFIX`…) over `STALE_AFTER` seconds old: left by a run that
    was killed. Only regular files of our naming; nothing else in the folder is touched."""
    limit = (time.time() if now is None else now) - STALE_AFTER
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
        except OSError:
            continue  # another run's file, or gone already: not ours to worry about


def name_max(folder: Path) -> int:
    """The longest name (bytes) the file system takes in `folder`."""
    try:
        return os.pathconf(folder if folder.exists() else ".", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf
        return DEFAULT_NAME_MAX


def fit_name(stem: str, tail: str, limit: int) -> str:
    """`stem + tail`, the stem shortened (marked "~") until the name takes at most `limit` bytes."""
    name = stem + tail
    if len(name.encode("utf-8")) <= limit:
        return name
    while stem and len((stem + "~" + tail).encode("utf-8")) > limit:
        stem = stem[:-1]
    return stem + "~" + tail


def check_target(target: Path) -> None:
    """Raise `OutputError` now for a target that can never be written: a name past the file system's
    limit, or something that is not a regular file (a device, a pipe). The command line asks before
    reading anything; `write_atomic` asks again."""
    target = Path(target)
    _check_name(target, target.parent if str(target.parent) else Path("."))
    _existing_kind(target)


def _check_name(target: Path, folder: Path) -> None:
    size, limit = len(target.name.encode("utf-8")), name_max(folder)
    if size > limit:
        raise OutputError(
            f"Kan inte skriva {target}: namnet är för långt ({size} byte; högst {limit}). Välj ett kortare filnamn."
        )


_ABSENT, _REGULAR, _FOLDER = "absent", "regular", "folder"


def _existing_kind(target: Path) -> str:
    """What is at `target` now (links followed). Anything but a regular file or a folder is refused:
    a device or a pipe must never be read for a backup nor replaced."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return _ABSENT  # nothing there, or a link to nothing (os.replace replaces the link itself)
    if stat.S_ISREG(mode):
        return _REGULAR
    if stat.S_ISDIR(mode):
        return _FOLDER  # os.replace fails on it: the new result is kept under a free name, and said so
    raise OutputError(
        f"Kan inte skriva {target}: det är ingen vanlig fil (till exempel en enhet eller en länk "
        "till en). Ange ett annat filnamn."
    )


def _untouched(previous: str, kept: Path | None = None) -> str:
    """What is still as it was, and where the new result went when it could not take the target's place."""
    before = {_REGULAR: "Den tidigare filen är orörd.", _FOLDER: "Mappen är orörd."}.get(previous, "")
    if kept is not None:
        return f"{before} Det nya resultatet sparades som {kept}.".lstrip()
    return before or "Inget skrevs."


def backup_path(target: Path) -> Path:
    """`name.xlsx.bak` beside the target, shortened when the name would pass the file system's limit."""
    return target.with_name(fit_name(target.name, BACKUP_SUFFIX, name_max(target.parent)))


def _replace(tmp: Path, target: Path, previous: str) -> Path:
    try:
        if previous == _REGULAR:
            # Copy, not rename: if the replace below fails the target must still be in place. copyfile
            # streams in blocks, and the target was checked to be a regular file (never a device).
            shutil.copyfile(target, backup_path(target))
        os.replace(tmp, target)
        return target
    except OSError as exc:
        try:
            kept = _free_name(target)
            os.replace(tmp, kept)
        except (OSError, OutputError):
            tmp.unlink(missing_ok=True)
            raise OutputError(f"Kunde inte skriva {target}: {writing(exc)} {_untouched(previous)}") from exc
        who = _lock_owner(target)
        raise OutputError(f"Kunde inte ersätta {target}{who}: {writing(exc)} {_untouched(previous, kept)}") from exc


def _free_name(target: Path) -> Path:
    limit = name_max(target.parent)
    for n in range(1, 1000):
        candidate = target.with_name(fit_name(target.stem, f" ({n}){target.suffix}", limit))
        if not os.path.lexists(candidate):
            return candidate
    raise OutputError(f"Hittar inget ledigt filnamn bredvid {target}.")


@dataclass(frozen=True)
class InputFile:
    """A file a command reads, and what the user calls it ("planen", "mallen", "inställningsfilen")."""

    path: Path
    role: str


def same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` are one file: the same resolved path (links followed, also for a file not
    yet written), or, when both exist, one file under two names (a hard link, another case)."""
    try:
        if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
            return True
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_inputs_as_outputs(outputs: Iterable[tuple[str, Path | None]], inputs: Sequence[InputFile]) -> None:
    """Raise `OutputError` when an output (option, path) is one of the inputs: no input is ever overwritten.

    Called before anything is read, so the message comes first and alone. One more output is one
    more pair; an option given no path (None) is skipped.
    """
    for option, output in outputs:
        if output is None:
            continue
        for source in inputs:
            if same_file(Path(output), source.path):
                raise OutputError(
                    f"{option} {output} är samma fil som {source.role} ({source.path}). "
                    "En indatafil skrivs aldrig över; ange ett annat filnamn."
                )


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
