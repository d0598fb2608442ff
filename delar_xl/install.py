"""`delar-xl installera` / `delar-xl avinstallera`: the Excel add-in for the current user.

Installing builds a personal copy of `delar_xl.xlam` whose settings sheet points at the Python
that runs this command (so the button finds this very delar_xl), puts it in Excel's startup
folder for the user (XLSTART on Windows, the Startup folder of Excel on macOS: Excel opens every
workbook there when it starts), loads it into a running Excel on Windows, and on macOS installs
xlwings' AppleScript file that RunPython needs. This is what `xlwings addin install -f` does,
without its prints and with Swedish messages.

Building locally (rather than copying a downloaded file) also means the add-in carries no Mark
of the Web, so Office does not block its macros.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Callable

from .findings import DelarXlError

ADDIN_NAME = "delar_xl.xlam"
# Where the add-in's sources live in a source checkout (also what an editable install uses).
WORKBOOK_DIR_ENV = "DELAR_XL_WORKBOOK_DIR"


class NotPossibleHere(DelarXlError):
    """Excel (and xlwings' interactive mode) is not available on this machine. Exit status 2."""


# Public API.


def install_addin(*, startup_dir: Path | None = None) -> str:
    """Install the add-in for the current user and return a Swedish message saying where.

    Args:
        startup_dir: Excel's startup folder; found through Excel when not given (tests give it).

    Raises:
        NotPossibleHere: no Excel here (Linux, or Excel not installed), or the add-in's sources
            are missing.
    """
    if startup_dir is None:
        _require_excel_platform()
    build = _load_build_module()
    folder = startup_dir or _excel_startup_dir()
    target = Path(folder) / ADDIN_NAME
    if startup_dir is None:
        _close_in_running_excel()
    with tempfile.TemporaryDirectory(prefix="delar_xl-") as tmp:
        built = build.build_addin(Path(tmp) / ADDIN_NAME, **interpreter_settings())
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built, target)
        except PermissionError as exc:
            raise NotPossibleHere(
                f"Kunde inte skriva {target}: {exc.strerror or exc}. "
                "Stäng Excel och försök igen."
            ) from exc
    if startup_dir is None:
        _after_install(target)
    return (
        f"Tillägget är installerat: {target}\n"
        f"Det använder Python {sys.executable}.\n"
        "Starta om Excel; fliken Delårsrapport har knappen Konsolidera."
    )


def uninstall_addin(*, startup_dir: Path | None = None) -> str:
    """Remove the add-in from the current user's Excel and return a Swedish message.

    Raises:
        NotPossibleHere: no Excel here, or the file is locked by a running Excel.
    """
    if startup_dir is None:
        _require_excel_platform()
    folder = startup_dir or _excel_startup_dir()
    target = Path(folder) / ADDIN_NAME
    if startup_dir is None:
        _close_in_running_excel()
    if not target.exists():
        return f"Tillägget var inte installerat (ingen fil {target})."
    try:
        target.unlink()
    except PermissionError as exc:
        raise NotPossibleHere(
            f"Kunde inte ta bort {target}: {exc.strerror or exc}. Stäng Excel och försök igen."
        ) from exc
    return f"Tillägget är borttaget: {target}\nStarta om Excel så försvinner fliken Delårsrapport."


def interpreter_settings(executable: str | None = None) -> dict[str, str]:
    """The settings the personal add-in gets: this Python and the folder holding delar_xl."""
    executable = executable or sys.executable
    # The package's parent folder, so that Excel imports this very delar_xl even when it runs
    # from a source checkout that is not installed into the interpreter.
    package_parent = str(Path(__file__).resolve().parent.parent)
    if sys.platform == "darwin":
        return {"interpreter_mac": executable, "pythonpath": package_parent}
    return {"interpreter_win": executable, "pythonpath": package_parent}


def workbook_dir() -> Path:
    """Folder with build.py and the ribbon/settings sources."""
    if os.environ.get(WORKBOOK_DIR_ENV):
        return Path(os.environ[WORKBOOK_DIR_ENV])
    return Path(__file__).resolve().parent.parent / "workbook"


# Private API.


def _require_excel_platform() -> None:
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return
    raise NotPossibleHere(
        "Excel-tillägget kan bara installeras på Windows och macOS, där Excel finns. "
        f"Den här datorn kör {_platform_name()}, så det finns inget Excel att installera i."
    )


def _platform_name() -> str:
    return "Linux" if sys.platform.startswith("linux") else sys.platform


def _load_build_module() -> ModuleType:
    """workbook/build.py, which is not part of the package: load it by path."""
    path = workbook_dir() / "build.py"
    if not path.is_file():
        raise NotPossibleHere(
            f"Tilläggets källor saknas ({path}). Installera delar_xl från projektmappen "
            f"(pip install -e .) eller ange mappen med miljövariabeln {WORKBOOK_DIR_ENV}."
        )
    spec = importlib.util.spec_from_file_location("delar_xl_workbook_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _excel_startup_dir() -> Path:
    """Excel's per-user startup folder, asked from Excel itself as xlwings does."""
    try:
        from xlwings.cli import get_addin_dir

        return Path(get_addin_dir(global_location=False))
    except Exception as exc:  # xlwings raises many kinds here: no Excel, no automation permission
        raise NotPossibleHere(
            "Excel svarar inte, så tillägget kan inte installeras. Kontrollera att Excel är "
            "installerat (och på macOS att Terminalen får styra Excel under Integritet och "
            f"säkerhet ▸ Automatisering). Tekniskt fel: {exc}"
        ) from exc


def _running_apps() -> list:
    try:
        import xlwings as xw

        return list(xw.apps)
    except Exception:
        return []


def _close_in_running_excel(apps: Callable[[], list] = _running_apps) -> None:
    """An add-in that is open cannot be replaced (Windows locks it)."""
    for app in apps():
        try:
            app.books[ADDIN_NAME].close()
        except Exception:
            pass


def _after_install(target: Path) -> None:
    if sys.platform.startswith("win"):
        # Load it at once in every running Excel; otherwise it comes at the next start.
        for app in _running_apps():
            try:
                app.books.open(str(target))
            except Exception:
                pass
    elif sys.platform == "darwin":
        # RunPython on macOS goes through this AppleScript file in Excel's script folder.
        from xlwings.cli import runpython_install

        runpython_install(None)
