"""Our JSONL exchange format (GUIDE.md section 3), full or minimal, and doccano's JSONL.

Both are one article a line. A file is doccano's when its first record has "label" or "entities"
and no "spans". Links across articles are kept as ids here and resolved when the file is stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.errors import ImportFormatError
from db.importing.jsonfields import (
    loads,
    need_object,
    need_text,
    offset,
    opt_date,
    opt_list,
    opt_str,
)
from db.importing.parsed import ParsedArticle, ParsedLink, ParsedSpan
from db.importing.source import read_lines
from db.text import new_span_uid


def looks_like_doccano(record: Any) -> bool:
    return isinstance(record, dict) and "spans" not in record and ("label" in record or "entities" in record)


def read_records(path: Path) -> list[tuple[int, Any]]:
    return [(number, loads(path, line, number)) for number, line in read_lines(path)]


def parse_jsonl(path: Path, records: list[tuple[int, Any]]) -> list[ParsedArticle]:
    return [_record(path, need_object(path, rec, line), line) for line, rec in records]


def _meta(path: Path, record: dict[str, Any], line: int) -> dict[str, Any]:
    meta = record.get("meta")
    if meta is None:
        return {}
    return need_object(path, meta, line, '"meta"')


def _spans(path: Path, raws: list[Any], line: int) -> list[ParsedSpan]:
    """All spans of a record; the common well-formed case inline (hot: ~20 spans an article),
    anything else through ``_span``, which checks each field."""
    out: list[ParsedSpan] = []
    append = out.append
    for raw in raws:
        if type(raw) is dict:
            get = raw.get
            start, end, label = get("start"), get("end"), get("label")
            if type(start) is int and type(end) is int and type(label) is str and label:
                uid, text, note = get("id"), get("text"), get("note")
                append(
                    ParsedSpan(
                        start,
                        end,
                        label,
                        text if type(text) is str else None,
                        note if type(note) is str else None,
                        None if uid is None or uid == "" else str(uid),
                    )
                )
                continue
        append(_span(path, raw, line))
    return out


def _span(path: Path, raw: Any, line: int) -> ParsedSpan:
    if type(raw) is not dict:
        need_object(path, raw, line, "a span")
    start = raw.get("start")
    end = raw.get("end")
    if type(start) is not int:
        start = offset(path, start, "start", line)
    if type(end) is not int:
        end = offset(path, end, "end", line)
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise ImportFormatError(path, f"the span at {start}-{end} has no label", line)
    uid = raw.get("id")
    text = raw.get("text")
    note = raw.get("note")
    return ParsedSpan(
        start,
        end,
        label,
        text if isinstance(text, str) else None,
        note if isinstance(note, str) else None,
        str(uid) if uid is not None and uid != "" else None,
    )


def _end(path: Path, raw: Any, line: int, side: str) -> tuple[str | None, str]:
    end = need_object(path, raw, line, f'a link\'s "{side}"')
    span_id = end.get("span_id")
    if span_id is None or span_id == "":
        raise ImportFormatError(path, f'a link\'s "{side}" has no "span_id"', line)
    article_id = end.get("article_id")
    return (str(article_id) if article_id is not None else None), str(span_id)


def _links(path: Path, raw_links: list[Any], line: int) -> list[ParsedLink]:
    out = []
    for raw in raw_links:
        link = need_object(path, raw, line, "a link")
        kind = link.get("type") or link.get("label")
        if not isinstance(kind, str) or not kind.strip():
            raise ImportFormatError(path, 'a link has no "type"', line)
        src_article, src_span = _end(path, link.get("source"), line, "source")
        dst_article, dst_span = _end(path, link.get("target"), line, "target")
        uid = link.get("id")
        note = link.get("note")
        out.append(
            ParsedLink(
                src_article,
                src_span,
                dst_article,
                dst_span,
                kind,
                note if isinstance(note, str) else None,
                str(uid) if uid else None,
            )
        )
    return out


def _relations(path: Path, raw_rels: list[Any], spans: list[ParsedSpan], line: int) -> list[ParsedLink]:
    """Prodigy-style relations (head_span / child_span), matched to this record's spans by position."""
    by_place = {(s.start, s.end, s.label): s for s in spans}
    out = []
    for raw in raw_rels:
        rel = need_object(path, raw, line, "a relation")
        ends = []
        for side in ("head_span", "child_span"):
            parsed = _span(path, rel.get(side), line)
            found = by_place.get((parsed.start, parsed.end, parsed.label))
            if found is None:
                # A span that only the relation mentions is still an annotation: keep it.
                found = parsed
                found.text = None
                spans.append(found)
                by_place[(found.start, found.end, found.label)] = found
            if found.uid is None:
                found.uid = new_span_uid()
            ends.append(found.uid)
        kind = rel.get("label")
        if not isinstance(kind, str) or not kind.strip():
            raise ImportFormatError(path, 'a relation has no "label"', line)
        out.append(ParsedLink(None, ends[0], None, ends[1], kind))
    return out


