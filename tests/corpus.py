"""The bad-input corpus: every kind of hostile or broken file delar_xl must survive.

`build_corpus(folder)` writes all cases into `folder` and returns {case name: path}. Cases
built on a valid template start from the real generator's output (`write_sample`) and are
changed at the zip/XML level only, so everything else in them stays exactly as the generator
wrote it (cached formula values included).

`PACKAGE_CASES` maps the cases the guard refuses to the code it must give; `TEMPLATE_CASES`
are valid packages whose content the reader must report at the cell. The `.xls` and `.ods`
fixtures were made by LibreOffice from `write_sample`'s output:
`python -m tests.corpus fixtures` makes them again; `python -m tests.corpus MAPP` writes
the whole corpus into MAPP for trials by hand.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from delar_xl.template.model import Template

FIXTURES = Path(__file__).parent / "fixtures"

# Case name → the code `guard.check_package` must raise.
PACKAGE_CASES: dict[str, str] = {
    "empty": "fil-tom",
    "csv": "fil-inte-xlsx",
    "pdf": "fil-inte-xlsx",
    "html": "fil-inte-xlsx",
    "truncated": "fil-inte-xlsx",
    "corrupt_deflate_head": "fil-skadad",
    "corrupt_deflate": "fil-skadad",
    "bad_crc": "fil-skadad",
    "not_a_workbook": "fil-inte-xlsx",
    "duplicate_part": "fil-inte-xlsx",
    "lock_file": "fil-låsfil",
    "xls": "fil-xls",
    "ods": "fil-ods",
    "xlsb": "fil-xlsb",
    "strict": "fil-strict",
    "encrypted": "fil-lösenord",
    "billion_laughs_shared_strings": "fil-dtd",
    "billion_laughs_sheet": "fil-dtd",
    "xxe_shared_strings": "fil-dtd",
    "xxe_sheet": "fil-dtd",
    "doctype_after_long_prolog": "fil-dtd",
    "doctype_utf16": "fil-dtd",
    "utf7_encoding": "fil-xml-kodning",
    "zip_bomb": "fil-för-stor",
    "zip_bomb_ratio": "fil-komprimering",
    "too_many_parts": "fil-för-många-delar",
}

# Damage deep inside a part: only the guard's CRC check (`verify=True`, the default) sees it.
# Without it the parsers raise, and the reader must turn that into UnreadableFile.
DAMAGED_CASES = ("corrupt_deflate", "bad_crc")

# Valid packages; all but "valid" carry content the reader must handle (most of it reported
# at the cell, in Swedish).
TEMPLATE_CASES = (
    "valid",
    "error_values",
    "uncalculated_formula",
    "dates_out_of_range",
    "merged_cells",
    "hidden_rows",
    "hidden_sheet",
    "renamed_sheet",
    "missing_sheet",
    "unknown_version",
    "control_characters",
    "long_comment",
    "xlsm",
    "huge_dimension",
)

LONG_COMMENT_LENGTH = 40_000
BOMB_MEMBER_SIZE = 200 * 2**20  # one per sheet, six sheets: 1,2 GB unpacked from 3,7 MB


# The base: a real filled template from the generator.


def sample_template() -> Template:
    """A small filled template model (two economy rows, one of each other kind)."""
    from delar_xl.template.model import AssignmentRow, EconomyRow, GoalRow, IndicatorRow, Metadata, Template

    return Template(
        meta=Metadata(
            forvaltning="Leanlink",
            namnd="Kommunstyrelsen",
            periodslut=date(2021, 8, 31),
            kontaktperson="Anna Andersson",
            mbl_datum=date(2021, 9, 23),
        ),
        economy=[
            EconomyRow("KLF-01", "Ledning", -1000.0, -600.0, -990.0, -995.0, "Inga avvikelser."),
            EconomyRow("KLF-02", "Äldreomsorg", -5000.0, -3300.0, -5200.0, -5100.0, "Fler brukare."),
        ],
        goals=[GoalRow("KS-M01", "Nöjda invånare", "Uppnås helt", "Enkäten visar 82 %.")],
        assignments=[AssignmentRow("KS-U01", "Digital inlämning", "Verkställt")],
        indicators=[IndicatorRow("N00090", "Nöjda brukare", "%", 80.0, 84.0, 82.0)],
    )


def write_sample(path: Path) -> Path:
    """The generator's filled template: the valid base of every template case."""
    from delar_xl.template.write import write_template

    return write_template(path, sample_template())


