"""db.quickread: the first screen's rows read with sqlite3 are the rows db.corpus gives."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from db import corpus
from db.labels import list_labels
from db.quickread import ORDERS, open_quick
from tests.app_corpus import fill

# quickread reads SQLite project files only (a URL takes the normal path, tested in test_app_startup)
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parent.parent


def _rows(rows):
    return [tuple(r) if isinstance(r, tuple) else dataclasses.astuple(r) for r in rows]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("annotator", [None, "alice", "bob", "nobody"])
def test_every_level_matches_db_corpus(project, order, annotator):
    fill(project)
    flt = corpus.CorpusFilter(order=corpus.ArticleOrder(order), annotator=annotator)
    quick = open_quick(project.path, order, annotator)
    assert quick is not None
    try:
        stories = quick.stories()
        expected = [r[:-1] for r in _rows(corpus.stories(project, flt, with_counts=False))]
        assert [r[:-1] for r in _rows(stories)] == expected  # all but the story's first date
        assert all(s.first_published is None for s in stories)  # not shown, not read
        for story in stories:
            outlets = quick.outlets(story.id)
            assert _rows(outlets) == _rows(corpus.outlets(project, story.id, flt))
            whole = {k: _rows(v) for k, v in quick.story_articles(story.id).items()}
            assert whole == {k: _rows(v) for k, v in corpus.story_articles(project, story.id, flt).items()}
            for outlet in outlets:
                for offset, limit in ((0, 200), (1, 1)):
                    page = quick.articles(story.id, outlet.id, offset=offset, limit=limit)
                    expected = corpus.articles(project, story.id, outlet.id, flt, offset=offset, limit=limit)
                    assert _rows(page) == _rows(expected)
                    for row in page:
                        where = corpus.locate(project, row.id)
                        assert quick.locate(row.id) == (where.story_id, where.outlet_id)
        assert quick.labels() == list_labels(project)
        assert quick.totals() == corpus.corpus_totals(project)
        assert quick.locate(10_000) is None
    finally:
        quick.close()


def test_anything_but_a_project_at_the_schema_head_takes_the_normal_path(tmp_path, project):
    old = tmp_path / "old.newsmark"
    shutil.copyfile(ROOT / "tests" / "data" / "schema_0005.newsmark", old)
    before = old.read_bytes()
    assert open_quick(old) is None  # needs open_project's backup and migration first
    assert old.read_bytes() == before
    notes = tmp_path / "notes.newsmark"
    notes.write_text("not a database")
    other = tmp_path / "other.sqlite"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    empty = tmp_path / "empty.newsmark"
    empty.touch()
    for location in (
        None,
        "postgresql://localhost/news",
        tmp_path / "missing.newsmark",
        notes,
        other,
        empty,
        tmp_path,
    ):
        assert open_quick(location) is None
    assert open_quick(project.path) is not None


def test_reading_changes_nothing_in_the_file(project):
    fill(project)
    project.close()
    path = project.path
    before = path.read_bytes()
    quick = open_quick(path, "date", "alice")
    assert quick is not None
    for story in quick.stories():
        quick.story_articles(story.id)
    quick.close()
    assert path.read_bytes() == before