def _record(path: Path, record: dict[str, Any], line: int) -> ParsedArticle:
    text = need_text(path, record, line)
    meta = _meta(path, record, line)
    spans = _spans(path, opt_list(path, record, "spans", line), line)
    if "links" in record:
        links = _links(path, opt_list(path, record, "links", line), line)
    else:
        links = _relations(path, opt_list(path, record, "relations", line), spans, line)
    return ParsedArticle(
        text=text,
        title=opt_str(path, meta, "title", line) or "",
        outlet=opt_str(path, meta, "outlet", line),
        story=opt_str(path, meta, "story", line),
        author=opt_str(path, meta, "author", line),
        published=opt_date(path, meta, "published", line),
        url=opt_str(path, meta, "url", line),
        source_file=opt_str(path, meta, "source_file", line),
        annotator=opt_str(path, record, "_annotator_id", line),
        spans=spans,
        links=links,
        line=line,
        article_uid=opt_str(path, meta, "article_id", line),
    )


# -- doccano ---------------------------------------------------------------------------------


def parse_doccano(path: Path, records: list[tuple[int, Any]]) -> list[ParsedArticle]:
    return [_doccano_record(path, need_object(path, rec, line), line) for line, rec in records]


def _doccano_record(path: Path, record: dict[str, Any], line: int) -> ParsedArticle:
    text = need_text(path, record, line)
    spans: list[ParsedSpan] = []
    by_id: dict[Any, str] = {}
    for raw in opt_list(path, record, "label", line):
        if not isinstance(raw, list) or len(raw) != 3:
            raise ImportFormatError(
                path, f'a "label" entry must be [start, end, "LABEL"], not {raw!r}'[:200], line
            )
        start = offset(path, raw[0], "start", line)
        end = offset(path, raw[1], "end", line)
        if not isinstance(raw[2], str) or not raw[2].strip():
            raise ImportFormatError(path, f"the span at {start}-{end} has no label", line)
        spans.append(ParsedSpan(start, end, raw[2]))
    for raw in opt_list(path, record, "entities", line):
        ent = need_object(path, raw, line, "an entity")
        start = offset(path, ent.get("start_offset"), "start_offset", line)
        end = offset(path, ent.get("end_offset"), "end_offset", line)
        label = ent.get("label")
        if not isinstance(label, str) or not label.strip():
            raise ImportFormatError(path, f"the span at {start}-{end} has no label", line)
        span = ParsedSpan(start, end, label, uid=new_span_uid())
        spans.append(span)
        if ent.get("id") is not None:
            by_id[ent["id"]] = span.uid  # type: ignore[assignment]
    links = []
    for raw in opt_list(path, record, "relations", line):
        rel = need_object(path, raw, line, "a relation")
        src, dst = by_id.get(rel.get("from_id")), by_id.get(rel.get("to_id"))
        if src is None or dst is None:
            raise ImportFormatError(
                path, f"relation {rel.get('id')!r} joins an entity this record does not have", line
            )
        kind = rel.get("type") or rel.get("label")
        if not isinstance(kind, str) or not kind.strip():
            raise ImportFormatError(path, f"relation {rel.get('id')!r} has no type", line)
        links.append(ParsedLink(None, src, None, dst, kind))
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    return ParsedArticle(
        text=text,
        title=opt_str(path, meta, "title", line) or opt_str(path, record, "title", line) or "",
        outlet=opt_str(path, meta, "outlet", line),
        story=opt_str(path, meta, "story", line),
        url=opt_str(path, meta, "url", line),
        spans=spans,
        links=links,
        line=line,
    )
