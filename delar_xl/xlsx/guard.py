"""The checks every input file passes before any parser sees it.

Readers of untrusted workbooks fail badly on hostile packages: python-calamine aborts the
whole process on a zip bomb (an out-of-memory abort no `try` can catch) and openpyxl grows
past 2 GB. So before any parser runs, `check_package` looks at

- the first bytes (empty, legacy `.xls`, password-protected, PDF/HTML/CSV renamed `.xlsx`),
- the zip directory alone (number of parts, declared unpacked sizes, compression ratios),
- then, only once those limits hold: every part's CRC-32, unpacked in 64 KB pieces that are
  dropped at once (constant memory), and the first `HEAD_SIZE` bytes of each XML part
  (DOCTYPE/ENTITY declarations, encoding, Strict Open XML, the `<dimension>` a sheet claims),

and raises `UnreadableFile` with a Swedish message and a stable code, or returns what the
reader should know (`GuardResult`). A normal template costs about half a millisecond.

Declared sizes bound what the readers unpack: python-calamine (the zip crate) stops with
"File is larger than its declared uncompressed size" and Python's zipfile never reads past
the declared size, so a part that lies about its size cannot grow past the limits here.
"""

from __future__ import annotations

import io
import os
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath

from delar_xl import timing
from delar_xl.findings import DelarXlError, UnreadableFile
from delar_xl.xlsx.cells import column_index

# Limits, all on what the zip directory declares.
MAX_PARTS = 10_000
MAX_DIRECTORY_SIZE = 4 * 2**20  # bytes of central directory (Excel's ~30 parts take ~3 KB)
MAX_TOTAL_SIZE = 200 * 2**20  # declared unpacked bytes of all parts together
MAX_PART_SIZE = 100 * 2**20  # declared unpacked bytes of one part
MAX_RATIO = 100  # unpacked / packed; Excel's own parts stay under about 65:1
RATIO_MIN_SIZE = 2**20  # the ratio is only judged on parts larger than this
HEAD_SIZE = 4096  # decompressed bytes looked at per part; the XML prolog must end within them
_CHUNK = 64 * 1024  # unpacked bytes held at a time while a part's CRC is checked
HUGE_DIMENSION_CELLS = 1_000_000  # a sheet claiming more cells than this is reported
KEEP_MAX_PART = 32 * 2**20  # with `keep`, larger parts are still only streamed (the reader re-reads them)

# Stable codes (tests and other tools rely on them).
CODE_EMPTY = "fil-tom"
CODE_NOT_XLSX = "fil-inte-xlsx"
CODE_DAMAGED = "fil-skadad"
CODE_LOCK_FILE = "fil-låsfil"
CODE_XLS = "fil-xls"
CODE_XLSB = "fil-xlsb"
CODE_ODS = "fil-ods"
CODE_STRICT = "fil-strict"
CODE_ENCRYPTED = "fil-lösenord"
CODE_TOO_LARGE = "fil-för-stor"
CODE_TOO_MANY_PARTS = "fil-för-många-delar"
CODE_RATIO = "fil-komprimering"
CODE_DTD = "fil-dtd"
CODE_XML_ENCODING = "fil-xml-kodning"

