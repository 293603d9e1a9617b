"""Read-only views of the corpus for browsing: the navigator's stories, outlets and article rows,
label counts, and corpus-wide phrase search.

The navigator is a tree (story, then outlet, then article). Each level is one query; articles come
a page at a time so that a browser of a large project never loads every article. A filter narrows
all three levels the same way: an article matches when its title, outlet, story or text contains
the filter text, ignoring ASCII case (SQL ``LIKE``; ``ILIKE`` on PostgreSQL). Queries over many
articles look texts up in the trigram index of ``db.text_index`` where the project has one; queries
over one story read its few texts. Both give the same answer.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from db import text_index
from db.models import Annotator, Article, ArticleReview, Label, Outlet, Span, Story
from db.project import Project

_Q = TypeVar("_Q", bound="Select[*tuple[Any, ...]]")

#: How many characters of context a search hit shows on each side of the match.
SNIPPET_CONTEXT = 60


class ArticleOrder(enum.Enum):
    """How the navigator orders outlets and articles."""

    DATE = "date"  # outlets by their first article's date (who reported first), articles oldest first
    OUTLET = "outlet"  # outlets alphabetically, articles by date
    TITLE = "title"  # outlets alphabetically, articles by title


@dataclass(frozen=True, slots=True)
class CorpusFilter:
    """What the navigator shows. ``text`` matches title, outlet, story or article text."""

    text: str = ""
    order: ArticleOrder = ArticleOrder.DATE
    #: Count spans of this annotator's layer only; None counts every layer.
    annotator: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.text.strip())


@dataclass(frozen=True, slots=True)
class GroupRow:
    """A story or an outlet node. ``id`` is None for "(no story)" / "(no outlet)"."""

    id: int | None
    name: str | None
    articles: int
    counts: dict[str, int] = field(default_factory=dict)
    first_published: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    title: str
    outlet: str | None
    published: dt.date | None
    n_chars: int
    counts: dict[str, int]
    reviewed: bool


@dataclass(frozen=True, slots=True)
class ArticleLocation:
    """Where an article sits in the navigator tree."""

    story_id: int | None
    outlet_id: int | None


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a phrase. Offsets are code points into the article text."""

    article_id: int
    title: str
    outlet: str | None
    start: int
    end: int
    before: str
    match: str
    after: str

    @property
    def snippet(self) -> str:
        return f"{self.before}{self.match}{self.after}"


def _like(session: Session, column: Any, phrase: str) -> ColumnElement[bool]:
    """Case-insensitive substring test that reads the column as it is.

    SQLAlchemy's ``icontains`` lowers both sides, which on SQLite copies every article's text
    before comparing (2-3x slower over a big corpus); SQLite's LIKE already ignores ASCII case,
    and PostgreSQL has ILIKE."""
    escaped = phrase.replace("/", "//").replace("%", "/%").replace("_", "/_")
    pattern = f"%{escaped}%"
    if session.get_bind().dialect.name == "sqlite":
        return column.like(pattern, escape="/")  # type: ignore[no-any-return]
    return column.ilike(pattern, escape="/")  # type: ignore[no-any-return]


#: A scope of more articles than this looks for a phrase through the text index (when the project
#: has one); a smaller one (a story) reads its few texts, which is quicker than the index lookup.
WIDE_SCOPE = 400


def _text_contains(session: Session, phrase: str, *, wide: bool) -> ColumnElement[bool]:
    """The article text contains ``phrase``; ``wide``: the query looks at many articles."""
    like = _like(session, Article.text, phrase)
    if wide and text_index.usable_for(phrase) and text_index.available(session):
        return text_index.contains(Article.id, phrase, like)
    return like


def _matches(session: Session, query: str, *, wide: bool = True) -> ColumnElement[bool]:
    q = query.strip()
    return or_(
        _like(session, Article.title, q),
        Article.outlet_id.in_(select(Outlet.id).where(_like(session, Outlet.name, q))),
        Article.story_id.in_(select(Story.id).where(_like(session, Story.name, q))),
        _text_contains(session, q, wide=wide),
    )


def _wide(session: Session, flt: CorpusFilter, story_id: int | None) -> bool:
    """Whether a query over one story's articles (or those with no story) is a wide one."""
    if not flt.active or not text_index.usable_for(flt.text.strip()) or not text_index.available(session):
        return False
    n = session.scalar(select(func.count()).select_from(Article).where(_same(Article.story_id, story_id)))
    return (n or 0) > WIDE_SCOPE


def _same(column: Any, value: int | None) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value  # type: ignore[no-any-return]


def _filtered(session: Session, query: _Q, flt: CorpusFilter, *, wide: bool = True) -> _Q:
    return query.where(_matches(session, flt.text, wide=wide)) if flt.active else query


