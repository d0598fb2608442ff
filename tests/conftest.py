"""Shared fixtures: templates made by the product's own generator, filled like a controller would."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from delar_xl.demo.namnd import Demo, example_templates, write_demo
from delar_xl.template.model import Template
from delar_xl.template.write import write_template

IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The built-in example written once per test session: three templates and their summary."""
    return write_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def examples() -> list[Template]:
    """Fresh in-memory copies of the three 2021 example templates."""
    return example_templates()


@pytest.fixture
def klf(examples: list[Template]) -> Template:
    return examples[0]


@pytest.fixture
def write(tmp_path: Path) -> Callable[[Template, str], Path]:
    """write(template, "name.xlsx") → path of a real template file written by the generator."""

    def _write(template: Template, name: str = "mall.xlsx") -> Path:
        return write_template(tmp_path / name, template)

    return _write


def fill(path: Path, edits: dict[tuple[str, str], Any], out: Path | None = None) -> Path:
    """Edit a template the way a controller does in Excel (here: openpyxl), saving to `out`.

    openpyxl keeps formulas but writes no cached values: the saved file looks like one whose
    formulas were never calculated, which the reader must accept.
    """
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        wb[sheet][cell] = value
    target = out or path
    wb.save(target)
    wb.close()
    return target


@pytest.fixture
def soffice() -> str:
    """LibreOffice's binary. In CI a missing LibreOffice fails the test instead of skipping it."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        if IN_CI:
            pytest.fail("LibreOffice (soffice) saknas i CI: .ci/run ska installera libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) är inte installerat här")
    return binary


def with_meta(template: Template, **changes: Any) -> Template:
    """A copy of `template` with changed metadata."""
    return replace(template, meta=replace(template.meta, **changes))


PERIOD = date(2021, 8, 31)