NOT_XLSX = "Filen är inte en Excel-arbetsbok (.xlsx) eller är skadad."
SAVE_AS_XLSX = (
    "Öppna den i Excel och spara som Excel-arbetsbok (*.xlsx) (i LibreOffice: Arkiv ▸ Spara som, "
    "filtyp Excel 2007–365 (.xlsx))."
)
LOCK_FILE = (
    "Låsfil som Excel skapar medan någon har arbetsboken öppen; den hoppas över. "
    "Stäng arbetsboken i Excel om låsfilen ligger kvar."
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then name and extra lengths at 26
# Zip flag bits no reader here handles: encrypted (0), patched data (5), strong encryption (6),
# masked directory (13). Python's zipfile raises RuntimeError/NotImplementedError on them.
_REFUSED_FLAGS = 0x1 | 0x20 | 0x40 | 0x2000

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_STRICT_MAIN = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_STRICT_OFFICE_DOCUMENT = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
# Parts that are never XML for any reader (pictures, binaries). SVG pictures are XML and may
# carry a DOCTYPE legitimately, but no spreadsheet reader parses them.
_NOT_XML = frozenset(
    {".png", ".jpg", ".jpeg", ".jfif", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".wdp", ".ico", ".svg", ".bin"}
)
_XML_NAMES = (".xml", ".rels", ".vml")
_ALLOWED_ENCODINGS = frozenset({"utf-8", "utf8", "utf-16", "utf16"})
_ENCODING = re.compile(r"""\bencoding\s*=\s*["']([^"']*)["']""")
_ROOT_NAME = re.compile(r"<(?:[\w.-]+:)?([\w.-]+)")
_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s+ref\s*=\s*["']([^"']*)["']""")
_CELL = re.compile(r"\$?([A-Za-z]{0,3})\$?(\d*)")

# What Python's zipfile raises on a package it cannot make sense of.
_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,  # includes UnicodeDecodeError on a bad part name
    struct.error,
    NotImplementedError,
    OverflowError,
    RuntimeError,  # an encrypted zip entry
)


@dataclass
class GuardResult:
    """What a package that passed the guard tells the reader.

    `has_macros`: the workbook carries VBA or Excel 4 macro sheets (read the data, never the
    macros; mention it). `huge_dimensions`: worksheet parts whose `<dimension ref>` claims
    more than `HUGE_DIMENSION_CELLS` cells; never iterate the claimed range of those.
    """

    parts: int
    unpacked_size: int
    has_macros: bool = False
    huge_dimensions: list[str] = field(default_factory=list)
    # The archive as the guard opened it (in memory): the reader reuses it instead of parsing
    # the zip directory a second time.
    package: zipfile.ZipFile | None = field(default=None, repr=False, compare=False)
    # With `keep`: the parts the reader parses, unpacked once here (CRC checked), by exact name;
    # and the names of the XML parts whose prolog the guard walked (no DOCTYPE, no ENTITY).
    inflated: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)
    prolog_checked: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def checked_parts(self) -> CheckedParts:
        """The package's parts for the reader: `read(name)` like `ZipFile.read`, no part unpacked twice."""
        package = self.package
        if package is None:
            raise ValueError("no package")
        return CheckedParts(package, self.inflated, self.prolog_checked)


class CheckedParts:
    """The parts of a package that passed `check_package`: what the reader reads them through.

    `read(name)` returns a part the guard already unpacked and checked (`keep`), and otherwise
    unpacks it from the archive like `ZipFile.read` (KeyError when there is no such part).
    `prolog_checked` names the XML parts whose prolog the guard walked: they carry no DOCTYPE and
    so can declare no entity, which is what lets parts.py parse them with the plain (C) parser.
    """

    __slots__ = ("package", "inflated", "prolog_checked")

    def __init__(self, package: zipfile.ZipFile, inflated: dict[str, bytes], prolog_checked: frozenset[str]) -> None:
        self.package = package
        self.inflated = inflated
        self.prolog_checked = prolog_checked

    def read(self, name: str) -> bytes:
        data = self.inflated.get(name)
        return self.package.read(name) if data is None else data


class UnsafeEnvironment(DelarXlError):
    """The XML libraries are installed without their protection; nothing is read then."""


# Public API.


def is_lock_file(path: str | os.PathLike[str]) -> bool:
    """True for Excel's owner file `~$name.xlsx`, written while someone has `name.xlsx` open."""
    return PurePath(path).name.startswith("~$")


def ensure_safe_xml() -> None:
    """Raise `UnsafeEnvironment` unless defusedxml is installed and openpyxl uses it."""
    try:
        import defusedxml  # noqa: F401
    except ImportError as exc:
        raise UnsafeEnvironment(
            "Säkerhetspaketet defusedxml saknas. Installera om delar_xl (pip install defusedxml)."
        ) from exc
    if os.environ.get("OPENPYXL_DEFUSEDXML", "True") != "True":
        raise UnsafeEnvironment("Miljövariabeln OPENPYXL_DEFUSEDXML stänger av skyddet mot farlig XML. Ta bort den.")
    openpyxl = sys.modules.get("openpyxl")
    if openpyxl is not None and not getattr(openpyxl, "DEFUSEDXML", False):
        raise UnsafeEnvironment(
            "openpyxl läser XML utan skydd (openpyxl.DEFUSEDXML är falskt). Installera defusedxml och starta om."
        )


def open_zip(source: bytes | str | os.PathLike[str]) -> zipfile.ZipFile:
    """A `zipfile.ZipFile` over a file or its bytes with part names as the guard reads them
    (backslashes as `/`), for the few places that look at a package without the whole guard."""
    package = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    _normalise_separators(package)
    return package


def check_package(data: bytes, filename: str = "", verify: bool = True, keep: bool = False) -> GuardResult:
    """Check a whole input file, as bytes, before any parser sees it.

    Raises `UnreadableFile` (Swedish message, stable `code`) for anything that is not a
    workbook the readers can open safely; returns a `GuardResult` otherwise. With `verify`
    (the default) every part is also unpacked in small pieces and checked against its CRC-32,
    so no damaged package reaches a parser (about 0,2 ms for a template, constant memory);
    this runs only after the size limits have passed.

    With `keep` (and `verify`), the parts the reader parses (relationships, the workbook,
    worksheets and tables, each up to `KEEP_MAX_PART`) are unpacked whole instead of in pieces,
    checked the same way and returned in `inflated`, so the reader never unpacks them again:
    memory then holds those parts, as the reader would anyway.
    """
    with timing.stage("guard"):
        return _check_package(data, filename, verify, keep)


def _check_package(data: bytes, filename: str, verify: bool, keep: bool) -> GuardResult:
    if filename and is_lock_file(filename):
        raise UnreadableFile(LOCK_FILE, CODE_LOCK_FILE)
    if not data:
        raise UnreadableFile("Filen är tom (0 byte). Spara arbetsboken på nytt och skicka den igen.", CODE_EMPTY)
    if data.startswith(_OLE_MAGIC):
        raise _ole_error(data)
    if not data.startswith(_ZIP_MAGIC):
        raise UnreadableFile(_not_xlsx_message(data), CODE_NOT_XLSX)
    _check_directory_size(data)
    package = _open_directory(data)
    infos = package.infolist()
    unpacked = _check_sizes(infos)
    names = {info.filename.lower() for info in infos}
    _check_format(data, infos, names)
    inflated: dict[str, bytes] | None = {} if keep and verify else None
    checked: set[str] = set()
    huge = _check_parts(data, infos, verify, inflated, checked)
    return GuardResult(
        parts=len(infos),
        unpacked_size=unpacked,
        has_macros=_has_macros(names),
        huge_dimensions=huge,
        package=package,
        inflated=inflated or {},
        prolog_checked=frozenset(checked),
    )


def parser_errors() -> tuple[type[BaseException], ...]:
    """What the parsers raise on a damaged package that reaches them anyway (guard run with
    `verify=False`, or intact parts that are not well-formed XML): catch exactly these around
    parser calls and raise `UnreadableFile`.

    python-calamine raises only `CalamineError` and its subclasses (`XmlError` "corrupt deflate
    stream", "Invalid checksum", "File is larger than its declared uncompressed size";
    `WorksheetNotFound`; plain `CalamineError` "Cannot detect file format" when a part it reads
    on opening is broken). Python's zipfile, and so `parts.py` and openpyxl, raise `BadZipFile`
    (bad CRC, name in directory and header differ) and `zlib.error`; the XML layer raises
    `ParseError` and defusedxml's `DefusedXmlException`. openpyxl adds `KeyError`, `OSError`
    and `ValueError` ("Unable to read workbook"): catch those only around openpyxl calls.
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from python_calamine import CalamineError

    return (CalamineError, zipfile.BadZipFile, zlib.error, EOFError, ParseError, DefusedXmlException)


# Private API: the first bytes.


def _ole_error(data: bytes) -> UnreadableFile:
    """An OLE compound file: an encrypted .xlsx/.xlsm, or a legacy .xls (or another Office file)."""
    kind, encrypted = _ole_kind(data)
    if kind == "ooxml" and encrypted:
        return UnreadableFile(
            "Filen är lösenordsskyddad: ta bort lösenordet (Arkiv ▸ Info ▸ Skydda arbetsbok ▸ "
            "Kryptera med lösenord, töm fältet; i LibreOffice: Arkiv ▸ Spara som, bocka ur Spara med "
            "lösenord), spara och skicka den igen.",
            CODE_ENCRYPTED,
        )
    message = "Filen är i det gamla Excel-formatet (.xls) eller ett annat äldre Office-format. " + SAVE_AS_XLSX
    if encrypted:
        message += " Ta också bort lösenordet."
    return UnreadableFile(message, CODE_XLS)


def _ole_kind(data: bytes) -> tuple[str, bool]:
    """("ooxml" | "xls" | "other", encrypted) as msoffcrypto-tool sees the OLE file."""
    try:
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile
        from msoffcrypto.format.xls97 import Xls97File

        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        kind = "ooxml" if isinstance(office, OOXMLFile) else "xls" if isinstance(office, Xls97File) else "other"
        return kind, bool(office.is_encrypted())
    except Exception:  # a damaged or unknown OLE file: msoffcrypto/olefile raise many kinds
        return "other", False


def _not_xlsx_message(data: bytes) -> str:
    """The standard sentence, with a hint when the bytes say what the file really is."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        hint = " Den är en PDF-fil."
    elif head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        hint = " Den är en webbsida (HTML)."
    elif b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        hint = " Den är sparad som XML-kalkylblad 2003. " + SAVE_AS_XLSX
    elif _looks_like_text(data[:4096]):
        hint = " Den är en textfil (till exempel CSV). " + SAVE_AS_XLSX
    else:
        hint = ""
    return NOT_XLSX + hint


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # cut inside the last character
    return True


# Private API: the zip directory.


def _check_directory_size(data: bytes) -> None:
    """Refuse a zip whose end record announces too many parts, before zipfile parses them."""
    tail_start = max(0, len(data) - 22 - 65535)
    eocd = data.rfind(_EOCD, tail_start)
    if eocd < 0 or eocd + 22 > len(data):
        raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX)
    entries, cd_size = struct.unpack_from("<xxxxxxxxxxHI", data, eocd)
    locator = eocd - 20
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and locator >= 0 and data[locator : locator + 4] == _EOCD64_LOCATOR:
        (offset,) = struct.unpack_from("<8xQ", data, locator)
        if offset + 56 <= len(data) and data[offset : offset + 4] == _EOCD64:
            entries, cd_size = struct.unpack_from("<32xQQ", data, offset)
    if entries > MAX_PARTS:
        raise _too_many_parts(entries)
    if cd_size > MAX_DIRECTORY_SIZE:
        raise _too_many_parts(cd_size // 46)


def _too_many_parts(count: int) -> UnreadableFile:
    return UnreadableFile(
        f"Filen består av för många delar ({count:n}; högst {MAX_PARTS:n} godtas). "
        "Den kan vara skadad eller skapad för att överbelasta datorn.",
        CODE_TOO_MANY_PARTS,
    )


def _open_directory(data: bytes) -> zipfile.ZipFile:
    """The archive over `data` (nothing unpacked yet), refused when its directory is odd."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except _ZIP_ERRORS:
        raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX) from None
    if len(infos) > MAX_PARTS:
        raise _too_many_parts(len(infos))
    _normalise_separators(package)
    seen: set[str] = set()
    for info in infos:
        key = info.filename.lower()
        # Duplicate names let two readers see two different workbooks in one file.
        if (
            key in seen
            or info.flag_bits & _REFUSED_FLAGS
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        ):
            raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX)
        seen.add(key)
    return package


def _normalise_separators(package: zipfile.ZipFile) -> None:
    """Part names written with backslashes (`xl\\workbook.xml`, as some generators write them) are
    read the way Excel, python-calamine (the zip crate) and Python's zipfile on Windows read them:
    as `/`. Only the guard's view of the package changes (`filename`, the name lookup); the local
    headers are still compared with the names as written (`orig_filename`). A name that then
    appears twice is refused below as any duplicate part is."""
    infos = package.infolist()
    if not any("\\" in info.filename for info in infos):
        return
    for info in infos:
        info.filename = info.filename.replace("\\", "/")
    package.NameToInfo = {info.filename: info for info in infos}


def _check_sizes(infos: list[zipfile.ZipInfo]) -> int:
    total = 0
    for info in infos:
        size = info.file_size
        if size > MAX_PART_SIZE:
            raise UnreadableFile(
                f"En del av filen ({info.filename}) packas upp till {_mb(size)} MB; högst "
                f"{_mb(MAX_PART_SIZE)} MB godtas. Filen kan vara skapad för att överbelasta datorn.",
                CODE_TOO_LARGE,
            )
        if size > RATIO_MIN_SIZE and size > MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableFile(
                f"En del av filen ({info.filename}) är packad ovanligt hårt "
                f"({size // max(info.compress_size, 1):n}:1; högst {MAX_RATIO}:1 godtas). "
                "Filen kan vara en så kallad zip-bomb och läses inte.",
                CODE_RATIO,
            )
        if info.compress_size > _max_packed(size, info.compress_type):
            raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX)  # packed larger than deflate can make it
        total += size
        if total > MAX_TOTAL_SIZE:
            raise UnreadableFile(
                f"Filen packas upp till mer än {_mb(MAX_TOTAL_SIZE)} MB, vilket är mer än en mall "
                "kan innehålla. Den kan vara skapad för att överbelasta datorn.",
                CODE_TOO_LARGE,
            )
    return total


def _max_packed(size: int, method: int) -> int:
    """The most bytes `size` unpacked bytes can take packed (zlib's deflateBound, generously)."""
    if method == zipfile.ZIP_STORED:
        return size
    return size + (size >> 12) + (size >> 14) + 64


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f}"


def _check_format(data: bytes, infos: list[zipfile.ZipInfo], names: set[str]) -> None:
    """Refuse the zip-based formats that are not .xlsx: .xlsb, .ods, and zips without a workbook."""
    if "xl/workbook.bin" in names:
        raise UnreadableFile("Filen är en binär Excel-arbetsbok (.xlsb). " + SAVE_AS_XLSX, CODE_XLSB)
    if "mimetype" in names:
        info = next(i for i in infos if i.filename.lower() == "mimetype")
        if _head(data, info, 128).strip().startswith(_ODS_MIMETYPE):
            raise UnreadableFile(
                "Filen är ett OpenDocument-kalkylark (.ods). Öppna den i Excel eller LibreOffice "
                "och spara som Excel-arbetsbok (*.xlsx).",
                CODE_ODS,
            )
    if "[content_types].xml" not in names or not any(n.endswith("workbook.xml") for n in names):
        raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX)


