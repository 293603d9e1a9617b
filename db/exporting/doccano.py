"""doccano JSONL: one article-layer per line, for doccano's sequence-labelling projects.

Each line carries the sequence-labelling form (``"label": [[start, end, "LABEL"], ...]``) and the
relation form doccano exports from a project with relations enabled (``"entities"`` with integer
ids and ``start_offset``/``end_offset``, ``"relations"`` with ``from_id``/``to_id``/``type``), so
either kind of project imports it. doccano keeps other keys as document metadata: article_id,
title, outlet, story, published, url and annotator ride along that way. Offsets are code points,
as doccano stores them. A doccano relation lives inside one document: links across articles are
left out of ``relations`` (they are in the Newsmark JSONL and Label Studio exports).
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
        "label": [[s.start, s.end, s.label] for s in record.spans],
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
