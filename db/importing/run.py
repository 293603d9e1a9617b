"""``import_paths``: find the files, parse each, store each in its own transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from db.errors import ImportFormatError, NewsmarkError
from db.importing.html import parse_html
from db.importing.jsonl import looks_like_doccano, parse_doccano, parse_jsonl, read_records
from db.importing.labelstudio import parse_labelstudio
from db.importing.parsed import ParsedArticle
from db.importing.store import StoreOptions, store_articles
from db.importing.summary import FileSummary, ImportIssue, ImportSummary
from db.importing.txt import parse_txt
from db.models import Article
from db.project import Project

FORMATS = ("txt", "html", "jsonl", "doccano", "labelstudio")
EXTENSIONS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".json": "labelstudio"}

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import: each file named, and the supported files under each folder, sorted."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith(".")
                )
            )
        else:
            out.append(path)
    return out


def parse_file(path: Path, fmt: str | None, outlet: str | None) -> tuple[str, list[ParsedArticle]]:
    """(format, records) for one file; ImportFormatError when it cannot be read."""
    if not path.exists():
        raise ImportFormatError(path, "no such file")
    if fmt is not None and fmt not in FORMATS:
        raise ImportFormatError(path, f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    kind = fmt or EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        raise ImportFormatError(
            path,
            f"cannot import {path.suffix or 'files without an extension'}: use .txt, .html, .jsonl or .json, or --format",
        )
    if kind == "txt":
        return kind, parse_txt(path, outlet=outlet)
    if kind == "html":
        return kind, parse_html(path, outlet=outlet)
    if kind == "labelstudio":
        return kind, parse_labelstudio(path)
    records = read_records(path)
    if kind == "jsonl" and fmt is None and records and looks_like_doccano(records[0][1]):
        kind = "doccano"
    if kind == "doccano":
        return kind, parse_doccano(path, records)
    return kind, parse_jsonl(path, records)


def _has_articles(project: Project) -> bool:
    from sqlalchemy import select

    with project.read() as s:
        return s.scalar(select(Article.id).limit(1)) is not None


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    *,
    outlet: str | None = None,
    story: str | None = None,
    annotator: str | None = None,
    fmt: str | None = None,
    add_labels: bool = False,
    label_map: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportSummary:
    """Import files and folders into ``project``; a bad file is reported and the others still import.

    Each file is stored in one transaction: a file with an error leaves nothing behind. Our own
    JSONL adds the labels it names; doccano and Label Studio files need ``add_labels`` or
    ``label_map`` for labels the project lacks. ``progress(done, total, path)`` is called before
    each file and ``cancel()`` is asked between files.
    """
    files = find_files(paths)
    summary = ImportSummary()
    if files and _has_articles(project):
        backup = project.backup("before-import")
        summary.backup = str(backup) if backup else None
    for done, path in enumerate(files):
        if cancel is not None and cancel():
            summary.cancelled = True
            break
        if progress is not None:
            progress(done, len(files), str(path))
        result = FileSummary(str(path))
        summary.files.append(result)
        try:
            kind, records = parse_file(path, fmt, outlet)
            result.format = kind
            options = StoreOptions(
                outlet=outlet,
                story=story,
                annotator=annotator,
                add_labels=add_labels or kind == "jsonl",
                label_map=label_map,
            )
            store_articles(project, path, records, options, result)
        except ImportFormatError as exc:
            _reset(result)
            result.error = ImportIssue(exc.path, exc.line, exc.reason)
        except NewsmarkError as exc:
            _reset(result)
            result.error = ImportIssue(str(path), None, str(exc))
        except (OSError, MemoryError, RecursionError) as exc:
            _reset(result)
            result.error = ImportIssue(
                str(path), None, f"cannot import the file ({type(exc).__name__}: {exc})"
            )
    if progress is not None and not summary.cancelled:
        progress(len(files), len(files), "")
    return summary


def _reset(result: FileSummary) -> None:
    """A failed file stored nothing: its counts go back to zero."""
    keep_path, keep_format = result.path, result.format
    fresh = FileSummary(keep_path, keep_format)
    for name in fresh.__slots__:
        setattr(result, name, getattr(fresh, name))
