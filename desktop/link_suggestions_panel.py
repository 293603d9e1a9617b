"""LinkSuggestionsPanel: passages in other outlets that seem to carry the same content; accept or reject.

For the open story (``db.link_suggest.suggest_for_story``) or for the selected span
(``suggest_for_span``), computed in a background job. Keys in the list: A accepts as Same claim,
Shift+A asks for the type (``LinkTypeMenu``), X rejects, Up/Down move. Accepting is an
``AcceptLinkCandidateCommand`` on the shared undo stack (spans and link in one service call);
rejecting is remembered in the project (``reject_candidate``) so the pair is not offered again.

Signals:
    passageActivated(int article_id, int start, int end): open an article at a passage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db import labels as label_service
from db import link_suggest
from db import links as link_service
from db import spans as span_service
from db.articles import get_article
from db.link_suggest import LinkCandidate
from db.project import Project
from db.records import DeletedSpan, LinkRecord
from desktop import link_type_menu
from desktop.icons import icon
from desktop.jobs import Job, JobRunner, run_job
from desktop.link_suggestions_model import (
    CANDIDATE_ROLE,
    SCORE_COL,
    SOURCE_COL,
    TARGET_COL,
    LinkSuggestionsModel,
)
from desktop.project_events import ProjectEvents
from desktop.undo_commands import ServiceCommand, push_command, quote


class AcceptLinkCandidateCommand(ServiceCommand):
    """Accept a suggested link (``db.link_suggest.accept_candidate``: spans where needed, then the link).

    Undo deletes the link and the spans the acceptance created (not spans that were there
    before); redo puts them back with their ids."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        candidate: LinkCandidate,
        link_type: str,
        annotator: str,
        *,
        type_name: str | None = None,
    ) -> None:
        super().__init__(
            project,
            events,
            f"Accept suggested link {quote(candidate.source_text, 24)} → "
            f"{quote(candidate.target_text, 24)} ({type_name or link_type})",
        )
        self.candidate, self.link_type, self.annotator = candidate, link_type, annotator
        self.record: LinkRecord | None = None
        self.created: list[int] = []  # span ids the acceptance added
        self._deleted: list[DeletedSpan] = []
        self.undone: Callable[[], None] | None = None
        self.redone: Callable[[], None] | None = None

    def _existing(self) -> set[int]:
        c = self.candidate
        out: set[int] = set()
        for aid, start, end in (
            (c.source_article_id, c.source_start, c.source_end),
            (c.target_article_id, c.target_start, c.target_end),
        ):
            out |= {
                s.id
                for s in span_service.spans_for_article(self.project, aid, [self.annotator])
                if s.start == start and s.end == end
            }
        return out

    def apply(self) -> Callable[[], None]:
        if self.record is None:
            before = self._existing()
            record = link_suggest.accept_candidate(
                self.project, self.candidate, self.link_type, self.annotator
            )
            ends = (record.source_span_id, record.target_span_id)
            self.created = [sid for sid in ends if sid not in before and sid != self.candidate.source_span_id]
            restored = [span_service.get_span(self.project, sid) for sid in self.created]
        else:
            restored = [span_service.restore_span(self.project, d) for d in self._deleted]
            record = link_service.restore_link(self.project, self.record)
            self._deleted = []
        self.record = record

        def announce() -> None:
            for span in restored:
                self.events.span_updated(span)
            self.events.links_changed([record.source_article_id, record.target_article_id])
            if self.redone is not None:
                self.redone()

        return announce

    def revert(self) -> Callable[[], None]:
        assert self.record is not None
        record = link_service.delete_link(self.project, self.record.id)
        self._deleted = [span_service.delete_span(self.project, sid) for sid in self.created]
        deleted = list(self._deleted)

        def announce() -> None:
            for d in deleted:
                self.events.span_removed(d.span.article_id, d.span.id)
            self.events.links_changed([record.source_article_id, record.target_article_id])
            if self.undone is not None:
                self.undone()

        return announce


