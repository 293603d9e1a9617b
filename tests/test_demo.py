"""The demo project: built once from resources/demo/demo.jsonl into the user's data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.demo import DATA_DIR_ENV, demo_project_path, ensure_demo_project
from db.links import links_for_articles
from db.project import open_project
from db.stats import project_stats


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    return tmp_path / "data"


def test_demo_project_lives_in_the_data_folder(data_dir: Path) -> None:
    assert demo_project_path() == data_dir / "demo.newsmark"


def test_demo_project_is_created_with_five_outlets_one_story_and_cross_outlet_links(data_dir: Path) -> None:
    path = ensure_demo_project()
    assert path.exists() and sorted(p.name for p in data_dir.iterdir()) == ["demo.newsmark"]
    with open_project(path, create=False) as project:
        stats = project_stats(project)
        with project.read() as s:
            from sqlalchemy import select

            from db.models import Article

            ids = list(s.scalars(select(Article.id)))
        links = links_for_articles(project, ids)
    assert stats["articles"] == 5 and stats["stories"] == 1
    assert len(stats["articles_per_outlet"]) == 5
    assert stats["annotators"] == ["demo"]
    assert stats["spans"] > 40 and stats["links"] > 20
    assert any(ln.source_article_id != ln.target_article_id for ln in links)
    assert stats["links_per_type"]["SAME_CLAIM"] > 0


def test_an_existing_demo_project_is_left_as_it_is(data_dir: Path) -> None:
    path = ensure_demo_project()
    with open_project(path, create=False) as project:
        from db.spans import delete_span, spans_for_article

        first = spans_for_article(project, 1)[0]
        delete_span(project, first.id)
        before = project_stats(project)["spans"]
    assert ensure_demo_project() == path
    with open_project(path, create=False) as project:
        assert project_stats(project)["spans"] == before
