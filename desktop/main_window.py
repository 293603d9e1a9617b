"""Newsmark's main window: navigator (left), reader (centre), span inspector over the article's
span list (right), corpus search (bottom, on demand); label toolbar, menus, status bar.

Per-project parts (reader, navigator, inspector, span list, search) are built by
``set_project``; opening another project replaces them. Slow work goes through ``JobRunner``.

Startup can build the window in two stages (``desktop.app``): ``MainWindow(..., staged=True)`` is
the frame only (docks, status bar, placeholder menus and toolbar row), ``show_quick`` fills the
navigator from a ``db.quickread.QuickCorpus``; ``complete()`` then builds the rest (actions,
menus, toolbars, panels) and ``set_project`` attaches the opened project to that same navigator.
An article picked in between opens once the project is there. This module imports only
PySide6 and light modules at the top; the rest is imported by ``complete`` and the methods.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QToolBar,
    QWidget,
)

from desktop.navigator import Navigator
from desktop.settings import Settings

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QDialog, QMessageBox

    from db.project import Project
    from db.quickread import QuickCorpus
    from desktop.corpus_search import CorpusSearch
    from desktop.jobs import Job, JobRunner
    from desktop.labels_dialog import LabelsDialog
    from desktop.shortcuts_dialog import ShortcutsDialog
    from desktop.span_inspector import SpanInspector
    from desktop.span_list_model import SpanListModel

#: The menus the finished window's menu bar starts with; the frame shows them as placeholders.
FRAME_MENUS = ("&File", "&Edit", "&View", "&Annotate", "&Review", "&Help")


class MainWindow(QMainWindow):
    """The application window. Emits ``projectOpened(str location)`` and ``ready()``."""

    projectOpened = Signal(str)
    ready = Signal()

    def __init__(
        self, settings: Settings, annotator: str, parent: QWidget | None = None, *, staged: bool = False
    ) -> None:
        """``staged``: build only the frame; the caller calls ``complete()`` once the first screen
        has been painted."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.resize(1480, 900)
        self.settings = settings
        self.annotator = annotator
        self.project: Project | None = None
        self.runner: JobRunner | None = None  # set by complete()
        self.completed = False
        #: An article picked before the project was open (staged startup); opened by set_project.
        self.pending_article: int | None = None
        self.undo_stack = QUndoStack(self)
        self.reader: QWidget | None = None
        self.navigator: Navigator | None = None
        self.inspector: SpanInspector | None = None
        self.span_model: SpanListModel | None = None
        self.search: CorpusSearch | None = None
        self.last_report: QMessageBox | None = None
        self._label_actions: list[QAction] = []
        #: Annotators whose spans the reader and the span list show; None: only the user's own.
        self.visible_layers: list[str] | None = None

        self._build_docks()
        self._build_status_bar()
        geometry, state = settings.window_layout()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        self.setWindowTitle("Newsmark")
        self._frame_parts: list[QObject] = []
        if staged:
            self.setCentralWidget(QWidget(self))  # the reader's place
            self._build_frame_placeholders()
        else:
            self.complete()

    def complete(self) -> None:
        """Build everything the frame left out: actions, menus, toolbars, panels, job runner."""
        if self.completed:
            return
        from desktop import project_actions, suggestions_setup
        from desktop.icons import app_icon
        from desktop.job_status import JobStatus
        from desktop.jobs import JobRunner
        from desktop.links_panel import install_link_views
        from desktop.project_events import ProjectEvents

        self.setWindowIcon(app_icon())
        # Hidden until asked for: not part of the first screen.
        self.search_dock = QDockWidget("Find in corpus", self)
        self.search_dock.setObjectName("searchDock")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.search_dock)
        self.search_dock.hide()
        self._build_span_table()
        self.runner = JobRunner(self)
        self.events = ProjectEvents(self)
        updates = self.updatesEnabled()
        self.setUpdatesEnabled(False)  # the placeholders give way to the real bars in one paint
        for part in self._frame_parts:
            if isinstance(part, QToolBar):
                self.removeToolBar(part)
                part.setObjectName("")  # the real label bar's name, in the saved state too
            elif isinstance(part, QWidget):
                self.statusBar().removeWidget(part)
            part.deleteLater()
        self._frame_parts = []
        self.menuBar().clear()
        project_actions.build_actions(self)
        install_link_views(self)  # links, suggested links, claims matrix, View > Compare
        suggestions_setup.install(self)  # Annotate menu, Who said what dock (span suggestions)
        self.job_status = JobStatus(self)
        self.statusBar().insertPermanentWidget(0, self.job_status)
        self.events.spansChanged.connect(self._spans_changed)
        self.events.linksChanged.connect(lambda _ids: self.inspector and self.inspector.refresh())
        self.events.labelsChanged.connect(self._labels_changed)
        self.events.commandFailed.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        _geometry, state = self.settings.window_layout()
        if state is not None:
            self.restoreState(state)  # again: the toolbars and docks added here have places too
        self.completed = True
        self._update_title()
        self.setUpdatesEnabled(updates)

    def _build_span_table(self) -> None:
        from PySide6.QtWidgets import QAbstractItemView, QTableView

        from desktop.label_chips import LabelChipsDelegate

        self.span_table = QTableView(self)
        self.span_table.setObjectName("spanList")
        self.span_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.span_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.span_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.span_table.setShowGrid(False)
        self.span_table.setWordWrap(False)
        self.span_table.verticalHeader().hide()
        self.span_table.setItemDelegateForColumn(0, LabelChipsDelegate(self.span_table))
        self.span_table.clicked.connect(self._span_row_clicked)
        self.span_table.activated.connect(self._span_row_clicked)

    def _build_frame_placeholders(self) -> None:
        """The menu bar's titles and the toolbar row's height, until ``complete()`` fills them."""
        for title in FRAME_MENUS:  # titles only: a QMenu each would cost more and show nothing
            self._frame_parts.append(self.menuBar().addAction(title))
        from PySide6.QtGui import QIcon, QPixmap
        from PySide6.QtWidgets import QSizePolicy

        bar = QToolBar("Main", self)
        # Named as the label buttons' bar, whose buttons the style sheet makes the row's tallest
        # (complete() takes the name back before it builds the real one).
        bar.setObjectName("labelToolbar")
        bar.setMovable(False)
        # A blank button as tall as the label buttons and the find field (with its icon's place)
        # where the real row has them, so that nothing moves when the real toolbars replace this.
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        blank = QPixmap(16, 16)
        blank.fill(Qt.GlobalColor.transparent)
        action = bar.addAction(QIcon(blank), " ")
        action.setEnabled(False)
        bar.widgetForAction(action).setStyleSheet("border-color: transparent;")  # its size, unseen
        spacer = QWidget(bar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        find = QLineEdit(bar)
        find.setPlaceholderText("Find in corpus (Ctrl+Shift+F)")
        find.setFixedWidth(240)
        find.addAction(QIcon(blank), QLineEdit.ActionPosition.LeadingPosition)
        find.setEnabled(False)
        bar.addWidget(find)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self._frame_parts.append(bar)
        # The job strip complete() puts in the status bar is hidden when idle, yet the status bar
        # is as tall as it (QStatusBar counts hidden widgets): a hidden button the size of the
        # strip's Cancel button gives it that height now.
        from PySide6.QtWidgets import QToolButton

        strip = QToolButton(self.statusBar())
        strip.setIcon(QIcon(blank))
        strip.setAutoRaise(True)
        strip.hide()
        self.statusBar().insertPermanentWidget(0, strip)
        self._frame_parts.append(strip)

    def show_quick(self, quick: QuickCorpus) -> None:
        """The first screen of a staged start: the navigator filled from ``quick`` (its project
        not open yet), the project's name and counts in the title and the status bar."""
        # Built inside its dock: a widget moved into another parent is re-polished by the style
        # sheet, and its tree laid out again.
        self.navigator = Navigator(None, (), self.navigator_dock, quick=quick)  # labels: when needed
        self.navigator.articleActivated.connect(self.show_article)
        self.navigator.order_box.currentIndexChanged.connect(self._remember_order)
        self.navigator_dock.setWidget(self.navigator)
        self.setWindowTitle(f"{quick.name} — Newsmark")
        self.project_label.setText(f"  {quick.name}  ")
        self.project_label.setToolTip(str(quick.path))
        self._show_counts(*quick.totals())

    # -- building ------------------------------------------------------------------------------
    def _build_docks(self) -> None:
        self.navigator_dock = QDockWidget("Corpus", self)
        self.navigator_dock.setObjectName("navigatorDock")
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.navigator_dock)
        self.inspector_dock = QDockWidget("Span", self)
        self.inspector_dock.setObjectName("inspectorDock")
        # Widgets are made inside the parent they end up in: one moved later is re-polished by the
        # style sheet (with all its children).
        self.right_split = QSplitter(Qt.Orientation.Vertical, self.inspector_dock)
        self.right_split.setChildrenCollapsible(False)
        self.inspector_dock.setWidget(self.right_split)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.resizeDocks([self.navigator_dock, self.inspector_dock], [480, 420], Qt.Orientation.Horizontal)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.annotator_label = QLabel(bar)
        self.annotator_label.setObjectName("annotatorStatus")
        self.project_label = QLabel(bar)
        self.project_label.setObjectName("projectStatus")
        self.counts_label = QLabel(bar)
        self.counts_label.setObjectName("countsStatus")
        for widget in (self.annotator_label, self.project_label, self.counts_label):
            bar.addPermanentWidget(widget)
        self._update_status()

    def rebuild_label_toolbar(self) -> None:
        """One button per label (its colour, its key, its definition as tooltip)."""
        from PySide6.QtGui import QAction, QKeySequence

        bar: QToolBar = self.label_bar
        for action in self._label_actions:
            bar.removeAction(action)
            self.removeAction(action)
        self._label_actions = []
        if self.project is None:
            return
        from db.labels import list_labels
        from desktop.icons import label_icon

        for lb in list_labels(self.project):
            action = QAction(label_icon(lb.color), f"{lb.name}", self)
            action.setObjectName(f"label_{lb.key}")
            action.setIconText(f"{lb.name}  {lb.shortcut}" if lb.shortcut else lb.name)
            if lb.shortcut:
                action.setShortcut(QKeySequence(lb.shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(f"<b>{lb.name}</b> ({lb.shortcut or 'no key'})<br>{lb.definition}")
            action.setStatusTip(f"Label the selection as {lb.name}")
            action.triggered.connect(lambda _checked=False, key=lb.key: self.label_selection(key))
            bar.addAction(action)
            self._label_actions.append(action)
        self.labels_changed_actions()

    def labels_changed_actions(self) -> None:
        """Hook for the Help page to pick up new label keys."""

    # -- project -------------------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        """Show ``project``, replacing (and closing) the one shown before."""
        from PySide6.QtWidgets import QHeaderView

        from db.labels import list_labels
        from desktop import project_actions
        from desktop.corpus_search import CorpusSearch
        from desktop.maintenance import start_maintenance
        from desktop.span_inspector import SpanInspector
        from desktop.span_list_model import SpanListModel

        self.complete()
        assert self.runner is not None
        old = self.project
        if old is not None:
            self.runner.cancel_all()
            if self.inspector is not None:
                self.inspector.commit_note()
        self.undo_stack.clear()
        self.project = project
        labels = list_labels(project)
        self.visible_layers = project_actions.default_layers(project, self.annotator)

        quick = self.navigator.model.quick if self.navigator is not None else None
        old_nav: QWidget | None = None
        picked, self.pending_article = self.pending_article, None
        if self.navigator is not None and quick is not None and quick.path == project.path:
            # The first screen read this very file: carry on with its rows (staged startup).
            scroll = self.navigator.tree.verticalScrollBar().value()
            self.navigator.attach_project(project, labels, self.runner)
        else:
            picked = None  # an article of the first screen's file, not of this project
            scroll = 0
            self.navigator = Navigator(project, labels, self, runner=self.runner)
            self.navigator.set_order(_order_from(self.settings.navigator_order))
            self.navigator.set_count_annotator(None if self.settings.count_all_layers else self.annotator)
            self.navigator.articleActivated.connect(self.show_article)
            self.navigator.order_box.currentIndexChanged.connect(self._remember_order)
            old_nav = self.navigator_dock.widget()
            self.navigator_dock.setWidget(self.navigator)

        self.inspector = SpanInspector(project, labels, self)
        self.inspector.relabelRequested.connect(self._relabel)
        self.inspector.noteEdited.connect(self._set_note)
        self.inspector.linkedSpanActivated.connect(self.open_span)
        self.span_model = SpanListModel(project, labels, self)
        self.span_model.set_layers(self.visible_layers or [self.annotator])
        self.span_table.setModel(self.span_model)
        header = self.span_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 110)
        self.span_table.selectionModel().currentRowChanged.connect(self._span_row_changed)
        while self.right_split.count():
            widget = self.right_split.widget(0)
            widget.setParent(None)
        self.right_split.addWidget(self.inspector)
        self.right_split.addWidget(self.span_table)
        self.right_split.setSizes([380, 420])

        self.search = CorpusSearch(project, self.runner, self)
        self.search.hitActivated.connect(self.open_match)
        old_search = self.search_dock.widget()
        self.search_dock.setWidget(self.search)

        old_reader = self.reader
        self.reader = self._make_reader(project)
        self.setCentralWidget(self.reader)
        for widget in (old_nav, old_search, old_reader):
            if widget is not None and widget is not self.span_table:
                widget.deleteLater()
        if old is not None and old is not project:
            old.close()

        self.rebuild_label_toolbar()
        self._update_title()
        self._update_status()
        article_id = picked
        if article_id is None:
            first = self.navigator.model.first_article()
            article_id = self.navigator.model.article_id(first)
        if article_id is not None:
            self.navigator.select_article(article_id)
            if scroll:  # the analyst scrolled the first screen: leave the list where it was
                self.navigator.tree.verticalScrollBar().setValue(scroll)
            self.show_article(article_id)
        self.projectOpened.emit(project.location)
        start_maintenance(self.runner, project)

    def _make_reader(self, project: Project) -> QWidget:
        try:  # the reader is written in parallel; until it lands the centre shows a placeholder
            from desktop.reader_pane import ReaderPane
        except ImportError:  # pragma: no cover - only before desktop/reader_pane.py exists
            ReaderPane = None
        if ReaderPane is None:
            placeholder = QLabel("The reader is not available in this build.", self)
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            placeholder.setObjectName("readerPlaceholder")
            return placeholder
        reader = ReaderPane(project, self.undo_stack, self.events, self.annotator, self)
        if self.visible_layers is not None:
            reader.set_visible_layers(self.visible_layers)
        reader.spanSelected.connect(self._reader_span_selected)
        reader.articleShown.connect(self._article_shown)
        return reader

    def open_location(self, location: str | Path) -> bool:
        """Open a project file or URL; explains a failure in a message box. True if opened."""
        from desktop import project_actions

        project = project_actions.open_or_explain(self, str(location))
        if project is None:
            return False
        self.set_project(project)
        self.settings.add_recent(location)
        return True

    # -- articles and spans --------------------------------------------------------------------
    def show_article(self, article_id: int) -> None:
        if self.project is None and self.navigator is not None and self.navigator.waiting_for_project:
            self.pending_article = article_id  # opened by set_project, once the project is open
            return
        if self.reader is not None and hasattr(self.reader, "show_article"):
            self.reader.show_article(article_id)
        else:
            self._article_shown(article_id)

    def _article_shown(self, article_id: int) -> None:
        if self.span_model is not None:
            self.span_model.show_article(article_id)
        if self.navigator is not None and self.navigator.current_article != article_id:
            self.navigator.select_article(article_id)
        if self.inspector is not None:
            self.inspector.show_span(None)
        self._update_status()

    def open_span(self, article_id: int, span_id: int) -> None:
        """Open an article and select one of its spans (a link's other end)."""
        self.show_article(article_id)
        self.select_span(span_id)

    def open_match(self, article_id: int, start: int, end: int) -> None:
        """Open an article and select the text [start, end) (code points)."""
        self.show_article(article_id)
        view = getattr(self.reader, "view", None)
        if view is not None:
            view.select_text(start, end)
            view.ensureCursorVisible()

    def select_span(self, span_id: int | None) -> None:
        """Select a span everywhere: reader (scrolled to it), inspector, list."""
        select = getattr(self.reader, "select_span", None)
        if callable(select):
            select(span_id)
        self._reader_span_selected(span_id)

    def _reader_span_selected(self, span_id: object) -> None:
        sid = int(span_id) if isinstance(span_id, int) else None
        if self.inspector is not None and self.inspector.span_id != sid:
            self.inspector.show_span(sid)
        if self.span_model is None:
            return
        row = self.span_model.row_of(sid)
        selection = self.span_table.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.span_model.index(row, 0)
        if self.span_table.currentIndex().row() != row:
            from PySide6.QtCore import QItemSelectionModel

            selection.blockSignals(True)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            selection.blockSignals(False)
            self.span_table.viewport().update()
        self.span_table.scrollTo(index)

    def _span_row_clicked(self, index: QModelIndex) -> None:
        from desktop.span_list_model import SPAN_ID_ROLE

        span_id = index.data(SPAN_ID_ROLE)
        if span_id is not None:
            self.select_span(int(span_id))

    def _span_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Only the user's own moves through the list (arrow keys) select; not a model reset.
        if current.isValid() and self.span_table.hasFocus():
            self._span_row_clicked(current)

    def label_selection(self, key: str) -> None:
        if self.reader is not None and hasattr(self.reader, "label_selection"):
            self.reader.label_selection(key)

    def _relabel(self, span_id: int, key: str) -> None:
        if self.project is None:
            return
        from db.labels import list_labels
        from db.spans import get_span
        from desktop.undo_commands import RelabelSpanCommand, push_command

        names = {lb.key: lb.name for lb in list_labels(self.project)}
        span = get_span(self.project, span_id)
        push_command(
            self.undo_stack,
            RelabelSpanCommand(self.project, self.events, span, key, label_name=names.get(key)),
        )

    def _set_note(self, span_id: int, note: str) -> None:
        if self.project is None:
            return
        from db.spans import get_span
        from desktop.undo_commands import SetSpanNoteCommand, push_command

        span = get_span(self.project, span_id)
        push_command(self.undo_stack, SetSpanNoteCommand(self.project, self.events, span, note or None))

    def _spans_changed(self, article_id: int) -> None:
        if self.navigator is not None:
            self.navigator.model.refresh_counts(article_id)
        if self.span_model is not None and self.span_model.article_id == article_id:
            self.span_model.refresh()
            if self.inspector is not None:
                self._reader_span_selected(self.inspector.span_id)
        if self.inspector is not None:
            self.inspector.refresh()

    def _labels_changed(self) -> None:
        if self.project is None:
            return
        from db.labels import list_labels

        labels = list_labels(self.project)
        for part in (self.navigator.model if self.navigator else None, self.inspector, self.span_model):
            if part is not None:
                part.set_labels(labels)
        self.rebuild_label_toolbar()

    # -- menu actions (the rest live in project_actions) ---------------------------------------
    def find_in_article(self, backwards: bool = False) -> None:
        bar = getattr(self.reader, "find_bar", None)
        text = bar.field.text() if bar is not None else ""
        if not text:
            self.focus_find()
        elif self.reader is not None:
            self.reader.find(text, backwards=backwards)

    def focus_find(self) -> None:
        opener = getattr(self.reader, "open_find_bar", None)
        if callable(opener):
            opener()

    def find_in_corpus(self, query: str | None = None) -> None:
        if self.search is None:
            return
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_query(query)
        if query:
            self.search.search_now()

    def edit_labels(self) -> LabelsDialog | None:
        if self.project is None:
            return None
        from desktop.labels_dialog import LabelsDialog

        dialog = LabelsDialog(self.project, self)
        dialog.labelsChanged.connect(self.events.labelsChanged)
        dialog.open()
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        from db.labels import list_labels
        from desktop import project_actions
        from desktop.shortcuts_dialog import ShortcutsDialog

        labels = list_labels(self.project) if self.project else []
        dialog = ShortcutsDialog(project_actions.all_actions(self), labels, self)
        dialog.open()
        return dialog

    def show_about(self) -> QDialog:
        from desktop.about_dialog import AboutDialog

        dialog = AboutDialog(self)
        dialog.open()
        self.about_dialog = dialog
        return dialog

    def change_annotator(self) -> None:
        from desktop.settings import ask_annotator

        name = ask_annotator(self.settings, self, force=True)
        if name:
            self.set_annotator(name)

    def set_annotator(self, name: str) -> None:
        """Annotate as ``name`` from now on (File ▸ Change annotator…, Edit ▸ Settings…)."""
        if name != self.annotator:
            self.annotator = name
            if self.reader is not None and hasattr(self.reader, "set_annotator"):
                self.reader.set_annotator(name)
            if self.visible_layers is not None and name not in self.visible_layers:
                self.set_visible_layers([name, *self.visible_layers])
            if self.navigator is not None and not self.settings.count_all_layers:
                self.navigator.set_count_annotator(name)
            self._update_status()

    def set_visible_layers(self, layers: list[str]) -> None:
        """Show these annotators' spans in the reader and the span list."""
        self.visible_layers = list(layers)
        setter = getattr(self.reader, "set_visible_layers", None)
        if callable(setter):
            setter(self.visible_layers)
        if self.span_model is not None:
            self.span_model.set_layers(self.visible_layers)

    def set_count_all_layers(self, all_layers: bool) -> None:
        self.settings.count_all_layers = all_layers
        if self.navigator is not None:
            self.navigator.set_count_annotator(None if all_layers else self.annotator)

    def _remember_order(self) -> None:
        if self.navigator is not None:
            self.settings.navigator_order = str(self.navigator.order_box.currentData())

    # -- background jobs -----------------------------------------------------------------------
    def start_job(self, work: object, text: str, **callbacks: object) -> Job:
        assert self.runner is not None, "jobs start once the window is complete"
        job = self.runner.start(self.project, work, text, **callbacks)  # type: ignore[arg-type]
        self.job_status.track(job, text)
        return job

    def import_paths(self, paths: list[str]) -> Job | None:
        from desktop import project_actions

        return project_actions.import_paths(self, paths)

    # Job reports arrive at bound slots, so that Qt drops them if the window is gone.
    def import_finished(self, summary: object) -> None:
        from desktop import project_actions

        project_actions.import_done(self, summary)

    def import_failed(self, message: str) -> None:
        from desktop import project_actions

        project_actions.report(self, "Import failed", message)

    def export_finished(self, result: tuple[str, object]) -> None:
        path, summary = result
        if summary is None:
            self.statusBar().showMessage("Export cancelled: nothing was written.", 10_000)
            return
        describe = getattr(summary, "describe", None)
        self.statusBar().showMessage(describe() if describe else f"Exported to {path}", 15_000)

    def export_failed(self, message: str) -> None:
        from desktop import project_actions

        project_actions.report(self, "Export failed", message)

    # -- status --------------------------------------------------------------------------------
    def _update_title(self) -> None:
        name = self.project.name if self.project else "no project"
        self.setWindowTitle(f"{name} — Newsmark")
        if not self.completed:
            return
        from desktop import project_actions

        # Without a project only New, Open, Quit and Help make sense.
        has_project = self.project is not None
        for action in project_actions.project_only_actions(self):
            action.setEnabled(has_project)

    def _update_status(self) -> None:
        self.annotator_label.setText(f"  {self.annotator}  ")
        self.annotator_label.setToolTip("You annotate as this name (File ▸ Change annotator…)")
        if self.project is None:
            self.project_label.setText("")
            self.counts_label.setText("")
            return
        self.project_label.setText(f"  {self.project.name}  ")
        self.project_label.setToolTip(self.project.location)
        from db.corpus import corpus_totals

        self._show_counts(*corpus_totals(self.project))

    def _show_counts(self, articles: int, outlets: int, stories: int) -> None:
        self.counts_label.setText(
            f"  {articles} article{'s' if articles != 1 else ''} · {outlets} outlet{'s' if outlets != 1 else ''}"
            f" · {stories} stor{'ies' if stories != 1 else 'y'}  "
        )

    def refresh_corpus(self) -> None:
        """After an import: re-query the navigator and the counts."""
        if self.navigator is not None:
            self.navigator.reload()
        self._update_status()

    # -- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.inspector is not None:
            self.inspector.commit_note()
        self.settings.save_window_layout(self.saveGeometry(), self.saveState())
        self.settings.sync()
        if self.search is not None:
            self.search.cancel()
        if self.runner is not None:
            self.runner.cancel_all()
        if self.project is not None:
            self.project.close()
        super().closeEvent(event)


def _order_from(value: str) -> object:
    from db.corpus import ArticleOrder

    try:
        return ArticleOrder(value)
    except ValueError:
        return ArticleOrder.DATE
