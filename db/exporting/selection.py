"""Which articles, spans and links an export covers, read in batches of articles.

Articles are read with keyset pagination (``id > last ORDER BY id LIMIT n``); each batch's spans
and links come from two or three indexed range queries, so memory stays flat as a project grows.
Only active spans are exported (a rejected suggestion is not an annotation).

Speed: each query is compiled once per export and run for every batch on the driver's own cursor
(``db.exporting.driver_query``), and a span row becomes a ``SpanRow`` tuple without any Python code
per row.

Layers: with ``annotator`` or ``gold`` one layer is exported, and only the articles where that layer
has spans. With neither, every layer is: one record per article per annotator with spans there, and
one record with no annotator and no spans for a selected article nobody annotated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from sqlalchemy import bindparam, exists, func, null, select
from sqlalchemy.orm import Session, aliased

from db.errors import NewsmarkError, NotFoundError
from db.exporting.driver_query import DriverQuery
from db.models import Annotator, Article, ArticleReview, Label, Link, LinkType, Outlet, Span, Story
from db.spans import span_row_select

BATCH_ARTICLES = 200


@dataclass(frozen=True)
class ExportFilter:
    """What the user asked for; names as the user typed them."""

    annotator: str | None = None
    gold: bool = False
    labels: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    stories: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    reviewed: bool = False


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    uid: str
    sha256: str
    text: str
    title: str
    outlet: str | None
    story: str | None
    author: str | None
    published: str | None
    url: str | None


class SpanRow(NamedTuple):
    """One active span as an exporter reads it (the field order is the order the query selects)."""

    id: int
    uid: str
    article_id: int
    annotator: str
    label: str
    start: int
    end: int
    text: str
    note: str | None
    created_at: str | None
    updated_at: str | None


@dataclass(frozen=True, slots=True)
class LinkRow:
    id: int
    uid: str
    type: str
    annotator: str
    source_span_id: int
    source_span_uid: str
    source_article_uid: str
    target_span_id: int
    target_span_uid: str
    target_article_uid: str
    note: str | None
    created_at: str | None


@dataclass(slots=True)
class Record:
    """One article in one annotator's layer: a JSONL line, a Doc, a Label Studio annotation."""

    article: ArticleRow
    annotator: str | None
    spans: list[SpanRow]
    #: links touching any of ``spans``, in id order
    links: list[LinkRow] = field(default_factory=list)


@dataclass(slots=True)
class Batch:
    articles: list[ArticleRow]
    records: list[Record]


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if len(text) > 10:  # a timestamp as SQLite stores it: "YYYY-MM-DD HH:MM:SS.ffffff"
        with contextlib.suppress(ValueError):
            return _iso(dt.datetime.fromisoformat(text))
    return text


def _ids_by_name(session: Session, column: Any, names: Sequence[str], what: str) -> list[int]:
    rows = session.execute(select(column, column.class_.id).where(column.in_(list(names)))).all()
    found: dict[str, int] = {row[0]: row[1] for row in rows}
    for name in names:
        if name not in found:
            raise NotFoundError(f"There is no {what} {name!r} in this project.")
    return list(found.values())


