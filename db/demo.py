"""The demo project: the Serrow Strait corpus, imported once into the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from db.errors import NewsmarkError
from db.project import PROJECT_SUFFIX, open_project
from db.resources import resource

DATA_DIR_ENV = "NEWSMARK_DATA_DIR"
DEMO_ANNOTATOR = "demo"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(user_data_dir("Newsmark"))


def demo_project_path() -> Path:
    return data_dir() / f"demo{PROJECT_SUFFIX}"


def demo_corpus_path() -> Path:
    return resource("demo", "demo.jsonl")


def ensure_demo_project() -> Path:
    """The demo project's path, creating it from ``resources/demo/demo.jsonl`` if it is missing."""
    from db.importing import import_paths

    path = demo_project_path()
    if path.exists() and path.stat().st_size > 0:
        return path
    corpus = demo_corpus_path()
    if not corpus.is_file():
        raise NewsmarkError(f"The demo corpus is missing ({corpus}); reinstall Newsmark.")
    # Build beside the target and move into place, so a half-made demo is never left behind.
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    project = open_project(tmp)
    try:
        summary = import_paths(project, [corpus], annotator=DEMO_ANNOTATOR)
        with project.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        project.close()
    if summary.errors:
        tmp.unlink(missing_ok=True)
        raise NewsmarkError(f"The demo corpus could not be imported: {summary.errors[0]}")
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    tmp.replace(path)
    return path
