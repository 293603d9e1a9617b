"""The compare view: articles side by side, curves between linked spans, linking with L or a drag."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QUndoStack

from db.links import links_for_articles
from desktop import link_type_menu
from desktop.compare_view import CompareView, story_article_ids
from desktop.link_connector import ABOVE, BELOW, INSIDE, MARGIN
from desktop.project_events import ProjectEvents
from tests.test_claims import load_demo


@pytest.fixture
def demo(project):  # type: ignore[no-untyped-def]
    return project, load_demo(project)


@pytest.fixture
def compare(qtbot, demo):  # type: ignore[no-untyped-def]
    project, ids = demo
    stack = QUndoStack()
    view = CompareView(project, stack, ProjectEvents(), "alice", ["alice", "demo"])
    qtbot.addWidget(view)
    story = story_article_ids(project, ids["01-civic-wire.txt"])
    view.set_choices(story)
    view.show_articles(
        [ids["01-civic-wire.txt"], ids["02-northgate-ledger.txt"], ids["05-halvik-islander.txt"]]
    )
    view.resize(1500, 800)
    view.show()
    qtbot.waitExposed(view)
    return view, stack, ids


def _answer(monkeypatch, key):  # type: ignore[no-untyped-def]
    asked: list[dict] = []

    def choose(parent, types, at, **kw):  # type: ignore[no-untyped-def]
        asked.append({"types": [t.key for t in types], **kw})
        return key

    monkeypatch.setattr(link_type_menu, "choose_link_type", choose)
    return asked


def _span_with_text(view, words):  # type: ignore[no-untyped-def]
    return next(s for s in view.index.spans() if words in s.text)


def test_story_articles_are_offered_in_every_pane(compare):  # type: ignore[no-untyped-def]
    view, _stack, ids = compare
    assert len(view.panes) == 3
    assert all(p.picker.count() == 5 for p in view.panes)
    assert view.article_ids() == [
        ids["01-civic-wire.txt"],
        ids["02-northgate-ledger.txt"],
        ids["05-halvik-islander.txt"],
    ]
    view.set_pane_count(2)
    assert len(view.panes) == 2 and view.two_action.isChecked()


def test_a_curve_joins_the_linked_spans_and_follows_scrolling(qtbot, compare):  # type: ignore[no-untyped-def]
    view, _stack, _ids = compare
    left, middle = view.panes[0].view, view.panes[1].view
    claim = _span_with_text(left, "We have serious concerns")
    other = _span_with_text(middle, "very concerned about any assistance")
    left.scroll_to_span(claim.id)
    middle.scroll_to_span(other.id)
    qtbot.wait(10)

    def curve():  # type: ignore[no-untyped-def]
        return next(
            c
            for c in view.connector.connectors()
            if {c.left_span_id, c.right_span_id} == {claim.id, other.id}
        )

    c = curve()
    assert c.link_type == "SAME_CLAIM" and c.color == "#f39c12"
    assert (c.start_edge, c.end_edge) == (INSIDE, INSIDE)
    box = view.connector.map_rect(left, left.span_rect(claim.id))
    target = view.connector.map_rect(middle, middle.span_rect(other.id))
    assert c.start.x() == pytest.approx(box.right() + MARGIN) and box.top() <= c.start.y() <= box.bottom()
    assert c.end.x() == pytest.approx(target.left() - MARGIN) and target.top() <= c.end.y() <= target.bottom()
    assert c.path.pointAtPercent(0) == c.start and c.path.pointAtPercent(1) == c.end

    # Scroll the middle pane down by five lines: the curve's end moves up with the span.
    bar = middle.verticalScrollBar()
    before, span_top = c.end.y(), middle.span_rect(other.id).top()
    bar.setValue(bar.value() + 5)
    moved = curve()
    shift = span_top - middle.span_rect(other.id).top()
    assert shift == pytest.approx(5 * middle.line_step, abs=2)
    assert moved.end.y() == pytest.approx(before - shift, abs=2)
    assert moved.start == c.start

    # Scroll the span off the top: the curve ends on the pane's top edge, dashed.
    bar.setValue(bar.value() + 2000)
    off = curve()
    vp = view.connector.viewport_box(middle)
    assert off.end_edge == ABOVE and off.end.y() == pytest.approx(vp.top())
    bar.setValue(0)
    if middle.span_rect(other.id).top() > middle.viewport().height():
        assert curve().end_edge == BELOW


def test_links_to_spans_out_of_both_views_are_not_drawn(compare):  # type: ignore[no-untyped-def]
    view, _stack, _ids = compare
    for v in view.views:
        v.verticalScrollBar().setValue(0)
    shown = view.connector.connectors()
    for c in shown:
        assert INSIDE in (c.start_edge, c.end_edge)
        left = next(p.view for p in view.panes if c.left_span_id in p.view.index)
        right = next(p.view for p in view.panes if c.right_span_id in p.view.index and p.view is not left)
        assert view.views.index(right) == view.views.index(left) + 1  # neighbouring panes only


def test_links_between_outer_panes_show_for_the_selected_span(compare):  # type: ignore[no-untyped-def]
    view, _stack, _ids = compare
    left, right = view.panes[0].view, view.panes[2].view
    claim = _span_with_text(left, "We have serious concerns")
    halvik = _span_with_text(right, "deeply worried")
    left.scroll_to_span(claim.id)
    right.scroll_to_span(halvik.id)

    def outer():  # type: ignore[no-untyped-def]
        return [
            c
            for c in view.connector.connectors()
            if {c.left_span_id, c.right_span_id} == {claim.id, halvik.id}
        ]

    assert outer() == []
    left.select_span(claim.id)  # the right pane scrolls its linked span level with it
    (c,) = outer()
    assert c.end_edge == INSIDE
    box = view.connector.map_rect(right, right.span_rect(halvik.id))
    assert box.top() == pytest.approx(view.connector.map_rect(left, left.span_rect(claim.id)).top(), abs=2)


def test_select_two_spans_press_l_links_them_with_undo(qtbot, monkeypatch, compare):  # type: ignore[no-untyped-def]
    view, stack, ids = compare
    asked = _answer(monkeypatch, "CONTRADICTS")
    left, middle = view.panes[0].view, view.panes[1].view
    a = _span_with_text(left, "Dovrenia was withdrawing")
    b = _span_with_text(middle, "Nobody in Veskar believes")
    left.select_span(a.id)
    middle.select_span(b.id)
    assert "Press L" in view.status.text()
    middle.setFocus()
    qtbot.keyClick(middle, Qt.Key.Key_L)
    assert asked and asked[0]["default"] == "SAME_CLAIM"
    assert asked[0]["types"][:4] == ["SAME_CLAIM", "CONTRADICTS", "SUPPORTS", "SOURCE_OF"]

    def stored():  # type: ignore[no-untyped-def]
        return [
            (lk.type, lk.annotator)
            for lk in links_for_articles(view.project, [ids["01-civic-wire.txt"]])
            if (lk.source_span_id, lk.target_span_id) == (a.id, b.id)
        ]

    assert stored() == [("CONTRADICTS", "alice")]
    left.scroll_to_span(a.id)
    middle.scroll_to_span(b.id)
    assert any({c.left_span_id, c.right_span_id} == {a.id, b.id} for c in view.connector.connectors())
    assert "Contradicts" in stack.undoText()
    stack.undo()
    assert stored() == []
    assert not any({c.left_span_id, c.right_span_id} == {a.id, b.id} for c in view.connector.connectors())
    stack.redo()
    assert stored() == [("CONTRADICTS", "alice")]


def test_dismissing_the_menu_makes_no_link(monkeypatch, compare):  # type: ignore[no-untyped-def]
    view, stack, _ids = compare
    _answer(monkeypatch, None)
    left, middle = view.panes[0].view, view.panes[1].view
    left.select_span(_span_with_text(left, "Dovrenia was withdrawing").id)
    middle.select_span(_span_with_text(middle, "Nobody in Veskar believes").id)
    before = len(links_for_articles(view.project, view.article_ids()))
    assert not view.link_selected()
    assert len(links_for_articles(view.project, view.article_ids())) == before
    assert stack.count() == 0


def test_l_with_one_selected_span_explains_what_to_do(compare):  # type: ignore[no-untyped-def]
    view, _stack, _ids = compare
    left = view.panes[0].view
    left.select_span(_span_with_text(left, "Dovrenia was withdrawing").id)
    assert not view.link_selected()
    assert "two panes" in view.status.text()


def test_dropping_a_dragged_link_on_a_span_links_them(qtbot, monkeypatch, compare):  # type: ignore[no-untyped-def]
    view, _stack, ids = compare
    _answer(monkeypatch, "SUPPORTS")
    left, middle = view.panes[0].view, view.panes[1].view
    a = _span_with_text(left, "Dovrenia was withdrawing")
    b = _span_with_text(middle, "Nobody in Veskar believes")
    middle.scroll_to_span(b.id)
    first_line = middle.text_rects(b.start, b.end)[0].center().toPoint()
    at = middle.viewport().mapToGlobal(first_line)
    assert view.drop_link(0, a.id, at)
    links = links_for_articles(view.project, [ids["02-northgate-ledger.txt"]])
    assert any((lk.source_span_id, lk.target_span_id, lk.type) == (a.id, b.id, "SUPPORTS") for lk in links)
    # Dropped on empty space: nothing.
    assert not view.drop_link(0, a.id, middle.viewport().mapToGlobal(QPoint(2, 2)))


def test_synchronised_scrolling_is_proportional(compare):  # type: ignore[no-untyped-def]
    view, _stack, _ids = compare
    view.set_sync_scroll(True)
    first = view.views[0].verticalScrollBar()
    first.setValue(first.maximum() // 2)
    for v in view.views[1:]:
        bar = v.verticalScrollBar()
        assert bar.value() == pytest.approx(bar.maximum() / 2, abs=2)
    view.set_sync_scroll(False)
    first.setValue(0)
    assert view.views[1].verticalScrollBar().value() > 0


def test_switching_a_pane_article_redraws_its_curves(compare):  # type: ignore[no-untyped-def]
    view, _stack, ids = compare
    pane = view.panes[1]
    pane.picker.setCurrentIndex(pane.picker.findData(ids["04-kestria-today.txt"]))
    pane.picker.activated.emit(pane.picker.currentIndex())
    assert pane.view.article.id == ids["04-kestria-today.txt"]
    assert "Kestria Today" in pane.meta.text()
    for v in view.views:
        v.verticalScrollBar().setValue(0)
    for c in view.connector.connectors():
        assert c.left_span_id in pane.view.index or c.right_span_id in pane.view.index


def test_overlay_paints_without_error(compare):  # type: ignore[no-untyped-def]
    view, _stack, _ids = compare
    image = view.grab()
    assert not image.isNull()
    assert isinstance(view.connector.viewport_box(view.views[0]), QRectF)


def test_dragging_from_a_span_onto_a_span_in_another_pane(qtbot, monkeypatch, compare):  # type: ignore[no-untyped-def]
    view, _stack, _ids = compare
    _answer(monkeypatch, "SAME_CLAIM")
    left, middle = view.panes[0].view, view.panes[1].view
    a = _span_with_text(left, "Dovrenia was withdrawing")
    b = _span_with_text(middle, "Nobody in Veskar believes")
    left.scroll_to_span(a.id)
    middle.scroll_to_span(b.id)
    start = left.text_rects(a.start, a.end)[0].center().toPoint()
    target = middle.viewport().mapToGlobal(middle.text_rects(b.start, b.end)[0].center().toPoint())
    drop = left.viewport().mapFromGlobal(target)  # outside the left pane: the mouse stays grabbed by it
    vp = left.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, QPoint(start.x() + 20, start.y()))
    qtbot.mouseMove(vp, drop)
    assert view._dragging and view.connector._drag is not None  # the rubber band follows the mouse
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=drop)
    assert view.connector._drag is None
    links = links_for_articles(view.project, [a.article_id])
    assert any((lk.source_span_id, lk.target_span_id) == (a.id, b.id) for lk in links)
    assert left.text_selection() is None  # the drag did not leave a text selection behind


def test_navigator_story_menu_opens_the_compare_window(qtbot, monkeypatch, tmp_path, demo):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMenu

    from desktop import links_panel
    from desktop.main_window import MainWindow
    from desktop.settings import SETTINGS_DIR_ENV, Settings

    project, ids = demo
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    win = MainWindow(Settings(), "alice")
    qtbot.addWidget(win)
    win.set_project(project)
    win.show()
    try:
        story_row = win.navigator.model.index(0, 0)
        menu = links_panel.navigator_menu(
            win, win.navigator, win.navigator.tree.visualRect(story_row).center()
        )
        assert isinstance(menu, QMenu)
        assert [a.text() for a in menu.actions()] == ["Compare articles of this story…", "Claims matrix"]
        menu.actions()[0].trigger()
        (compare,) = win.compare_windows
        assert compare.isWindow() and len(compare.panes) == 3
        assert compare.article_ids()[0] in ids.values()
        assert "Kestrian missile test" in compare.windowTitle()
        compare.close()
    finally:
        win.runner.cancel_all()
        win.project = None
