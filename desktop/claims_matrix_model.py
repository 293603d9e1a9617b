"""ClaimsMatrixModel: ``db.claims.claims_matrix`` as a table, one row per claim, one column per outlet.

Columns: the claim (its wording in the first appearance), one per outlet, then the number of
outlets. An outlet cell holds the spans of that outlet in the cluster (``CELLS_ROLE``, a tuple of
``db.claims.Cell``); its tooltip shows label, text, attribution (via SOURCE_OF) and date.
Contradicted rows carry an icon, a tint and a tooltip naming the rows that contradict them.
``ROW_ROLE`` gives a row's ``MatrixRow``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from db.claims import Cell, Matrix, MatrixRow
from db.records import LabelRecord

CELLS_ROLE = Qt.ItemDataRole.UserRole + 70
ROW_ROLE = Qt.ItemDataRole.UserRole + 71
LABEL_COLORS_ROLE = Qt.ItemDataRole.UserRole + 72
CONTRADICTED_COLOR = "#c0392b"


def _flat(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _date(cell: Cell) -> str:
    return cell.date.isoformat() if cell.date is not None else "undated"


class ClaimsMatrixModel(QAbstractTableModel):
    """A read-only table over one ``Matrix``; ``set_matrix`` replaces it (a model reset)."""

    def __init__(self, labels: Sequence[LabelRecord] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matrix: Matrix | None = None
        self._labels: dict[str, LabelRecord] = {lb.key: lb for lb in labels}
        self.contradiction_icon: QIcon | None = None

    def set_labels(self, labels: Sequence[LabelRecord]) -> None:
        self._labels = {lb.key: lb for lb in labels}
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def set_matrix(self, matrix: Matrix | None) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    @property
    def outlets(self) -> tuple[str, ...]:
        return self.matrix.outlets if self.matrix is not None else ()

    def outlet_column(self, outlet: str) -> int:
        return 1 + self.outlets.index(outlet)

    @property
    def count_column(self) -> int:
        return 1 + len(self.outlets)

    def row(self, row: int) -> MatrixRow | None:
        if self.matrix is None or not 0 <= row < len(self.matrix.rows):
            return None
        return self.matrix.rows[row]

    def cells(self, index: QModelIndex | QPersistentModelIndex) -> tuple[Cell, ...] | None:
        row = self.row(index.row())
        col = index.column()
        if row is None or not 1 <= col <= len(self.outlets):
            return None
        return row.cells[col - 1]

    def label_color(self, key: str) -> str:
        label = self._labels.get(key)
        return label.color if label else "#888888"

    def label_name(self, key: str) -> str:
        label = self._labels.get(key)
        return label.name if label else key

    # -- the model -----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.matrix is None:
            return 0
        return len(self.matrix.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.matrix is None:
            return 0
        return len(self.matrix.outlets) + 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if self.matrix is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rowCount():
                return str(section + 1)
            return None
        if not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Claim"
            if section == self.count_column:
                return "Outlets"
            return self.outlets[section - 1]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == 0:
                return "The claim as the outlet that carried it first worded it"
            if section == self.count_column:
                return "How many outlets carried the claim"
            return f"What {self.outlets[section - 1]} reported"
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        row = self.row(index.row())
        if row is None or not 0 <= index.column() < self.columnCount():
            return None
        col = index.column()
        if role == ROW_ROLE:
            return row
        if role == CELLS_ROLE:
            return self.cells(index)
        if role == Qt.ItemDataRole.BackgroundRole and row.contradicted:
            tint = QColor(CONTRADICTED_COLOR)
            tint.setAlphaF(0.07)
            return tint
        if col == 0:
            return self._claim_data(row, role)
        if col == self.count_column:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.n_outlets
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        cells = row.cells[col - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            if not cells:
                return ""
            more = f" (+{len(cells) - 1})" if len(cells) > 1 else ""
            return _flat(cells[0].text) + more
        if role == Qt.ItemDataRole.ToolTipRole and cells:
            return self._cells_tooltip(self.outlets[col - 1], cells)
        if role == Qt.ItemDataRole.AccessibleTextRole and cells:
            return "; ".join(f"{self.label_name(c.label)}: {c.text}" for c in cells)
        return None

    def _claim_data(self, row: MatrixRow, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if not row.contradicted:
                return _flat(row.text)
            others = [f"row {r + 1}" for r in row.contradicts_rows]
            if row.cluster.self_contradicted:
                others.append("itself")
            return f"{_flat(row.text)}\n— contradicted by {', '.join(others)}"
        if role == Qt.ItemDataRole.DecorationRole and row.contradicted:
            return self.contradiction_icon
        if role == Qt.ItemDataRole.ForegroundRole and row.contradicted:
            return QColor(CONTRADICTED_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"<p style='max-width:34em'><b>{html.escape(_flat(row.text, 400))}</b>"
            carried = ", ".join(row.cluster.outlets)
            first = row.cluster.first_date.isoformat() if row.cluster.first_date else "undated"
            text += f"<br>Carried by {row.n_outlets}: {html.escape(carried)}; first on {first}."
            if row.contradicted:
                text += f"<br><br><span style='color:{CONTRADICTED_COLOR}'><b>Contradicted</b></span>"
                for r in row.contradicts_rows:
                    other = self.row(r)
                    if other is not None:
                        text += f"<br>by row {r + 1}: “{html.escape(_flat(other.text, 120))}”"
                if row.cluster.self_contradicted:
                    text += "<br>by one of its own spans (a CONTRADICTS link inside the cluster)"
            return text + "</p>"
        return None

    def _cells_tooltip(self, outlet: str, cells: tuple[Cell, ...]) -> str:
        parts = [f"<b>{html.escape(outlet)}</b>"]
        for c in cells:
            color = self.label_color(c.label)
            line = (
                f"<span style='color:{color}'>■</span> <b>{html.escape(self.label_name(c.label))}</b>"
                f" · {_date(c)}<br>“{html.escape(_flat(c.text, 400))}”"
            )
            if c.attribution_text:
                line += f"<br><i>— {html.escape(_flat(c.attribution_text, 160))}</i>"
            parts.append(line)
        parts.append("<span style='color:#6b7280'>Click to open the article at this span</span>")
        return "<p style='max-width:34em'>" + "<br><br>".join(parts) + "</p>"
