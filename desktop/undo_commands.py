"""Undo commands: every edit an analyst makes to spans and links, one ``db`` service call each.

How to use them (the interface the reader pane and the main window share)::

    command = AddSpanCommand(project, events, article_id, start, end, "ATTRIBUTION", "alice",
                             label_name="Attribution", quote="Blinken said")
    if push_command(undo_stack, command):
        ...  # the span is committed; command.record is its SpanRecord

``push_command`` makes the first service call *before* the command reaches the stack: the change
is committed before the screen shows it, and a call that raises (a span deleted behind the view's
back, a locked database) emits ``ProjectEvents.commandFailed`` and leaves the stack untouched.
A later undo or redo that fails also emits ``commandFailed`` and drops that command from the stack
(``setObsolete``), so the stack never offers a step that cannot be made.

After each successful redo/undo the command announces the change on ``ProjectEvents``
(``span_updated`` / ``span_removed`` / ``links_changed``), once the transaction has committed.
``setText`` gives the Edit menu's words, e.g. "Label “Blinken said” as Attribution".
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.exc import SQLAlchemyError

from db import links as link_service
from db import spans as span_service
from db.errors import NewsmarkError
from db.project import Project
from db.records import DeletedSpan, LinkRecord, SpanRecord
from desktop.project_events import ProjectEvents

QUOTE_LIMIT = 40
MOVE_SPAN_ID = 0x4E4D01  # QUndoCommand.id() shared by boundary moves, so repeated nudges merge


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A span's text as the Edit menu shows it: one line, at most ``limit`` characters, in quotes."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return f"“{flat}”"


def error_message(exc: Exception) -> str:
    if isinstance(exc, NewsmarkError):
        return str(exc)
    return f"The change could not be saved: {exc}"


class ServiceCommand(QUndoCommand):
    """Base of every Newsmark undo command: ``apply`` and ``revert`` each make one service call.

    Subclasses implement ``apply()`` / ``revert()``; each returns the announcement to emit once
    the call has committed. Use ``push_command`` to put a command on a stack.
    """

    def __init__(self, project: Project, events: ProjectEvents, text: str = "") -> None:
        super().__init__(text)
        self.project = project
        self.events = events
        self._applied_before_push: Callable[[], None] | None = None

    def apply(self) -> Callable[[], None]:
        raise NotImplementedError

    def revert(self) -> Callable[[], None]:
        raise NotImplementedError

    def redo(self) -> None:
        announce = self._applied_before_push
        if announce is not None:
            # push_command already made the call; announce it now that the stack shows the step.
            self._applied_before_push = None
            announce()
            return
        self._guarded(self.apply)

    def undo(self) -> None:
        self._guarded(self.revert)

    def _guarded(self, call: Callable[[], Callable[[], None]]) -> None:
        try:
            announce = call()
        except (NewsmarkError, SQLAlchemyError) as exc:
            # The step cannot be made any more (its span is gone, ...): drop it from the stack.
            self.setObsolete(True)
            self.events.commandFailed.emit(error_message(exc))
            return
        announce()


def push_command(stack: QUndoStack, command: ServiceCommand) -> bool:
    """Make the command's service call, then put it on ``stack``. False (and ``commandFailed``) if it fails."""
    try:
        command._applied_before_push = command.apply()
    except (NewsmarkError, SQLAlchemyError) as exc:
        command.events.commandFailed.emit(error_message(exc))
        return False
    stack.push(command)
    return True


# ----------------------------------------------------------------------------------------- spans


