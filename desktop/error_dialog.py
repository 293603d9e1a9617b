"""Unexpected errors become a dialog that says what to do, never a traceback on screen.

``install_excepthook()`` replaces ``sys.excepthook`` (which Qt calls for an exception escaping a
slot): a ``NewsmarkError`` is shown as its own sentence; anything else is shown as "something went
wrong" with advice, the details collapsed, and the traceback appended to a log file in the user's
data folder (``logs/newsmark.log``). The app keeps running.
"""

from __future__ import annotations

import datetime as dt
import html
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from db import __version__
from db.errors import NewsmarkError

LOG_NAME = "newsmark.log"
#: Keep the log below this size: older text is dropped when it grows past it.
LOG_LIMIT = 1_000_000

_showing = False


def log_path() -> Path:
    from db.demo import data_dir

    return data_dir() / "logs" / LOG_NAME


def write_log(text: str) -> Path | None:
    """Append ``text`` to the log file (trimmed to ``LOG_LIMIT``); None if it cannot be written."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > LOG_LIMIT:
            path.write_text(path.read_text(encoding="utf-8", errors="replace")[-LOG_LIMIT // 2 :], "utf-8")
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError:
        return None
    return path


def error_box(exc: BaseException, details: str = "", parent: QWidget | None = None) -> QMessageBox:
    """The dialog for ``exc``: its own sentence for a NewsmarkError, advice for anything else."""
    if isinstance(exc, NewsmarkError):
        box = QMessageBox(QMessageBox.Icon.Warning, "Newsmark", html.escape(str(exc)), parent=parent)
        box.setObjectName("errorDialog")
        return box
    log = log_path()
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Something went wrong",
        "<b>Newsmark ran into an unexpected problem and stopped what it was doing.</b>",
        parent=parent,
    )
    box.setObjectName("errorDialog")
    box.setInformativeText(
        "Everything you saw done before is saved in the project. Try again; if the problem comes "
        "back, save your work by exporting it, restart Newsmark and send the log file "
        f"({html.escape(str(log))}) with a description of what you did."
    )
    if details:
        box.setDetailedText(details)  # collapsed behind "Show Details…"
    return box


def report_exception(
    kind: type[BaseException], exc: BaseException, tb: TracebackType | None, parent: QWidget | None = None
) -> QMessageBox | None:
    """Log an unexpected exception and show it in a dialog (one at a time)."""
    global _showing
    details = "".join(traceback.format_exception(kind, exc, tb))
    if not isinstance(exc, NewsmarkError):
        stamp = dt.datetime.now().isoformat(timespec="seconds")
        write_log(f"--- {stamp} Newsmark {__version__}\n{details}\n")
        print(details, file=sys.stderr)
    app = QApplication.instance()
    if _showing or not isinstance(app, QApplication):
        return None
    box = error_box(exc, details, parent or app.activeWindow())
    _showing = True
    try:
        box.exec()
    finally:
        _showing = False
    return box


def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    try:
        report_exception(kind, exc, tb)
    except Exception:  # never let the reporter itself crash the app
        sys.__excepthook__(kind, exc, tb)


def install_excepthook() -> None:
    sys.excepthook = excepthook
