"""spaCy tokens per article, computed once and cached in the ``article_tokens`` table.

Tokenizing is the costly part of a Prodigy-style export (every token becomes a JSON object). The
text of an article never changes, so its tokens only change when the tokenizer does: each cache row
names the tokenizer (spaCy version + language) that made it, and a row from another one is
recomputed. The exporters write missing rows back through a short write transaction; if the project
cannot be written (read-only file or role), tokens are computed for this export only.

Because the text never changes, the cache is filled ahead of any export by ``warm_token_cache``:
the app runs it in the background after a project opens or an import ends (``desktop.maintenance``),
``newsmark import --tokenize`` after the import. An export then only reads rows: the token list is
stored as the JSON bytes the export writes (about 9 bytes of cache per byte of text, as big as that
part of the output; compressing it would cost more to read back than the export may take).
"""

from __future__ import annotations

import bisect
import json
import sys
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db.exporting.driver_query import DriverQuery
from db.models import Article, ArticleTokens
from db.project import Project
from db.text import blank_english

try:  # orjson serialises the token lists about three times faster than the json module
    import orjson

    def dumps_json(value: Any) -> bytes:
        return orjson.dumps(value)

except ImportError:  # pragma: no cover - orjson is a dependency, this is a safety net

    def dumps_json(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def tokenizer_key() -> str:
    from spacy import about

    return f"spacy-{about.__version__}-en"


@dataclass(frozen=True, slots=True)
class ArticleTokenList:
    """One article's token boundaries (code points) and its Prodigy ``tokens`` list as JSON bytes."""

    starts: Sequence[int]
    ends: Sequence[int]
    tokens_json: bytes

    def __len__(self) -> int:
        return len(self.starts)

    def covering(self, start: int, end: int) -> tuple[int, int, bool]:
        """Inclusive indexes of the tokens [start, end) touches, and whether both ends are token edges."""
        starts, ends = self.starts, self.ends
        if not starts:
            return 0, 0, False
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        if ends[first] <= start and first + 1 < len(starts):
            first += 1
        last = min(max(bisect.bisect_left(ends, end), first), len(starts) - 1)
        return first, last, starts[first] == start and ends[last] == end


def _pack(starts: Sequence[int], ends: Sequence[int]) -> bytes:
    packed = array("i", starts)
    packed.extend(ends)
    if sys.byteorder != "little":  # pragma: no cover
        packed.byteswap()
    return packed.tobytes()


def _unpack(blob: bytes, n: int) -> tuple[Sequence[int], Sequence[int]]:
    if sys.byteorder != "little":  # pragma: no cover
        values = array("i")
        values.frombytes(blob)
        values.byteswap()
        return values[:n], values[n:]
    view = memoryview(blob).cast("i")  # no copy
    return view[:n], view[n:]


def tokens_json(text: str, starts: list[int], ends: list[int], spaces: list[int]) -> bytes:
    """The Prodigy ``tokens`` list of ``text`` as compact UTF-8 JSON."""
    return dumps_json(
        [
            {"text": text[start:end], "start": start, "end": end, "id": i, "ws": space == 1}
            for i, (start, end, space) in enumerate(zip(starts, ends, spaces, strict=True))
        ]
    )


def compute_tokens(texts: Sequence[str]) -> list[ArticleTokenList]:
    """Tokenize with spaCy's English tokenizer (the same one as ``db.text.tokenize``)."""
    from spacy.attrs import IDX, LENGTH, SPACY

    tokenizer: Any = blank_english().tokenizer
    out: list[ArticleTokenList] = []
    for text, doc in zip(texts, tokenizer.pipe(texts, batch_size=256), strict=True):
        if len(doc):
            columns = doc.to_array([IDX, LENGTH, SPACY]).T
            starts: list[int] = columns[0].tolist()
            ends: list[int] = (columns[0] + columns[1]).tolist()
            spaces: list[int] = columns[2].tolist()
        else:
            starts, ends, spaces = [], [], []
        out.append(ArticleTokenList(starts, ends, tokens_json(text, starts, ends, spaces)))
    return out


_CACHE_ROWS = select(
    ArticleTokens.article_id, ArticleTokens.tokenizer, ArticleTokens.n_tokens,
    ArticleTokens.bounds, ArticleTokens.tokens_json,
).where(ArticleTokens.article_id >= bindparam("lo", 0), ArticleTokens.article_id <= bindparam("hi", 0))  # fmt: skip


class TokenCache:
    """Token lists for batches of articles, from the cache table or computed (and then stored).

    Call it with a *read* session: missing rows are stored through their own ``project.write()``,
    which inside another write transaction would wait for that transaction's lock (up to the busy
    timeout) and then give up storing.
    """

    def __init__(self, project: Project, *, store: bool = True) -> None:
        self.project = project
        self.store = store
        self.key = tokenizer_key()
        self.computed = 0
        self._query: DriverQuery | None = None

    def for_articles(
        self, session: Session, articles: Sequence[tuple[int, str]]
    ) -> dict[int, ArticleTokenList]:
        """``articles`` as (id, text) in id order; reads the cache rows in one range query."""
        if not articles:
            return {}
        wanted = {aid for aid, _ in articles}
        lo, hi = articles[0][0], articles[-1][0]
        found: dict[int, ArticleTokenList] = {}
        stale: list[int] = []
        conn = session.connection()
        if self._query is None or self._query.conn is not conn:
            self._query = DriverQuery(conn, "article_tokens", lambda: _CACHE_ROWS)
        for aid, key, n, bounds, tokens_json in self._query.rows(lo=lo, hi=hi):
            if aid not in wanted:
                continue
            if key != self.key:
                stale.append(aid)
                continue
            starts, ends = _unpack(bounds if isinstance(bounds, bytes) else bytes(bounds), n)
            found[aid] = ArticleTokenList(
                starts, ends, tokens_json if isinstance(tokens_json, bytes) else bytes(tokens_json)
            )
        missing = [(aid, text) for aid, text in articles if aid not in found]
        if missing:
            computed = compute_tokens([text for _, text in missing])
            self.computed += len(computed)
            for (aid, _), toks in zip(missing, computed, strict=True):
                found[aid] = toks
            if self.store:
                self._save([(aid, toks) for (aid, _), toks in zip(missing, computed, strict=True)], stale)
        return found

    def _save(self, rows: list[tuple[int, ArticleTokenList]], stale: list[int]) -> None:
        try:
            with self.project.write() as w:
                if stale:
                    w.execute(delete(ArticleTokens).where(ArticleTokens.article_id.in_(stale)))
                w.execute(
                    insert(ArticleTokens),
                    [
                        {
                            "article_id": aid,
                            "tokenizer": self.key,
                            "n_tokens": len(toks),
                            "bounds": _pack(toks.starts, toks.ends),
                            "tokens_json": toks.tokens_json,
                        }
                        for aid, toks in rows
                    ],
                )
        except DBAPIError:
            # Read-only project, or another writer holding the lock for too long: the export
            # goes on with tokens computed in memory, and the next one tries to store them again.
            self.store = False


#: articles tokenized and stored per write transaction by ``warm_token_cache`` (a few MB, a
#: fraction of a second: an edit in the GUI never waits long for the write lock)
WARM_BATCH = 100


def warm_token_cache(
    project: Project, cancelled: Callable[[], bool] | None = None, batch: int = WARM_BATCH
) -> int:
    """Tokenize and cache every article that has no current cache row; returns how many it stored.

    Article text never changes, so this can run ahead of any export: after an import, or in the
    background after a project opens (``desktop.maintenance``). It works ``batch`` articles at a
    time, each batch stored in its own short write transaction, and returns early (everything
    stored so far is kept and consistent) once ``cancelled()`` is true. Run again, it has nothing
    left to do and returns 0 at once. A project that cannot be written (read-only file or role)
    stops it after the first batch.
    """
    cache = TokenCache(project)
    current = select(ArticleTokens.article_id).where(
        ArticleTokens.article_id == Article.id, ArticleTokens.tokenizer == cache.key
    )
    after = 0
    stored = 0
    while not (cancelled is not None and cancelled()):
        with project.read() as s:
            query = select(Article.id, Article.text).where(Article.id > after, ~current.exists())
            rows = [(r[0], r[1]) for r in s.execute(query.order_by(Article.id).limit(batch))]
            if not rows:
                break
            cache.for_articles(s, rows)
        if not cache.store:  # could not write: nothing would be kept
            break
        stored += len(rows)
        after = rows[-1][0]
    return stored


def clear_token_cache(project: Project) -> int:
    """Delete every cached token row (the project file shrinks after a VACUUM); returns how many."""
    with project.write() as w:
        result = w.execute(delete(ArticleTokens))
        return int(getattr(result, "rowcount", 0) or 0)