class AddSpanCommand(ServiceCommand):
    """Add a span (``db.spans.add_span``); undo deletes it, redo restores the same id and uid."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        article_id: int,
        start: int,
        end: int,
        label: str,
        annotator: str,
        *,
        label_name: str | None = None,
        quote_text: str = "",
        note: str | None = None,
    ) -> None:
        super().__init__(project, events, f"Label {quote(quote_text)} as {label_name or label}")
        self.article_id, self.start, self.end = article_id, start, end
        self.label, self.annotator, self.note = label, annotator, note
        self.record: SpanRecord | None = None
        self._deleted: DeletedSpan | None = None

    def apply(self) -> Callable[[], None]:
        if self._deleted is None:
            record = span_service.add_span(
                self.project,
                self.article_id,
                self.start,
                self.end,
                self.label,
                self.annotator,
                note=self.note,
            )
        else:
            record = span_service.restore_span(self.project, self._deleted)
        self.record = record
        return lambda: self.events.span_updated(record)

    def revert(self) -> Callable[[], None]:
        assert self.record is not None
        deleted = span_service.delete_span(self.project, self.record.id)
        self._deleted = deleted
        return lambda: _announce_removed(self.events, deleted)


class DeleteSpanCommand(ServiceCommand):
    """Delete a span and its links (``db.spans.delete_span``); undo restores id, uid and links."""

    def __init__(
        self, project: Project, events: ProjectEvents, span: SpanRecord, *, label_name: str | None = None
    ):
        super().__init__(project, events, f"Delete {label_name or span.label} {quote(span.text)}")
        self.span = span
        self._deleted: DeletedSpan | None = None

    def apply(self) -> Callable[[], None]:
        deleted = span_service.delete_span(self.project, self.span.id)
        self._deleted = deleted
        return lambda: _announce_removed(self.events, deleted)

    def revert(self) -> Callable[[], None]:
        assert self._deleted is not None
        deleted = self._deleted
        record = span_service.restore_span(self.project, deleted)

        def announce() -> None:
            self.events.span_updated(record)
            if deleted.links:
                self.events.links_changed(_link_articles(deleted.links))

        return announce


class RelabelSpanCommand(ServiceCommand):
    """Give a span another label (``db.spans.relabel_span``)."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        span: SpanRecord,
        label: str,
        *,
        label_name: str | None = None,
    ) -> None:
        super().__init__(project, events, f"Relabel {quote(span.text)} as {label_name or label}")
        self.span_id, self.old_label, self.new_label = span.id, span.label, label

    def apply(self) -> Callable[[], None]:
        return self._set(self.new_label)

    def revert(self) -> Callable[[], None]:
        return self._set(self.old_label)

    def _set(self, label: str) -> Callable[[], None]:
        record = span_service.relabel_span(self.project, self.span_id, label)
        return lambda: self.events.span_updated(record)


class MoveSpanCommand(ServiceCommand):
    """Move a span's boundaries (``db.spans.move_span``). Consecutive moves of one span merge."""

    def __init__(
        self, project: Project, events: ProjectEvents, span: SpanRecord, start: int, end: int
    ) -> None:
        super().__init__(project, events, f"Resize span {quote(span.text)}")
        self.span_id = span.id
        self.old = (span.start, span.end)
        self.new = (start, end)

    def id(self) -> int:
        return MOVE_SPAN_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MoveSpanCommand) or other.span_id != self.span_id:
            return False
        self.new = other.new
        self.setText(other.text())
        # Nudged back to where it started: nothing left to undo.
        self.setObsolete(self.new == self.old)
        return True

    def apply(self) -> Callable[[], None]:
        return self._move(self.new)

    def revert(self) -> Callable[[], None]:
        return self._move(self.old)

    def _move(self, where: tuple[int, int]) -> Callable[[], None]:
        record = span_service.move_span(self.project, self.span_id, *where)
        if where == self.new:
            self.setText(f"Resize span to {quote(record.text)}")
        return lambda: self.events.span_updated(record)


class SetSpanNoteCommand(ServiceCommand):
    """Set or clear a span's note (``db.spans.set_span_note``)."""

    def __init__(self, project: Project, events: ProjectEvents, span: SpanRecord, note: str | None) -> None:
        verb = "Edit note on" if note else "Clear note on"
        super().__init__(project, events, f"{verb} {quote(span.text)}")
        self.span_id, self.old_note, self.new_note = span.id, span.note, note or None

    def apply(self) -> Callable[[], None]:
        return self._set(self.new_note)

    def revert(self) -> Callable[[], None]:
        return self._set(self.old_note)

    def _set(self, note: str | None) -> Callable[[], None]:
        record = span_service.set_span_note(self.project, self.span_id, note)
        return lambda: self.events.span_updated(record)


