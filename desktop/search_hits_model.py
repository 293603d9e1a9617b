"""Corpus-search results as a table: article (title, outlet) and the context around the match."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from db.corpus import Hit
from desktop.table_model import ReadOnlyTableModel

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The snippet as HTML with the match in bold (for the highlighting delegate).
HTML_ROLE = Qt.ItemDataRole.UserRole + 2


class SearchHitsModel(ReadOnlyTableModel):
    COLUMNS = ("Article", "Context")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []

    def set_hits(self, hits: Sequence[Hit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Hit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if role == HIT_ROLE:
            return hit
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                title = hit.title or "(untitled)"
                return f"{hit.outlet}: {title}" if hit.outlet else title
            return hit.snippet
        if role == HTML_ROLE and col == 1:
            return f"{html.escape(hit.before)}<b><u>{html.escape(hit.match)}</u></b>{html.escape(hit.after)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.title}\n{hit.outlet or ''}\ncharacters {hit.start}–{hit.end}\n\n{hit.snippet}"
        return None
