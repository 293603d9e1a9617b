"""Merging a colleague's project file into this one: their layers, links and reviews come in.

Their file is never written: it is copied with SQLite's backup API and the copy is opened (and
migrated, if it is older). Articles are matched by the SHA-256 of their text, so the same article
imported separately by two people is one article; new ones come with their metadata. A span is
skipped when this project already has its uid or the same (article, annotator, start, end, label); a
link when its uid or the same (source, target, type, annotator) is there; a review when the same
reviewer gave the same verdict and comment on the same item at the same moment. Nothing that is
already here is changed, so merging the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.annotators import ensure_annotator
from db.articles import add_article
from db.errors import NewsmarkError
from db.labels import ensure_label, ensure_link_type
from db.models import Annotator, Article, ArticleReview, Label, Link, LinkType, Outlet, Review, Span, Story
from db.project import Project, _check_revision, _check_sqlite_file, backup_file, is_url, open_project


@dataclass(frozen=True, slots=True)
class MergeSummary:
    articles_added: int
    articles_matched: int
    spans_added: int
    spans_skipped: int
    links_added: int
    links_skipped: int
    reviews_added: int
    reviews_skipped: int
    article_reviews_added: int
    layers: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(
            self.articles_added
            or self.spans_added
            or self.links_added
            or self.reviews_added
            or self.article_reviews_added
        )


def _rows(session: Session, query: Any) -> Iterator[Any]:
    yield from session.execute(query)


def merge_project(project: Project, other_path: str | Path, *, own_layer: str | None = None) -> MergeSummary:
    """Bring a colleague's project file into ``project`` (one transaction, after a backup).

    ``own_layer`` names the layer of the person merging: the colleague's copy of it is not brought
    in, so that layer stays exactly as its owner left it. Every other layer, gold included, gains
    what it lacks; nothing already here is modified.
    """
    if is_url(other_path):
        raise NewsmarkError("Merging takes a project file; for a shared database, open it directly.")
    source = Path(other_path).expanduser().resolve()
    if not source.is_file():
        raise NewsmarkError(f"{source}: no such project file.")
    if project.path is not None and source == project.path.resolve():
        raise NewsmarkError("A project cannot be merged into itself.")
    # Refuse anything that is not a project (or is from a newer version) before reading it.
    _check_revision(str(source), _check_sqlite_file(source))
    with tempfile.TemporaryDirectory(prefix="newsmark-merge-") as tmp:
        # The backup API reads a consistent snapshot (WAL included) without writing their file.
        copy = backup_file(source, "merge", Path(tmp))
        other = open_project(copy, create=False, backup_dir=Path(tmp) / "backups")
        try:
            project.backup("before-merge")
            with other.read() as theirs, project.write() as mine:
                return _merge(theirs, mine, own_layer)
        finally:
            other.close()


def _merge(theirs: Session, mine: Session, own_layer: str | None) -> MergeSummary:
    # Annotators, labels, link types: by name / key.
    names: dict[int, str] = {i: n for i, n in theirs.execute(select(Annotator.id, Annotator.name))}
    who: dict[int, int] = {}
    for their_id, name in names.items():
        if name == own_layer:
            continue
        who[their_id] = ensure_annotator(mine, name).id
    labels = {lid: ensure_label(mine, key).id for lid, key in theirs.execute(select(Label.id, Label.key))}
    types = {
        tid: ensure_link_type(mine, key).id for tid, key in theirs.execute(select(LinkType.id, LinkType.key))
    }
    reviewer: dict[int, int] = {their_id: ensure_annotator(mine, name).id for their_id, name in names.items()}

    # Articles: by text hash.
    articles: dict[int, int] = {}
    added = matched = 0
    query = (
        select(
            Article.id,
            Article.text,
            Article.title,
            Outlet.name,
            Story.name,
            Article.author,
            Article.published,
            Article.url,
            Article.source_file,
        )
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .outerjoin(Story, Article.story_id == Story.id)
        .order_by(Article.id)
    )
    for aid, text, title, outlet, story, author, published, url, source_file in _rows(theirs, query):
        article, created = add_article(
            mine,
            text,
            title=title,
            outlet=outlet,
            story=story,
            author=author,
            published=published,
            url=url,
            source_file=source_file,
        )
        articles[aid] = article.id
        added += int(created)
        matched += int(not created)

    # Spans: skip by uid or by (article, annotator, start, end, label).
    by_uid: dict[str, int] = {u: i for u, i in mine.execute(select(Span.uid, Span.id))}
    by_key: dict[tuple[int, int, int, int, int], int] = {}
    for sid, k0, k1, k2, k3, k4 in mine.execute(
        select(Span.id, Span.article_id, Span.annotator_id, Span.start, Span.end, Span.label_id)
    ):
        by_key.setdefault((k0, k1, k2, k3, k4), sid)
    spans: dict[int, int] = {}
    new_spans: list[tuple[int, Span]] = []
    skipped = 0
    span_query = select(
        Span.id,
        Span.uid,
        Span.article_id,
        Span.annotator_id,
        Span.label_id,
        Span.start,
        Span.end,
        Span.text,
        Span.note,
        Span.origin,
        Span.status,
        Span.created_at,
        Span.updated_at,
    ).order_by(Span.id)
    for sid, uid, aid, ann, lid, start, end, text, note, origin, status, created, updated in _rows(
        theirs, span_query
    ):
        if ann not in who:
            continue
        key = (articles[aid], who[ann], start, end, labels[lid])
        existing = by_uid.get(uid, by_key.get(key))
        if existing is not None:
            spans[sid] = existing
            skipped += 1
            continue
        row = Span(
            uid=uid,
            article_id=key[0],
            annotator_id=key[1],
            label_id=key[4],
            start=start,
            end=end,
            text=text,
            note=note,
            origin=origin,
            status=status,
            created_at=created,
            updated_at=updated,
        )
        mine.add(row)
        new_spans.append((sid, row))
        by_uid[uid] = -1
        by_key[key] = -1
    mine.flush()
    for sid, row in new_spans:
        spans[sid] = row.id

    # Links: skip by uid or by (source, target, type, annotator); both ends must have come across.
    link_uids: dict[str, int] = {u: i for u, i in mine.execute(select(Link.uid, Link.id))}
    link_keys: dict[tuple[int, int, int, int], int] = {}
    for lid_, k0, k1, k2, k3 in mine.execute(
        select(Link.id, Link.source_span_id, Link.target_span_id, Link.type_id, Link.annotator_id)
    ):
        link_keys.setdefault((k0, k1, k2, k3), lid_)
    links: dict[int, int] = {}
    new_links: list[tuple[int, Link]] = []
    links_skipped = 0
    link_query = select(
        Link.id,
        Link.uid,
        Link.source_span_id,
        Link.target_span_id,
        Link.type_id,
        Link.annotator_id,
        Link.note,
        Link.created_at,
    ).order_by(Link.id)
    for lid_, uid, src, dst, tid, ann, note, created in _rows(theirs, link_query):
        if ann not in who or src not in spans or dst not in spans:
            continue
        lkey = (spans[src], spans[dst], types[tid], who[ann])
        existing = link_uids.get(uid, link_keys.get(lkey))
        if existing is not None:
            links[lid_] = existing
            links_skipped += 1
            continue
        link = Link(
            uid=uid,
            source_span_id=lkey[0],
            target_span_id=lkey[1],
            type_id=lkey[2],
            annotator_id=lkey[3],
            note=note,
            created_at=created,
        )
        mine.add(link)
        new_links.append((lid_, link))
        link_uids[uid] = -1
        link_keys[lkey] = -1
    mine.flush()
    for lid_, link in new_links:
        links[lid_] = link.id

    reviews_added, reviews_skipped = _merge_reviews(theirs, mine, reviewer, spans, links)
    article_reviews = _merge_article_reviews(theirs, mine, reviewer, articles)
    layers = tuple(sorted(names[x] for x in who))
    return MergeSummary(
        added,
        matched,
        len(new_spans),
        skipped,
        len(new_links),
        links_skipped,
        reviews_added,
        reviews_skipped,
        article_reviews,
        layers,
    )


def _merge_reviews(
    theirs: Session, mine: Session, reviewer: dict[int, int], spans: dict[int, int], links: dict[int, int]
) -> tuple[int, int]:
    seen = {
        tuple(row)
        for row in mine.execute(
            select(
                Review.reviewer_id,
                Review.span_id,
                Review.link_id,
                Review.verdict,
                Review.comment,
                Review.created_at,
            )
        )
    }
    added = skipped = 0
    query = select(
        Review.reviewer_id,
        Review.span_id,
        Review.link_id,
        Review.verdict,
        Review.comment,
        Review.gold_span_id,
        Review.gold_link_id,
        Review.created_at,
    ).order_by(Review.id)
    for rid, sid, lid, verdict, comment, gsid, glid, created in _rows(theirs, query):
        span_id = spans.get(sid) if sid is not None else None
        link_id = links.get(lid) if lid is not None else None
        if span_id is None and link_id is None:
            continue  # its span or link did not come across (the merging analyst's own layer)
        key = (reviewer[rid], span_id, link_id, verdict, comment, _naive(created))
        if key in seen:
            skipped += 1
            continue
        seen.add(key)
        mine.add(
            Review(
                reviewer_id=reviewer[rid],
                span_id=span_id,
                link_id=link_id,
                verdict=verdict,
                comment=comment,
                gold_span_id=spans.get(gsid) if gsid is not None else None,
                gold_link_id=links.get(glid) if glid is not None else None,
                created_at=created,
            )
        )
        added += 1
    mine.flush()
    return added, skipped


def _merge_article_reviews(
    theirs: Session, mine: Session, reviewer: dict[int, int], articles: dict[int, int]
) -> int:
    present = {(a, r) for a, r in mine.execute(select(ArticleReview.article_id, ArticleReview.reviewer_id))}
    added = 0
    for aid, rid, when in theirs.execute(
        select(ArticleReview.article_id, ArticleReview.reviewer_id, ArticleReview.reviewed_at)
    ):
        key = (articles[aid], reviewer[rid])
        if key in present:
            continue
        present.add(key)
        mine.add(ArticleReview(article_id=key[0], reviewer_id=key[1], reviewed_at=when))
        added += 1
    mine.flush()
    return added


def _naive(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=None) if value is not None and value.tzinfo is not None else value


__all__ = ["MergeSummary", "merge_project"]
