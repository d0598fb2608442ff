"""The wheel carries the add-in, and `installera` works from the installed package alone.

The wheel is built from a copy of the source tree (no stale build/ folder, no .venv) with the
setuptools of the test environment. It is then unpacked, as pip would install it, and the
package is imported from there in a fresh interpreter whose working folder is elsewhere: no
source checkout is in reach. (.ci/run additionally installs the wheel with pip into a fresh venv
and runs `delar-xl demo` from it.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_SKIP_ANYWHERE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "*.bak"
)


def skipped_in_copy(folder: str, names: list[str]) -> set[str]:
    """What the copy leaves out: the checkout's own demo/ output, but not the package delar_xl/demo/."""
    skipped = set(_SKIP_ANYWHERE(folder, names))
    if Path(folder).resolve() == ROOT and "demo" in names:
        skipped.add("demo")
    return skipped


def _require_build_backend() -> None:
    """setuptools 77 reads pyproject's `license = "MIT"`; an older .venv predates the test extra's pin."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        major = int(version("setuptools").split(".")[0])
    except PackageNotFoundError:
        major = 0
    if major < 77:
        reason = "setuptools>=77 saknas i .venv: kör make .venv/.installed (testextrat installerar det)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_build_backend()
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=skipped_in_copy)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp / "dist"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    (built,) = (tmp / "dist").glob("delar_xl-*.whl")
    return built


def test_wheel_contains_the_addin_as_package_data(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        shipped = zf.read("delar_xl/addin/delar_xl.xlam")
        entry_points = zf.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert shipped == (ROOT / "workbook" / "delar_xl.xlam").read_bytes()
    assert {
        "delar_xl/addin/build.py",
        "delar_xl/addin/xlwings_conf.toml",
        "delar_xl/addin/customUI14.xml",
        "delar_xl/addin/__init__.py",
    } <= names
    # Every module of the source tree, subpackages included (pyproject.toml lists the packages).
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "delar_xl").rglob("*.py")}
    assert modules - names == set()
    assert "delar-xl = delar_xl.cli:main" in entry_points
    assert not any(n.startswith(("tests/", "workbook/")) for n in names)


def test_wheel_installera_works_without_a_source_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    elsewhere = tmp_path / "anywhere"
    elsewhere.mkdir()
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import delar_xl\n"
        "from delar_xl.excel import install\n"
        "message = install.install_addin(startup_dir=Path.cwd() / 'XLSTART')\n"
        "build = install._load_build_module()\n"
        "print(json.dumps({'package': delar_xl.__file__, 'folder': str(install.workbook_dir()),\n"
        "                  'settings': build.read_addin_settings(Path('XLSTART/delar_xl.xlam')),\n"
        "                  'message': message}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DELAR_XL_WORKBOOK_DIR", "PYTHONPATH")}
    env["PYTHONPATH"] = str(site)  # ahead of the editable install of this checkout
    done = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["package"] == str(site / "delar_xl" / "__init__.py")
    assert seen["folder"] == str(site / "delar_xl" / "addin")
    key = "Interpreter_Mac" if sys.platform == "darwin" else "Interpreter_Win"
    assert seen["settings"][key] == sys.executable
    assert seen["settings"]["PYTHONPATH"] == str(site)
    assert seen["message"].startswith(f"Tillägget är installerat: {elsewhere / 'XLSTART' / 'delar_xl.xlam'}")
