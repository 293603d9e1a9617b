"""``run_app``: start the Qt application, open a project and show the main window.

Which project: the one given (path or URL), else the last one used, else the demo. The window
shows before spaCy is imported; spaCy warms up in a background job afterwards. A project that
cannot be opened is explained in a message box, then the demo opens instead.

Startup is staged when it can be. Stage 1 imports only PySide6 and the standard library: when the
project is a file at this version's schema head (``db.quickread.open_quick``), the window frame
shows with the navigator filled from a read-only sqlite3 connection. Stage 2 starts once that
window is on screen and painted: SQLAlchemy and the rest of the app are imported, ``open_project``
opens the project as always (WAL, backups, migration check), the window is completed and the
navigator carries on with the opened project. An article picked meanwhile opens then. Stage 2
runs on the GUI thread in short steps (``STAGE2_IMPORTS`` one module each, then the rest), each
queued behind the events that came meanwhile, so the window repaints and the navigator can be
browsed in between; the status bar says "Opening the project…" and the cursor is busy until it
is done. (A variant that imported on a background thread hung once in a few dozen benchmark
runs, cause not found, so the imports stay with the thread that uses them.) Everything else (a
URL, a schema that needs a migration, a missing file, the demo, the welcome screen) starts in
one stage.

What the first screen costs beyond a bare PySide6 window, measured: PySide6 builds the ``Qt``
namespace class with all its 94 enums (about 15 ms of Python ``enum`` work) on its first use, and
any Qt enum crossing into or out of Python uses it (``addDockWidget``'s area, even the overload
check of a plain int, or ``headerData``'s orientation), so a window with docks cannot avoid it;
the font database loads with the first widget that measures text (the status bar, about 6 ms);
the rest is our widgets, the first page of stories and the first paint. No garbage is collected
until the first screen is painted (``desktop.cli``, ``collect_again``).

Environment: ``NEWSMARK_SETTINGS_DIR`` (see ``desktop.settings``); ``NEWSMARK_READY_EXIT`` set
to 1 makes the app print ``NEWSMARK_READY <time.time()> stories=N spacy=0|1`` once the window is
shown with the navigator filled (the end of stage 1), then ``NEWSMARK_FULL <time.time()> ...``
once the whole window is built and the first article open (the end of stage 2), and quit (the
startup benchmark and tests use them).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from db.errors import NewsmarkError
from db.resources import resource

if TYPE_CHECKING:
    from db.project import Project
    from db.quickread import QuickCorpus
    from desktop.main_window import MainWindow
    from desktop.settings import Settings

READY_EXIT_ENV = "NEWSMARK_READY_EXIT"
DEFAULT_ANNOTATOR = "analyst"
#: How often the app looks whether its first window is on screen yet (milliseconds).
STAGE2_POLL_MS = 2
#: Stage 2 imports these one per step, the biggest first (on an idle machine SQLAlchemy takes
#: about 200 ms, its ORM 100 ms, the rest 50 ms or less each), so that no step holds the event
#: loop for long. A module that fails to import here fails again, and is reported, where it is used.
STAGE2_IMPORTS = (
    "sqlalchemy",
    "sqlalchemy.orm",
    "db.models",
    "db.project",
    "db.corpus",
    "desktop.settings_dialog",
    "desktop.error_dialog",
    "desktop.project_actions",
    "desktop.links_panel",
    "desktop.suggestions_setup",
    "desktop.job_status",
    "desktop.corpus_search",
    "desktop.span_inspector",
    "desktop.reader_pane",
)
OPENING_MESSAGE = "Opening the project…"


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


def create_application(argv: list[str] | None = None, *, with_icon: bool = True) -> QApplication:
    """The QApplication with Newsmark's names and stylesheet (and icon, unless ``with_icon`` is
    False: a staged start sets it in stage 2)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("Newsmark")
    app.setOrganizationName("Newsmark")
    app.setApplicationDisplayName("Newsmark")
    app.setDesktopFileName("newsmark")
    if with_icon:
        from desktop.icons import app_icon

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


def quick_start(project: str | None, demo: bool, settings: Settings, annotator: str) -> QuickCorpus | None:
    """The first screen's reader for a staged start, or None to start in one stage."""
    from db.quickread import open_quick

    wanted = None if demo else (project or settings.last_project)
    counted = None if settings.count_all_layers else annotator
    return open_quick(wanted, settings.navigator_order, counted) if wanted else None


def _report(window: MainWindow, what: str) -> None:
    rows = window.navigator.model.story_total() if window.navigator is not None else 0
    spacy = int("spacy" in sys.modules)
    print(f"{what} {time.time():.6f} stories={rows} spacy={spacy}", flush=True)


def collect_again() -> None:
    """Garbage collection back on (``desktop.cli`` turns it off while the first window is built);
    what the startup made stays (``gc.freeze``: later collections need not look at it)."""
    gc.freeze()
    gc.enable()


def when_on_screen(app: QApplication, window: MainWindow, then: Callable[[], None], waited: int = 0) -> None:
    """Call ``then`` once the window is mapped and painted (or after a second at most)."""
    app.processEvents()  # the first paint, once the window is mapped
    if not window.testAttribute(Qt.WidgetAttribute.WA_Mapped) and waited < 1000:
        QTimer.singleShot(STAGE2_POLL_MS, lambda: when_on_screen(app, window, then, waited + STAGE2_POLL_MS))
        return
    then()


