"""Issue 6 end to end: the whole bad-input corpus in one folder beside two valid templates.

Each bad file gets its own clear finding, the valid ones are still checked and consolidated, the
process stays small, no input changes, and no traceback ever reaches the user.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from corpus import PACKAGE_CASES, build_corpus

from delar_xl import check, consolidate
from delar_xl.cli import main
from delar_xl.demo.namnd import example_templates
from delar_xl.template.write import write_template

BIN = Path(sys.executable).parent
VALID = ("Bilaga 1 KLF.xlsx", "Bilaga 4 VOS.xlsx")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inkorg")
    base = folder.parent / (folder.name + "-bas") / "mall.xlsx"
    build_corpus(folder, base=write_template(base, example_templates()[2]))
    klf, vos = example_templates()[:2]
    write_template(folder / VALID[0], klf)
    write_template(folder / VALID[1], vos)
    return folder


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def run(*args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run delar-xl as a user would; returns the process and its peak memory in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [str(BIN / "delar-xl"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DELAR_XL_LOG": str(Path(args[-1]).parent / "delar_xl.log")},
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return done, max(peak, before) // 1024


def test_hardening_kontrollera_whole_corpus(folder: Path) -> None:
    before = hashes(folder)
    done, peak_mb = run("kontrollera", str(folder))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert peak_mb < 500
    for case, _code in PACKAGE_CASES.items():
        if case == "lock_file":
            continue
        name = f"{case}.xlsx" if case not in ("xls", "ods") else f"mall.{case}.xlsx"
        lines = [line for line in done.stdout.splitlines() if line.startswith(f"{name}: ")]
        assert len(lines) == 1, (case, lines)  # one clear finding for a file that cannot be read
        assert ": Fel: " in lines[0]
    assert "~$mall.xlsx: Info: Låsfil" in done.stdout
    assert not [line for line in done.stdout.splitlines() if line.startswith(VALID[0]) or line.startswith(VALID[1])]
    assert hashes(folder) == before


def test_hardening_konsolidera_builds_on_the_valid_ones(folder: Path, tmp_path: Path) -> None:
    before = hashes(folder)
    out = tmp_path / "Sammanställning.xlsx"
    done, peak_mb = run("konsolidera", str(folder), "--ut", str(out))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert peak_mb < 500
    assert hashes(folder) == before
    wb = openpyxl.load_workbook(out, data_only=True)
    units = _table(wb, "Forvaltningar")
    included = [u["Förvaltning"] for u in units if u["Status"] == "Med i sammanställningen"]
    assert included == ["Kommunledningsförvaltningen", "Verksamhetsstöd och service"]
    sources = {s["Fil"]: s["Status"] for s in _table(wb, "Kallor")}
    for case in PACKAGE_CASES:
        if case == "lock_file":
            continue
        name = f"{case}.xlsx" if case not in ("xls", "ods") else f"mall.{case}.xlsx"
        assert sources[name].startswith("Utesluten"), (name, sources.get(name))
    refused = {row["Fil"] for row in _table(wb, "Kontroll") if row["Allvarlighet"] == "Fel"}
    assert refused >= {name for name, status in sources.items() if status.startswith("Utesluten")}
    banner = wb["Sammanställning"]["A2"].value
    assert banner.startswith("OFULLSTÄNDIG")
    klf_and_vos = (12_762 + 8_215) / 1000
    total = wb["Sammanställning"][_cell(wb, "AvvikelseTotal")].value
    assert total == pytest.approx(klf_and_vos)


def _table(wb, name: str) -> list[dict[str, object]]:
    for ws in wb.worksheets:
        if name in ws.tables:
            rows = list(ws[ws.tables[name].ref].__iter__())
            headers = [c.value for c in rows[0]]
            return [dict(zip(headers, (c.value for c in row))) for row in rows[1:]]
    raise KeyError(name)


def _cell(wb, name: str) -> str:
    return next(wb.defined_names[name].destinations)[1].replace("$", "")


# No traceback, ever --------------------------------------------------------------------------


def test_hardening_reader_bug_costs_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import delar_xl.template.read as read

    monkeypatch.setenv("DELAR_XL_LOG", str(tmp_path / "logg.txt"))
    templates = example_templates()
    paths = [write_template(tmp_path / f"{i}.xlsx", t) for i, t in enumerate(templates)]
    original = read.TemplateReader.read

    def explode_on_second(self):
        if self.file == "1.xlsx":
            raise RuntimeError("programfel")
        return original(self)

    monkeypatch.setattr(read.TemplateReader, "read", explode_on_second)
    result = consolidate(paths)
    assert [u.file for u in result.included] == ["0.xlsx", "2.xlsx"]
    assert result.report.flatten(["file", "severity", "code"]) == [["1.xlsx", "Fel", "fil-ovantat-fel"]]
    assert str(tmp_path / "logg.txt") in result.report.findings[0].message
    assert "RuntimeError: programfel" in (tmp_path / "logg.txt").read_text()


def test_hardening_cli_unexpected_error_is_swedish_with_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import delar_xl.namnd.consolidate as consolidation

    monkeypatch.setenv("DELAR_XL_LOG", str(tmp_path / "logg.txt"))

    def explode(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(consolidation, "check", explode)
    assert main(["kontrollera", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Ett oväntat fel inträffade (ZeroDivisionError).")
    assert str(tmp_path / "logg.txt") in err and "Traceback" not in err
    assert "ZeroDivisionError" in (tmp_path / "logg.txt").read_text()


def test_hardening_output_that_cannot_be_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The target is in the way (here a folder of that name, as a file locked by Excel would be):
    whatever was there stays, the new summary is kept under another name and the message says where."""
    mallar = tmp_path / "mallar"
    write_template(mallar / "KLF.xlsx", example_templates()[0])
    blocked = tmp_path / "Sammanställning.xlsx"
    blocked.mkdir()
    (blocked / "viktig.txt").write_text("orörd")
    assert main(["konsolidera", str(mallar), "--ut", str(blocked)]) == 2
    err = capsys.readouterr().err
    kept = tmp_path / "Sammanställning (1).xlsx"
    assert f"sparades som {kept}" in err
    assert (blocked / "viktig.txt").read_text() == "orörd"
    assert check([mallar]).report.valid and kept.exists()


