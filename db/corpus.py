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
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, String, bindparam, func, or_, select
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


# -- how a query tests the filter -------------------------------------------------------------
#
# Each query is built once per shape (dialect, how the text is tested, which ids are None...) with
# bound parameters, and kept: building a statement costs SQLAlchemy more than SQLite takes to run
# one over a story, and the navigator runs several per story it opens.

_LIKE = "nm_like"
_FTS = "nm_fts"

#: A query over more articles than this looks for a phrase through the text index (when the
#: project has one); a smaller one (one story) reads its few texts, quicker than the index lookup.
WIDE_SCOPE = 400


class _Text(enum.Enum):
    """How a filter tests article texts."""

    LIKE = "like"  # read every text in scope
    INDEX = "index"  # the trigram index decides (LIKE for articles not indexed yet)
    INDEX_LIKE = "index+like"  # the index narrows, LIKE decides


@dataclass(frozen=True, slots=True)
class _How:
    """The shape of the filter part of a query (hashable: a key of the statement caches)."""

    active: bool
    sqlite: bool
    text: _Text


def _how(session: Session, flt: CorpusFilter, *, wide: bool) -> _How:
    sqlite = session.get_bind().dialect.name == "sqlite"
    phrase = flt.text.strip()
    mode = _Text.LIKE
    if flt.active and wide and text_index.usable_for(phrase) and text_index.available(session):
        mode = _Text.INDEX if text_index.exact_by_index(phrase) else _Text.INDEX_LIKE
    return _How(flt.active, sqlite, mode)


def _params(flt: CorpusFilter) -> dict[str, Any]:
    if not flt.active:
        return {}
    phrase = flt.text.strip()
    escaped = phrase.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return {_LIKE: f"%{escaped}%", _FTS: text_index.match_query(phrase)}


def _like(column: Any, sqlite: bool) -> ColumnElement[bool]:
    """Case-insensitive substring test that reads the column as it is.

    SQLAlchemy's ``icontains`` lowers both sides, which on SQLite copies every article's text
    before comparing (2-3x slower over a big corpus); SQLite's LIKE already ignores ASCII case,
    and PostgreSQL has ILIKE."""
    pattern = bindparam(_LIKE, type_=String())
    if sqlite:
        return column.like(pattern, escape="/")  # type: ignore[no-any-return]
    return column.ilike(pattern, escape="/")  # type: ignore[no-any-return]


def _text_contains(how: _How) -> ColumnElement[bool]:
    like = _like(Article.text, how.sqlite)
    if how.text is _Text.LIKE:
        return like
    return text_index.contains(
        Article.id, bindparam(_FTS, type_=String()), like, exact=how.text is _Text.INDEX
    )


def _matches(how: _How) -> ColumnElement[bool]:
    return or_(
        _like(Article.title, how.sqlite),
        Article.outlet_id.in_(select(Outlet.id).where(_like(Outlet.name, how.sqlite))),
        Article.story_id.in_(select(Story.id).where(_like(Story.name, how.sqlite))),
        _text_contains(how),
    )


def _filtered(query: _Q, how: _How) -> _Q:
    return query.where(_matches(how)) if how.active else query


def _same(column: Any, none: bool, name: str) -> ColumnElement[bool]:
    """``column IS NULL`` or ``column = :name``."""
    return column.is_(None) if none else column == bindparam(name)  # type: ignore[no-any-return]


def _run(session: Session, statement: Any, params: dict[str, Any]) -> Any:
    # Core execution: the rows are plain tuples, no ORM loading is needed.
    return session.connection().execute(statement, params)


@functools.cache
def _scope_size_stmt(story_none: bool) -> Any:
    return select(func.count()).select_from(Article).where(_same(Article.story_id, story_none, "story"))


def _wide(session: Session, flt: CorpusFilter, story_id: int | None) -> bool:
    """Whether a query over one story's articles (or those with no story) covers many articles."""
    if not flt.active or not text_index.usable_for(flt.text.strip()) or not text_index.available(session):
        return False
    n = _run(session, _scope_size_stmt(story_id is None), {"story": story_id}).scalar()
    return (n or 0) > WIDE_SCOPE


# Spans are grouped by label id and the key looked up per group: joined to the labels table,
# SQLite loops over the few labels outside and reads every span once per label.
def _label_key() -> Any:
    return select(Label.key).where(Label.id == Span.label_id).scalar_subquery()


def _by_annotator() -> ColumnElement[bool]:
    return (
        Span.annotator_id
        == select(Annotator.id).where(Annotator.name == bindparam("annotator")).scalar_subquery()
    )


