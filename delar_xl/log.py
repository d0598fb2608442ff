"""A log file for the details behind a Swedish error message: users see the path, never a traceback."""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import datetime
from pathlib import Path


def log_path() -> Path:
    """Where details are written: $DELAR_XL_LOG, else delar_xl/delar_xl.log in the user's temp folder."""
    if os.environ.get("DELAR_XL_LOG"):
        return Path(os.environ["DELAR_XL_LOG"])
    return Path(tempfile.gettempdir()) / "delar_xl" / "delar_xl.log"


def log_exception(exc: BaseException, context: str = "") -> Path:
    """Append the traceback of `exc` to the log; returns the log's path (even if writing failed)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat(timespec='seconds')} {context}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        pass
    return path


def unexpected_message(exc: BaseException, context: str = "") -> str:
    """The one Swedish sentence a user reads when something unforeseen went wrong."""
    path = log_exception(exc, context)
    return (
        f"Ett oväntat fel inträffade ({type(exc).__name__}). Dina mallar har inte ändrats. "
        f"Detaljer finns i loggfilen {path}; skicka den gärna till den som förvaltar delar_xl."
    )