class LinkSuggestionsPanel(QWidget):
    """Suggested links with accept / reject; see the module docstring."""

    passageActivated = Signal(int, int, int)

    def __init__(
        self,
        project: Project,
        undo_stack: QUndoStack,
        events: ProjectEvents,
        annotator: str,
        runner: JobRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("linkSuggestions")
        self.project = project
        self.undo_stack = undo_stack
        self.events = events
        self.annotator = annotator
        self.runner = runner
        self.story: str | None = None
        self.span_id: int | None = None
        self.job: Job | None = None
        self._outlets: dict[int, str] = {}

        self.model = LinkSuggestionsModel(self)
        self.story_scope = QRadioButton("Story", self)
        self.span_scope = QRadioButton("Selected span", self)
        self.story_scope.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.story_scope)
        group.addButton(self.span_scope)
        self.story_scope.toggled.connect(lambda _on: self.find_suggestions())
        self.status = QLabel(self)
        self.status.setObjectName("suggestionsStatus")
        self.find_button = QToolButton(self)
        self.find_button.setIcon(icon("mdi6.refresh"))
        self.find_button.setToolTip("Look for suggestions again")
        self.find_button.setAutoRaise(True)
        self.find_button.clicked.connect(lambda: self.find_suggestions())
        self.accept_button = QToolButton(self)
        self.accept_button.setText("Accept  A")
        self.accept_button.setIcon(icon("mdi6.check", "#1e8449"))
        self.accept_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.accept_button.setToolTip("Link the two passages as Same claim (A; Shift+A asks for the type)")
        self.accept_button.clicked.connect(lambda: self.accept_current())
        self.reject_button = QToolButton(self)
        self.reject_button.setText("Reject  X")
        self.reject_button.setIcon(icon("mdi6.close", "#c0392b"))
        self.reject_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.reject_button.setToolTip("Not the same content: never suggest this pair again (X)")
        self.reject_button.clicked.connect(lambda: self.reject_current())

        self.table = QTableView(self)
        self.table.setObjectName("suggestionsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(3 * self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SCORE_COL, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(SCORE_COL, 56)
        header.setSectionResizeMode(SOURCE_COL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TARGET_COL, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open)
        for key, slot in (
            ("A", lambda: self.accept_current()),
            ("Shift+A", lambda: self.accept_current(ask=True)),
            ("X", lambda: self.reject_current()),
        ):
            action = QAction(self.table)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, s=slot: s())
            self.table.addAction(action)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 2)
        bar.addWidget(self.story_scope)
        bar.addWidget(self.span_scope)
        bar.addWidget(self.find_button)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.accept_button)
        bar.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.model.modelReset.connect(self._select_first)
        self._update_status()

    # -- what to look for ----------------------------------------------------------------------
    def set_story(self, story: str | None) -> None:
        if story != self.story:
            self.story = story
            if self.story_scope.isChecked():
                self.find_suggestions()

    def set_span(self, span_id: int | None) -> None:
        if span_id != self.span_id:
            self.span_id = span_id
            if self.span_scope.isChecked():
                self.find_suggestions()

    def find_suggestions(self) -> Job | None:
        """Look for suggestions (story or selected span) in a background job."""
        if self.job is not None and not self.job.done:
            self.job.cancel()
        story, span_id = self.story, self.span_id
        if self.story_scope.isChecked():
            if story is None:
                self.model.set_candidates([])
                self.status.setText("Open an article of a story to get suggestions.")
                return None

            def work(project: Project, _job: Job) -> Any:
                return link_suggest.suggest_for_story(project, story)
        else:
            if span_id is None:
                self.model.set_candidates([])
                self.status.setText("Select a span to get suggestions for it.")
                return None

            def work(project: Project, _job: Job) -> Any:
                return link_suggest.suggest_for_span(project, span_id)

        self.status.setText("Looking for passages with the same content…")
        start = self.runner.start if self.runner is not None else None
        if start is not None:
            self.job = start(
                self.project, work, "Suggesting links", finished=self._found, failed=self._failed
            )
        else:
            self.job = run_job(
                self.project, work, "Suggesting links", finished=self._found, failed=self._failed
            )
        return self.job

    def _found(self, candidates: list[LinkCandidate]) -> None:
        for aid in {c.source_article_id for c in candidates} | {c.target_article_id for c in candidates}:
            if aid not in self._outlets:
                self._outlets[aid] = get_article(self.project, aid).outlet or "(no outlet)"
        self.model.set_candidates(candidates, self._outlets)
        self._update_status()

    def _failed(self, message: str) -> None:
        self.status.setText(message)

    def _update_status(self) -> None:
        n = self.model.rowCount()
        self.status.setText(f"{n} suggestion{'s' if n != 1 else ''} · A accept · Shift+A type · X reject")
        has = self.current() is not None
        self.accept_button.setEnabled(has)
        self.reject_button.setEnabled(has)

    # -- accept / reject -----------------------------------------------------------------------
    def current(self) -> LinkCandidate | None:
        index = self.table.currentIndex()
        return self.model.candidate(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        if self.model.rowCount():
            row = max(0, min(row, self.model.rowCount() - 1))
            self.table.setCurrentIndex(self.model.index(row, SOURCE_COL))
            self.table.selectRow(row)
        self._update_status()

    def _select_first(self) -> None:
        self.select_row(0)

    def accept_current(self, link_type: str | None = None, *, ask: bool = False) -> bool:
        candidate = self.current()
        if candidate is None:
            return False
        types = label_service.list_link_types(self.project)
        if ask and link_type is None:
            rect = self.table.visualRect(self.table.currentIndex())
            at = self.table.viewport().mapToGlobal(rect.bottomLeft())
            link_type = link_type_menu.choose_link_type(
                self, types, at, title="Accept as", default="SAME_CLAIM"
            )
            if link_type is None:
                return False
        link_type = link_type or "SAME_CLAIM"
        name = next((t.name for t in types if t.key == link_type), link_type)
        command = AcceptLinkCandidateCommand(
            self.project, self.events, candidate, link_type, self.annotator, type_name=name
        )
        if not push_command(self.undo_stack, command):
            return False
        row = self.model.remove(candidate) or 0
        command.undone = lambda: self._restore(row, candidate)
        command.redone = lambda: self._forget(candidate)
        self.select_row(row)
        return True

    def _forget(self, candidate: LinkCandidate) -> None:
        self.model.remove(candidate)
        self._update_status()

    def _restore(self, row: int, candidate: LinkCandidate) -> None:
        self.model.insert(row, candidate)
        self.select_row(row)

    def reject_current(self) -> bool:
        candidate = self.current()
        if candidate is None:
            return False
        link_suggest.reject_candidate(self.project, candidate, self.annotator)
        row = self.model.remove(candidate) or 0
        self.select_row(row)
        return True

    def _open(self, index: QModelIndex) -> None:
        c = index.data(CANDIDATE_ROLE)
        if c is None:
            return
        if index.column() == TARGET_COL:
            self.passageActivated.emit(c.target_article_id, c.target_start, c.target_end)
        else:
            self.passageActivated.emit(c.source_article_id, c.source_start, c.source_end)
