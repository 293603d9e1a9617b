"""Undo commands for span suggestions (issue 6): accept one, reject one, accept all of a label.

Each makes one ``db.suggest`` service call (see ``desktop.undo_commands.ServiceCommand``):

- ``AcceptSuggestionCommand``: ``accept_suggestion`` (a span with origin "suggested", plus its
  SOURCE_OF link when the other end is accepted too). Undo deletes the span it created, and the
  links with it; redo puts them back with the same ids.
- ``RejectSuggestionCommand``: ``reject_suggestion`` (kept so it is never offered again). Undo
  removes the rejection (``unreject_suggestion``), so the suggestion is offered again.
- ``AcceptAllCommand``: ``accept_all`` for one label (or all) in one transaction; one undo step.

The commands tell a ``SuggestionBoard`` (the suggestions controller) which suggestions are decided
or offered again, so the reader's dashed outlines follow undo and redo.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from db import spans as span_service
from db.project import Project
from db.records import DeletedSpan, SpanRecord
from db.suggest import (
    SuggestedSpan,
    SuggestionSet,
    accept_all,
    accept_suggestion,
    reject_suggestion,
    unreject_suggestion,
)
from desktop.project_events import ProjectEvents
from desktop.undo_commands import ServiceCommand, quote


class SuggestionBoard(Protocol):
    """What the commands tell about the suggestions they decide on (implemented by the controller)."""

    def mark_decided(self, article_id: int, suggestions: Sequence[SuggestedSpan]) -> None: ...

    def mark_offered(self, article_id: int, suggestions: Sequence[SuggestedSpan]) -> None: ...


def _key(s: SuggestedSpan | SpanRecord) -> tuple[int, int, str]:
    return s.start, s.end, s.label


def _decided_before(project: Project, article_id: int, annotator: str) -> dict[int, str]:
    """Status of each of the annotator's spans in the article, by id (rejections included)."""
    spans = span_service.spans_for_article(project, article_id, [annotator], include_rejected=True)
    return {s.id: s.status for s in spans}


class _AcceptBase(ServiceCommand):
    """Accepting creates spans (undo deletes them) or, for a suggestion rejected before and then
    accepted after all, turns the rejection into a span (undo turns it back)."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        board: SuggestionBoard,
        article_id: int,
        annotator: str,
        suggestions: SuggestionSet,
        text: str,
    ) -> None:
        super().__init__(project, events, text)
        self.board, self.article_id, self.annotator = board, article_id, annotator
        self.suggestions = suggestions
        self.records: list[SpanRecord] = []
        self._created: list[SpanRecord] | None = None  # None until first applied
        self._deleted: list[DeletedSpan] = []
        self._reactivated: set[int] = set()

    def chosen(self) -> list[SuggestedSpan]:
        raise NotImplementedError

    def accept(self) -> list[SpanRecord]:
        raise NotImplementedError

    def apply(self) -> Callable[[], None]:
        chosen = self.chosen()
        if self._created is None:
            before = _decided_before(self.project, self.article_id, self.annotator)
            self.records = self.accept()
            # A span that was active before is the analyst's own: undo leaves it alone.
            self._reactivated = {r.id for r in self.records if before.get(r.id) == "rejected"}
            self._created = [r for r in self.records if r.id not in before]
        else:  # redo: the same spans (ids, uids, links) come back
            restored = [span_service.restore_span(self.project, d) for d in reversed(self._deleted)]
            again = [span_service.set_span_status(self.project, i, "active") for i in self._reactivated]
            self._created = restored
            self.records = restored + again
            self._deleted = []
        records = list(self.records)

        def announce() -> None:
            self.board.mark_decided(self.article_id, chosen)
            for record in records:
                self.events.span_updated(record)
            self.events.links_changed([self.article_id])

        return announce

    def revert(self) -> Callable[[], None]:
        created = list(self._created or [])
        # Deleting a span takes its links along; restoring in reverse order brings each link back
        # once both its ends exist again.
        self._deleted = [span_service.delete_span(self.project, r.id) for r in created]
        for span_id in self._reactivated:
            span_service.set_span_status(self.project, span_id, "rejected")
        gone = [r for r in self.records if r.id in self._reactivated] + created
        again = _keys(created)
        offered = [s for s in self.chosen() if _key(s) in again]

        def announce() -> None:
            for record in gone:
                self.events.span_removed(self.article_id, record.id)
            self.events.links_changed([self.article_id])
            self.board.mark_offered(self.article_id, offered)

        return announce


def _keys(records: Sequence[SpanRecord]) -> set[tuple[int, int, str]]:
    return {_key(r) for r in records}


class AcceptSuggestionCommand(_AcceptBase):
    """Accept one suggestion into ``annotator``'s layer; ``record`` is the span once applied."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        board: SuggestionBoard,
        article_id: int,
        suggestion: SuggestedSpan,
        annotator: str,
        suggestions: SuggestionSet,
        *,
        label_name: str | None = None,
    ) -> None:
        text = f"Accept suggested {label_name or suggestion.label} {quote(suggestion.text)}"
        super().__init__(project, events, board, article_id, annotator, suggestions, text)
        self.suggestion = suggestion

    @property
    def record(self) -> SpanRecord | None:
        return self.records[0] if self.records else None

    def chosen(self) -> list[SuggestedSpan]:
        return [self.suggestion]

    def accept(self) -> list[SpanRecord]:
        s = self.suggestion
        return [
            accept_suggestion(
                self.project,
                self.article_id,
                self.annotator,
                s.start,
                s.end,
                s.label,
                suggestions=self.suggestions,
            )
        ]


class AcceptAllCommand(_AcceptBase):
    """Accept every offered suggestion with ``label`` (every label when None): one undo step."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        board: SuggestionBoard,
        article_id: int,
        label: str | None,
        annotator: str,
        suggestions: SuggestionSet,
        *,
        label_name: str | None = None,
    ) -> None:
        offered = [s for s in suggestions.spans if label is None or s.label == label]
        n = len(offered)
        what = f"suggested {label_name or label}{'s' if n != 1 else ''}" if label else "suggestions"
        super().__init__(
            project,
            events,
            board,
            article_id,
            annotator,
            replace(suggestions, spans=tuple(offered), links=()),
            f"Accept {n} {what}",
        )
        self.label = label

    def chosen(self) -> list[SuggestedSpan]:
        return list(self.suggestions.spans)

    def accept(self) -> list[SpanRecord]:
        return accept_all(self.project, self.article_id, self.annotator, self.label, self.suggestions)


class RejectSuggestionCommand(ServiceCommand):
    """Reject one suggestion: stored, never offered again; undo offers it again."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        board: SuggestionBoard,
        article_id: int,
        suggestion: SuggestedSpan,
        annotator: str,
        *,
        label_name: str | None = None,
    ) -> None:
        super().__init__(
            project, events, f"Reject suggested {label_name or suggestion.label} {quote(suggestion.text)}"
        )
        self.board, self.article_id = board, article_id
        self.suggestion, self.annotator = suggestion, annotator
        self.record: SpanRecord | None = None

    def apply(self) -> Callable[[], None]:
        s = self.suggestion
        self.record = reject_suggestion(
            self.project, self.article_id, self.annotator, s.start, s.end, s.label
        )
        return lambda: self.board.mark_decided(self.article_id, [s])

    def revert(self) -> Callable[[], None]:
        s = self.suggestion
        unreject_suggestion(self.project, self.article_id, self.annotator, s.start, s.end, s.label)
        return lambda: self.board.mark_offered(self.article_id, [s])
