"""``run_app``: start the Qt application, open a project and show the main window.

Which project: the one given (path or URL), else the last one used, else the demo. The window
shows before spaCy is imported; spaCy warms up in a background job afterwards. A project that
cannot be opened is explained in a message box, then the demo opens instead.

Environment: ``NEWSMARK_SETTINGS_DIR`` (see ``desktop.settings``); ``NEWSMARK_READY_EXIT`` set
to 1 makes the app print ``NEWSMARK_READY <time.time()>`` and quit once the window is usable
with the navigator filled, then the navigator's row count and whether spaCy was imported yet
(the startup benchmark and tests use it).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from db.errors import NewsmarkError
from db.project import Project
from db.resources import resource

READY_EXIT_ENV = "NEWSMARK_READY_EXIT"
DEFAULT_ANNOTATOR = "analyst"


def load_stylesheet(app: QApplication) -> str:
    """The stylesheet tuned for the palette in use (light or dark)."""
    path = resource("style.qss")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    window = app.palette().color(QPalette.ColorRole.Window)
    dark = window.lightness() < 128
    accents = {
        "@panel": "#2b2d31" if dark else "#f4f5f7",
        "@border": "#3c3f44" if dark else "#d8dbe0",
        "@muted": "#9aa0a6" if dark else "#6b7280",
        "@hover": "#35383d" if dark else "#e8eaee",
        "@accent": "#4c8ed9" if dark else "#1f5fa8",
    }
    for name, value in accents.items():
        text = text.replace(name, value)
    return text


def create_application(argv: list[str] | None = None) -> QApplication:
    from desktop.icons import app_icon

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("Newsmark")
    app.setOrganizationName("Newsmark")
    app.setApplicationDisplayName("Newsmark")
    app.setDesktopFileName("newsmark")
    app.setWindowIcon(app_icon())
    app.setStyleSheet(load_stylesheet(app))
    return app


def _demo_project() -> Project | None:
    from db.demo import ensure_demo_project
    from db.project import open_project

    try:
        return open_project(ensure_demo_project())
    except NewsmarkError as exc:
        print(f"newsmark: {exc}", file=sys.stderr)
        return None


def choose_project(window: object, project: str | None, demo: bool, settings: object) -> Project | None:
    """Open what the user asked for; explain a failure and fall back to the demo."""
    from desktop import project_actions

    wanted = None if demo else (project or settings.last_project)  # type: ignore[attr-defined]
    if wanted:
        if project is None and "://" not in wanted and not Path(wanted).exists():
            settings.forget_recent(wanted)  # type: ignore[attr-defined]
        else:
            opened = project_actions.open_or_explain(window, wanted, create=project is not None)  # type: ignore[arg-type]
            if opened is not None:
                settings.add_recent(wanted)  # type: ignore[attr-defined]
                return opened
    return _demo_project()


def warm_spacy(window: object) -> None:
    """Import spaCy's tokenizer in the background, so the first label press is quick."""
    from db.text import blank_english

    runner = window.runner  # type: ignore[attr-defined]
    runner.start(None, lambda _p, _job: blank_english() and None, "Loading the tokenizer")


def run_app(project: str | None, demo: bool = False) -> int:
    """Run the desktop application until its window closes; returns the exit code."""
    app = create_application()
    from desktop.main_window import MainWindow
    from desktop.settings import Settings, ask_annotator

    settings = Settings()
    ready_exit = os.environ.get(READY_EXIT_ENV) == "1"
    if not ready_exit:
        from desktop.error_dialog import install_excepthook

        install_excepthook()  # an unexpected error is a dialog and a log entry, not a crash
    from desktop.settings_dialog import apply_startup_settings

    apply_startup_settings(app, settings)  # theme, spaCy pipeline, backup folder
    # First run (nothing opened before): the welcome screen asks the name and offers the demo,
    # a new project or an import.
    first_run = not ready_exit and project is None and not demo and settings.last_project is None
    annotator = settings.annotator
    if annotator is None:
        if ready_exit or first_run:
            annotator = DEFAULT_ANNOTATOR
        else:
            annotator = ask_annotator(settings) or DEFAULT_ANNOTATOR
    window = MainWindow(settings, annotator)
    opened = choose_project(window, project, demo, settings)
    if opened is not None:
        window.set_project(opened)
    window.show()

    if ready_exit:

        def report_ready() -> None:
            app.processEvents()
            rows = window.navigator.model.rowCount() if window.navigator is not None else 0
            spacy = int("spacy" in sys.modules)
            print(f"NEWSMARK_READY {time.time():.6f} stories={rows} spacy={spacy}", flush=True)
            window.close()

        QTimer.singleShot(0, report_ready)
    else:
        QTimer.singleShot(0, lambda: warm_spacy(window))
        if first_run:
            from desktop.welcome import show_welcome

            QTimer.singleShot(0, lambda: show_welcome(window))
    code = app.exec()
    window.runner.cancel_all()
    return int(code)
