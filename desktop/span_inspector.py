"""The span inspector: the selected span's label, text, note, links and review status.

It does not change anything itself: edits go out as requests that the main window turns into
undo commands, so that every edit is one entry on the undo stack.

Signals:
    relabelRequested(int span_id, str label_key)
    noteEdited(int span_id, str note)
    linkedSpanActivated(int article_id, int span_id): the user opened the other end of a link.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import NotFoundError
from db.labels import list_link_types
from db.links import links_for_spans
from db.project import Project
from db.records import LabelRecord, SpanRecord
from db.spans import get_span, spans_by_ids
from desktop.icons import label_icon

_LINK_TARGET_ROLE = Qt.ItemDataRole.UserRole + 1


class SpanInspector(QWidget):
    """Shows one span (or a hint when none is selected)."""

    relabelRequested = Signal(int, str)
    noteEdited = Signal(int, str)
    linkedSpanActivated = Signal(int, int)

    def __init__(
        self, project: Project, labels: Sequence[LabelRecord], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("spanInspector")
        self._project = project
        self._span: SpanRecord | None = None
        self._labels: list[LabelRecord] = []

        self._stack = QStackedWidget(self)
        empty = QLabel("Select a span in the article or in the list below to see and edit it here.", self)
        empty.setObjectName("inspectorHint")
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(empty)

        page = QWidget(self)
        form = QFormLayout(page)
        form.setContentsMargins(8, 8, 8, 8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.label_box = QComboBox(page)
        self.label_box.setObjectName("inspectorLabel")
        self.label_box.activated.connect(self._on_label_chosen)
        self.text_view = QLabel(page)
        self.text_view.setObjectName("inspectorText")
        self.text_view.setWordWrap(True)
        self.text_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel(page)
        self.meta.setObjectName("inspectorMeta")
        self.note_edit = QPlainTextEdit(page)
        self.note_edit.setObjectName("inspectorNote")
        self.note_edit.setPlaceholderText("Add a note (saved when you leave the box, or Ctrl+Enter)")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(64)
        self.note_edit.installEventFilter(self)
        self.links_model = QStandardItemModel(self)
        self.links_view = QListView(page)
        self.links_view.setObjectName("inspectorLinks")
        self.links_view.setModel(self.links_model)
        self.links_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.links_view.setWordWrap(True)
        self.links_view.setMaximumHeight(110)
        self.links_view.activated.connect(self._on_link_activated)
        self.links_view.doubleClicked.connect(self._on_link_activated)
        self.review = QLabel("Not reviewed yet", page)
        self.review.setObjectName("inspectorReview")
        form.addRow("Label", self.label_box)
        form.addRow("Text", self.text_view)
        form.addRow("", self.meta)
        form.addRow("Note", self.note_edit)
        form.addRow("Links", self.links_view)
        form.addRow("Review", self.review)
        self._stack.addWidget(page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        save = QShortcut(QKeySequence("Ctrl+Return"), self.note_edit)
        save.setContext(Qt.ShortcutContext.WidgetShortcut)
        save.activated.connect(self.commit_note)
        self.set_labels(labels)

    # -- public API ----------------------------------------------------------------------------
    @property
    def span_id(self) -> int | None:
        return self._span.id if self._span else None

    def set_labels(self, labels: Sequence[LabelRecord]) -> None:
        self._labels = list(labels)
        self.label_box.clear()
        for lb in self._labels:
            self.label_box.addItem(label_icon(lb.color), lb.name, lb.key)
            self.label_box.setItemData(self.label_box.count() - 1, lb.definition, Qt.ItemDataRole.ToolTipRole)
        self._show_label()

    def show_span(self, span_id: int | None) -> None:
        """Show a span (None or a deleted span: the hint)."""
        self.commit_note()
        span: SpanRecord | None = None
        if span_id is not None:
            try:
                span = get_span(self._project, span_id)
            except NotFoundError:
                span = None
        self._span = span
        if span is None:
            self._stack.setCurrentIndex(0)
            return
        self._stack.setCurrentIndex(1)
        self._show_label()
        self.text_view.setText(span.text)
        origin = "" if span.origin == "manual" else f" · {span.origin}"
        self.meta.setText(f"{span.annotator} · characters {span.start}–{span.end}{origin}")
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(span.note or "")
        self.note_edit.blockSignals(False)
        self._show_links(span)

    def refresh(self) -> None:
        """Re-read the shown span (after an edit or an undo)."""
        if self._span is not None:
            note_has_focus = self.note_edit.hasFocus()
            span_id = self._span.id
            if not note_has_focus:
                self._span = None  # nothing to commit: the database is the truth now
            self.show_span(span_id)

    def commit_note(self) -> None:
        """Send the note if it differs from the stored one."""
        if self._span is None:
            return
        text = self.note_edit.toPlainText().strip()
        if text != (self._span.note or ""):
            span_id = self._span.id
            self._span = _with_note(self._span, text or None)
            self.noteEdited.emit(span_id, text)

    # -- internals -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() == QEvent.Type.FocusOut:
            self.commit_note()
        if watched is self.note_edit and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            if self._span is not None:
                self.note_edit.setPlainText(self._span.note or "")
            return True
        return super().eventFilter(watched, event)

    def _show_label(self) -> None:
        if self._span is None:
            return
        i = self.label_box.findData(self._span.label)
        if i < 0:
            self.label_box.addItem(self._span.label, self._span.label)
            i = self.label_box.count() - 1
        self.label_box.setCurrentIndex(i)

    def _on_label_chosen(self, row: int) -> None:
        key = self.label_box.itemData(row)
        if self._span is not None and key and key != self._span.label:
            self.relabelRequested.emit(self._span.id, str(key))

    def _show_links(self, span: SpanRecord) -> None:
        self.links_model.clear()
        links = links_for_spans(self._project, [span.id])
        names = {lt.key: lt.name for lt in list_link_types(self._project)}
        others = [lk.target_span_id if lk.source_span_id == span.id else lk.source_span_id for lk in links]
        with self._project.read() as s:
            spans = spans_by_ids(s, others)
        for link, other_id in zip(links, others, strict=True):
            other = spans.get(other_id)
            arrow = "→" if link.source_span_id == span.id else "←"
            preview = " ".join(other.text.split())[:70] if other else "?"
            where = "this article" if other and other.article_id == span.article_id else "another article"
            item = QStandardItem(f"{arrow} {names.get(link.type, link.type)}: “{preview}” ({where})")
            item.setToolTip(f"{link.type} by {link.annotator}" + (f"\n{link.note}" if link.note else ""))
            if other is not None:
                item.setData((other.article_id, other.id), _LINK_TARGET_ROLE)
            self.links_model.appendRow(item)
        if not links:
            none = QStandardItem("No links")
            none.setEnabled(False)
            self.links_model.appendRow(none)

    def _on_link_activated(self, index: object) -> None:
        target = self.links_model.data(index, _LINK_TARGET_ROLE)  # type: ignore[arg-type]
        if target:
            self.linkedSpanActivated.emit(int(target[0]), int(target[1]))


def _with_note(span: SpanRecord, note: str | None) -> SpanRecord:
    return SpanRecord(
        span.id,
        span.uid,
        span.article_id,
        span.annotator,
        span.label,
        span.start,
        span.end,
        span.text,
        note,
        span.origin,
        span.status,
    )
