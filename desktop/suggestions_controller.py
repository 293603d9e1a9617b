"""SuggestionsController: span suggestions in the reader (issue 6).

It runs ``db.suggest.suggest_for_article`` for the open article in a background job (spaCy is
loaded there, on first use, never at startup), keeps the result per article, paints what is still
offered in the reader (``ArticleView.set_suggestions``: dashed outlines) and turns the analyst's
decisions into undo commands (``desktop.suggestion_commands``).

Keys while the article text has focus (this object filters the view's keys before the reader):
    S / Shift+S          next / previous suggestion
    Tab / Shift+Tab      next / previous suggestion while a suggestion is selected; with nothing
                         selected, the next span or suggestion, whichever comes first
    Enter or A           accept the selected suggestion
    X or Backspace       reject it (stored; never offered again for this article)
    Escape               cancel a running suggestion job, else drop the suggestion selection

Signals:
    suggestionsChanged(int article_id): what is offered for this article changed (a new result, a
        decision, an undo).
    runningChanged(int article_id, bool running): a suggestion job started or ended.
    message(str text, int timeout_ms): a line for the status bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import QMenu

from db import spans as span_service
from db.project import Project
from desktop.jobs import Job, JobCancelled, JobRunner
from desktop.keys import take_key
from desktop.project_events import ProjectEvents
from desktop.undo_commands import push_command

if TYPE_CHECKING:
    from db.records import SpanRecord
    from db.suggest import SuggestedSpan, SuggestionSet
    from desktop.job_status import JobStatus
    from desktop.reader_pane import ReaderPane

_ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A)
_REJECT_KEYS = (Qt.Key.Key_X, Qt.Key.Key_Backspace, Qt.Key.Key_Delete)


def _key(s: Any) -> tuple[int, int, str]:
    return s.start, s.end, s.label


class SuggestionsController(QObject):
    """Suggestions for one project's reader; see the module docstring."""

    suggestionsChanged = Signal(int)
    runningChanged = Signal(int, bool)
    message = Signal(str, int)

    def __init__(
        self,
        project: Project,
        undo_stack: QUndoStack,
        events: ProjectEvents,
        annotator: str,
        *,
        runner: JobRunner | None = None,
        job_status: JobStatus | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.events = events
        self._annotator = annotator
        self.runner = runner if runner is not None else JobRunner(self)
        self.job_status = job_status
        self.reader: ReaderPane | None = None
        #: Suggest as soon as an article opens (the "Suggest automatically" setting).
        self.automatic = False
        #: A spaCy pipeline name for ``db.suggest.load_pipeline`` (None: the installed default).
        self.pipeline: str | None = None
        self._sets: dict[int, tuple[str, SuggestionSet]] = {}  # article -> (annotator, result)
        self._decided: dict[int, set[tuple[int, int, str]]] = {}
        self._jobs: dict[int, Job] = {}
        self._auto_jobs: set[int] = set()
        events.spanUpdated.connect(self._span_updated)

    # -- the reader ----------------------------------------------------------------------------
    @property
    def annotator(self) -> str:
        return self.reader.annotator if self.reader is not None else self._annotator

    def attach(self, reader: ReaderPane) -> None:
        """Work with this reader: paint suggestions in its view and answer the suggestion keys."""
        self.reader = reader
        reader.view.installEventFilter(self)  # installed after the reader's own: runs first
        reader.view.suggestionClicked.connect(self._suggestion_clicked)
        reader.articleShown.connect(self._article_shown)
        reader.view.customContextMenuRequested.connect(self._context_menu)
        if reader.article is not None:
            self._article_shown(reader.article.id)

    def current_article(self) -> int | None:
        article = self.reader.article if self.reader is not None else None
        return article.id if article is not None else None

    def _article_shown(self, article_id: int) -> None:
        for other in list(self._auto_jobs):
            if other != article_id:
                self.cancel(other)
        if self.suggestion_set(article_id) is not None:
            self._show(article_id)
        elif self.automatic:
            self.suggest(article_id, automatic=True)

    def _show(self, article_id: int) -> None:
        if self.reader is not None and self.current_article() == article_id:
            self.reader.view.set_suggestions(self.offered(article_id))

    # -- running -------------------------------------------------------------------------------
    def is_running(self, article_id: int | None = None) -> bool:
        """Whether a job (for the article, or any) has not reported back yet."""
        # Until its report arrives, not merely until its thread is done: the result is not shown yet.
        return bool(self._jobs) if article_id is None else article_id in self._jobs

    def suggest(self, article_id: int | None = None, *, automatic: bool = False) -> Job | None:
        """Start suggesting for an article (default: the open one). None if already running."""
        article_id = article_id if article_id is not None else self.current_article()
        if article_id is None or self.is_running(article_id):
            return None
        annotator, pipeline = self.annotator, self.pipeline

        def work(project: Project, job: Job) -> SuggestionSet:
            from db.suggest import SuggestCancelled, load_pipeline, suggest_for_article

            job.progress(0, 0, "Loading the language pipeline…")
            nlp = load_pipeline(pipeline)
            job.check()
            job.progress(0, 0, "Suggesting spans…")
            try:
                return suggest_for_article(project, article_id, annotator, job.is_cancelled, nlp=nlp)
            except SuggestCancelled:
                raise JobCancelled from None

        job = self.runner.start(
            self.project,
            work,
            "Suggesting spans",
            finished=self._finished,
            failed=self._failed,
            cancelled=self._cancelled,
        )
        self._jobs[article_id] = job
        if automatic:
            self._auto_jobs.add(article_id)
        if self.job_status is not None:
            self.job_status.track(job, "Suggesting spans…")
        self.runningChanged.emit(article_id, True)
        return job

    def cancel(self, article_id: int | None = None) -> bool:
        """Ask the job for an article (default: every job) to stop. True if one was running."""
        jobs = [self._jobs.get(article_id)] if article_id is not None else list(self._jobs.values())
        running = [j for j in jobs if j is not None and not j.done]
        for job in running:
            job.cancel()
        return bool(running)

    def _job_article(self) -> int | None:
        sender = self.sender()
        for article_id, job in self._jobs.items():
            if job.signals is sender:
                return article_id
        return None

    def _ended(self) -> int | None:
        article_id = self._job_article()
        if article_id is not None:
            self._jobs.pop(article_id, None)
            self._auto_jobs.discard(article_id)
            self.runningChanged.emit(article_id, False)
        return article_id

    def _finished(self, result: object) -> None:
        article_id = self._ended()
        from db.suggest import SuggestionSet

        if article_id is None or not isinstance(result, SuggestionSet):
            return
        self._sets[article_id] = (self.annotator, result)
        self._decided[article_id] = set()
        self._show(article_id)
        self.suggestionsChanged.emit(article_id)
        n = len(result.spans)
        if n:
            self.message.emit(
                f"{n} suggestion{'s' if n != 1 else ''}: S steps through them, Enter or A accepts, X rejects",
                10_000,
            )
        else:
            self.message.emit("No new suggestions for this article", 6000)

    def _failed(self, text: str) -> None:
        self._ended()
        self.message.emit(text, 10_000)

    def _cancelled(self) -> None:
        self._ended()
        self.message.emit("Suggestions cancelled", 4000)

    # -- what is offered -----------------------------------------------------------------------
    def suggestion_set(self, article_id: int) -> SuggestionSet | None:
        """The last result for the article, if it was computed for the current annotator."""
        found = self._sets.get(article_id)
        return found[1] if found is not None and found[0] == self.annotator else None

    def offered(self, article_id: int) -> list[SuggestedSpan]:
        """The suggestions still waiting for a decision, in reading order."""
        result = self.suggestion_set(article_id)
        if result is None:
            return []
        decided = self._decided.get(article_id, set())
        return [s for s in result.spans if _key(s) not in decided]

    def mark_decided(self, article_id: int, suggestions: Sequence[Any]) -> None:
        self._decided.setdefault(article_id, set()).update(_key(s) for s in suggestions)
        self._changed(article_id)

    def mark_offered(self, article_id: int, suggestions: Sequence[Any]) -> None:
        self._decided.setdefault(article_id, set()).difference_update(_key(s) for s in suggestions)
        self._changed(article_id)

    def _changed(self, article_id: int) -> None:
        self._show(article_id)
        self.suggestionsChanged.emit(article_id)

    def _span_updated(self, span: SpanRecord) -> None:
        # A span the analyst made by hand over a suggestion settles that suggestion.
        if span.status != "active" or span.annotator != self.annotator:
            return
        result = self.suggestion_set(span.article_id)
        decided = self._decided.get(span.article_id, set())
        if result is not None and _key(span) not in decided and _key(span) in {_key(s) for s in result.spans}:
            self.mark_decided(span.article_id, [span])

    def claim_spans(self, article_id: int) -> dict[tuple[int, int, str], int]:
        """The annotator's active spans in the article, by (start, end, label): accepted claims."""
        spans = span_service.spans_for_article(self.project, article_id, [self.annotator])
        return {_key(s): s.id for s in spans}

    # -- decisions -----------------------------------------------------------------------------
    def _label_name(self, key: str | None) -> str | None:
        labels = self.reader.label_records() if self.reader is not None else []
        return next((lb.name for lb in labels if lb.key == key), None)

    def accept(self, suggestion: SuggestedSpan | None = None) -> bool:
        """Accept a suggestion (default: the selected one) into the annotator's layer."""
        from desktop.suggestion_commands import AcceptSuggestionCommand

        found = self._decision_target(suggestion)
        if found is None:
            return False
        article_id, s, result = found
        following = self._neighbour(s, True)
        command = AcceptSuggestionCommand(
            self.project,
            self.events,
            self,
            article_id,
            s,
            self.annotator,
            result,
            label_name=self._label_name(s.label),
        )
        if not push_command(self.undo_stack, command):
            return False
        self._after_decision(following, command.record.id if command.record else None)
        return True

    def reject(self, suggestion: SuggestedSpan | None = None) -> bool:
        """Reject a suggestion (default: the selected one); it is stored and not offered again."""
        from desktop.suggestion_commands import RejectSuggestionCommand

        found = self._decision_target(suggestion)
        if found is None:
            return False
        article_id, s, _result = found
        following = self._neighbour(s, True)
        command = RejectSuggestionCommand(
            self.project,
            self.events,
            self,
            article_id,
            s,
            self.annotator,
            label_name=self._label_name(s.label),
        )
        if not push_command(self.undo_stack, command):
            return False
        self._after_decision(following, None)
        return True

    def accept_all(self, label: str | None = None) -> bool:
        """Accept every offered suggestion with ``label`` (every label when None): one undo step."""
        from dataclasses import replace

        from desktop.suggestion_commands import AcceptAllCommand

        article_id = self.current_article()
        result = self.suggestion_set(article_id) if article_id is not None else None
        if article_id is None or result is None:
            return False
        offered = tuple(s for s in self.offered(article_id) if label is None or s.label == label)
        if not offered:
            self.message.emit("Nothing of that kind is suggested in this article", 4000)
            return False
        command = AcceptAllCommand(
            self.project,
            self.events,
            self,
            article_id,
            label,
            self.annotator,
            replace(result, spans=offered),
            label_name=self._label_name(label),
        )
        return push_command(self.undo_stack, command)

    def _decision_target(self, suggestion: SuggestedSpan | None) -> tuple[int, Any, Any] | None:
        article_id = self.current_article()
        if self.reader is None or article_id is None:
            return None
        result = self.suggestion_set(article_id)
        s = suggestion if suggestion is not None else self.reader.view.selected_suggestion()
        if result is None or s is None or s not in self.offered(article_id):
            return None
        return article_id, s, result

    def _after_decision(self, following: SuggestedSpan | None, span_id: int | None) -> None:
        # Keep the analyst moving through the suggestions; after the last, show the new span.
        if self.reader is None:
            return
        if following is not None and following in self.reader.view.suggestions:
            self.select(following)
        elif span_id is not None:
            self.reader.select_span(span_id)

    # -- moving --------------------------------------------------------------------------------
    def select(self, suggestion: SuggestedSpan | None) -> None:
        """Select a suggestion in the reader and scroll to it."""
        if self.reader is None:
            return
        view = self.reader.view
        view.select_suggestion(suggestion)
        if suggestion is not None:
            view.scroll_to_suggestion(suggestion)
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _neighbour(self, current: Any, forward: bool, offset: int = 0) -> SuggestedSpan | None:
        items: list[SuggestedSpan] = list(self.reader.view.suggestions) if self.reader is not None else []
        if not items:
            return None
        if current in items:
            i = items.index(current) + (1 if forward else -1)
            return items[i] if 0 <= i < len(items) else None
        after = [s for s in items if s.start >= offset] if forward else [s for s in items if s.start < offset]
        if not after:
            return None
        return after[0] if forward else after[-1]

    def next(self, forward: bool = True) -> bool:
        """Select the next (or previous) suggestion in reading order, from the cursor if none is selected."""
        if self.reader is None:
            return False
        view = self.reader.view
        cursor = view.textCursor()
        offset = view._map.from_utf16(cursor.selectionEnd() if forward else cursor.selectionStart())
        span = view.selected_span()
        if span is not None:
            offset = span.start + (1 if forward else 0)
        found = self._neighbour(view.selected_suggestion(), forward, offset)
        if found is None:
            self.message.emit("No more suggestions this way", 3000)
            return False
        self.select(found)
        return True

    def _tab_from_nothing(self, forward: bool) -> bool:
        # Nothing selected: Tab goes to the next span or suggestion, whichever comes first.
        assert self.reader is not None
        view = self.reader.view
        cursor = view.textCursor()
        offset = view._map.from_utf16(cursor.selectionEnd() if forward else cursor.selectionStart())
        suggestion = self._neighbour(None, forward, offset)
        span = view.index.neighbour(None, offset, forward)
        if suggestion is None:
            return self.reader.select_next(forward)
        if span is not None and (
            (span.start <= suggestion.start) if forward else (span.start > suggestion.start)
        ):
            return self.reader.select_next(forward)
        self.select(suggestion)
        return True

    def show_claim(self, suggestion: SuggestedSpan) -> bool:
        """Select a claim of the open article: the suggestion if still offered, else its span."""
        article_id = self.current_article()
        if self.reader is None or article_id is None:
            return False
        if suggestion in self.offered(article_id):
            self.select(suggestion)
            return True
        span_id = self.claim_spans(article_id).get(_key(suggestion))
        if span_id is None:
            self.message.emit("You rejected that suggestion", 3000)
            return False
        self.reader.select_span(span_id)
        self.reader.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _suggestion_clicked(self, suggestion: object) -> None:
        label = self._label_name(getattr(suggestion, "label", None))
        self.message.emit(
            f"Suggested {label or 'span'}: Enter or A accepts, X rejects, S goes to the next", 6000
        )

    def build_context_menu(self, pos: QPoint) -> QMenu | None:
        """Accept / reject / accept all of its label, for a right click on a suggestion that no span
        covers (over a span, the reader's own menu shows)."""
        if self.reader is None:
            return None
        view = self.reader.view
        offset = view.offset_at(pos)
        if view.text_selection() is not None:  # the reader offers its labels for the selection
            return None
        if offset is None or view.span_ids_at(offset) or not view.suggestions_at(offset):
            return None
        suggestion = view.suggestions_at(offset)[0]
        self.select(suggestion)
        name = self._label_name(suggestion.label) or suggestion.label
        menu = QMenu(view)
        menu.addAction(f"Accept suggested {name}\tEnter", lambda: self.accept(suggestion))
        menu.addAction("Reject suggestion\tX", lambda: self.reject(suggestion))
        menu.addSeparator()
        menu.addAction(f"Accept all suggested {name}s", lambda: self.accept_all(suggestion.label))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.build_context_menu(pos)
        if menu is not None and self.reader is not None:
            menu.exec(self.reader.view.viewport().mapToGlobal(pos))

    # -- keys ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.reader is not None and watched is self.reader.view and take_key(event, self._key_action):
            return True
        return super().eventFilter(watched, event)

    def _key_action(self, event: QKeyEvent) -> Any:
        assert self.reader is not None
        view = self.reader.view
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        none = mods == Qt.KeyboardModifier.NoModifier
        shift = mods == Qt.KeyboardModifier.ShiftModifier
        article_id = self.current_article()
        if key == Qt.Key.Key_Escape and none and article_id is not None and self.is_running(article_id):
            return lambda: self.cancel(article_id)
        if view.suggestions and (article_id is None or self.suggestion_set(article_id) is None):
            view.set_suggestions([])  # they were another annotator's (File ▸ Change annotator)
        if not view.suggestions:
            return None
        if key == Qt.Key.Key_S and (none or shift) and not self._label_uses("s"):
            return lambda: self.next(forward=none)
        selected = view.selected_suggestion()
        backtab = key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and shift)
        if selected is None:
            tab = (key == Qt.Key.Key_Tab and none) or backtab
            if tab and view.selected_span_id() is None and not view.textCursor().hasSelection():
                return lambda: self._tab_from_nothing(not backtab)
            return None
        if key in _ACCEPT_KEYS and none and not (key == Qt.Key.Key_A and self._label_uses("a")):
            return self.accept
        if key in _REJECT_KEYS and none and not (key == Qt.Key.Key_X and self._label_uses("x")):
            return self.reject
        if key == Qt.Key.Key_Tab and none:
            return lambda: self.next(True)
        if backtab:
            return lambda: self.next(False)
        if key == Qt.Key.Key_Escape and none:
            return lambda: view.select_suggestion(None)
        return None

    def _label_uses(self, letter: str) -> bool:
        labels = self.reader.label_records() if self.reader is not None else []
        return any((lb.shortcut or "").lower() == letter for lb in labels)

    def close(self) -> None:
        """Stop listening to the reader and cancel running jobs (the project is being replaced)."""
        self.cancel()
        if self.reader is not None:
            self.reader.view.removeEventFilter(self)
            self.reader = None
