"""A team project on PostgreSQL: four annotator processes writing at once lose nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.articles import add_article
from db.project import open_project
from db.spans import spans_for_article
from tests.test_durability import _read_journal, _replay, _worker
from tests.workers.edit_worker import TEXTS

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_four_annotators_write_to_one_postgres_project_at_once(pg_url: str, tmp_path: Path) -> None:
    project = open_project(pg_url)
    with project.write() as s:
        ids = [add_article(s, text, title=f"Article {i}")[0].id for i, text in enumerate(TEXTS)]
    procs = [
        _worker(pg_url, tmp_path / f"j{i}.jsonl", seed=100 + i, max_edits=80, annotator=f"analyst{i}")
        for i in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    try:
        for i in range(4):
            done, pending = _read_journal(tmp_path / f"j{i}.jsonl")
            assert pending is None and len(done) == 80
            expected, _ = _replay(done)
            actual = {
                sp.uid: (sp.article_id, sp.start, sp.end, sp.label)
                for a in ids
                for sp in spans_for_article(project, a, [f"analyst{i}"])
            }
            assert actual == expected
    finally:
        project.close()
