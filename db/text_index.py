"""A full-text index of article texts (SQLite FTS5, trigram tokenizer) that makes substring filters fast.

The navigator filter and corpus search look for a phrase anywhere in article texts. Without an
index that is a ``LIKE '%phrase%'`` scan of every text. With the trigram index, SQLite finds the
articles holding a phrase of three or more characters from the index alone.

What a match means does not change with the index: an article matches when its text contains the
phrase, ignoring the case of ASCII letters only (SQLite's ``LIKE``). The trigram tokenizer folds
case more widely, so:

- phrases made only of ASCII characters are answered by the index alone: the two non-ASCII
  characters the tokenizer folds onto ASCII letters (LONG S and KELVIN SIGN) are indexed, and
  looked up, as U+FFFD, so that ``"ask"`` does not match "aſk" (``fold``);
- other phrases use the index to narrow the articles, then ``LIKE`` decides.

Filling the index costs more than inserting the articles, so an import does not do it: articles
are indexed afterwards by ``catch_up`` (the app's background upkeep, ``desktop.maintenance``), in
short transactions. ``article_text_index_state.indexed_upto`` records how far it got: every article
whose id is at most that is in the index, and no other. Triggers keep that true when an article is
deleted (its entry is removed) or inserted with an id at or below the mark (SQLite reuses the
highest id after a delete; such an article is indexed at once). Queries use the index for the
articles up to the mark and ``LIKE`` for the rest, so results are the same at every stage.

PostgreSQL projects, and SQLite builds without FTS5's trigram tokenizer, have no index:
``available`` is false and filters use ``ILIKE`` / ``LIKE`` as before.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, column, literal_column, or_, select, table, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from db.project import Project

#: The FTS5 table (contentless: the texts stay in ``articles``) and the table holding the mark.
INDEX_TABLE = "article_text_index"
STATE_TABLE = "article_text_index_state"
#: Phrases shorter than this (in code points) cannot use a trigram index.
MIN_PHRASE = 3
#: ``catch_up`` indexes at most this many articles, or this many characters, per transaction.
BATCH_ARTICLES = 200
BATCH_CHARS = 400_000

#: Characters that the trigram tokenizer folds onto an ASCII letter (ſ -> s, K -> k), where LIKE
#: does not; both are indexed and searched as U+FFFD instead.
_FOLDED_TO_ASCII = ("\u017f", "\u212a")
_PLACEHOLDER = "\ufffd"


def _sql_fold(expr: str) -> str:
    for ch in _FOLDED_TO_ASCII:
        expr = f"replace({expr}, char({ord(ch)}), char({ord(_PLACEHOLDER)}))"
    return expr


def fold(phrase: str) -> str:
    """A phrase as the index holds it (see the module docstring)."""
    for ch in _FOLDED_TO_ASCII:
        phrase = phrase.replace(ch, _PLACEHOLDER)
    return phrase


_UPTO = f"(SELECT indexed_upto FROM {STATE_TABLE})"

#: DDL of the index, its mark and the triggers that keep them true (used by migration 0006; a
#: later migration that rebuilds ``articles`` loses the triggers with the table and must run
#: ``TRIGGERS`` again).
TABLES = (
    f"CREATE VIRTUAL TABLE {INDEX_TABLE} USING fts5(text, content='', tokenize='trigram', detail=full)",
    f"CREATE TABLE {STATE_TABLE} (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), "
    "indexed_upto INTEGER NOT NULL)",
    f"INSERT INTO {STATE_TABLE} (id, indexed_upto) VALUES (1, 0)",
)
TRIGGERS = (
    f"""CREATE TRIGGER articles_text_index_ins AFTER INSERT ON articles WHEN NEW.id <= {_UPTO}
    BEGIN INSERT INTO {INDEX_TABLE} (rowid, text) VALUES (NEW.id, {_sql_fold("NEW.text")}); END""",
    f"""CREATE TRIGGER articles_text_index_del AFTER DELETE ON articles WHEN OLD.id <= {_UPTO}
    BEGIN INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}, rowid, text)
      VALUES ('delete', OLD.id, {_sql_fold("OLD.text")}); END""",
    f"""CREATE TRIGGER articles_text_index_upd AFTER UPDATE OF id, text ON articles WHEN OLD.id <= {_UPTO}
    BEGIN INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}, rowid, text)
      VALUES ('delete', OLD.id, {_sql_fold("OLD.text")});
    INSERT INTO {INDEX_TABLE} (rowid, text) SELECT NEW.id, {_sql_fold("NEW.text")} WHERE NEW.id <= {_UPTO};
    END""",
)
DROP = (
    "DROP TRIGGER IF EXISTS articles_text_index_ins",
    "DROP TRIGGER IF EXISTS articles_text_index_del",
    "DROP TRIGGER IF EXISTS articles_text_index_upd",
    f"DROP TABLE IF EXISTS {STATE_TABLE}",
    f"DROP TABLE IF EXISTS {INDEX_TABLE}",
)


def sqlite_supports_index() -> bool:
    """Whether the SQLite library this Python uses has FTS5 with the trigram tokenizer."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return True