# The corpus.


def build_corpus(folder: Path, base: Path | None = None, cases: Iterable[str] | None = None) -> dict[str, Path]:
    """Write every case (or only `cases`) into `folder`; return {case name: path}.

    `base` is the valid template the template cases start from (default: `write_sample`).
    Takes about half a second and 6 MB of disk (the 1,2 GB zip bomb is 3,7 MB of them).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if base is None:
        base = write_sample(folder / "base" / "mall.xlsx")
    valid = Path(base).read_bytes()
    wanted = set(cases) if cases is not None else set(_BUILDERS) | {"xls", "ods"}
    written: dict[str, Path] = {}
    for name, build in _BUILDERS.items():
        if name in wanted:
            written[name] = _save(folder, _file_name(name), build(valid))
    for name in ("xls", "ods"):
        if name in wanted:
            written[name] = _save(folder, f"mall.{name}.xlsx", (FIXTURES / f"mall.{name}").read_bytes())
    return written


def _file_name(case: str) -> str:
    if case == "lock_file":
        return "~$mall.xlsx"
    if case == "xlsm":
        return "xlsm.xlsm"
    return f"{case}.xlsx"


def _save(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# Zip and XML helpers.


def rewrite(
    valid: bytes,
    edits: dict[str, Callable[[bytes], bytes]] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """A copy of the package with some parts changed, added or left out, order kept."""
    edits, add = edits or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(valid)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            data = src.read(info.filename)
            if info.filename in edits:
                data = edits[info.filename](data)
            dst.writestr(info.filename, data)
        for name, data in add.items():
            dst.writestr(name, data)
    return out.getvalue()


def sheet_part(valid: bytes, sheet: str) -> str:
    from delar_xl.xlsx.parts import sheet_parts

    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        return sheet_parts(zf)[sheet]


def set_cell(xml: bytes, ref: str, inner: str, cell_type: str | None) -> bytes:
    """Replace cell `ref` (which must exist) by one holding `inner`, keeping its style."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', re.S)
    match = pattern.search(xml)
    if match is None:
        raise ValueError(f"cell {ref} not in the sheet")
    style = re.search(rb'\ss="\d+"', match.group("attrs"))
    attrs = (style.group(0) if style else b"") + (f' t="{cell_type}"'.encode() if cell_type else b"")
    new = b'<c r="' + ref.encode() + b'"' + attrs + b">" + inner.encode() + b"</c>"
    return xml[: match.start()] + new + xml[match.end() :]


