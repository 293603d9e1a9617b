"""spaCy DocBin (``.spacy``) for training a span categorizer.

One Doc per article-layer, tokenized by spaCy's English tokenizer; the spans go in
``doc.spans["sc"]`` (the span categorizer's default key) with their label, widened to whole tokens
(``alignment_mode="expand"``; those count as misaligned). A span that covers no token at all
(only whitespace) cannot be a spaCy span and is counted as skipped. ``doc.user_data`` carries
article_id, title, outlet, story, published, annotator and the span uids (in ``sc`` order).

With ``split`` the articles are shuffled with ``seed`` and the first ``round(n * split)`` go to
OUT-train.spacy, the rest to OUT-dev.spacy; all layers of one article land in the same file, so no
text is in both.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from db.errors import NewsmarkError
from db.exporting.atomic import atomic_paths
from db.exporting.run import ExportRun
from db.exporting.selection import Record
from db.exporting.summary import ExportSummary
from db.text import blank_english

SPANS_KEY = "sc"


def split_paths(out: Path) -> tuple[Path, Path]:
    stem = out.name[: -len(".spacy")] if out.name.endswith(".spacy") else out.name
    return out.with_name(f"{stem}-train.spacy"), out.with_name(f"{stem}-dev.spacy")


def _doc(nlp: Any, record: Record, run: ExportRun) -> Any:
    from spacy.tokens import Span as SpacySpan

    doc = nlp.make_doc(record.article.text)
    spans: list[SpacySpan] = []
    uids: list[str] = []
    for span in record.spans:
        found = doc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
        if found is None or len(found) == 0:
            run.skipped += 1
            continue
        if found.start_char != span.start or found.end_char != span.end:
            run.misaligned += 1
        spans.append(found)
        uids.append(span.uid)
    doc.spans[SPANS_KEY] = spans
    a = record.article
    doc.user_data.update(
        {
            "article_id": a.uid,
            "title": a.title,
            "outlet": a.outlet,
            "story": a.story,
            "published": a.published,
            "annotator": record.annotator,
            "span_ids": uids,
        }
    )
    for link in record.links:
        run.link_ids.add(link.id)
    return doc


def write_docbin(run: ExportRun, out: Path, split: float | None, seed: int) -> ExportSummary:
    from spacy.tokens import DocBin

    nlp = blank_english()
    if split is None:
        bins = [DocBin(store_user_data=True)]
        targets = [out]
        which: dict[int, int] | None = None
    else:
        if not 0.0 < split < 1.0:
            raise NewsmarkError(f"--split must be a fraction between 0 and 1 (exclusive), got {split}.")
        ids = run.selection.article_ids()
        random.Random(seed).shuffle(ids)
        n_train = round(len(ids) * split)
        which = {aid: (0 if k < n_train else 1) for k, aid in enumerate(ids)}
        bins = [DocBin(store_user_data=True), DocBin(store_user_data=True)]
        targets = list(split_paths(out))
    for batch in run.batches():
        for record in run.records_of(batch):
            part = 0 if which is None else which.get(record.article.id, 0)
            bins[part].add(_doc(nlp, record, run))
    run.check_cancel()
    with atomic_paths(*targets) as temps:
        for temp, doc_bin in zip(temps, bins, strict=True):
            temp.write_bytes(doc_bin.to_bytes())
    return run.summary("spacy", targets[0], tuple(targets[1:]))
