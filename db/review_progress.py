"""Review progress: articles marked reviewed, and how much of each article and story has a verdict.

For the navigator ("3/5 reviewed" on a story, a tick on an article) and the review mode's header.
``db.review`` re-exports everything here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import exists, func, select, true
from sqlalchemy.orm import aliased

from db.annotators import GOLD, annotator_by_name, ensure_annotator
from db.errors import NotFoundError
from db.models import Annotator, Article, ArticleReview, Link, Review, Span, Story
from db.project import Project

NO_STORY = "(no story)"


@dataclass(frozen=True, slots=True)
class ArticleProgress:
    article_id: int
    spans: int
    spans_reviewed: int
    links: int
    links_reviewed: int
    reviewed_by: tuple[str, ...]

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by)


@dataclass(frozen=True, slots=True)
class StoryProgress:
    story: str
    articles: int
    articles_reviewed: int
    spans: int
    spans_reviewed: int


def mark_article_reviewed(project: Project, article_id: int, reviewer: str, reviewed: bool = True) -> bool:
    """Mark (or unmark) an article as reviewed by ``reviewer``; returns whether it was marked before,
    which is what an undo passes back."""
    with project.write() as s:
        if s.get(Article, article_id) is None:
            raise NotFoundError(f"There is no article {article_id} in this project.")
        who = ensure_annotator(s, reviewer)
        row = s.scalar(
            select(ArticleReview).where(
                ArticleReview.article_id == article_id, ArticleReview.reviewer_id == who.id
            )
        )
        before = row is not None
        if reviewed and row is None:
            s.add(ArticleReview(article_id=article_id, reviewer_id=who.id))
        elif not reviewed and row is not None:
            s.delete(row)
        return before


def is_article_reviewed(project: Project, article_id: int, reviewer: str | None = None) -> bool:
    """Whether the article is marked reviewed (by ``reviewer``, or by anyone)."""
    with project.read() as s:
        query = select(ArticleReview.id).where(ArticleReview.article_id == article_id)
        if reviewer is not None:
            query = query.join(Annotator, ArticleReview.reviewer_id == Annotator.id).where(
                Annotator.name == reviewer
            )
        return s.scalar(query.limit(1)) is not None


def review_progress(project: Project, reviewer: str | None = None) -> dict[int, ArticleProgress]:
    """Per article: spans and links of the annotators' layers (not gold), how many have a review
    (by ``reviewer`` if given), and who marked the article reviewed."""
    with project.read() as s:
        reviewer_id = annotator_by_name(s, reviewer).id if reviewer is not None else None
        gold_ids = list(s.scalars(select(Annotator.id).where(Annotator.is_gold | (Annotator.name == GOLD))))
        by_reviewer = Review.reviewer_id == reviewer_id if reviewer_id is not None else true()
        span_reviewed = exists().where(Review.span_id == Span.id, by_reviewer)
        spans: dict[int, tuple[int, int]] = {}
        for aid, n, done in s.execute(
            select(Span.article_id, func.count(Span.id), func.count(Span.id).filter(span_reviewed))
            .where(Span.status == "active", Span.annotator_id.not_in(gold_ids))
            .group_by(Span.article_id)
        ):
            spans[aid] = (n, done)
        src = aliased(Span)
        link_reviewed = exists().where(Review.link_id == Link.id, by_reviewer)
        links: dict[int, tuple[int, int]] = {}
        for aid, n, done in s.execute(
            select(src.article_id, func.count(Link.id), func.count(Link.id).filter(link_reviewed))
            .join(src, Link.source_span_id == src.id)
            .where(Link.annotator_id.not_in(gold_ids))
            .group_by(src.article_id)
        ):
            links[aid] = (n, done)
        marked: dict[int, list[str]] = defaultdict(list)
        query = select(ArticleReview.article_id, Annotator.name).join(
            Annotator, ArticleReview.reviewer_id == Annotator.id
        )
        if reviewer_id is not None:
            query = query.where(ArticleReview.reviewer_id == reviewer_id)
        for aid, name in s.execute(query.order_by(Annotator.name)):
            marked[aid].append(name)
        out = {}
        for aid in s.scalars(select(Article.id).order_by(Article.id)):
            n_s, d_s = spans.get(aid, (0, 0))
            n_l, d_l = links.get(aid, (0, 0))
            out[aid] = ArticleProgress(aid, n_s, d_s, n_l, d_l, tuple(marked.get(aid, ())))
    return out


def story_progress(project: Project, reviewer: str | None = None) -> dict[str, StoryProgress]:
    """Per story (for the navigator): articles, articles marked reviewed, spans, spans reviewed."""
    progress = review_progress(project, reviewer)
    with project.read() as s:
        story_of = {
            aid: name or NO_STORY
            for aid, name in s.execute(
                select(Article.id, Story.name).outerjoin(Story, Article.story_id == Story.id)
            )
        }
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for aid, p in progress.items():
        t = totals[story_of.get(aid, NO_STORY)]
        t[0] += 1
        t[1] += int(p.reviewed)
        t[2] += p.spans
        t[3] += p.spans_reviewed
    return {name: StoryProgress(name, *t) for name, t in sorted(totals.items())}


__all__ = [
    "NO_STORY",
    "ArticleProgress",
    "StoryProgress",
    "is_article_reviewed",
    "mark_article_reviewed",
    "review_progress",
    "story_progress",
]