def _has_macros(names: set[str]) -> bool:
    return any(n.endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in names)


# Private API: the first bytes of each part.


def _check_parts(
    data: bytes,
    infos: list[zipfile.ZipInfo],
    verify: bool,
    inflated: dict[str, bytes] | None = None,
    checked: set[str] | None = None,
) -> list[str]:
    """Scan the prolog of every XML part (and with `verify` the CRC of every part); return the
    worksheet parts that claim a huge range. With `inflated`, the parts the reader wants are
    unpacked whole into it; `checked` collects the XML parts whose prolog passed."""
    huge: list[str] = []
    for info in infos:
        name = info.filename
        lower = name.lower()
        if info.file_size == 0 or lower.endswith("/") or os.path.splitext(lower)[1] in _NOT_XML:
            if verify:
                _head(data, info, 1, verify)  # not XML: only its CRC matters
            continue
        if inflated is not None and info.file_size <= KEEP_MAX_PART and _reader_wants(lower):
            whole = _whole(data, info)
            inflated[name] = whole
            head = whole[:HEAD_SIZE]
        else:
            head = _head(data, info, HEAD_SIZE, verify)
        text = _decode_head(head)
        if text is None or not text.lstrip(" \t\r\n").startswith("<"):
            if lower.endswith(_XML_NAMES):
                raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX)
            continue  # some other non-XML part (printer settings, fonts)
        root = _root_after_prolog(text, name, complete=info.file_size <= len(head))
        if checked is not None:
            checked.add(name)
        if (lower.endswith("workbook.xml") and _STRICT_MAIN in head) or (
            lower == "_rels/.rels" and _STRICT_OFFICE_DOCUMENT in head
        ):
            raise UnreadableFile("Filen är sparad som Strikt Open XML-kalkylblad. " + SAVE_AS_XLSX, CODE_STRICT)
        if root == "worksheet" and _claims_huge_range(head):
            huge.append(name)
    return huge


