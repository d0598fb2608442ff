"""`delar-xl konsolidera` and `delar-xl demo`: exit codes 0/1/2, what is printed, what is written.

Called in process through `delar_xl.cli.main([...])`; one test runs the installed `delar-xl`
script as a real subprocess.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from delar_xl.cli import main
from delar_xl.demo.namnd import POSTPONED, Demo
from delar_xl.template.model import Template
from delar_xl.template.write import write_template


def name_value(path: Path, name: str) -> object:
    wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")].value


@pytest.fixture
def templates(demo: Demo, tmp_path: Path) -> Path:
    """A fresh copy of the demo's three templates in their own folder."""
    folder = tmp_path / "mallar"
    folder.mkdir()
    for p in demo.templates:
        shutil.copy2(p, folder / p.name)
    return folder


@pytest.fixture
def with_error(templates: Path, examples: list[Template]) -> Path:
    """The VOS template replaced by one with an assessment that is not allowed (a Fel)."""
    vos = examples[1]
    goals = [replace(g, assessment="Kanske") if g.goal_id == "KS-M13" else g for g in vos.goals]
    (target,) = [p for p in templates.iterdir() if "Verksamhetsstöd" in p.name]
    write_template(target, replace(vos, goals=goals))
    (target.parent / (target.name + ".bak")).unlink(missing_ok=True)
    return templates


# Exit codes -------------------------------------------------------------------------------


