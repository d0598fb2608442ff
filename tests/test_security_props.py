"""Property tests on damaged workbooks: whatever the bytes, delar_xl answers and never crashes.

A valid template is mutated at random (cut short, bytes flipped, bytes inserted, the zip
directory or one part's packed data hit). The guard then either passes the file or refuses it
with `UnreadableFile`, never anything else, and gives the same answer twice. The whole check
(`delar_xl.check`) never raises, reports an unreadable file as one `Fel`, and gives the same
findings twice.
"""

from __future__ import annotations

import functools
import io
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from corpus import DAMAGED_CASES, PACKAGE_CASES, TEMPLATE_CASES, build_corpus, write_sample
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delar_xl.findings import Severity, UnreadableFile
from delar_xl.xlsx.guard import GuardResult, check_package, parser_errors


@functools.cache
def valid() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return write_sample(Path(tmp) / "mall.xlsx").read_bytes()


@functools.cache
def regions() -> tuple[tuple[int, int], ...]:
    """(start, length) of each part's packed data, and of the zip directory at the end."""
    data = valid()
    spans = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
            spans.append((info.header_offset + 30 + name_len + extra_len, info.compress_size))
    (directory,) = struct.unpack_from("<I", data, data.rindex(b"PK\x05\x06") + 16)
    spans.append((directory, len(data) - directory))
    return tuple(spans)


@st.composite
def mutations(draw: st.DrawFn) -> tuple:
    """A small description of one mutation of the valid template (short to print on failure)."""
    size = len(valid())
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "region"]))
    if kind == "truncate":
        return ("truncate", draw(st.integers(0, size - 1)))
    if kind == "insert":
        return ("insert", draw(st.integers(0, size)), draw(st.binary(min_size=1, max_size=16)))
    if kind == "region":
        start, length = draw(st.sampled_from(regions()))
        positions = st.integers(start, start + max(length - 1, 0))
    else:
        positions = st.integers(0, size - 1)
    return ("flip", tuple(draw(st.lists(st.tuples(positions, st.integers(1, 255)), min_size=1, max_size=6))))


def mutate(mutation: tuple) -> bytes:
    data = bytearray(valid())
    if mutation[0] == "truncate":
        return bytes(data[: mutation[1]])
    if mutation[0] == "insert":
        _, at, extra = mutation
        return bytes(data[:at] + extra + data[at:])
    for position, mask in mutation[1]:
        data[position] ^= mask
    return bytes(data)


def guard_outcome(data: bytes) -> object:
    try:
        return check_package(data, "mall.xlsx")
    except UnreadableFile as error:
        assert str(error) and error.code.startswith("fil-")
        return (error.code, str(error))


