"""Noticing what other writers (a colleague on a shared database, another Newsmark process on the
same file) committed to a project, cheaply enough to ask every couple of seconds.

``ChangeWatcher.poll()`` first asks SQLite's ``PRAGMA data_version`` on a connection of its own: the
number moves only when another connection commits, so an idle project costs one pragma per poll.
PostgreSQL has no such counter; there the fingerprints are compared on every poll. The fingerprints
are a few grouped aggregates (spans per article: count, newest change, highest id; links per
article; the number of articles), so a change is placed in the articles it touched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.models import Article, Link, Span
from db.project import Project

Fingerprint = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the previous poll: articles whose spans or links changed, and whether
    articles were added or removed."""

    span_articles: frozenset[int] = field(default_factory=frozenset)
    link_articles: frozenset[int] = field(default_factory=frozenset)
    articles: bool = False

    def __bool__(self) -> bool:
        return bool(self.span_articles or self.link_articles or self.articles)


@dataclass(slots=True)
class _Snapshot:
    spans: dict[int, Fingerprint]
    links: dict[int, Fingerprint]
    articles: Fingerprint


def _span_prints(session: Session, article_id: int | None = None) -> dict[int, Fingerprint]:
    query = select(Span.article_id, func.count(), func.max(Span.updated_at), func.max(Span.id)).group_by(
        Span.article_id
    )
    if article_id is not None:
        query = query.where(Span.article_id == article_id)
    return {int(row[0]): tuple(row[1:]) for row in session.execute(query)}


def _link_prints(session: Session, article_id: int | None = None) -> dict[int, Fingerprint]:
    prints: dict[int, Fingerprint] = {}
    for column in (Link.source_span_id, Link.target_span_id):
        end = aliased(Span)
        query = (
            select(end.article_id, func.count(), func.max(Link.id), func.sum(Link.type_id))
            .join(end, end.id == column)
            .group_by(end.article_id)
        )
        if article_id is not None:
            query = query.where(end.article_id == article_id)
        for row in session.execute(query):
            prints[int(row[0])] = (*prints.get(int(row[0]), ()), *row[1:])
    return prints


def _article_print(session: Session) -> Fingerprint:
    row = session.execute(select(func.count(), func.max(Article.id))).one()
    return tuple(row)


def _changed(old: dict[int, Fingerprint], new: dict[int, Fingerprint]) -> frozenset[int]:
    return frozenset(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


class ChangeWatcher:
    """Polls one open project for other writers' commits. Not thread-safe: poll from one thread."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._pragma: sqlite3.Connection | None = None
        self._version: int | None = None
        self._snapshot: _Snapshot | None = None
        if project.is_sqlite and project.path is not None:
            self._pragma = sqlite3.connect(str(project.path), timeout=5)

    def _data_version(self) -> int | None:
        if self._pragma is None:
            return None
        row = self._pragma.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _take(self) -> _Snapshot:
        with self.project.read() as s:
            return _Snapshot(_span_prints(s), _link_prints(s), _article_print(s))

    def poll(self) -> Changes:
        """What changed since the previous poll (nothing on the first one, which takes the baseline)."""
        version = self._data_version()
        if version is not None and version == self._version and self._snapshot is not None:
            return Changes()
        self._version = version
        new = self._take()
        old, self._snapshot = self._snapshot, new
        if old is None:
            return Changes()
        return Changes(
            span_articles=_changed(old.spans, new.spans),
            link_articles=_changed(old.links, new.links),
            articles=old.articles != new.articles,
        )

    def seen(self, article_id: int) -> None:
        """Take one article's current state as known (after the user's own edit, already shown)."""
        if self._snapshot is None:
            return
        with self.project.read() as s:
            spans = _span_prints(s, article_id)
            links = _link_prints(s, article_id)
        for known, fresh in ((self._snapshot.spans, spans), (self._snapshot.links, links)):
            if article_id in fresh:
                known[article_id] = fresh[article_id]
            else:
                known.pop(article_id, None)

    def close(self) -> None:
        if self._pragma is not None:
            self._pragma.close()
            self._pragma = None
