"""SpeakersModel: who said what in one article, a two-level tree for the "Who said what" panel.

Top level: the article's speakers as the suggester normalised them ("Antony Blinken", "Blinken"
and "the Secretary of State" are one row), in order of first appearance. Children: what each one
is reported to have said (the CLAIM / EXPERT_OPINION a suggested attribution introduces), each
with its state: still suggested, accepted (now a span in the analyst's layer) or rejected.

Rows are built by ``speaker_rows`` from a ``db.suggest.SuggestionSet``; the model holds them as
plain records and never queries anything itself.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from desktop.icons import icon, label_icon

CLAIM_ROLE = Qt.ItemDataRole.UserRole + 1  # the SuggestedSpan of a claim row (None on a speaker)
STATE_ROLE = Qt.ItemDataRole.UserRole + 2  # ClaimState of a claim row
PREVIEW = 90  # characters of a claim shown in its row

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ClaimState(enum.Enum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ClaimRow:
    suggestion: Any  # db.suggest.SuggestedSpan
    state: ClaimState


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    name: str
    mentions: tuple[str, ...]
    expert: bool
    claims: tuple[ClaimRow, ...]


def speaker_rows(
    result: Any, offered: Sequence[Any], accepted: Mapping[tuple[int, int, str], int]
) -> list[SpeakerRow]:
    """Rows for ``result`` (a ``SuggestionSet``): ``offered`` are the suggestions still waiting for a
    decision, ``accepted`` the annotator's spans by (start, end, label)."""
    waiting = {(s.start, s.end, s.label) for s in offered}
    said: dict[int, list[Any]] = {}
    for attribution, content in result.pairs:
        if attribution.speaker is not None and content not in said.get(attribution.speaker, []):
            said.setdefault(attribution.speaker, []).append(content)
    rows = []
    for speaker in result.speakers:
        claims = sorted(said.get(speaker.id, []), key=lambda s: s.start)
        if not claims:
            continue
        states = []
        for c in claims:
            key = (c.start, c.end, c.label)
            if key in waiting:
                state = ClaimState.SUGGESTED
            elif key in accepted:
                state = ClaimState.ACCEPTED
            else:
                state = ClaimState.REJECTED
            states.append(ClaimRow(c, state))
        rows.append(SpeakerRow(speaker.canonical, speaker.mentions, speaker.is_expert, tuple(states)))
    return rows


class SpeakersModel(QAbstractItemModel):
    """Speakers (top level) and their claims (children); one column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SpeakerRow] = []
        self._colors: dict[str, str] = {}
        self._names: dict[str, str] = {}

    def set_labels(self, labels: Sequence[Any]) -> None:
        self._colors = {lb.key: lb.color for lb in labels}
        self._names = {lb.key: lb.name for lb in labels}
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def set_rows(self, rows: Sequence[SpeakerRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def speaker_count(self) -> int:
        return len(self._rows)

    # -- structure: a speaker row has internal id 0, a claim row its speaker's row + 1 ----------
    def index(self, row: int, column: int = 0, parent: Index = _ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._rows) else QModelIndex()
        if parent.internalId() != 0 or parent.row() >= len(self._rows):
            return QModelIndex()
        if row >= len(self._rows[parent.row()].claims):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, child: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(child.internalId()) - 1, 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() == 0 and parent.column() == 0 and parent.row() < len(self._rows):
            return len(self._rows[parent.row()].claims)
        return 0

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._speaker_data(self._rows[index.row()], role)
        claim = self._rows[int(index.internalId()) - 1].claims[index.row()]
        return self._claim_data(claim, role)

    def _speaker_data(self, row: SpeakerRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            n = len(row.claims)
            expert = " · expert" if row.expert else ""
            return f"{row.name}{expert}  ({n})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Named as: " + "; ".join(f"“{m}”" for m in row.mentions)
        if role == Qt.ItemDataRole.DecorationRole:
            return icon("mdi6.school-outline" if row.expert else "mdi6.account-voice")
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _claim_data(self, claim: ClaimRow, role: int) -> Any:
        s = claim.suggestion
        if role == Qt.ItemDataRole.DisplayRole:
            flat = " ".join(s.text.split())
            text = flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1].rstrip() + "…"
            mark = {ClaimState.ACCEPTED: "✓ ", ClaimState.REJECTED: "✗ "}.get(claim.state, "")
            return f"{mark}“{text}”"
        if role == Qt.ItemDataRole.ToolTipRole:
            name = self._names.get(s.label, s.label)
            return f"<b>{name}</b>, {claim.state.value}<br>{s.text}"
        if role == Qt.ItemDataRole.DecorationRole:
            return label_icon(self._colors.get(s.label, "#888888"))
        if role == Qt.ItemDataRole.ForegroundRole and claim.state == ClaimState.REJECTED:
            app = QApplication.instance()
            palette = app.palette() if isinstance(app, QApplication) else QPalette()
            return QColor(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if role == Qt.ItemDataRole.FontRole and claim.state != ClaimState.ACCEPTED:
            font = QFont()
            font.setItalic(claim.state == ClaimState.SUGGESTED)
            font.setStrikeOut(claim.state == ClaimState.REJECTED)
            return font
        if role == CLAIM_ROLE:
            return s
        if role == STATE_ROLE:
            return claim.state
        return None