def test_konsolidera_exit_0_when_all_templates_are_fine(templates: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "Sammanställning.xlsx"
    assert main(["konsolidera", str(templates), "--ut", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert f"Sammanställningen skrevs: {out}" in stdout
    assert "3 filer kontrollerade: 0 fel, 0 varningar" in stdout
    assert "Totalt: +43,1 mnkr" in stdout
    assert "Kommunledningsförvaltningen: +12,8 mnkr" in stdout
    assert name_value(out, "AntalMal") == 18


def test_konsolidera_exit_0_with_files_as_arguments(templates: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    files = sorted(str(p) for p in templates.iterdir())
    assert main(["konsolidera", *files, "--ut", str(out)]) == 0
    assert name_value(out, "AvvikelseTotal") == pytest.approx(43.065)


def test_konsolidera_exit_1_when_a_template_has_fel(with_error: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "Sammanställning.xlsx"
    assert main(["konsolidera", str(with_error), "--ut", str(out)]) == 1
    captured = capsys.readouterr()
    assert "Verksamhetsstöd och service" in captured.out
    assert "blad Nämndmål, cell C6: Fel:" in captured.out
    assert "ofullständiga" in captured.out
    assert "Totalt: +34,9 mnkr" in captured.out
    # The summary is written anyway, with the totals of the other two.
    assert out.is_file()
    assert name_value(out, "AvvikelseTotal") == pytest.approx(34.85)
    assert name_value(out, "AntalFel") >= 1


def test_konsolidera_exit_2_when_nothing_is_readable(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "mallar"
    folder.mkdir()
    (folder / "Leanlink.xlsx").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    out = tmp_path / "Sammanställning.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 2
    captured = capsys.readouterr()
    assert "Leanlink.xlsx" in captured.out
    assert "inte en Excel-arbetsbok" in captured.out
    assert captured.err.strip()
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mallar"]


def test_konsolidera_exit_2_for_missing_path(tmp_path: Path, capsys) -> None:
    out = tmp_path / "s.xlsx"
    assert main(["konsolidera", str(tmp_path / "finns-inte"), "--ut", str(out)]) == 2
    assert "finns-inte" in capsys.readouterr().out
    assert not out.exists()


def test_konsolidera_exit_2_for_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()
    assert main(["konsolidera", str(tmp_path / "tom"), "--ut", str(tmp_path / "s.xlsx")]) == 2
    assert not (tmp_path / "s.xlsx").exists()


def test_konsolidera_exit_2_without_ut(templates: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["konsolidera", str(templates)])
    assert exc.value.code == 2
    assert "--ut" in capsys.readouterr().err


def test_konsolidera_readable_and_unreadable_gives_1(templates: Path, tmp_path: Path) -> None:
    (templates / "trasig.xlsx").write_bytes(b"inte en zip")
    out = tmp_path / "s.xlsx"
    assert main(["konsolidera", str(templates), "--ut", str(out)]) == 1
    assert name_value(out, "AvvikelseTotal") == pytest.approx(43.065)


def test_konsolidera_skips_lock_file(templates: Path, tmp_path: Path, capsys) -> None:
    (templates / "~$Bilaga 1.xlsx").write_bytes(b"\x04olle" + b" " * 50)
    out = tmp_path / "s.xlsx"
    assert main(["konsolidera", str(templates), "--ut", str(out)]) == 0
    assert "Låsfil" in capsys.readouterr().out
    assert name_value(out, "AntalFel") == 0


def test_konsolidera_keeps_previous_summary_as_bak(templates: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    assert main(["konsolidera", str(templates), "--ut", str(out)]) == 0
    first = out.read_bytes()
    assert main(["konsolidera", str(templates), "--ut", str(out)]) == 0
    assert (tmp_path / "s.xlsx.bak").read_bytes() == first


# --text -----------------------------------------------------------------------------------


def test_konsolidera_text_prints_the_proposed_text(templates: Path, tmp_path: Path, capsys) -> None:
    assert main(["konsolidera", str(templates), "--ut", str(tmp_path / "s.xlsx"), "--text"]) == 0
    stdout = capsys.readouterr().out
    assert "Delårsrapport för kommunstyrelsen per den 31 augusti med prognos för helår 2021" in stdout
    assert "Åtta nämndmål bedöms uppnås helt och tio bedöms uppnås delvis per helår." in stdout
    assert "Kommunledningsförvaltningen redovisar ett överskott med 12,8 mnkr" in stdout
    assert f"”{POSTPONED[2]}”" in stdout
    assert "- Verksamhetsstöd och service  + 8,2 mnkr" in stdout.splitlines()


def test_konsolidera_without_text_prints_no_text(templates: Path, tmp_path: Path, capsys) -> None:
    assert main(["konsolidera", str(templates), "--ut", str(tmp_path / "s.xlsx")]) == 0
    assert "Åtta nämndmål bedöms" not in capsys.readouterr().out


def test_konsolidera_text_with_fel_carries_the_notice(with_error: Path, tmp_path: Path, capsys) -> None:
    assert main(["konsolidera", str(with_error), "--ut", str(tmp_path / "s.xlsx"), "--text"]) == 1
    stdout = capsys.readouterr().out
    assert "OBS! Sammanställningen är ofullständig." in stdout


def test_konsolidera_tyst_hides_info(templates: Path, tmp_path: Path, capsys) -> None:
    (templates / "~$Bilaga 1.xlsx").write_bytes(b"\x04olle")
    assert main(["konsolidera", str(templates), "--ut", str(tmp_path / "s.xlsx"), "--tyst"]) == 0
    assert "Låsfil" not in capsys.readouterr().out


# demo -------------------------------------------------------------------------------------


def test_demo_command_prints_summary_path_and_total(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--ut", str(folder)]) == 0
    stdout = capsys.readouterr().out
    summary = folder / "Sammanställning Kommunstyrelsen 2021-08-31.xlsx"
    assert f"Sammanställningen skrevs: {summary}" in stdout
    assert "+43,1 mnkr" in stdout
    assert summary.is_file()
    assert len(list((folder / "mallar").glob("*.xlsx"))) == 3
    assert name_value(summary, "AvvikelseTotal") == pytest.approx(43.065)


def test_konsolidera_help_is_swedish(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["konsolidera", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "Användning:" in out and "--ut" in out and "Slutstatus" in out


# A real process ---------------------------------------------------------------------------


def test_konsolidera_real_subprocess(templates: Path, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("delar-xl")
    if not script.exists():
        found = shutil.which("delar-xl")
        if found is None:
            pytest.skip("the delar-xl script is not installed beside this Python")
        script = Path(found)
    out = tmp_path / "Sammanställning.xlsx"
    done = subprocess.run(
        [str(script), "konsolidera", str(templates), "--ut", str(out), "--text"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "+43,1 mnkr" in done.stdout
    assert "Åtta av arton nämndmål bedöms uppnås per helår, tio bedöms delvis uppnås." in done.stdout
    assert name_value(out, "MalHelt") == 8


# Where the summary goes -----------------------------------------------------------------------


def test_konsolidera_summary_inside_the_templates_folder_is_skipped_next_time(templates: Path, capsys) -> None:
    out = templates / "Sammanställning.xlsx"
    assert main(["konsolidera", str(templates), "--ut", str(out)]) == 0
    assert main(["konsolidera", str(templates), "--ut", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert "Sammanställning.xlsx: Info:" in stdout
    assert name_value(out, "AvvikelseTotal") == pytest.approx(43.065)
    assert name_value(out, "AntalMal") == 18


def test_konsolidera_exit_2_when_output_folder_cannot_be_made(templates: Path, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "en-fil"
    blocker.write_text("inte en mapp")
    assert main(["konsolidera", str(templates), "--ut", str(blocker / "s.xlsx")]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.strip()
    assert blocker.read_text() == "inte en mapp"


def test_konsolidera_never_overwrites_an_input_template(templates: Path, capsys) -> None:
    """security.md: never modify an input file. --ut naming one of the inputs is refused."""
    inputs = sorted(templates.iterdir())
    before = {p.name: p.read_bytes() for p in inputs}
    code = main(["konsolidera", str(templates), "--ut", str(inputs[0])])
    assert code == 2
    assert {p.name: p.read_bytes() for p in inputs} == before
    assert sorted(p.name for p in templates.iterdir()) == sorted(before)


def test_konsolidera_never_writes_xlsm(templates: Path, tmp_path: Path) -> None:
    """security.md: output .xlsx, never .xlsm (an .xlsm name on .xlsx content does not even open in Excel)."""
    main(["konsolidera", str(templates), "--ut", str(tmp_path / "Sammanställning.xlsm")])
    assert not (tmp_path / "Sammanställning.xlsm").exists()


def test_demo_command_twice_into_the_same_folder(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--ut", str(folder)]) == 0
    assert main(["demo", "--ut", str(folder)]) == 0
    assert "+43,1 mnkr" in capsys.readouterr().out
    assert len(list((folder / "mallar").glob("*.xlsx"))) == 3
    assert main(["konsolidera", str(folder / "mallar"), "--ut", str(tmp_path / "s.xlsx")]) == 0


def test_konsolidera_every_template_with_fel_still_writes_and_exits_1(tmp_path: Path, examples, capsys) -> None:
    folder = tmp_path / "mallar"
    for i, t in enumerate(examples, 1):
        write_template(
            folder / f"Bilaga {i}.xlsx", replace(t, goals=[replace(g, assessment="Kanske") for g in t.goals])
        )
    out = tmp_path / "s.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out), "--text"]) == 1
    stdout = capsys.readouterr().out
    assert "OBS! Sammanställningen är ofullständig." in stdout
    assert name_value(out, "AvvikelseTotal") == 0
    assert name_value(out, "AntalMal") == 0
    wb = openpyxl.load_workbook(out)
    assert wb["Sammanställning"]["A2"].value.startswith("OFULLSTÄNDIG: 3 av 3")
