"""The add-in file workbook/delar_xl.xlam, checked on Linux up to the boundary of Excel.

What Excel itself does with the file (parse the ribbon, run VBA, start Python) is covered by the
manual smoke test in docs/rokprov-excel.md.
"""

from __future__ import annotations

import importlib.util
import posixpath
import re
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
import xlwings
from defusedxml import ElementTree as SafeET

with warnings.catch_warnings():
    # oletools 0.60 uses pyparsing names that pyparsing 3 reports as deprecated.
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

ROOT = Path(__file__).resolve().parents[1]
ADDIN = ROOT / "workbook" / "delar_xl.xlam"

NS_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
NS_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_UI = "{http://schemas.microsoft.com/office/2009/07/customui}"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"


def _load_build():
    spec = importlib.util.spec_from_file_location("delar_xl_workbook_build", ROOT / "workbook" / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _load_build()


@pytest.fixture(scope="module")
def parts() -> dict[str, bytes]:
    with zipfile.ZipFile(ADDIN) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


@pytest.fixture(scope="module")
def vba_modules() -> dict[str, str]:
    """Module name → VBA source, as olevba reads it from xl/vbaProject.bin."""
    parser = VBA_Parser(str(ADDIN))
    try:
        assert parser.detect_vba_macros()
        return {stream_path.split("/")[-1]: code for _file, stream_path, _vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def ribbon(parts: dict[str, bytes]):
    return SafeET.fromstring(parts[build.RIBBON_PART])


# The package.


def test_zip_integrity():
    with zipfile.ZipFile(ADDIN) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
    assert len(names) == len(set(names))
    assert names[0] == "[Content_Types].xml"


def test_every_xml_part_parses(parts):
    xml_parts = [name for name in parts if name.endswith((".xml", ".rels"))]
    assert len(xml_parts) >= 9
    for name in xml_parts:
        SafeET.fromstring(parts[name])  # raises on malformed XML


def test_every_part_has_a_content_type(parts):
    types = SafeET.fromstring(parts["[Content_Types].xml"])
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types.iter(f"{NS_CT}Default")}
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{NS_CT}Override")}
    for name in parts:
        if name == "[Content_Types].xml":
            continue
        content_type = overrides.get("/" + name) or defaults.get(name.rsplit(".", 1)[-1].lower())
        assert content_type, f"{name} has no content type"
    assert overrides["/xl/workbook.xml"] == ADDIN_CONTENT_TYPE
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
    # The ribbon part is plain XML by the Default for .xml.
    assert defaults["xml"] == "application/xml"


def test_every_relationship_target_exists(parts):
    for name in [n for n in parts if n.endswith(".rels")]:
        base = posixpath.dirname(posixpath.dirname(name))  # "_rels/.rels" → "", "xl/_rels/x" → "xl"
        for rel in SafeET.fromstring(parts[name]).iter(f"{NS_REL}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            assert path in parts, f"{name}: {target} is missing"


def test_ribbon_relationship_points_at_customui14(parts):
    rels = SafeET.fromstring(parts["_rels/.rels"])
    ribbons = [r for r in rels.iter(f"{NS_REL}Relationship") if r.get("Type") == RIBBON_REL]
    assert [r.get("Target") for r in ribbons] == ["customUI/customUI14.xml"]
    assert "customUI/customUI.xml" not in parts  # one ribbon only, no Office 2007 leftover


def test_ribbon_is_the_source_file(parts):
    assert parts[build.RIBBON_PART] == (ROOT / "workbook" / "customUI14.xml").read_bytes()


# The ribbon.


def test_ribbon_has_the_swedish_tab_and_button(ribbon):
    assert ribbon.tag == f"{NS_UI}customUI"
    tabs = list(ribbon.iter(f"{NS_UI}tab"))
    assert [t.get("label") for t in tabs] == ["Delårsrapport"]
    buttons = list(ribbon.iter(f"{NS_UI}button"))
    assert len(buttons) == 1
    button = buttons[0]
    assert button.get("label") == "Konsolidera"
    assert button.get("size") == "large"
    assert re.fullmatch(r"[A-Za-z0-9]+", button.get("imageMso") or "")
    assert "Konsolidera" in button.get("screentip")
    assert len(button.get("supertip")) > 40
    assert len(button.get("supertip")) <= 1024  # Office's limit for supertip


def _callbacks(ribbon) -> list[str]:
    """Every callback the ribbon names: onAction, onLoad, getLabel, getEnabled, …"""
    found = []
    for element in ribbon.iter():
        for attribute, value in element.attrib.items():
            if re.fullmatch(r"(on|get)[A-Z]\w*", attribute):
                found.append(value)
    return found


def test_every_callback_resolves_to_a_ribbon_sub(ribbon, vba_modules):
    callbacks = _callbacks(ribbon)
    assert callbacks == ["RibbonMyAddin.RunMain"]
    for callback in callbacks:
        module, _, sub = callback.rpartition(".")
        sources = [vba_modules[module]] if module else list(vba_modules.values())
        signature = re.compile(
            rf"^\s*(?:Public\s+)?Sub\s+{re.escape(sub)}\s*\(\s*control\s+As\s+IRibbonControl\s*\)",
            re.IGNORECASE | re.MULTILINE,
        )
        assert any(signature.search(code) for code in sources), f"{callback} has no matching Sub"


def test_button_runs_the_module_named_like_the_file(vba_modules):
    code = vba_modules["RibbonMyAddin"]
    # RunMain imports the add-in's file name without extension and calls its main().
    assert "ThisWorkbook.Name" in code
    assert re.search(r'RunPython\s+"import "\s*&\s*mymodule\s*&\s*";"\s*&\s*mymodule\s*&\s*"\.main\(\)"', code)
    assert ADDIN.stem == "delar_xl"


def test_the_module_the_button_imports_has_main():
    import delar_xl

    assert callable(getattr(delar_xl, "main", None)), "delar_xl/__init__.py must expose main()"


# The VBA and the settings.


def _vba_constant(vba_modules: dict[str, str], name: str) -> str:
    values = {
        m.group(1)
        for code in vba_modules.values()
        for m in re.finditer(rf'Const\s+{name}\s+As\s+String\s*=\s*"([^"]*)"', code)
    }
    assert len(values) == 1, values
    return values.pop()


def test_vba_version_equals_installed_xlwings(vba_modules):
    assert _vba_constant(vba_modules, "XLWINGS_VERSION") == xlwings.__version__


def test_settings_sheet_is_the_one_the_vba_reads(parts, vba_modules):
    project = _vba_constant(vba_modules, "PROJECT_NAME")
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    assert f'<sheet name="{project}.conf"' in workbook
    assert f"{project}.conf" == build.SETTINGS_SHEET


def test_committed_settings_never_add_the_workbook_folder_to_sys_path():
    settings = build.read_addin_settings(ADDIN)
    assert settings["ADD_WORKBOOK_TO_PYTHONPATH"] == "False"
    assert settings["Use UDF Server"] == "False"
    # The committed add-in names no interpreter: Excel falls back to the user's config file.
    assert "Interpreter_Win" not in settings and "Interpreter_Mac" not in settings


def test_build_writes_interpreter_and_pythonpath(tmp_path):
    out = build.build_addin(
        tmp_path / "delar_xl.xlam",
        interpreter_win=r"C:\Users\Anna Ö & Co\.venv\Scripts\python.exe",
        interpreter_mac="/Users/anna/.venv/bin/python",
        pythonpath="/Users/anna/delar_xl",
    )
    settings = build.read_addin_settings(out)
    assert settings["Interpreter_Win"] == r"C:\Users\Anna Ö & Co\.venv\Scripts\python.exe"
    assert settings["Interpreter_Mac"] == "/Users/anna/.venv/bin/python"
    assert settings["PYTHONPATH"] == "/Users/anna/delar_xl"
    assert list(settings)[:3] == ["Interpreter_Win", "Interpreter_Mac", "PYTHONPATH"]


def test_no_trace_of_the_template_authors_machine(parts):
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            text = data.decode("utf-8").lower()
            assert "felix" not in text and "absPath".lower() not in text, name


def test_vba_project_is_the_templates_unchanged(parts):
    with zipfile.ZipFile(build.TEMPLATE) as zf:
        assert parts["xl/vbaProject.bin"] == zf.read("xl/vbaProject.bin")


# The build is reproducible and the committed file is its output.


def test_committed_addin_is_what_the_build_produces(tmp_path):
    fresh = build.build_addin(tmp_path / "delar_xl.xlam")
    with zipfile.ZipFile(ADDIN) as committed, zipfile.ZipFile(fresh) as built:
        assert committed.namelist() == built.namelist(), "run: python workbook/build.py"
        for name in built.namelist():
            assert committed.read(name) == built.read(name), f"{name} differs; run: python workbook/build.py"


def test_build_is_deterministic(tmp_path):
    first = build.build_addin(tmp_path / "a" / "delar_xl.xlam").read_bytes()
    second = build.build_addin(tmp_path / "b" / "delar_xl.xlam").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a" / "delar_xl.xlam") as zf:
        assert {info.date_time for info in zf.infolist()} == {build.ZIP_TIME}
