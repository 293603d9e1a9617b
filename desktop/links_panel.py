"""LinksPanel: the links of the selected span, or of the whole story, with delete / retype / note.

Every change is an undo command (``DeleteLinkCommand``, ``RetypeLinkCommand``,
``SetLinkNoteCommand``) on the shared stack. Keys in the list: Delete removes the link, T retypes
it (a ``LinkTypeMenu``, keys 1-9), N edits its note, Enter opens the other end.

Signals:
    spanActivated(int article_id, int span_id): open this span (a link's other end) in the reader.
"""

from __future__ import annotations

from collections.abc import Sequence

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

        events.linksChanged.connect(lambda _ids: self.refresh())
        events.spansChanged.connect(lambda _aid: self.refresh())
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
