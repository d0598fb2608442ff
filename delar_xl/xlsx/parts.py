"""The few parts of an .xlsx package that the value reader does not give: defined names, hidden rows.

Read straight from the zip: tiny parts, no full workbook parser needed. Every function takes the
package as anything with `read(name) -> bytes` (KeyError when absent): a `zipfile.ZipFile`, or
the reader's `guard.CheckedParts`, which hands out the parts the guard already unpacked. Parts
the guard has walked the prolog of (no DOCTYPE, so no entity can be declared) are parsed with the
standard library's C parser; anything else with defusedxml (docs/sakerhet.md says why).
"""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Protocol
from xml.etree import ElementTree as PlainET

from defusedxml import ElementTree as SafeET

from delar_xl.xlsx.cells import a1_to_index, column_index
from delar_xl.xlsx.guard import CheckedParts


class Parts(Protocol):
    """A package's parts by name: `zipfile.ZipFile` and `guard.CheckedParts` both are."""

    def read(self, name: str) -> bytes: ...


def _parse(zf: Parts | zipfile.ZipFile, name: str) -> Any:
    """The parsed root of part `name` (KeyError when absent).

    The plain parser only for a part the guard has cleared of DOCTYPE/ENTITY declarations;
    defusedxml (pure-Python handlers, about 4× slower on these parts) for everything else.
    """
    data = zf.read(name)
    if isinstance(zf, CheckedParts) and name in zf.prolog_checked:
        return _parse_small(data) if len(data) <= _SHARED_PART_MAX else PlainET.fromstring(data)
    return SafeET.fromstring(data)


_SHARED_PART_MAX = 16 * 1024  # bytes; larger parts are parsed each time and never kept


@functools.lru_cache(maxsize=128)
def _parse_small(data: bytes) -> Any:
    """The parsed root of a small part the guard has cleared, one tree per distinct content.

    Templates of one version carry the same relationship, table and workbook parts byte for
    byte, and creating a parser costs more than these parts' content: the same bytes give the
    same tree, so each is parsed once per process. The tree is shared: callers only read it.
    A part that does not parse raises as before (an exception is never cached).
    """
    return PlainET.fromstring(data)


NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_REF = re.compile(r"^'?(?P<sheet>(?:[^']|'')+?)'?!\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+)$")


@dataclass(frozen=True)
class NameTarget:
    """Where a defined name points. `cell` is "" when it is not a single cell (a range, #REF!, a formula)."""

    name: str
    formula: str
    sheet: str
    cell: str


