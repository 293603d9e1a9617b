"""CSV of spans, one row per span, for spreadsheets.

UTF-8 with a byte-order mark (so that Excel and LibreOffice read the accents and emoji right),
``\\r\\n`` row ends and standard quoting by the ``csv`` module, which keeps line breaks inside a
span's text. ``linked_span_ids`` lists the uids of the spans at the other end of every link that
touches the span, separated by semicolons.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO

from db.exporting.run import ExportRun
from db.exporting.summary import ExportSummary

COLUMNS = (
    "article_id",
    "outlet",
    "title",
    "date",
    "label",
    "start",
    "end",
    "text",
    "annotator",
    "note",
    "span_id",
    "linked_span_ids",
)


def write_csv(run: ExportRun, fh: IO[str], path: Path) -> ExportSummary:
    writer = csv.writer(fh)
    writer.writerow(COLUMNS)
    for batch in run.batches():
        for record in run.records_of(batch):
            a = record.article
            others: dict[int, list[str]] = {}
            for link in record.links:
                run.link_ids.add(link.id)
                others.setdefault(link.source_span_id, []).append(link.target_span_uid)
                others.setdefault(link.target_span_id, []).append(link.source_span_uid)
            for s in record.spans:
                writer.writerow(
                    (
                        a.uid,
                        a.outlet or "",
                        a.title,
                        a.published or "",
                        s.label,
                        s.start,
                        s.end,
                        s.text,
                        s.annotator,
                        s.note or "",
                        s.uid,
                        ";".join(others.get(s.id, ())),
                    )
                )
    return run.summary("csv", path)
