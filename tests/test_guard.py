"""The guard: every hostile or broken package is refused with its code and a Swedish message,
normal workbooks pass, and refusing never costs memory in proportion to what a file claims."""

from __future__ import annotations

import io
import sys
import tracemalloc
import types
import zipfile
import zlib
from pathlib import Path

import pytest
from corpus import (
    DAMAGED_CASES,
    FIXTURES,
    PACKAGE_CASES,
    TEMPLATE_CASES,
    build_corpus,
    raw_zip,
    repeated_deflated,
    rewrite,
    sheet_part,
    write_sample,
)

from delar_xl.findings import UnreadableFile
from delar_xl.xlsx import guard
from delar_xl.xlsx.guard import GuardResult, check_package, ensure_safe_xml, is_lock_file

SAVE_AS = "spara som excel-arbetsbok (*.xlsx)"

# A phrase every message of a code must carry (compared without case).
MESSAGES = {
    "fil-tom": "filen är tom",
    "fil-inte-xlsx": "filen är inte en excel-arbetsbok (.xlsx) eller är skadad.",
    "fil-skadad": "filen är inte en excel-arbetsbok (.xlsx) eller är skadad.",
    "fil-låsfil": "låsfil",
    "fil-xls": SAVE_AS,
    "fil-xlsb": SAVE_AS,
    "fil-ods": SAVE_AS,
    "fil-strict": SAVE_AS,
    "fil-lösenord": "filen är lösenordsskyddad: ta bort lösenordet",
    "fil-dtd": "läses inte",
    "fil-xml-kodning": "utf-8",
    "fil-för-stor": "mb",
    "fil-komprimering": "zip-bomb",
    "fil-för-många-delar": "för många delar",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


def refusal(path: Path) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as caught:
        check_package(path.read_bytes(), path.name)
    return caught.value


@pytest.mark.parametrize("case", sorted(PACKAGE_CASES))
def test_guard_refuses_bad_package(corpus: dict[str, Path], case: str) -> None:
    error = refusal(corpus[case])
    assert error.code == PACKAGE_CASES[case]
    assert MESSAGES[error.code] in str(error).lower()


@pytest.mark.parametrize("case", TEMPLATE_CASES)
def test_guard_passes_valid_package(corpus: dict[str, Path], case: str) -> None:
    result = check_package(corpus[case].read_bytes(), corpus[case].name)
    assert isinstance(result, GuardResult)
    assert result.has_macros is (case == "xlsm")
    expected_huge = [sheet_part(corpus["valid"].read_bytes(), "Ekonomi")] if case == "huge_dimension" else []
    assert result.huge_dimensions == expected_huge


def test_guard_result_of_valid_template(corpus: dict[str, Path]) -> None:
    data = corpus["valid"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    assert check_package(data, "mall.xlsx") == GuardResult(
        parts=len(infos), unpacked_size=sum(i.file_size for i in infos), has_macros=False, huge_dimensions=[]
    )


def test_guard_passes_files_of_other_producers(tmp_path: Path) -> None:
    """No false alarms: LibreOffice's and openpyxl's .xlsx pass as well as XlsxWriter's."""
    import openpyxl

    saved = tmp_path / "openpyxl.xlsx"
    wb = openpyxl.load_workbook(write_sample(tmp_path / "mall.xlsx"))
    wb.save(saved)
    for path in (FIXTURES / "mall.libreoffice.xlsx", saved):
        assert check_package(path.read_bytes(), path.name).huge_dimensions == []


def test_guard_passes_utf16_parts_and_byte_order_marks(corpus: dict[str, Path]) -> None:
    valid = corpus["valid"].read_bytes()
    utf16 = lambda xml: xml.replace(b'encoding="UTF-8"', b'encoding="UTF-16"', 1).decode().encode("utf-16")
    bom = lambda xml: b"\xef\xbb\xbf" + xml
    comment = lambda xml: b"<!-- skapad av ett annat program -->\n" + xml
    changed = rewrite(valid, edits={"xl/sharedStrings.xml": utf16, "xl/workbook.xml": bom, "xl/styles.xml": comment})
    assert isinstance(check_package(changed, "mall.xlsx"), GuardResult)


def test_guard_refuses_doctype_after_short_comment(corpus: dict[str, Path]) -> None:
    valid = corpus["valid"].read_bytes()
    edit = lambda xml: xml.replace(b"?>", b'?><!-- hej --><!DOCTYPE x [<!ENTITY e "e">]>', 1)
    with pytest.raises(UnreadableFile) as caught:
        check_package(rewrite(valid, edits={"xl/workbook.xml": edit}), "mall.xlsx")
    assert caught.value.code == "fil-dtd"
    assert "xl/workbook.xml" in str(caught.value)


def test_guard_checks_xml_hidden_under_another_name(corpus: dict[str, Path]) -> None:
    """A part is judged by its content, not its name: readers follow relationships, not names."""
    valid = corpus["valid"].read_bytes()
    hidden = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><sst/>'
    with pytest.raises(UnreadableFile) as caught:
        check_package(rewrite(valid, add={"xl/strings.dat": hidden}), "mall.xlsx")
    assert caught.value.code == "fil-dtd"


def test_guard_refuses_xml_part_that_is_not_xml(corpus: dict[str, Path]) -> None:
    valid = corpus["valid"].read_bytes()
    with pytest.raises(UnreadableFile) as caught:
        check_package(rewrite(valid, edits={"xl/styles.xml": lambda xml: b"\x00\x01binary"}), "mall.xlsx")
    assert caught.value.code == "fil-inte-xlsx"


@pytest.mark.parametrize("case", DAMAGED_CASES)
def test_damage_past_the_head_passes_without_verify_and_parsers_raise_known_errors(
    corpus: dict[str, Path], case: str
) -> None:
    """Without the CRC check the guard reads a few KB per part; what it lets through, the
    parsers refuse with an exception from `guard.parser_errors()`, never anything else."""
    from python_calamine import CalamineWorkbook

    data = corpus[case].read_bytes()
    check_package(data, corpus[case].name, verify=False)
    with pytest.raises(guard.parser_errors()):
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    with pytest.raises(guard.parser_errors()), zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            zf.read(name)


@pytest.mark.parametrize(
    ("limit", "value", "code"),
    [
        ("MAX_TOTAL_SIZE", 20_000, "fil-för-stor"),
        ("MAX_PART_SIZE", 5_000, "fil-för-stor"),
        ("MAX_PARTS", 5, "fil-för-många-delar"),
        ("MAX_DIRECTORY_SIZE", 500, "fil-för-många-delar"),
    ],
)
def test_guard_limits(
    corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch, limit: str, value: int, code: str
) -> None:
    data = corpus["valid"].read_bytes()
    check_package(data, "mall.xlsx")
    monkeypatch.setattr(guard, limit, value)
    with pytest.raises(UnreadableFile) as caught:
        check_package(data, "mall.xlsx")
    assert caught.value.code == code


def test_guard_refuses_zip_features_no_reader_needs(corpus: dict[str, Path]) -> None:
    valid = corpus["valid"].read_bytes()
    encrypted = bytearray(valid)
    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        first = zf.infolist()[0]
    encrypted[first.header_offset + 6] |= 0x1  # "encrypted" flag in the local header...
    directory = valid.index(b"PK\x01\x02")
    encrypted[directory + 8] |= 0x1  # ...and in the central directory
    bzip2 = io.BytesIO()
    with zipfile.ZipFile(bzip2, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    for data in (bytes(encrypted), bzip2.getvalue(), b"PK\x03\x04" + bytes(100)):
        with pytest.raises(UnreadableFile) as caught:
            check_package(data, "mall.xlsx")
        assert caught.value.code == "fil-inte-xlsx"


def test_guard_refuses_a_part_packed_larger_than_deflate_can(corpus: dict[str, Path]) -> None:
    """A part declaring fewer bytes than it holds packed is lying about its size."""
    members = [("[Content_Types].xml", zlib.compress(bytes(2**16))[2:-4], zlib.crc32(bytes(2**16)), 100)]
    with pytest.raises(UnreadableFile) as caught:
        check_package(raw_zip(members), "mall.xlsx")
    assert caught.value.code == "fil-inte-xlsx"


def test_bomb_is_refused_without_memory_growth(corpus: dict[str, Path]) -> None:
    data = corpus["zip_bomb"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        unpacked = sum(i.file_size for i in zf.infolist())
    assert unpacked > 2**30

    def refuse() -> None:
        with pytest.raises(UnreadableFile):
            check_package(data, "bomb.xlsx")

    assert peak_memory(refuse) < 2**20


def test_guard_memory_stays_flat_on_a_100_mb_part(corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """With the size and ratio limits lifted, a 100 MB sheet passes the guard, CRC checked,
    with a peak far below its size: no part is ever held unpacked, only 64 KB pieces of it."""
    monkeypatch.setattr(guard, "MAX_RATIO", 10**6)
    monkeypatch.setattr(guard, "MAX_PART_SIZE", 2**31)
    valid = corpus["valid"].read_bytes()
    target = sheet_part(valid, "Ekonomi")
    header = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    packed, crc, size = repeated_deflated(b"<row/>".ljust(64), 100 * 2**20, header, b"</sheetData></worksheet>")
    members = []
    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        for info in zf.infolist():
            if info.filename == target:
                members.append((target, packed, crc, size))
            else:
                plain = zf.read(info.filename)
                members.append((info.filename, zlib.compress(plain)[2:-4], zlib.crc32(plain), len(plain)))
    big = raw_zip(members)
    result: list[GuardResult] = []
    assert peak_memory(lambda: result.append(check_package(big, "mall.xlsx"))) < 2**20
    assert result[0].unpacked_size > 100 * 2**20


def peak_memory(action) -> int:
    """Peak bytes Python allocated while `action` ran (zlib's buffers are counted too)."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_lock_files_are_known_by_name() -> None:
    assert is_lock_file("~$mall.xlsx")
    assert is_lock_file(Path("mapp") / "~$lanlink 2021-08-31.xlsx")
    assert not is_lock_file("mall.xlsx")
    assert not is_lock_file("~mall.xlsx")
    assert not is_lock_file(Path("~$mapp") / "mall.xlsx")


def test_lock_file_name_wins_over_content(corpus: dict[str, Path]) -> None:
    with pytest.raises(UnreadableFile) as caught:
        check_package(corpus["valid"].read_bytes(), "~$mall.xlsx")
    assert caught.value.code == "fil-låsfil"


def test_ensure_safe_xml(monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    ensure_safe_xml()
    assert openpyxl.DEFUSEDXML
    monkeypatch.setenv("OPENPYXL_DEFUSEDXML", "False")
    with pytest.raises(guard.UnsafeEnvironment, match="OPENPYXL_DEFUSEDXML"):
        ensure_safe_xml()
    monkeypatch.delenv("OPENPYXL_DEFUSEDXML")
    monkeypatch.setitem(sys.modules, "openpyxl", types.SimpleNamespace(DEFUSEDXML=False))
    with pytest.raises(guard.UnsafeEnvironment, match="defusedxml"):
        ensure_safe_xml()
    monkeypatch.setitem(sys.modules, "defusedxml", None)  # what a missing package looks like
    with pytest.raises(guard.UnsafeEnvironment, match="defusedxml saknas"):
        ensure_safe_xml()


def test_libreoffice_xls_is_refused(soffice: str, tmp_path: Path) -> None:
    """A fresh .xls from LibreOffice, made as the committed fixtures were (one start: ~1,7 s)."""
    from libreoffice import convert

    (made,) = convert([write_sample(tmp_path / "in" / "mall.xlsx")], "xls", tmp_path / "out", recalc=False)
    assert refusal(made).code == "fil-xls"
