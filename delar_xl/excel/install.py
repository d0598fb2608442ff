"""`delar-xl installera` / `delar-xl avinstallera`: the Excel add-in for the current user.

Installing builds a personal copy of `delar_xl.xlam` whose settings sheet points at the Python
that runs this command (so the button finds this very delar_xl), puts it in Excel's startup
folder for the user (XLSTART on Windows, the Startup folder of Excel on macOS: Excel opens every
workbook there when it starts), loads it into a running Excel on Windows, and on macOS installs
xlwings' AppleScript file that RunPython needs. This is what `xlwings addin install -f` does,
without its prints and with Swedish messages.

The add-in travels with the package: the wheel carries workbook/ as `delar_xl.addin` (the built
`delar_xl.xlam`, its settings source and build.py), so `pip install delar_xl` followed by
`delar-xl installera` needs no source checkout. The personal copy is that add-in with only its
settings sheet rewritten (build.py's `personalise_addin`).

Writing the copy locally (rather than copying a downloaded file) also means the add-in carries
no Mark of the Web, so Office does not block its macros.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from delar_xl.findings import DelarXlError

ADDIN_NAME = "delar_xl.xlam"
# The package data that holds the add-in: workbook/ of the source tree, installed as delar_xl/addin/.
ADDIN_PACKAGE = "delar_xl.addin"
# Another folder with the add-in and its sources (overrides the package data).
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
    source = _shipped_addin()
    folder = startup_dir or _excel_startup_dir()
    target = Path(folder) / ADDIN_NAME
    if startup_dir is None:
        _close_in_running_excel()
    with tempfile.TemporaryDirectory(prefix="delar_xl-") as tmp:
        built = build.personalise_addin(source, Path(tmp) / ADDIN_NAME, **interpreter_settings())
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built, target)
        except PermissionError as exc:
            from delar_xl.oserrors import problem

            raise NotPossibleHere(
                f"Kunde inte skriva {target}: {problem(exc).what}. Stäng Excel och försök igen."
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
        from delar_xl.oserrors import problem

        raise NotPossibleHere(
            f"Kunde inte ta bort {target}: {problem(exc).what}. Stäng Excel och försök igen."
        ) from exc
    return f"Tillägget är borttaget: {target}\nStarta om Excel så försvinner fliken Delårsrapport."


def interpreter_settings(executable: str | None = None) -> dict[str, str]:
    """The settings the personal add-in gets: this Python and the folder holding delar_xl."""
    executable = executable or sys.executable
    # The package's parent folder, so that Excel imports this very delar_xl even when it runs
    # from a source checkout that is not installed into the interpreter.
    package_parent = str(Path(__file__).resolve().parents[2])
    if sys.platform == "darwin":
        return {"interpreter_mac": executable, "pythonpath": package_parent}
    return {"interpreter_win": executable, "pythonpath": package_parent}


def workbook_dir() -> Path:
    """Folder with the built add-in, build.py and the settings source.

    In order: $DELAR_XL_WORKBOOK_DIR; the package data `delar_xl.addin` (an installed wheel's
    delar_xl/addin/, or workbook/ through an editable install); workbook/ next to the package
    (a source checkout that is not installed, or one installed before the add-in was package data).
    """
    if os.environ.get(WORKBOOK_DIR_ENV):
        return Path(os.environ[WORKBOOK_DIR_ENV])
    packaged = _package_data_dir()
    if packaged is not None and (packaged / ADDIN_NAME).is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "workbook"


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


def _package_data_dir() -> Path | None:
    """delar_xl/addin/ as a folder on disk, or None when the package data is not installed."""
    try:
        folder = importlib.resources.files(ADDIN_PACKAGE)
    except ModuleNotFoundError:
        return None
    # A wheel installs into a folder; a zip import would give no file path to build from.
    return folder if isinstance(folder, Path) else None


def _missing(path: Path) -> NotPossibleHere:
    return NotPossibleHere(
        f"Tilläggets källor saknas ({path}). Installera om delar_xl (pip install --force-reinstall "
        f"delar_xl) eller ange mappen med tillägget med miljövariabeln {WORKBOOK_DIR_ENV}."
    )


def _shipped_addin() -> Path:
    """The built add-in that travels with the package (workbook/delar_xl.xlam in the source tree)."""
    path = workbook_dir() / ADDIN_NAME
    if not path.is_file():
        raise _missing(path)
    return path


def _load_build_module() -> ModuleType:
    """build.py of the add-in's folder, which delar_xl never imports otherwise: load it by path."""
    path = workbook_dir() / "build.py"
    if not path.is_file():
        raise _missing(path)
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
        with contextlib.suppress(Exception):  # not open in this Excel, or Excel busy: nothing to close
            app.books[ADDIN_NAME].close()


def _after_install(target: Path) -> None:
    if sys.platform.startswith("win"):
        # Load it at once in every running Excel; otherwise it comes at the next start.
        for app in _running_apps():
            with contextlib.suppress(Exception):  # an Excel that will not open it loads it at its next start
                app.books.open(str(target))
    elif sys.platform == "darwin":
        # RunPython on macOS goes through this AppleScript file in Excel's script folder.
        from xlwings.cli import runpython_install

        runpython_install(None)
