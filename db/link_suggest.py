"""Link suggestions across outlets: passages in other articles that carry the same content.

``suggest_for_span`` looks for passages matching one span (sentences, and clause runs when the span
is shorter than a sentence); ``suggest_for_story`` pairs sentences of different outlets before
anything is annotated. ``accept_candidate`` turns a candidate into spans and a link in one
transaction; ``reject_candidate`` records it so that it is never offered again. Similarity lives in
``db.link_similarity``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.annotators import ensure_annotator
from db.errors import NewsmarkError, NotFoundError
from db.labels import label_by_key, link_type_by_key
from db.link_similarity import Idf, InvertedIndex, Passage, PassageCache, normalise, similarity
from db.links import insert_link, link_records
from db.models import Article, Link, LinkRejection, Outlet, Span, Story
from db.project import Project
from db.records import LinkRecord
from db.spans import insert_span

#: Default score threshold of ``suggest_for_story``, chosen from bench/bench_links.py on the demo
#: corpus (recall 0.80 of the 25 gold pairs; see docs/links.md).
STORY_THRESHOLD = 0.45
#: Default lowest score that ``suggest_for_span`` offers.
SPAN_THRESHOLD = 0.35
#: How many passages of one other article a passage may be paired with in ``suggest_for_story``.
PER_ARTICLE = 2

_cache = PassageCache()


@dataclass(frozen=True, slots=True)
class LinkCandidate:
    """Two passages in different articles that seem to carry the same content. Offsets in code points."""

    source_article_id: int
    source_article_uid: str
    source_start: int
    source_end: int
    source_text: str
    target_article_id: int
    target_article_uid: str
    target_start: int
    target_end: int
    target_text: str
    score: float
    source_span_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Art:
    id: int
    uid: str
    text: str
    outlet: str | None


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Overlapping by at least half of the shorter stretch."""
    inter = min(a1, b1) - max(a0, b0)
    return inter > 0 and inter * 2 >= min(a1 - a0, b1 - b0)


def _articles(session: Session, ids: Iterable[int]) -> list[_Art]:
    rows = session.execute(
        select(Article.id, Article.uid, Article.text, Outlet.name)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(Article.id.in_(list(ids)))
        .order_by(Article.published, Article.id)
    )
    return [_Art(*r) for r in rows]


def _story_article_ids(session: Session, story: str) -> list[int]:
    story_id = session.scalar(select(Story.id).where(Story.name == story))
    if story_id is None:
        raise NotFoundError(f"There is no story {story!r} in this project.")
    return list(session.scalars(select(Article.id).where(Article.story_id == story_id)))


class _Known:
    """Pairs of passages not to offer: rejected suggestions and spans that are already linked."""

    def __init__(self, session: Session, article_ids: list[int]) -> None:
        self._pairs: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
        rej = session.execute(
            select(
                LinkRejection.source_article_id,
                LinkRejection.source_start,
                LinkRejection.source_end,
                LinkRejection.target_article_id,
                LinkRejection.target_start,
                LinkRejection.target_end,
            ).where(
                LinkRejection.source_article_id.in_(article_ids)
                | LinkRejection.target_article_id.in_(article_ids)
            )
        )
        src, dst = aliased(Span), aliased(Span)
        linked = session.execute(
            select(src.article_id, src.start, src.end, dst.article_id, dst.start, dst.end)
            .select_from(Link)
            .join(src, Link.source_span_id == src.id)
            .join(dst, Link.target_span_id == dst.id)
            .where(src.article_id.in_(article_ids) | dst.article_id.in_(article_ids))
        )
        for a, a0, a1, b, b0, b1 in [*rej, *linked]:
            self._pairs.setdefault((a, b), []).append((a0, a1, b0, b1))
            self._pairs.setdefault((b, a), []).append((b0, b1, a0, a1))

    def has(self, a: int, a0: int, a1: int, b: int, b0: int, b1: int) -> bool:
        return any(
            _overlap(a0, a1, x0, x1) and _overlap(b0, b1, y0, y1)
            for x0, x1, y0, y1 in self._pairs.get((a, b), ())
        )


def _candidate(
    src: _Art, s0: int, s1: int, dst: _Art, p: Passage, score: float, span_id: int | None
) -> LinkCandidate:
    return LinkCandidate(
        src.id,
        src.uid,
        s0,
        s1,
        src.text[s0:s1],
        dst.id,
        dst.uid,
        p.start,
        p.end,
        p.text,
        round(score, 4),
        span_id,
    )


