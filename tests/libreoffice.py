"""LibreOffice as an independent spreadsheet engine for tests: open, recalculate, render.

Each call uses a private profile whose settings force a full recalculation on load (by default
LibreOffice keeps the cached values it finds, which would hide a wrong formula).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

RECALC_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(files: list[Path], target: str, outdir: Path, recalc: bool = True, timeout: int = 240) -> list[Path]:
    """Convert `files` with one LibreOffice start; returns the output paths in the same order.

    `target` is a LibreOffice filter spec such as "pdf", "xlsx", "xls" or "ods".
    """
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) saknas")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        if recalc:
            user = Path(profile) / "user"
            user.mkdir(parents=True)
            (user / "registrymodifications.xcu").write_text(RECALC_SETTINGS, encoding="utf-8")
        cmd = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, files),
        ]
        env = {**os.environ, "HOME": profile}
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    extension = target.split(":", 1)[0]
    outputs = [outdir / (Path(f).stem + "." + extension) for f in files]
    missing = [p for p in outputs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice skrev inte {missing}: {done.stdout} {done.stderr}")
    return outputs
