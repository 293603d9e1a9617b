"""Merging a colleague's project: what comes across, what is skipped, twice is once, their file untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.articles import add_article
from db.errors import NewsmarkError
from db.links import add_link, links_for_articles
from db.merge import merge_project
from db.models import ArticleReview, Review
from db.project import Project, open_project
from db.review import mark_article_reviewed, review_span, reviews_for
from db.spans import add_span, spans_for_article

pytestmark = pytest.mark.sqlite_only

SHARED = "Minister Ana Ruiz said the strait is safe. Analysts warned of a build-up."
THEIRS_ONLY = "Trade fell nine percent. The navy patrols the coast daily."


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def colleague(tmp_path: Path, project_path: Path) -> Path:
    """carol's project: the shared article plus one of her own, her spans and link, her review
    of dan's span, the article marked reviewed, and her copy of the merging analyst's layer."""
    path = tmp_path / "carol.newsmark"
    path.write_bytes(project_path.read_bytes())
    with open_project(path) as other:
        with other.write() as s:
            shared = add_article(s, SHARED, title="Strait", outlet="Daily", story="Strait")[0].id
            own = add_article(s, THEIRS_ONLY, title="Trade", outlet="Herald", story="Strait")[0].id
        att = add_span(other, shared, *at(SHARED, "Minister Ana Ruiz said"), "ATTRIBUTION", "carol").id
        claim = add_span(other, shared, *at(SHARED, "the strait is safe"), "CLAIM", "carol").id
        add_link(other, att, claim, "SOURCE_OF", "carol")
        fact = add_span(other, own, *at(THEIRS_ONLY, "Trade fell nine percent"), "FACT", "dan").id
        review_span(other, fact, "carol", "accept", "clear figure")
        mark_article_reviewed(other, own, "carol")
        add_span(other, shared, *at(SHARED, "Analysts warned"), "CLAIM", "me")  # her copy of my layer
    return path


def counts(project: Project) -> tuple[int, ...]:
    from db.models import Article, Link, Span

    with project.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(table)) or 0
            for table in (Article, Span, Link, Review, ArticleReview)
        )


def test_merge_brings_their_layers_and_twice_is_once(project: Project, colleague: Path) -> None:
    with project.write() as s:
        shared = add_article(s, SHARED, title="Strait", outlet="Daily")[0].id
    mine = add_span(project, shared, *at(SHARED, "Analysts warned of a build-up"), "EXPERT_OPINION", "me").id
    # carol already sent me her attribution once, by file: same offsets and label, another uid
    add_span(project, shared, *at(SHARED, "Minister Ana Ruiz said"), "ATTRIBUTION", "carol")
    before = digest(colleague)

    summary = merge_project(project, colleague, own_layer="me")
    assert (summary.articles_added, summary.articles_matched) == (1, 1)
    # her claim, dan's fact and its gold copy; her attribution was already here
    assert (summary.spans_added, summary.spans_skipped) == (3, 1)
    assert (summary.links_added, summary.reviews_added, summary.article_reviews_added) == (1, 1, 1)
    assert summary.layers == ("carol", "dan", "gold")
    assert digest(colleague) == before  # their file is never written

    # my layer is exactly as I left it
    assert [x.id for x in spans_for_article(project, shared, ["me"])] == [mine]
    carol = spans_for_article(project, shared, ["carol"])
    assert [(x.label, x.text) for x in carol] == [
        ("ATTRIBUTION", "Minister Ana Ruiz said"),
        ("CLAIM", "the strait is safe"),
    ]
    # the link joins the spans as they are here (the attribution that was already present)
    (link,) = [x for x in links_for_articles(project, [shared]) if x.annotator == "carol"]
    assert {link.source_span_id, link.target_span_id} == {x.id for x in carol}
    # the review and the gold copy came with dan's span
    from db.articles import article_id_by_uid
    from db.text import article_uid, text_sha256

    theirs = article_id_by_uid(project, article_uid(text_sha256(THEIRS_ONLY)))
    (fact,) = spans_for_article(project, theirs, ["dan"])
    (review,) = reviews_for(project, span_ids=[fact.id])
    assert (review.reviewer, review.verdict, review.comment) == ("carol", "accept", "clear figure")
    (gold,) = spans_for_article(project, theirs, ["gold"])
    assert review.gold_span_id == gold.id

    after_first = counts(project)
    again = merge_project(project, colleague, own_layer="me")
    assert not again.changed
    assert counts(project) == after_first


def test_merging_a_file_that_is_not_a_project(project: Project, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.newsmark"
    bogus.write_text("hello")
    with pytest.raises(NewsmarkError, match="not a Newsmark project"):
        merge_project(project, bogus)
    assert bogus.read_text() == "hello"
    with pytest.raises(NewsmarkError, match="no such project file"):
        merge_project(project, tmp_path / "missing.newsmark")


def test_merging_a_jsonl_export_twice_changes_nothing_the_second_time(
    project: Project, colleague: Path, tmp_path: Path
) -> None:
    from db.exporting import export
    from db.importing import import_paths

    out = tmp_path / "carol.jsonl"
    with open_project(colleague, create=False) as other:
        export(other, out, annotator="carol")
    import_paths(project, [out])
    first = counts(project)
    assert first[1] >= 2  # carol's spans came in
    import_paths(project, [out])
    assert counts(project) == first
