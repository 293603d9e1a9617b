"""SpeakersPanel: who said what in the open article (the "Who said what" dock, View menu).

Each speaker the suggester found, normalised within the article ("Antony Blinken", "Blinken",
"the Secretary of State" are one row), with what they are reported to have said. Clicking a claim
selects it in the reader: the suggestion while it is still offered, the span once accepted.
It follows a ``SuggestionsController`` and reads nothing from the project itself.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.icons import icon
from desktop.speakers_model import CLAIM_ROLE, SpeakersModel, speaker_rows
from desktop.suggestions_controller import SuggestionsController


class SpeakersPanel(QWidget):
    """A tree of speakers and their claims, with a hint and a Suggest button when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("speakersPanel")
        self.controller: SuggestionsController | None = None
        self.model = SpeakersModel(self)
        self.hint = QLabel(self)
        self.hint.setObjectName("speakersHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text); padding: 4px 2px;")
        self.suggest_button = QPushButton(icon("mdi6.lightbulb-on-outline"), "Suggest spans", self)
        self.suggest_button.setToolTip("Find attributions, claims and facts in this article (Ctrl+Shift+S)")
        self.suggest_button.clicked.connect(self._suggest)
        self.tree = QTreeView(self)
        self.tree.setObjectName("speakersTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setIndentation(14)
        self.tree.setAlternatingRowColors(False)
        self.tree.clicked.connect(self._claim_activated)
        self.tree.activated.connect(self._claim_activated)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.hint, 1)
        top.addWidget(self.suggest_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self.refresh()

    def set_controller(self, controller: SuggestionsController | None) -> None:
        """Follow this controller (one per project) and its reader."""
        self.controller = controller
        if controller is not None:
            controller.suggestionsChanged.connect(self._changed)
            controller.runningChanged.connect(lambda _a, _r: self.refresh())
            controller.events.spansChanged.connect(self._changed)
            controller.events.labelsChanged.connect(self.refresh)
            if controller.reader is not None:
                controller.reader.articleShown.connect(lambda _a: self.refresh())
                controller.reader.view.selectionChanged.connect(self._follow_reader)
        self.refresh()

    def _changed(self, article_id: int) -> None:
        if self.controller is not None and article_id == self.controller.current_article():
            self.refresh()

    def refresh(self) -> None:
        c = self.controller
        article_id = c.current_article() if c is not None else None
        result = c.suggestion_set(article_id) if c is not None and article_id is not None else None
        if c is not None and c.reader is not None:
            self.model.set_labels(c.reader.label_records())
        if c is None or article_id is None or result is None:
            self.model.set_rows([])
            running = c is not None and article_id is not None and c.is_running(article_id)
            self.hint.setText(
                "Finding who said what…"
                if running
                else "Suggest spans to see who is quoted in this article and what each of them said."
            )
            self.suggest_button.setVisible(not running and article_id is not None)
            return
        rows = speaker_rows(result, c.offered(article_id), c.claim_spans(article_id))
        self.model.set_rows(rows)
        self.tree.expandAll()
        self.suggest_button.hide()
        n = len(rows)
        self.hint.setText(
            f"{n} speaker{'s' if n != 1 else ''} quoted. Click a claim to select it in the article."
            if n
            else "Nobody is quoted in this article."
        )
        self._follow_reader()

    def _follow_reader(self) -> None:
        # The claim selected in the reader (a suggestion, or the span it became) is current here.
        view = self.controller.reader.view if self.controller and self.controller.reader else None
        if view is None:
            return
        chosen = view.selected_suggestion() or view.selected_span()
        key = (chosen.start, chosen.end, chosen.label) if chosen is not None else None
        for r in range(self.model.rowCount()):
            speaker = self.model.index(r, 0)
            for c in range(self.model.rowCount(speaker)):
                claim = self.model.index(c, 0, speaker)
                s = claim.data(CLAIM_ROLE)
                if key is not None and (s.start, s.end, s.label) == key:
                    self.tree.setCurrentIndex(claim)
                    self.tree.scrollTo(claim)
                    return
        self.tree.clearSelection()

    def _suggest(self) -> None:
        if self.controller is not None:
            self.controller.suggest()
            self.refresh()

    def _claim_activated(self, index: QModelIndex) -> None:
        claim = index.data(CLAIM_ROLE)
        if claim is not None and self.controller is not None:
            self.controller.show_claim(claim)
