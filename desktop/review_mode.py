"""Review mode: walk a colleague's layer, or the disagreements of two layers, in the reader.

``ReviewController`` holds the queue of one article (``ReviewQueueModel``), the current item and
the reviewer's decisions; it drives any *reader* that offers ``view`` (an ``ArticleView``),
``article``, ``layers()``, ``set_visible_layers(names)`` and ``select_span(span_id)`` (the main
window's ``ReaderPane``, or a compare view), so it does not depend on which view shows the text.
Every decision is an undo command from ``desktop.review_commands`` on the shared undo stack.

Keys while the reader, the queue or the review bar has focus (handled before the label keys):
A accept (one layer), 1 or Ctrl+Left accept A, 2 or Ctrl+Right accept B, R reject, C comment,
] / [ next / previous item (Down / Up in the queue table), Ctrl+Enter mark the article reviewed.

Signals:
    queueChanged(): a new queue (another article or another comparison).
    currentChanged(int row): the current queue row (-1: none).
    verdictsChanged(): a decision was made or undone.
    articleReviewedChanged(int article_id, bool reviewed)
    stopped(): review mode ended.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QUndoStack

from db import spans as span_service
from db.annotators import GOLD
from db.errors import NotFoundError
from db.layer_diff import (
    DiffKind,
    DiffLink,
    DiffSpan,
    LayerDiff,
    LinkDiffItem,
    SpanDiffItem,
    diff_article,
    diff_spans,
)
from db.links import links_for_articles
from db.project import Project
from db.review import is_article_reviewed
from desktop.keys import take_key
from desktop.project_events import ProjectEvents
from desktop.review_commands import (
    AcceptSideCommand,
    ItemVerdictCommand,
    MarkReviewedCommand,
    ReviewLinkCommand,
    ReviewSpanCommand,
)
from desktop.review_queue_model import Item, ReviewQueueModel
from desktop.undo_commands import push_command


class Reader(Protocol):
    """What the controller needs of the view it drives (``ReaderPane`` has all of it)."""

    view: Any
    article: Any

    def layers(self) -> list[str]: ...

    def set_visible_layers(self, layers: list[str], *, rest_later: bool = False) -> None: ...

    def select_span(self, span_id: int | None) -> None: ...


class ViewReader:
    """Lets the controller drive a bare ``ArticleView`` (a compare-view pane, say): loads the
    layers it is asked to show into the view and selects spans in it."""

    def __init__(self, project: Project, view: Any, article_id: int | None = None) -> None:
        self.project = project
        self.view = view
        self._layers: list[str] = []
        self.article_id = article_id if article_id is not None else getattr(view.article, "id", None)

    @property
    def article(self) -> Any:
        return self.view.article

    def layers(self) -> list[str]:
        return list(self._layers)

    def set_visible_layers(self, layers: list[str], *, rest_later: bool = False) -> None:
        self._layers = list(layers)
        if self.view.article is not None:
            self.view.set_spans(
                span_service.spans_for_article(self.project, self.view.article.id, self._layers)
            )

    def select_span(self, span_id: int | None) -> None:
        self.view.select_span(span_id)
        if span_id is not None:
            self.view.scroll_to_span(span_id)


def layer_queue(project: Project, article_id: int, layer: str) -> list[Item]:
    """One annotator's spans and links of an article as queue items, in reading order (a link
    right after the spans at its source span)."""
    spans = span_service.spans_for_article(project, article_id, [layer])
    starts = {s.id: s.start for s in spans}
    merged: list[tuple[int, int, int, Item]] = [
        (
            s.start,
            0,
            -s.end,
            SpanDiffItem(DiffKind.ONLY_A, article_id, DiffSpan(s.id, s.start, s.end, s.label, s.text), None),
        )
        for s in spans
    ]
    for link in links_for_articles(project, [article_id]):
        if link.annotator == layer and link.source_span_id in starts:
            start = starts[link.source_span_id]
            diff_link = DiffLink(link.id, link.type, link.source_span_id, link.target_span_id)
            merged.append(
                (start, 1, link.id, LinkDiffItem(DiffKind.ONLY_A, article_id, start, diff_link, None))
            )
    merged.sort(key=lambda t: t[:3])
    return [t[3] for t in merged]


def _styles(items: Iterable[SpanDiffItem]) -> dict[int, str]:
    """Span id -> the painter's review style ("kind/side") for both layers' spans."""
    styles: dict[int, str] = {}
    for item in items:
        if item.a is not None:
            styles[item.a.id] = f"{item.kind.value}/a"
        if item.b is not None:
            styles[item.b.id] = f"{item.kind.value}/b"
    return styles


def disagreements(diff: LayerDiff) -> list[Item]:
    """The items of one article's diff that are not agreements, in the order of
    ``db.layer_diff.disagreement_queue`` (reading order, a link after the spans at its source)."""
    merged: list[tuple[int, int, Item]] = [(x.start, 0, x) for x in diff.spans if x.kind != DiffKind.AGREE]
    merged += [(x.start, 1, x) for x in diff.links if x.kind != DiffKind.AGREE]
    merged.sort(key=lambda t: (t[0], t[1]))
    return [item for _, _, item in merged]


class ReviewController(QObject):
    """Review of one article at a time (see the module docstring)."""

    queueChanged = Signal()
    currentChanged = Signal(int)
    verdictsChanged = Signal()
    articleReviewedChanged = Signal(int, bool)
    stopped = Signal()

    def __init__(
        self,
        project: Project,
        undo_stack: QUndoStack,
        events: ProjectEvents,
        reviewer: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.events = events
        self.reviewer = reviewer
        self.model = ReviewQueueModel(project, reviewer, self)
        self.reader: Reader | None = None
        self.layer_a = ""
        self.layer_b: str | None = None
        self.article_id: int | None = None
        self.row = -1
        self.active = False
        #: True while a long article's queue is still being built (see ``load_article``).
        self.pending = False
        self._layers_before: list[str] | None = None
        self._watched: list[QObject] = []

    # -- starting and stopping -----------------------------------------------------------------
    @property
    def single(self) -> bool:
        return self.layer_b is None

    def drive(self, reader: Reader) -> None:
        """Drive this reader (its view gets the review styles and the review keys)."""
        if self.reader is not None:
            self._clear_styles()
        self.reader = reader
        self.watch(reader.view)
        shown = getattr(reader, "articleShown", None)
        if shown is not None:
            # Moving to another article (J / K, the navigator) keeps the review going there.
            shown.connect(self.load_article)

    def watch(self, widget: QObject) -> None:
        """Handle the review keys while ``widget`` has focus."""
        if widget not in self._watched:
            widget.installEventFilter(self)
            self._watched.append(widget)

    def start(self, a: str, b: str | None = None, article_id: int | None = None) -> None:
        """Review ``a``'s layer alone (``b`` None) or compare ``a`` with ``b`` (an annotator or gold)."""
        assert self.reader is not None, "drive() a reader first"
        self.layer_a, self.layer_b = a, b
        if not self.active:
            self._layers_before = self.reader.layers()
        self.active = True
        # A long article's spans past the screen come on the next turn, with the rest of the diff.
        self.reader.set_visible_layers([a] if b is None else [a, b], rest_later=b is not None)
        if article_id is None and self.reader.article is not None:
            article_id = self.reader.article.id
        if article_id is not None:
            self.load_article(article_id)

    def stop(self) -> None:
        if not self.active:
            return
        self.active = False
        self.pending = False
        self._clear_styles()
        if self.reader is not None and self._layers_before is not None:
            self.reader.set_visible_layers(self._layers_before)
        self.model.set_queue([], "A", "B")
        self.row = -1
        self.stopped.emit()

    def load_article(self, article_id: int) -> None:
        """Build the queue for this article (the reader already shows it).

        While the reader has only the first screen's spans of a long article, the differences on
        that screen are painted at once and the rest comes in steps on the next event-loop turns
        (the reader's remaining spans, then the diff, the queue and the styles), so no single turn
        holds the window for long. Until then ``pending`` is True, and any action (a key, a button)
        first finishes the work (``complete``), so it never acts on a partial queue."""
        if not self.active:
            return
        self.article_id = article_id
        if self.layer_b is not None and not getattr(self.reader, "all_spans_loaded", True):
            self.pending = True
            self.model.set_queue([], self.layer_a, self.layer_b, single=False)
            self._first_screen_styles(article_id)
            self.queueChanged.emit()
            self.currentChanged.emit(-1)
            QTimer.singleShot(0, lambda: self._load_rest(article_id))
            return
        self._finish_load(article_id)

    def complete(self) -> None:
        """Finish a long article's deferred work now (the queue is whole when this returns)."""
        if self.pending and self.active and self.article_id is not None:
            self._finish_load(self.article_id)

    def _first_screen_styles(self, article_id: int) -> None:
        assert self.reader is not None
        view = self.reader.view
        a, b = self._loaded_sides(view)
        view.review_styles = _styles(diff_spans(article_id, a, b))
        view.comment_counts = {}
        view.viewport().update()

    def _loaded_sides(self, view: Any) -> tuple[list[DiffSpan], list[DiffSpan]]:
        """Both layers' active spans in the view, as the diff takes them."""
        a: list[DiffSpan] = []
        b: list[DiffSpan] = []
        for x in view.index.spans():
            if x.status == "active" and x.annotator in (self.layer_a, self.layer_b):
                (a if x.annotator == self.layer_a else b).append(
                    DiffSpan(x.id, x.start, x.end, x.label, x.text)
                )
        return a, b

    def _load_rest(self, article_id: int) -> None:
        """First deferred step: the reader's spans past the first screen (if it has not loaded
        them on this turn already); the diff and the queue follow on the next turn."""
        if not self.pending or not self.active or article_id != self.article_id:
            return
        ensure = getattr(self.reader, "ensure_all_spans", None)
        if callable(ensure):
            ensure()
        QTimer.singleShot(0, lambda: self._finish_deferred(article_id))

    def _finish_deferred(self, article_id: int) -> None:
        """Last deferred step, unless an action has finished the work already (``complete``)."""
        if self.pending:
            self._finish_load(article_id)

    def _finish_load(self, article_id: int) -> None:
        if not self.active or article_id != self.article_id:
            return
        deferred, self.pending = self.pending, False
        if deferred:  # finishing early (``complete``): the reader's spans may not all be in yet
            ensure = getattr(self.reader, "ensure_all_spans", None)
            if callable(ensure):
                ensure()
        diff = None
        if self.layer_b is None:
            items = layer_queue(self.project, article_id, self.layer_a)
        else:
            # The reader has just loaded both layers' spans of this article: diff those.
            diff = self._diff(article_id, from_view=True)
            items = disagreements(diff)
        self.model.set_queue(items, self.layer_a, self.layer_b or self.layer_a, single=self.single)
        self.refresh_styles(diff)
        self.queueChanged.emit()
        self.go_to(self._first_open_row())

    def _diff(self, article_id: int, *, from_view: bool = False) -> LayerDiff:
        """The two layers' diff; ``from_view``: of the spans the reader holds, if it holds all of
        both layers' spans of this article (else, and after a decision, read from the project)."""
        assert self.layer_b is not None
        spans = None
        reader = self.reader
        if (
            from_view
            and reader is not None
            and getattr(reader.article, "id", None) == article_id
            # a reader that keeps its spans in step with the project's events (the ReaderPane)
            and getattr(reader, "all_spans_loaded", None) is True
            and {self.layer_a, self.layer_b} <= set(reader.layers())
        ):
            spans = self._loaded_sides(reader.view)
        try:
            return diff_article(self.project, article_id, self.layer_a, self.layer_b, spans=spans)
        except NotFoundError:
            # One side has no layer yet (no gold before the first accept): all of A is "only A".
            spans_a = [
                DiffSpan(x.id, x.start, x.end, x.label, x.text)
                for x in span_service.spans_for_article(self.project, article_id, [self.layer_a])
            ]
            items = diff_spans(article_id, spans_a, [])
            return LayerDiff(article_id, self.layer_a, self.layer_b, tuple(items), ())

    def _first_open_row(self) -> int:
        for row in range(self.model.rowCount()):
            if not self.model.state(row).decided:
                return row
        return 0 if self.model.rowCount() else -1

    # -- painting ------------------------------------------------------------------------------
    def refresh_styles(self, diff: LayerDiff | None = None) -> None:
        """Give every span of the two layers its diff style (re-computed after gold changes)."""
        view = self.reader.view if self.reader is not None else None
        if view is None or self.article_id is None:
            return
        styles: dict[int, str] = {}
        if self.layer_b is not None:
            if diff is None:
                diff = self._diff(self.article_id)
            styles = _styles(diff.spans)
        view.review_styles = styles
        view.comment_counts = {}
        view.viewport().update()

    def _clear_styles(self) -> None:
        if self.reader is not None:
            self.reader.view.review_styles = {}
            self.reader.view.viewport().update()

    # -- moving --------------------------------------------------------------------------------
    def current_item(self) -> Item | None:
        return self.model.item(self.row)

    def go_to(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            row = -1
        self.row = row
        item = self.current_item()
        if item is not None and self.reader is not None:
            self.reader.select_span(self._span_to_show(item))
        self.currentChanged.emit(row)

    def _span_to_show(self, item: Item) -> int | None:
        if isinstance(item, SpanDiffItem):
            side = item.a if item.a is not None else item.b
            return side.id if side is not None else None
        link = item.a if item.a is not None else item.b
        return link.source_span_id if link is not None else None

    def next(self) -> bool:
        self.complete()
        if self.row + 1 < self.model.rowCount():
            self.go_to(self.row + 1)
            return True
        return False

    def previous(self) -> bool:
        self.complete()
        if self.row > 0:
            self.go_to(self.row - 1)
            return True
        return False

    # -- deciding ------------------------------------------------------------------------------
    def _changed(self, article_id: int) -> None:
        if self.active and article_id == self.article_id:
            self.model.refresh_verdicts()
            if self.layer_b == GOLD:
                self.refresh_styles()
            self.verdictsChanged.emit()

    def _gold_ids(self, item: Item) -> frozenset[int]:
        return frozenset({item.b.id}) if self.layer_b == GOLD and item.b is not None else frozenset()

    def _push(self, command: Any, advance: bool = True) -> bool:
        row, article_id = self.row, self.article_id
        if hasattr(command, "on_undo"):
            command.on_undo = lambda: self._back_to(article_id, row)
        ok = push_command(self.undo_stack, command)
        if ok and advance:
            self.next()
        return ok

    def _back_to(self, article_id: int | None, row: int) -> None:
        if self.active and article_id == self.article_id and row != self.row:
            self.go_to(row)

    def accept(self) -> bool:
        """One layer: accept the current span or link into gold. Two layers: accept A's side."""
        self.complete()
        item = self.current_item()
        if item is None:
            return False
        if not self.single:
            return self.accept_side(left=True)
        return self._push(self._single_command(item, "accept"))

    def accept_side(self, *, left: bool) -> bool:
        self.complete()
        item = self.current_item()
        if item is None:
            return False
        if self.single:
            return self.accept() if left else False
        name = self.layer_a if left else (self.layer_b or "")
        return self._push(
            AcceptSideCommand(
                self.project,
                self.events,
                item,
                self.reviewer,
                left=left,
                side_name=name,
                changed=self._changed,
            )
        )

    def reject(self) -> bool:
        """Keep the current item out of gold (both sides, when comparing)."""
        self.complete()
        item = self.current_item()
        if item is None:
            return False
        if self.single:
            return self._push(self._single_command(item, "reject"))
        skip = self._gold_ids(item)
        if item.a is None and item.b is not None and item.b.id in skip:
            # Only gold has it: rejecting means taking it out of gold (keep A's "nothing").
            return self.accept_side(left=True)
        return self._push(
            ItemVerdictCommand(
                self.project, self.events, item, self.reviewer, "reject", skip_ids=skip, changed=self._changed
            )
        )

    def comment(self, text: str) -> bool:
        """Record a comment on the current item (each annotator's side); stays on the item."""
        self.complete()
        item = self.current_item()
        text = text.strip()
        if item is None or not text:
            return False
        if self.single:
            return self._push(self._single_command(item, "comment", text), advance=False)
        return self._push(
            ItemVerdictCommand(
                self.project,
                self.events,
                item,
                self.reviewer,
                "comment",
                text,
                skip_ids=self._gold_ids(item),
                changed=self._changed,
            ),
            advance=False,
        )

    def _single_command(self, item: Item, verdict: str, comment: str | None = None) -> Any:
        side = item.a
        assert side is not None
        if isinstance(side, DiffSpan):
            return ReviewSpanCommand(
                self.project,
                self.events,
                item.article_id,
                side.id,
                self.reviewer,
                verdict,
                comment,
                quote_text=side.text,
                changed=self._changed,
            )
        return ReviewLinkCommand(
            self.project,
            self.events,
            item.article_id,
            side.id,
            self.reviewer,
            verdict,
            comment,
            link_type=side.type,
            changed=self._changed,
        )

    def is_reviewed(self) -> bool:
        if self.article_id is None:
            return False
        return is_article_reviewed(self.project, self.article_id, self.reviewer)

    def mark_reviewed(self, reviewed: bool | None = None) -> bool:
        """Mark the article reviewed (``None``: toggle)."""
        self.complete()
        if self.article_id is None:
            return False
        if reviewed is None:
            reviewed = not self.is_reviewed()
        title = self.reader.article.title if self.reader is not None and self.reader.article else ""
        return self._push(
            MarkReviewedCommand(
                self.project,
                self.events,
                self.article_id,
                self.reviewer,
                reviewed,
                title=title or "",
                changed=self._reviewed_changed,
            ),
            advance=False,
        )

    def _reviewed_changed(self, article_id: int) -> None:
        self.articleReviewedChanged.emit(article_id, is_article_reviewed(self.project, article_id))

    # -- keys ----------------------------------------------------------------------------------
    def key_action(self, event: QKeyEvent) -> Any:
        """The review action for a key press, or None (the key is not a review key)."""
        if not self.active:
            return None
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        none = mods == Qt.KeyboardModifier.NoModifier
        ctrl = mods == Qt.KeyboardModifier.ControlModifier
        text = event.text()
        if ctrl and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return lambda: self.mark_reviewed()
        if ctrl and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            return lambda: self.accept_side(left=key == Qt.Key.Key_Left)
        if not none and not (mods == Qt.KeyboardModifier.ShiftModifier and text in "[]{}"):
            return None
        actions = {
            "]": self.next,
            "[": self.previous,
            "1": lambda: self.accept_side(left=True),
            "2": lambda: self.accept_side(left=False),
            "r": self.reject,
            "a": self.accept,
            "c": self.request_comment,
        }
        return actions.get(text.lower()) if text else None

    commentRequested = Signal()

    def request_comment(self) -> None:
        """Ask the bar for a comment (it shows its text box)."""
        self.complete()
        if self.current_item() is not None:
            self.commentRequested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if take_key(event, self.key_action):
            return True
        return super().eventFilter(watched, event)
