"""The corpus navigator model: a lazy story / outlet / article tree that re-queries to filter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from db.corpus import ArticleOrder, CorpusFilter
from db.labels import list_labels
from db.spans import add_span
from desktop import navigator_model
from desktop.label_chips import CHIPS_ROLE
from desktop.navigator_model import NavigatorModel
from tests.app_corpus import fill


@pytest.fixture
def ids(project):
    return fill(project)


@pytest.fixture
def model(project, ids):
    return NavigatorModel(project, list_labels(project))


def _titles(model, parent):
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def _expand_all(model, parent=None):
    parent = parent or QModelIndex()
    while model.canFetchMore(parent):
        model.fetchMore(parent)
    for r in range(model.rowCount(parent)):
        _expand_all(model, model.index(r, 0, parent))


def test_the_model_passes_qtmodeltester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)
    _expand_all(model)
    qtmodeltester.check(model, force_py=True)


def test_stories_then_outlets_then_articles_with_no_story_last(model):
    assert _titles(model, QModelIndex()) == ["Harbour strike", "Strait launch", "(no story)"]
    strait = model.index(1, 0)
    assert model.rowCount(strait) == 0 and model.canFetchMore(strait)  # lazy
    model.fetchMore(strait)
    # by date: Civic Wire and the Ledger both reported on the 9th
    assert _titles(model, strait) == ["Civic Wire", "Northgate Ledger"]
    civic = model.index(0, 0, strait)
    model.fetchMore(civic)
    assert _titles(model, civic) == ["Dovrenia condemns launch", "Talks cancelled"]
    loose = model.index(2, 0)
    model.fetchMore(loose)
    assert _titles(model, loose) == ["Kestria Today", "(no outlet)"]
    nothing = model.index(1, 0, loose)
    model.fetchMore(nothing)
    assert _titles(model, nothing) == ["(untitled)"]


def test_span_counts_per_label_show_in_the_second_column(model, ids):
    found = model.index_for_article(ids["Dovrenia condemns launch"])
    counts_cell = found.siblingAtColumn(1)
    assert counts_cell.data() == "1 C · 1 A · 1 F"
    chips = counts_cell.data(CHIPS_ROLE)
    assert [(c.text, c.color) for c in chips] == [("1", "#e4572e"), ("1", "#2e86de"), ("1", "#27ae60")]
    assert model.index(1, 0).siblingAtColumn(1).data() == "1 C · 2 A · 1 F"  # the story sums its articles
    assert found.siblingAtColumn(2).data() == "2023-11-09"


def test_counting_only_my_layer(project, model, ids):
    model.set_filter(CorpusFilter(annotator="bob"))
    assert model.index(1, 0).siblingAtColumn(1).data() == "1 A"


def test_filter_narrows_the_rows_by_title_outlet_or_text(model):
    model.set_filter(CorpusFilter("lunnemark"))  # only in a text
    _expand_all(model)
    assert _titles(model, QModelIndex()) == ["Strait launch"]
    strait = model.index(0, 0)
    assert _titles(model, strait) == ["Civic Wire"]
    assert _titles(model, model.index(0, 0, strait)) == ["Talks cancelled"]

    model.set_filter(CorpusFilter("kestria today"))  # an outlet
    _expand_all(model)
    assert _titles(model, QModelIndex()) == ["Harbour strike", "(no story)"]

    model.set_filter(CorpusFilter("100%_nothing"))  # LIKE wildcards are taken literally
    assert model.rowCount() == 0


def test_sorting_by_title(model):
    model.set_filter(CorpusFilter(order=ArticleOrder.TITLE))
    strike = model.index(0, 0)
    model.fetchMore(strike)
    assert _titles(model, strike) == ["Kestria Today", "Northgate Ledger"]


def test_next_and_previous_article_walk_the_whole_tree(model, ids):
    seen = []
    index = model.first_article()
    while index.isValid():
        seen.append(index.data())
        index = model.neighbour(index, 1)
    assert seen == [
        "Dock workers strike",
        "Strike ends early",
        "Dovrenia condemns launch",
        "Talks cancelled",
        "Analysts weigh in",
        "Loose item",
        "(untitled)",
    ]
    back = model.index_for_article(ids["Loose item"])
    assert model.neighbour(back, -1).data() == "Analysts weigh in"
    assert model.neighbour(model.first_article(), -1).isValid() is False


def test_articles_come_a_page_at_a_time(project, monkeypatch):
    from db.articles import add_article

    with project.write() as s:
        for i in range(25):
            add_article(s, f"Article number {i} text.", title=f"A{i:02}", outlet="Wire", story="Big")
    monkeypatch.setattr(navigator_model, "PAGE_SIZE", 10)
    model = NavigatorModel(project, list_labels(project))
    story = model.index(0, 0)
    model.fetchMore(story)
    wire = model.index(0, 0, story)
    model.fetchMore(wire)
    assert model.rowCount(wire) == 10 and model.canFetchMore(wire)
    found = model.index_for_article(_id_of(project, "A22"))
    assert found.data() == "A22"
    assert model.rowCount(wire) == 30 - 5  # three pages loaded, not more
    assert model.neighbour(found, 1).data() == "A23"
    assert model.neighbour(model.index_for_article(_id_of(project, "A24")), 1).isValid() is False


def _id_of(project, title):
    from sqlalchemy import select

    from db.models import Article

    with project.read() as s:
        return s.scalar(select(Article.id).where(Article.title == title))


def test_counts_follow_an_edit(model, project, ids):
    aid = ids["Talks cancelled"]
    index = model.index_for_article(aid)
    assert index.siblingAtColumn(1).data() == ""
    add_span(project, aid, 0, 9, "ATTRIBUTION", "alice")
    model.refresh_counts(aid)
    assert model.index_for_article(aid).siblingAtColumn(1).data() == "1 A"
    assert model.index(1, 0).siblingAtColumn(1).data(Qt.ItemDataRole.DisplayRole) == "1 C · 3 A · 1 F"


# -- stories shown a page at a time ------------------------------------------------------------


@pytest.fixture
def paged(project, ids, monkeypatch):
    monkeypatch.setattr(navigator_model, "STORY_PAGE", 1)
    return NavigatorModel(project, list_labels(project))


def test_stories_come_a_page_at_a_time_with_the_totals_of_all(paged):
    assert _titles(paged, QModelIndex()) == ["Harbour strike"]
    assert paged.canFetchMore(QModelIndex())
    assert paged.story_total() == 3 and paged.article_total() == 7
    while paged.canFetchMore(QModelIndex()):
        paged.fetchMore(QModelIndex())
    assert _titles(paged, QModelIndex()) == ["Harbour strike", "Strait launch", "(no story)"]


def test_paged_stories_pass_qtmodeltester(qtmodeltester, paged):
    qtmodeltester.check(paged, force_py=True)
    _expand_all(paged)
    qtmodeltester.check(paged, force_py=True)


def test_an_article_of_a_story_not_shown_yet_is_found_and_the_walk_goes_on(paged, ids):
    found = paged.index_for_article(ids["Loose item"])
    assert found.data() == "Loose item"
    assert paged.rowCount() == 3  # the pages up to its story, shown
    seen = []
    index = paged.neighbour(QModelIndex(), 1)
    while index.isValid():
        seen.append(index.data())
        index = paged.neighbour(index, 1)
    assert len(seen) == 7
    assert paged.neighbour(found, -1).data() == "Analysts weigh in"


def test_walking_forward_shows_the_next_stories(paged):
    seen = []
    index = paged.first_article()
    while index.isValid():
        seen.append(index.data())
        index = paged.neighbour(index, 1)
    assert seen[-2:] == ["Loose item", "(untitled)"]


def test_story_counts_reach_the_stories_not_shown_yet(paged):
    paged.set_story_counts(paged.corpus_filter, {None: {"CLAIM": 4}})  # (no story): not shown yet
    while paged.canFetchMore(QModelIndex()):
        paged.fetchMore(QModelIndex())
    assert paged.index(2, 0).data() == "(no story)"
    assert paged.index(2, 0).siblingAtColumn(1).data() == "4 C"


def test_the_navigator_counts_every_story_and_shows_more_as_it_scrolls(qtbot, project, ids, monkeypatch):
    from desktop.navigator import Navigator

    monkeypatch.setattr(navigator_model, "STORY_PAGE", 1)
    nav = Navigator(project, list_labels(project))
    qtbot.addWidget(nav)
    assert nav.summary.text() == "7 articles in 3 stories"
    nav.resize(400, 600)
    nav.show()
    # The view asks for more rows while its viewport is not filled.
    qtbot.waitUntil(lambda: nav.model.rowCount() == 3)
    assert nav.select_article(ids["Loose item"])
    assert nav.tree.currentIndex().data() == "Loose item"


def test_a_story_open_beyond_the_first_page_stays_open_after_a_reload(qtbot, project, ids, monkeypatch):
    from desktop.navigator import Navigator

    monkeypatch.setattr(navigator_model, "STORY_PAGE", 1)
    nav = Navigator(project, list_labels(project))
    qtbot.addWidget(nav)
    while nav.model.canFetchMore(QModelIndex()):
        nav.model.fetchMore(QModelIndex())
    loose = nav.model.index(2, 0)
    assert loose.data() == "(no story)"
    nav.tree.expand(loose)
    nav.reload()  # what an import does: the stories are read again, one page shown
    loose = nav.model.index(2, 0)
    assert loose.data() == "(no story)" and nav.tree.isExpanded(loose)
    assert not nav.tree.isExpanded(nav.model.index(0, 0))