def _reader_wants(lower: str) -> bool:
    """The parts the reader (reader.py) parses besides calamine's own reading: kept by `check_package(keep=True)`."""
    return lower.endswith((".rels", "workbook.xml")) or lower.startswith(("xl/worksheets/", "xl/tables/"))


def _whole(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A whole part, unpacked at most one byte past its declared size, with CRC and size checked.

    The size limits have passed, so the part is at most `KEEP_MAX_PART`: the same checks as
    `_head(..., verify=True)` without the pieces, for the parts the reader would unpack anyway.
    """
    packed = _packed(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        whole = bytes(packed)
    else:
        inflater = zlib.decompressobj(-15)
        try:
            whole = inflater.decompress(packed, info.file_size + 1)
        except zlib.error:
            raise _damaged(info) from None
        if not inflater.eof or len(whole) != info.file_size:
            raise _damaged(info)  # ends early, or holds more than the directory says
    if zlib.crc32(whole) != info.CRC:
        raise _damaged(info)
    return whole


def _head(data: bytes, info: zipfile.ZipInfo, size: int, verify: bool = False) -> bytes:
    """The first `size` unpacked bytes of a part, read straight from its local header.

    With `verify`, the rest of the part is unpacked too, in `_CHUNK` pieces that are dropped at
    once, and its CRC-32 and size are compared with the directory's: constant memory.
    """
    packed = _packed(data, info)
    size = max(size, 1)  # zlib takes a limit of 0 as "no limit"
    if info.compress_type == zipfile.ZIP_STORED:
        if verify and zlib.crc32(packed) != info.CRC:
            raise _damaged(info)
        return bytes(packed[:size])
    inflater = zlib.decompressobj(-15)
    try:
        head = inflater.decompress(packed, size)
        if verify:
            _verify_rest(inflater, head, info)
    except zlib.error:
        raise _damaged(info) from None
    return head


def _packed(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """A part's packed bytes, after checking its local header agrees with the directory."""
    offset = info.header_offset
    try:
        signature, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, offset)
    except struct.error:
        raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX) from None
    name_start = offset + _LOCAL_HEADER.size
    start = name_start + name_len + extra_len
    encoded = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace")
    if (
        signature != _ZIP_MAGIC
        or data[name_start : name_start + name_len] != encoded
        or start + info.compress_size > len(data)
    ):
        raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX)
    return memoryview(data)[start : start + info.compress_size]


