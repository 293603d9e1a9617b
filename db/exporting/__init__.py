"""Exporters: Newsmark JSONL (Prodigy-compatible), spaCy DocBin, doccano, Label Studio, W3C Web
Annotation and CSV, all behind one call, ``export``.

Every exporter streams the selection in batches of articles (memory stays flat as a project grows)
into a temporary file beside the target, renamed over it only once everything is written: an
interrupted, failed or cancelled export leaves no partial file and the previous file untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from db.errors import NewsmarkError
from db.exporting.atomic import atomic_binary, atomic_text
from db.exporting.csv_spans import write_csv
from db.exporting.docbin import split_paths, write_docbin
from db.exporting.doccano import write_doccano
from db.exporting.jsonl import write_jsonl
from db.exporting.labelstudio import write_labelstudio
from db.exporting.run import Cancel, ExportRun, Progress
from db.exporting.selection import BATCH_ARTICLES, ExportFilter, Selection
from db.exporting.summary import ExportCancelled, ExportSummary
from db.exporting.tokens import clear_token_cache, warm_token_cache
from db.exporting.w3c import write_w3c
from db.project import Project

FORMATS = ("jsonl", "spacy", "doccano", "labelstudio", "w3c", "csv")
_BY_SUFFIX = {".jsonl": "jsonl", ".spacy": "spacy", ".csv": "csv"}
DEFAULT_SEED = 13


def format_for(path: Path, fmt: str | None) -> str:
    """The format asked for, or the one the file name implies; a user error when neither is clear."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise NewsmarkError(f"Unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}.")
        return fmt
    suffix = path.suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix == ".json":
        raise NewsmarkError(
            f"{path.name}: a .json file could be Label Studio or W3C Web Annotation; choose the format "
            "(--format labelstudio or --format w3c)."
        )
    raise NewsmarkError(
        f"{path.name}: cannot tell the format from the file name; choose one of {', '.join(FORMATS)}."
    )


def _names(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in (values or ()) if v))


def export(
    project: Project,
    out_path: str | Path,
    *,
    fmt: str | None = None,
    annotator: str | None = None,
    gold: bool = False,
    labels: Iterable[str] | None = None,
    outlets: Iterable[str] | None = None,
    stories: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    reviewed: bool = False,
    split: float | None = None,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    batch_size: int = BATCH_ARTICLES,
    cache_tokens: bool = True,
) -> ExportSummary:
    """Write the project's annotations (filtered as asked) to ``out_path``; see the module docs.

    ``progress(done, total)`` is called with articles done; ``cancel()`` returning True stops the
    export (ExportCancelled) and leaves no file. ``split``/``seed`` apply to the spaCy format only.
    ``cache_tokens=False`` keeps the project file as it is: tokens missing from the cache are
    computed for this export only (slower, see ``db.exporting.tokens``).
    """
    out = Path(out_path).expanduser()
    kind = format_for(out, fmt)
    if split is not None and kind != "spacy":
        raise NewsmarkError("A train/dev split is only for the spaCy format (.spacy).")
    if out.is_dir():
        raise NewsmarkError(f"{out} is a folder: give the export a file name.")
    wanted = ExportFilter(
        annotator=annotator,
        gold=gold,
        labels=_names(labels),
        outlets=_names(outlets),
        stories=_names(stories),
        since=since,
        until=until,
        reviewed=reviewed,
    )
    with project.read() as session:
        selection = Selection(session, wanted)
        run = ExportRun(project, session, selection, progress=progress, cancel=cancel, batch_size=batch_size)
        run.cache_tokens = cache_tokens
        if kind == "spacy":
            return write_docbin(run, out, split, seed)
        if kind == "csv":
            with atomic_text(out, encoding="utf-8-sig", newline="") as fh:
                summary = write_csv(run, fh, out)
                run.check_cancel()
            return summary
        with atomic_binary(out) as fh:
            if kind == "jsonl":
                summary = write_jsonl(run, fh, out)
            elif kind == "doccano":
                summary = write_doccano(run, fh, out)
            elif kind == "labelstudio":
                summary = write_labelstudio(run, fh, out, selection.gold_name())
            else:
                summary = write_w3c(run, fh, out)
            run.check_cancel()
        return summary


__all__ = [
    "DEFAULT_SEED",
    "FORMATS",
    "ExportCancelled",
    "ExportSummary",
    "clear_token_cache",
    "export",
    "format_for",
    "split_paths",
    "warm_token_cache",
]
