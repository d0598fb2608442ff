"""Build the Excel add-in `delar_xl.xlam` from xlwings' ribbon add-in template, changing XML only.

    python workbook/build.py            # regenerates workbook/delar_xl.xlam
    python workbook/build.py --ut FIL   # writes somewhere else

Why XML only: the template's VBA (xl/vbaProject.bin) was compiled by Excel; VBA cannot be written
reliably on Linux, so it is copied byte for byte. What changes:

- the ribbon: `customUI/customUI.xml` is replaced by `customUI/customUI14.xml` (from
  `workbook/customUI14.xml`) and `_rels/.rels` points at it;
- the settings sheet: renamed from "_myaddin.conf" (disabled) to "myaddin.conf" and filled from
  `workbook/xlwings_conf.toml` (plus the interpreter arguments of `build_addin`);
- document properties and the author's absolute path are neutralised.

The output is deterministic: fixed part order, fixed timestamps and attributes, so the committed
add-in can be compared with a fresh build (tests/test_addin_file.py).
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import xlwings

HERE = Path(__file__).resolve().parent
ADDIN_NAME = "delar_xl.xlam"
DEFAULT_OUT = HERE / ADDIN_NAME
RIBBON_SOURCE = HERE / "customUI14.xml"
SETTINGS_SOURCE = HERE / "xlwings_conf.toml"
TEMPLATE = Path(xlwings.__file__).resolve().parent / "quickstart_addin_ribbon.xlam"

# The VBA constant PROJECT_NAME in the template is "myaddin"; its settings sheet must be called so.
SETTINGS_SHEET = "myaddin.conf"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_REL_ID = "rIdDelarXlRibbon"

# 1980-01-01 is the earliest time a zip can store; any fixed value makes the build reproducible.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Delårsrapport – Excel-tillägg</dc:title>"
    "<dc:creator>delar_xl</dc:creator>"
    "<cp:lastModifiedBy>delar_xl</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2021-01-17T20:59:55Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2021-01-17T20:59:55Z</dcterms:modified>'
    "</cp:coreProperties>"
)


class BuildError(Exception):
    """The template is not what this build expects (another xlwings version changed it)."""


# Public API.


def build_addin(
    out: Path,
    interpreter_win: str = "",
    interpreter_mac: str = "",
    pythonpath: str = "",
) -> Path:
    """Write the add-in to `out` and return `out`.

    Args:
        out: where to write; the file name should be `delar_xl.xlam`, because the button runs
            `import <file name>`.
        interpreter_win, interpreter_mac, pythonpath: override the values from
            `xlwings_conf.toml` when not empty (installation passes `sys.executable`).
    """
    settings = personal_settings(interpreter_win, interpreter_mac, pythonpath)
    parts = transform_parts(read_template(), RIBBON_SOURCE.read_bytes(), settings)
    return _write_parts(Path(out), parts)


def personalise_addin(
    source: Path,
    out: Path,
    interpreter_win: str = "",
    interpreter_mac: str = "",
    pythonpath: str = "",
) -> Path:
    """Write a per-user copy of the built add-in `source` to `out` and return `out`.

    Only the settings sheet (and its shared strings) is rewritten, from `xlwings_conf.toml` and
    the arguments, as in `build_addin`; every other part is copied unchanged. This is what
    `delar-xl installera` does with the add-in that travels in the package, so it needs neither
    a source checkout nor xlwings' template.
    """
    try:
        with zipfile.ZipFile(source) as zf:
            parts = [(info.filename, zf.read(info)) for info in zf.infolist()]
    except (OSError, zipfile.BadZipFile) as exc:
        raise BuildError(f"{source} is not a readable add-in: {exc}") from exc
    by_name = dict(parts)
    for required in ("xl/worksheets/sheet1.xml", "xl/vbaProject.bin", RIBBON_PART):
        if required not in by_name:
            raise BuildError(f"{source} has no part {required}")
    strings, uses, sheet_data, dimension = _settings_cells(
        personal_settings(interpreter_win, interpreter_mac, pythonpath)
    )
    changed = {
        "xl/worksheets/sheet1.xml": _settings_sheet(by_name["xl/worksheets/sheet1.xml"], sheet_data, dimension),
        "xl/sharedStrings.xml": _shared_strings(strings, uses),
    }
    return _write_parts(Path(out), [(name, changed.get(name, data)) for name, data in parts])


def personal_settings(interpreter_win: str = "", interpreter_mac: str = "", pythonpath: str = "") -> dict[str, object]:
    """The settings rows of `xlwings_conf.toml`, with the values given here where not empty."""
    settings = read_settings()
    for key, value in (
        ("Interpreter_Win", interpreter_win),
        ("Interpreter_Mac", interpreter_mac),
        ("PYTHONPATH", pythonpath),
    ):
        if value:
            settings[key] = value
    return settings


def _write_parts(out: Path, parts: list[tuple[str, bytes]]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    write_zip(tmp, parts)
    tmp.replace(out)
    return out


def read_settings(path: Path = SETTINGS_SOURCE) -> dict[str, object]:
    """The settings rows, in file order."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return dict(data.get("settings", {}))


