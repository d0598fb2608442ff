"""Each part unpacked once: the guard's `keep` mode hands the reader the parts it has checked,
with the same refusals as without it, and the cheap scans find exactly what the regexes found."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from corpus import DAMAGED_CASES, PACKAGE_CASES, TEMPLATE_CASES, build_corpus, rewrite, sheet_part

from delar_xl.findings import UnreadableFile
from delar_xl.template.read import read_template_bytes
from delar_xl.xlsx import parts as ooxml
from delar_xl.xlsx.guard import CheckedParts, check_package


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.mark.parametrize("case", sorted(PACKAGE_CASES))
def test_keep_refuses_what_the_guard_refuses(corpus: dict[str, Path], case: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        check_package(corpus[case].read_bytes(), corpus[case].name, keep=True)
    assert caught.value.code == PACKAGE_CASES[case]


@pytest.mark.parametrize("case", DAMAGED_CASES)
def test_keep_checks_the_crc_of_the_parts_it_keeps(corpus: dict[str, Path], case: str) -> None:
    data = corpus[case].read_bytes()
    with pytest.raises(UnreadableFile) as caught:
        check_package(data, "mall.xlsx", keep=True)
    assert caught.value.code == "fil-skadad"
    assert read_template_bytes(data, "mall.xlsx").findings[-1].code == "fil-skadad"


@pytest.mark.parametrize("case", TEMPLATE_CASES)
def test_kept_parts_are_the_parts_zipfile_reads(corpus: dict[str, Path], case: str) -> None:
    data = corpus[case].read_bytes()
    result = check_package(data, corpus[case].name, keep=True)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert result.inflated == {name: zf.read(name) for name in result.inflated}
    wanted = [
        n
        for n in names
        if n.endswith(".rels") or n.startswith(("xl/worksheets/", "xl/tables/")) or n.endswith("workbook.xml")
    ]
    assert sorted(result.inflated) == sorted(wanted)
    assert set(result.inflated) <= result.prolog_checked
    parts = result.checked_parts()
    assert parts.read("[Content_Types].xml").startswith(b"<?xml")  # not kept: read from the archive
    with pytest.raises(KeyError):
        parts.read("xl/nothing.xml")


def test_without_keep_nothing_is_held(corpus: dict[str, Path]) -> None:
    result = check_package(corpus["valid"].read_bytes(), "mall.xlsx")
    assert result.inflated == {}
    assert "xl/workbook.xml" in result.prolog_checked


def test_a_part_the_guard_did_not_walk_is_parsed_with_defusedxml(corpus: dict[str, Path]) -> None:
    """A table part named .svg skips the guard's prolog check (pictures are not XML to it);
    the reader then parses it with defusedxml, which refuses the entity: the file is damaged."""
    valid = corpus["valid"].read_bytes()
    evil = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY e "e">]><table ref="A1:B2">&e;</table>'
    sheet = sheet_part(valid, "Ekonomi")
    folder, file = sheet.rsplit("/", 1)
    rels = f"{folder}/_rels/{file}.rels"
    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        target = re.search(rb'Target="([^"]*table[^"]*)"', zf.read(rels)).group(1)
    changed = rewrite(
        valid, edits={rels: lambda xml: xml.replace(target, b"../tables/evil.svg")}, add={"xl/tables/evil.svg": evil}
    )
    result = check_package(changed, "mall.xlsx", keep=True)
    assert "xl/tables/evil.svg" not in result.prolog_checked
    from defusedxml import EntitiesForbidden

    with pytest.raises(EntitiesForbidden):
        ooxml.tables(result.checked_parts(), {"Ekonomi": sheet})
    read = read_template_bytes(changed, "mall.xlsx")
    assert [(f.code, f.sheet, f.cell) for f in read.findings] == [("fil-skadad", "", "")]


def test_a_plain_zipfile_is_still_parsed_with_defusedxml(corpus: dict[str, Path]) -> None:
    valid = corpus["valid"].read_bytes()
    evil = lambda xml: xml.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY e "e">]>', 1)
    from defusedxml import EntitiesForbidden

    with (
        zipfile.ZipFile(io.BytesIO(rewrite(valid, edits={"xl/workbook.xml": evil}))) as zf,
        pytest.raises(EntitiesForbidden),
    ):
        ooxml.defined_names(zf)


def test_checked_parts_reads_like_zipfile() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("a.xml", "<a/>")
        zf.writestr("b.xml", "<b/>")
    with zipfile.ZipFile(out) as zf:
        parts = CheckedParts(zf, {"a.xml": b"<kept/>"}, frozenset({"a.xml"}))
        assert (parts.read("a.xml"), parts.read("b.xml")) == (b"<kept/>", b"<b/>")


# The scans: the literal pre-checks give exactly the regexes' answers.

_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ATTR_R = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def _hidden_rows_by_regex(data: bytes) -> list[int]:
    """What hidden_rows returned before the literal search (one regex over every row tag)."""
    rows = []
    for tag in _ROW_TAG.findall(data):
        if _HIDDEN.search(tag):
            number = _ATTR_R.search(tag)
            if number:
                rows.append(int(number.group(1)))
    return rows


@pytest.mark.parametrize(
    "xml",
    [
        b'<sheetData><row r="1"><c r="A1"/></row><row r="2" hidden="1"/><row r="3" hidden="0"/></sheetData>',
        b'<cols><col min="1" max="2" hidden="1"/></cols><sheetData><row r="4"/></sheetData>',
        b'<x:row r="7" hidden="true" x:hidden="1"><x:c r="A7" hidden="1"/></x:row>',
        b'<rows r="5" hidden="1"/><row a=">" r="6" hidden="1"/><row r="8"\n spans="1:3"\n hidden="1">',
        b'<row xhidden="1" r="9"/><row r="10" customHeight="1" hidden="1" ht="0"/>text hidden="1" end',
        b'hidden="1"<row r="11" hidden="1"',
        b"",
    ],
)
def test_hidden_rows_match_the_regex(xml: bytes) -> None:
    assert ooxml.hidden_rows(xml) == _hidden_rows_by_regex(xml)


def test_hidden_rows_of_the_corpus(corpus: dict[str, Path]) -> None:
    data = corpus["hidden_rows"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(sheet_part(data, "Ekonomi"))
    assert ooxml.hidden_rows(xml) == _hidden_rows_by_regex(xml) != []


def test_error_cells_pre_check() -> None:
    assert ooxml.error_cells(b'<c r="A1" t="s"><v>0</v></c>') == {}
    assert ooxml.error_cells(b'<c r="B3" t="e"><v>#REF!</v></c>') == {(2, 1): "#REF!"}


def test_repeated_texts_are_held_once(corpus: dict[str, Path]) -> None:
    """Two templates' identical short texts are one object: the model of thousands stays small."""
    data = corpus["valid"].read_bytes()
    first, second = (read_template_bytes(data, name).template for name in ("a.xlsx", "b.xlsx"))
    assert first.goals[0].assessment == second.goals[0].assessment
    assert first.goals[0].assessment is second.goals[0].assessment
    assert first.economy[0].activity is second.economy[0].activity
