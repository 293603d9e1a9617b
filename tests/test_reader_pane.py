"""The reader: labelling selections, editing spans with the keyboard, undo/redo, errors."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from db.spans import add_span, delete_span, spans_for_article
from tests.reader_helpers import ARTICLE, make_pane, stored


def at(text: str, words: str) -> tuple[int, int]:
    i = ARTICLE.index(words)
    return i, i + len(words)


def test_mid_word_selection_and_key_2_stores_a_token_aligned_attribution(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    pane.view.select_text(1, 10)  # "linken sa"
    qtbot.keyClick(pane.view, Qt.Key.Key_2)
    assert stored(project, article_id) == [("ATTRIBUTION", "Blinken said", 0, 12)]
    assert pane.undo_stack.undoText() == "Label “Blinken said” as Attribution"
    assert pane.view.selected_span_id() == spans_for_article(project, article_id)[0].id


def test_mouse_drag_selection_snaps_to_whole_words(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    view = pane.view
    start, end = at(ARTICLE, "talks would")
    cursor = view.textCursor()
    cursor.setPosition(start + 2)
    a = view.cursorRect(cursor).center()
    cursor.setPosition(end - 2)
    b = view.cursorRect(cursor).center()
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(view.viewport(), pos=b)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=b)
    assert view.text_selection() == (start, end)
    assert view.textCursor().selectedText() == "talks would"
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert stored(project, article_id) == [("CLAIM", "talks would", start, end)]


def test_relabel_nudge_delete_with_undo_and_redo(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    view, stack = pane.view, pane.undo_stack
    view.select_text(*at(ARTICLE, "missiles were never"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    span_id = view.selected_span_id()
    assert stored(project, article_id) == [
        ("CLAIM", "missiles were never", *at(ARTICLE, "missiles were never"))
    ]

    qtbot.keyClick(view, Qt.Key.Key_4)
    assert stored(project, article_id)[0][0] == "FACT"
    assert stack.undoText() == "Relabel “missiles were never” as Fact"

    # Shift+Left extends the start by a token; Alt+Right extends the end; both merge into one step.
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert stored(project, article_id)[0][1] == "the missiles were never"
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert stored(project, article_id)[0][1] == "the missiles were never armed,"
    assert stack.undoText() == "Resize span to “the missiles were never armed,”"
    count = stack.count()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # shrink the start
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # shrink the end
    assert stored(project, article_id)[0][1] == "missiles were never armed"
    assert stack.count() == count

    stack.undo()  # all the nudges at once
    assert stored(project, article_id) == [
        ("FACT", "missiles were never", *at(ARTICLE, "missiles were never"))
    ]
    stack.undo()
    assert stored(project, article_id)[0][0] == "CLAIM"
    stack.redo()
    stack.redo()
    assert stored(project, article_id)[0][:2] == ("FACT", "missiles were never armed")

    view.select_span(span_id)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(project, article_id) == []
    assert stack.undoText() == "Delete Fact “missiles were never armed”"
    assert view.selected_span_id() is None
    stack.undo()
    assert [s.id for s in spans_for_article(project, article_id)] == [span_id]
    assert span_id in view.index


def test_nudges_never_empty_a_span(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    view = pane.view
    view.select_text(*at(ARTICLE, "ministry"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    count = pane.undo_stack.count()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert stored(project, article_id)[0][1] == "ministry"
    assert pane.undo_stack.count() == count


def test_note_edit_and_tooltip(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    view = pane.view
    view.select_text(*at(ARTICLE, "Blinken said"))
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert pane.edit_note("Named source, on the record.")
    assert spans_for_article(project, article_id)[0].note == "Named source, on the record."
    assert pane.undo_stack.undoText() == "Edit note on “Blinken said”"
    tip = view.tooltip_html(view.index.spans())
    assert "Attribution" in tip and "Named source, on the record." in tip and "reported content" in tip
    pane.undo_stack.undo()
    assert spans_for_article(project, article_id)[0].note is None


def test_tab_walks_spans_in_reading_order_and_escape_clears(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    late = add_span(project, article_id, *at(ARTICLE, "Halvik Institute"), "ATTRIBUTION", "alice")
    early = add_span(project, article_id, *at(ARTICLE, "Blinken said"), "ATTRIBUTION", "alice")
    pane.reload_spans()
    selected = []
    pane.spanSelected.connect(selected.append)
    qtbot.keyClick(pane.view, Qt.Key.Key_Tab)
    qtbot.keyClick(pane.view, Qt.Key.Key_Tab)
    qtbot.keyClick(pane.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(pane.view, Qt.Key.Key_Escape)
    assert selected == [early.id, late.id, early.id, None]


def test_click_selects_innermost_span_and_clicking_again_cycles(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    outer = add_span(
        project, article_id, *at(ARTICLE, "Three missiles fell 40 km off the coast"), "CLAIM", "alice"
    )
    inner = add_span(project, article_id, *at(ARTICLE, "40 km"), "FACT", "alice")
    pane.reload_spans()
    view = pane.view
    rect = view.span_rect(inner.id)
    assert rect is not None
    point = QPoint(rect.center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.selected_span_id() == inner.id
    qtbot.wait(past_double_click())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.selected_span_id() == outer.id


def past_double_click() -> int:
    return QApplication.doubleClickInterval() + 50


def test_spans_deleted_behind_the_views_back_show_an_error_and_leave_the_stack(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    view, stack = pane.view, pane.undo_stack
    view.select_text(*at(ARTICLE, "Blinken said"))
    qtbot.keyClick(view, Qt.Key.Key_2)
    span_id = view.selected_span_id()
    assert span_id is not None
    delete_span(project, span_id)  # another window or process removes it
    count, index = stack.count(), stack.index()
    qtbot.keyClick(view, Qt.Key.Key_1)  # relabel fails
    assert (stack.count(), stack.index()) == (count, index)
    assert pane.notice.isVisible()
    assert "no span" in pane.notice.text()
    assert stack.undoText() == "Label “Blinken said” as Attribution"
    stack.undo()  # undoing the add fails too: the step is dropped, nothing raises
    assert stack.count() == count - 1
    assert stack.canUndo() is False
    assert stored(project, article_id) == []


def test_colleagues_layer_is_shown_but_not_edited(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    theirs = add_span(project, article_id, *at(ARTICLE, "Blinken said"), "ATTRIBUTION", "bob")
    pane.reload_spans()
    assert len(pane.view.index) == 0  # by default only the own layer
    pane.set_visible_layers(["alice", "bob"])
    assert theirs.id in pane.view.index
    pane.select_span(theirs.id)
    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    assert [s.id for s in spans_for_article(project, article_id)] == [theirs.id]
    assert "bob's layer" in pane.notice.text()


def test_find_selects_the_match_which_can_then_be_labelled(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    assert pane.find("halvik institute")
    assert pane.view.text_selection() == at(ARTICLE, "Halvik Institute")
    assert not pane.find("nowhere in the text")
    pane.label_selection("ATTRIBUTION")
    assert stored(project, article_id)[0][1] == "Halvik Institute"


def test_double_click_selects_a_token_and_triple_click_a_sentence(qtbot, project):
    pane, _ = make_pane(qtbot, project)
    view = pane.view
    start, _end = at(ARTICLE, "spokesman")
    cursor = view.textCursor()
    cursor.setPosition(start + 3)
    point = view.cursorRect(cursor).center()
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.text_selection() == at(ARTICLE, "spokesman")
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    sentence = "The ministry insisted the missiles were never armed, according to a spokesman."
    assert view.text_selection() == at(ARTICLE, sentence)


def test_context_menu_offers_labels_for_a_selection_and_edits_for_a_span(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    pane.view.select_text(*at(ARTICLE, "Blinken said"))
    menu = pane.build_context_menu(QPoint(5, 5))
    assert menu is not None
    assert [a.text() for a in menu.actions()] == [
        "Label as Claim",
        "Label as Attribution",
        "Label as Expert opinion",
        "Label as Fact",
    ]
    menu.actions()[1].trigger()
    rect = pane.view.span_rect(pane.view.selected_span_id())
    pane.view.clear_selection()
    menu = pane.build_context_menu(rect.center())
    assert menu is not None
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Relabel as", "Edit note…", "", "Delete span"]
    menu.actions()[-1].trigger()
    assert stored(project, article_id) == []
