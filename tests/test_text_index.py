"""The trigram index of article texts: filters and corpus search find exactly what a scan finds,
whether the index is empty, partly filled or complete, and it stays right as articles come and go."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from db import corpus, text_index
from db.articles import add_article
from db.corpus import CorpusFilter
from db.models import Article
from db.project import open_project

TEXTS = [
    # (title, outlet, story, text)
    ("Morning", "Le Monde", "Cafés", "Un café au lait, s'il vous plaît. Über-Straße nach Zürich."),
    ("Loud", "Le Monde", "Cafés", "CAFÉ CRÈME ON THE TERRACE, ZÜRICH."),
    ("Tokyo", "Asahi", None, "東京都の知事が記者会見で発表した。大阪も。"),
    ("Party", None, "Emoji", "The launch 🚀🎉 went well; fans cheered 😀😀😀 all night."),
    ("Long s", "Archive", None, "He did aſk the Kelvin \u212aeeper about 50% of the a_b fund."),
    ("Quotes", "Archive", None, 'The minister said "no comment" and left; 100% sure.'),
    ("Plain", "Harbor Times", "Strait", "Officials said the strait stays open to shipping."),
    ("Mixed", "Harbor Times", "Strait", "The STRAIT is Open, officials Said; ships sail."),
]
NEEDLES = [
    "café",
    "CAFÉ",
    "Café au",
    "zürich",
    "ZÜRICH",
    "straße",
    "東京都",
    "東京",
    "大阪",
    "🚀🎉",
    "😀😀😀",
    "😀",
    "ask",
    "aſk",
    "keeper",
    "\u212aeeper",
    "50%",
    "0%",
    "a_b",
    "ab",
    '"no comment"',
    '" and',
    "strait",
    "STRAIT IS",
    "officials said",
    "harbor",
    "le monde",
    "cafés",
    "emoji",
    "nothing like this",
    "  open  ",
]


def _ascii_fold(s: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


def _expected(needle: str) -> set[str]:
    """Titles of the articles that SQLite's LIKE would match: ASCII letters ignore case, nothing else."""
    n = _ascii_fold(needle.strip())
    return {
        title
        for title, outlet, story, text in TEXTS
        if any(n in _ascii_fold(field or "") for field in (title, outlet, story, text))
    }


def _found(project, needle: str) -> set[str]:
    flt = CorpusFilter(needle)
    titles = set()
    for story in corpus.stories(project, flt):
        for rows in corpus.story_articles(project, story.id, flt).values():
            titles |= {r.title for r in rows}
    return titles


def _searched(project, needle: str) -> set[tuple[str, int]]:
    return {(hit.title, hit.start) for hit in corpus.search(project, needle, limit=1000)}


@pytest.fixture
def filled(project):
    with project.write() as s:
        for title, outlet, story, text in TEXTS:
            add_article(s, text, title=title, outlet=outlet, story=story)
    return project


def _state(project) -> dict[str, object]:
    return {
        needle: (
            _found(project, needle),
            _searched(project, needle),
            corpus.stories(project, CorpusFilter(needle)),
        )
        for needle in NEEDLES
    }


@pytest.mark.sqlite_only
def test_the_filter_finds_what_a_scan_finds_before_during_and_after_indexing(filled, monkeypatch):
    assert text_index.status(filled) == text_index.IndexStatus(0, len(TEXTS))
    unindexed = _state(filled)
    for needle in NEEDLES:
        assert unindexed[needle][0] == _expected(needle), needle

    # Part of the way: three articles a batch, stopped after the first batch.
    monkeypatch.setattr(text_index, "BATCH_ARTICLES", 3)
    batches = iter([False, True])
    assert text_index.catch_up(filled, lambda: next(batches)) == 3
    assert text_index.status(filled) == text_index.IndexStatus(3, len(TEXTS))
    assert _state(filled) == unindexed

    assert text_index.catch_up(filled) == len(TEXTS) - 3
    assert text_index.status(filled).complete
    assert _state(filled) == unindexed
    assert text_index.catch_up(filled) == 0  # nothing left to do


