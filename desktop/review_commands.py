"""Undo commands for review: each verdict is one ``db.review`` call, undone by ``undo_review``.

    command = AcceptSideCommand(project, events, item, "carol", left=True)
    push_command(undo_stack, command)      # from desktop.undo_commands: commits, then stacks

A command may make several service calls (a comment on a disagreement goes to both sides); it keeps
every ``ReviewDecision`` and undoes them newest first, so gold is exactly as it was. After each
redo or undo the command announces the change: ``ProjectEvents.spansChanged`` / ``linksChanged``
for the article (gold may have changed) and the ``changed`` callback the review controller gives
(its verdict column and progress refresh from it).
"""

from __future__ import annotations

from collections.abc import Callable

from db import review as review_service
from db.layer_diff import LinkDiffItem, SpanDiffItem
from db.project import Project
from db.records import SpanRecord
from db.review import ReviewDecision
from db.spans import spans_by_ids
from desktop.project_events import ProjectEvents
from desktop.undo_commands import ServiceCommand, quote

Item = SpanDiffItem | LinkDiffItem
Changed = Callable[[int], None]


def item_quote(item: Item) -> str:
    """How the Edit menu names a queue item: the span's text, or the link's type."""
    if isinstance(item, SpanDiffItem):
        side = item.a if item.a is not None else item.b
        return quote(side.text if side is not None else "")
    side_link = item.a if item.a is not None else item.b
    return f"link {side_link.type}" if side_link is not None else "link"


#: How the Edit menu names a verdict ("Undo Accept “the ministry said”").
VERDICT_WORDS = {"accept": "Accept", "reject": "Reject", "comment": "Comment on"}


class ReviewCommand(ServiceCommand):
    """Base: ``decide()`` makes the service calls and returns their decisions."""

    def __init__(
        self, project: Project, events: ProjectEvents, article_id: int, text: str, changed: Changed | None
    ) -> None:
        super().__init__(project, events, text)
        self.article_id = article_id
        self.decisions: list[ReviewDecision] = []
        self._added: list[SpanRecord] = []  # the gold spans the decisions added, as they were
        self._changed = changed
        #: Called after an undo (the controller goes back to the item the decision was about).
        self.on_undo: Callable[[], None] | None = None

    def decide(self) -> list[ReviewDecision]:
        raise NotImplementedError

    def apply(self) -> Callable[[], None]:
        self.decisions = self.decide()
        added = [i for d in self.decisions for i in d.gold_spans_added]
        with self.project.read() as session:
            found = spans_by_ids(session, added)
        self._added = [found[i] for i in added if i in found]
        return self._announce

    def revert(self) -> Callable[[], None]:
        undone, self.decisions = self.decisions, []
        for decision in reversed(undone):
            review_service.undo_review(self.project, decision)
        return lambda: self._announce(undone, undo=True)

    def _announce(self, decisions: list[ReviewDecision] | None = None, *, undo: bool = False) -> None:
        done = self.decisions if decisions is None else decisions
        removed = [g.span for d in done for g in d.gold_spans_removed]
        links = any(d.gold_links_added or d.gold_links_removed for d in done)
        if self._changed is not None:
            self._changed(self.article_id)
        if undo and self.on_undo is not None:
            self.on_undo()
        # Span by span, so that views showing other layers do not reload the article.
        now_gone, now_back = (self._added, removed) if undo else (removed, self._added)
        for span in now_gone:
            self.events.span_removed(span.article_id, span.id)
        if now_back:
            with self.project.read() as session:
                found = spans_by_ids(session, [x.id for x in now_back])
            for span in now_back:
                if span.id in found:
                    self.events.span_updated(found[span.id])
        if links or now_gone or now_back:
            self.events.links_changed([self.article_id, *(x.article_id for x in (*now_gone, *now_back))])


