"""The optional stage timing: a no-op unless enabled, own time per stage, written at exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from delar_xl import timing


@pytest.fixture
def timed():
    timing.reset()
    timing.enable()
    yield
    timing.disable()
    timing.reset()


def test_off_by_default_is_one_shared_no_op() -> None:
    assert not timing.enabled()
    assert timing.stage("read") is timing.stage("guard")
    with timing.stage("read"):
        pass
    assert timing.totals() == {}


def test_nested_stages_count_their_own_time(timed) -> None:
    with timing.stage("read"):
        time.sleep(0.02)
        with timing.stage("guard"):
            time.sleep(0.03)
    with timing.stage("guard"):
        time.sleep(0.01)
    seconds, counts = timing.totals(), timing.counts()
    assert counts == {"guard": 2, "read": 1}
    assert 0.04 <= seconds["guard"] < 0.2
    assert 0.02 <= seconds["read"] < 0.03 + 0.1  # the nested guard is not counted twice


def test_environment_writes_the_totals_at_exit(tmp_path: Path) -> None:
    """DELAR_XL_TIMING=path: a whole check run leaves its stages in that file."""
    from corpus import write_sample

    sample = write_sample(tmp_path / "mall.xlsx")
    out = tmp_path / "timing.json"
    env = {**os.environ, timing.ENV: str(out), "DELAR_XL_WORKERS": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "delar_xl.cli", "kontrollera", str(sample)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    # Two guard passes: the CLI first peeks at the first input (no CRC pass) to choose the level,
    # kommun or nämnd (kommun.inputs_are_summaries); then the real read guards it in full.
    # kontrollera runs the checks across files that konsolidera runs (issue 19): the consolidation stage too.
    assert data["counts"] == {"guard": 2, "read": 1, "rules": 1, "consolidation": 1}
    assert all(value > 0 for value in data["seconds"].values())
