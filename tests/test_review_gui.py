"""Review mode in the reader: walking the queue with keys, verdicts into gold, undo, comments."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db.layer_diff import DiffKind
from db.links import add_link
from db.project import Project
from db.review import comments_for_annotator, reviews_for
from db.spans import add_span, spans_for_article
from desktop.review_bar import ReviewBar
from desktop.review_mode import ReviewController
from desktop.review_queue_model import ReviewQueueModel, Verdict
from tests.reader_helpers import ARTICLE, make_pane


def at(phrase: str) -> tuple[int, int]:
    start = ARTICLE.index(phrase)
    return start, start + len(phrase)


def gold(project: Project, aid: int) -> list[tuple[str, str]]:
    return [(x.text, x.label) for x in spans_for_article(project, aid, ["gold"])]


@pytest.fixture
def review(qtbot, project):  # type: ignore[no-untyped-def]
    """A reader on an article where alice and bob disagree four ways and agree once."""
    pane, aid = make_pane(qtbot, project, annotator="rita")
    add_span(project, aid, *at("Blinken said"), "ATTRIBUTION", "alice")
    add_span(project, aid, *at("Blinken said"), "ATTRIBUTION", "bob")  # agree
    add_span(project, aid, *at("the talks would resume next week"), "CLAIM", "alice")
    add_span(project, aid, *at("the talks would resume next week"), "FACT", "bob")  # label conflict
    add_span(project, aid, *at("The ministry insisted the missiles were never armed"), "CLAIM", "alice")
    add_span(project, aid, *at("the missiles were never armed"), "CLAIM", "bob")  # boundary
    add_span(project, aid, *at("Three missiles fell 40 km off the coast"), "FACT", "alice")  # only alice
    add_span(project, aid, *at("called the test a warning"), "EXPERT_OPINION", "bob")  # only bob
    pane.show_article(aid)
    controller = ReviewController(project, pane.undo_stack, pane.events, "rita")
    controller.drive(pane)
    bar = ReviewBar(controller)
    qtbot.addWidget(bar)
    bar.show()
    controller.start("alice", "bob")
    pane.view.setFocus()
    return pane, aid, controller, bar


def key(qtbot, widget, k, mods=Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, k, mods)


def test_the_queue_lists_the_disagreements_in_reading_order(review) -> None:
    pane, _aid, controller, bar = review
    kinds = [controller.model.item(r).kind for r in range(controller.model.rowCount())]
    assert kinds == [DiffKind.LABEL_CONFLICT, DiffKind.BOUNDARY, DiffKind.ONLY_A, DiffKind.ONLY_B]
    assert bar.position.text() == "1 / 4"
    # The reader shows both layers, each span marked with its difference.
    styles = set(pane.view.review_styles.values())
    assert {
        "agree/a",
        "agree/b",
        "label_conflict/a",
        "label_conflict/b",
        "boundary/a",
        "boundary/b",
    } <= styles
    assert {"only_a/a", "only_b/b"} <= styles
    assert sorted(pane.layers()) == ["alice", "bob"]


def test_keys_walk_the_queue_and_select_the_item_in_the_reader(qtbot, review) -> None:
    pane, _aid, controller, bar = review
    first = controller.current_item()
    assert pane.view.selected_span_id() == first.a.id
    key(qtbot, pane.view, "]")
    assert controller.row == 1 and bar.position.text() == "2 / 4"
    assert pane.view.selected_span().text == "The ministry insisted the missiles were never armed"
    key(qtbot, pane.view, "]")
    key(qtbot, pane.view, "]")
    assert pane.view.selected_span().text == "called the test a warning"  # only bob's: B's span
    key(qtbot, pane.view, "]")  # at the end it stays
    assert controller.row == 3
    key(qtbot, pane.view, "[")
    assert controller.row == 2
    # Down / Up in the queue table move too.
    bar.table.setFocus()
    key(qtbot, bar.table, Qt.Key.Key_Up)
    assert controller.row == 1


def test_accept_left_puts_alices_span_in_gold_and_ctrl_z_undoes_exactly(qtbot, review, project) -> None:
    pane, aid, controller, _bar = review
    key(qtbot, pane.view, "1")
    assert gold(project, aid) == [("the talks would resume next week", "CLAIM")]
    assert controller.row == 1  # moved on
    assert controller.model.state(0).verdict is Verdict.LEFT
    assert "✓ alice" in controller.model.index(0, 4).data()
    item = controller.model.item(0)
    verdicts = [(r.reviewer, r.verdict) for r in reviews_for(project, span_ids=[item.a.id, item.b.id])]
    assert sorted(verdicts) == [("rita", "accept"), ("rita", "reject")]
    assert pane.undo_stack.undoText().startswith("Accept alice's")

    pane.undo_stack.undo()
    assert gold(project, aid) == []
    assert reviews_for(project, span_ids=[item.a.id, item.b.id]) == []
    assert controller.model.state(0).verdict is Verdict.OPEN
    assert controller.row == 0  # back on the item the undone decision was about


def test_accept_right_and_ctrl_right(qtbot, review, project) -> None:
    pane, aid, controller, _bar = review
    key(qtbot, pane.view, "2")
    assert gold(project, aid) == [("the talks would resume next week", "FACT")]
    key(qtbot, pane.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # boundary: bob's extent
    assert ("the missiles were never armed", "CLAIM") in gold(project, aid)
    assert controller.model.decided() == 2
    pane.undo_stack.undo()
    pane.undo_stack.undo()
    assert gold(project, aid) == []


def test_reject_keeps_both_out_of_gold(qtbot, review, project) -> None:
    pane, aid, controller, _bar = review
    controller.go_to(2)  # only alice
    key(qtbot, pane.view, "r")
    assert gold(project, aid) == []
    item = controller.model.item(2)
    assert [r.verdict for r in reviews_for(project, span_ids=[item.a.id])] == ["reject"]
    assert controller.model.state(2).verdict is Verdict.REJECTED
    pane.undo_stack.undo()
    assert reviews_for(project, span_ids=[item.a.id]) == []


def test_comment_box_records_a_comment_the_annotator_sees(qtbot, review, project) -> None:
    pane, aid, controller, bar = review
    key(qtbot, pane.view, "c")
    assert bar.comment_edit.isVisible()
    qtbot.keyClicks(bar.comment_edit, "It is a prediction, so CLAIM")
    key(qtbot, bar.comment_edit, Qt.Key.Key_Return)
    assert not bar.comment_edit.isVisible()
    assert controller.row == 0  # a comment does not move on
    assert [r.comment for r in comments_for_annotator(project, "alice", aid)] == [
        "It is a prediction, so CLAIM"
    ]
    assert [r.comment for r in comments_for_annotator(project, "bob", aid)] == [
        "It is a prediction, so CLAIM"
    ]
    assert "✎" in controller.model.index(0, 4).data()
    assert "It is a prediction" in bar.comments.text()
    pane.undo_stack.undo()
    assert comments_for_annotator(project, "alice", aid) == []


def test_escape_cancels_a_comment(qtbot, review, project) -> None:
    _pane, aid, _controller, bar = review
    bar.open_comment()
    qtbot.keyClicks(bar.comment_edit, "never mind")
    key(qtbot, bar.comment_edit, Qt.Key.Key_Escape)
    assert not bar.comment_edit.isVisible()
    assert comments_for_annotator(project, "alice", aid) == []


def test_review_keys_do_not_label_or_edit_spans(qtbot, review, project) -> None:
    pane, aid, _controller, _bar = review
    before = len(spans_for_article(project, aid, ["alice", "bob", "rita"]))
    pane.view.select_text(*at("Analysts"))
    key(qtbot, pane.view, "1")  # accept, not "label as CLAIM"
    assert len(spans_for_article(project, aid, ["alice", "bob", "rita"])) == before


def test_one_layer_review_walks_spans_and_links(qtbot, project) -> None:
    pane, aid = make_pane(qtbot, project, annotator="rita")
    a = add_span(project, aid, *at("Blinken said"), "ATTRIBUTION", "alice")
    b = add_span(project, aid, *at("the talks would resume next week"), "CLAIM", "alice")
    add_span(project, aid, *at("Analysts at the Halvik Institute"), "ATTRIBUTION", "bob")  # not alice's
    add_link(project, a.id, b.id, "SOURCE_OF", "alice")
    pane.show_article(aid)
    controller = ReviewController(project, pane.undo_stack, pane.events, "rita")
    controller.drive(pane)
    bar = ReviewBar(controller)
    qtbot.addWidget(bar)
    controller.start("alice")
    pane.view.setFocus()
    model = controller.model
    assert model.rowCount() == 3
    assert model.index(1, 1).data() == "Link"  # right after the spans at its source span
    assert "SOURCE_OF" in model.index(1, 2).data() and "Blinken said" in model.index(1, 2).data()
    assert bar.accept_b.isHidden() and bar.card_b.isHidden()
    key(qtbot, pane.view, "a")
    key(qtbot, pane.view, "r")
    key(qtbot, pane.view, "a")
    assert sorted(gold(project, aid)) == [
        ("Blinken said", "ATTRIBUTION"),
        ("the talks would resume next week", "CLAIM"),
    ]
    assert [model.state(r).verdict for r in range(3)] == [
        Verdict.ACCEPTED,
        Verdict.REJECTED,
        Verdict.ACCEPTED,
    ]
    assert "3 of 3 decided" in bar.progress.text()
    for _ in range(3):
        pane.undo_stack.undo()
    assert gold(project, aid) == []
    assert model.decided() == 0


def test_comparing_with_gold_replaces_golds_version(qtbot, project) -> None:
    pane, aid = make_pane(qtbot, project, annotator="rita")
    add_span(project, aid, *at("the talks would resume next week"), "CLAIM", "alice")
    add_span(project, aid, *at("the talks would resume"), "CLAIM", "gold")
    pane.show_article(aid)
    controller = ReviewController(project, pane.undo_stack, pane.events, "rita")
    controller.drive(pane)
    controller.start("alice", "gold")
    assert controller.model.rowCount() == 1
    assert controller.accept_side(left=True)
    assert gold(project, aid) == [("the talks would resume next week", "CLAIM")]
    assert set(pane.view.review_styles.values()) == {"agree/a", "agree/b"}  # repainted
    pane.undo_stack.undo()
    assert gold(project, aid) == [("the talks would resume", "CLAIM")]


def test_mark_reviewed_with_ctrl_enter_and_undo(qtbot, review, project) -> None:
    from db.review import is_article_reviewed

    pane, aid, controller, bar = review
    seen = []
    controller.articleReviewedChanged.connect(lambda a, done: seen.append((a, done)))
    key(qtbot, pane.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert is_article_reviewed(project, aid, "rita")
    assert bar.reviewed_button.isChecked()
    pane.undo_stack.undo()
    assert not is_article_reviewed(project, aid)
    assert seen == [(aid, True), (aid, False)]
    assert not bar.reviewed_button.isChecked()


def test_stop_restores_the_readers_layers_and_styles(review) -> None:
    pane, _aid, controller, _bar = review
    controller.stop()
    assert pane.layers() == ["rita"]
    assert pane.view.review_styles == {}
    assert controller.model.rowCount() == 0


def test_queue_model_passes_the_model_tester(qtmodeltester, review) -> None:
    _pane, _aid, controller, _bar = review
    qtmodeltester.check(controller.model)
    empty = ReviewQueueModel(controller.project, "rita")
    qtmodeltester.check(empty)


def test_the_controller_drives_a_bare_article_view(qtbot, project) -> None:
    """Review works in any ArticleView (the compare view's panes), not only the main reader."""
    from PySide6.QtGui import QUndoStack

    from db.articles import get_article
    from db.labels import list_labels
    from desktop.article_view import ArticleView
    from desktop.project_events import ProjectEvents
    from desktop.review_mode import ViewReader
    from tests.reader_helpers import add_text

    aid = add_text(project)
    add_span(project, aid, *at("the talks would resume next week"), "CLAIM", "alice")
    add_span(project, aid, *at("the talks would resume next week"), "FACT", "bob")
    view = ArticleView()
    qtbot.addWidget(view)
    view.set_article(get_article(project, aid), [], list_labels(project))
    view.resize(700, 500)
    view.show()
    controller = ReviewController(project, QUndoStack(), ProjectEvents(), "rita")
    controller.drive(ViewReader(project, view))
    controller.start("alice", "bob")
    assert len(view.index) == 2
    assert set(view.review_styles.values()) == {"label_conflict/a", "label_conflict/b"}
    assert view.selected_span().annotator == "alice"
    assert controller.accept_side(left=False)
    assert gold(project, aid) == [("the talks would resume next week", "FACT")]
    view.grab()


def test_comparing_with_gold_before_there_is_any(qtbot, project) -> None:
    pane, aid = make_pane(qtbot, project, annotator="rita")
    add_span(project, aid, *at("Blinken said"), "ATTRIBUTION", "alice")
    pane.show_article(aid)
    controller = ReviewController(project, pane.undo_stack, pane.events, "rita")
    controller.drive(pane)
    controller.start("alice", "gold")
    assert [controller.model.item(r).kind for r in range(controller.model.rowCount())] == [DiffKind.ONLY_A]
    assert controller.accept_side(left=True)
    assert gold(project, aid) == [("Blinken said", "ATTRIBUTION")]
