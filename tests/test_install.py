"""`delar-xl installera` / `avinstallera` (delar_xl/install.py) up to the boundary of Excel.

On Linux there is no Excel: both say so with NotPossibleHere (the CLI turns it into exit 2).
The file work (building a personal add-in that points at this Python, copying it into a
startup folder, removing it) is tested with a startup folder given by the test.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from delar_xl.excel import install
from delar_xl.excel.install import NotPossibleHere, install_addin, uninstall_addin
from delar_xl.findings import DelarXlError

ROOT = Path(__file__).resolve().parents[1]


def _build_module():
    spec = importlib.util.spec_from_file_location("delar_xl_workbook_build_t", ROOT / "workbook" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_not_possible_here_is_a_delar_xl_error():
    assert issubclass(NotPossibleHere, DelarXlError)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="says why on Linux only")
def test_install_on_linux_says_why_not():
    with pytest.raises(NotPossibleHere, match="Windows och macOS") as caught:
        install_addin()
    assert "Linux" in str(caught.value)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="says why on Linux only")
def test_uninstall_on_linux_says_why_not():
    with pytest.raises(NotPossibleHere, match="Windows och macOS"):
        uninstall_addin()


def test_install_builds_a_personal_addin_pointing_at_this_python(tmp_path: Path):
    startup = tmp_path / "XLSTART"

    message = install_addin(startup_dir=startup)

    addin = startup / "delar_xl.xlam"
    assert addin.is_file()
    settings = _build_module().read_addin_settings(addin)
    key = "Interpreter_Mac" if sys.platform == "darwin" else "Interpreter_Win"
    assert settings[key] == sys.executable
    assert settings["PYTHONPATH"] == str(ROOT)  # the folder that holds the delar_xl package
    assert settings["ADD_WORKBOOK_TO_PYTHONPATH"] == "False"
    assert str(addin) in message and sys.executable in message
    assert "Starta om Excel" in message


def test_install_replaces_an_earlier_version(tmp_path: Path):
    startup = tmp_path / "XLSTART"
    startup.mkdir()
    (startup / "delar_xl.xlam").write_bytes(b"old")

    install_addin(startup_dir=startup)

    assert (startup / "delar_xl.xlam").read_bytes()[:2] == b"PK"


def test_uninstall_removes_it_and_says_so(tmp_path: Path):
    startup = tmp_path / "XLSTART"
    install_addin(startup_dir=startup)

    message = uninstall_addin(startup_dir=startup)

    assert not (startup / "delar_xl.xlam").exists()
    assert message.startswith("Tillägget är borttaget")


def test_uninstall_when_not_installed_says_so(tmp_path: Path):
    assert uninstall_addin(startup_dir=tmp_path).startswith("Tillägget var inte installerat")


def test_missing_sources_say_where_they_were_looked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(install.WORKBOOK_DIR_ENV, str(tmp_path / "saknas"))

    with pytest.raises(NotPossibleHere, match="Tilläggets källor saknas"):
        install_addin(startup_dir=tmp_path / "XLSTART")


def test_windows_without_a_responding_excel_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """On Windows/macOS the startup folder is asked from Excel; no Excel → NotPossibleHere."""
    import xlwings.cli

    def no_excel(global_location: bool = False) -> str:
        raise RuntimeError("Excel saknas")

    monkeypatch.setattr(install.sys, "platform", "win32")
    monkeypatch.setattr(xlwings.cli, "get_addin_dir", no_excel)

    with pytest.raises(NotPossibleHere, match="Excel svarar inte"):
        install_addin()


def test_the_cli_exits_2_where_excel_is_missing(capsys: pytest.CaptureFixture[str]):
    """Contract §3: 2 = not possible here (says why). Runs where the CLI is wired."""
    from delar_xl import cli

    if sys.platform in ("win32", "darwin"):
        pytest.skip("Excel may exist here")

    assert cli.main(["installera"]) == 2
    assert "Windows och macOS" in capsys.readouterr().err
    assert cli.main(["avinstallera"]) == 2


def test_install_personalises_the_shipped_addin_exactly_as_a_build_would(tmp_path: Path):
    """The personal copy is the committed add-in with only the settings sheet rewritten, and
    equals a fresh build with the same settings, part by part."""
    import zipfile

    build = _build_module()
    settings = {
        "interpreter_win": r"C:\Users\anna\AppData\Local\Programs\Python\Python311\python.exe",
        "pythonpath": r"C:\Users\anna\delar",
    }
    personal = build.personalise_addin(
        ROOT / "workbook" / "delar_xl.xlam", tmp_path / "p" / "delar_xl.xlam", **settings
    )
    built = build.build_addin(tmp_path / "b" / "delar_xl.xlam", **settings)

    def parts(path: Path) -> list[tuple[str, bytes]]:
        with zipfile.ZipFile(path) as zf:
            return [(info.filename, zf.read(info)) for info in zf.infolist()]

    assert parts(personal) == parts(built)
    assert build.read_addin_settings(personal)["Interpreter_Win"] == settings["interpreter_win"]
    changed = {
        name
        for (name, data), (_, old) in zip(parts(personal), parts(ROOT / "workbook" / "delar_xl.xlam"))
        if data != old
    }
    assert changed == {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"}


def test_install_without_the_shipped_addin_says_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import shutil

    folder = tmp_path / "tillagg"
    shutil.copytree(ROOT / "workbook", folder)
    (folder / "delar_xl.xlam").unlink()
    monkeypatch.setenv(install.WORKBOOK_DIR_ENV, str(folder))

    with pytest.raises(NotPossibleHere, match="Tilläggets källor saknas") as caught:
        install_addin(startup_dir=tmp_path / "XLSTART")
    assert str(folder / "delar_xl.xlam") in str(caught.value)


def test_install_finds_the_addin_as_package_data():
    """With the package installed (editable here: delar_xl.addin is workbook/), the add-in's folder
    is the package data, not a guess next to the package."""
    import importlib.resources
    import importlib.util

    if importlib.util.find_spec(install.ADDIN_PACKAGE) is None:
        pytest.skip("this .venv was installed before the add-in was package data: make .venv/.installed")
    assert install.workbook_dir() == Path(str(importlib.resources.files(install.ADDIN_PACKAGE)))
    assert (install.workbook_dir() / "delar_xl.xlam").is_file()
