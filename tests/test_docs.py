"""Docs that cannot drift: the README's command help is the real --help, the ordlista names real code."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from delar_xl.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- cli-help: början (genereras av testerna: tests/test_docs.py) -->", "<!-- cli-help: slut -->"
COMMANDS = ["mall", "plan", "utskick", "kontrollera", "konsolidera", "demo", "skicka", "installera", "avinstallera"]


def help_text(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        build_parser().parse_args([*argv, "--help"])
    return out.getvalue().rstrip()


def cli_block() -> str:
    parts = [f"$ delar-xl --help\n{help_text([])}"]
    parts += [f"$ delar-xl {command} --help\n{help_text([command])}" for command in COMMANDS]
    return START + "\n```\n" + "\n\n".join(parts) + "\n```\n" + END


def test_docs_readme_cli_help_is_current() -> None:
    """Run `make docs` to regenerate the block after changing cli.py."""
    text = README.read_text(encoding="utf-8")
    current = re.search(re.escape(START) + r".*?" + re.escape(END), text, re.DOTALL)
    assert current, "README.md saknar blocket för kommandohjälpen"
    wanted = cli_block()
    if os.environ.get("UPDATE_DOCS") and current.group(0) != wanted:
        README.write_text(text.replace(current.group(0), wanted), encoding="utf-8")
        return
    assert current.group(0) == wanted, "README:s kommandohjälp är inaktuell: kör make docs"


def test_docs_every_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"delar-xl {command}" in text, command


def test_docs_ordlista_names_real_identifiers() -> None:
    """Every identifier in docs/ordlista.md (in backticks, second column) exists in the package."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "delar_xl").rglob("*.py"))
    rows = [
        line
        for line in (ROOT / "docs" / "ordlista.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and "`" in line
    ]
    assert len(rows) > 20
    for row in rows:
        for identifier in re.findall(r"`([A-Za-z_][A-Za-z0-9_.]*)`", row.split("|")[2]):
            assert identifier.split(".")[-1] in source, f"{identifier} ({row.strip()})"