def inline_string(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<is><t xml:space="preserve">{escaped}</t></is>'


def with_doctype(xml: bytes, doctype: str, entity_use: bytes, after: bytes) -> bytes:
    """Put a DOCTYPE after the XML declaration and an entity reference right after `after`."""
    decl_end = xml.index(b"?>") + 2
    xml = xml[:decl_end] + doctype.encode() + xml[decl_end:]
    at = xml.index(after) + len(after)
    return xml[:at] + entity_use + xml[at:]


def flip(data: bytes, position: int, count: int = 8) -> bytes:
    changed = bytearray(data)
    for i in range(position, min(position + count, len(changed))):
        changed[i] ^= 0xFF
    return bytes(changed)


def member_data_offset(data: bytes, name: str) -> tuple[int, int]:
    """(offset, length) of a part's compressed bytes inside the package."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


# Builders of the package cases.

_BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)
_XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _empty(valid: bytes) -> bytes:
    return b""


def _csv(valid: bytes) -> bytes:
    return "Radnyckel;Verksamhet;Budget helår\nKLF-01;Ledning;-1 000\n".encode()


def _pdf(valid: bytes) -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _html(valid: bytes) -> bytes:
    return "<html><body><table><tr><td>Radnyckel</td><td>Budget helår</td></tr></table></body></html>".encode()


def _truncated(valid: bytes) -> bytes:
    return valid[: len(valid) // 2]


def _corrupt_deflate_head(valid: bytes) -> bytes:
    # 0xFF as first byte of a deflate stream: block type 3, which does not exist.
    offset, _ = member_data_offset(valid, sheet_part(valid, "Ekonomi"))
    return valid[:offset] + b"\xff" + valid[offset + 1 :]


def _corrupt_deflate(valid: bytes) -> bytes:
    offset, length = member_data_offset(valid, sheet_part(valid, "Ekonomi"))
    return flip(valid, offset + length * 4 // 5)


def _bad_crc(valid: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        info = zf.getinfo(sheet_part(valid, "Ekonomi"))
    changed = bytearray(valid)
    wrong = struct.pack("<I", info.CRC ^ 0xDEADBEEF)
    changed[info.header_offset + 14 : info.header_offset + 18] = wrong
    position = 0
    name = info.filename.encode()
    while True:
        position = valid.index(b"PK\x01\x02", position)
        name_len = struct.unpack_from("<H", valid, position + 28)[0]
        if valid[position + 46 : position + 46 + name_len] == name:
            break
        position += 4
    changed[position + 16 : position + 20] = wrong
    return bytes(changed)


def _not_a_workbook(valid: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        zf.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return out.getvalue()


def _duplicate_part(valid: bytes) -> bytes:
    import warnings

    part = sheet_part(valid, "Ekonomi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name: that is the point
        return rewrite(valid, add={part: b'<?xml version="1.0"?><worksheet/>'})


def _lock_file(valid: bytes) -> bytes:
    # Excel's owner file: the user name as a length-prefixed string, padded to 165 bytes.
    user = b"Anna Andersson"
    return (bytes([len(user)]) + user).ljust(54, b" ") + b"\x00" * (165 - 54)


def _xlsb(valid: bytes) -> bytes:
    return rewrite(valid, add={"xl/workbook.bin": b"\x83\x01\x00\x80\x01\x00"}, drop=("xl/workbook.xml",))


_STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
}


def _strict(valid: bytes) -> bytes:
    def to_strict(xml: bytes) -> bytes:
        for old, new in _STRICT.items():
            xml = xml.replace(old, new)
        return xml

    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        names = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
    return rewrite(valid, edits={n: to_strict for n in names})


def _encrypted(valid: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(valid)).encrypt("Hemligt1", out)
    return out.getvalue()


def _billion_laughs_shared_strings(valid: bytes) -> bytes:
    return rewrite(
        valid, edits={"xl/sharedStrings.xml": lambda x: with_doctype(x, _BILLION_LAUGHS, b"&lol9;", b"<si><t>")}
    )


def _billion_laughs_sheet(valid: bytes) -> bytes:
    edit = lambda x: with_doctype(x, _BILLION_LAUGHS, b"", b"").replace(
        b"<sheetData>", b"<sheetData><!-- &lol9; -->", 1
    )
    edit2 = lambda x: set_cell(edit(x), "B5", "<is><t>&lol9;</t></is>", "inlineStr")
    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit2})


def _xxe_shared_strings(valid: bytes) -> bytes:
    return rewrite(valid, edits={"xl/sharedStrings.xml": lambda x: with_doctype(x, _XXE, b"&xxe;", b"<si><t>")})


def _xxe_sheet(valid: bytes) -> bytes:
    edit = lambda x: set_cell(with_doctype(x, _XXE, b"", b""), "B5", "<is><t>&xxe;</t></is>", "inlineStr")
    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit})


def _doctype_after_long_prolog(valid: bytes) -> bytes:
    prolog = "\n" * 3000 + "<!--" + " " * 20_000 + "-->\n" + _XXE
    edit = lambda x: set_cell(with_doctype(x, prolog, b"", b""), "B5", "<is><t>&xxe;</t></is>", "inlineStr")
    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit})


def _doctype_utf16(valid: bytes) -> bytes:
    def edit(xml: bytes) -> bytes:
        text = with_doctype(xml, _XXE, b"&xxe;", b"<si><t>").decode("utf-8")
        return text.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1).encode("utf-16")

    return rewrite(valid, edits={"xl/sharedStrings.xml": edit})


def _utf7_encoding(valid: bytes) -> bytes:
    # "+ADw-" is "<" in UTF-7: a DOCTYPE no byte scan would see, for a parser that knew UTF-7.
    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'encoding="UTF-8"', b'encoding="UTF-7"', 1)
        return xml.replace(
            b"?>", b"?>+ADw-!DOCTYPE x +AFs-+ADw-!ENTITY xxe SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-", 1
        )

    return rewrite(valid, edits={"xl/sharedStrings.xml": edit})


def _too_many_parts(valid: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_001):
            zf.writestr(f"x/{i}", b"")
    return out.getvalue()


def repeated_deflated(unit: bytes, size: int, header: bytes = b"", footer: bytes = b"") -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, unpacked size) of header + unit repeated to `size` bytes + footer.

    Built in milliseconds whatever `size`: one MiB of units is compressed once, ending in a full
    flush so its blocks stand alone, and the compressed MiB is repeated. `len(unit)` must divide
    one MiB and `size` must be a multiple of it.
    """
    chunk = 2**20
    assert chunk % len(unit) == 0 and size % chunk == 0
    plain = unit * (chunk // len(unit))
    segment = _deflate(plain, zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(header)
    for _ in range(size // chunk):
        crc = zlib.crc32(plain, crc)
    crc = zlib.crc32(footer, crc)
    packed = _deflate(header, zlib.Z_FULL_FLUSH) + segment * (size // chunk) + _deflate(footer, zlib.Z_FINISH)
    return packed, crc, len(header) + size + len(footer)


def _deflate(data: bytes, mode: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(mode)


# A worksheet row of three numbers, padded to 64 bytes so it divides one MiB.
_BOMB_ROW = b"<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>".ljust(64, b" ")
_BOMB_HEADER = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_BOMB_FOOTER = b"</sheetData></worksheet>"


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already deflated members: (name, deflated bytes, crc, unpacked size)."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for name, packed, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(packed), size, len(encoded), 0)
        )
        out.write(encoded)
        out.write(packed)
        directory.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(packed),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        directory.write(encoded)
    start = out.tell()
    cd = directory.getvalue()
    out.write(cd)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(cd), start, 0))
    return out.getvalue()


def _zip_bomb(valid: bytes) -> bytes:
    """The valid template with each of its six sheets replaced by 200 MB of real rows: 1,2 GB
    unpacked, about 3 million rows per sheet, from about 1,2 MB. Every reader opens these parts."""
    packed, crc, size = repeated_deflated(_BOMB_ROW, BOMB_MEMBER_SIZE, _BOMB_HEADER, _BOMB_FOOTER)
    sheets = set(_sheet_parts(valid))
    return raw_zip([(m[0], packed, crc, size) if m[0] in sheets else m for m in _members_of(valid)])


def _zip_bomb_ratio(valid: bytes) -> bytes:
    """One 50 MB sheet packed about 1 000:1: under the size limits, over the ratio limit."""
    packed, crc, size = repeated_deflated(_BOMB_ROW, 50 * 2**20, _BOMB_HEADER, _BOMB_FOOTER)
    target = sheet_part(valid, "Ekonomi")
    return raw_zip([(m[0], packed, crc, size) if m[0] == target else m for m in _members_of(valid)])


def _sheet_parts(valid: bytes) -> list[str]:
    from delar_xl.xlsx.parts import sheet_parts

    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        return list(sheet_parts(zf).values())


def _members_of(valid: bytes) -> list[tuple[str, bytes, int, int]]:
    members = []
    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        for info in zf.infolist():
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = zf.read(info.filename)
            members.append((info.filename, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)))
    return members


# Builders of the template cases (valid packages).


def _valid(valid: bytes) -> bytes:
    return valid


def _error_values(valid: bytes) -> bytes:
    def edit(xml: bytes) -> bytes:
        xml = set_cell(xml, "C5", "<v>#REF!</v>", "e")  # Budget helår
        xml = set_cell(xml, "F6", "<f>1/0</f><v>#DIV/0!</v>", "e")  # Avvikelse helår
        return set_cell(xml, "E6", "<v>#N/A</v>", "e")  # Prognos helår

    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit})


