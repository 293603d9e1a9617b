"""Review: a colleague's verdicts on spans and links, and the gold layer they build.

Every decision is one committed transaction and returns a ``ReviewDecision`` that says exactly what
it changed, so that ``undo_review`` can put everything back (the GUI's undo command holds it).

- "accept" copies the span (or the link, with its end spans) into the gold layer, unless gold
  already has a span with the same start, end and label (a link with the same ends and type);
  ``Review.gold_span_id`` / ``gold_link_id`` remember the gold item either way.
- "reject" takes out of gold the copy that an earlier accept of this same span (link) made. A copy
  is recognised by its uid, derived from the reviewed item's uid (``gold_uid``), and it stays if an
  accept of another span still refers to it.
- "comment" only records the comment; the annotator sees it when they open their layer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session, aliased

from db.annotators import GOLD, annotator_by_name, ensure_annotator
from db.errors import NewsmarkError, NotFoundError
from db.labels import label_by_key
from db.layer_diff import LinkDiffItem, SpanDiffItem
from db.links import link_records, restore_links
from db.models import VERDICTS, Annotator, Article, Link, Review, Span
from db.project import Project
from db.records import DeletedSpan, LinkRecord
from db.review_progress import (
    NO_STORY,
    ArticleProgress,
    StoryProgress,
    is_article_reviewed,
    mark_article_reviewed,
    review_progress,
    story_progress,
)
from db.spans import insert_span, span_record
from db.text import new_link_uid


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    id: int
    reviewer: str
    verdict: str
    comment: str | None
    span_id: int | None
    link_id: int | None
    gold_span_id: int | None
    gold_link_id: int | None
    article_id: int
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """What one review action did: the Review rows it wrote and its effect on the gold layer."""

    reviews: tuple[ReviewRecord, ...]
    #: What the Edit menu shows for its undo ("Accept span", "Reject link", "Take left version").
    action: str = ""
    gold_spans_added: tuple[int, ...] = ()
    gold_links_added: tuple[int, ...] = ()
    gold_spans_removed: tuple[DeletedSpan, ...] = ()
    gold_links_removed: tuple[LinkRecord, ...] = ()
    #: Reviews that went with a removed gold span or link (reviews *of* it), to put back on undo.
    reviews_removed: tuple[ReviewRecord, ...] = ()
    #: (review id, gold span id, gold link id) references cleared by a removal, to restore on undo.
    references_cleared: tuple[tuple[int, int | None, int | None], ...] = ()

    @property
    def review(self) -> ReviewRecord:
        return self.reviews[0]


@dataclass(slots=True)
class _Effects:
    reviews: list[int] = field(default_factory=list)
    spans_added: list[int] = field(default_factory=list)
    links_added: list[int] = field(default_factory=list)
    spans_removed: list[DeletedSpan] = field(default_factory=list)
    links_removed: list[LinkRecord] = field(default_factory=list)
    reviews_removed: list[ReviewRecord] = field(default_factory=list)
    cleared: list[tuple[int, int | None, int | None]] = field(default_factory=list)

    def decision(self, session: Session, action: str) -> ReviewDecision:
        records = _review_records(session, _review_select().where(Review.id.in_(self.reviews)))
        by_id = {r.id: r for r in records}
        return ReviewDecision(
            tuple(by_id[i] for i in self.reviews),
            action,
            tuple(self.spans_added),
            tuple(self.links_added),
            tuple(self.spans_removed),
            tuple(self.links_removed),
            tuple(self.reviews_removed),
            tuple(self.cleared),
        )


def gold_uid(uid: str) -> str:
    """The uid of the gold copy that accepting the span or link with ``uid`` makes."""
    return "g-" + hashlib.sha256(uid.encode("utf-8")).hexdigest()[:20]


# -- queries ----------------------------------------------------------------------------------

_Target = aliased(Span)
_LinkSource = aliased(Span)


def _review_select() -> Select[*tuple[Any, ...]]:
    return (
        select(
            Review.id,
            Annotator.name,
            Review.verdict,
            Review.comment,
            Review.span_id,
            Review.link_id,
            Review.gold_span_id,
            Review.gold_link_id,
            _Target.article_id,
            _LinkSource.article_id,
            Review.created_at,
        )
        .join(Annotator, Review.reviewer_id == Annotator.id)
        .outerjoin(_Target, Review.span_id == _Target.id)
        .outerjoin(Link, Review.link_id == Link.id)
        .outerjoin(_LinkSource, Link.source_span_id == _LinkSource.id)
    )


def _review_records(session: Session, query: Select[*tuple[Any, ...]]) -> list[ReviewRecord]:
    out = []
    for rid, who, verdict, comment, sid, lid, gsid, glid, span_art, link_art, created in session.execute(
        query.order_by(Review.created_at, Review.id)
    ):
        article = span_art if span_art is not None else link_art
        out.append(ReviewRecord(rid, who, verdict, comment, sid, lid, gsid, glid, int(article or 0), created))
    return out


def reviews_for(
    project: Project, *, span_ids: Iterable[int] = (), link_ids: Iterable[int] = ()
) -> list[ReviewRecord]:
    """Every review of these spans and links, oldest first."""
    spans, links = list(span_ids), list(link_ids)
    if not spans and not links:
        return []
    with project.read() as s:
        return _review_records(
            s, _review_select().where(Review.span_id.in_(spans) | Review.link_id.in_(links))
        )


def comments_for_annotator(project: Project, annotator: str, article_id: int) -> list[ReviewRecord]:
    """Reviews with a comment on ``annotator``'s spans and links in this article, oldest first:
    what the annotator is shown when they open their own layer."""
    with project.read() as s:
        who = annotator_by_name(s, annotator)
        on_span = (_Target.annotator_id == who.id) & (_Target.article_id == article_id)
        on_link = (Link.annotator_id == who.id) & (_LinkSource.article_id == article_id)
        query = _review_select().where(Review.comment.is_not(None), Review.comment != "", on_span | on_link)
        return _review_records(s, query)


# -- gold-layer effects -----------------------------------------------------------------------


def _copy_span(session: Session, span: Span, gold_id: int, fx: _Effects) -> int:
    if span.annotator_id == gold_id:
        return span.id
    found = session.scalar(
        select(Span.id)
        .where(
            Span.annotator_id == gold_id,
            Span.article_id == span.article_id,
            Span.start == span.start,
            Span.end == span.end,
            Span.label_id == span.label_id,
            Span.status == "active",
        )
        .order_by(Span.id)
    )
    if found is not None:
        return found
    article = session.get(Article, span.article_id)
    assert article is not None
    uid = gold_uid(span.uid)
    taken = session.scalar(select(Span.id).where(Span.uid == uid)) is not None
    copy = insert_span(
        session,
        article,
        gold_id,
        span.label_id,
        span.start,
        span.end,
        note=span.note,
        uid=None if taken else uid,
    )
    fx.spans_added.append(copy.id)
    return copy.id


def _copy_link(session: Session, link: Link, gold_id: int, fx: _Effects) -> int:
    if link.annotator_id == gold_id:
        return link.id
    ends = []
    for sid in (link.source_span_id, link.target_span_id):
        end = session.get(Span, sid)
        assert end is not None
        ends.append(_copy_span(session, end, gold_id, fx))
    found = session.scalar(
        select(Link.id).where(
            Link.annotator_id == gold_id,
            Link.source_span_id == ends[0],
            Link.target_span_id == ends[1],
            Link.type_id == link.type_id,
        )
    )
    if found is not None:
        return found
    uid = gold_uid(link.uid)
    if session.scalar(select(Link.id).where(Link.uid == uid)) is not None:
        uid = new_link_uid()
    copy = Link(
        uid=uid,
        source_span_id=ends[0],
        target_span_id=ends[1],
        type_id=link.type_id,
        annotator_id=gold_id,
        note=link.note,
    )
    session.add(copy)
    session.flush()
    fx.links_added.append(copy.id)
    return copy.id


def _capture_reviews(session: Session, span_ids: list[int], link_ids: list[int], fx: _Effects) -> None:
    """Before deleting gold spans/links: keep the reviews the delete will take or change."""
    fx.reviews_removed += _review_records(
        session, _review_select().where(Review.span_id.in_(span_ids) | Review.link_id.in_(link_ids))
    )
    for rid, gsid, glid in session.execute(
        select(Review.id, Review.gold_span_id, Review.gold_link_id).where(
            Review.gold_span_id.in_(span_ids) | Review.gold_link_id.in_(link_ids)
        )
    ):
        fx.cleared.append((rid, gsid, glid))


def _remove_gold_span(session: Session, span_id: int, fx: _Effects) -> None:
    span = session.get(Span, span_id)
    if span is None:
        return
    links = tuple(
        link_records(
            session, select(Link).where((Link.source_span_id == span_id) | (Link.target_span_id == span_id))
        )
    )
    _capture_reviews(session, [span_id], [x.id for x in links], fx)
    fx.spans_removed.append(DeletedSpan(span_record(session, span), links))
    session.execute(delete(Span).where(Span.id == span_id))
    session.expire_all()


def _remove_gold_link(session: Session, link_id: int, fx: _Effects) -> None:
    found = link_records(session, select(Link).where(Link.id == link_id))
    if not found:
        return
    _capture_reviews(session, [], [link_id], fx)
    fx.links_removed.append(found[0])
    session.execute(delete(Link).where(Link.id == link_id))
    session.expire_all()


def _still_accepted_elsewhere(
    session: Session,
    *,
    span_id: int | None = None,
    link_id: int | None = None,
    gold_span: int | None = None,
    gold_link: int | None = None,
) -> bool:
    query = select(Review.id).where(Review.verdict == "accept")
    if gold_span is not None:
        query = query.where(
            Review.gold_span_id == gold_span, (Review.span_id != span_id) | Review.span_id.is_(None)
        )
    else:
        query = query.where(
            Review.gold_link_id == gold_link, (Review.link_id != link_id) | Review.link_id.is_(None)
        )
    return session.scalar(query.limit(1)) is not None


def _add_review(
    session: Session,
    reviewer_id: int,
    verdict: str,
    comment: str | None,
    *,
    span_id: int | None = None,
    link_id: int | None = None,
    gold_span_id: int | None = None,
    gold_link_id: int | None = None,
) -> int:
    row = Review(
        reviewer_id=reviewer_id,
        verdict=verdict,
        comment=comment or None,
        span_id=span_id,
        link_id=link_id,
        gold_span_id=gold_span_id,
        gold_link_id=gold_link_id,
    )
    session.add(row)
    session.flush()
    return row.id


def _check_verdict(verdict: str) -> None:
    if verdict not in VERDICTS:
        raise NewsmarkError(f"Unknown review verdict {verdict!r}: use accept, reject or comment.")


def _review_span(
    session: Session, span_id: int, reviewer: str, verdict: str, comment: str | None, fx: _Effects
) -> None:
    _check_verdict(verdict)
    span = session.get(Span, span_id)
    if span is None:
        raise NotFoundError(f"There is no span {span_id} in this project (it may have been deleted).")
    who = ensure_annotator(session, reviewer)
    gold_id = ensure_annotator(session, GOLD).id
    gold_span: int | None = None
    if verdict == "accept":
        gold_span = _copy_span(session, span, gold_id, fx)
    elif verdict == "reject" and span.annotator_id != gold_id:
        copy = session.scalar(
            select(Span.id).where(Span.uid == gold_uid(span.uid), Span.annotator_id == gold_id)
        )
        if copy is not None and not _still_accepted_elsewhere(session, span_id=span_id, gold_span=copy):
            _remove_gold_span(session, copy, fx)
    fx.reviews.append(_add_review(session, who.id, verdict, comment, span_id=span_id, gold_span_id=gold_span))


def _review_link(
    session: Session, link_id: int, reviewer: str, verdict: str, comment: str | None, fx: _Effects
) -> None:
    _check_verdict(verdict)
    link = session.get(Link, link_id)
    if link is None:
        raise NotFoundError(f"There is no link {link_id} in this project (it may have been deleted).")
    who = ensure_annotator(session, reviewer)
    gold_id = ensure_annotator(session, GOLD).id
    gold_link: int | None = None
    if verdict == "accept":
        gold_link = _copy_link(session, link, gold_id, fx)
    elif verdict == "reject" and link.annotator_id != gold_id:
        copy = session.scalar(
            select(Link.id).where(Link.uid == gold_uid(link.uid), Link.annotator_id == gold_id)
        )
        if copy is not None and not _still_accepted_elsewhere(session, link_id=link_id, gold_link=copy):
            _remove_gold_link(session, copy, fx)
    fx.reviews.append(_add_review(session, who.id, verdict, comment, link_id=link_id, gold_link_id=gold_link))


# -- the services -----------------------------------------------------------------------------


def review_span(
    project: Project, span_id: int, reviewer: str, verdict: str, comment: str | None = None
) -> ReviewDecision:
    """Record ``reviewer``'s verdict on a span ("accept", "reject" or "comment") with its effect on gold."""
    with project.write() as s:
        fx = _Effects()
        _review_span(s, span_id, reviewer, verdict, comment, fx)
        return fx.decision(s, f"{verdict.capitalize()} span")


