"""Newsmark JSONL: one article in one annotator's layer per line, Prodigy-compatible (GUIDE.md §3).

Hashes. ``_input_hash`` is the first four bytes of the SHA-256 of the article text (the hash the
project already stores) read as a big-endian signed 32-bit integer, so it is the same for the same
text in any project. ``_task_hash`` is the signed 32-bit integer from the first four bytes of the
SHA-256 of ``"<input_hash>|"`` followed by the spans as ``start,end,LABEL`` sorted and joined with
``;``: the same text with the same spans gives the same task hash, whoever annotated it (as in
Prodigy, where two annotators answering the same question share a task hash).

Tokens are spaCy's English tokenizer's (``db.text.tokenize``), read from the token cache.
``token_start``/``token_end`` are the inclusive indexes of the tokens a span covers; a span whose
ends do not fall on token edges gets the tokens it touches and is counted as misaligned.

Relations follow Prodigy's ``rel.manual`` output: ``head`` and ``child`` are the index of the *last*
token (``token_end``) of the head and the child span, and ``head_span``/``child_span`` give both
spans in full; spaCy's relation-extraction tutorial reads them back the same way. A link's source
is the head, its target the child. ``relations`` holds only links with both spans in the record;
``links`` holds every link that touches a span of the record, with article and span ids on both ends.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from db.exporting.atomic import BackgroundWriter
from db.exporting.run import ExportRun
from db.exporting.selection import Record, SpanRow
from db.exporting.summary import ExportSummary
from db.exporting.tokens import ArticleTokenList, TokenCache, dumps_json

_HASH_KEY = itemgetter(5, 6, 4)  # SpanRow: start, end, label
_TOKENS_KEY = b',"tokens":'


def input_hash(sha256_hex: str) -> int:
    return int.from_bytes(bytes.fromhex(sha256_hex[:8]), "big", signed=True)


def task_hash(in_hash: int, spans: Sequence[SpanRow]) -> int:
    keys = sorted(map(_HASH_KEY, spans))
    payload = f"{in_hash}|" + ";".join(["%d,%d,%s"] * len(keys)) % tuple(chain.from_iterable(keys))
    return int.from_bytes(hashlib.sha256(payload.encode("utf-8")).digest()[:4], "big", signed=True)


def article_meta(record: Record) -> dict[str, Any]:
    a = record.article
    return {
        "article_id": a.uid,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published,
        "url": a.url,
        "story": a.story,
        "author": a.author,
    }


def record_parts(record: Record, tokens: ArticleTokenList, run: ExportRun) -> list[bytes]:
    """One JSONL line (with its newline) as pieces to concatenate; the cached token list goes in as
    it is stored, already serialised."""
    article = record.article
    spans_out: list[dict[str, Any]] = []
    # token_start/token_end by span id, for the relations
    token_span: dict[int, tuple[int, int]] = {}
    has_links = bool(record.links)
    starts, ends = tokens.starts, tokens.ends
    n = len(starts)
    last_token = n - 1
    misaligned = 0 if n else len(record.spans)  # no token at all: every span is misaligned
    # ArticleTokenList.covering inlined (this loop runs once per exported span): the first token is
    # the first that ends after the span starts, the last the first that ends at or after its end.
    for sid, uid, _article, _annotator, label, start, end, text, note, _created, _updated in record.spans:
        if n:
            first = bisect_right(ends, start)
            if first > last_token:
                first = last_token
            last = bisect_left(ends, end, first)
            if last > last_token:
                last = last_token
            if starts[first] != start or ends[last] != end:
                misaligned += 1
        else:
            first = last = 0
        if has_links:
            token_span[sid] = (first, last)
        spans_out.append(
            {
                "id": uid,
                "start": start,
                "end": end,
                "token_start": first,
                "token_end": last,
                "label": label,
                "text": text,
                "note": note,
            }
        )
    run.misaligned += misaligned
    relations: list[dict[str, Any]] = []
    links_out: list[dict[str, Any]] = []
    if has_links:
        by_id = {span.id: span for span in record.spans}
        for link in record.links:
            run.link_ids.add(link.id)
            links_out.append(
                {
                    "id": link.uid,
                    "type": link.type,
                    "source": {"article_id": link.source_article_uid, "span_id": link.source_span_uid},
                    "target": {"article_id": link.target_article_uid, "span_id": link.target_span_uid},
                    "note": link.note,
                    "annotator": link.annotator,
                }
            )
            if link.source_span_id in by_id and link.target_span_id in by_id:
                head, child = by_id[link.source_span_id], by_id[link.target_span_id]
                (hs, he), (cs, ce) = token_span[head.id], token_span[child.id]
                relations.append(
                    {
                        "head": he,
                        "child": ce,
                        "head_span": {
                            "start": head.start,
                            "end": head.end,
                            "token_start": hs,
                            "token_end": he,
                            "label": head.label,
                        },
                        "child_span": {
                            "start": child.start,
                            "end": child.end,
                            "token_start": cs,
                            "token_end": ce,
                            "label": child.label,
                        },
                        "label": link.type,
                    }
                )
    in_hash = input_hash(article.sha256)
    head_part = dumps_json(
        {
            "text": article.text,
            "meta": article_meta(record),
            "_input_hash": in_hash,
            "_task_hash": task_hash(in_hash, record.spans),
            "_annotator_id": record.annotator,
            "answer": "accept",
        }
    )
    tail_part = dumps_json({"spans": spans_out, "relations": relations, "links": links_out})
    # {head...} + ,"tokens":[...], + {tail...}: one object, the head's "}" and the tail's "{" cut off
    return [head_part[:-1], _TOKENS_KEY, tokens.tokens_json, b",", tail_part[1:], b"\n"]


#: bytes of output handed to the writer thread at a time: small enough that writing overlaps
#: building from the first records on, large enough that the hand-overs are few
FLUSH_BYTES = 2 << 20


def write_jsonl(run: ExportRun, fh: BackgroundWriter, path: Path) -> ExportSummary:
    cache = TokenCache(run.project, store=run.cache_tokens)
    parts: list[bytes] = []
    pending = 0
    for batch in run.batches():
        tokens = cache.for_articles(run.session, [(a.id, a.text) for a in batch.articles])
        for record in run.records_of(batch):
            toks = tokens[record.article.id]
            parts += record_parts(record, toks, run)
            pending += len(toks.tokens_json) + len(record.article.text)
            if pending >= FLUSH_BYTES:
                fh.write_parts(parts)  # written by the writer's thread while we go on
                parts, pending = [], 0
    if parts:
        fh.write_parts(parts)
    return run.summary("jsonl", path)