@settings(max_examples=400, deadline=None)
@given(mutations())
def test_guard_passes_or_refuses_and_is_deterministic(mutation: tuple) -> None:
    data = mutate(mutation)
    first = guard_outcome(data)
    assert isinstance(first, (GuardResult, tuple))
    assert guard_outcome(data) == first


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048))
def test_guard_on_arbitrary_bytes(data: bytes) -> None:
    first = guard_outcome(data)
    assert guard_outcome(data) == first


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=64))
def test_guard_on_zip_header_then_junk(tail: bytes) -> None:
    """Starts like a zip, then anything: the directory parser's error paths."""
    data = b"PK\x03\x04" + tail + valid()[-22:]
    assert guard_outcome(data) == guard_outcome(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_check_never_raises_and_is_deterministic(mutation: tuple) -> None:
    import delar_xl

    data = mutate(mutation)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mall.xlsx"
        path.write_bytes(data)
        first = delar_xl.check([path])
        second = delar_xl.check([path])
        assert path.read_bytes() == data  # the input is never modified
    fields = ["file", "sheet", "cell", "severity", "code", "message"]
    assert first.report.flatten(fields) == second.report.flatten(fields)
    if isinstance(guard_outcome(data), tuple) or damaged(data):
        errors = [f for f in first.report.findings if f.severity is Severity.ERROR]
        assert errors and all(f.file == "mall.xlsx" for f in errors)


@pytest.mark.parametrize("case", DAMAGED_CASES)
def test_check_reports_damage_deep_inside_a_part(case: str, tmp_path: Path) -> None:
    """Damage far past the first KB of a part (a bad CRC, broken deflate data deep in a sheet)
    becomes a `Fel` for the file: never silence, never a traceback."""
    import delar_xl

    path = build_corpus(tmp_path, cases=[case])[case]
    assert damaged(path.read_bytes())
    result = delar_xl.check([path])
    assert [f.code for f in result.report.findings if f.severity is Severity.ERROR]


# Corpus cases the product reads without any finding: nothing in them is wrong for a reader
# (an uncalculated formula is recomputed; a huge claimed dimension is not iterated).
CLEAN_CASES = ("valid", "uncalculated_formula", "huge_dimension")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.mark.parametrize("case", sorted(set(PACKAGE_CASES) | set(TEMPLATE_CASES)))
def test_check_answers_every_corpus_case(corpus: dict[str, Path], case: str) -> None:
    """The whole check on each hostile or broken file: no traceback, the same findings twice,
    the guard's code as a `Fel` for a refused package, and at least one finding for every
    template case that has something wrong in it."""
    import delar_xl

    path = corpus[case]
    before = path.read_bytes()
    fields = ["file", "sheet", "cell", "severity", "code", "message"]
    first, second = delar_xl.check([path]), delar_xl.check([path])
    assert first.report.flatten(fields) == second.report.flatten(fields)
    assert path.read_bytes() == before
    findings = first.report.findings
    if case == "lock_file":
        assert findings  # skipped with a note, never read
    elif case in PACKAGE_CASES:
        assert (Severity.ERROR, PACKAGE_CASES[case]) in [(f.severity, f.code) for f in findings]
    elif case not in CLEAN_CASES:
        assert findings


def damaged(data: bytes) -> bool:
    """True when a parser refuses the package (a part fails its CRC, a sheet does not parse)."""
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in zf.namelist():
                zf.read(name)
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    except parser_errors():
        return True
    return False


# The promises about outputs, end to end ----------------------------------------------------

_DANGEROUS_PREFIXES = ("=", "+", "-", "@")
_MARKER = 'HYPERLINK("http://x.invalid";"klick")'


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(_DANGEROUS_PREFIXES),
    tail=st.text(alphabet="abcåäö ÅÄÖ;()\"'!#", max_size=12),
)
def test_template_text_never_becomes_a_formula_in_the_summary(prefix: str, tail: str) -> None:
    """Text that looks like a formula ("=HYPERLINK(…)", "+…", "-…", "@…") typed in a template
    stays text in the summary: a string cell, never a formula cell."""
    import dataclasses

    import openpyxl

    from delar_xl import consolidate, write_summary
    from delar_xl.demo.namnd import example_templates
    from delar_xl.template.write import write_template

    payload = f"{prefix}{_MARKER}{tail}"
    template = example_templates()[0]
    template.economy[0] = dataclasses.replace(template.economy[0], comment=payload, activity=payload)
    with tempfile.TemporaryDirectory() as tmp:
        source = write_template(Path(tmp) / "mall.xlsx", template)
        summary = write_summary(consolidate([source]), Path(tmp) / "ut" / "summa.xlsx")
        book = openpyxl.load_workbook(summary)
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        book.close()
    assert not [c.coordinate for c in cells if c.data_type == "f" and _MARKER in c.value]
    # The reader trims spaces around a cell's text (as it does for every text cell), nothing else.
    assert any(c.data_type == "s" and c.value == payload.strip() for c in cells)


def test_outputs_carry_no_macros_and_inputs_stay_unchanged(tmp_path: Path) -> None:
    """An .xlsm input is read (with an Info finding), left byte for byte as it was, and the
    summary is a plain .xlsx without any VBA part."""
    from delar_xl import consolidate, write_summary

    source = build_corpus(tmp_path / "in", cases=["xlsm"])["xlsm"]
    before = source.read_bytes(), source.stat().st_mtime_ns
    result = consolidate([source])
    summary = write_summary(result, tmp_path / "ut" / "summa.xlsx")
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before
    assert "makron-ignoreras" in [f.code for f in result.report.findings]
    with zipfile.ZipFile(summary) as zf:
        names = [n.lower() for n in zf.namelist()]
        content_types = zf.read("[Content_Types].xml")
    assert not [n for n in names if "vba" in n or n.startswith("xl/macrosheets/")]
    assert b"macroEnabled" not in content_types


def test_output_is_replaced_atomically_and_the_previous_one_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A summary written twice keeps the first as .bak; a write that crashes half way, or
    produces a file that cannot be read back, leaves the previous summary untouched."""
    from delar_xl import consolidate, write_summary
    from delar_xl.demo.namnd import example_templates
    from delar_xl.namnd import summary as summary_module
    from delar_xl.template.write import write_template

    source = write_template(tmp_path / "mall.xlsx", example_templates()[0])
    result = consolidate([source])
    target = tmp_path / "ut" / "summa.xlsx"
    first = write_summary(result, target).read_bytes()
    write_summary(result, target)
    assert (tmp_path / "ut" / "summa.xlsx.bak").read_bytes() == first
    current = target.read_bytes()

    def crash(result: object, path: Path, created: object) -> None:
        path.write_bytes(b"PK\x03\x04 half a file")
        raise RuntimeError("strömavbrott")

    def garbage(result: object, path: Path, created: object) -> None:
        path.write_bytes(b"PK\x03\x04 not a workbook")

    for broken, expected in ((crash, RuntimeError), (garbage, Exception)):
        monkeypatch.setattr(summary_module, "_write", broken)
        with pytest.raises(expected):
            write_summary(result, target)
        assert target.read_bytes() == current
        assert sorted(p.name for p in target.parent.iterdir()) == ["summa.xlsx", "summa.xlsx.bak"]