class Selection:
    """The resolved filter: ids instead of names, and the queries that read one batch."""

    def __init__(self, session: Session, wanted: ExportFilter) -> None:
        self.session = session
        # Core execution on the session's connection: the ORM result layer costs more than the
        # query for the hot loop's tens of thousands of rows.
        self.conn = session.connection()
        self.wanted = wanted
        #: read span and link timestamps (only the W3C export shows them; parsing them is not free)
        self.with_times = False
        if wanted.since and wanted.until and wanted.since > wanted.until:
            raise NewsmarkError(
                f"--since {wanted.since} is after --until {wanted.until}: nothing could match."
            )
        self.annotator_id: int | None = None
        self.layer_name: str | None = None
        if wanted.annotator is not None and wanted.gold:
            raise NewsmarkError("Choose one layer: an annotator or the gold layer, not both.")
        if wanted.annotator is not None:
            self.annotator_id = _ids_by_name(session, Annotator.name, [wanted.annotator], "annotator")[0]
            self.layer_name = wanted.annotator
        elif wanted.gold:
            row = session.execute(select(Annotator.id, Annotator.name).where(Annotator.is_gold)).first()
            if row is None:
                raise NewsmarkError("This project has no gold layer yet: review some spans first.")
            self.annotator_id, self.layer_name = row
        self.label_ids = _ids_by_name(session, Label.key, wanted.labels, "label") if wanted.labels else None
        self.outlet_ids = (
            _ids_by_name(session, Outlet.name, wanted.outlets, "outlet") if wanted.outlets else None
        )
        self.story_ids = (
            _ids_by_name(session, Story.name, wanted.stories, "story") if wanted.stories else None
        )

    def gold_name(self) -> str | None:
        """The gold layer's annotator name, if the project has one."""
        return self.session.scalar(select(Annotator.name).where(Annotator.is_gold))

    @property
    def single_layer(self) -> bool:
        return self.annotator_id is not None

    def _span_conditions(self, span: Any) -> list[Any]:
        conds = [span.status == "active"]
        if self.annotator_id is not None:
            conds.append(span.annotator_id == self.annotator_id)
        if self.label_ids is not None:
            conds.append(span.label_id.in_(self.label_ids))
        return conds

    def _article_conditions(self) -> list[Any]:
        conds: list[Any] = []
        if self.outlet_ids is not None:
            conds.append(Article.outlet_id.in_(self.outlet_ids))
        if self.story_ids is not None:
            conds.append(Article.story_id.in_(self.story_ids))
        if self.wanted.since is not None:
            conds.append(Article.published >= self.wanted.since)
        if self.wanted.until is not None:
            conds.append(Article.published <= self.wanted.until)
        if self.wanted.reviewed:
            conds.append(exists().where(ArticleReview.article_id == Article.id))
        if self.single_layer:
            conds.append(exists().where(Span.article_id == Article.id, *self._span_conditions(Span)))
        return conds

    def count_articles(self) -> int:
        query = select(func.count()).select_from(Article).where(*self._article_conditions())
        return int(self.session.scalar(query) or 0)

    def article_ids(self) -> list[int]:
        query = select(Article.id).where(*self._article_conditions()).order_by(Article.id)
        return list(self.session.scalars(query))

    def _filter_key(self) -> tuple[Any, ...]:
        """Everything the article and span queries' text and parameters depend on."""
        w = self.wanted
        return (
            self.annotator_id,
            None if self.label_ids is None else tuple(self.label_ids),
            None if self.outlet_ids is None else tuple(self.outlet_ids),
            None if self.story_ids is None else tuple(self.story_ids),
            w.since,
            w.until,
            w.reviewed,
        )

    def _articles_query(self, limit: int) -> Any:
        return (
            select(
                Article.id,
                Article.uid,
                Article.sha256,
                Article.text,
                Article.title,
                Outlet.name,
                Story.name,
                Article.author,
                Article.published,
                Article.url,
            )
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .outerjoin(Story, Article.story_id == Story.id)
            .where(Article.id > bindparam("after", 0), *self._article_conditions())
            .order_by(Article.id)
            .limit(limit)
        )

    def _spans_query(self) -> Any:
        times = (Span.created_at, Span.updated_at) if self.with_times else (null(), null())
        # the columns in SpanRow's field order, so that a row becomes a SpanRow as it is
        return (
            span_row_select(*times)
            .where(
                Span.article_id >= bindparam("lo", 0),
                Span.article_id <= bindparam("hi", 0),
                *self._span_conditions(Span),
            )
            # the index's order: no sort step (spans that start together are ordered in _spans)
            .order_by(Span.article_id, Span.annotator_id, Span.start)
        )

    @staticmethod
    def _links_query(by_target: bool) -> Any:
        """Links with their source (or target) span in the batch's article range."""
        src, dst = aliased(Span), aliased(Span)
        src_art, dst_art = aliased(Article), aliased(Article)
        base = (
            select(
                Link.id,
                Link.uid,
                LinkType.key,
                Annotator.name,
                src.id,
                src.uid,
                src_art.uid,
                dst.id,
                dst.uid,
                dst_art.uid,
                Link.note,
                Link.created_at,
            )
            .join(LinkType, Link.type_id == LinkType.id)
            .join(Annotator, Link.annotator_id == Annotator.id)
            .join(src, Link.source_span_id == src.id)
            .join(dst, Link.target_span_id == dst.id)
            .join(src_art, src.article_id == src_art.id)
            .join(dst_art, dst.article_id == dst_art.id)
        )
        side = dst if by_target else src
        return base.where(side.article_id >= bindparam("lo", 0), side.article_id <= bindparam("hi", 0))

    def _spans(self, statement: DriverQuery, lo: int, hi: int, wanted_ids: set[int]) -> list[SpanRow]:
        rows = statement.rows(lo=lo, hi=hi)
        if len(wanted_ids) != hi - lo + 1:  # some articles of the id range are not selected
            rows = [r for r in rows if r[2] in wanted_ids]
        if len(set(map(_layer_and_start, rows))) != len(rows):
            # some spans of one layer start together: longest first, then by id
            rows.sort(key=_span_order)
        if self.with_times:
            return [
                SpanRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], _iso(r[9]), _iso(r[10]))
                for r in rows
            ]
        return list(map(_as_span_row, rows))

    def _links(self, statements: list[DriverQuery], lo: int, hi: int, span_ids: set[int]) -> list[LinkRow]:
        """Links touching ``span_ids``, in id order."""
        found: dict[int, LinkRow] = {}
        for statement in statements:
            for r in statement.rows(lo=lo, hi=hi):
                if r[0] not in found and (r[4] in span_ids or r[7] in span_ids):
                    found[r[0]] = LinkRow(
                        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], _iso(r[11])
                    )
        return [found[k] for k in sorted(found)]

    def batches(self, size: int = BATCH_ARTICLES) -> Iterator[Batch]:
        """The selected articles, ``size`` at a time, with their records (spans and links attached)."""
        key = self._filter_key()
        articles_q = DriverQuery(self.conn, ("articles", size, key), lambda: self._articles_query(size))
        spans_q = DriverQuery(self.conn, ("spans", self.with_times, key), self._spans_query)
        links_q = [
            DriverQuery(self.conn, ("links", False), lambda: self._links_query(False)),
            DriverQuery(self.conn, ("links", True), lambda: self._links_query(True)),
        ]
        after = 0
        while True:
            rows = articles_q.rows(after=after)
            if not rows:
                return
            after = rows[-1][0]
            articles = [
                ArticleRow(r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6], r[7], _iso(r[8]), r[9])
                for r in rows
            ]
            yield self._batch(articles, spans_q, links_q)

    def _batch(self, articles: list[ArticleRow], spans_q: DriverQuery, links_q: list[DriverQuery]) -> Batch:
        lo, hi = articles[0].id, articles[-1].id
        spans = self._spans(spans_q, lo, hi, {a.id for a in articles})
        links_by_span: dict[int, list[LinkRow]] = {}
        if spans:
            span_ids = {s.id for s in spans}
            for link in self._links(links_q, lo, hi, span_ids):
                for sid in (link.source_span_id, link.target_span_id):
                    if sid in span_ids:
                        links_by_span.setdefault(sid, []).append(link)
        # spans come ordered by article then annotator: group runs without a lookup per span
        by_article: dict[int, dict[str, list[SpanRow]]] = {}
        for (article_id, annotator), run in groupby(spans, key=_article_and_annotator):
            by_article.setdefault(article_id, {})[annotator] = list(run)
        records: list[Record] = []
        for article in articles:
            layers = by_article.get(article.id)
            if not layers:
                if not self.single_layer:
                    records.append(Record(article, None, []))
                continue
            for name in sorted(layers):
                layer_spans = layers[name]
                record_links: list[LinkRow] = []
                if links_by_span:
                    seen: dict[int, LinkRow] = {}
                    for span in layer_spans:
                        for link in links_by_span.get(span.id, ()):
                            seen[link.id] = link
                    record_links = sorted(seen.values(), key=_link_id)
                records.append(Record(article, name, layer_spans, record_links))
        return Batch(articles, records)


_as_span_row = partial(tuple.__new__, SpanRow)  # a driver row in SpanRow's field order, made in C
_article_and_annotator = itemgetter(2, 3)  # SpanRow.article_id, SpanRow.annotator
_layer_and_start = itemgetter(2, 3, 5)  # article_id, annotator, start


def _span_order(row: Any) -> tuple[int, str, int, int, int]:
    """A layer's spans by start, the longest first where two start together, then by id."""
    return row[2], row[3], row[5], -row[6], row[0]


_link_id = attrgetter("id")
