"""The open article's spans as a table: label chip, covered text, note.

Rows are spans in reading order (``db.spans.spans_for_article``); ``SPAN_ID_ROLE`` gives a row's
span id. The model re-reads the article when told that its spans changed; it holds records only,
never a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from db.project import Project
from db.records import LabelRecord, SpanRecord
from db.spans import spans_for_article
from desktop.label_chips import CHIPS_ROLE, Chip
from desktop.table_model import ReadOnlyTableModel

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Longest covered text shown in a cell (the tooltip has it all).
TEXT_CHARS = 160


class SpanListModel(ReadOnlyTableModel):
    """Spans of one article in one or more layers (``layers`` None: every layer)."""

    COLUMNS = ("Label", "Text", "Note")

    def __init__(
        self, project: Project, labels: Sequence[LabelRecord] = (), parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._labels = {lb.key: lb for lb in labels}
        self._spans: list[SpanRecord] = []
        self._article_id: int | None = None
        self._layers: list[str] | None = None

    @property
    def article_id(self) -> int | None:
        return self._article_id

    def set_labels(self, labels: Sequence[LabelRecord]) -> None:
        self._labels = {lb.key: lb for lb in labels}
        if self._spans:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._spans) - 1, 0))

    def set_layers(self, layers: Sequence[str] | None) -> None:
        self._layers = list(layers) if layers is not None else None
        self.refresh()

    def show_article(self, article_id: int | None) -> None:
        self._article_id = article_id
        self.refresh()

    def refresh(self) -> None:
        spans = (
            []
            if self._article_id is None
            else spans_for_article(self._project, self._article_id, self._layers)
        )
        self.beginResetModel()
        self._spans = spans
        self.endResetModel()

    def span(self, row: int) -> SpanRecord | None:
        return self._spans[row] if 0 <= row < len(self._spans) else None

    def row_of(self, span_id: int | None) -> int | None:
        for row, span in enumerate(self._spans):
            if span.id == span_id:
                return row
        return None

    # -- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._spans)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        span = self.span(index.row()) if index.isValid() else None
        if span is None:
            return None
        col = index.column()
        label = self._labels.get(span.label)
        if role == SPAN_ID_ROLE:
            return span.id
        if role == CHIPS_ROLE and col == 0:
            return [Chip(label.name if label else span.label, label.color if label else "#888888")]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return label.name if label else span.label
            if col == 1:
                text = " ".join(span.text.split())
                return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"
            return " ".join((span.note or "").split())
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [
                f"{label.name if label else span.label} · {span.annotator} · {span.start}–{span.end}",
                span.text,
            ]
            if span.note:
                parts.append(f"Note: {span.note}")
            return "\n".join(parts)
        return None
