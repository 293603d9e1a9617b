"""What the first screen shows, read with the standard library while the rest of the app loads.

The desktop app starts in two stages (``desktop.app``): first a real window with the corpus
navigator filled, then everything else (SQLAlchemy, ``db.project.open_project``, the reader...).
``open_quick`` serves the first stage. It opens a project file read-only (an SQLite URI with
``mode=ro``: nothing is ever written) and only when the file is a Newsmark project at this
version's schema head; anything else (a URL, a missing file, an older schema that needs a
migration, a file that is not a project) returns None and takes the normal path.

``QuickCorpus`` answers the navigator's unfiltered questions (stories, outlets, articles, span
counts) with the same rows, in the same order, as ``db.corpus``; a test compares the two. The rows
are named tuples with the fields of ``db.corpus.GroupRow`` and ``ArticleRow`` (named tuples, not
dataclasses: the dataclasses machinery is a measurable part of a 50 ms budget). Standard library
only: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from db.schema_version import APPLICATION_ID, SCHEMA_HEAD

if TYPE_CHECKING:
    from db.records import LabelRecord

#: The orders the navigator knows (the values of ``db.corpus.ArticleOrder``).
ORDERS = ("date", "outlet", "title")


class QuickGroup(NamedTuple):
    """A story or an outlet; the fields of ``db.corpus.GroupRow``."""

    id: int | None
    name: str | None
    articles: int
    counts: dict[str, int]
    first_published: dt.date | None


class QuickArticle(NamedTuple):
    """An article row; the fields of ``db.corpus.ArticleRow``."""

    id: int
    title: str
    outlet: str | None
    published: dt.date | None
    n_chars: int
    counts: dict[str, int]
    reviewed: bool


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _name_key(name: str | None, missing: bool) -> tuple[bool, str]:
    return missing, (name or "").casefold()


class QuickCorpus:
    """Read-only, unfiltered views of one project's corpus for the navigator's first screen.

    ``order`` is one of ``ORDERS``; ``annotator`` counts only that layer's spans (None: every
    layer). Use from one thread; ``close()`` when the real project has taken over."""

    def __init__(self, conn: sqlite3.Connection, path: Path, order: str, annotator: str | None) -> None:
        self._conn = conn
        self.path = path
        self.order = order if order in ORDERS else "date"
        self.annotator = annotator

    @property
    def name(self) -> str:
        return self.path.stem

    def close(self) -> None:
        self._conn.close()

    # -- the tree ------------------------------------------------------------------------------
    def stories(self) -> list[QuickGroup]:
        """Stories by name, "(no story)" (id None) last, with their article counts (no span counts).

        Unlike ``db.corpus.stories``, without their first date (``first_published`` None): the
        navigator does not show a story's date, and reading it visits every article's row where
        the counts come from the story index alone (10 ms against 1 for 10,000 articles)."""
        rows = self._conn.execute(
            "SELECT a.story_id, s.name, a.n FROM"
            " (SELECT story_id, count(*) AS n FROM articles GROUP BY story_id) AS a"
            " LEFT OUTER JOIN stories AS s ON a.story_id = s.id"
        ).fetchall()
        groups = [QuickGroup(sid, name, n, {}, None) for sid, name, n in rows]
        return sorted(groups, key=lambda g: _name_key(g.name, g.id is None))

    def outlets(self, story_id: int | None) -> list[QuickGroup]:
        """The outlets of one story (None: articles without a story), with span counts."""
        rows = self._conn.execute(
            "SELECT a.outlet_id, o.name, count(a.id), min(a.published) FROM articles AS a"
            " LEFT OUTER JOIN outlets AS o ON a.outlet_id = o.id WHERE a.story_id IS ?"
            " GROUP BY a.outlet_id, o.name",
            (story_id,),
        ).fetchall()
        counts = self._span_counts("a.outlet_id", "a.story_id IS ?", (story_id,))
        groups = [QuickGroup(oid, name, n, counts.get(oid, {}), _date(first)) for oid, name, n, first in rows]
        if self.order == "date":
            return sorted(
                groups,
                key=lambda g: (g.id is None, g.first_published or dt.date.max, (g.name or "").casefold()),
            )
        return sorted(groups, key=lambda g: _name_key(g.name, g.id is None))

    def story_articles(self, story_id: int | None) -> dict[int | None, list[QuickArticle]]:
        """Every article of one story, by outlet id, in the navigator's order."""
        rows = self._conn.execute(
            "SELECT a.outlet_id, a.id, a.title, o.name, a.published, a.n_chars FROM articles AS a"
            " LEFT OUTER JOIN outlets AS o ON a.outlet_id = o.id WHERE a.story_id IS ?"
            f" ORDER BY {self._article_order()}",
            (story_id,),
        ).fetchall()
        articles = self._articles([r[1:] for r in rows])
        out: dict[int | None, list[QuickArticle]] = {}
        for row, article in zip(rows, articles, strict=True):
            out.setdefault(row[0], []).append(article)
        return out

    def articles(
        self, story_id: int | None, outlet_id: int | None, *, offset: int = 0, limit: int = 200
    ) -> list[QuickArticle]:
        """One page of the articles of one (story, outlet) node."""
        rows = self._conn.execute(
            "SELECT a.id, a.title, o.name, a.published, a.n_chars FROM articles AS a"
            " LEFT OUTER JOIN outlets AS o ON a.outlet_id = o.id"
            f" WHERE a.story_id IS ? AND a.outlet_id IS ? ORDER BY {self._article_order()}"
            " LIMIT ? OFFSET ?",
            (story_id, outlet_id, limit, offset),
        ).fetchall()
        return self._articles(rows)

    def locate(self, article_id: int) -> tuple[int | None, int | None] | None:
        """(story id, outlet id) of an article, or None if there is no such article."""
        row = self._conn.execute(
            "SELECT story_id, outlet_id FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def labels(self) -> list[LabelRecord]:
        """The project's labels in toolbar order (as ``db.labels.list_labels``)."""
        from db.records import LabelRecord  # only once a row shows span counts

        rows = self._conn.execute(
            "SELECT id, key, name, color, shortcut, definition, position FROM labels ORDER BY position, id"
        ).fetchall()
        return [LabelRecord(*row) for row in rows]

    def totals(self) -> tuple[int, int, int]:
        """(articles, outlets, stories), as ``db.corpus.corpus_totals``."""
        row = self._conn.execute(  # each count from an index, not the articles' rows
            "SELECT (SELECT count(*) FROM articles),"
            " (SELECT count(*) FROM (SELECT DISTINCT outlet_id FROM articles WHERE outlet_id IS NOT NULL)),"
            " (SELECT count(*) FROM (SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL))"
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    # -- helpers -------------------------------------------------------------------------------
    def _article_order(self) -> str:
        if self.order == "title":
            return "lower(a.title), a.id"
        return "a.published IS NULL, a.published, lower(a.title), a.id"

    def _articles(self, rows: Sequence[Sequence[Any]]) -> list[QuickArticle]:
        ids = [int(r[0]) for r in rows]
        counts = self._article_counts(ids)
        reviewed = self._reviewed(ids)
        return [
            QuickArticle(
                aid,
                title or "",
                outlet,
                _date(published),
                int(n),
                counts.get(aid, {}),
                aid in reviewed,
            )
            for aid, (_id, title, outlet, published, n) in zip(ids, rows, strict=True)
        ]

    def _annotator_join(self) -> tuple[str, str, tuple[object, ...]]:
        if self.annotator is None:
            return "", "", ()
        return (
            " JOIN annotators AS an ON sp.annotator_id = an.id",
            " AND an.name = ?",
            (self.annotator,),
        )

    def _span_counts(
        self, group: str, where: str, params: tuple[object, ...]
    ) -> dict[int | None, dict[str, int]]:
        join, who, who_params = self._annotator_join()
        rows = self._conn.execute(
            f"SELECT {group}, l.key, count(sp.id) FROM spans AS sp"
            " JOIN articles AS a ON sp.article_id = a.id JOIN labels AS l ON sp.label_id = l.id"
            f"{join} WHERE sp.status = 'active' AND {where}{who} GROUP BY {group}, l.key",
            (*params, *who_params),
        )
        out: dict[int | None, dict[str, int]] = {}
        for key, label, n in rows:
            out.setdefault(key, {})[label] = n
        return out

    def _article_counts(self, ids: Iterable[int]) -> dict[int, dict[str, int]]:
        wanted = list(ids)
        if not wanted:
            return {}
        join, who, who_params = self._annotator_join()
        marks = ", ".join("?" for _ in wanted)
        rows = self._conn.execute(
            "SELECT sp.article_id, l.key, count(sp.id) FROM spans AS sp"
            f" JOIN labels AS l ON sp.label_id = l.id{join}"
            f" WHERE sp.article_id IN ({marks}) AND sp.status = 'active'{who}"
            " GROUP BY sp.article_id, l.key",
            (*wanted, *who_params),
        )
        out: dict[int, dict[str, int]] = {}
        for aid, label, n in rows:
            out.setdefault(aid, {})[label] = n
        return out

    def _reviewed(self, ids: list[int]) -> set[int]:
        if not ids:
            return set()
        marks = ", ".join("?" for _ in ids)
        rows = self._conn.execute(
            f"SELECT DISTINCT article_id FROM article_reviews WHERE article_id IN ({marks})", ids
        )
        return {int(r[0]) for r in rows}


def open_quick(
    location: str | Path | None, order: str = "date", annotator: str | None = None
) -> QuickCorpus | None:
    """A ``QuickCorpus`` on a project file at the current schema head, else None (never raises).

    None for: no location, a database URL, a missing or empty file, a file that is not a Newsmark
    project, a project at another schema revision (it needs ``open_project``'s migration and
    backup first) and any SQLite error. The file is opened read-only and is never changed."""
    if location is None or "://" in str(location):
        return None
    try:
        path = Path(location).expanduser().resolve()
        if not path.is_file() or path.stat().st_size == 0:
            return None
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return None
    except OSError:
        return None
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=True)
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise LookupError("not a Newsmark project")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] != SCHEMA_HEAD:
            raise LookupError("another schema revision")
        return QuickCorpus(conn, path, order, annotator)
    except (sqlite3.Error, LookupError):
        if conn is not None:
            conn.close()
        return None