def workbook_part(zf: Parts) -> str:
    """Path of the workbook part, from the package relationships (normally xl/workbook.xml)."""
    try:
        root = _parse(zf, "_rels/.rels")
    except KeyError:
        return "xl/workbook.xml"
    for rel in root.iter(f"{NS_PKG_REL}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "xl/workbook.xml").lstrip("/")
    return "xl/workbook.xml"


def parse_workbook(zf: Parts) -> tuple[str, Any]:
    """(path, parsed root) of the workbook part: parse once, pass to `defined_names` and `sheet_parts`."""
    path = workbook_part(zf)
    return path, _parse(zf, path)


def defined_names(zf: Parts, workbook: tuple[str, Any] | None = None) -> dict[str, NameTarget]:
    """Workbook-scoped defined names (sheet-scoped ones are skipped: the contract uses workbook scope)."""
    root = (workbook or parse_workbook(zf))[1]
    names: dict[str, NameTarget] = {}
    for node in root.iter(f"{NS_MAIN}definedName"):
        if node.get("localSheetId") is not None:
            continue
        name = node.get("name", "")
        formula = (node.text or "").strip()
        match = _REF.match(formula)
        if match:
            sheet = match.group("sheet").replace("''", "'")
            names[name] = NameTarget(name, formula, sheet, f"{match.group('col')}{match.group('row')}")
        else:
            names[name] = NameTarget(name, formula, "", "")
    return names


def sheet_parts(zf: Parts, workbook: tuple[str, Any] | None = None) -> dict[str, str]:
    """Sheet name → path of its worksheet part."""
    wb_path, root = workbook or parse_workbook(zf)
    folder = wb_path.rsplit("/", 1)[0]
    rels_path = f"{folder}/_rels/{wb_path.rsplit('/', 1)[-1]}.rels"
    targets: dict[str, str] = {}
    try:
        rels = _parse(zf, rels_path)
        for rel in rels.iter(f"{NS_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            targets[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
    except KeyError:
        pass
    parts: dict[str, str] = {}
    for sheet in root.iter(f"{NS_MAIN}sheet"):
        rid = sheet.get(f"{NS_REL}id", "")
        if rid in targets:
            parts[sheet.get("name", "")] = targets[rid]
    return parts


@dataclass(frozen=True)
class TableInfo:
    """An Excel table as its part declares it. Rows and columns 0-based; data rows exclude header and totals."""

    name: str
    sheet: str
    header_row: int | None  # None when the table has no header row
    first_data_row: int
    last_data_row: int
    first_col: int
    last_col: int
    columns: tuple[str, ...]


def tables(zf: Parts, parts: dict[str, str]) -> dict[str, TableInfo]:
    """Every table in the workbook by its display name, found through each sheet's relationships.

    Read straight from the small table parts: cheaper than a full reader's table loading, and it
    gives exactly what the contract relies on (name, sheet, range, header texts).
    """
    found: dict[str, TableInfo] = {}
    for sheet, part in parts.items():
        folder, file = part.rsplit("/", 1)
        try:
            rels = _parse(zf, f"{folder}/_rels/{file}.rels")
        except KeyError:
            continue
        for rel in rels.iter(f"{NS_PKG_REL}Relationship"):
            if rel.get("Type", "").endswith("/table"):
                info = _table(zf, _resolve(folder, rel.get("Target", "")), sheet)
                if info is not None:
                    found[info.name] = info
    return found


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _table(zf: Parts, path: str, sheet: str) -> TableInfo | None:
    try:
        root = _parse(zf, path)
    except KeyError:
        return None
    ref = root.get("ref", "")
    if ":" not in ref:
        return None
    (r1, c1), (r2, c2) = (a1_to_index(end) for end in ref.split(":", 1))
    headers = int(root.get("headerRowCount", "1") or 0)
    totals = int(root.get("totalsRowCount", "0") or 0)
    columns = tuple(col.get("name", "") for col in root.iter(f"{NS_MAIN}tableColumn"))
    return TableInfo(
        name=root.get("displayName") or root.get("name", ""),
        sheet=sheet,
        header_row=r1 if headers else None,
        first_data_row=r1 + (1 if headers else 0),
        last_data_row=r2 - totals,
        first_col=c1,
        last_col=c2,
        columns=columns,
    )


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ATTR_R = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def hidden_rows(data: bytes) -> list[int]:
    """1-based numbers of the rows marked hidden in a worksheet part's XML.

    Not a parse: the part may be large and only these attributes matter. Most sheets hide
    nothing, so a literal search for `hidden="` decides first; then only the start tag around
    each occurrence is looked at (the same tags the row regex finds: `<row ...>` or `<x:row ...>`).
    """
    rows: list[int] = []
    at = data.find(b'hidden="')
    while at >= 0:
        start, end = _tag_around(data, at)
        tag = data[start:end]
        if start >= 0 and _ROW_TAG.fullmatch(tag) and _HIDDEN.search(tag):
            number = _ATTR_R.search(tag)
            if number:
                rows.append(int(number.group(1)))
        at = data.find(b'hidden="', max(end, at + 8))  # once per tag, however many such attributes
    return rows


def _tag_around(data: bytes, at: int) -> tuple[int, int]:
    """(start, end) of the tag `<...>` that position `at` lies inside; start is -1 when in none."""
    start = data.rfind(b"<", 0, at)
    end = data.find(b">", at)
    if start < 0 or end < 0 or data.find(b">", start, at) >= 0:
        return -1, at
    return start, end + 1


# An error cell's value, never looking past the cell's own end tag.
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b(?=[^>]*\bt="e")[^>]*\br="([A-Z]{1,3})(\d+)"[^>/]*>'
    rb"(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>",
    re.DOTALL,
)
_ANY_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*\bt="e"')


def error_cells(data: bytes) -> dict[tuple[int, int], str]:
    """(0-based row, col) → error value ("#REF!") of every error cell in a worksheet part's XML.

    python-calamine reports error cells as empty, which would hide them; the XML does not.
    """
    if b't="e"' not in data or not _ANY_ERROR_CELL.search(data):  # the literal first: few sheets have errors
        return {}
    found: dict[tuple[int, int], str] = {}
    for letters, digits, value in _ERROR_CELL.findall(data):
        found[(int(digits) - 1, column_index(letters.decode()))] = value.decode("utf-8", "replace")
    return found


_FORMULA_TAG = re.compile(rb"<f[\s>/]")  # "<f>", "<f t=\"shared\" …/>"; not "<formula1>" (validations)
_PREFIXED_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
# "<v />" and "<v></v>" (openpyxl, with and without lxml) are no value; but a formula whose text
# result is "" is saved by Excel as t="str" with an empty <v></v>, and that one was calculated.
_CACHED_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</")


def formula_cells(data: bytes) -> dict[tuple[int, int], bool]:
    """(0-based row, col) → whether it has a calculated value, for every formula cell in a worksheet part.

    python-calamine gives a formula's last calculated value and nothing at all for one never
    calculated (a file written by a program, not by Excel), which would read as an empty cell.
    A literal pre-check first: most input sheets have no formula at all.
    """
    prefixed = b":c " in data
    if not prefixed and not _has_formula_tag(data):
        return {}
    found: dict[tuple[int, int], bool] = {}
    for match in (_PREFIXED_FORMULA_TAG if prefixed else _FORMULA_TAG).finditer(data):
        # The formula's own cell is the nearest cell start before it ("<c " or a prefixed "<x:c "),
        # a few attributes back: a bounded look-back keeps this linear in the part's size.
        at, after = match.span()
        low = max(0, at - 512)
        start = data.rfind(b"<c ", low, at)
        if prefixed:
            start = max(start, data.rfind(b":c ", low, at))
        if start < 0:
            continue
        tag = data[start : data.find(b">", start) + 1]
        ref = _CELL_REF.search(tag)
        if ref is None:
            continue
        end = data.find(b"c>", after)  # "</c>" or "</x:c>": formula text has no raw ">"
        cached = _CACHED_VALUE.search(data, after, end if end > 0 else len(data))
        calculated = cached is not None and (cached.group(1) != b"" or b't="str"' in tag)
        letters, digits = ref.groups()
        found[(int(digits) - 1, _column_of(letters))] = calculated
    return found


_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


# Column letters (one to three, so at most 18 278 entries) → 0-based index: a formula column
# repeats its letters on every row.
_COLUMNS: dict[bytes, int] = {}


def _column_of(letters: bytes) -> int:
    index = _COLUMNS.get(letters)
    if index is None:
        index = _COLUMNS[letters] = column_index(letters.decode())
    return index


def _has_formula_tag(data: bytes) -> bool:
    """Whether `data` holds "<f>", "<f " or "<f/": one pass over the part instead of three, since
    the few other "<f" a sheet holds ("<formula1>" of a validation) are stepped over."""
    at = data.find(b"<f")
    while at >= 0:
        if data[at + 2 : at + 3] in (b">", b" ", b"/"):
            return True
        at = data.find(b"<f", at + 2)
    return False