def _verify_rest(inflater: zlib._Decompress, head: bytes, info: zipfile.ZipInfo) -> None:
    crc, size = zlib.crc32(head), len(head)
    while not inflater.eof:
        chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        if not chunk and not inflater.eof:
            raise _damaged(info)  # the packed data ends before the stream does
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
        if size > info.file_size:
            raise _damaged(info)
    if crc != info.CRC or size != info.file_size:
        raise _damaged(info)


def _damaged(info: zipfile.ZipInfo) -> UnreadableFile:
    return UnreadableFile(
        f"{NOT_XLSX} Delen {info.filename} går inte att packa upp (kontrollsumman stämmer inte). "
        "Spara om filen i Excel, eller skicka den igen om den skadats på vägen.",
        CODE_DAMAGED,
    )


def _decode_head(head: bytes) -> str | None:
    """The head as text (UTF-8 or UTF-16, as XML allows in a package); None if it is neither."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        bom = head[:2] in (b"\xff\xfe", b"\xfe\xff")
        codec = "utf-16" if bom else ("utf-16-le" if head[0] == 0x3C else "utf-16-be")
        return head[: len(head) // 2 * 2].decode(codec, "replace")
    if b"\x00" in head[:64]:
        return None
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")


def _root_after_prolog(text: str, part: str, complete: bool) -> str:
    """Walk the XML prolog (declaration, comments, processing instructions, white space).

    Raise on a DOCTYPE, on an encoding other than UTF-8/UTF-16, and on a prolog that does not
    end within the head (a DOCTYPE could hide behind it). Returns the root element's local name.
    """
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            break
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                break
            _check_encoding(text[i : end + 2], part)
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                break
            i = end + 3
        elif text.startswith("<!", i):
            raise _dtd_error(part)
        elif text.startswith("<", i) and _is_name_start(text[i + 1 : i + 2]):
            root = _ROOT_NAME.match(text, i)
            return root.group(1) if root else ""
        else:
            raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX)
    if complete:
        raise UnreadableFile(NOT_XLSX, CODE_NOT_XLSX)  # no root element at all
    raise UnreadableFile(
        f"En XML-del i filen ({part}) börjar med ett ovanligt långt huvud före innehållet. "
        "Filen läses inte av säkerhetsskäl.",
        CODE_DTD,
    )


def _is_name_start(ch: str) -> bool:
    """A letter, "_", ":" or U+00C0–U+FFFF: the regex class for this took 4 ms to compile at import."""
    return (ch.isascii() and (ch.isalpha() or ch in ("_", ":"))) or "\u00c0" <= ch <= "\uffff"


def _check_encoding(instruction: str, part: str) -> None:
    if not instruction.startswith("<?xml"):
        return
    match = _ENCODING.search(instruction)
    if match and match.group(1).lower() not in _ALLOWED_ENCODINGS:
        raise UnreadableFile(
            f"En XML-del i filen ({part}) har teckenkodningen {match.group(1)!r}; bara UTF-8 och "
            "UTF-16 är tillåtna i en Excel-arbetsbok. Filen läses inte av säkerhetsskäl.",
            CODE_XML_ENCODING,
        )


def _dtd_error(part: str) -> UnreadableFile:
    return UnreadableFile(
        f"En XML-del i filen ({part}) innehåller en DOCTYPE- eller ENTITY-deklaration. Sådana får "
        "inte förekomma i en Excel-arbetsbok och kan användas för att läsa filer eller överbelasta "
        "datorn. Filen läses inte. " + SAVE_AS_XLSX,
        CODE_DTD,
    )


def _claims_huge_range(head: bytes) -> bool:
    match = _DIMENSION.search(head)
    if not match:
        return False
    ref = match.group(1).decode("ascii", "replace")
    first, _, last = ref.partition(":")
    rows1, cols1 = _cell_numbers(first)
    rows2, cols2 = _cell_numbers(last or first)
    cells = (abs(rows2 - rows1) + 1) * (abs(cols2 - cols1) + 1)
    return cells > HUGE_DIMENSION_CELLS


def _cell_numbers(ref: str) -> tuple[int, int]:
    """(row, column) of an A1 reference, 1-based; a missing part counts as 1."""
    match = _CELL.fullmatch(ref.strip())
    if not match:
        return 1, 1
    letters, digits = match.groups()
    return int(digits) if digits else 1, column_index(letters) + 1 or 1
