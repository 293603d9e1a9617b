"""W3C Web Annotation (JSON-LD): a JSON array of Annotations, one per span and one per link.

A span is an Annotation with motivation ``tagging``: its body is a ``TextualBody`` with purpose
``tagging`` and the label as value (plus one with purpose ``commenting`` for the span's note); its
target's source is ``urn:newsmark:article:<article uid>`` (the text positions are offsets in the
imported text, not in the page at the article's URL) with a ``TextQuoteSelector`` (exact, 32
characters of prefix and suffix) and a ``TextPositionSelector`` (code-point start and end, as the
model defines them). Its id is ``urn:newsmark:span:<span uid>``; the creator is the annotator.

A link is an Annotation with motivation ``linking`` whose targets are the two span annotations'
ids (source first) and whose tagging body is the link type. Each link is written once, even when
it joins spans of two exported articles; a link to a span outside the export still names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.exporting.atomic import BackgroundWriter
from db.exporting.run import ExportRun
from db.exporting.selection import LinkRow, Record, SpanRow
from db.exporting.summary import ExportSummary
from db.exporting.tokens import dumps_json

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32


def span_iri(uid: str) -> str:
    return f"urn:newsmark:span:{uid}"


def article_iri(uid: str) -> str:
    return f"urn:newsmark:article:{uid}"


def _bodies(tag: str, note: str | None) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": tag}]
    if note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": note})
    return bodies


def _creator(name: str) -> dict[str, Any]:
    return {"type": "Person", "name": name}


def span_annotation(record: Record, span: SpanRow) -> dict[str, Any]:
    text = record.article.text
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": span_iri(span.uid),
        "type": "Annotation",
        "motivation": "tagging",
        "body": _bodies(span.label, span.note),
        "target": {
            "source": article_iri(record.article.uid),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": span.text,
                    "prefix": text[max(0, span.start - QUOTE_CONTEXT) : span.start],
                    "suffix": text[span.end : span.end + QUOTE_CONTEXT],
                },
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            ],
        },
        "creator": _creator(span.annotator),
    }
    if span.created_at:
        item["created"] = span.created_at
    if span.updated_at:
        item["modified"] = span.updated_at
    return item


def link_annotation(link: LinkRow) -> dict[str, Any]:
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:newsmark:link:{link.uid}",
        "type": "Annotation",
        "motivation": "linking",
        "body": _bodies(link.type, link.note),
        "target": [span_iri(link.source_span_uid), span_iri(link.target_span_uid)],
        "creator": _creator(link.annotator),
    }
    if link.created_at:
        item["created"] = link.created_at
    return item


def write_w3c(run: ExportRun, fh: BackgroundWriter, path: Path) -> ExportSummary:
    fh.write(b"[")
    first = True

    def put(item: dict[str, Any]) -> None:
        nonlocal first
        fh.write(b"\n" if first else b",\n")
        fh.write(dumps_json(item))
        first = False

    run.selection.with_times = True
    for batch in run.batches():
        for record in run.records_of(batch):
            for span in record.spans:
                put(span_annotation(record, span))
            for link in record.links:
                if link.id not in run.link_ids:
                    run.link_ids.add(link.id)
                    put(link_annotation(link))
    fh.write(b"\n]\n")
    return run.summary("w3c", path)