def read_template(path: Path = TEMPLATE) -> list[tuple[str, bytes]]:
    """The template's parts in their stored order."""
    if not path.is_file():
        raise BuildError(f"xlwings {xlwings.__version__} has no {path.name} at {path}")
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def transform_parts(
    parts: list[tuple[str, bytes]], ribbon: bytes, settings: dict[str, object]
) -> list[tuple[str, bytes]]:
    """The add-in's parts: [Content_Types].xml first, then the template's order, ribbon last."""
    by_name = dict(parts)
    for required in (
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/vbaProject.bin",
    ):
        if required not in by_name:
            raise BuildError(f"the template has no part {required}")
    strings, uses, sheet_data, dimension = _settings_cells(settings)
    changed = {
        "_rels/.rels": _ribbon_relationship(by_name["_rels/.rels"]),
        "xl/workbook.xml": _workbook(by_name["xl/workbook.xml"]),
        "xl/worksheets/sheet1.xml": _settings_sheet(by_name["xl/worksheets/sheet1.xml"], sheet_data, dimension),
        "xl/sharedStrings.xml": _shared_strings(strings, uses),
        "docProps/core.xml": CORE_PROPERTIES.encode("utf-8"),
    }
    dropped = {"customUI/customUI.xml"}
    result = [("[Content_Types].xml", by_name["[Content_Types].xml"])]
    for name, data in parts:
        if name == "[Content_Types].xml" or name in dropped:
            continue
        result.append((name, changed.get(name, data)))
    result.append((RIBBON_PART, ribbon))
    return result


def write_zip(path: Path, parts: list[tuple[str, bytes]]) -> None:
    """A zip whose bytes depend only on `parts` (and the zlib in use)."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # same header on every OS
            info.external_attr = 0
            zf.writestr(info, data, compresslevel=9)


def read_addin_settings(addin: Path) -> dict[str, str]:
    """The rows of a built add-in's settings sheet, for tests and for `delar-xl installera`."""
    from defusedxml import ElementTree as SafeET

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(addin) as zf:
        strings = [
            "".join(t.text or "" for t in si.iter(f"{ns}t"))
            for si in SafeET.fromstring(zf.read("xl/sharedStrings.xml")).iter(f"{ns}si")
        ]
        sheet = SafeET.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    rows: dict[str, str] = {}
    for row in sheet.iter(f"{ns}row"):
        cells = {}
        for c in row.iter(f"{ns}c"):
            v = c.find(f"{ns}v")
            text = "" if v is None else (v.text or "")
            cells[re.sub(r"\d", "", c.get("r", ""))] = strings[int(text)] if c.get("t") == "s" else text
        if cells.get("A"):
            rows[cells["A"]] = cells.get("B", "")
    return rows


# XML methods. Plain text edits on the template's own XML keep its namespaces and prefixes
# exactly as Excel wrote them (a parse/serialise round trip would rename them ns0, ns1, …).


