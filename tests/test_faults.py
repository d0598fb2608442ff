"""Issue 20: faults and odd files. Each one is named in Swedish, no input is ever overwritten, and one
file never stops the others.

Every file here is real: templates, plans and summaries from the product's own generators, a
package rebuilt with backslash part names, folders and links made on disk. The disk-full case runs
`delar-xl` in a child process under a small file-size limit.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from delar_xl import check, consolidate
from delar_xl.cli import main
from delar_xl.demo.namnd import Demo
from delar_xl.findings import OutputError

B = "Bilaga 4"  # the file that fails in the containment tests (Verksamhetsstöd och service)


@pytest.fixture
def cycle(demo: Demo, tmp_path: Path) -> tuple[Path, Path]:
    """(folder of the demo's three templates, the plan) copied to a fresh folder."""
    folder = tmp_path / "mallar"
    folder.mkdir()
    for p in demo.templates:
        shutil.copy2(p, folder / p.name)
    plan = tmp_path / demo.plan.name
    shutil.copy2(demo.plan, plan)
    return folder, plan


def _is_b(name: object) -> bool:
    return Path(str(name)).name.startswith(B)


def _included(out: Path) -> list[str]:
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = next(ws for ws in wb.worksheets if "Forvaltningar" in ws.tables)
    rows = list(ws[ws.tables["Forvaltningar"].ref])
    headers = [c.value for c in rows[0]]
    records = [dict(zip(headers, (c.value for c in row))) for row in rows[1:]]
    return [r["Förvaltning"] for r in records if r["Status"] == "Med i sammanställningen"]


# 1. Containment -----------------------------------------------------------------------------------


def _plant(step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make one per-file step raise for the file `B` only."""
    import delar_xl.namnd.consolidate as consolidation
    import delar_xl.plan.check as plan_check
    import delar_xl.template.read as read
    import delar_xl.xlsx.guard as guard

    def boom(*args, **kwargs):
        raise RuntimeError(f"planterat fel i {step}")

    if step == "guard":
        original_guard = guard.check_package
        monkeypatch.setattr(
            guard,
            "check_package",
            lambda data, filename="", *a, **k: boom() if _is_b(filename) else original_guard(data, filename, *a, **k),
        )
    elif step == "read":
        original_read = read.TemplateReader.read
        monkeypatch.setattr(
            read.TemplateReader, "read", lambda self: boom() if _is_b(self.file) else original_read(self)
        )
    elif step == "rules":
        original_rules = consolidation.validate
        monkeypatch.setattr(
            consolidation,
            "validate",
            lambda template, settings: boom() if _is_b(template.file) else original_rules(template, settings),
        )
    elif step == "plan":
        original_plan = plan_check.check_template
        monkeypatch.setattr(
            plan_check,
            "check_template",
            lambda template, file, plan: boom() if _is_b(file) else original_plan(template, file, plan),
        )


@pytest.mark.parametrize("step", ["guard", "read", "rules", "plan"])
def test_one_file_failing_in_any_step_costs_only_that_file(
    step: str, cycle: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder, plan = cycle
    monkeypatch.setenv("DELAR_XL_LOG", str(tmp_path / "logg.txt"))
    _plant(step, monkeypatch)
    assert main(["kontrollera", str(folder), "--plan", str(plan)]) == 1
    out = capsys.readouterr().out
    failed = [line for line in out.splitlines() if line.startswith(B) and ": Fel: " in line]
    assert len(failed) == 1 and "oväntat fel (RuntimeError)" in failed[0] and str(tmp_path / "logg.txt") in failed[0]
    assert "3 filer kontrollerade" in out
    summary = tmp_path / "Sammanställning.xlsx"
    assert main(["konsolidera", str(folder), "--plan", str(plan), "--ut", str(summary)]) == 1
    assert _included(summary) == ["Kommunledningsförvaltningen", "Leanlink"]
    assert f"planterat fel i {step}" in (tmp_path / "logg.txt").read_text()


def test_a_plan_whose_rules_fail_is_named_and_the_templates_still_count(
    cycle: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import delar_xl.plan.rules as plan_rules
    from delar_xl.namnd.consolidate import consolidate

    folder, plan = cycle
    monkeypatch.setenv("DELAR_XL_LOG", str(tmp_path / "logg.txt"))

    def boom(plan):
        raise RuntimeError("planterat fel i planens regler")

    monkeypatch.setattr(plan_rules, "validate_plan", boom)
    result = consolidate([folder], plan=plan)
    assert [f[1:] for f in result.report.flatten(["file", "severity", "code"]) if f[0] == plan.name] == [
        ["Fel", "fil-ovantat-fel"],
        ["Info", "plan-anvands-inte"],
    ]
    assert len(result.included) == 3


@pytest.fixture(scope="module")
def namnder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kommun demo's three nämnd summaries."""
    from delar_xl.demo.kommun import write_kommun_demo

    return write_kommun_demo(tmp_path_factory.mktemp("kommun")).namnd_summaries[0].parent


@pytest.fixture
def summaries(namnder: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "namnder"
    shutil.copytree(namnder, folder)
    for p in folder.glob("*.bak"):
        p.unlink()
    return folder


def test_level_detection_failing_for_one_file_stops_nothing(
    summaries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The level detection peeks at every input before the per-file reading: a failure there makes
    that file "not known", and its reader (which has its own containment) decides."""
    import delar_xl.kommun.consolidate as kommun

    monkeypatch.setenv("DELAR_XL_LOG", str(tmp_path / "logg.txt"))
    victim = sorted(summaries.iterdir())[1]
    original = kommun.input_kind

    def peek(path):
        if Path(path).name == victim.name:
            raise KeyError("planterat fel i nivåvalet")
        return original(path)

    monkeypatch.setattr(kommun, "input_kind", peek)
    out = tmp_path / "Kommunen.xlsx"
    assert main(["konsolidera", str(summaries), "--ut", str(out)]) == 0, capsys.readouterr().err
    assert "Kommunens sammanställning skrevs" in capsys.readouterr().out


def test_a_summary_failing_to_read_costs_only_that_nämnd(
    summaries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import delar_xl.kommun.consolidate as kommun

    monkeypatch.setenv("DELAR_XL_LOG", str(tmp_path / "logg.txt"))
    victim = sorted(summaries.iterdir())[1]
    original = kommun._note_incomplete_one

    def note(result, unit):
        if unit.file == victim.name:
            raise RuntimeError("planterat fel")
        original(result, unit)

    monkeypatch.setattr(kommun, "_note_incomplete_one", note)
    result = kommun.consolidate_kommun([summaries])
    assert [f[1:] for f in result.report.flatten(["file", "severity", "code"]) if f[0] == victim.name] == [
        ["Fel", "fil-ovantat-fel"]
    ]
    assert len(result.included) == 2


def backslash_copy(source: Path, target: Path, also_slash: str | None = None) -> Path:
    """`source` rebuilt with every part name written with backslashes (`xl\\workbook.xml`), as some
    generators do; `also_slash` adds that part a second time under its ordinary name."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename.replace("/", "\\"), src.read(info))
            if info.filename == also_slash:
                out.writestr(info.filename, src.read(info))
    return target


def test_backslash_part_names_are_read_as_excel_reads_them(demo: Demo, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "mallar"
    folder.mkdir()
    odd = backslash_copy(demo.templates[1], folder / demo.templates[1].name)
    with zipfile.ZipFile(odd) as zf:
        assert "xl\\workbook.xml" in zf.namelist() and "xl/workbook.xml" not in zf.namelist()
    for p in (demo.templates[0], demo.templates[2]):
        shutil.copy2(p, folder / p.name)
    result = check([folder])
    assert result.report.valid, result.report.flatten(["file", "code", "message"])
    assert [u.name for u in result.units] == ["Kommunledningsförvaltningen", "Verksamhetsstöd och service", "Leanlink"]
    assert consolidate([folder]).deviation == demo.result.deviation
    assert main(["kontrollera", str(folder)]) == 0
    assert "oväntat" not in capsys.readouterr().out


def test_backslash_summary_and_plan_are_read_too(demo: Demo, namnder: Path, tmp_path: Path) -> None:
    from delar_xl.kommun.consolidate import consolidate_kommun, inputs_are_summaries
    from delar_xl.plan.read import check_plan

    folder = tmp_path / "namnder"
    folder.mkdir()
    for p in sorted(namnder.glob("*.xlsx")):
        backslash_copy(p, folder / p.name)
    assert inputs_are_summaries([folder])
    assert len(consolidate_kommun([folder]).included) == 3
    plan = check_plan(backslash_copy(demo.plan, tmp_path / "Plan.xlsx"))
    assert plan.plan is not None and not plan.has_errors


def test_a_part_under_both_names_is_refused(demo: Demo, tmp_path: Path) -> None:
    """`xl/workbook.xml` and `xl\\workbook.xml` in one package are one part twice: two readers
    could see two workbooks, so the file is refused like any duplicate part name."""
    odd = backslash_copy(demo.templates[0], tmp_path / "dubbel.xlsx", also_slash="xl/workbook.xml")
    assert check([odd]).report.flatten(["code"]) == [["fil-inte-xlsx"]]


# 2. No input is ever overwritten --------------------------------------------------------------------


def _refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any reading of an input fails the test loudly."""
    import delar_xl.kommun.consolidate as kommun
    import delar_xl.namnd.consolidate as consolidation

    def never(*args, **kwargs):
        raise AssertionError("en indatafil lästes före kontrollen av utdata")

    monkeypatch.setattr(consolidation, "check", never)
    monkeypatch.setattr(kommun, "input_kind", never)


def test_ut_that_is_the_plan_is_refused_before_anything_is_read(
    cycle: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder, plan = cycle
    before = plan.read_bytes()
    _refused_before_reading(monkeypatch)
    assert main(["konsolidera", str(folder), "--plan", str(plan), "--ut", str(plan)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"Fel: --ut {plan} är samma fil som planen ({plan}). En indatafil skrivs aldrig över; ange ett annat filnamn.\n"
    )
    assert plan.read_bytes() == before and not plan.with_name(plan.name + ".bak").exists()


def test_ut_through_a_link_or_a_hard_link_is_refused(
    cycle: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder, plan = cycle
    template = sorted(folder.iterdir())[0]
    link = tmp_path / "länk.xlsx"
    link.symlink_to(plan)
    hard = tmp_path / "hård.xlsx"
    os.link(template, hard)
    linked_folder = tmp_path / "via-länk"
    linked_folder.symlink_to(folder)
    _refused_before_reading(monkeypatch)
    for out, what in ((link, "planen"), (hard, "mallen"), (linked_folder / template.name, "mallen")):
        assert main(["konsolidera", str(folder), "--plan", str(plan), "--ut", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"Fel: --ut {out} är samma fil som {what} (" in err, err


def test_word_that_is_the_settings_file_is_refused(
    cycle: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder, _ = cycle
    settings = tmp_path / "inställningar.docx"  # an odd name, but the file it names is read
    settings.write_text("[kontroll]\nkommentar_grans_tkr = 500\n", encoding="utf-8")
    monkeypatch.setenv("DELAR_XL_SETTINGS", str(settings))
    _refused_before_reading(monkeypatch)
    assert main(["konsolidera", str(folder), "--ut", str(tmp_path / "S.xlsx"), "--word", str(settings)]) == 2
    assert "är samma fil som inställningsfilen" in capsys.readouterr().err
    assert "500" in settings.read_text(encoding="utf-8")


def test_eml_that_is_the_summary_is_refused(demo: Demo, tmp_path: Path, capsys) -> None:
    summary = shutil.copy2(demo.summary, tmp_path / demo.summary.name)
    before = Path(summary).read_bytes()
    assert main(["skicka", str(summary), "--till", "a@example.se", "--eml", str(summary)]) == 2
    assert f"Fel: --eml {summary} är samma fil som sammanställningen (" in capsys.readouterr().err
    assert Path(summary).read_bytes() == before


def test_refuse_inputs_as_outputs_takes_any_number_of_outputs(tmp_path: Path) -> None:
    from delar_xl.files import InputFile, refuse_inputs_as_outputs

    plan = tmp_path / "Plan.xlsx"
    plan.write_bytes(b"plan")
    inputs = [InputFile(plan, "planen")]
    refuse_inputs_as_outputs(
        [("--ut", tmp_path / "S.xlsx"), ("--word", None), ("--rapport", tmp_path / "R.docx")], inputs
    )
    with pytest.raises(OutputError, match="--rapport"):
        refuse_inputs_as_outputs([("--ut", tmp_path / "S.xlsx"), ("--rapport", tmp_path / "." / "Plan.xlsx")], inputs)


def test_a_previous_summary_among_the_templates_is_still_replaced(cycle: tuple[Path, Path], capsys) -> None:
    folder, _ = cycle
    out = folder / "Sammanställning.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 0
    assert main(["konsolidera", str(folder), "--ut", str(out)]) == 0
    assert out.with_name(out.name + ".bak").exists()


def test_a_target_that_can_never_be_written_is_refused_before_reading(
    cycle: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder, _ = cycle
    device = tmp_path / "S.xlsx"
    device.symlink_to("/dev/zero")
    _refused_before_reading(monkeypatch)
    assert main(["konsolidera", str(folder), "--ut", str(device)]) == 2
    assert capsys.readouterr().err == (
        f"Fel: Kan inte skriva {device}: det är ingen vanlig fil (till exempel en "
        "enhet eller en länk till en). Ange ett annat filnamn.\n"
    )
    long_name = tmp_path / ("x" * 260 + ".xlsx")
    assert main(["konsolidera", str(folder), "--ut", str(long_name)]) == 2
    assert "namnet är för långt (265 byte; högst 255)" in capsys.readouterr().err


def test_a_target_that_is_a_device_is_refused(tmp_path: Path) -> None:
    from delar_xl.files import write_atomic

    target = tmp_path / "S.xlsx"
    target.symlink_to("/dev/zero")
    with pytest.raises(OutputError) as caught:
        write_atomic(target, lambda tmp: tmp.write_bytes(b"ny"))
    assert str(caught.value) == (
        f"Kan inte skriva {target}: det är ingen vanlig fil (till exempel en enhet eller en "
        "länk till en). Ange ett annat filnamn."
    )
    assert not list(tmp_path.glob(".~delar_xl-*"))


# 3. Write failures ------------------------------------------------------------------------------------


def _previous(target: Path) -> bytes:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"den tidigare sammanstallningen")
    return target.read_bytes()


def test_disk_full_while_writing_is_swedish_and_keeps_the_previous_output(
    cycle: tuple[Path, Path], tmp_path: Path
) -> None:
    """A real write error: the file-size limit (RLIMIT_FSIZE) in a child process, SIGXFSZ ignored
    so that the write fails with EFBIG instead of killing the process."""
    folder, _ = cycle
    target = tmp_path / "ut" / "Sammanställning.xlsx"
    before = _previous(target)
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))\n"
        "from delar_xl.cli import main\n"
        f"sys.exit(main(['konsolidera', {str(folder)!r}, '--ut', {str(target)!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "DELAR_XL_LOG": str(tmp_path / "logg.txt")},
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1] == (
        f"Fel: Kunde inte skriva {target}: filen blev större än vad som får skrivas här (filstorleksgräns). "
        "Välj en annan mapp eller disk. Den tidigare filen är orörd."
    )
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["Sammanställning.xlsx"]


@pytest.mark.parametrize(
    "code,sentence",
    [
        (errno.ENOSPC, "disken är full. Frigör utrymme eller välj en annan disk och försök igen."),
        (errno.EROFS, "disken eller mappen är skrivskyddad. Välj en mapp där du får spara filer."),
        (
            errno.EACCES,
            (
                "du saknar behörighet, eller filen är öppen i ett annat program. Stäng den i andra program, "
                "eller välj en mapp där du får spara filer."
            ),
        ),
        (errno.EDQUOT, "ditt lagringsutrymme (kvot) är slut. Ta bort filer du inte behöver eller välj en annan disk."),
    ],
)
def test_write_errors_are_one_swedish_sentence_and_nothing_half_is_left(
    code: int, sentence: str, tmp_path: Path
) -> None:
    from delar_xl.files import write_atomic

    target = tmp_path / "Sammanställning.xlsx"
    before = _previous(target)

    def fails(tmp: Path) -> None:
        tmp.write_bytes(b"halv")
        raise OSError(code, os.strerror(code))

    with pytest.raises(OutputError) as caught:
        write_atomic(target, fails)
    assert str(caught.value) == f"Kunde inte skriva {target}: {sentence} Den tidigare filen är orörd."
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Sammanställning.xlsx"]


def test_a_writer_that_wraps_the_os_error_is_still_named(tmp_path: Path) -> None:
    """XlsxWriter raises FileCreateError from the OSError it met: the OSError says what happened."""
    from xlsxwriter.exceptions import FileCreateError

    from delar_xl.files import write_atomic

    def fails(tmp: Path) -> None:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise FileCreateError(exc) from exc

    with pytest.raises(OutputError, match="disken är full"):
        write_atomic(tmp_path / "S.xlsx", fails)


def test_parent_that_is_a_file_is_said_in_swedish(cycle: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    folder, _ = cycle
    (tmp_path / "rapporter").write_text("en fil")
    assert main(["konsolidera", str(folder), "--ut", str(tmp_path / "rapporter" / "S.xlsx")]) == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err == (
        f"Fel: Kan inte skriva i mappen {tmp_path / 'rapporter'}: det finns en fil med det namnet där en "
        "mapp behövs. Byt namn på filen eller välj en annan mapp."
    )


def test_a_target_that_is_a_folder_is_said_and_the_result_kept_beside_it(
    cycle: tuple[Path, Path], tmp_path: Path, capsys
) -> None:
    folder, _ = cycle
    target = tmp_path / "Sammanställning.xlsx"
    target.mkdir()
    assert main(["konsolidera", str(folder), "--ut", str(target)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"Fel: Kunde inte ersätta {target}: det är en mapp, inte en fil. Ange ett annat filnamn, eller byt namn på "
        f"mappen. Mappen är orörd. Det nya resultatet sparades som {tmp_path / 'Sammanställning (1).xlsx'}."
    )


def test_a_name_too_long_is_refused_and_a_long_name_keeps_its_backup(tmp_path: Path) -> None:
    from delar_xl.files import write_atomic

    too_long = tmp_path / ("x" * 260 + ".xlsx")
    with pytest.raises(OutputError) as caught:
        write_atomic(too_long, lambda tmp: tmp.write_bytes(b"ny"))
    assert str(caught.value) == (
        f"Kan inte skriva {too_long}: namnet är för långt (265 byte; högst 255). Välj ett kortare filnamn."
    )
    long_name = tmp_path / ("å" * 120 + "abcdefg.xlsx")  # 252 bytes: name + ".bak" would be 256
    assert len(long_name.name.encode()) == 252
    long_name.write_bytes(b"gammal")
    assert write_atomic(long_name, lambda tmp: tmp.write_bytes(b"ny")) == long_name
    assert long_name.read_bytes() == b"ny"
    backups = [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]
    assert len(backups) == 1 and backups[0].read_bytes() == b"gammal" and len(backups[0].name.encode()) <= 255
    assert not list(tmp_path.glob(".~delar_xl-*"))


def test_our_stale_temp_files_are_removed_when_we_write_there(tmp_path: Path) -> None:
    from delar_xl.files import write_atomic

    stale, fresh, theirs = (
        tmp_path / ".~delar_xl-gammal.xlsx",
        tmp_path / ".~delar_xl-pagar.xlsx",
        tmp_path / ".~annat-gammal.xlsx",
    )
    for p in (stale, fresh, theirs):
        p.write_bytes(b"rest")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    os.utime(theirs, (two_hours_ago, two_hours_ago))
    write_atomic(tmp_path / "S.xlsx", lambda tmp: tmp.write_bytes(b"ny"))
    assert not stale.exists() and fresh.exists() and theirs.exists()


def test_utskick_writes_nothing_half(tmp_path: Path, demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import delar_xl.namnd.dispatch as dispatch

    original = dispatch.write_template
    calls = []

    def second_fails(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise OutputError(f"Kunde inte skriva {path}: disken är full.")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(dispatch, "write_template", second_fails)
    out = tmp_path / "utskick"
    assert main(["utskick", str(demo.plan), "--period", "2021-08-31", "--ut", str(out)]) == 2
    err = capsys.readouterr().err
    assert "disken är full" in err and "Inga mallar skrevs" in err
    assert list(out.iterdir()) == []


# 4. OS errors in Swedish ------------------------------------------------------------------------------


def test_os_errors_have_one_swedish_table_and_fitting_advice() -> None:
    from delar_xl.oserrors import reading, writing

    missing = FileNotFoundError(errno.ENOENT, "No such file or directory")
    assert reading(missing) == "filen finns inte (den kan ha flyttats eller tagits bort). Kontrollera sökvägen."
    assert "Stäng" not in reading(missing)
    busy = PermissionError(errno.EACCES, "Permission denied")
    assert "Stäng den i andra program" in reading(busy)
    for code in (
        errno.ENOENT,
        errno.EACCES,
        errno.EPERM,
        errno.ENOSPC,
        errno.EFBIG,
        errno.EROFS,
        errno.ENAMETOOLONG,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EEXIST,
        errno.ELOOP,
        errno.EIO,
        errno.EBUSY,
        errno.EMFILE,
        99999,
    ):
        for text in (reading(OSError(code, os.strerror(code))), writing(OSError(code, os.strerror(code)))):
            assert not re.search(r"\b(No|not|Permission|denied|exists|directory|file|Unknown|error)\b", text), text
            assert text.endswith(".") and text[0].islower()
    assert "99999" in writing(OSError(99999, "Unknown error 99999"))


def test_no_message_reports_the_os_error_in_english() -> None:
    """Every OSError reaches the user through oserrors.py: no other module shows `strerror`."""
    root = Path(__file__).parent.parent / "delar_xl"
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "oserrors.py" and "strerror" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_a_missing_input_file_is_not_told_to_be_closed(tmp_path: Path) -> None:
    from delar_xl.template.read import read_template

    result = read_template(tmp_path / "borta.xlsx")
    assert result.findings[0].message == (
        "Filen kan inte öppnas: filen finns inte (den kan ha flyttats eller tagits bort). Kontrollera sökvägen."
    )


# 5. Folders say what they held ------------------------------------------------------------------------


def test_an_empty_folder_is_named(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "inkommet"
    empty.mkdir()
    assert check([empty]).report.flatten(["file", "severity", "code", "message"]) == [
        [str(empty), "Fel", "mapp-tom", f"Mappen {empty} är tom. Lägg mallarna (.xlsx) i den, eller ange rätt mapp."]
    ]
    assert main(["kontrollera", str(empty)]) == 2
    captured = capsys.readouterr()
    assert f"{empty}: Fel: Mappen {empty} är tom." in captured.out
    assert captured.err == "Ingen mall kunde läsas.\n"


def test_a_folder_without_excel_files_lists_what_it_held(tmp_path: Path) -> None:
    folder = tmp_path / "inkommet"
    folder.mkdir()
    for name in ("a.csv", "b.csv", "c.pdf", "d.docx", "e.txt"):
        (folder / name).write_text("x")
    (found,) = check([folder]).report.findings
    assert (found.severity.value, found.code) == ("Fel", "mapp-utan-excel")
    assert found.message == (
        f"Mappen {folder} innehåller ingen Excel-arbetsbok, bara 2 .csv-filer, 1 .docx-fil, 1 .pdf-fil och "
        "1 .txt-fil. En CSV-fil läses inte: för över uppgifterna till mallen från Ekonomistaben och spara den som "
        "Excel-arbetsbok (*.xlsx). Ett Word-dokument eller en PDF-fil läses inte: uppgifterna ska stå i mallen "
        "(.xlsx); be förvaltningen skicka den."
    )


def test_a_subfolder_is_named_not_silently_skipped(demo: Demo, tmp_path: Path) -> None:
    folder = tmp_path / "mallar"
    (folder / "inkommet").mkdir(parents=True)
    (folder / "tomt").mkdir()
    shutil.copy2(demo.templates[0], folder / demo.templates[0].name)
    shutil.copy2(demo.templates[1], folder / "inkommet" / demo.templates[1].name)
    result = check([folder])
    assert result.report.flatten(["file", "severity", "code", "message"]) == [
        [
            "inkommet",
            "Varning",
            "undermapp-lases-inte",
            (
                f"Undermappen inkommet lästes inte (1 .xlsx-fil). Ska mallarna där med, flytta dem till {folder} eller "
                "ange undermappen också."
            ),
        ]
    ]
    assert len(result.units) == 1


def test_links_that_loop_or_point_nowhere_are_named(demo: Demo, tmp_path: Path) -> None:
    folder = tmp_path / "mallar"
    folder.mkdir()
    shutil.copy2(demo.templates[0], folder / demo.templates[0].name)
    (folder / "slinga.xlsx").symlink_to(folder / "slinga.xlsx")
    (folder / "borta.xlsx").symlink_to(tmp_path / "finns-inte.xlsx")
    findings = check([folder]).report.flatten(["file", "severity", "code", "message"])
    assert findings == [
        [
            "borta.xlsx",
            "Fel",
            "fil-lank",
            f"Filen är en länk till {tmp_path / 'finns-inte.xlsx'}, som inte finns. Lägg själva mallen i mappen.",
        ],
        [
            "slinga.xlsx",
            "Fel",
            "fil-lank",
            "Filen är en länk som pekar på sig själv (eller i en slinga). Lägg själva mallen i mappen.",
        ],
    ]


# 6. Settings -----------------------------------------------------------------------------------------


def _settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "delar_xl.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("DELAR_XL_SETTINGS", str(path))
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["kontrollera", "{folder}"],
        ["konsolidera", "{folder}", "--ut", "{tmp}/S.xlsx"],
        ["skicka", "{summary}", "--eml", "{tmp}/brev.eml"],
        ["utskick", "{plan}", "--period", "2021-08-31", "--ut", "{tmp}/u"],
        ["mall", "--forvaltning", "KLF", "--period", "2021-08-31", "--ut", "{tmp}/m.xlsx"],
    ],
)
def test_a_settings_typo_names_file_and_line_in_every_command(
    command: list[str], cycle: tuple[Path, Path], demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder, plan = cycle
    path = _settings(tmp_path, monkeypatch, "[kontroll]\nkommentar_grans_tkr = 1 000\n")
    args = [a.format(folder=folder, tmp=tmp_path, summary=demo.summary, plan=plan) for a in command]
    assert main(args) == 2
    assert capsys.readouterr().err == (
        f"Fel: Inställningsfilen {path} kan inte läsas: rad 2 (kommentar_grans_tkr = 1 000) är inte giltig TOML "
        '(kolumn 25). Skriv tal utan mellanslag (1000) och text inom citattecken ("text"); rätta raden och '
        "försök igen.\n"
    )


def test_an_unknown_section_or_key_is_a_warning_with_a_suggestion(
    cycle: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder, _ = cycle
    path = _settings(tmp_path, monkeypatch, '[kontrol]\nkommentar_grans_tkr = 500\n[epost]\nfrn = "a@b.se"\n')
    assert main(["kontrollera", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"{path.name}: Varning: Okänt avsnitt [kontrol] i {path}; det används inte. Menade du [kontroll]?" in out
    assert (
        f'{path.name}: Varning: Okänd inställning "frn" i [epost] i {path}; den används inte. Menade du "fran"?'
    ) in out


@pytest.mark.parametrize(
    "text,key",
    [
        ("[kontroll]\nkommentar_grans_tkr = -5\n", "kommentar_grans_tkr"),
        ("[kontroll]\nkommentar_grans_procent = 150\n", "kommentar_grans_procent"),
        ('[kontroll]\nkommentar_grans_procent = "fem"\n', "kommentar_grans_procent"),
        ("[kontroll]\nrimlighet_enhet_faktor = 1\n", "rimlighet_enhet_faktor"),
        ("[kontroll]\nrimlighet_grans_tkr = -1\n", "rimlighet_grans_tkr"),
    ],
)
def test_a_value_out_of_range_is_refused_naming_the_key(
    text: str, key: str, cycle: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder, _ = cycle
    path = _settings(tmp_path, monkeypatch, text)
    assert main(["kontrollera", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Fel: Inställningsfilen {path}: {key} = ") and err.count("\n") == 1, err


# 7. A file name beginning with "-" ------------------------------------------------------------------------


def test_a_file_name_beginning_with_a_dash_says_how_to_write_it(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["kontrollera", "-mall.xlsx"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        'delar-xl kontrollera: fel: "-mall.xlsx" tolkas som en flagga eftersom det '
        "börjar med -. Är det ett filnamn, skriv ./-mall.xlsx eller -- -mall.xlsx "
        "(till exempel delar-xl kontrollera -- -mall.xlsx)."
    )


def test_a_file_name_beginning_with_a_dash_works_written_so(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy2(demo.templates[0], tmp_path / "-mall.xlsx")
    assert main(["kontrollera", "./-mall.xlsx"]) == 0
    assert main(["kontrollera", "--", "-mall.xlsx"]) == 0
