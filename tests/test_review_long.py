"""Review mode on a long article: the first screen comes at once, the queue a moment later, and
whatever the reviewer does before the queue is whole acts on the whole queue."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from db.annotators import ensure_annotator
from db.articles import add_article
from db.labels import label_by_key
from db.layer_diff import disagreement_queue
from db.project import Project
from db.spans import insert_span, spans_for_article
from desktop.project_events import ProjectEvents
from desktop.reader_pane import ReaderPane
from desktop.review_bar import ReviewBar
from desktop.review_mode import ReviewController

PARAGRAPHS = 200
SENTENCE = "The minister said the strait was safe for every ship. "


def long_text() -> str:
    return "\n\n".join(f"Paragraph {p}. " + SENTENCE * 3 for p in range(PARAGRAPHS))


def make_long_article(project: Project, title: str = "Long") -> int:
    """alice marks the first sentence of every paragraph; bob agrees on one in three, labels
    another one in three differently and leaves the rest out."""
    text = long_text()
    with project.write() as s:
        article, _ = add_article(s, text, title=title, outlet="Daily")
        alice, bob = ensure_annotator(s, "alice").id, ensure_annotator(s, "bob").id
        claim, fact = label_by_key(s, "CLAIM").id, label_by_key(s, "FACT").id
        start = 0
        for p in range(PARAGRAPHS):
            start = text.index(SENTENCE, text.index(f"Paragraph {p}. ", start))
            end = start + len(SENTENCE) - 1
            insert_span(s, article, alice, claim, start, end)
            if p % 3 == 0:
                insert_span(s, article, bob, claim, start, end)
            elif p % 3 == 1:
                insert_span(s, article, bob, fact, start, end)
        return article.id


@pytest.fixture
def long_review(qtbot, project):  # type: ignore[no-untyped-def]
    aid = make_long_article(project)
    pane = ReaderPane(project, QUndoStack(), ProjectEvents(), "rita")
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    qtbot.waitExposed(pane)
    controller = ReviewController(project, pane.undo_stack, pane.events, "rita")
    controller.drive(pane)
    bar = ReviewBar(controller)
    qtbot.addWidget(bar)
    bar.show()
    controller.start("alice", "bob")
    pane.show_article(aid)
    pane.view.setFocus()
    return pane, aid, controller, bar


def first_items(project: Project, aid: int) -> list[tuple[int | None, int | None]]:
    return [
        (x.a.id if x.a else None, x.b.id if x.b else None)
        for x in disagreement_queue(project, [aid], "alice", "bob")
    ]


def queue_ids(controller: ReviewController) -> list[tuple[int | None, int | None]]:
    return [(x.a.id if x.a else None, x.b.id if x.b else None) for x in controller.model.items()]


def gold(project: Project, aid: int) -> list[tuple[int, str]]:
    return [(x.start, x.label) for x in spans_for_article(project, aid, ["gold"])]


def test_the_first_screen_shows_its_differences_and_the_queue_follows(qtbot, long_review, project) -> None:
    pane, aid, controller, bar = long_review
    assert controller.pending  # a long article: the queue comes on the next turns
    assert pane.view.review_styles  # ...but the first screen already shows its differences
    assert bar.progress.text() == "Comparing the layers…"
    qtbot.waitUntil(lambda: not controller.pending)
    expected = first_items(project, aid)
    assert len(expected) == PARAGRAPHS - (PARAGRAPHS + 2) // 3
    assert queue_ids(controller) == expected
    assert len(pane.view.review_styles) == len(pane.view.index) == PARAGRAPHS + 2 * ((PARAGRAPHS + 1) // 3)
    assert controller.row == 0 and pane.view.selected_span_id() == expected[0][0]
    assert bar.progress.text() == f"0 of {len(expected)} decided"


def test_next_before_the_queue_is_whole_goes_where_it_would_have(qtbot, long_review, project) -> None:
    pane, aid, controller, _bar = long_review
    assert controller.pending
    qtbot.keyClick(pane.view, Qt.Key.Key_BracketRight)
    assert not controller.pending and controller.row == 1  # the queue was finished first
    expected = first_items(project, aid)
    assert queue_ids(controller) == expected
    assert pane.view.selected_span_id() == expected[1][0]
    qtbot.wait(50)  # the steps still queued on the event loop change nothing
    assert controller.row == 1 and queue_ids(controller) == expected


def test_accept_before_the_queue_is_whole_decides_the_first_item(qtbot, long_review, project) -> None:
    pane, aid, controller, _bar = long_review
    assert controller.pending
    qtbot.keyClick(pane.view, "1")
    first = controller.model.item(0)
    assert first is not None and first.a is not None
    assert gold(project, aid) == [(first.a.start, first.a.label)]
    assert controller.row == 1
    qtbot.wait(50)
    assert controller.row == 1 and controller.model.decided() == 1
    pane.undo_stack.undo()
    assert gold(project, aid) == [] and controller.model.decided() == 0 and controller.row == 0


def test_another_article_before_the_queue_is_whole(qtbot, long_review, project) -> None:
    pane, _aid, controller, _bar = long_review
    other = make_long_article(project, "Other")
    pane.show_article(other)  # before the first article's queue was built
    qtbot.waitUntil(lambda: not controller.pending)
    qtbot.wait(50)
    assert controller.article_id == other
    assert queue_ids(controller) == first_items(project, other)
    assert {x.article_id for x in controller.model.items()} == {other}


def test_ending_the_review_before_the_queue_is_whole(qtbot, long_review) -> None:
    pane, _aid, controller, _bar = long_review
    controller.stop()
    qtbot.wait(50)
    assert controller.model.rowCount() == 0 and pane.view.review_styles == {}
    assert not controller.active
    assert not controller.pending


def test_a_bar_shown_while_the_queue_comes_shows_it_when_it_is_there(qtbot, project) -> None:
    aid = make_long_article(project)
    pane = ReaderPane(project, QUndoStack(), ProjectEvents(), "rita")
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    controller = ReviewController(project, pane.undo_stack, pane.events, "rita")
    controller.drive(pane)
    controller.start("alice", "bob")
    pane.show_article(aid)
    bar = ReviewBar(controller)
    qtbot.addWidget(bar)
    bar.show()  # while the queue is still coming
    assert controller.pending and bar.progress.text() == "Comparing the layers…"
    qtbot.waitUntil(lambda: bar.table.isVisible() and bar.card_a.isVisible())
    assert bar.table.model().rowCount() == len(first_items(project, aid))
    assert bar.position.text() == f"1 / {len(first_items(project, aid))}"
    assert "Label differs" in bar.kind.text() and "CLAIM" in bar.card_a.body.text()
    assert "FACT" in bar.card_b.body.text()


def test_starting_a_review_on_an_open_long_article_scrolled_down(qtbot, project) -> None:
    """The spans on screen get their differences at once, wherever the reader is scrolled to;
    the queue follows."""
    aid = make_long_article(project)
    pane = ReaderPane(project, QUndoStack(), ProjectEvents(), "rita")
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    pane.show_article(aid)
    qtbot.waitUntil(lambda: pane.all_spans_loaded)
    bar_value = pane.view.verticalScrollBar().maximum() * 2 // 3
    pane.view.verticalScrollBar().setValue(bar_value)
    controller = ReviewController(project, pane.undo_stack, pane.events, "rita")
    controller.drive(pane)
    controller.start("alice", "bob")
    assert controller.pending and not pane.all_spans_loaded
    on_screen = pane.view.visible_span_ids()
    assert on_screen and all(x in pane.view.review_styles for x in on_screen)
    qtbot.waitUntil(lambda: not controller.pending)
    assert queue_ids(controller) == first_items(project, aid)
    assert len(pane.view.index) == len(pane.view.review_styles) == PARAGRAPHS + 2 * ((PARAGRAPHS + 1) // 3)
    # the first open item is selected and scrolled to; the walk goes on from there
    assert pane.view.selected_span_id() == first_items(project, aid)[0][0]