def _replace_once(text: str, pattern: str, replacement: str, what: str) -> str:
    new, count = re.subn(pattern, lambda _m: replacement, text, count=1, flags=re.S)
    if count != 1:
        raise BuildError(f"the template's {what} has an unexpected shape")
    return new


def _ribbon_relationship(rels: bytes) -> bytes:
    text = rels.decode("utf-8")
    relationship = f'<Relationship Id="{RIBBON_REL_ID}" Type="{RIBBON_REL_TYPE}" Target="{RIBBON_PART}" />'
    # Replace the template's relationship to customUI/customUI.xml by ours.
    return _replace_once(
        text, r'<Relationship [^>]*Target="/?customUI/customUI\.xml"[^>]*/>', relationship, "_rels/.rels"
    ).encode("utf-8")


def _workbook(workbook: bytes) -> bytes:
    text = workbook.decode("utf-8")
    text = _replace_once(
        text, r'<sheet name="_myaddin\.conf"', f'<sheet name="{SETTINGS_SHEET}"', "settings sheet name"
    )
    # The template remembers the folder it was saved in on its author's machine: drop it.
    text = _replace_once(
        text,
        r"<mc:AlternateContent [^>]*>\s*<mc:Choice Requires=\"x15\">\s*<x15ac:absPath [^>]*/>"
        r"\s*</mc:Choice>\s*</mc:AlternateContent>",
        "",
        "absolute path",
    )
    return text.encode("utf-8")


def _settings_cells(settings: dict[str, object]) -> tuple[list[str], int, str, str]:
    """Shared strings, how often they are used, the <sheetData> element and the dimension."""
    strings: list[str] = []
    uses = 0

    def index(text: str) -> int:
        nonlocal uses
        uses += 1
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    rows = []
    number = 0
    for key, value in settings.items():
        if value == "" or value is None:
            continue  # absent keys let Excel fall back to the user's config file
        number += 1
        # Booleans as the English words VBA understands in every locale ("False", "True").
        text = ("True" if value else "False") if isinstance(value, bool) else str(value)
        rows.append(
            f'<row r="{number}" spans="1:2">'
            f'<c r="A{number}" s="1" t="s"><v>{index(str(key))}</v></c>'
            f'<c r="B{number}" s="1" t="s"><v>{index(text)}</v></c>'
            "</row>"
        )
    if not rows:
        raise BuildError("the settings sheet would be empty")
    return strings, uses, "<sheetData>" + "".join(rows) + "</sheetData>", f"A1:B{number}"


def _settings_sheet(sheet: bytes, sheet_data: str, dimension: str) -> bytes:
    text = sheet.decode("utf-8")
    text = _replace_once(text, r"<sheetData>.*?</sheetData>", sheet_data, "settings sheet data")
    text = _replace_once(text, r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}" />', "dimension")
    return text.encode("utf-8")


def _shared_strings(strings: list[str], uses: int) -> bytes:
    items = []
    for text in strings:
        space = ' xml:space="preserve"' if text != text.strip() else ""
        items.append(f"<si><t{space}>{escape(text)}</t></si>")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{uses}" uniqueCount="{len(strings)}">' + "".join(items) + "</sst>"
    ).encode("utf-8")


# Command line.


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bygger Excel-tillägget delar_xl.xlam.")
    parser.add_argument("--ut", type=Path, default=DEFAULT_OUT, help="var filen skrivs")
    parser.add_argument("--interpreter-win", default="", help="Python för Windows (Interpreter_Win)")
    parser.add_argument("--interpreter-mac", default="", help="Python för macOS (Interpreter_Mac)")
    parser.add_argument("--pythonpath", default="", help="PYTHONPATH för tillägget")
    args = parser.parse_args(argv)
    try:
        out = build_addin(args.ut, args.interpreter_win, args.interpreter_mac, args.pythonpath)
    except BuildError as exc:
        print(f"Kunde inte bygga tillägget: {exc}", file=sys.stderr)
        return 2
    print(f"Skrev {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