@functools.cache
def _span_counts_stmt(how: _How, group: str, scope: str, annotator: bool) -> Any:
    """Active span counts per label, grouped by ``group`` ("story" or "outlet").

    ``scope``: "all"; "story" (``:story``) or "no story"; "stories" (``:stories``, expanding), or
    "stories+none" (those and the articles without a story)."""
    key: Any = Article.story_id if group == "story" else Article.outlet_id
    if scope in ("story", "no story"):
        # Grouped by an expression, not the bare column: given an index to group by, SQLite walks
        # every article in that order instead of the story's few through the story index.
        key = (key + 0).label("grouping")
    query = (
        select(key, _label_key(), func.count(Span.id))
        .select_from(Span)
        .join(Article, Span.article_id == Article.id)
        .where(Span.status == "active")
        .group_by(key, Span.label_id)
    )
    if scope in ("story", "no story"):
        query = query.where(_same(Article.story_id, scope == "no story", "story"))
    elif scope.startswith("stories"):
        clause: ColumnElement[bool] = Article.story_id.in_(bindparam("stories", expanding=True))
        if scope == "stories+none":
            clause = or_(clause, Article.story_id.is_(None))
        query = query.where(clause)
    if annotator:
        query = query.where(_by_annotator())
    return _filtered(query, how)


def _span_counts(
    session: Session, how: _How, flt: CorpusFilter, group: str, scope: str, params: dict[str, Any]
) -> dict[Any, dict[str, int]]:
    stmt = _span_counts_stmt(how, group, scope, flt.annotator is not None)
    out: dict[Any, dict[str, int]] = {}
    for key, label, n in _run(session, stmt, {**_params(flt), "annotator": flt.annotator, **params}):
        out.setdefault(key, {})[label] = n
    return out


@functools.cache
def _stories_stmt(how: _How) -> Any:
    return _filtered(
        select(Article.story_id, Story.name, func.count(Article.id), func.min(Article.published))
        .select_from(Article)
        .outerjoin(Story, Article.story_id == Story.id)
        .group_by(Article.story_id, Story.name),
        how,
    )


def stories(
    project: Project, flt: CorpusFilter = CorpusFilter(), *, with_counts: bool = True
) -> list[GroupRow]:
    """Stories that hold at least one matching article, by name, "(no story)" (id None) last.

    ``with_counts=False`` leaves the span counts out (they read every span of the project; the
    navigator fetches them with ``story_counts`` in the background)."""
    with project.read() as s:
        how = _how(s, flt, wide=True)
        found = _run(s, _stories_stmt(how), _params(flt)).all()
        counts = _span_counts(s, how, flt, "story", "all", {}) if with_counts else {}
        rows = [GroupRow(sid, name, n, counts.get(sid, {}), first) for sid, name, n, first in found]
    return sorted(rows, key=lambda r: (r.id is None, (r.name or "").casefold()))


def story_counts(
    project: Project, flt: CorpusFilter = CorpusFilter(), story_ids: Iterable[int | None] | None = None
) -> dict[int | None, dict[str, int]]:
    """Span counts per label for every story (or only ``story_ids``; None is "(no story)")."""
    scope, params = "all", {}
    if story_ids is not None:
        wanted = list(story_ids)
        scope = "stories+none" if None in wanted else "stories"
        params = {"stories": [x for x in wanted if x is not None]}
    with project.read() as s:
        how = _how(s, flt, wide=True)
        return _span_counts(s, how, flt, "story", scope, params)


@functools.cache
def _outlets_stmt(how: _How, story_none: bool) -> Any:
    return _filtered(
        select(Article.outlet_id, Outlet.name, func.count(Article.id), func.min(Article.published))
        .select_from(Article)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(_same(Article.story_id, story_none, "story"))
        .group_by(Article.outlet_id, Outlet.name),
        how,
    )


def outlets(project: Project, story_id: int | None, flt: CorpusFilter = CorpusFilter()) -> list[GroupRow]:
    """Outlets with matching articles in one story (None: articles without a story)."""
    none = story_id is None
    with project.read() as s:
        how = _how(s, flt, wide=_wide(s, flt, story_id))
        params = {**_params(flt), "story": story_id}
        found = _run(s, _outlets_stmt(how, none), params).all()
        counts = _span_counts(s, how, flt, "outlet", "no story" if none else "story", {"story": story_id})
        rows = [GroupRow(oid, name, n, counts.get(oid, {}), first) for oid, name, n, first in found]
    return _sorted_outlets(rows, flt.order)


