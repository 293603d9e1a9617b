"""LinksPanel: the links of the selected span, or of the whole story, with delete / retype / note.

Every change is an undo command (``DeleteLinkCommand``, ``RetypeLinkCommand``,
``SetLinkNoteCommand``) on the shared stack. Keys in the list: Delete removes the link, T retypes
it (a ``LinkTypeMenu``, keys 1-9), N edits its note, Enter opens the other end.

Signals:
    spanActivated(int article_id, int span_id): open this span (a link's other end) in the reader.

``install_link_views(window)`` adds this panel, the suggested links and the claims matrix as docks
of the main window, with View ▸ Compare articles… and the navigator's context menu; the docks are
rebuilt for each project and follow the reader's article and span.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QRadioButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.articles import get_article
from db.project import Project
from db.records import LinkRecord
from desktop import link_type_menu
from desktop.icons import icon
from desktop.label_chips import LabelChipsDelegate
from desktop.links_model import LINK_ROLE, NOTE_COL, OTHER_END_ROLE, TYPE_COL, LinksModel
from desktop.project_events import ProjectEvents
from desktop.undo_commands import DeleteLinkCommand, RetypeLinkCommand, SetLinkNoteCommand, push_command


class LinksPanel(QWidget):
    """A list of links with actions; see the module docstring."""

    spanActivated = Signal(int, int)

    def __init__(
        self,
        project: Project,
        undo_stack: QUndoStack,
        events: ProjectEvents,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("linksPanel")
        self.project = project
        self.undo_stack = undo_stack
        self.events = events
        self.model = LinksModel(project, self)
        self._span_id: int | None = None
        self._story_ids: list[int] = []

        self.span_scope = QRadioButton("Selected span", self)
        self.story_scope = QRadioButton("Whole story", self)
        self.span_scope.setChecked(True)
        scopes = QButtonGroup(self)
        scopes.addButton(self.span_scope)
        scopes.addButton(self.story_scope)
        self.span_scope.toggled.connect(lambda _on: self._apply_scope())
        self.count = QLabel(self)
        self.count.setObjectName("linksCount")

        self.table = QTableView(self)
        self.table.setObjectName("linksTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(TYPE_COL, LabelChipsDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TYPE_COL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE_COL, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(NOTE_COL, 120)
        self.table.activated.connect(self._open_other_end)
        self.table.doubleClicked.connect(self._open_other_end)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.retype_button = self._button(
            "mdi6.swap-horizontal", "Change the link's type (T)", self.retype_current
        )
        self.note_button = self._button("note", "Edit the link's note (N)", lambda: self.edit_note_current())
        self.delete_button = self._button("delete", "Delete the link (Delete)", self.delete_current)
        for key, slot in (
            (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_current),
            (QKeySequence(Qt.Key.Key_Backspace), self.delete_current),
            (QKeySequence("T"), self.retype_current),
            (QKeySequence("N"), lambda: self.edit_note_current()),
        ):
            action = QAction(self.table)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _c=False, s=slot: s())
            self.table.addAction(action)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 2)
        bar.addWidget(self.span_scope)
        bar.addWidget(self.story_scope)
        bar.addStretch(1)
        bar.addWidget(self.count)
        for b in (self.retype_button, self.note_button, self.delete_button):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        # Bound methods, not lambdas: Qt drops them with this panel when another project opens.
        events.linksChanged.connect(self._changed)
        events.spansChanged.connect(self._changed)
        events.labelsChanged.connect(self.model.set_link_types)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def _button(self, glyph: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(glyph))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda _c=False: slot())  # type: ignore[operator]
        return button

    # -- what to show --------------------------------------------------------------------------
    def show_span(self, span_id: int | None) -> None:
        """The span selected in the reader (the list follows it when "Selected span" is on)."""
        self._span_id = span_id
        if self.span_scope.isChecked():
            self._apply_scope()

    def show_story(self, article_ids: Sequence[int]) -> None:
        """The articles of the story open in the reader (for "Whole story")."""
        self._story_ids = list(article_ids)
        if self.story_scope.isChecked():
            self._apply_scope()

    def set_story_scope(self, whole_story: bool) -> None:
        (self.story_scope if whole_story else self.span_scope).setChecked(True)

    def refresh(self) -> None:
        current = self.current_link()
        self.model.refresh()
        self._count()
        if current is not None:
            row = self.model.row_of(current.id)
            if row is not None:
                self.table.selectRow(row)

    def _changed(self, *_args: object) -> None:
        self.refresh()

    def _apply_scope(self) -> None:
        if self.span_scope.isChecked():
            self.model.show_span(self._span_id)
        else:
            self.model.show_articles(self._story_ids)
        self._count()

    def _count(self) -> None:
        n = self.model.rowCount()
        if self.span_scope.isChecked() and self._span_id is None:
            self.count.setText("No span selected")
        else:
            self.count.setText(f"{n} link{'s' if n != 1 else ''}")

    # -- actions -------------------------------------------------------------------------------
    def current_link(self) -> LinkRecord | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        index = rows[0] if rows else self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.link(index.row())

    def select_link(self, link_id: int) -> bool:
        row = self.model.row_of(link_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def delete_current(self) -> bool:
        link = self.current_link()
        if link is None:
            return False
        row = self.model.row_of(link.id) or 0
        command = DeleteLinkCommand(
            self.project, self.events, link, type_name=self.model.type_name(link.type)
        )
        ok = push_command(self.undo_stack, command)
        if ok and self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        return ok

    def retype_current(self, link_type: str | None = None) -> bool:
        link = self.current_link()
        if link is None:
            return False
        if link_type is None:
            others = [t for t in self.model.link_types() if t.key != link.type]
            rect = self.table.visualRect(self.model.index(self.model.row_of(link.id) or 0, TYPE_COL))
            at = self.table.viewport().mapToGlobal(rect.bottomLeft())
            link_type = link_type_menu.choose_link_type(self, others, at, title="Change to")
        if link_type is None or link_type == link.type:
            return False
        return push_command(
            self.undo_stack,
            RetypeLinkCommand(
                self.project, self.events, link, link_type, type_name=self.model.type_name(link_type)
            ),
        )

    def edit_note_current(self, note: str | None = None) -> bool:
        link = self.current_link()
        if link is None:
            return False
        if note is None:
            text, ok = QInputDialog.getMultiLineText(self, "Link note", "Note on this link:", link.note or "")
            if not ok:
                return False
            note = text
        if (note.strip() or None) == link.note:
            return False
        return push_command(
            self.undo_stack, SetLinkNoteCommand(self.project, self.events, link, note.strip())
        )

    def _open_other_end(self, index: QModelIndex) -> None:
        end = index.data(OTHER_END_ROLE)
        if end:
            self.spanActivated.emit(int(end[0]), int(end[1]))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        link = index.data(LINK_ROLE)
        menu = QMenu(self)
        menu.addAction(
            icon("mdi6.arrow-right-bold-circle-outline"),
            "Open the other end",
            lambda: self._open_other_end(index),
        )
        retype = menu.addMenu(icon("mdi6.swap-horizontal"), "Change type to")
        for lt in self.model.link_types():
            action = retype.addAction(link_type_menu.link_type_icon(lt.color), lt.name)
            action.setEnabled(lt.key != link.type)
            action.triggered.connect(lambda _c=False, k=lt.key: self.retype_current(k))
        menu.addAction(icon("note"), "Edit note…", lambda: self.edit_note_current())
        menu.addSeparator()
        menu.addAction(icon("delete"), "Delete link", self.delete_current)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _update_buttons(self) -> None:
        has = self.current_link() is not None
        for b in (self.retype_button, self.note_button, self.delete_button):
            b.setEnabled(has)


# -- the main window's link views ----------------------------------------------------------------


def install_link_views(window: Any) -> None:
    """Add the links, suggested links and claims matrix docks and the View menu entries to the
    main window (``desktop.main_window.MainWindow``); they follow its project, reader and story."""
    from PySide6.QtWidgets import QDockWidget

    from desktop.claims_matrix_view import ClaimsMatrixView
    from desktop.link_suggestions_panel import LinkSuggestionsPanel

    docks: dict[str, QDockWidget] = {}
    for name, title in (("links", "Links"), ("suggestions", "Suggested links"), ("matrix", "Claims matrix")):
        dock = QDockWidget(title, window)
        dock.setObjectName(f"{name}Dock")
        area = Qt.DockWidgetArea.BottomDockWidgetArea
        window.addDockWidget(area, dock)
        dock.hide()
        docks[name] = dock
    window.tabifyDockWidget(docks["links"], docks["suggestions"])
    window.links_dock, window.suggestions_dock, window.matrix_dock = (
        docks["links"],
        docks["suggestions"],
        docks["matrix"],
    )
    window.compare_windows = []

    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text() == "&View"), None)
    window.compare_action = QAction(icon("mdi6.compare-horizontal"), "&Compare articles…", window)
    window.compare_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
    window.compare_action.setStatusTip(
        "The open article beside the others of its story, links drawn between them"
    )
    window.compare_action.triggered.connect(lambda: open_compare(window))
    window.addAction(window.compare_action)
    toggles = []
    for dock, key in (
        (docks["matrix"], "Ctrl+Shift+M"),
        (docks["links"], None),
        (docks["suggestions"], None),
    ):
        toggle = dock.toggleViewAction()
        if key:
            toggle.setShortcut(QKeySequence(key))
        toggles.append(toggle)
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addAction(window.compare_action)
        view_menu.addActions(toggles)

    def story_of(article_id: int) -> tuple[str | None, list[int]]:
        from desktop.compare_view import story_article_ids

        shown = getattr(window.reader, "article", None)
        article = (
            shown if shown is not None and shown.id == article_id else get_article(window.project, article_id)
        )
        if article.story is None:
            return None, [article_id]
        story, ids = getattr(window, "_link_story", (None, []))
        if story == article.story and article_id in ids:
            return story, ids  # J / K within one story: no need to list it again
        return article.story, story_article_ids(window.project, article_id)

    def article_shown(article_id: int) -> None:
        story, ids = story_of(article_id)
        links = docks["links"].widget()
        if isinstance(links, LinksPanel):
            links.show_story(ids)
        suggestions = docks["suggestions"].widget()
        if isinstance(suggestions, LinkSuggestionsPanel) and docks["suggestions"].isVisible():
            suggestions.set_story(story)
        matrix = docks["matrix"].widget()
        if isinstance(matrix, ClaimsMatrixView) and matrix.story != story and docks["matrix"].isVisible():
            matrix.set_story(story, set(ids))
        window._link_story = (story, ids)

    def span_selected(span_id: object) -> None:
        sid = span_id if isinstance(span_id, int) else None
        links = docks["links"].widget()
        if isinstance(links, LinksPanel):
            links.show_span(sid)
        suggestions = docks["suggestions"].widget()
        if isinstance(suggestions, LinkSuggestionsPanel):
            suggestions.set_span(sid)

    def dock_shown(name: str, visible: bool) -> None:
        # Docks fill lazily: a hidden matrix or suggestion list costs nothing.
        story, ids = getattr(window, "_link_story", (None, []))
        widget = docks[name].widget()
        if visible and isinstance(widget, ClaimsMatrixView) and widget.story != story:
            widget.set_story(story, set(ids))
        if visible and isinstance(widget, LinkSuggestionsPanel):
            widget.set_story(story)

    for name in ("matrix", "suggestions"):
        docks[name].visibilityChanged.connect(lambda visible, n=name: dock_shown(n, visible))

    def project_opened(_location: str) -> None:
        project = window.project
        if project is None:
            return
        window._link_story = (None, [])
        links = LinksPanel(project, window.undo_stack, window.events, window)
        links.spanActivated.connect(lambda a, sid: open_span(window, a, sid))
        suggestions = LinkSuggestionsPanel(
            project, window.undo_stack, window.events, window.annotator, window.runner, window
        )
        suggestions.passageActivated.connect(window.open_match)
        matrix = ClaimsMatrixView(project, window.events, window.runner, window)
        matrix.spanActivated.connect(lambda a, sid: open_span(window, a, sid))
        for name, widget in (("links", links), ("suggestions", suggestions), ("matrix", matrix)):
            old = docks[name].widget()
            docks[name].setWidget(widget)
            if old is not None:
                old.deleteLater()
        reader = window.reader
        if reader is not None and hasattr(reader, "spanSelected"):
            reader.spanSelected.connect(span_selected)
            reader.articleShown.connect(article_shown)
            article = getattr(reader, "article", None)
            if article is not None:
                article_shown(article.id)
        navigator = window.navigator
        if (
            navigator is not None
            and navigator.tree.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu
        ):
            navigator.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            navigator.tree.customContextMenuRequested.connect(
                lambda pos, nav=navigator: _navigator_menu(window, nav, pos)
            )

    window.projectOpened.connect(project_opened)
    if window.project is not None:
        project_opened(window.project.location)


def open_compare(window: Any, article_id: int | None = None) -> Any:
    """Open a compare window on ``article_id`` (default: the reader's article) and its story."""
    from desktop.compare_view import compare_story

    if window.project is None:
        return None
    if article_id is None:
        article = getattr(window.reader, "article", None)
        article_id = article.id if article is not None else None
    if article_id is None:
        window.statusBar().showMessage("Open an article first: the compare view starts from it.", 5000)
        return None
    view = compare_story(
        window.project,
        window.undo_stack,
        window.events,
        window.annotator,
        article_id,
        layers=window.visible_layers or [window.annotator],
        parent=window,
    )
    view.spanActivated.connect(lambda a, sid: open_span(window, a, sid))
    window.compare_windows = [w for w in window.compare_windows if w.isVisible()] + [view]
    view.show()
    return view


def open_span(window: Any, article_id: int, span_id: int) -> None:
    """Open a span in the reader; a span of a layer the reader hides is shown as a text selection."""
    from db.errors import NotFoundError
    from db.spans import get_span

    window.open_span(article_id, span_id)
    view = getattr(window.reader, "view", None)
    if view is None or view.selected_span_id() == span_id:
        return
    try:
        span = get_span(window.project, span_id)
    except NotFoundError:
        return
    window.open_match(article_id, span.start, span.end)
    window.statusBar().showMessage(
        f"That span is in {span.annotator}'s layer, which the reader hides (View ▸ Show layers).", 8000
    )


def _navigator_menu(window: Any, navigator: Any, pos: QPoint) -> None:
    menu = navigator_menu(window, navigator, pos)
    if menu is not None:
        menu.exec(navigator.tree.viewport().mapToGlobal(pos))


def navigator_menu(window: Any, navigator: Any, pos: QPoint) -> QMenu | None:
    """The navigator's context menu for the row at ``pos`` (a story, outlet or article)."""
    index = navigator.tree.indexAt(pos)
    if not index.isValid():
        return None
    model = navigator.model
    article_id = model.article_id(index)
    if article_id is None:
        article_id = model.article_id(model.neighbour(index, 1))
    if article_id is None:
        return None
    menu = QMenu(navigator)
    menu.addAction(
        icon("mdi6.compare-horizontal"),
        "Compare articles of this story…",
        lambda: open_compare(window, article_id),
    )

    def show_matrix() -> None:
        window.show_article(article_id)
        window.matrix_dock.show()
        window.matrix_dock.raise_()

    menu.addAction(icon("mdi6.table-large"), "Claims matrix", show_matrix)
    return menu