def run_app(project: str | None, demo: bool = False) -> int:
    """Run the desktop application until its window closes; returns the exit code."""
    from desktop.settings import Settings

    settings = Settings()
    ready_exit = os.environ.get(READY_EXIT_ENV) == "1"
    # First run (nothing opened before): the welcome screen asks the name and offers the demo,
    # a new project or an import.
    first_run = not ready_exit and project is None and not demo and settings.last_project is None
    app = create_application(with_icon=False)  # the icon: below, or in stage 2
    if settings.theme != "system":
        from desktop.settings_theme import apply_theme

        apply_theme(app, settings.theme)
    annotator = settings.annotator
    if annotator is None:
        if ready_exit or first_run:
            annotator = DEFAULT_ANNOTATOR
        else:
            from desktop.settings import ask_annotator

            annotator = ask_annotator(settings) or DEFAULT_ANNOTATOR
    # Known the annotator (whose spans the navigator may count), the first screen can be read.
    quick = None if first_run else quick_start(project, demo, settings, annotator)
    if quick is None:  # one stage: what stage 2 does, done now
        from desktop.icons import app_icon
        from desktop.settings_dialog import apply_environment

        if not ready_exit:
            from desktop.error_dialog import install_excepthook

            install_excepthook()  # an unexpected error is a dialog and a log entry, not a crash
        apply_environment(settings)  # spaCy pipeline, backup folder
        app.setWindowIcon(app_icon())
    from desktop.main_window import MainWindow

    window = MainWindow(settings, annotator, staged=quick is not None)

    def finished() -> None:
        """The window is complete, its project open: the rest of the startup."""
        if ready_exit:
            app.processEvents()
            _report(window, "NEWSMARK_FULL")
            window.close()
            return
        QTimer.singleShot(0, lambda: warm_spacy(window))
        if first_run:
            from desktop.welcome import show_welcome

            QTimer.singleShot(0, lambda: show_welcome(window))

    if quick is None:
        opened = choose_project(window, project, demo, settings)
        if opened is not None:
            window.set_project(opened)
        window.show()

        def one_stage() -> None:
            collect_again()
            if ready_exit:
                app.processEvents()
                _report(window, "NEWSMARK_READY")
            finished()

        QTimer.singleShot(0, one_stage)
    else:
        window.show_quick(quick)
        window.show()

        def stage2() -> None:
            collect_again()
            if ready_exit:
                _report(window, "NEWSMARK_READY")
            complete_staged(app, window, project, demo, settings, ready_exit, then=finished)

        QTimer.singleShot(0, lambda: when_on_screen(app, window, stage2))
    code = app.exec()
    if window.runner is not None:
        window.runner.cancel_all()
    return int(code)


def run_steps(window: QWidget, steps: list[Callable[[], object]], then: Callable[[], None]) -> None:
    """Call ``steps`` one per turn of the event loop, then ``then``; stop if ``window`` is closed."""
    if not window.isVisible():
        return  # closed meanwhile: the app is quitting
    if not steps:
        then()
        return
    steps[0]()
    QTimer.singleShot(0, lambda: run_steps(window, steps[1:], then))


def _preload(module: str) -> None:
    with contextlib.suppress(ImportError):  # imported again where it is used, which reports it
        importlib.import_module(module)


def complete_staged(
    app: QApplication,
    window: MainWindow,
    project: str | None,
    demo: bool,
    settings: Settings,
    ready_exit: bool,
    then: Callable[[], None] = lambda: None,
) -> None:
    """Stage 2 on the GUI thread, in short steps (``run_steps``): open the project as always,
    complete the window, then call ``then``. The status bar tells the project is opening."""
    from PySide6.QtGui import QCursor

    status = window.statusBar()
    status.showMessage(OPENING_MESSAGE)
    app.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
    # The docks keep the widths the first screen showed them at (what a one-stage start gives):
    # filling them after the window is shown would otherwise let their new contents widen them.
    docks = [window.navigator_dock, window.inspector_dock]
    widths = [dock.width() for dock in docks]

    def environment() -> None:
        from desktop.icons import app_icon
        from desktop.settings_dialog import apply_environment

        if not ready_exit:
            from desktop.error_dialog import install_excepthook

            install_excepthook()
        apply_environment(settings)  # the backup folder, before open_project may back up
        app.setWindowIcon(app_icon())

    def open_and_show() -> None:
        opened = choose_project(window, project, demo, settings)
        if opened is not None:
            window.set_project(opened)

    def done() -> None:
        app.processEvents()  # lay the new contents out, then give the docks their widths back
        window.resizeDocks(docks, widths, Qt.Orientation.Horizontal)
        if status.currentMessage() == OPENING_MESSAGE:
            status.clearMessage()
        app.restoreOverrideCursor()
        then()

    steps: list[Callable[[], object]] = [partial(_preload, name) for name in STAGE2_IMPORTS]
    steps += [environment, window.complete, open_and_show]
    run_steps(window, steps, done)
