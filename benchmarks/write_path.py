"""The summary write alone, for instruction counts that load does not move (valgrind's callgrind).

    python benchmarks/write_path.py MODE FOLDER OUT.xlsx

MODE: consolidate (read the folder in this process and stop) or write (the same, then
`write_summary` to OUT.xlsx). The write's instructions = (count with write − count with consolidate):

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        .venv/bin/python benchmarks/write_path.py write DIR /tmp/s.xlsx
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(mode: str, folder: Path, out: Path) -> None:
    os.environ["DELAR_XL_WORKERS"] = "1"  # worker processes would escape the count
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary

    result = consolidate([folder])
    if mode == "write":
        write_summary(result, out)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