def _uncalculated_formula(valid: bytes) -> bytes:
    # How openpyxl saves formulas: no cached value at all.
    def edit(xml: bytes) -> bytes:
        return re.sub(rb"(<c r=\"F\d+\"[^>]*>)(<f>.*?</f>)<v>[^<]*</v>", rb"\1\2", xml)

    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit})


def _dates_out_of_range(valid: bytes) -> bytes:
    from delar_xl.template.declaration import field_cell

    def edit(xml: bytes) -> bytes:
        xml = set_cell(xml, field_cell("Periodslut"), "<v>99999999</v>", None)  # after 9999-12-31
        return set_cell(xml, field_cell("MBLDatum"), "<v>-5</v>", None)  # before 1900

    return rewrite(valid, edits={sheet_part(valid, "Uppgifter"): edit})


def _merged_cells(valid: bytes) -> bytes:
    def edit(xml: bytes) -> bytes:
        merge = b'<mergeCells count="1"><mergeCell ref="B5:C5"/></mergeCells>'
        for tag in (
            b"<phoneticPr",
            b"<conditionalFormatting",
            b"<dataValidations",
            b"<hyperlinks",
            b"<printOptions",
            b"<pageMargins",
        ):
            if tag in xml:
                at = xml.index(tag)
                return xml[:at] + merge + xml[at:]
        raise ValueError("no place for mergeCells")

    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit})