def _span_counts(
    session: Session, flt: CorpusFilter, group: list[Any], where: Iterable[Any] = (), *, wide: bool = True
) -> dict[Any, dict[str, int]]:
    """Active span counts per label, grouped by the given article columns."""
    query = (
        select(*group, Label.key, func.count(Span.id))
        .select_from(Span)
        .join(Article, Span.article_id == Article.id)
        .join(Label, Span.label_id == Label.id)
        .where(Span.status == "active", *where)
        .group_by(*group, Label.key)
    )
    if flt.annotator is not None:
        query = query.join(Annotator, Span.annotator_id == Annotator.id).where(
            Annotator.name == flt.annotator
        )
    query = _filtered(session, query, flt, wide=wide)
    out: dict[Any, dict[str, int]] = {}
    for row in session.execute(query):
        *keys, label, n = tuple(row)
        out.setdefault(tuple(keys) if len(keys) > 1 else keys[0], {})[label] = n
    return out


def stories(
    project: Project, flt: CorpusFilter = CorpusFilter(), *, with_counts: bool = True
) -> list[GroupRow]:
    """Stories that hold at least one matching article, by name, "(no story)" (id None) last.

    ``with_counts=False`` leaves the span counts out (they read every span of the project; the
    navigator fetches them with ``story_counts`` in the background)."""
    with project.read() as s:
        query = _filtered(
            s,
            select(Article.story_id, Story.name, func.count(Article.id), func.min(Article.published))
            .select_from(Article)
            .outerjoin(Story, Article.story_id == Story.id)
            .group_by(Article.story_id, Story.name),
            flt,
        )
        counts = _span_counts(s, flt, [Article.story_id]) if with_counts else {}
        rows = [
            GroupRow(sid, name, n, counts.get(sid, {}), first) for sid, name, n, first in s.execute(query)
        ]
    return sorted(rows, key=lambda r: (r.id is None, (r.name or "").casefold()))


def story_counts(
    project: Project, flt: CorpusFilter = CorpusFilter(), story_ids: Iterable[int | None] | None = None
) -> dict[int | None, dict[str, int]]:
    """Span counts per label for every story (or only ``story_ids``; None is "(no story)")."""
    where: list[Any] = []
    if story_ids is not None:
        wanted = list(story_ids)
        real = [x for x in wanted if x is not None]
        clause: ColumnElement[bool] = Article.story_id.in_(real)
        if None in wanted:
            clause = or_(clause, Article.story_id.is_(None))
        where.append(clause)
    with project.read() as s:
        return _span_counts(s, flt, [Article.story_id], where)


def outlets(project: Project, story_id: int | None, flt: CorpusFilter = CorpusFilter()) -> list[GroupRow]:
    """Outlets with matching articles in one story (None: articles without a story)."""
    with project.read() as s:
        wide = _wide(s, flt, story_id)
        query = _filtered(
            s,
            select(Article.outlet_id, Outlet.name, func.count(Article.id), func.min(Article.published))
            .select_from(Article)
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .where(_same(Article.story_id, story_id))
            .group_by(Article.outlet_id, Outlet.name),
            flt,
            wide=wide,
        )
        counts = _span_counts(s, flt, [Article.outlet_id], [_same(Article.story_id, story_id)], wide=wide)
        rows = [
            GroupRow(oid, name, n, counts.get(oid, {}), first) for oid, name, n, first in s.execute(query)
        ]
    if flt.order is ArticleOrder.DATE:
        return sorted(
            rows, key=lambda r: (r.id is None, r.first_published or dt.date.max, (r.name or "").casefold())
        )
    return sorted(rows, key=lambda r: (r.id is None, (r.name or "").casefold()))


def _article_order(flt: CorpusFilter) -> list[Any]:
    if flt.order is ArticleOrder.TITLE:
        return [func.lower(Article.title), Article.id]
    # Undated articles go last.
    return [Article.published.is_(None), Article.published, func.lower(Article.title), Article.id]


def articles(
    project: Project,
    story_id: int | None,
    outlet_id: int | None,
    flt: CorpusFilter = CorpusFilter(),
    *,
    offset: int = 0,
    limit: int = 200,
) -> list[ArticleRow]:
    """One page of the matching articles of one (story, outlet) node, with their label counts."""
    with project.read() as s:
        query = _filtered(
            s,
            select(Article.id, Article.title, Outlet.name, Article.published, Article.n_chars)
            .select_from(Article)
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .where(_same(Article.story_id, story_id), _same(Article.outlet_id, outlet_id)),
            flt,
            wide=_wide(s, flt, story_id),
        )
        rows = s.execute(query.order_by(*_article_order(flt)).offset(offset).limit(limit)).all()
        ids = [r[0] for r in rows]
        counts = _counts_for(s, ids, flt.annotator)
        reviewed = _reviewed(s, ids)
    return [
        ArticleRow(aid, title, outlet, published, n, counts.get(aid, {}), aid in reviewed)
        for aid, title, outlet, published, n in rows
    ]