@pytest.mark.sqlite_only
def test_wide_queries_use_the_index_and_agree_with_a_story_read_whole(filled, monkeypatch):
    text_index.catch_up(filled)
    # Every scope counts as wide: the per-story queries go through the index too.
    monkeypatch.setattr(corpus, "WIDE_SCOPE", 0)
    for needle in NEEDLES:
        flt = CorpusFilter(needle)
        paged = set()
        for story in corpus.stories(filled, flt):
            for outlet in corpus.outlets(filled, story.id, flt):
                rows = corpus.articles(filled, story.id, outlet.id, flt)
                assert len(rows) == outlet.articles
                paged |= {r.title for r in rows}
        assert paged == _expected(needle), needle


@pytest.mark.sqlite_only
def test_a_deleted_article_leaves_the_index_and_a_reused_id_is_indexed_at_once(filled):
    text_index.catch_up(filled)
    with filled.write() as s:
        last = s.scalars(sa.select(Article).order_by(Article.id.desc())).first()
        last_id = last.id
        s.delete(last)
    assert "Mixed" not in _found(filled, "ships sail")
    with filled.write() as s:
        article, _ = add_article(s, "A brand new text about ferries.", title="Ferries", outlet="Harbor Times")
        assert article.id == last_id  # SQLite gave the deleted article's id again
    assert _found(filled, "ferries") == {"Ferries"}
    assert _found(filled, "ships sail") == set()
    assert text_index.status(filled).complete
    with filled.engine.connect() as conn:
        conn.exec_driver_sql(
            f"INSERT INTO {text_index.INDEX_TABLE} ({text_index.INDEX_TABLE}, rank) VALUES ('integrity-check', 0)"
        )


@pytest.mark.sqlite_only
def test_articles_imported_after_indexing_are_found_before_the_next_catch_up(filled):
    text_index.catch_up(filled)
    with filled.write() as s:
        add_article(s, "Late news: the ferry to Zürich is late.", title="Late", story="Cafés")
    assert text_index.status(filled) == text_index.IndexStatus(len(TEXTS), len(TEXTS) + 1)
    assert _found(filled, "ferry to") == {"Late"}
    assert _found(filled, "zürich") == {"Morning", "Late"}
    text_index.catch_up(filled)
    assert _found(filled, "ferry to") == {"Late"}


def test_the_filter_finds_texts_on_every_backend(filled):
    """Without an index (PostgreSQL) or with one (SQLite), the ASCII cases agree."""
    text_index.catch_up(filled)
    assert _found(filled, "OFFICIALS said") == {"Plain", "Mixed"}
    assert _found(filled, "東京都") == {"Tokyo"}
    assert _found(filled, "😀😀😀") == {"Party"}
    assert [(h.title, h.match) for h in corpus.search(filled, "strait")] == [
        ("Plain", "strait"),
        ("Mixed", "STRAIT"),
    ]


@pytest.mark.sqlite_only
def test_cancelling_stops_between_batches_and_leaves_the_project_consistent(filled, monkeypatch):
    monkeypatch.setattr(text_index, "BATCH_ARTICLES", 2)
    assert text_index.catch_up(filled, lambda: True) == 0
    assert text_index.status(filled).indexed == 0
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    assert text_index.catch_up(filled, cancelled) == 4
    assert text_index.status(filled).indexed == 4


@pytest.mark.sqlite_only
def test_a_schema_0005_project_gets_an_empty_index_filled_by_catch_up(tmp_path):
    fixture = Path(__file__).parent / "data" / "schema_0005.newsmark"
    path = tmp_path / "old.newsmark"
    shutil.copyfile(fixture, path)
    project = open_project(path)
    try:
        assert text_index.status(project) == text_index.IndexStatus(0, 1)
        assert _found(project, "no ships were") == {"Ships"}
        assert text_index.catch_up(project) == 1
        assert _found(project, "no ships were") == {"Ships"}
        assert _found(project, "MINISTRY") == {"Ships"}
        assert _found(project, "harbor") == {"Ships"}
        assert _found(project, "missiles") == set()
    finally:
        project.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


@pytest.mark.sqlite_only
def test_without_fts5_the_migration_adds_nothing_and_filters_scan(tmp_path, monkeypatch):
    monkeypatch.setattr(text_index, "sqlite_supports_index", lambda: False)
    project = open_project(tmp_path / "plain.newsmark")
    try:
        with project.write() as s:
            add_article(s, "Officials said the strait stays open.", title="Plain")
        assert text_index.status(project) is None
        assert text_index.catch_up(project) == 0
        assert _found(project, "STRAIT stays") == {"Plain"}
        assert [h.match for h in corpus.search(project, "strait")] == ["strait"]
    finally:
        project.close()
