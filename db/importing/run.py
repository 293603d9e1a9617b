"""``import_paths``: find the files, parse each, store each in its own transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from db.importing.summary import ImportSummary
from db.project import Project

FORMATS = ("txt", "html", "jsonl", "doccano", "labelstudio")

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


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
    """Import files and folders into ``project``; a bad file is reported and the others still import."""
    raise NotImplementedError("being written")