def _link_articles(links: tuple[LinkRecord, ...] | list[LinkRecord]) -> list[int]:
    ids: list[int] = []
    for link in links:
        ids += [link.source_article_id, link.target_article_id]
    return ids


def _announce_removed(events: ProjectEvents, deleted: DeletedSpan) -> None:
    events.span_removed(deleted.span.article_id, deleted.span.id)
    if deleted.links:
        events.links_changed(_link_articles(deleted.links))


# ----------------------------------------------------------------------------------------- links


class AddLinkCommand(ServiceCommand):
    """Link two spans (``db.links.add_link``); undo deletes the link, redo restores the same id."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        source: SpanRecord,
        target: SpanRecord,
        link_type: str,
        annotator: str,
        *,
        type_name: str | None = None,
        note: str | None = None,
    ) -> None:
        super().__init__(
            project,
            events,
            f"Link {quote(source.text, 24)} → {quote(target.text, 24)} ({type_name or link_type})",
        )
        self.source_id, self.target_id = source.id, target.id
        self.link_type, self.annotator, self.note = link_type, annotator, note
        self.record: LinkRecord | None = None

    def apply(self) -> Callable[[], None]:
        if self.record is None:
            record = link_service.add_link(
                self.project, self.source_id, self.target_id, self.link_type, self.annotator, note=self.note
            )
        else:
            record = link_service.restore_link(self.project, self.record)
        self.record = record
        return lambda: self.events.links_changed(_link_articles([record]))

    def revert(self) -> Callable[[], None]:
        assert self.record is not None
        record = link_service.delete_link(self.project, self.record.id)
        return lambda: self.events.links_changed(_link_articles([record]))


class DeleteLinkCommand(ServiceCommand):
    """Delete a link (``db.links.delete_link``); undo restores it with its id and uid."""

    def __init__(
        self, project: Project, events: ProjectEvents, link: LinkRecord, *, type_name: str | None = None
    ):
        super().__init__(project, events, f"Delete {type_name or link.type} link")
        self.link = link

    def apply(self) -> Callable[[], None]:
        record = link_service.delete_link(self.project, self.link.id)
        self.link = record
        return lambda: self.events.links_changed(_link_articles([record]))

    def revert(self) -> Callable[[], None]:
        record = link_service.restore_link(self.project, self.link)
        return lambda: self.events.links_changed(_link_articles([record]))


class RetypeLinkCommand(ServiceCommand):
    """Change a link's type (``db.links.retype_link``)."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        link: LinkRecord,
        link_type: str,
        *,
        type_name: str | None = None,
    ) -> None:
        super().__init__(project, events, f"Change link type to {type_name or link_type}")
        self.link_id, self.old_type, self.new_type = link.id, link.type, link_type

    def apply(self) -> Callable[[], None]:
        return self._set(self.new_type)

    def revert(self) -> Callable[[], None]:
        return self._set(self.old_type)

    def _set(self, link_type: str) -> Callable[[], None]:
        record = link_service.retype_link(self.project, self.link_id, link_type)
        return lambda: self.events.links_changed(_link_articles([record]))


class SetLinkNoteCommand(ServiceCommand):
    """Set or clear a link's note (``db.links.set_link_note``)."""

    def __init__(self, project: Project, events: ProjectEvents, link: LinkRecord, note: str | None) -> None:
        super().__init__(project, events, "Edit link note" if note else "Clear link note")
        self.link_id, self.old_note, self.new_note = link.id, link.note, note or None

    def apply(self) -> Callable[[], None]:
        return self._set(self.new_note)

    def revert(self) -> Callable[[], None]:
        return self._set(self.old_note)

    def _set(self, note: str | None) -> Callable[[], None]:
        record = link_service.set_link_note(self.project, self.link_id, note)
        return lambda: self.events.links_changed(_link_articles([record]))