class ReviewSpanCommand(ReviewCommand):
    """Accept, reject or comment one span (``db.review.review_span``)."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        article_id: int,
        span_id: int,
        reviewer: str,
        verdict: str,
        comment: str | None = None,
        *,
        quote_text: str = "",
        changed: Changed | None = None,
    ) -> None:
        words = VERDICT_WORDS.get(verdict, verdict)
        super().__init__(project, events, article_id, f"{words} {quote(quote_text)}", changed)
        self.span_id, self.reviewer, self.verdict, self.comment = span_id, reviewer, verdict, comment

    def decide(self) -> list[ReviewDecision]:
        return [
            review_service.review_span(self.project, self.span_id, self.reviewer, self.verdict, self.comment)
        ]


class ReviewLinkCommand(ReviewCommand):
    """Accept, reject or comment one link (``db.review.review_link``)."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        article_id: int,
        link_id: int,
        reviewer: str,
        verdict: str,
        comment: str | None = None,
        *,
        link_type: str = "",
        changed: Changed | None = None,
    ) -> None:
        words = VERDICT_WORDS.get(verdict, verdict)
        super().__init__(project, events, article_id, f"{words} link {link_type}".rstrip(), changed)
        self.link_id, self.reviewer, self.verdict, self.comment = link_id, reviewer, verdict, comment

    def decide(self) -> list[ReviewDecision]:
        return [
            review_service.review_link(self.project, self.link_id, self.reviewer, self.verdict, self.comment)
        ]


class AcceptSideCommand(ReviewCommand):
    """Settle a disagreement for one side (``accept_left`` / ``accept_right``)."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        item: Item,
        reviewer: str,
        *,
        left: bool,
        side_name: str = "",
        comment: str | None = None,
        changed: Changed | None = None,
    ) -> None:
        who = side_name or ("left" if left else "right")
        super().__init__(project, events, item.article_id, f"Accept {who}'s {item_quote(item)}", changed)
        self.item, self.reviewer, self.left, self.comment = item, reviewer, left, comment

    def decide(self) -> list[ReviewDecision]:
        settle = review_service.accept_left if self.left else review_service.accept_right
        return [settle(self.project, self.item, self.reviewer, self.comment)]


class ItemVerdictCommand(ReviewCommand):
    """The same verdict on every side of a queue item that is not gold's: "reject" keeps both out
    of gold, "comment" tells each annotator what the reviewer thinks."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        item: Item,
        reviewer: str,
        verdict: str,
        comment: str | None = None,
        *,
        skip_ids: frozenset[int] = frozenset(),
        changed: Changed | None = None,
    ) -> None:
        words = VERDICT_WORDS.get(verdict, verdict)
        super().__init__(project, events, item.article_id, f"{words} {item_quote(item)}", changed)
        self.item, self.reviewer, self.verdict, self.comment = item, reviewer, verdict, comment
        self.skip_ids = skip_ids  # sides that are the gold layer itself

    def decide(self) -> list[ReviewDecision]:
        out: list[ReviewDecision] = []
        call = (
            review_service.review_span if isinstance(self.item, SpanDiffItem) else review_service.review_link
        )
        try:
            for side in (self.item.a, self.item.b):
                if side is not None and side.id not in self.skip_ids:
                    out.append(call(self.project, side.id, self.reviewer, self.verdict, self.comment))
        except Exception:
            for decision in reversed(out):
                review_service.undo_review(self.project, decision)
            raise
        return out


class MarkReviewedCommand(ServiceCommand):
    """Mark an article reviewed (or not) by the reviewer; undo puts the previous mark back."""

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        article_id: int,
        reviewer: str,
        reviewed: bool = True,
        *,
        title: str = "",
        changed: Changed | None = None,
    ) -> None:
        what = "Mark" if reviewed else "Unmark"
        name = f"“{title[:40]}”" if title else "article"
        super().__init__(project, events, f"{what} {name} reviewed")
        self.article_id, self.reviewer, self.reviewed = article_id, reviewer, reviewed
        self._before = False
        self._changed = changed

    def apply(self) -> Callable[[], None]:
        self._before = review_service.mark_article_reviewed(
            self.project, self.article_id, self.reviewer, self.reviewed
        )
        return self._announce

    def revert(self) -> Callable[[], None]:
        review_service.mark_article_reviewed(self.project, self.article_id, self.reviewer, self._before)
        return self._announce

    def _announce(self) -> None:
        if self._changed is not None:
            self._changed(self.article_id)


__all__ = [
    "AcceptSideCommand",
    "ItemVerdictCommand",
    "MarkReviewedCommand",
    "ReviewCommand",
    "ReviewLinkCommand",
    "ReviewSpanCommand",
    "item_quote",
]
