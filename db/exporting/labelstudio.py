"""Label Studio JSON: a list of tasks, one per article, with one annotation per annotator layer.

A task is ``{"data": {"text", "article_id", "title", "outlet", "story", "published", "url"},
"annotations": [...]}``; each annotation's ``result`` holds span regions
(``type: labels``, ``from_name: label``, ``to_name: text``, value start/end/text/labels, the span
note as region meta text) and relations (``type: relation``, ``from_id``/``to_id`` = span uids,
``direction: right``, ``labels: [LINK_TYPE]``) between spans of the same article. It loads into a
project whose labeling config has ``<Labels name="label" toName="text">``, ``<Text name="text"
value="$text"/>`` and, for the links, ``<Relations>`` with the link types.

Offsets are code points: Label Studio's Text tag stores code-point offsets since its emoji fix
(label-studio PR 1559 / label-studio-frontend PR 308), the same as ours.

``completed_by`` is left out on purpose: Label Studio resolves it against the members of the
importing organisation and rejects a task whose annotator it does not know, and without it the
annotation belongs to whoever imports the file. The layer's name is kept in ``newsmark_annotator``
(Label Studio ignores the key) and the gold layer is marked ``ground_truth``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from db.exporting.atomic import BackgroundWriter
from db.exporting.run import ExportRun
from db.exporting.selection import Record
from db.exporting.summary import ExportSummary
from db.exporting.tokens import dumps_json


def annotation(record: Record, run: ExportRun, gold_name: str | None) -> dict[str, Any]:
    result: list[dict[str, Any]] = []
    in_record = {s.id for s in record.spans}
    for s in record.spans:
        region: dict[str, Any] = {
            "id": s.uid,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]},
        }
        if s.note:
            region["meta"] = {"text": [s.note]}
        result.append(region)
    for link in record.links:
        if link.source_span_id in in_record and link.target_span_id in in_record:
            run.link_ids.add(link.id)
            result.append(
                {
                    "from_id": link.source_span_uid,
                    "to_id": link.target_span_uid,
                    "type": "relation",
                    "direction": "right",
                    "labels": [link.type],
                }
            )
    return {
        "result": result,
        "ground_truth": record.annotator is not None and record.annotator == gold_name,
        "was_cancelled": False,
        "newsmark_annotator": record.annotator,
    }


def _tasks(run: ExportRun, gold_name: str | None) -> Iterator[dict[str, Any]]:
    for batch in run.batches():
        task: dict[str, Any] | None = None
        for record in run.records_of(batch):
            a = record.article
            if task is None or task["data"]["article_id"] != a.uid:
                if task is not None:
                    yield task
                task = {
                    "data": {
                        "text": a.text,
                        "article_id": a.uid,
                        "title": a.title,
                        "outlet": a.outlet,
                        "story": a.story,
                        "published": a.published,
                        "url": a.url,
                    },
                    "annotations": [],
                }
            if record.annotator is not None:
                task["annotations"].append(annotation(record, run, gold_name))
        if task is not None:
            yield task


def write_labelstudio(
    run: ExportRun, fh: BackgroundWriter, path: Path, gold_name: str | None
) -> ExportSummary:
    fh.write(b"[")
    first = True
    for task in _tasks(run, gold_name):
        fh.write(b"\n" if first else b",\n")
        fh.write(dumps_json(task))
        first = False
    fh.write(b"\n]\n")
    return run.summary("labelstudio", path)