_available: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def _has_index(session: Session) -> bool:
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT count(*) FROM sqlite_master WHERE name IN (:a, :b)"),
        {"a": INDEX_TABLE, "b": STATE_TABLE},
    ).scalar()
    return found == 2


def available(session: Session) -> bool:
    """Whether this project has the index (remembered per engine: the schema is fixed once open)."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    known = _available.get(engine)
    if known is None:
        known = _available[engine] = _has_index(session)
    return known


_index = table(INDEX_TABLE, column("rowid"))
_state = table(STATE_TABLE, column("indexed_upto"))


def usable_for(phrase: str) -> bool:
    return len(phrase) >= MIN_PHRASE


def match_query(phrase: str) -> str:
    """An FTS5 query for the phrase as a substring (one quoted string; its quotes doubled)."""
    return '"' + fold(phrase).replace('"', '""') + '"'


def indexed_ids(query: Any) -> Any:
    """``SELECT rowid`` of the indexed articles that match an FTS5 query (see ``match_query``)."""
    return select(_index.c.rowid).where(literal_column(INDEX_TABLE).op("MATCH")(query))


def indexed_upto() -> Any:
    """A scalar subquery: the highest article id covered by the index."""
    return select(_state.c.indexed_upto).scalar_subquery()


def exact_by_index(phrase: str) -> bool:
    """Whether the index alone decides a match for ``phrase`` (see the module docstring)."""
    return phrase.isascii()


def contains(article_id: Any, query: Any, like: ColumnElement[bool], *, exact: bool) -> ColumnElement[bool]:
    """SQL for "this article's text contains the phrase", through the index (when ``available``).

    ``query`` is the phrase's ``match_query`` (a bound parameter); ``like`` the plain ``LIKE``
    test, used for articles the index does not hold yet and, unless ``exact`` (see
    ``exact_by_index``), to confirm what the index found."""
    found: ColumnElement[bool] = article_id.in_(indexed_ids(query))
    if not exact:
        found = and_(found, like)
    return or_(found, and_(article_id > indexed_upto(), like))


@dataclass(frozen=True, slots=True)
class IndexStatus:
    indexed: int
    total: int

    @property
    def complete(self) -> bool:
        return self.indexed >= self.total


def status(project: Project) -> IndexStatus | None:
    """How many articles are indexed, of how many; None when the project has no index."""
    with project.read() as s:
        if not available(s):
            return None
        upto = s.execute(select(_state.c.indexed_upto)).scalar() or 0
        total = s.execute(text("SELECT count(*) FROM articles")).scalar() or 0
        indexed = s.execute(text("SELECT count(*) FROM articles WHERE id <= :u"), {"u": upto}).scalar() or 0
    return IndexStatus(int(indexed), int(total))


def _next_batch(session: Session) -> tuple[int, int] | None:
    """(after, last): the ids of the next batch are in (after, last]; None when all are indexed."""
    upto = int(session.execute(select(_state.c.indexed_upto)).scalar() or 0)
    rows = session.execute(
        text("SELECT id, n_chars FROM articles WHERE id > :u ORDER BY id LIMIT :n"),
        {"u": upto, "n": BATCH_ARTICLES},
    ).all()
    if not rows:
        return None
    last, chars = rows[0][0], 0
    for aid, n in rows:
        if chars and chars + n > BATCH_CHARS:
            break
        last, chars = aid, chars + n
    return upto, int(last)


def catch_up(project: Project, cancelled: Callable[[], bool] = lambda: False) -> int:
    """Index the articles not indexed yet, a short transaction at a time; returns how many.

    Stops early, the index consistent, when ``cancelled()`` turns true. Idempotent: when every
    article is indexed it returns 0 after one query. Does nothing for a project without an index.
    """
    with project.read() as s:
        # Read first: an index already complete costs no write lock.
        if (
            not available(s)
            or not s.execute(text(f"SELECT EXISTS (SELECT 1 FROM articles WHERE id > {_UPTO})")).scalar()
        ):
            return 0
    done = 0
    while not cancelled():

        def one_batch(s: Session) -> int:
            batch = _next_batch(s)
            if batch is None:
                return 0
            after, last = batch
            s.execute(
                text(
                    f"INSERT INTO {INDEX_TABLE} (rowid, text) "
                    f"SELECT id, {_sql_fold('text')} FROM articles WHERE id > :a AND id <= :b"
                ),
                {"a": after, "b": last},
            )
            n = s.execute(
                text("SELECT count(*) FROM articles WHERE id > :a AND id <= :b"), {"a": after, "b": last}
            ).scalar()
            s.execute(text(f"UPDATE {STATE_TABLE} SET indexed_upto = :b"), {"b": last})
            return max(int(n or 0), 1)

        n = project.run_write(one_batch)
        if n == 0:
            break
        done += n
    return done


__all__ = [
    "INDEX_TABLE",
    "IndexStatus",
    "available",
    "catch_up",
    "contains",
    "fold",
    "match_query",
    "sqlite_supports_index",
    "status",
    "usable_for",
]