def test_hardening_worker_processes_give_the_same_result(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many files are read in worker processes (both cores); the outcome must not depend on it."""
    fields = ["file", "sheet", "cell", "severity", "code", "message"]
    monkeypatch.setenv("DELAR_XL_WORKERS", "1")
    alone = consolidate([folder])
    monkeypatch.setenv("DELAR_XL_WORKERS", "2")
    pooled = consolidate([folder])
    assert pooled.report.flatten(fields) == alone.report.flatten(fields)
    assert [(u.file, u.status, u.sha256) for u in pooled.units] == [(u.file, u.status, u.sha256) for u in alone.units]
    assert pooled.deviation == alone.deviation


def test_hardening_a_worker_that_dies_costs_no_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This process reads its own share and, when a worker process dies, the worker's share too."""
    import os

    from delar_xl.namnd import consolidate as consolidation

    parent, real = os.getpid(), consolidation._check_one

    def dies_in_a_worker(item):  # workers are forked: they see this replacement
        if os.getpid() != parent:
            os._exit(1)
        return real(item)

    fields = ["file", "sheet", "cell", "severity", "code", "message"]
    monkeypatch.setenv("DELAR_XL_WORKERS", "1")
    alone = consolidate([folder])
    monkeypatch.setenv("DELAR_XL_WORKERS", "2")
    monkeypatch.setattr(consolidation, "_check_one", dies_in_a_worker)
    rescued = consolidate([folder])
    assert rescued.report.flatten(fields) == alone.report.flatten(fields)
    assert [(u.file, u.status) for u in rescued.units] == [(u.file, u.status) for u in alone.units]


def test_hardening_legacy_console_encoding(tmp_path: Path) -> None:
    """Output redirected on Windows is cp1252, which has no "−" or "”": replaced, never a crash."""
    from dataclasses import replace

    mallar = tmp_path / "mallar"
    templates = example_templates()
    klf = templates[0]
    klf.economy[0] = replace(klf.economy[0], forecast=-120_000)  # an underskott: "− 14,1 mnkr"
    for i, template in enumerate(templates):
        write_template(mallar / f"{i}.xlsx", template)
    done = subprocess.run(
        [str(BIN / "delar-xl"), "konsolidera", str(mallar), "--ut", str(tmp_path / "s.xlsx"), "--text"],
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("cp1252")
    assert "- Kommunledningsförvaltningen  ? 14,1 mnkr" in text  # U+2212 is not in cp1252
    assert "Tre uppdrag förskjuts till 2022. Dessa är \u201dSamtliga nämnder" in text