def review_link(
    project: Project, link_id: int, reviewer: str, verdict: str, comment: str | None = None
) -> ReviewDecision:
    """Record a verdict on a link; accepting copies it into gold with any end span gold lacks."""
    with project.write() as s:
        fx = _Effects()
        _review_link(s, link_id, reviewer, verdict, comment, fx)
        return fx.decision(s, f"{verdict.capitalize()} link")


def _accept_side(
    project: Project, item: SpanDiffItem | LinkDiffItem, reviewer: str, comment: str | None, left: bool
) -> ReviewDecision:
    chosen, other = (item.a, item.b) if left else (item.b, item.a)
    is_span = isinstance(item, SpanDiffItem)
    with project.write() as s:
        fx = _Effects()
        gold_id = ensure_annotator(s, GOLD).id
        if other is not None:
            row = s.get(Span, other.id) if is_span else s.get(Link, other.id)
            if row is None:
                raise NotFoundError("The other side of this disagreement is no longer in the project.")
            if row.annotator_id == gold_id:
                # Comparing a layer with gold: choosing the layer's version replaces gold's.
                (_remove_gold_span if is_span else _remove_gold_link)(s, other.id, fx)
            elif is_span:
                _review_span(s, other.id, reviewer, "reject", comment, fx)
            else:
                _review_link(s, other.id, reviewer, "reject", comment, fx)
        if chosen is not None:
            if is_span:
                _review_span(s, chosen.id, reviewer, "accept", comment, fx)
            else:
                _review_link(s, chosen.id, reviewer, "accept", comment, fx)
        if not fx.reviews and not fx.spans_removed and not fx.links_removed:
            raise NewsmarkError("There is nothing on either side of this item to review.")
        return fx.decision(s, "Take left version" if left else "Take right version")


