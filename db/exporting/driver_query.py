"""A SQLAlchemy statement compiled once and run on the database driver's own cursor.

The exporters read hundreds of thousands of rows in a few dozen batches. Building and compiling a
statement per batch, and SQLAlchemy's result layer per row, cost more than SQLite's own fetch; so
each statement is compiled once (with ``bindparam`` placeholders for what changes from batch to
batch) and its rows come straight from the driver: plain ints, strings and bytes on SQLite (a DATE
or DATETIME column is its stored text), the driver's own types on PostgreSQL. The compiled text is
kept, by a key the caller gives, for the next export of the same kind (a small export spends more
time building and compiling its statements than running them).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from sqlalchemy import Connection

#: (dialect, paramstyle, caller's key) -> (SQL text, positional parameter names, parameter values)
_COMPILED: dict[tuple[Hashable, ...], tuple[str, Sequence[str] | None, dict[str, Any]]] = {}
_COMPILED_KEPT = 64


class DriverQuery:
    """A compiled statement; ``rows(name=value...)`` runs it in ``conn``'s transaction."""

    def __init__(self, conn: Connection, key: Hashable, build: Callable[[], Any]) -> None:
        """``build()`` makes the statement, called only when none is compiled yet for ``key``, which
        must tell apart every statement the caller builds (filters included)."""
        self.conn = conn
        full = (conn.dialect.name, conn.dialect.paramstyle, key)
        found = _COMPILED.get(full)
        if found is None:
            compiled = build().compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
            found = (str(compiled), compiled.positiontup, dict(compiled.params))
            if len(_COMPILED) >= _COMPILED_KEPT:
                _COMPILED.clear()
            _COMPILED[full] = found
        self.sql, self.order, self.params = found

    def rows(self, **values: Any) -> list[Any]:
        params = {**self.params, **values} if values else self.params
        args: Any = tuple(params[name] for name in self.order) if self.order is not None else params
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(self.sql, args)
            return list(cursor.fetchall())
        finally:
            cursor.close()