def _hidden_rows(valid: bytes) -> bytes:
    edit = lambda xml: xml.replace(b'<row r="6" ', b'<row r="6" hidden="1" ', 1)
    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit})


def _hidden_sheet(valid: bytes) -> bytes:
    edit = lambda xml: xml.replace(b'<sheet name="Indikatorer" ', b'<sheet name="Indikatorer" state="veryHidden" ', 1)
    return rewrite(valid, edits={"xl/workbook.xml": edit})


def _renamed_sheet(valid: bytes) -> bytes:
    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'<sheet name="Ekonomi" ', b'<sheet name="Ekonomi 2021" ', 1)
        return xml.replace(b">Ekonomi!", b">'Ekonomi 2021'!")

    return rewrite(valid, edits={"xl/workbook.xml": edit})


def _missing_sheet(valid: bytes) -> bytes:
    def edit(xml: bytes) -> bytes:
        position = ("Instruktioner", "Uppgifter", "Ekonomi", "Nämndmål", "Uppdrag", "Indikatorer").index("Indikatorer")
        xml = re.sub(rb'<sheet name="Indikatorer" [^>]*/>', b"", xml)
        return re.sub(rb'<definedName [^>]*localSheetId="%d"[^>]*>[^<]*</definedName>' % position, b"", xml)

    return rewrite(valid, edits={"xl/workbook.xml": edit})


def _unknown_version(valid: bytes) -> bytes:
    from delar_xl.template.declaration import field_cell

    edit = lambda xml: set_cell(xml, field_cell("Mallversion"), inline_string("99"), "inlineStr")
    return rewrite(valid, edits={sheet_part(valid, "Uppgifter"): edit})


def _control_characters(valid: bytes) -> bytes:
    # Excel writes control characters as _xHHHH_ escapes; readers turn them back into characters.
    text = "Ledning_x0007_ med_x001B_[31m kontrolltecken_x0000_"
    edit = lambda xml: set_cell(xml, "B5", f'<is><t xml:space="preserve">{text}</t></is>', "inlineStr")
    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit})


