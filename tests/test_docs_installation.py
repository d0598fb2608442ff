"""What the README and docs/installation.md tell a newcomer matches what the code does.

The log folder, the settings file the add-in reads, the [epost] keys, the commands and the
README's path to the `delar-xl` command are taken from the code here, so the docs cannot drift.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import tomllib
from pathlib import Path

import pytest

from delar_xl import cli
from delar_xl.log import log_path
from delar_xl.mail import mail_settings
from delar_xl.settings import settings_file

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALLATION = (ROOT / "docs" / "installation.md").read_text(encoding="utf-8")
MAIL_SETTINGS_SOURCE = (ROOT / "delar_xl" / "mail" / "settings.py").read_text(encoding="utf-8")


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_installation_names_the_real_log_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DELAR_XL_LOG", raising=False)
    assert log_path().relative_to(tempfile.gettempdir()).parts == ("delar_xl", "delar_xl.log")
    assert r"`%TEMP%\delar_xl\delar_xl.log`" in INSTALLATION
    assert "`$TMPDIR/delar_xl/delar_xl.log`" in INSTALLATION
    assert "DELAR_XL_LOG" in INSTALLATION


def test_installation_settings_file_is_where_the_code_looks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The add-in's settings go in %APPDATA%\\delar_xl\\delar_xl.toml: settings.py finds them there."""
    assert r"`%APPDATA%\delar_xl\delar_xl.toml`" in INSTALLATION
    appdata = tmp_path / "AppData" / "Roaming"
    (appdata / "delar_xl").mkdir(parents=True)
    (appdata / "delar_xl" / "delar_xl.toml").write_text("[epost]\n", encoding="utf-8")
    monkeypatch.delenv("DELAR_XL_SETTINGS", raising=False)
    monkeypatch.setenv("APPDATA", str(appdata))
    monkeypatch.chdir(tmp_path)
    assert settings_file() == appdata / "delar_xl" / "delar_xl.toml"


def test_installation_epost_examples_are_valid_settings() -> None:
    blocks = [tomllib.loads(b)["epost"] for b in code_blocks(INSTALLATION, "toml")]
    assert len(blocks) >= 2
    methods = set()
    for section in blocks:
        for key in section:
            assert f'section.get("{key}")' in MAIL_SETTINGS_SOURCE, key
        config = mail_settings(file_section=section, environ={})
        assert config.to == ("Ekonomistaben <ekonomistaben@kommun.se>",)
        methods.add(config.effective_method)
    assert methods == {"outlook", "smtp"}


def test_installation_commands_exist() -> None:
    """Every `delar-xl WORD` in installation.md is a real command (or --version)."""
    parser = cli.build_parser()
    (subcommands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    named = set(re.findall(r"delar-xl(?:\.exe)?\"? (--version|\w+)", INSTALLATION))
    assert {"installera", "avinstallera", "kontrollera"} <= named
    assert named - {"--version"} <= set(subcommands.choices)


def test_installation_says_what_is_written_where() -> None:
    assert "Öppna i terminal" in INSTALLATION  # Windows 11's context menu
    assert "**Knappen på en mall skriver i den öppna mallen.**" in INSTALLATION
    assert "**`delar-xl kontrollera` ändrar aldrig några filer.**" in INSTALLATION
    # The uninstall command with its full path, for each way of installing.
    for path in (
        r"C:\Projekt\delar_xl\.venv\Scripts\delar-xl.exe avinstallera",
        r'& "$env:USERPROFILE\.local\bin\delar-xl.exe" avinstallera',
        "~/delar_xl/.venv/bin/delar-xl avinstallera",
    ):
        assert path in INSTALLATION, path


def test_readme_leads_to_the_command_in_the_venv() -> None:
    start = README.index("## Kom igång")
    newcomer = README[start : README.index("---", start)]
    assert "command not found" in newcomer
    assert ".venv/bin/delar-xl --help" in newcomer and "source .venv/bin/activate" in newcomer
    users, developers = code_blocks(newcomer, "powershell")[:2]
    # Users get every line, and no test extra; developers get it.
    assert users.splitlines() == [
        "py -m venv .venv",
        r".venv\Scripts\python -m pip install .",
        r".venv\Scripts\delar-xl demo --ut demo",
        r".venv\Scripts\delar-xl kontrollera demo\mallar",
    ]
    assert "test" not in users and '".[test]"' in developers
