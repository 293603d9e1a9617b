"""LinkSuggestionsModel: suggested links (``db.link_suggest.LinkCandidate``) as a table.

Columns: score, the passage in one article, the passage in the other (outlet first). Rows leave
the model as they are accepted or rejected (``remove``). ``CANDIDATE_ROLE`` gives a row's candidate.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db.link_suggest import LinkCandidate

CANDIDATE_ROLE = Qt.ItemDataRole.UserRole + 80
SCORE_COL, SOURCE_COL, TARGET_COL = range(3)
_HEADERS = ("Score", "Passage", "Same content in")


def _flat(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class LinkSuggestionsModel(QAbstractTableModel):
    """Candidates, best first; ``outlets`` maps article id -> outlet name for the passages' captions."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[LinkCandidate] = []
        self.outlets: dict[int, str] = {}

    def set_candidates(
        self, candidates: Sequence[LinkCandidate], outlets: dict[int, str] | None = None
    ) -> None:
        self.beginResetModel()
        self._rows = list(candidates)
        if outlets is not None:
            self.outlets = dict(outlets)
        self.endResetModel()

    def candidate(self, row: int) -> LinkCandidate | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def remove(self, candidate: LinkCandidate) -> int | None:
        """Take a candidate out (accepted or rejected); returns the row it had."""
        try:
            row = self._rows.index(candidate)
        except ValueError:
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        return row

    def insert(self, row: int, candidate: LinkCandidate) -> None:
        """Put a candidate back (its acceptance was undone)."""
        row = max(0, min(row, len(self._rows)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, candidate)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section] if 0 <= section < len(_HEADERS) else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _outlet(self, article_id: int) -> str:
        return self.outlets.get(article_id, "(no outlet)")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        col = index.column()
        if role == CANDIDATE_ROLE:
            return c
        if role == Qt.ItemDataRole.DisplayRole:
            if col == SCORE_COL:
                return f"{c.score:.2f}"
            if col == SOURCE_COL:
                return f"{self._outlet(c.source_article_id)}: {_flat(c.source_text)}"
            if col == TARGET_COL:
                return f"{self._outlet(c.target_article_id)}: {_flat(c.target_text)}"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SCORE_COL:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == SCORE_COL:
            # Strong matches in green, weak ones muted.
            return QColor("#1e8449") if c.score >= 0.7 else QColor("#6b7280") if c.score < 0.5 else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                "<p style='max-width:36em'>"
                f"<b>{html.escape(self._outlet(c.source_article_id))}</b><br>"
                f"“{html.escape(_flat(c.source_text, 500))}”<br><br>"
                f"<b>{html.escape(self._outlet(c.target_article_id))}</b><br>"
                f"“{html.escape(_flat(c.target_text, 500))}”<br><br>"
                f"Score {c.score:.2f} · A accepts as Same claim, Shift+A asks for the type, X rejects</p>"
            )
        return None