def _long_comment(valid: bytes) -> bytes:
    text = ("Lång kommentar. " * (LONG_COMMENT_LENGTH // 16 + 1))[:LONG_COMMENT_LENGTH]
    edit = lambda xml: set_cell(xml, "H5", inline_string(text), "inlineStr")
    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit})


_VBA_RELATIONSHIP = (
    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
    b'Target="vbaProject.bin"/>'
)


def _xlsm(valid: bytes) -> bytes:
    """A macro-enabled workbook: content type, relationship and a vbaProject.bin part."""

    def content_types(xml: bytes) -> bytes:
        xml = xml.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
        return xml.replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
        )

    # An OLE compound file header, as a real vbaProject.bin starts; no reader may run it.
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b'Attribute VB_Name = "Modul1"\nSub Auto_Open()\nEnd Sub\n'
    return rewrite(
        valid,
        edits={
            "[Content_Types].xml": content_types,
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                b"</Relationships>", _VBA_RELATIONSHIP + b"</Relationships>"
            ),
        },
        add={"xl/vbaProject.bin": vba},
    )


def _huge_dimension(valid: bytes) -> bytes:
    edit = lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml, count=1)
    return rewrite(valid, edits={sheet_part(valid, "Ekonomi"): edit})


_BUILDERS: dict[str, Callable[[bytes], bytes]] = {
    "empty": _empty,
    "csv": _csv,
    "pdf": _pdf,
    "html": _html,
    "truncated": _truncated,
    "corrupt_deflate_head": _corrupt_deflate_head,
    "corrupt_deflate": _corrupt_deflate,
    "bad_crc": _bad_crc,
    "not_a_workbook": _not_a_workbook,
    "duplicate_part": _duplicate_part,
    "lock_file": _lock_file,
    "xlsb": _xlsb,
    "strict": _strict,
    "encrypted": _encrypted,
    "billion_laughs_shared_strings": _billion_laughs_shared_strings,
    "billion_laughs_sheet": _billion_laughs_sheet,
    "xxe_shared_strings": _xxe_shared_strings,
    "xxe_sheet": _xxe_sheet,
    "doctype_after_long_prolog": _doctype_after_long_prolog,
    "doctype_utf16": _doctype_utf16,
    "utf7_encoding": _utf7_encoding,
    "zip_bomb": _zip_bomb,
    "zip_bomb_ratio": _zip_bomb_ratio,
    "too_many_parts": _too_many_parts,
    "valid": _valid,
    "error_values": _error_values,
    "uncalculated_formula": _uncalculated_formula,
    "dates_out_of_range": _dates_out_of_range,
    "merged_cells": _merged_cells,
    "hidden_rows": _hidden_rows,
    "hidden_sheet": _hidden_sheet,
    "renamed_sheet": _renamed_sheet,
    "missing_sheet": _missing_sheet,
    "unknown_version": _unknown_version,
    "control_characters": _control_characters,
    "long_comment": _long_comment,
    "xlsm": _xlsm,
    "huge_dimension": _huge_dimension,
}


# LibreOffice: the fixtures.


def make_fixtures(folder: Path = FIXTURES) -> list[Path]:
    """Write tests/fixtures/mall.xls, mall.ods and mall.libreoffice.xlsx from the sample
    template (needs soffice; one LibreOffice start per format)."""
    from libreoffice import convert

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        source = write_sample(Path(tmp) / "in" / "mall.xlsx")
        for extension, name in (("xls", "mall.xls"), ("ods", "mall.ods"), ("xlsx", "mall.libreoffice.xlsx")):
            (made,) = convert([source], extension, Path(tmp) / "out", recalc=False)
            written.append(Path(shutil.copyfile(made, folder / name)))
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    if sys.argv[1:] == ["fixtures"]:
        for path in make_fixtures():
            print(path, path.stat().st_size)
    else:
        target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
        for name, path in build_corpus(target).items():
            print(f"{name:32} {path}")