def _sorted_outlets(rows: list[GroupRow], order: ArticleOrder) -> list[GroupRow]:
    """Outlets by first date or by name, as the navigator lists them; "(no outlet)" last."""
    if order is ArticleOrder.DATE:
        return sorted(
            rows, key=lambda r: (r.id is None, r.first_published or dt.date.max, (r.name or "").casefold())
        )
    return sorted(rows, key=lambda r: (r.id is None, (r.name or "").casefold()))


def _article_order(order: ArticleOrder) -> list[Any]:
    if order is ArticleOrder.TITLE:
        return [func.lower(Article.title), Article.id]
    # Undated articles go last.
    return [Article.published.is_(None), Article.published, func.lower(Article.title), Article.id]


def _reviewed_column() -> Any:
    return (
        select(ArticleReview.article_id)
        .where(ArticleReview.article_id == Article.id)
        .exists()
        .label("reviewed")
    )


def _article_row_columns() -> tuple[Any, ...]:
    """The columns of an ``ArticleRow`` but its counts, in its order."""
    return (Article.id, Article.title, Outlet.name, Article.published, Article.n_chars, _reviewed_column())


@functools.cache
def _articles_stmt(how: _How, order: ArticleOrder, story_none: bool, outlet_none: bool) -> Any:
    return (
        _filtered(
            select(*_article_row_columns())
            .select_from(Article)
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .where(
                _same(Article.story_id, story_none, "story"), _same(Article.outlet_id, outlet_none, "outlet")
            ),
            how,
        )
        .order_by(*_article_order(order))
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


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
        how = _how(s, flt, wide=_wide(s, flt, story_id))
        stmt = _articles_stmt(how, flt.order, story_id is None, outlet_id is None)
        params = {**_params(flt), "story": story_id, "outlet": outlet_id, "offset": offset, "limit": limit}
        rows = _run(s, stmt, params).all()
        counts = _counts_for(s, [r[0] for r in rows], flt.annotator)
    return [
        ArticleRow(aid, title, outlet, published, n, counts.get(aid, {}), bool(reviewed))
        for aid, title, outlet, published, n, reviewed in rows
    ]


@functools.cache
def _story_articles_stmt(how: _How, order: ArticleOrder, story_none: bool) -> Any:
    return _filtered(
        select(Article.outlet_id, *_article_row_columns())
        .select_from(Article)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(_same(Article.story_id, story_none, "story")),
        how,
    ).order_by(*_article_order(order))


def story_articles(
    project: Project, story_id: int | None, flt: CorpusFilter = CorpusFilter()
) -> dict[int | None, list[ArticleRow]]:
    """Every matching article of one story, by outlet id, in one query (for a story opened whole)."""
    with project.read() as s:
        how = _how(s, flt, wide=_wide(s, flt, story_id))
        stmt = _story_articles_stmt(how, flt.order, story_id is None)
        rows = _run(s, stmt, {**_params(flt), "story": story_id}).all()
        counts = _counts_for(s, [r[1] for r in rows], flt.annotator)
    out: dict[int | None, list[ArticleRow]] = {}
    for oid, aid, title, outlet, published, n, reviewed in rows:
        out.setdefault(oid, []).append(
            ArticleRow(aid, title, outlet, published, n, counts.get(aid, {}), bool(reviewed))
        )
    return out


def _in_stories(with_none: bool) -> ColumnElement[bool]:
    clause: ColumnElement[bool] = Article.story_id.in_(bindparam("stories", expanding=True))
    return or_(clause, Article.story_id.is_(None)) if with_none else clause


@functools.cache
def _stories_size_stmt(with_none: bool) -> Any:
    return select(func.count()).select_from(Article).where(_in_stories(with_none))


@functools.cache
def _stories_articles_stmt(how: _How, order: ArticleOrder, with_none: bool) -> Any:
    return _filtered(
        select(Article.story_id, Article.outlet_id, *_article_row_columns())
        .select_from(Article)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(_in_stories(with_none)),
        how,
    ).order_by(*_article_order(order))


#: One story's outlets (as ``outlets`` lists them) and its articles by outlet id.
StoryContents = tuple[list[GroupRow], dict[int | None, list[ArticleRow]]]


def story_contents(
    project: Project, story_ids: Iterable[int | None], flt: CorpusFilter = CorpusFilter()
) -> dict[int | None, StoryContents]:
    """Several stories opened whole at once (None: the articles without a story), in three queries
    instead of six per story: each story's outlets and articles are those ``outlets`` and
    ``story_articles`` give, the outlets' counts being the sums of their articles'. For re-opening
    the stories a new filter leaves open."""
    wanted = list(dict.fromkeys(story_ids))
    with_none = None in wanted
    params: dict[str, Any] = {"stories": [x for x in wanted if x is not None]}
    with project.read() as s:
        wide = False
        if flt.active and text_index.usable_for(flt.text.strip()) and text_index.available(s):
            wide = (_run(s, _stories_size_stmt(with_none), params).scalar() or 0) > WIDE_SCOPE
        how = _how(s, flt, wide=wide)
        rows = _run(s, _stories_articles_stmt(how, flt.order, with_none), {**_params(flt), **params}).all()
        counts = _counts_for(s, [r[2] for r in rows], flt.annotator)
    by_story: dict[int | None, dict[int | None, list[ArticleRow]]] = {sid: {} for sid in wanted}
    for sid, oid, aid, title, outlet, published, n, reviewed in rows:
        row = ArticleRow(aid, title, outlet, published, n, counts.get(aid, {}), bool(reviewed))
        by_story.setdefault(sid, {}).setdefault(oid, []).append(row)
    out: dict[int | None, StoryContents] = {}
    for sid, by_outlet in by_story.items():
        groups = []
        for oid, found in by_outlet.items():
            summed: dict[str, int] = {}
            for article in found:
                for key, n in article.counts.items():
                    summed[key] = summed.get(key, 0) + n
            dates = [a.published for a in found if a.published is not None]
            groups.append(GroupRow(oid, found[0].outlet, len(found), summed, min(dates) if dates else None))
        out[sid] = (_sorted_outlets(groups, flt.order), by_outlet)
    return out


@functools.cache
def _counts_for_stmt(annotator: bool) -> Any:
    query = (
        select(Span.article_id, _label_key(), func.count(Span.id))
        .where(Span.article_id.in_(bindparam("ids", expanding=True)), Span.status == "active")
        .group_by(Span.article_id, Span.label_id)
    )
    return query.where(_by_annotator()) if annotator else query


def _counts_for(session: Session, ids: list[int], annotator: str | None) -> dict[int, dict[str, int]]:
    if not ids:
        return {}
    out: dict[int, dict[str, int]] = {}
    params = {"ids": ids, "annotator": annotator}
    for aid, key, n in _run(session, _counts_for_stmt(annotator is not None), params):
        out.setdefault(aid, {})[key] = n
    return out


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


@functools.cache
def _position_stmt(how: _How, order: ArticleOrder, story_none: bool, outlet_none: bool) -> Any:
    return _filtered(
        select(Article.id)
        .where(_same(Article.story_id, story_none, "story"), _same(Article.outlet_id, outlet_none, "outlet"))
        .order_by(*_article_order(order)),
        how,
    )


def article_position(project: Project, article_id: int, flt: CorpusFilter = CorpusFilter()) -> int | None:
    """The row of an article inside its (story, outlet) node under ``flt``, or None if filtered out."""
    where = locate(project, article_id)
    if where is None:
        return None
    with project.read() as s:
        how = _how(s, flt, wide=_wide(s, flt, where.story_id))
        stmt = _position_stmt(how, flt.order, where.story_id is None, where.outlet_id is None)
        params = {**_params(flt), "story": where.story_id, "outlet": where.outlet_id}
        for row, (aid,) in enumerate(_run(s, stmt, params)):
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


@functools.cache
def _search_stmt(how: _How) -> Any:
    return (
        select(Article.id, Article.title, Outlet.name, Article.text)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(_text_contains(how))
        .order_by(Article.published.is_(None), Article.published, Article.id)
    )


def search(project: Project, query: str, limit: int = 200, *, context: int = SNIPPET_CONTEXT) -> list[Hit]:
    """Every occurrence of ``query`` (case-insensitive) in article texts, up to ``limit`` hits.

    The database narrows the articles (the text index, or ``LIKE``); the occurrences and their
    code-point offsets are found here, in Python strings, so that emoji and other astral characters
    count as one.
    """
    phrase = query.strip()
    if not phrase or limit <= 0:
        return []
    pattern = re.compile(re.escape(phrase), re.IGNORECASE)
    hits: list[Hit] = []
    flt = CorpusFilter(phrase)
    with project.read() as s:
        rows = _run(s, _search_stmt(_how(s, flt, wide=True)), _params(flt))
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
