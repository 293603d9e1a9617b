"""db.corpus on every backend: the navigator's levels, counts per layer, paging and positions
under a filter (the GUI tests check the same through the model, on SQLite only)."""

from __future__ import annotations

import pytest

from db import corpus, text_index
from db.corpus import ArticleOrder, CorpusFilter
from tests.app_corpus import fill


@pytest.fixture
def ids(project):
    found = fill(project)
    text_index.catch_up(project)
    return found


def _story(project, name, flt):
    return next(g for g in corpus.stories(project, flt) if g.name == name)


def test_levels_and_counts_under_a_filter(project, ids):
    flt = CorpusFilter("said")
    stories = corpus.stories(project, flt)
    assert [(g.name, g.articles) for g in stories] == [("Harbour strike", 2), ("Strait launch", 2)]
    strait = _story(project, "Strait launch", flt)
    assert strait.counts == {"FACT": 1, "ATTRIBUTION": 1, "CLAIM": 1}
    outlets = corpus.outlets(project, strait.id, flt)
    assert [(o.name, o.articles, o.counts) for o in outlets] == [
        ("Civic Wire", 2, {"FACT": 1, "ATTRIBUTION": 1, "CLAIM": 1})
    ]
    rows = corpus.articles(project, strait.id, outlets[0].id, flt)
    assert [r.title for r in rows] == ["Dovrenia condemns launch", "Talks cancelled"]
    assert corpus.articles(project, strait.id, outlets[0].id, flt, offset=1, limit=1)[0].title == (
        "Talks cancelled"
    )
    whole = corpus.story_articles(project, strait.id, flt)
    assert [r.title for r in whole[outlets[0].id]] == ["Dovrenia condemns launch", "Talks cancelled"]
    assert corpus.article_position(project, ids["Talks cancelled"], flt) == 1
    assert corpus.article_position(project, ids["Analysts weigh in"], flt) is None


def test_counts_of_one_layer_and_of_chosen_stories(project, ids):
    bob = CorpusFilter(annotator="bob")
    strait = _story(project, "Strait launch", bob)
    assert strait.counts == {"ATTRIBUTION": 1}
    ledger = next(o for o in corpus.outlets(project, strait.id, bob) if o.name == "Northgate Ledger")
    assert ledger.counts == {"ATTRIBUTION": 1}
    counts = corpus.story_counts(project, CorpusFilter(), [strait.id, None])
    assert counts == {strait.id: {"FACT": 1, "ATTRIBUTION": 2, "CLAIM": 1}}
    assert corpus.story_counts(project, CorpusFilter(annotator="nobody")) == {}
    assert corpus.label_counts(project, [ids["Analysts weigh in"]], "bob") == {
        ids["Analysts weigh in"]: {"ATTRIBUTION": 1}
    }


def test_articles_without_story_or_outlet_under_a_filter(project, ids):
    flt = CorpusFilter("no outlet", ArticleOrder.TITLE)
    assert [(g.id, g.articles) for g in corpus.stories(project, flt)] == [(None, 1)]
    assert [(o.id, o.articles) for o in corpus.outlets(project, None, flt)] == [(None, 1)]
    assert [r.title for r in corpus.articles(project, None, None, flt)] == [""]
    assert corpus.article_position(project, ids[""], flt) == 0


@pytest.mark.parametrize("order", list(ArticleOrder))
@pytest.mark.parametrize(
    "flt_args",
    [(), ("said",), ("Civic",), ("Strait",), ("no outlet",), ("nothing like this",), ("", None, "bob")],
)
def test_stories_opened_together_hold_what_each_opened_alone_holds(project, ids, order, flt_args):
    text, *rest = flt_args or ("",)
    annotator = rest[1] if len(rest) > 1 else None
    flt = CorpusFilter(text, order, annotator)
    wanted = [g.id for g in corpus.stories(project, CorpusFilter(order=order))]
    assert None in wanted  # the fill has articles without a story: that group comes too
    together = corpus.story_contents(project, wanted, flt)
    assert set(together) == set(wanted)
    for story_id in wanted:
        outlets, by_outlet = together[story_id]
        assert outlets == corpus.outlets(project, story_id, flt)
        assert by_outlet == corpus.story_articles(project, story_id, flt)
