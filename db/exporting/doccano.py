"""doccano JSONL: one article-layer per line, in the shape doccano exports from a sequence-labelling
project with relations enabled and imports as "JSONL (Relation)".

``"entities"`` holds the spans (integer ``id``, ``label``, ``start_offset``, ``end_offset``, code
points as doccano stores them) and ``"relations"`` the links between two spans of the line
(``id``, ``from_id``, ``to_id``, ``type``). doccano keeps other keys as document metadata:
article_id, title, outlet, story, published, url and annotator ride along that way.

Why not also the plain ``"label": [[start, end, "LABEL"]]`` list: it cannot carry relations, and a
line that holds both lists is read twice by importers that accept either (ours does), doubling
every span. A doccano relation lives inside one document, so links across articles are left out
(they are in the Newsmark JSONL, W3C and CSV exports).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.exporting.atomic import BackgroundWriter
from db.exporting.run import ExportRun
from db.exporting.selection import Record
from db.exporting.summary import ExportSummary
from db.exporting.tokens import dumps_json


def doccano_item(record: Record, line_id: int, run: ExportRun) -> dict[str, Any]:
    a = record.article
    in_record = {s.id for s in record.spans}
    relations = []
    for link in record.links:
        if link.source_span_id in in_record and link.target_span_id in in_record:
            run.link_ids.add(link.id)
            relations.append(
                {
                    "id": link.id,
                    "from_id": link.source_span_id,
                    "to_id": link.target_span_id,
                    "type": link.type,
                }
            )
    return {
        "id": line_id,
        "text": a.text,
        "entities": [
            {"id": s.id, "label": s.label, "start_offset": s.start, "end_offset": s.end} for s in record.spans
        ],
        "relations": relations,
        "article_id": a.uid,
        "title": a.title,
        "outlet": a.outlet,
        "story": a.story,
        "published": a.published,
        "url": a.url,
        "annotator": record.annotator,
    }


def write_doccano(run: ExportRun, fh: BackgroundWriter, path: Path) -> ExportSummary:
    line_id = 0
    for batch in run.batches():
        for record in run.records_of(batch):
            line_id += 1
            fh.write(dumps_json(doccano_item(record, line_id, run)) + b"\n")
    return run.summary("doccano", path)