def story_articles(
    project: Project, story_id: int | None, flt: CorpusFilter = CorpusFilter()
) -> dict[int | None, list[ArticleRow]]:
    """Every matching article of one story, by outlet id, in one query (for a story opened whole)."""
    with project.read() as s:
        query = _filtered(
            s,
            select(
                Article.outlet_id, Article.id, Article.title, Outlet.name, Article.published, Article.n_chars
            )
            .select_from(Article)
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .where(_same(Article.story_id, story_id)),
            flt,
            wide=_wide(s, flt, story_id),
        )
        rows = s.execute(query.order_by(*_article_order(flt))).all()
        ids = [r[1] for r in rows]
        counts = _counts_for(s, ids, flt.annotator)
        reviewed = _reviewed(s, ids)
    out: dict[int | None, list[ArticleRow]] = {}
    for oid, aid, title, outlet, published, n in rows:
        out.setdefault(oid, []).append(
            ArticleRow(aid, title, outlet, published, n, counts.get(aid, {}), aid in reviewed)
        )
    return out


def _counts_for(session: Session, ids: list[int], annotator: str | None) -> dict[int, dict[str, int]]:
    if not ids:
        return {}
    query = (
        select(Span.article_id, Label.key, func.count(Span.id))
        .join(Label, Span.label_id == Label.id)
        .where(Span.article_id.in_(ids), Span.status == "active")
        .group_by(Span.article_id, Label.key)
    )
    if annotator is not None:
        query = query.join(Annotator, Span.annotator_id == Annotator.id).where(Annotator.name == annotator)
    out: dict[int, dict[str, int]] = {}
    for aid, key, n in session.execute(query):
        out.setdefault(aid, {})[key] = n
    return out


def _reviewed(session: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(session.scalars(select(ArticleReview.article_id).where(ArticleReview.article_id.in_(ids))))


def label_counts(
    project: Project, article_ids: Iterable[int], annotator: str | None = None
) -> dict[int, dict[str, int]]:
    """Active span counts per label for some articles (articles without spans are left out)."""
    with project.read() as s:
        return _counts_for(s, list(article_ids), annotator)


def locate(project: Project, article_id: int) -> ArticleLocation | None:
    """The story and outlet an article is filed under, or None if it does not exist."""
    with project.read() as s:
        row = s.execute(select(Article.story_id, Article.outlet_id).where(Article.id == article_id)).first()
    return None if row is None else ArticleLocation(row[0], row[1])


def article_position(project: Project, article_id: int, flt: CorpusFilter = CorpusFilter()) -> int | None:
    """The row of an article inside its (story, outlet) node under ``flt``, or None if filtered out."""
    where = locate(project, article_id)
    if where is None:
        return None
    with project.read() as s:
        query = _filtered(
            s,
            select(Article.id)
            .where(_same(Article.story_id, where.story_id), _same(Article.outlet_id, where.outlet_id))
            .order_by(*_article_order(flt)),
            flt,
            wide=_wide(s, flt, where.story_id),
        )
        for row, aid in enumerate(s.scalars(query)):
            if aid == article_id:
                return row
    return None


def corpus_totals(project: Project) -> tuple[int, int, int]:
    """(articles, outlets, stories) in the project."""
    with project.read() as s:
        n_articles = s.scalar(select(func.count()).select_from(Article)) or 0
        n_outlets = s.scalar(select(func.count(func.distinct(Article.outlet_id)))) or 0
        n_stories = s.scalar(select(func.count(func.distinct(Article.story_id)))) or 0
    return n_articles, n_outlets, n_stories


def search(project: Project, query: str, limit: int = 200, *, context: int = SNIPPET_CONTEXT) -> list[Hit]:
    """Every occurrence of ``query`` (case-insensitive) in article texts, up to ``limit`` hits.

    The database narrows the articles (the text index, or ``LIKE``); the occurrences and their
    code-point offsets are found here, in Python strings, so that emoji and other astral characters count as one.
    """
    phrase = query.strip()
    if not phrase or limit <= 0:
        return []
    pattern = re.compile(re.escape(phrase), re.IGNORECASE)
    hits: list[Hit] = []
    with project.read() as s:
        rows = s.execute(
            select(Article.id, Article.title, Outlet.name, Article.text)
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .where(_text_contains(s, phrase, wide=True))
            .order_by(Article.published.is_(None), Article.published, Article.id)
        )
        for aid, title, outlet, text in rows:
            for m in pattern.finditer(text):
                a, b = m.span()
                hits.append(
                    Hit(
                        aid,
                        title,
                        outlet,
                        a,
                        b,
                        _clip_left(text, a, context),
                        text[a:b],
                        _clip_right(text, b, context),
                    )
                )
                if len(hits) >= limit:
                    return hits
    return hits


def _clip_left(text: str, at: int, n: int) -> str:
    start = max(0, at - n)
    piece = " ".join(text[start:at].split("\n"))
    return ("…" + piece.lstrip()) if start > 0 else piece


def _clip_right(text: str, at: int, n: int) -> str:
    end = min(len(text), at + n)
    piece = " ".join(text[at:end].split("\n"))
    return (piece.rstrip() + "…") if end < len(text) else piece


__all__ = [
    "ArticleLocation",
    "ArticleOrder",
    "ArticleRow",
    "CorpusFilter",
    "GroupRow",
    "Hit",
    "article_position",
    "articles",
    "corpus_totals",
    "label_counts",
    "locate",
    "outlets",
    "search",
    "stories",
    "story_counts",
]
