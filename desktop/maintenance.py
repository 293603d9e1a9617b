"""Background upkeep of the open project: work that makes later actions fast.

After a project opens and after each import, ``start_maintenance`` runs every registered task, one
after another, in a single low-priority background job (see ``desktop.jobs``). A task is a headless
function from ``db`` that takes the project and a ``cancelled()`` callable, does its work in short
write transactions, and returns early, leaving the project consistent, when ``cancelled()`` turns
true (the project closing, the app quitting). Tasks must be idempotent: a task that finds nothing to
do returns at once, so running maintenance again costs next to nothing.

The tasks are listed in ``tasks()`` (a name, and the function, imported there lazily). Nothing in
the user's data depends on a task having run: each only prepares what a later action would
otherwise compute on demand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from db.project import Project

Task = Callable[[Project, Callable[[], bool]], Any]


def tasks(*, prepare_export_tokens: bool | None = None) -> list[tuple[str, Task]]:
    """(name, task) for every piece of upkeep, in the order they run.

    ``prepare_export_tokens`` (default: the user's setting) adds the spaCy tokens of every
    article, so that the first JSONL or spaCy export is as fast as the next ones. They take about
    nine times the articles' text in the project file, so the user can turn this off."""
    found: list[tuple[str, Task]] = []
    from db.text_index import catch_up as index_article_texts

    found.append(("Indexing article texts", index_article_texts))
    if prepare_export_tokens is None:
        from desktop.settings import Settings

        prepare_export_tokens = Settings().prepare_export_tokens
    if prepare_export_tokens:
        from db.exporting.tokens import warm_token_cache

        found.append(("Tokenizing articles for export", warm_token_cache))
    return found


def start_maintenance(runner: Any, project: Project | None) -> Any:
    """Run every task of ``tasks()`` on ``project`` in one background job; returns the job or None."""
    todo = tasks()
    if project is None or not todo:
        return None

    def work(p: Project, job: Any) -> None:
        for _name, task in todo:
            if job.is_cancelled():
                return
            task(p, job.is_cancelled)

    return runner.start(project, work, "Preparing the project")
