"""Writing one file's parsed records: one write transaction, all or nothing.

Articles are deduplicated by the SHA-256 of their text (an article already in the project keeps its
text and gains only missing metadata); a span is skipped when its layer already holds the same
span (article, annotator, start, end, label) or its id is already in the project, and a link when
its id is known or the same typed link exists in the same layer, so importing a file twice changes
nothing. Rows go in with Core executemany from lists of dicts: no ORM object per span.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.annotators import clean_name, ensure_annotator
from db.articles import ensure_outlet, ensure_story
from db.errors import ImportFormatError, NewsmarkError
from db.importing.parsed import ParsedArticle, ParsedLink
from db.importing.schema import SchemaMapper
from db.importing.summary import FileSummary
from db.importing.validate import validate
from db.models import Annotator, Article, Link, Span, utcnow
from db.project import Project
from db.text import article_uid, text_sha256

T = TypeVar("T")
CHUNK = 500
DEFAULT_ANNOTATOR = "imported"
_ARTICLES: Table = Article.__table__  # type: ignore[assignment]
_SPANS: Table = Span.__table__  # type: ignore[assignment]
_LINKS: Table = Link.__table__  # type: ignore[assignment]
_META = ("title", "author", "published", "url", "outlet_id", "story_id")


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
    for i in range(count):
        yield prefix + raw[12 * i : 12 * i + 12]


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

    def _named(self, cache: dict[str, int | None], name: str | None, story: bool) -> int | None:
        if not name:
            return None
        if name not in cache:
            row = ensure_story(self.s, name) if story else ensure_outlet(self.s, name)
            cache[name] = row.id if row is not None else None
        return cache[name]

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
        fresh: dict[str, dict[str, Any]] = {}
        changed: dict[str, dict[str, Any]] = {}
        for a, sha in zip(articles, shas, strict=True):
            meta = {
                "title": (a.title or "").strip(),
                "author": a.author or None,
                "published": a.published,
                "url": a.url or None,
                "outlet_id": self._named(self._outlets, _clean(a.outlet) or _clean(self.opts.outlet), False),
                "story_id": self._named(self._stories, _clean(a.story) or _clean(self.opts.story), True),
            }
            row = present.get(sha)
            if row is not None:
                missing = {k: v for k, v in meta.items() if v and not row[k]}
                if missing:
                    row.update(missing)
                    changed.setdefault(sha, {}).update(missing)
                continue
            row = fresh.get(sha)
            if row is None:
                fresh[sha] = {
                    "uid": article_uid(sha),
                    "sha256": sha,
                    "text": a.text,
                    "n_chars": len(a.text),
                    "source_file": a.source_file or str(self.path),
                    "imported_at": self.now,
                    **meta,
                }
            else:
                for k, v in meta.items():
                    if v and not row[k]:
                        row[k] = v
        for sha, values in changed.items():
            self.s.execute(update(_ARTICLES).where(_ARTICLES.c.id == present[sha]["id"]).values(**values))
        ids = {sha: row["id"] for sha, row in present.items()}
        if fresh:
            before = self.s.scalar(select(func.max(_ARTICLES.c.id))) or 0
            self.s.execute(insert(_ARTICLES), list(fresh.values()))
            for row_id, sha in self.s.execute(
                select(_ARTICLES.c.id, _ARTICLES.c.sha256).where(_ARTICLES.c.id > before)
            ):
                if sha in fresh:
                    ids[sha] = row_id
        self.summary.articles_added = len(fresh)
        self.summary.articles_present = len(present)
        return [ids[sha] for sha in shas], set(ids[sha] for sha in present)

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
        for part in _chunks(file_uids):
            for sid, uid in self.s.execute(select(_SPANS.c.id, _SPANS.c.uid).where(_SPANS.c.uid.in_(part))):
                known_uids.add(uid)
                self.span_ids[uid] = sid
        count = sum(len(a.spans) for a in articles)
        fresh_uids = _new_uids("s-", count)
        rows: list[dict[str, Any]] = []
        skipped = 0
        now = self.now
        alias = self.alias
        for a, art_id in zip(articles, article_ids, strict=True):
            layer = a.annotator
            text = a.text
            for sp in a.spans:
                ann_id = self.annotator_id(sp.annotator or layer, a.line)
                lab_id = label_ids[sp.label]
                key = (art_id, ann_id, sp.start, sp.end, lab_id)
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
                rows.append(
                    {
                        "uid": uid,
                        "article_id": art_id,
                        "annotator_id": ann_id,
                        "label_id": lab_id,
                        "start": sp.start,
                        "end": sp.end,
                        "text": text[sp.start : sp.end],
                        "note": sp.note or None,
                        "origin": sp.origin
                        if sp.origin in ("manual", "suggested", "imported")
                        else "imported",
                        "status": "active",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        if rows:
            before = self.s.scalar(select(func.max(_SPANS.c.id))) or 0
            self.s.execute(insert(_SPANS), rows)
            if need_ids:
                for sid, uid in self.s.execute(select(_SPANS.c.id, _SPANS.c.uid).where(_SPANS.c.id > before)):
                    self.span_ids[uid] = sid
        self.summary.spans_added = len(rows)
        self.summary.spans_skipped = skipped

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
        for part in _chunks(sources):
            present_keys.update(
                tuple(r) for r in self.s.execute(select(*cols).where(_LINKS.c.source_span_id.in_(part)))
            )  # type: ignore[misc]
        rows: list[dict[str, Any]] = []
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
            rows.append(
                {
                    "uid": ln.uid or next(fresh),
                    "source_span_id": src,
                    "target_span_id": dst,
                    "type_id": type_id,
                    "annotator_id": ann_id,
                    "note": ln.note or None,
                    "created_at": self.now,
                }
            )
        if rows:
            self.s.execute(insert(_LINKS), rows)
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


__all__ = ["DEFAULT_ANNOTATOR", "StoreOptions", "dt", "store_articles"]
