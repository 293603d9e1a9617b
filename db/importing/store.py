"""Writing one file's parsed records: one write transaction, all or nothing.

Articles are deduplicated by the SHA-256 of their text (an article already in the project keeps its
text and gains only missing metadata); a span is skipped when its layer already holds the same
span (article, annotator, start, end, label) or its id is already in the project, and a link when
its id is known or the same typed link exists in the same layer, so importing a file twice changes
nothing. Rows go in with Core executemany from lists of dicts: no ORM object per span.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.annotators import clean_name, ensure_annotator
from db.errors import ImportFormatError, NewsmarkError
from db.importing.parsed import ParsedArticle, ParsedLink
from db.importing.schema import SchemaMapper
from db.importing.summary import FileSummary
from db.importing.validate import validate
from db.models import ORIGINS, Annotator, Article, Link, Outlet, Span, Story, utcnow
from db.project import Project
from db.text import article_uid, text_sha256

T = TypeVar("T")
CHUNK = 500
#: From this many new spans on, a SQLite import checks span ends per article instead of per row.
BULK_SPANS = 2000
_END_TRIGGER = "spans_end_in_text_ins"
DEFAULT_ANNOTATOR = "imported"
_ARTICLES: Table = Article.__table__  # type: ignore[assignment]
_SPANS: Table = Span.__table__  # type: ignore[assignment]
_LINKS: Table = Link.__table__  # type: ignore[assignment]
_OUTLETS: Table = Outlet.__table__  # type: ignore[assignment]
_STORIES: Table = Story.__table__  # type: ignore[assignment]
_META = ("title", "author", "published", "url", "outlet_id", "story_id")
_ARTICLE_COLUMNS = (
    "uid",
    "sha256",
    "text",
    "n_chars",
    "title",
    "outlet_id",
    "story_id",
    "author",
    "published",
    "url",
    "source_file",
    "imported_at",
)
_LINK_COLUMNS = ("uid", "source_span_id", "target_span_id", "type_id", "annotator_id", "note", "created_at")
_SPAN_COLUMNS = (
    "uid",
    "article_id",
    "annotator_id",
    "label_id",
    "start",
    "end",
    "text",
    "note",
    "origin",
    "status",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True, slots=True)
class StoreOptions:
    outlet: str | None = None
    story: str | None = None
    annotator: str | None = None
    #: Add labels the project lacks (True for our own JSONL; --add-labels for the others).
    add_labels: bool = False
    label_map: Mapping[str, str] | None = None


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _new_uids(prefix: str, count: int) -> Iterator[str]:
    raw = secrets.token_hex(6 * count)
    return iter([prefix + raw[i : i + 12] for i in range(0, 12 * count, 12)])


def store_articles(
    project: Project, path: Path, articles: list[ParsedArticle], options: StoreOptions, summary: FileSummary
) -> None:
    """Check, then write ``articles`` in one transaction; on any error nothing of the file is kept."""
    validate(path, articles)
    try:
        with project.write() as session:
            _FileWriter(session, path, options, summary).write(articles)
    except IntegrityError as exc:
        raise ImportFormatError(path, f"the database refused the records: {exc.orig}") from None


class _FileWriter:
    def __init__(self, session: Session, path: Path, options: StoreOptions, summary: FileSummary) -> None:
        self.s = session
        self.path = path
        self.opts = options
        self.summary = summary
        self.now = utcnow()
        self._annotators: dict[str, int] = {
            name: i for i, name in session.execute(select(Annotator.id, Annotator.name))
        }
        self._outlets: dict[str, int | None] = {}
        self._stories: dict[str, int | None] = {}
        #: A span uid the file uses -> the uid of the span it is stored as (new or already present).
        self.alias: dict[str, str] = {}
        #: Stored span uid -> row id (filled for present spans, and for new ones after insert).
        self.span_ids: dict[str, int] = {}

    # -- bulk insert -----------------------------------------------------------------------------
    def insert_rows(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """executemany of plain tuples: the DBAPI cursor itself on SQLite, Core elsewhere."""
        if not rows:
            return
        conn = self.s.connection()
        if conn.dialect.name == "sqlite":
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
        else:
            self.s.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])

    def stamp(self) -> Any:
        """The import time as this dialect's driver wants it for a DATETIME column."""
        if self.s.connection().dialect.name == "sqlite":
            return self.now.strftime("%Y-%m-%d %H:%M:%S.%f")
        return self.now

    # -- small lookups -------------------------------------------------------------------------
    def annotator_id(self, name: str | None, line: int | None) -> int:
        raw = name or self.opts.annotator or DEFAULT_ANNOTATOR
        found = self._annotators.get(raw)
        if found is not None:
            return found
        try:
            who = ensure_annotator(self.s, clean_name(str(raw)))
        except NewsmarkError as exc:
            raise ImportFormatError(self.path, str(exc), line) from None
        self._annotators[raw] = who.id
        return who.id

    def _names_to_ids(self, table: Table, names: Iterable[str | None]) -> dict[str, int]:
        """Outlet or story ids by name, adding the names the project lacks in one executemany."""
        wanted = list(dict.fromkeys(n for n in names if n))
        found: dict[str, int] = {}
        for part in _chunks(wanted):
            found.update(
                {
                    name: i
                    for i, name in self.s.execute(
                        select(table.c.id, table.c.name).where(table.c.name.in_(part))
                    )
                }
            )
        missing = [n for n in wanted if n not in found]
        if missing:
            self.insert_rows(table, ("name",), [(n,) for n in missing])
            for part in _chunks(missing):
                found.update(
                    {
                        name: i
                        for i, name in self.s.execute(
                            select(table.c.id, table.c.name).where(table.c.name.in_(part))
                        )
                    }
                )
        return found

    # -- the work ------------------------------------------------------------------------------
    def write(self, articles: list[ParsedArticle]) -> None:
        labels = SchemaMapper(
            self.s, self.path, kind="label", add_unknown=self.opts.add_labels, label_map=self.opts.label_map
        )
        label_ids = labels.resolve(sp.label for a in articles for sp in a.spans)
        has_links = any(a.links for a in articles)
        type_ids: dict[str, int] = {}
        link_types = SchemaMapper(
            self.s,
            self.path,
            kind="link type",
            add_unknown=self.opts.add_labels,
            label_map=self.opts.label_map,
        )
        if has_links:
            type_ids = link_types.resolve(ln.type for a in articles for ln in a.links)
        self.summary.labels_added = labels.added
        self.summary.link_types_added = link_types.added
        article_ids, present_ids = self._write_articles(articles)
        self._write_spans(articles, article_ids, present_ids, label_ids, need_ids=has_links)
        if has_links:
            self._write_links(articles, type_ids)

    def _write_articles(self, articles: list[ParsedArticle]) -> tuple[list[int], set[int]]:
        """Insert new articles, fill missing metadata of present ones; the row id of each record."""
        shas = [text_sha256(a.text) for a in articles]
        wanted = list(dict.fromkeys(shas))
        present: dict[str, dict[str, Any]] = {}
        cols = (_ARTICLES.c.id, _ARTICLES.c.sha256, *(_ARTICLES.c[name] for name in _META))
        for part in _chunks(wanted):
            for row in self.s.execute(select(*cols).where(_ARTICLES.c.sha256.in_(part))):
                present[row.sha256] = dict(row._mapping)
        outlet_names = [_clean(a.outlet) or _clean(self.opts.outlet) for a in articles]
        story_names = [_clean(a.story) or _clean(self.opts.story) for a in articles]
        outlet_ids = self._names_to_ids(_OUTLETS, outlet_names)
        story_ids = self._names_to_ids(_STORIES, story_names)
        fresh: dict[str, dict[str, Any]] = {}
        changed: dict[str, dict[str, Any]] = {}
        for a, sha, o_name, s_name in zip(articles, shas, outlet_names, story_names, strict=True):
            meta = {
                "title": (a.title or "").strip(),
                "author": a.author or None,
                "published": a.published,
                "url": a.url or None,
                "outlet_id": outlet_ids.get(o_name) if o_name else None,
                "story_id": story_ids.get(s_name) if s_name else None,
            }
            have = present.get(sha)
            if have is not None:
                missing = {k: v for k, v in meta.items() if v and not have[k]}
                if missing:
                    have.update(missing)
                    changed.setdefault(sha, {}).update(missing)
                continue
            new_row = fresh.get(sha)
            if new_row is None:
                fresh[sha] = {
                    "uid": article_uid(sha),
                    "sha256": sha,
                    "text": a.text,
                    "n_chars": len(a.text),
                    "source_file": a.source_file or str(self.path),
                    **meta,
                }
            else:
                for k, v in meta.items():
                    if v and not new_row[k]:
                        new_row[k] = v
        for sha, values in changed.items():
            self.s.execute(update(_ARTICLES).where(_ARTICLES.c.id == present[sha]["id"]).values(**values))
        ids = {sha: row["id"] for sha, row in present.items()}
        if fresh:
            before = self.s.scalar(select(func.max(_ARTICLES.c.id))) or 0
            stamp = self.stamp()
            sqlite = self.s.connection().dialect.name == "sqlite"
            rows = [
                (
                    r["uid"],
                    r["sha256"],
                    r["text"],
                    r["n_chars"],
                    r["title"],
                    r["outlet_id"],
                    r["story_id"],
                    r["author"],
                    r["published"].isoformat() if sqlite and r["published"] else r["published"],
                    r["url"],
                    r["source_file"],
                    stamp,
                )
                for r in fresh.values()
            ]
            self.insert_rows(_ARTICLES, _ARTICLE_COLUMNS, rows)
            for row_id, sha in self.s.execute(
                select(_ARTICLES.c.id, _ARTICLES.c.sha256).where(_ARTICLES.c.id > before)
            ):
                if sha in fresh:
                    ids[sha] = row_id
        self.summary.articles_added = len(fresh)
        self.summary.articles_present = len(present)
        return [ids[sha] for sha in shas], {ids[sha] for sha in present}

    def _write_spans(
        self,
        articles: list[ParsedArticle],
        article_ids: list[int],
        present_articles: set[int],
        label_ids: dict[str, int],
        *,
        need_ids: bool,
    ) -> None:
        existing: dict[tuple[int, int, int, int, int], str] = {}
        if present_articles:
            cols = (
                _SPANS.c.id,
                _SPANS.c.uid,
                _SPANS.c.article_id,
                _SPANS.c.annotator_id,
                _SPANS.c.start,
                _SPANS.c.end,
                _SPANS.c.label_id,
            )
            for part in _chunks(sorted(present_articles)):
                for sid, uid, art, ann, start, end, lab in self.s.execute(
                    select(*cols).where(_SPANS.c.article_id.in_(part))
                ):
                    existing[(art, ann, start, end, lab)] = uid
                    self.span_ids[uid] = sid
        file_uids = [sp.uid for a in articles for sp in a.spans if sp.uid is not None]
        known_uids: set[str] = set()
        for uid_part in _chunks(file_uids):
            for sid, uid in self.s.execute(
                select(_SPANS.c.id, _SPANS.c.uid).where(_SPANS.c.uid.in_(uid_part))
            ):
                known_uids.add(uid)
                self.span_ids[uid] = sid
        count = sum(len(a.spans) for a in articles)
        fresh_uids = _new_uids("s-", count)
        rows: list[tuple[Any, ...]] = []
        append = rows.append
        skipped = 0
        stamp = self.stamp()
        alias = self.alias
        for a, art_id in zip(articles, article_ids, strict=True):
            layer_id = self.annotator_id(a.annotator, a.line)
            text = a.text
            for sp in a.spans:
                ann_id = layer_id if sp.annotator is None else self.annotator_id(sp.annotator, a.line)
                start, end, lab_id = sp.start, sp.end, label_ids[sp.label]
                key = (art_id, ann_id, start, end, lab_id)
                file_uid = sp.uid
                if file_uid is not None and file_uid in known_uids:
                    skipped += 1
                    alias[file_uid] = file_uid
                    continue
                same = existing.get(key)
                if same is not None:
                    skipped += 1
                    if file_uid is not None:
                        alias[file_uid] = same
                    continue
                uid = file_uid or next(fresh_uids)
                existing[key] = uid
                if file_uid is not None:
                    alias[file_uid] = uid
                origin = sp.origin if sp.origin in ORIGINS else "imported"
                append(
                    (
                        uid,
                        art_id,
                        ann_id,
                        lab_id,
                        start,
                        end,
                        text[start:end],
                        sp.note or None,
                        origin,
                        "active",
                        stamp,
                        stamp,
                    )
                )
        if rows:
            before = self.s.scalar(select(func.max(_SPANS.c.id))) or 0
            if len(rows) >= BULK_SPANS and self.s.connection().dialect.name == "sqlite":
                self._insert_spans_bulk_sqlite(rows, before)
            else:
                self.insert_rows(_SPANS, _SPAN_COLUMNS, rows)
            if need_ids:
                for sid, uid in self.s.execute(select(_SPANS.c.id, _SPANS.c.uid).where(_SPANS.c.id > before)):
                    self.span_ids[uid] = sid
        self.summary.spans_added = len(rows)
        self.summary.spans_skipped = skipped

    def _insert_spans_bulk_sqlite(self, rows: list[tuple[Any, ...]], before: int) -> None:
        """Insert many spans without the per-row "end inside the article" trigger, then check it once.

        The trigger reads ``articles.n_chars`` for every span, and that column sits behind the
        article text, on its overflow pages: it doubled the cost of a bulk import. Inside this one
        transaction the trigger is dropped, the rows go in, one query checks every new span's end
        against its article (per article, not per span), and the trigger is created again from its
        own stored SQL. SQLite DDL is transactional: on any error the rollback restores the trigger.
        """
        raw = self.s.connection().connection.driver_connection
        assert raw is not None
        found = raw.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ? AND tbl_name = 'spans'",
            (_END_TRIGGER,),
        ).fetchone()
        if found is None:
            self.insert_rows(_SPANS, _SPAN_COLUMNS, rows)
            return
        raw.execute(f"DROP TRIGGER {_END_TRIGGER}")
        self.insert_rows(_SPANS, _SPAN_COLUMNS, rows)
        bad = raw.execute(
            'SELECT a.uid, x.last, a.n_chars FROM (SELECT article_id, max("end") AS last FROM spans WHERE id > ? '
            "GROUP BY article_id) AS x JOIN articles AS a ON a.id = x.article_id WHERE x.last > a.n_chars LIMIT 1",
            (before,),
        ).fetchone()
        if bad is not None:
            raise ImportFormatError(
                self.path, f"A span cannot end at {bad[1]}: the article {bad[0]} has {bad[2]} characters."
            )
        raw.execute(found[0])

    def _resolve_outside(self, links: Iterable[ParsedLink]) -> None:
        """Span ids named by links but not in this file: look them up in the project."""
        wanted = [
            uid for ln in links for uid in (ln.source_span_uid, ln.target_span_uid) if uid not in self.alias
        ]
        for part in _chunks(list(dict.fromkeys(wanted))):
            for sid, uid in self.s.execute(select(_SPANS.c.id, _SPANS.c.uid).where(_SPANS.c.uid.in_(part))):
                self.alias[uid] = uid
                self.span_ids[uid] = sid

    def _write_links(self, articles: list[ParsedArticle], type_ids: dict[str, int]) -> None:
        self._resolve_outside(ln for a in articles for ln in a.links)
        file_link_uids = list(dict.fromkeys(ln.uid for a in articles for ln in a.links if ln.uid))
        known: set[str] = set()
        for part in _chunks(file_link_uids):
            known.update(self.s.scalars(select(_LINKS.c.uid).where(_LINKS.c.uid.in_(part))))
        resolved: list[tuple[ParsedLink, int | None, int, int, int, int]] = []
        unresolved = 0
        for a in articles:
            for ln in a.links:
                src = self.span_ids.get(self.alias.get(ln.source_span_uid, ""))
                dst = self.span_ids.get(self.alias.get(ln.target_span_uid, ""))
                if src is None or dst is None:
                    unresolved += 1
                    continue
                if src == dst:
                    raise ImportFormatError(
                        self.path,
                        f"the link {ln.uid or ''} joins a span to itself".replace("  ", " "),
                        a.line,
                    )
                ann_id = self.annotator_id(ln.annotator or a.annotator, a.line)
                resolved.append((ln, a.line, src, dst, type_ids[ln.type], ann_id))
        present_keys: set[tuple[int, int, int, int]] = set()
        sources = sorted({r[2] for r in resolved})
        cols = (_LINKS.c.source_span_id, _LINKS.c.target_span_id, _LINKS.c.type_id, _LINKS.c.annotator_id)
        for id_part in _chunks(sources):
            for a_src, a_dst, a_type, a_ann in self.s.execute(
                select(*cols).where(_LINKS.c.source_span_id.in_(id_part))
            ):
                present_keys.add((a_src, a_dst, a_type, a_ann))
        rows: list[tuple[Any, ...]] = []
        stamp = self.stamp()
        seen_uids: set[str] = set()
        skipped = 0
        fresh = _new_uids("l-", len(resolved))
        for ln, _line, src, dst, type_id, ann_id in resolved:
            if ln.uid and ln.uid in seen_uids:
                continue  # the same link listed again (e.g. under both of its articles)
            if ln.uid:
                seen_uids.add(ln.uid)
            key = (src, dst, type_id, ann_id)
            if (ln.uid and ln.uid in known) or key in present_keys:
                skipped += 1
                continue
            present_keys.add(key)
            rows.append((ln.uid or next(fresh), src, dst, type_id, ann_id, ln.note or None, stamp))
        self.insert_rows(_LINKS, _LINK_COLUMNS, rows)
        self.summary.links_added = len(rows)
        self.summary.links_skipped = skipped
        if unresolved:
            self.summary.warnings.append(
                f"{unresolved} link(s) not imported: a span they join is neither in this file nor in the project"
            )


def _clean(name: str | None) -> str | None:
    if not name:
        return None
    cleaned = " ".join(str(name).split())
    return cleaned or None


__all__ = ["DEFAULT_ANNOTATOR", "StoreOptions", "store_articles"]
