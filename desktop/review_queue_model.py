"""ReviewQueueModel: the items a reviewer walks through, one row each, with the verdict so far.

Rows are ``db.layer_diff`` items (``SpanDiffItem`` / ``LinkDiffItem``); reviewing one colleague's
layer alone puts each of their spans and links in as an "only A" item. The verdicts are read from
``db.review.reviews_for`` (the reviewer's own, newest counts) and re-read by ``refresh_verdicts``
after each decision or undo. Columns: position, what differs, side A, side B, verdict.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db.layer_diff import DiffKind, DiffLink, DiffSpan, LinkDiffItem, SpanDiffItem
from db.project import Project
from db.review import reviews_for
from db.spans import spans_by_ids
from desktop.span_painter import REVIEW_BOUNDARY_COLOR, REVIEW_CONFLICT_COLOR, REVIEW_SIDE_COLORS

Index = QModelIndex | QPersistentModelIndex
Item = SpanDiffItem | LinkDiffItem
_TOP = QModelIndex()
ITEM_ROLE = Qt.ItemDataRole.UserRole + 40
VERDICT_ROLE = Qt.ItemDataRole.UserRole + 41

#: The colours that tell the two sides apart everywhere in review mode (legend, painter, table).
SIDE_COLORS = REVIEW_SIDE_COLORS
CONFLICT_COLOR = REVIEW_CONFLICT_COLOR
AGREE_COLOR = "#7f8c8d"
KIND_COLORS = {
    DiffKind.AGREE: AGREE_COLOR,
    DiffKind.LABEL_CONFLICT: CONFLICT_COLOR,
    DiffKind.TYPE_CONFLICT: CONFLICT_COLOR,
    DiffKind.BOUNDARY: REVIEW_BOUNDARY_COLOR,
    DiffKind.BOUNDARY_AND_LABEL: CONFLICT_COLOR,
    DiffKind.ONLY_A: SIDE_COLORS["a"],
    DiffKind.ONLY_B: SIDE_COLORS["b"],
}


class Verdict(enum.Enum):
    """Where an item stands for this reviewer."""

    OPEN = ""
    ACCEPTED = "accepted"
    LEFT = "left"
    RIGHT = "right"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ItemState:
    verdict: Verdict = Verdict.OPEN
    comments: tuple[str, ...] = ()

    @property
    def decided(self) -> bool:
        return self.verdict is not Verdict.OPEN


def kind_text(kind: DiffKind, name_a: str, name_b: str, *, link: bool = False, single: bool = False) -> str:
    if single:
        return "Link" if link else "Span"
    what = {
        DiffKind.AGREE: "Agree",
        DiffKind.LABEL_CONFLICT: "Label differs",
        DiffKind.TYPE_CONFLICT: "Link type differs",
        DiffKind.BOUNDARY: "Boundary differs",
        DiffKind.BOUNDARY_AND_LABEL: "Boundary + label",
        DiffKind.ONLY_A: f"Only {name_a}",
        DiffKind.ONLY_B: f"Only {name_b}",
    }[kind]
    if link and kind in (DiffKind.ONLY_A, DiffKind.ONLY_B, DiffKind.AGREE):
        what += " (link)"
    return what


def side_text(side: DiffSpan | DiffLink | None, limit: int = 60, ends: dict[int, str] | None = None) -> str:
    if side is None:
        return "—"
    if isinstance(side, DiffLink):
        if ends:
            return f"{side.type}: {_short(ends.get(side.source_span_id, '?'))} → {_short(ends.get(side.target_span_id, '?'))}"
        return f"{side.type} link"
    flat = " ".join(side.text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f"{side.label}: “{flat}”"


def _short(text: str, limit: int = 28) -> str:
    flat = " ".join(text.split())
    return f"“{flat[: limit - 1]}…”" if len(flat) > limit else f"“{flat}”"


def verdict_text(state: ItemState, name_a: str, name_b: str, single: bool) -> str:
    words = {
        Verdict.OPEN: "",
        Verdict.ACCEPTED: "✓ accepted",
        Verdict.LEFT: "✓ accepted" if single else f"✓ {name_a}",
        Verdict.RIGHT: f"✓ {name_b}",
        Verdict.REJECTED: "✗ rejected",
    }[state.verdict]
    if state.comments:
        words = f"{words} ✎".strip()
    return words


class ReviewQueueModel(QAbstractTableModel):
    """The review queue as a table (see the module docstring). Emits the usual model signals."""

    COLUMNS = ("#", "Difference", "A", "B", "Verdict")

    def __init__(self, project: Project, reviewer: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.reviewer = reviewer
        self.name_a = "A"
        self.name_b = "B"
        self.single = False
        self._items: list[Item] = []
        self._states: list[ItemState] = []
        #: Text of the spans at the ends of the queue's links.
        self.ends: dict[int, str] = {}

    # -- content -------------------------------------------------------------------------------
    def set_queue(self, items: Sequence[Item], name_a: str, name_b: str, *, single: bool = False) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.name_a, self.name_b, self.single = name_a, name_b, single
        self._states = [ItemState() for _ in self._items]
        self.ends = self._link_ends(self._items)
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 2, 3)
        self.refresh_verdicts()

    def _link_ends(self, items: list[Item]) -> dict[int, str]:
        ids = {
            x
            for item in items
            if isinstance(item, LinkDiffItem)
            for side in (item.a, item.b)
            if side is not None
            for x in (side.source_span_id, side.target_span_id)
        }
        if not ids:
            return {}
        with self._project.read() as s:
            return {sid: span.text for sid, span in spans_by_ids(s, ids).items()}

    def item(self, row: int) -> Item | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def state(self, row: int) -> ItemState:
        return self._states[row] if 0 <= row < len(self._states) else ItemState()

    def items(self) -> list[Item]:
        return list(self._items)

    def decided(self) -> int:
        return sum(1 for s in self._states if s.decided)

    def refresh_verdicts(self) -> None:
        """Re-read the reviewer's verdicts for every row (after a decision or an undo)."""
        span_ids: list[int] = []
        link_ids: list[int] = []
        for item in self._items:
            ids = link_ids if isinstance(item, LinkDiffItem) else span_ids
            ids += [side.id for side in (item.a, item.b) if side is not None]
        latest: dict[tuple[str, int], str] = {}
        comments: dict[tuple[str, int], list[str]] = {}
        for r in reviews_for(self._project, span_ids=span_ids, link_ids=link_ids):
            if r.reviewer != self.reviewer:
                continue
            key = ("s", r.span_id) if r.span_id is not None else ("l", int(r.link_id or 0))
            if r.verdict in ("accept", "reject"):
                latest[key] = r.verdict  # oldest first, so the last one wins
            if r.comment:
                comments.setdefault(key, []).append(r.comment)
        states = []
        for item in self._items:
            kind = "l" if isinstance(item, LinkDiffItem) else "s"
            va = latest.get((kind, item.a.id)) if item.a is not None else None
            vb = latest.get((kind, item.b.id)) if item.b is not None else None
            if va == "accept" and vb != "accept":
                verdict = Verdict.ACCEPTED if self.single else Verdict.LEFT
            elif vb == "accept":
                verdict = Verdict.RIGHT
            elif "reject" in (va, vb):
                verdict = Verdict.REJECTED
            else:
                verdict = Verdict.OPEN
            said = [
                c for side in (item.a, item.b) if side is not None for c in comments.get((kind, side.id), [])
            ]
            states.append(ItemState(verdict, tuple(dict.fromkeys(said))))
        changed = [i for i, (old, new) in enumerate(zip(self._states, states, strict=True)) if old != new]
        self._states = states
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), len(self.COLUMNS) - 1)
            )

    # -- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 2:
                return self.name_a
            if section == 3:
                return self.name_b
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ForegroundRole and section in (2, 3) and not self.single:
            return QColor(SIDE_COLORS["a" if section == 2 else "b"])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        row, col = index.row(), index.column()
        item, state = self._items[row], self._states[row]
        link = isinstance(item, LinkDiffItem)
        if role == ITEM_ROLE:
            return item
        if role == VERDICT_ROLE:
            return state.verdict
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(row + 1)
            if col == 1:
                return kind_text(item.kind, self.name_a, self.name_b, link=link, single=self.single)
            if col == 2:
                return side_text(item.a, ends=self.ends)
            if col == 3:
                return side_text(item.b, ends=self.ends)
            return verdict_text(state, self.name_a, self.name_b, self.single)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (2, 3):
                side = item.a if col == 2 else item.b
                return side.text if isinstance(side, DiffSpan) else side_text(side, 400, self.ends)
            if col == 4 and state.comments:
                return "\n".join(state.comments)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 1 and not self.single:
                return QColor(KIND_COLORS[item.kind])
            if col == 4:
                return QColor(
                    "#27ae60" if state.verdict not in (Verdict.OPEN, Verdict.REJECTED) else "#c0392b"
                )
            if col == 0:
                return QColor(AGREE_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
