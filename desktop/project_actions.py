"""The main window's menus, toolbar and file actions: new / open / recent / import / export.

Kept apart from ``main_window`` so that the window class stays about layout and selection.
Import and export run as background jobs; a bad file is reported (file and line) without
stopping the others.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMenu, QMessageBox, QSizePolicy, QToolBar, QWidget

from db.errors import NewerVersionError, NewsmarkError, NotAProjectError
from db.project import PROJECT_SUFFIX, Project
from desktop.actions import make_action
from desktop.icons import icon
from desktop.jobs import Job

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

IMPORT_FILTER = (
    "Articles and annotations (*.txt *.html *.htm *.jsonl *.json);;"
    "Plain text (*.txt);;Web pages (*.html *.htm);;JSONL (*.jsonl);;Label Studio (*.json);;All files (*)"
)
#: At most this many bad files are listed in the import report.
REPORT_LIMIT = 25


def build_actions(w: MainWindow) -> None:
    """Create the menus, the toolbars and their actions on the window."""
    stack = w.undo_stack
    w.undo_action = stack.createUndoAction(w, "&Undo")
    w.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    w.undo_action.setIcon(icon("undo"))
    w.redo_action = stack.createRedoAction(w, "&Redo")
    w.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Shift+Z")])
    w.redo_action.setIcon(icon("redo"))

    w.new_action = make_action(
        w, "&New project…", "new", lambda: new_project(w), QKeySequence.StandardKey.New
    )
    w.open_action = make_action(
        w, "&Open project…", "open", lambda: open_project_dialog(w), QKeySequence.StandardKey.Open
    )
    w.import_action = make_action(
        w,
        "&Import…",
        "import",
        lambda: import_dialog(w),
        "Ctrl+I",
        "Import articles and annotations (or drop files on the window)",
    )
    w.export_action = make_action(
        w, "&Export…", "export", lambda: export_dialog(w), "Ctrl+E", "Export the annotations"
    )
    w.annotator_action = make_action(w, "Change &annotator…", "annotator", w.change_annotator)
    w.quit_action = make_action(w, "&Quit", "quit", w.close, QKeySequence.StandardKey.Quit)
    w.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    w.find_action = make_action(w, "&Find in article…", "find", w.focus_find, QKeySequence.StandardKey.Find)
    w.find_next_action = make_action(
        w, "Find &next", None, w.find_in_article, QKeySequence.StandardKey.FindNext
    )
    w.find_previous_action = make_action(
        w, "Find pre&vious", None, lambda: w.find_in_article(True), QKeySequence.StandardKey.FindPrevious
    )
    w.find_corpus_action = make_action(
        w,
        "Find in &corpus…",
        "find_corpus",
        lambda: w.find_in_corpus(w.find_edit.text() or None),
        "Ctrl+Shift+F",
    )
    w.labels_action = make_action(
        w, "&Labels…", "labels", w.edit_labels, tip="Rename, recolour, define or add labels"
    )
    w.delete_action = make_action(
        w,
        "&Delete span",
        "delete",
        lambda: _reader_call(w, "delete_selected"),
        QKeySequence.StandardKey.Delete,
    )
    w.next_action = make_action(
        w, "Next article", "next", lambda: w.navigator and w.navigator.next_article(), "J", "Next article (J)"
    )
    w.previous_action = make_action(
        w,
        "Previous article",
        "previous",
        lambda: w.navigator and w.navigator.previous_article(),
        "K",
        "Previous article (K)",
    )
    for action in (w.next_action, w.previous_action):
        # J / K work wherever the focus is in the window (the reader included); text boxes keep
        # their letters because they claim printable keys before shortcuts fire.
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    w.filter_action = make_action(
        w, "Filter articles", None, lambda: w.navigator and _focus(w.navigator.filter_edit), "Ctrl+L"
    )
    w.shortcuts_action = make_action(
        w, "&Shortcuts and labels", "help", w.show_shortcuts, QKeySequence.StandardKey.HelpContents
    )
    w.about_action = make_action(w, "&About Newsmark", "about", w.show_about)
    w.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([w.new_action, w.open_action])
    w.recent_menu = QMenu("Open &recent", w)
    w.recent_menu.setIcon(icon("mdi6.history"))
    w.recent_menu.aboutToShow.connect(lambda: fill_recent_menu(w))
    file_menu.addMenu(w.recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([w.import_action, w.export_action])
    file_menu.addSeparator()
    file_menu.addAction(w.annotator_action)
    file_menu.addSeparator()
    file_menu.addAction(w.quit_action)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addActions([w.undo_action, w.redo_action])
    edit_menu.addSeparator()
    edit_menu.addAction(w.delete_action)
    edit_menu.addSeparator()
    edit_menu.addActions([w.find_action, w.find_next_action, w.find_previous_action, w.find_corpus_action])
    edit_menu.addSeparator()
    edit_menu.addAction(w.labels_action)

    view_menu = bar.addMenu("&View")
    view_menu.addActions([w.next_action, w.previous_action, w.filter_action])
    view_menu.addSeparator()
    for dock in (w.navigator_dock, w.inspector_dock, w.search_dock):
        view_menu.addAction(dock.toggleViewAction())
    view_menu.addSeparator()
    counts = view_menu.addMenu("Count spans of")
    group = QActionGroup(w)
    w.count_all_action = QAction("Every annotator", w, checkable=True)
    w.count_mine_action = QAction("My layer only", w, checkable=True)
    for action in (w.count_all_action, w.count_mine_action):
        group.addAction(action)
        counts.addAction(action)
    (w.count_all_action if w.settings.count_all_layers else w.count_mine_action).setChecked(True)
    w.count_all_action.triggered.connect(lambda: w.set_count_all_layers(True))
    w.count_mine_action.triggered.connect(lambda: w.set_count_all_layers(False))

    w.layers_menu = view_menu.addMenu("Show &layers")
    w.layers_menu.aboutToShow.connect(lambda: fill_layers_menu(w))

    help_menu = bar.addMenu("&Help")
    help_menu.addActions([w.shortcuts_action, w.about_action])

    main_bar = QToolBar("Main", w)
    main_bar.setObjectName("mainToolbar")
    main_bar.setMovable(False)
    main_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    main_bar.addActions([w.open_action, w.import_action, w.export_action])
    main_bar.addSeparator()
    main_bar.addActions([w.undo_action, w.redo_action])
    main_bar.addSeparator()
    main_bar.addActions([w.previous_action, w.next_action])
    main_bar.addSeparator()
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, main_bar)

    w.label_bar = QToolBar("Labels", w)
    w.label_bar.setObjectName("labelToolbar")
    w.label_bar.setMovable(False)
    w.label_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, w.label_bar)

    find_bar = QToolBar("Find", w)
    find_bar.setObjectName("findToolbar")
    find_bar.setMovable(False)
    spacer = QWidget(w)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    find_bar.addWidget(spacer)
    w.find_edit = QLineEdit(w)
    w.find_edit.setObjectName("findEdit")
    w.find_edit.setPlaceholderText("Find in corpus (Ctrl+Shift+F)")
    w.find_edit.setClearButtonEnabled(True)
    w.find_edit.setFixedWidth(240)
    w.find_edit.addAction(icon("find_corpus"), QLineEdit.ActionPosition.LeadingPosition)
    w.find_edit.returnPressed.connect(lambda: w.find_in_corpus(w.find_edit.text() or None))
    find_bar.addWidget(w.find_edit)
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, find_bar)
    w.addActions(all_actions(w))
    # Review menu, review dock, File ▸ Merge colleague's work… (desktop/review_setup.py).
    from desktop import review_setup

    review_setup.install(w)
    # Help ▸ Welcome / Annotation guidelines, Edit ▸ Settings…, File ▸ Restore from backup…, and
    # the live refresh that shows colleagues' new spans (desktop/welcome.py and its neighbours).
    from desktop import backups_dialog, live_refresh, settings_dialog, welcome

    for part in (welcome, settings_dialog, backups_dialog, live_refresh):
        part.install(w)


def all_actions(w: MainWindow) -> list[QAction]:
    """Every window action, in the order the Help page lists them."""
    names = [
        "new_action",
        "open_action",
        "import_action",
        "export_action",
        "quit_action",
        "undo_action",
        "redo_action",
        "delete_action",
        "find_action",
        "find_next_action",
        "find_previous_action",
        "find_corpus_action",
        "labels_action",
        "next_action",
        "previous_action",
        "filter_action",
        "shortcuts_action",
    ]
    return [getattr(w, n) for n in names] + list(getattr(w, "_label_actions", []))


def project_only_actions(w: MainWindow) -> list[QAction]:
    names = [
        "import_action",
        "export_action",
        "delete_action",
        "find_action",
        "find_next_action",
        "find_previous_action",
        "find_corpus_action",
        "labels_action",
        "next_action",
        "previous_action",
        "filter_action",
    ]
    return [getattr(w, n) for n in names if hasattr(w, n)]


def _focus(widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
    if isinstance(widget, QLineEdit):
        widget.selectAll()


def _reader_call(w: MainWindow, name: str) -> None:
    method = getattr(w.reader, name, None)
    if callable(method):
        method()


# -- projects ----------------------------------------------------------------------------------


def explain_open_error(parent: QWidget, location: str, exc: NewsmarkError) -> None:
    """A message box that says what went wrong and what to do (never a traceback)."""
    if isinstance(exc, NotAProjectError):
        advice = (
            "Choose a Newsmark project (*.newsmark), or create a new project and import the file into it."
        )
    elif isinstance(exc, NewerVersionError):
        advice = "Install the latest Newsmark to open it. The project was left unchanged."
    else:
        advice = "Check that the file exists and that you may read and write it, then try again."
    box = QMessageBox(
        QMessageBox.Icon.Warning, "Cannot open the project", f"<b>{html.escape(str(exc))}</b>", parent=parent
    )
    box.setInformativeText(advice)
    box.setObjectName("openErrorBox")
    box.exec()


def open_or_explain(parent: QWidget, location: str, *, create: bool = True) -> Project | None:
    """``db.project.open_project``, or None after a message box that says what to do.

    Anything the database driver raises (a damaged file, a refused connection) is explained the
    same way: the user sees a sentence, never a traceback."""
    from db.project import open_project

    try:
        return open_project(location, create=create)
    except NewsmarkError as exc:
        explain_open_error(parent, location, exc)
    except Exception as exc:  # sqlite3 / SQLAlchemy / OS errors that the core did not word
        explain_open_error(parent, location, NewsmarkError(f"{location} could not be opened: {exc}"))
    return None


def new_project(w: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(
        w,
        "New project",
        str(Path.home() / f"analysis{PROJECT_SUFFIX}"),
        f"Newsmark project (*{PROJECT_SUFFIX})",
    )
    if not path:
        return
    if not path.endswith(PROJECT_SUFFIX):
        path += PROJECT_SUFFIX
    if Path(path).exists():
        QMessageBox.warning(w, "New project", f"{path} already exists. Open it with File ▸ Open project….")
        return
    w.open_location(path)


def open_project_dialog(w: MainWindow) -> None:
    start = str(Path(w.project.path).parent) if w.project and w.project.path else str(Path.home())
    path, _ = QFileDialog.getOpenFileName(
        w, "Open project", start, f"Newsmark project (*{PROJECT_SUFFIX});;All files (*)"
    )
    if path:
        w.open_location(path)


def fill_recent_menu(w: MainWindow) -> None:
    menu = w.recent_menu
    menu.clear()
    recent = w.settings.recent_projects
    for loc in recent:
        label = Path(loc).name if "://" not in loc else loc
        action = menu.addAction(label)
        action.setToolTip(loc)
        action.setStatusTip(loc)
        action.triggered.connect(lambda _c=False, where=loc: w.open_location(where))
    if not recent:
        menu.addAction("No recent projects").setEnabled(False)
    else:
        menu.addSeparator()
        menu.addAction("Clear list", w.settings.clear_recent)


def default_layers(project: Project, annotator: str) -> list[str]:
    """The user's own layer; in the demo project also the demo's hand annotations."""
    from db.annotators import list_annotators
    from db.demo import DEMO_ANNOTATOR, demo_project_path

    if project.path is not None and project.path == demo_project_path().resolve():
        others = [a for a in list_annotators(project) if a == DEMO_ANNOTATOR]
        return [annotator, *others]
    return [annotator]


def fill_layers_menu(w: MainWindow) -> None:
    from db.annotators import list_annotators

    menu = w.layers_menu
    menu.clear()
    if w.project is None:
        return
    shown = set(w.visible_layers or [w.annotator])
    names = list(dict.fromkeys([w.annotator, *list_annotators(w.project)]))
    for name in names:
        action = menu.addAction(f"{name} (you)" if name == w.annotator else name)
        action.setCheckable(True)
        action.setChecked(name in shown)
        action.setEnabled(name != w.annotator)  # your own layer is always shown

        def toggle(checked: bool, who: str = name) -> None:
            layers = [n for n in names if (n in shown and n != who) or (n == who and checked)]
            w.set_visible_layers(layers)

        action.toggled.connect(toggle)


# -- import ------------------------------------------------------------------------------------


def import_dialog(w: MainWindow) -> None:
    paths, _ = QFileDialog.getOpenFileNames(w, "Import articles", str(Path.home()), IMPORT_FILTER)
    if paths:
        import_paths(w, paths)


def import_paths(w: MainWindow, paths: list[str]) -> Job | None:
    """Import files in the background; the navigator refreshes and a report lists bad files."""
    if w.project is None or not paths:
        return None
    from db.importing import import_paths as run_import

    annotator = w.annotator

    def work(project: Project, job: Job) -> Any:
        return run_import(project, paths, annotator=annotator, progress=job.progress, cancel=job.is_cancelled)

    names = ", ".join(Path(p).name for p in paths[:3]) + ("…" if len(paths) > 3 else "")
    return w.start_job(work, f"Importing {names}", finished=w.import_finished, failed=w.import_failed)


def import_done(w: MainWindow, summary: Any) -> None:
    """Refresh the corpus views and report what the import did (bad files in a dialog)."""
    w.refresh_corpus()
    if summary.articles_added:
        from desktop.maintenance import start_maintenance

        start_maintenance(w.runner, w.project)
    added = summary.articles_added
    text = f"Imported {added} article{'s' if added != 1 else ''}, {summary.spans_added} spans"
    if summary.articles_present:
        text += f" ({summary.articles_present} already in the project)"
    if summary.cancelled:
        text += "; cancelled before the end"
    w.statusBar().showMessage(text, 10_000)
    errors = summary.errors
    if errors:
        shown = "".join(
            f"<li><b>{html.escape(Path(e.path).name)}</b>{f', line {e.line}' if e.line is not None else ''}: "
            f"{html.escape(e.message)}</li>"
            for e in errors[:REPORT_LIMIT]
        )
        more = f"<p>…and {len(errors) - REPORT_LIMIT} more.</p>" if len(errors) > REPORT_LIMIT else ""
        bad = len(errors)
        report(
            w,
            "Some files were not imported",
            f"{text}.<br><br>{bad} file{'s' if bad != 1 else ''} could not be imported (nothing of "
            f"{'them' if bad != 1 else 'it'} was stored):<ul>{shown}</ul>{more}",
            details="\n".join(str(e) for e in errors),
        )


def report(w: MainWindow, title: str, message: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, w)
    box.setObjectName("importReport")
    box.setTextFormat(Qt.TextFormat.RichText)
    if details:
        box.setDetailedText(details)
    w.last_report = box
    box.open()


# -- export ------------------------------------------------------------------------------------


def export_dialog(w: MainWindow) -> None:
    if w.project is None:
        return
    from desktop.export_dialog import ExportDialog

    dialog = ExportDialog(w.project, w.annotator, w)
    w.last_export_dialog = dialog
    if dialog.exec() != ExportDialog.DialogCode.Accepted or not dialog.path:
        return
    options = dialog.options()
    fmt = options.pop("fmt")
    export_to(w, dialog.path, fmt, **options)


def export_to(w: MainWindow, path: str, fmt: str | None, **options: Any) -> Job | None:
    """Export in a background job (progress bar and Cancel in the status bar); ``options`` are
    the filters of ``db.exporting.export`` (annotator, gold, labels, outlets, ...)."""
    if w.project is None:
        return None
    from db.exporting import ExportCancelled, export

    def work(project: Project, job: Job) -> Any:
        try:
            summary = export(
                project, path, fmt=fmt, progress=job.progress, cancel=job.is_cancelled, **options
            )
        except ExportCancelled:
            return path, None  # a cancel is the analyst's choice, not a failure: nothing was written
        return path, summary

    return w.start_job(
        work, f"Exporting to {Path(path).name}", finished=w.export_finished, failed=w.export_failed
    )