def accept_left(
    project: Project, item: SpanDiffItem | LinkDiffItem, reviewer: str, comment: str | None = None
) -> ReviewDecision:
    """Settle a disagreement for layer A: accept A's span (link) and reject B's, in one step.
    When B is gold, B's span is taken out of gold. With nothing on A's side, B's is rejected."""
    return _accept_side(project, item, reviewer, comment, left=True)


def accept_right(
    project: Project, item: SpanDiffItem | LinkDiffItem, reviewer: str, comment: str | None = None
) -> ReviewDecision:
    """The mirror of ``accept_left``: B's version goes to gold."""
    return _accept_side(project, item, reviewer, comment, left=False)


def undo_review(project: Project, decision: ReviewDecision) -> None:
    """Take back a decision: its Review rows go, and gold is exactly as it was before."""
    with project.write() as s:
        ids = [r.id for r in decision.reviews]
        if ids:
            s.execute(delete(Review).where(Review.id.in_(ids)))
        if decision.gold_links_added:
            s.execute(delete(Link).where(Link.id.in_(decision.gold_links_added)))
        if decision.gold_spans_added:
            s.execute(delete(Span).where(Span.id.in_(decision.gold_spans_added)))
        s.expire_all()
        links: list[LinkRecord] = []
        for gone in decision.gold_spans_removed:
            rec = gone.span
            who = ensure_annotator(s, rec.annotator)
            article = s.get(Article, rec.article_id)
            if article is None:
                raise NotFoundError("The span's article is no longer in the project.")
            span = insert_span(
                s,
                article,
                who.id,
                label_by_key(s, rec.label).id,
                rec.start,
                rec.end,
                note=rec.note,
                origin=rec.origin,
                status=rec.status,
                uid=rec.uid,
            )
            if span.id != rec.id:
                s.execute(update(Span).where(Span.id == span.id).values(id=rec.id))
                s.expire_all()
            links += gone.links
        links += decision.gold_links_removed
        present = set(s.scalars(select(Link.id).where(Link.id.in_([x.id for x in links]))))
        restore_links(s, [x for x in dict((x.id, x) for x in links).values() if x.id not in present])
        for r in decision.reviews_removed:
            who = ensure_annotator(s, r.reviewer)
            s.add(
                Review(
                    id=r.id,
                    reviewer_id=who.id,
                    verdict=r.verdict,
                    comment=r.comment,
                    span_id=r.span_id,
                    link_id=r.link_id,
                    gold_span_id=r.gold_span_id,
                    gold_link_id=r.gold_link_id,
                    created_at=r.created_at,
                )
            )
        s.flush()
        for rid, gsid, glid in decision.references_cleared:
            values: dict[str, int] = {}
            if gsid is not None:
                values["gold_span_id"] = gsid
            if glid is not None:
                values["gold_link_id"] = glid
            if values:
                s.execute(update(Review).where(Review.id == rid).values(**values))


__all__ = [
    "NO_STORY",
    "ArticleProgress",
    "ReviewDecision",
    "ReviewRecord",
    "StoryProgress",
    "accept_left",
    "accept_right",
    "comments_for_annotator",
    "gold_uid",
    "is_article_reviewed",
    "mark_article_reviewed",
    "review_link",
    "review_progress",
    "review_span",
    "reviews_for",
    "story_progress",
    "undo_review",
]
