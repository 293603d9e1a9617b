"""ProjectEvents: the one place where views hear that the project changed.

Undo commands (``desktop.undo_commands``) emit these after every redo and undo, once the database
transaction has committed, so every view (reader, span list, link view) refreshes from the same
news. Other writers (imports, review, suggestion jobs) emit the coarse signals.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from db.records import SpanRecord
from desktop.qt_compat import keep_none_alive

keep_none_alive()  # before the first paint: see desktop/qt_compat.py


class ProjectEvents(QObject):
    """A hub of project-change signals, shared by the main window and every view.

    Signals:
        spansChanged(int article_id): spans of this article were added, changed or removed.
        spanUpdated(object): a ``SpanRecord`` as it now is in the database (added, moved,
            relabelled, noted or restored); emitted just before ``spansChanged`` so a view can
            update incrementally instead of reloading the article.
        spanRemoved(int article_id, int span_id): the span was deleted; emitted before
            ``spansChanged``.
        linksChanged(list[int] article_ids): links touching these articles changed.
        labelsChanged(): the label schema (names, colours, shortcuts) changed.
        commandFailed(str message): an edit could not be made; the message is one sentence for
            the user. The undo stack is unchanged by the failed edit.
    """

    spansChanged = Signal(int)
    spanUpdated = Signal(object)
    spanRemoved = Signal(int, int)
    linksChanged = Signal(list)
    labelsChanged = Signal()
    commandFailed = Signal(str)

    def span_updated(self, span: SpanRecord) -> None:
        """Announce a span's new state (fine-grained, then coarse)."""
        self.spanUpdated.emit(span)
        self.spansChanged.emit(span.article_id)

    def span_removed(self, article_id: int, span_id: int) -> None:
        self.spanRemoved.emit(article_id, span_id)
        self.spansChanged.emit(article_id)

    def links_changed(self, article_ids: list[int]) -> None:
        self.linksChanged.emit(sorted(set(article_ids)))