def suggest_for_span(
    project: Project,
    span_id: int,
    article_ids: Iterable[int] | None = None,
    limit: int = 10,
    *,
    threshold: float = SPAN_THRESHOLD,
) -> list[LinkCandidate]:
    """Passages in other articles (default: the rest of the span's story) that match the span, best first."""
    with project.read() as s:
        span = s.get(Span, span_id)
        if span is None:
            raise NotFoundError(f"There is no span {span_id} in this project (it may have been deleted).")
        source = s.get(Article, span.article_id)
        assert source is not None
        if article_ids is None:
            ids = _story_article_ids(s, source.story.name) if source.story else []
        else:
            ids = list(article_ids)
        ids = [i for i in ids if i != source.id]
        others = _articles(s, ids)
        known = _Known(s, [source.id])
        src = _Art(source.id, source.uid, source.text, None)
        s0, s1, span_text = span.start, span.end, span.text
    terms = normalise(span_text)
    if not terms.words:
        return []
    # The span's own sentence decides whether clauses are worth looking at.
    own = [p for p in _cache.get(src.uid, src.text, False) if p.start <= s0 and s1 <= p.end]
    with_clauses = not own or len(terms.words) < len(own[0].terms.words)
    per_article = {a.id: _cache.get(a.uid, a.text, with_clauses) for a in others}
    idf = Idf(p.terms.words for ps in per_article.values() for p in ps if p.is_sentence)
    out: list[LinkCandidate] = []
    for art in others:
        passages = per_article[art.id]
        index = InvertedIndex(passages, idf)
        scored = sorted(
            (
                (similarity(terms, passages[i].terms, idf, query=True), passages[i])
                for i in index.candidates(terms)
            ),
            key=lambda x: (-x[0], x[1].start),
        )
        taken: list[Passage] = []
        for score, p in scored:
            if score < threshold:
                break
            if any(p.start < t.end and t.start < p.end for t in taken):
                continue  # one suggestion per stretch of the other article
            if known.has(src.id, s0, s1, art.id, p.start, p.end):
                continue
            taken.append(p)
            out.append(_candidate(src, s0, s1, art, p, score, span_id))
    out.sort(key=lambda c: (-c.score, c.target_article_id, c.target_start))
    return out[:limit]


def suggest_for_story(
    project: Project,
    story: str,
    threshold: float = STORY_THRESHOLD,
    limit: int | None = None,
) -> list[LinkCandidate]:
    """Pairs of sentences in different outlets of ``story`` that carry the same content, best first.

    Each sentence is paired with at most ``PER_ARTICLE`` passages of any one other article.
    Rejected pairs and pairs whose spans are already linked are left out."""
    with project.read() as s:
        ids = _story_article_ids(s, story)
        arts = _articles(s, ids)
        known = _Known(s, ids)
    per_article = {a.id: _cache.get(a.uid, a.text, False) for a in arts}
    idf = Idf(p.terms.words for ps in per_article.values() for p in ps)
    out: list[LinkCandidate] = []
    for i, a in enumerate(arts):
        for b in arts[i + 1 :]:
            if a.outlet is not None and a.outlet == b.outlet:
                continue
            pb = per_article[b.id]
            index = InvertedIndex(pb, idf)
            pairs: list[tuple[float, Passage, Passage]] = []
            for pa in per_article[a.id]:
                for j in index.candidates(pa.terms):
                    score = similarity(pa.terms, pb[j].terms, idf)
                    if score >= threshold:
                        pairs.append((score, pa, pb[j]))
            # Best first; between equal scores, the tighter passages (no subheading run in).
            pairs.sort(key=lambda x: (-x[0], x[1].end - x[1].start + x[2].end - x[2].start, x[1].start))
            taken: list[tuple[Passage, Passage]] = []
            for score, pa, pbb in pairs:
                same_a = [tb for ta, tb in taken if _overlap(pa.start, pa.end, ta.start, ta.end)]
                if len(same_a) >= PER_ARTICLE or any(
                    _overlap(pbb.start, pbb.end, tb.start, tb.end) for tb in same_a
                ):
                    continue  # enough for this passage, or the same pair again in other bounds
                if sum(_overlap(pbb.start, pbb.end, tb.start, tb.end) for _, tb in taken) >= PER_ARTICLE:
                    continue
                if known.has(a.id, pa.start, pa.end, b.id, pbb.start, pbb.end):
                    continue
                taken.append((pa, pbb))
                out.append(_candidate(a, pa.start, pa.end, b, pbb, score, None))
    out.sort(
        key=lambda c: (-c.score, c.source_article_id, c.source_start, c.target_article_id, c.target_start)
    )
    return out if limit is None else out[:limit]


