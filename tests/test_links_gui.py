"""Links in the GUI: the links panel (retype, note, delete with undo), the reader's L key,
and accepting or rejecting suggested links."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from db.link_suggest import rejected_count
from db.links import links_for_articles, links_for_spans
from db.spans import add_span, spans_for_article
from desktop import link_type_menu
from desktop.link_suggestions_model import CANDIDATE_ROLE, LinkSuggestionsModel
from desktop.link_suggestions_panel import LinkSuggestionsPanel
from desktop.links_model import LINK_ROLE, OTHER_END_ROLE, LinksModel
from desktop.links_panel import LinksPanel
from desktop.project_events import ProjectEvents
from tests.reader_helpers import ARTICLE, make_pane
from tests.test_claims import DEMO_STORY, load_demo


def _answer(monkeypatch, key):  # type: ignore[no-untyped-def]
    asked: list[dict] = []

    def choose(parent, types, at, **kw):  # type: ignore[no-untyped-def]
        asked.append({"types": [t.key for t in types], **kw})
        return key if key != "default" else kw.get("default")

    monkeypatch.setattr(link_type_menu, "choose_link_type", choose)
    return asked


# -- the links panel ------------------------------------------------------------------------------


@pytest.fixture
def linked(qtbot, project):  # type: ignore[no-untyped-def]
    ids = load_demo(project)
    events = ProjectEvents()
    stack = QUndoStack()
    panel = LinksPanel(project, stack, events)
    qtbot.addWidget(panel)
    panel.resize(900, 300)
    panel.show()
    civic = ids["01-civic-wire.txt"]
    claim = next(
        s for s in spans_for_article(project, civic) if s.text.startswith("We have serious concerns")
    )
    return panel, stack, claim, ids


def test_panel_lists_the_selected_span_links(linked):  # type: ignore[no-untyped-def]
    panel, _stack, claim, _ids = linked
    panel.show_span(claim.id)
    model = panel.model
    expected = links_for_spans(panel.project, [claim.id])
    assert model.rowCount() == len(expected) >= 3
    types = sorted(model.index(r, 0).data() for r in range(model.rowCount()))
    assert "Same claim" in types and "Source of" in types
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(LINK_ROLE).type == "SOURCE_OF")
    assert (
        model.index(row, 1).data().startswith("“Foreign Minister Teodor Anselm")
        or model.index(row, 2).data() == "this span"
    )
    assert f"{len(expected)} links" in panel.count.text()


def test_retype_note_and_delete_go_through_undo(linked):  # type: ignore[no-untyped-def]
    panel, stack, claim, _ids = linked
    panel.show_span(claim.id)
    row = next(
        r
        for r in range(panel.model.rowCount())
        if panel.model.index(r, 0).data(LINK_ROLE).type == "SAME_CLAIM"
    )
    link = panel.model.link(row)
    panel.table.selectRow(row)

    def stored():  # type: ignore[no-untyped-def]
        return next((lk for lk in links_for_spans(panel.project, [claim.id]) if lk.id == link.id), None)

    assert panel.retype_current("CONTRADICTS")
    assert stored().type == "CONTRADICTS"
    assert panel.model.link(panel.model.row_of(link.id)).type == "CONTRADICTS"  # the list followed
    stack.undo()
    assert stored().type == "SAME_CLAIM"

    panel.select_link(link.id)
    assert panel.edit_note_current("same quote, other words")
    assert stored().note == "same quote, other words"
    assert "same quote" in panel.model.index(panel.model.row_of(link.id), 3).data()
    stack.undo()
    assert stored().note is None

    n = panel.model.rowCount()
    panel.select_link(link.id)
    assert panel.delete_current()
    assert stored() is None and panel.model.rowCount() == n - 1
    stack.undo()
    assert stored() is not None and stored().type == "SAME_CLAIM"
    assert panel.model.rowCount() == n


def test_retype_key_asks_with_the_menu(monkeypatch, linked):  # type: ignore[no-untyped-def]
    panel, _stack, claim, _ids = linked
    asked = _answer(monkeypatch, "SUPPORTS")
    panel.show_span(claim.id)
    panel.table.setFocus()
    panel.table.selectRow(0)
    before = panel.current_link()
    assert panel.retype_current()
    assert before.type not in asked[0]["types"]  # the menu offers the other types
    assert links_for_spans(panel.project, [claim.id])[0].type == "SUPPORTS" or any(
        lk.type == "SUPPORTS" for lk in links_for_spans(panel.project, [claim.id])
    )


def test_whole_story_scope_and_opening_the_other_end(qtbot, linked):  # type: ignore[no-untyped-def]
    panel, _stack, claim, ids = linked
    panel.show_span(claim.id)
    panel.show_story(list(ids.values()))
    panel.set_story_scope(True)
    assert panel.model.rowCount() == len(links_for_articles(panel.project, list(ids.values())))
    panel.set_story_scope(False)
    index = panel.model.index(0, 1)
    other = index.data(OTHER_END_ROLE)
    with qtbot.waitSignal(panel.spanActivated) as blocker:
        panel.table.activated.emit(index)
    assert tuple(blocker.args) == other
    assert other[1] != claim.id


def test_links_model_passes_the_model_tester(qtmodeltester, project):  # type: ignore[no-untyped-def]
    ids = load_demo(project)
    model = LinksModel(project)
    model.show_articles(list(ids.values()))
    assert model.rowCount() > 10
    qtmodeltester.check(model)


# -- the reader: L, then the span to link to ------------------------------------------------------


def test_l_then_click_links_an_attribution_to_its_claim(qtbot, monkeypatch, project):  # type: ignore[no-untyped-def]
    pane, article_id = make_pane(qtbot, project)
    i = ARTICLE.index("according to a spokesman")
    attribution = add_span(
        project, article_id, i, i + len("according to a spokesman"), "ATTRIBUTION", "alice"
    )
    j = ARTICLE.index("the missiles were never armed")
    claim = add_span(project, article_id, j, j + len("the missiles were never armed"), "CLAIM", "alice")
    pane.reload_spans()
    asked = _answer(monkeypatch, "default")

    pane.select_span(attribution.id)
    qtbot.keyClick(pane.view, Qt.Key.Key_L)
    assert pane._link_source is not None
    assert (
        pane.notice.text() == "Now select the span to link to, Esc cancels"
    )  # no main window: the notice line
    # Selecting the claim (here by a click on it) completes the link.
    rect = pane.view.text_rects(claim.start, claim.end)[0]
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert pane.view.selected_span_id() == claim.id
    assert asked[0]["default"] == "SOURCE_OF" and asked[0]["types"][0] == "SOURCE_OF"
    links = links_for_spans(project, [claim.id])
    assert [(lk.type, lk.source_span_id, lk.target_span_id) for lk in links] == [
        ("SOURCE_OF", attribution.id, claim.id)
    ]
    assert "Source of" in pane.undo_stack.undoText()
    pane.undo_stack.undo()
    assert links_for_spans(project, [claim.id]) == []


def test_l_from_the_claim_still_points_source_of_from_the_attribution(qtbot, monkeypatch, project):  # type: ignore[no-untyped-def]
    pane, article_id = make_pane(qtbot, project)
    i = ARTICLE.index("Blinken said")
    attribution = add_span(project, article_id, i, i + 12, "ATTRIBUTION", "alice")
    j = ARTICLE.index("the talks would resume")
    claim = add_span(project, article_id, j, j + len("the talks would resume next week"), "CLAIM", "alice")
    pane.reload_spans()
    _answer(monkeypatch, "SOURCE_OF")
    pane.select_span(claim.id)
    assert pane.start_link()
    pane.select_span(attribution.id)
    (link,) = links_for_spans(project, [claim.id])
    assert (link.source_span_id, link.target_span_id) == (attribution.id, claim.id)


def test_ctrl_click_links_the_clicked_span_to_the_one_selected_before(qtbot, monkeypatch, project):  # type: ignore[no-untyped-def]
    pane, article_id = make_pane(qtbot, project)
    i = ARTICLE.index("Analysts at the Halvik Institute")
    attribution = add_span(
        project, article_id, i, i + len("Analysts at the Halvik Institute"), "ATTRIBUTION", "alice"
    )
    j = ARTICLE.index("called the test a warning")
    opinion = add_span(
        project, article_id, j, j + len("called the test a warning"), "EXPERT_OPINION", "alice"
    )
    pane.reload_spans()
    _answer(monkeypatch, "default")
    pane.select_span(attribution.id)
    rect = pane.view.text_rects(opinion.start, opinion.end)[0]
    qtbot.mouseClick(
        pane.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        rect.center().toPoint(),
    )
    (link,) = links_for_spans(project, [opinion.id])
    assert (link.type, link.source_span_id, link.target_span_id) == ("SOURCE_OF", attribution.id, opinion.id)
    # A plain click on another span only selects it.
    pane.select_span(attribution.id)
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert len(links_for_spans(project, [opinion.id])) == 1


def test_escape_cancels_a_pending_link(qtbot, monkeypatch, project):  # type: ignore[no-untyped-def]
    pane, article_id = make_pane(qtbot, project)
    a = add_span(project, article_id, 0, 7, "ATTRIBUTION", "alice")
    b = add_span(project, article_id, 13, 46, "CLAIM", "alice")
    pane.reload_spans()
    asked = _answer(monkeypatch, "SOURCE_OF")
    pane.select_span(a.id)
    qtbot.keyClick(pane.view, Qt.Key.Key_L)
    qtbot.keyClick(pane.view, Qt.Key.Key_Escape)
    assert pane._link_source is None
    pane.select_span(b.id)
    assert asked == [] and links_for_spans(project, [a.id]) == []
    assert pane.view.selected_span_id() == b.id


# -- suggested links ------------------------------------------------------------------------------


@pytest.fixture
def suggestions(qtbot, project):  # type: ignore[no-untyped-def]
    load_demo(project, annotations=False)
    stack = QUndoStack()
    panel = LinkSuggestionsPanel(project, stack, ProjectEvents(), "alice")
    qtbot.addWidget(panel)
    panel.resize(1000, 400)
    panel.show()
    with qtbot.waitSignal(panel.model.modelReset, timeout=10_000):
        panel.set_story(DEMO_STORY)
    return panel, stack


def test_story_suggestions_arrive_from_a_background_job(suggestions):  # type: ignore[no-untyped-def]
    panel, _stack = suggestions
    assert panel.model.rowCount() > 20
    first = panel.model.index(0, 0).data(CANDIDATE_ROLE)
    assert float(panel.model.index(0, 0).data()) == pytest.approx(first.score, abs=0.005)
    assert ":" in panel.model.index(0, 1).data() and panel.current() == first
    assert "suggestions" in panel.status.text()


def test_accepting_creates_spans_and_a_link_and_undo_removes_them(qtbot, suggestions):  # type: ignore[no-untyped-def]
    panel, stack = suggestions
    candidate = panel.current()
    n = panel.model.rowCount()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    links = links_for_articles(panel.project, [candidate.source_article_id])
    assert len(links) == 1 and links[0].type == "SAME_CLAIM" and links[0].annotator == "alice"
    spans = spans_for_article(panel.project, candidate.target_article_id, ["alice"])
    assert [(s.start, s.end, s.origin) for s in spans] == [
        (candidate.target_start, candidate.target_end, "suggested")
    ]
    assert panel.model.rowCount() == n - 1 and panel.current() != candidate
    stack.undo()
    assert links_for_articles(panel.project, [candidate.source_article_id]) == []
    assert spans_for_article(panel.project, candidate.target_article_id, ["alice"]) == []
    assert spans_for_article(panel.project, candidate.source_article_id, ["alice"]) == []
    assert panel.model.rowCount() == n and panel.current() == candidate  # back in the list
    stack.redo()
    assert len(links_for_articles(panel.project, [candidate.source_article_id])) == 1
    assert panel.model.rowCount() == n - 1


def test_shift_a_asks_for_the_type(qtbot, monkeypatch, suggestions):  # type: ignore[no-untyped-def]
    panel, _stack = suggestions
    asked = _answer(monkeypatch, "SUPPORTS")
    candidate = panel.current()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert asked and asked[0]["default"] == "SAME_CLAIM"
    (link,) = links_for_articles(panel.project, [candidate.source_article_id])
    assert link.type == "SUPPORTS"


def test_x_rejects_and_the_pair_is_not_offered_again(qtbot, suggestions):  # type: ignore[no-untyped-def]
    panel, _stack = suggestions
    candidate = panel.current()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_X)
    assert rejected_count(panel.project) == 1
    assert candidate not in [panel.model.candidate(r) for r in range(panel.model.rowCount())]
    with qtbot.waitSignal(panel.model.modelReset, timeout=10_000):
        panel.find_suggestions()
    again = [panel.model.candidate(r) for r in range(panel.model.rowCount())]
    assert all(
        (c.source_article_id, c.source_start, c.target_article_id, c.target_start)
        != (
            candidate.source_article_id,
            candidate.source_start,
            candidate.target_article_id,
            candidate.target_start,
        )
        for c in again
    )


def test_span_scope_suggests_for_the_selected_span(qtbot, project):  # type: ignore[no-untyped-def]
    ids = load_demo(project)
    panel = LinkSuggestionsPanel(project, QUndoStack(), ProjectEvents(), "alice")
    qtbot.addWidget(panel)
    span = next(s for s in spans_for_article(project, ids["01-civic-wire.txt"]) if s.label == "CLAIM")
    panel.span_scope.setChecked(True)
    with qtbot.waitSignal(panel.model.modelReset, timeout=10_000):
        panel.set_span(span.id)
    assert all(panel.model.candidate(r).source_span_id == span.id for r in range(panel.model.rowCount()))


def test_suggestions_model_passes_the_model_tester(qtmodeltester, suggestions):  # type: ignore[no-untyped-def]
    panel, _stack = suggestions
    model = LinkSuggestionsModel()
    model.set_candidates([panel.model.candidate(r) for r in range(5)], panel.model.outlets)
    qtmodeltester.check(model)
    removed = model.candidate(2)
    assert model.remove(removed) == 2 and model.rowCount() == 4
    model.insert(2, removed)
    assert model.candidate(2) == removed


def test_menu_digits_pick_link_types(qtbot, project):  # type: ignore[no-untyped-def]
    from db.labels import list_link_types

    menu = link_type_menu.LinkTypeMenu(list_link_types(project), None, default="SOURCE_OF")
    qtbot.addWidget(menu)
    texts = [a.text() for a in menu.type_actions]
    assert texts[0].startswith("&1") and "Same claim" in texts[0] and texts[3].startswith("&4")
    assert menu.defaultAction() is menu.type_actions[3]
    menu.type_actions[1].trigger()
    assert menu.chosen == "CONTRADICTS"


def test_a_digit_key_in_the_open_menu_picks_that_type(qtbot, project):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    from db.labels import list_link_types

    menu = link_type_menu.LinkTypeMenu(list_link_types(project))
    qtbot.addWidget(menu)
    menu.popup(QPoint(100, 100))
    qtbot.waitExposed(menu)
    qtbot.keyClick(menu, Qt.Key.Key_2)
    assert menu.chosen == "CONTRADICTS"
