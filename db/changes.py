"""Noticing what other writers (a colleague on a shared database, another Newsmark process on the
same file) committed to a project, cheaply enough to ask every couple of seconds.

``ChangeWatcher.poll()`` first asks SQLite's ``PRAGMA data_version`` on a connection of its own: the
number moves only when another connection commits, so an idle project costs one pragma per poll.
PostgreSQL has no such counter; there the fingerprints are compared on every poll. The fingerprints
are a few grouped aggregates (spans per article: count, newest change, highest id; links per
article; the number of articles), so a change is placed in the articles it touched. The links are
fingerprinted per article only when their cheap whole-table print (count, highest id, sum of types,
read from a covering index) moved; on SQLite the aggregates run as plain SQL on the watcher's own
connection, in one read transaction.

A poll can be split so that the slow part runs on another thread (``desktop.live_refresh`` does):
``begin()`` on the owner's thread, ``fetch()`` on any one thread at a time (it only reads the
database, never the watcher's state that ``seen()`` changes), then ``apply(reading)`` back on the
owner's thread. An article the owner marks ``seen()`` while a fetch runs keeps the value ``seen()``
read (the fetch may have read it before or after the owner's commit), and the next poll reads
everything again, so a colleague's change to that article is not lost.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.models import Article, Link, Span
from db.project import Project

Fingerprint = tuple[Any, ...]

#: SQLite: how many virtual-machine steps between two checks whether a fetch should stop.
_CANCEL_CHECK_STEPS = 20_000

_SQLITE_SPANS = "SELECT article_id, count(*), max(updated_at), max(id) FROM spans{where} GROUP BY article_id"
# One pass over the links, each link counted under both of its ends' articles.
_SQLITE_LINKS = (
    "SELECT s.article_id, count(*), max(l.id), total(l.type_id) FROM ("
    "SELECT source_span_id AS span_id, id, type_id FROM links "
    "UNION ALL SELECT target_span_id, id, type_id FROM links) AS l "
    "JOIN spans AS s ON s.id = l.span_id GROUP BY s.article_id"
)
# One article's: from its spans through the links' indexes, not a pass over every link.
_SQLITE_ARTICLE_LINKS = (
    "SELECT ?1, count(*), max(id), total(type_id) FROM ("
    "SELECT l.id, l.type_id FROM spans AS s JOIN links AS l ON l.source_span_id = s.id WHERE s.article_id = ?1 "
    "UNION ALL "
    "SELECT l.id, l.type_id FROM spans AS s JOIN links AS l ON l.target_span_id = s.id WHERE s.article_id = ?1"
    ") HAVING count(*) > 0"
)
_SQLITE_LINKS_TOTAL = "SELECT count(*), max(id), total(type_id) FROM links"
_SQLITE_ARTICLES = "SELECT count(*), max(id) FROM articles"


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
    links_total: Fingerprint


@dataclass(frozen=True, slots=True)
class Reading:
    """What one ``fetch()`` read: the data version and the fingerprints (None when the data
    version had not moved, so nothing else was read)."""

    version: int | None
    snapshot: _Snapshot | None


def _rows_to_prints(rows: Any) -> dict[int, Fingerprint]:
    return {int(row[0]): tuple(row[1:]) for row in rows}


def _span_prints(session: Session, article_id: int | None = None) -> dict[int, Fingerprint]:
    query = select(Span.article_id, func.count(), func.max(Span.updated_at), func.max(Span.id)).group_by(
        Span.article_id
    )
    if article_id is not None:
        query = query.where(Span.article_id == article_id)
    return _rows_to_prints(session.execute(query))


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


def _links_total(session: Session) -> Fingerprint:
    return tuple(session.execute(select(func.count(), func.max(Link.id), func.sum(Link.type_id))).one())


def _article_print(session: Session) -> Fingerprint:
    row = session.execute(select(func.count(), func.max(Article.id))).one()
    return tuple(row)


def _changed(old: dict[int, Fingerprint], new: dict[int, Fingerprint]) -> frozenset[int]:
    if old is new or old == new:
        return frozenset()
    return frozenset(k for k, _ in old.items() ^ new.items())  # set operations in C: 10k articles 0.3 ms


class ChangeWatcher:
    """Polls one open project for other writers' commits.

    ``poll()``, ``begin()``, ``apply()`` and ``seen()`` belong to one (the owner's) thread;
    ``fetch()`` may run on another, one at a time; ``close()`` may be called while it runs (it
    stops the fetch)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._pragma: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # the connection: one fetch at a time; close() waits for it
        self._closed = False
        self._version: int | None = None
        self._snapshot: _Snapshot | None = None
        self._fetching = False
        self._seen_during: dict[int, tuple[Fingerprint | None, Fingerprint | None]] = {}
        if project.is_sqlite and project.path is not None:
            # Used by one fetch at a time, from whichever thread runs it; data_version is per
            # connection, so every poll asks this one.
            self._pragma = sqlite3.connect(str(project.path), timeout=5, check_same_thread=False)

    # -- the whole poll, on the owner's thread -------------------------------------------------
    def poll(self) -> Changes:
        """What changed since the previous poll (nothing on the first one, which takes the baseline)."""
        self.begin()
        try:
            reading = self.fetch()
        except BaseException:
            self.abandon()
            raise
        return self.apply(reading)

    # -- a poll in three steps -----------------------------------------------------------------
    def begin(self) -> None:
        """A fetch is about to start: remember what ``seen()`` reads until its ``apply()``."""
        self._fetching = True
        self._seen_during = {}

    def fetch(self, cancelled: Callable[[], bool] | None = None) -> Reading:
        """Read the data version and, if it moved, the fingerprints. Any thread, one at a time.

        Raises ``sqlite3.Error`` / ``SQLAlchemyError`` when the database is busy or unreachable,
        or when ``cancelled()`` turned true or the watcher was closed meanwhile."""
        stop = cancelled or (lambda: False)
        known, known_version = self._snapshot, self._version
        if self._closed or stop():  # closed, or cancelled while it waited for a thread
            raise sqlite3.OperationalError("the change watcher is closed or the poll was cancelled")
        if self._pragma is None:
            return Reading(None, self._take_sqlalchemy(known, stop))
        with self._lock:
            conn = self._pragma
            if conn is None or self._closed:
                raise sqlite3.OperationalError("the change watcher is closed")
            version = int(conn.execute("PRAGMA data_version").fetchone()[0])
            if version == known_version and known is not None:
                return Reading(version, None)
            conn.set_progress_handler(lambda: bool(self._closed or stop()), _CANCEL_CHECK_STEPS)
            try:
                return Reading(version, self._take_sqlite(conn, known))
            finally:
                conn.set_progress_handler(None, 0)

    def apply(self, reading: Reading) -> Changes:
        """Take a fetch's reading as the new state; what changed since the previous one."""
        seen_during, self._seen_during, self._fetching = self._seen_during, {}, False
        if reading.snapshot is None:
            return Changes()
        new = reading.snapshot
        old, self._snapshot = self._snapshot, new
        self._version = reading.version
        if seen_during:
            # The fetch may have read these before the owner's own commit: keep what seen() read,
            # and read everything again next time.
            self._version = None
            for article_id, (spans, links) in seen_during.items():
                _put(new.spans, article_id, spans)
                _put(new.links, article_id, links)
        if old is None:
            return Changes()
        return Changes(
            span_articles=_changed(old.spans, new.spans),
            link_articles=_changed(old.links, new.links),
            articles=old.articles != new.articles,
        )

    def abandon(self) -> None:
        """A fetch failed or was dropped: the next one starts afresh."""
        self._fetching = False
        self._seen_during = {}
        self._version = None

    # -- the owner's own edits -----------------------------------------------------------------
    def seen(self, article_id: int) -> None:
        """Take one article's current state as known (after the user's own edit, already shown)."""
        if self._snapshot is None and not self._fetching:
            return
        with self.project.read() as s:
            if self.project.is_sqlite:
                conn = s.connection()
                where = " WHERE article_id = ?"
                spans = _rows_to_prints(
                    conn.exec_driver_sql(_SQLITE_SPANS.format(where=where), (article_id,))
                )
                links = _rows_to_prints(conn.exec_driver_sql(_SQLITE_ARTICLE_LINKS, (article_id,)))
            else:
                spans = _span_prints(s, article_id)
                links = _link_prints(s, article_id)
        span_print, link_print = spans.get(article_id), links.get(article_id)
        if self._snapshot is not None:
            _put(self._snapshot.spans, article_id, span_print)
            _put(self._snapshot.links, article_id, link_print)
        if self._fetching:
            self._seen_during[article_id] = (span_print, link_print)

    def close(self) -> None:
        """Stop watching; a fetch running on another thread stops at its next step."""
        self._closed = True
        conn = self._pragma
        if conn is None:
            return
        conn.interrupt()
        with self._lock:
            if self._pragma is not None:
                self._pragma.close()
                self._pragma = None

    # -- reading -------------------------------------------------------------------------------
    def _take_sqlite(self, conn: sqlite3.Connection, known: _Snapshot | None) -> _Snapshot:
        conn.execute("BEGIN")  # one consistent view for all the aggregates
        try:
            articles = tuple(conn.execute(_SQLITE_ARTICLES).fetchone())
            links_total = tuple(conn.execute(_SQLITE_LINKS_TOTAL).fetchone())
            if known is not None and known.links_total == links_total:
                links = known.links
            else:
                links = _rows_to_prints(conn.execute(_SQLITE_LINKS))
            spans = _rows_to_prints(conn.execute(_SQLITE_SPANS.format(where="")))
        finally:
            if conn.in_transaction:
                conn.rollback()
        return _Snapshot(spans, links, articles, links_total)

    def _take_sqlalchemy(self, known: _Snapshot | None, stop: Callable[[], bool]) -> _Snapshot:
        with self.project.read() as s:
            articles = _article_print(s)
            links_total = _links_total(s)
            unmoved = known is not None and known.links_total == links_total
            links = known.links if unmoved and known is not None else _link_prints(s)
            if stop() or self._closed:
                raise sqlite3.OperationalError("interrupted")
            return _Snapshot(_span_prints(s), links, articles, links_total)


def _put(prints: dict[int, Fingerprint], article_id: int, value: Fingerprint | None) -> None:
    if value is None:
        prints.pop(article_id, None)
    else:
        prints[article_id] = value