def suggest_links_for_project(
    project: Project, story: str | None = None, threshold: float = STORY_THRESHOLD
) -> list[LinkCandidate]:
    """``suggest_for_story`` for one story, or for every story of the project in turn (for the CLI)."""
    if story is not None:
        return suggest_for_story(project, story, threshold)
    with project.read() as s:
        names = list(s.scalars(select(Story.name).order_by(Story.name)))
    return [c for name in names for c in suggest_for_story(project, name, threshold)]


def _span_at(
    session: Session, article: Article, annotator_id: int, label_id: int, start: int, end: int
) -> Span:
    """The annotator's active span covering exactly [start, end), added (origin "suggested") if missing."""
    found = session.scalar(
        select(Span).where(
            Span.article_id == article.id,
            Span.annotator_id == annotator_id,
            Span.start == start,
            Span.end == end,
            Span.status == "active",
        )
    )
    if found is not None:
        return found
    return insert_span(session, article, annotator_id, label_id, start, end, origin="suggested")


def accept_candidate(
    project: Project, candidate: LinkCandidate, link_type: str, annotator: str, *, label: str = "CLAIM"
) -> LinkRecord:
    """Link the candidate's two passages in ``annotator``'s layer, in one transaction.

    A side that is not already a span of that layer (exactly those offsets) becomes one, with the
    source span's label (``label`` when the candidate has no source span) and origin "suggested"."""
    with project.write() as s:
        who = ensure_annotator(s, annotator)
        type_id = link_type_by_key(s, link_type).id
        src_article = s.get(Article, candidate.source_article_id)
        dst_article = s.get(Article, candidate.target_article_id)
        if src_article is None or dst_article is None:
            raise NotFoundError("One of the suggestion's articles is no longer in the project.")
        if candidate.source_span_id is not None:
            source = s.get(Span, candidate.source_span_id)
            if source is None:
                raise NotFoundError(
                    f"There is no span {candidate.source_span_id} in this project (it may have been deleted)."
                )
            label_id = source.label_id
        else:
            label_id = label_by_key(s, label).id
            source = _span_at(s, src_article, who.id, label_id, candidate.source_start, candidate.source_end)
        target = _span_at(s, dst_article, who.id, label_id, candidate.target_start, candidate.target_end)
        if target.id == source.id:
            raise NewsmarkError("The suggestion links a passage to itself.")
        link = insert_link(s, source.id, target.id, type_id, who.id)
        return link_records(s, select(Link).where(Link.id == link.id))[0]


def reject_candidate(project: Project, candidate: LinkCandidate, annotator: str) -> None:
    """Remember that ``annotator`` turned this pair down; no suggestion overlapping both sides returns."""
    a = (candidate.source_article_id, candidate.source_start, candidate.source_end)
    b = (candidate.target_article_id, candidate.target_start, candidate.target_end)
    lo, hi = (a, b) if a <= b else (b, a)
    with project.write() as s:
        for art_id in (lo[0], hi[0]):
            if s.get(Article, art_id) is None:
                raise NotFoundError(f"There is no article {art_id} in this project.")
        who = ensure_annotator(s, annotator)
        s.add(
            LinkRejection(
                source_article_id=lo[0],
                source_start=lo[1],
                source_end=lo[2],
                target_article_id=hi[0],
                target_start=hi[1],
                target_end=hi[2],
                annotator_id=who.id,
            )
        )


def rejected_count(project: Project) -> int:
    """How many suggestions have been rejected in this project."""
    with project.read() as s:
        return s.scalar(select(func.count()).select_from(LinkRejection)) or 0


__all__ = [
    "PER_ARTICLE",
    "SPAN_THRESHOLD",
    "STORY_THRESHOLD",
    "LinkCandidate",
    "accept_candidate",
    "reject_candidate",
    "suggest_for_span",
    "suggest_for_story",
    "suggest_links_for_project",
]
