"""Span suggestions in the reader (issue 6): a background job fills the reader with dashed outlines;
Enter / A accepts, X rejects, both stored and undoable; accept all per label is one undo step;
cancelling leaves nothing running. Every test forces the blank (rules-only) pipeline."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from db.links import links_for_articles
from db.project import open_project
from db.spans import spans_for_article
from desktop.suggestions_controller import SuggestionsController
from tests.reader_helpers import make_pane

TEXT = (
    "Harbour closed after oil spill\n\n"
    "Mayor Agnes Thorvald said the harbour would stay closed until Friday. "
    '"Nobody was hurt, and the boats are safe," she told reporters.\n\n'
    "The spill covered 3 square kilometres on Tuesday.\n\n"
    "Amina Clough, a marine biologist at Harwell University, said the damage to the reef was limited."
)
MAYOR = "Mayor Agnes Thorvald said"
HARBOUR = "the harbour would stay closed until Friday"
FACT = "The spill covered 3 square kilometres on Tuesday"


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # The app must work with no trained pipeline: force the blank one everywhere.
    monkeypatch.setenv("NEWSMARK_SPACY_MODEL", "blank")


def suggested(qtbot, project, annotator: str = "alice"):  # type: ignore[no-untyped-def]
    """A reader on TEXT with a controller whose suggestions have arrived."""
    pane, article_id = make_pane(qtbot, project, TEXT, annotator)
    controller = SuggestionsController(project, pane.undo_stack, pane.events, annotator, parent=pane)
    controller.attach(pane)
    job = controller.suggest()
    assert job is not None
    qtbot.waitUntil(lambda: bool(pane.view.suggestions), timeout=20_000)
    return pane, controller, article_id


def find(pane, text: str, label: str | None = None):  # type: ignore[no-untyped-def]
    return next(s for s in pane.view.suggestions if s.text == text and (label is None or s.label == label))


def stored(project, article_id: int, include_rejected: bool = False):  # type: ignore[no-untyped-def]
    return {
        (s.label, s.text, s.origin, s.status)
        for s in spans_for_article(project, article_id, include_rejected=include_rejected)
    }


def test_suggestions_arrive_from_a_job_and_are_held_apart_from_spans(qtbot, project):
    pane, controller, article_id = suggested(qtbot, project)
    view = pane.view
    assert {(s.label, s.text) for s in view.suggestions} >= {
        ("ATTRIBUTION", MAYOR),
        ("CLAIM", HARBOUR),
        ("FACT", FACT),
        ("EXPERT_OPINION", "the damage to the reef was limited"),
    }
    assert len(view.index) == 0  # suggestions are not spans
    assert spans_for_article(project, article_id) == []
    assert not controller.is_running()


def test_a_suggestion_is_a_dashed_outline_in_its_label_colour_with_no_fill(qtbot, project):
    pane, _controller, _article_id = suggested(qtbot, project)
    view = pane.view
    fact = find(pane, FACT)
    colour = QColor(view.label("FACT").color)
    rects = view.text_rects(fact.start, fact.end)
    assert len(rects) == 1
    box = rects[0]
    image = view.viewport().grab().toImage()
    scale = image.devicePixelRatio()

    def near(x: float, y: float) -> bool:
        c = QColor(image.pixel(int(x * scale), int(y * scale)))
        return (
            abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue())
            < 120
        )

    # The outline's top edge (1 px outside the text's box): dashes, so both on and off pixels.
    y = box.top() - 1
    row = [near(x, y) for x in range(int(box.left()) + 6, int(box.right()) - 6)]
    assert sum(row) > len(row) * 0.3 and sum(row) < len(row) * 0.9
    # Inside, between the lines of text, no tint: the page's own background.
    background = view.viewport().palette().color(view.viewport().backgroundRole())
    inside = QColor(image.pixel(int((box.left() + 3) * scale), int((box.top() + 2) * scale)))
    assert inside == background


def test_click_selects_a_suggestion_and_a_accepts_it_as_a_suggested_span(qtbot, project):
    pane, _controller, article_id = suggested(qtbot, project)
    view = pane.view
    fact = find(pane, FACT)
    rect = view.text_rects(fact.start, fact.end)[0]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert view.selected_suggestion() == fact
    assert view.selected_span_id() is None

    qtbot.keyClick(view, Qt.Key.Key_A)
    assert stored(project, article_id) == {("FACT", FACT, "suggested", "active")}
    assert fact not in view.suggestions
    assert [(s.label, s.text) for s in view.index.spans()] == [("FACT", FACT)]
    assert pane.undo_stack.undoText() == "Accept suggested Fact “The spill covered 3 square kilometres o…”"
    # The next suggestion is selected, ready for the next decision.
    assert view.selected_suggestion() is not None and view.selected_suggestion().start > fact.start


def test_enter_accepts_both_ends_and_the_source_of_link_follows(qtbot, project):
    pane, controller, article_id = suggested(qtbot, project)
    view = pane.view
    controller.select(find(pane, MAYOR))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.selected_suggestion() == find(pane, HARBOUR)  # moved on to the claim it introduces
    assert links_for_articles(project, [article_id]) == []
    qtbot.keyClick(view, Qt.Key.Key_Enter)
    (link,) = links_for_articles(project, [article_id])
    assert link.type == "SOURCE_OF"
    assert stored(project, article_id) == {
        ("ATTRIBUTION", MAYOR, "suggested", "active"),
        ("CLAIM", HARBOUR, "suggested", "active"),
    }
    pane.undo_stack.undo()  # the claim and its link go; the attribution stays
    assert links_for_articles(project, [article_id]) == []
    assert stored(project, article_id) == {("ATTRIBUTION", MAYOR, "suggested", "active")}
    assert find(pane, HARBOUR) in view.suggestions
    pane.undo_stack.redo()
    assert len(links_for_articles(project, [article_id])) == 1


def test_undo_of_accept_removes_the_span_and_offers_the_suggestion_again(qtbot, project):
    pane, controller, article_id = suggested(qtbot, project)
    view = pane.view
    fact = find(pane, FACT)
    controller.select(fact)
    qtbot.keyClick(view, Qt.Key.Key_A)
    span_id = view.index.spans()[0].id
    pane.undo_stack.undo()
    assert spans_for_article(project, article_id) == []
    assert len(view.index) == 0
    assert fact in view.suggestions
    pane.undo_stack.redo()
    assert [s.id for s in spans_for_article(project, article_id)] == [span_id]
    assert fact not in view.suggestions


def test_x_rejects_and_a_rejected_suggestion_is_not_offered_after_reopening(qtbot, project_path):
    project = open_project(project_path)
    pane, controller, article_id = suggested(qtbot, project)
    view = pane.view
    controller.select(find(pane, FACT))
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert FACT not in {s.text for s in view.suggestions}
    assert stored(project, article_id, include_rejected=True) == {("FACT", FACT, "suggested", "rejected")}
    assert spans_for_article(project, article_id) == []  # a rejection is not a span
    assert pane.undo_stack.undoText().startswith("Reject suggested Fact")
    controller.close()
    project.close()

    again = open_project(project_path)
    try:
        pane2, controller2, _ = suggested_for(qtbot, again, article_id)
        assert FACT not in {s.text for s in pane2.view.suggestions}
        assert MAYOR in {s.text for s in pane2.view.suggestions}
    finally:
        controller2.close()
        again.close()


def suggested_for(qtbot, project, article_id: int):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QUndoStack

    from desktop.project_events import ProjectEvents
    from desktop.reader_pane import ReaderPane

    pane = ReaderPane(project, QUndoStack(), ProjectEvents(), "alice")
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show_article(article_id)
    pane.show()
    controller = SuggestionsController(project, pane.undo_stack, pane.events, "alice", parent=pane)
    controller.attach(pane)
    controller.suggest()
    qtbot.waitUntil(lambda: controller.suggestion_set(article_id) is not None, timeout=20_000)
    return pane, controller, article_id


def test_undo_of_reject_offers_the_suggestion_again(qtbot, project):
    pane, controller, article_id = suggested(qtbot, project)
    view = pane.view
    fact = find(pane, FACT)
    controller.select(fact)
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert fact not in view.suggestions
    pane.undo_stack.undo()
    assert fact in view.suggestions
    assert stored(project, article_id, include_rejected=True) == set()
    pane.undo_stack.redo()
    assert fact not in view.suggestions
    assert stored(project, article_id, include_rejected=True) == {("FACT", FACT, "suggested", "rejected")}


def test_accept_all_of_one_label_is_one_undo_step(qtbot, project):
    pane, controller, article_id = suggested(qtbot, project)
    view = pane.view
    claims = [s for s in view.suggestions if s.label == "CLAIM"]
    assert len(claims) == 2
    count = pane.undo_stack.count()
    assert controller.accept_all("CLAIM")
    assert pane.undo_stack.count() == count + 1
    assert pane.undo_stack.undoText() == "Accept 2 suggested Claims"
    assert {s.text for s in spans_for_article(project, article_id)} == {s.text for s in claims}
    assert all(s.label != "CLAIM" for s in view.suggestions)
    assert any(s.label == "ATTRIBUTION" for s in view.suggestions)
    pane.undo_stack.undo()
    assert spans_for_article(project, article_id) == []
    assert len([s for s in view.suggestions if s.label == "CLAIM"]) == 2
    assert len(view.index) == 0


def test_right_click_on_a_suggestion_offers_accept_and_reject(qtbot, project):
    pane, controller, article_id = suggested(qtbot, project)
    view = pane.view
    fact = find(pane, FACT)
    pos = view.text_rects(fact.start, fact.end)[0].center().toPoint()
    assert pane.build_context_menu(pos) is None  # no span there: the reader has nothing to offer
    menu = controller.build_context_menu(pos)
    assert menu is not None
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Accept suggested Fact\tEnter",
        "Reject suggestion\tX",
        "Accept all suggested Facts",
    ]
    assert view.selected_suggestion() == fact
    menu.actions()[1].trigger()
    assert stored(project, article_id, include_rejected=True) == {("FACT", FACT, "suggested", "rejected")}


def test_s_and_tab_move_through_suggestions_and_escape_lets_go(qtbot, project):
    pane, _controller, _article_id = suggested(qtbot, project)
    view = pane.view
    first, second = view.suggestions[0], view.suggestions[1]
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # nothing selected, no spans: the first suggestion
    assert view.selected_suggestion() == first
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_suggestion() == second
    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_suggestion() == first
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert view.selected_suggestion() == second
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_suggestion() is None


def _blocking_pipeline(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make the pipeline load wait (as a first spaCy load would) until the test lets it go."""
    import db.suggest

    release = threading.Event()
    real = db.suggest.load_pipeline

    def slow(name=None):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real(name)

    monkeypatch.setattr(db.suggest, "load_pipeline", slow)
    return release


def test_escape_cancels_a_running_job_and_leaves_no_thread(qtbot, project, monkeypatch):
    release = _blocking_pipeline(monkeypatch)
    pane, article_id = make_pane(qtbot, project, TEXT)
    controller = SuggestionsController(project, pane.undo_stack, pane.events, "alice", parent=pane)
    controller.attach(pane)
    messages: list[str] = []
    controller.message.connect(lambda text, _ms: messages.append(text))
    job = controller.suggest()
    assert job is not None and controller.is_running(article_id)
    assert controller.suggest() is None  # one job per article at a time
    qtbot.keyClick(pane.view, Qt.Key.Key_Escape)
    release.set()
    with qtbot.waitSignal(controller.runningChanged, timeout=10_000):
        pass
    assert job.wait(5)
    assert not controller.is_running()
    assert pane.view.suggestions == []
    assert messages[-1] == "Suggestions cancelled"


def test_who_said_what_groups_a_speakers_claims_and_a_click_selects_one(qtbot, project, qtmodeltester):
    from desktop.speakers_model import ClaimState
    from desktop.speakers_panel import SpeakersPanel

    pane, controller, _article_id = suggested(qtbot, project)
    panel = SpeakersPanel()
    qtbot.addWidget(panel)
    panel.set_controller(controller)
    panel.resize(400, 300)
    panel.show()
    qtbot.waitExposed(panel)
    model = panel.model
    qtmodeltester.check(model)
    speakers = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert speakers == ["Agnes Thorvald  (2)", "Amina Clough · expert  (1)"]
    mayor = model.index(0, 0)
    said = [model.index(r, 0, mayor).data() for r in range(model.rowCount(mayor))]
    assert said == [f"“{HARBOUR}”", "“Nobody was hurt, and the boats are safe”"]
    assert "she" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)

    controller.select(find(pane, "Nobody was hurt, and the boats are safe"))
    assert panel.tree.currentIndex() == model.index(1, 0, mayor)  # the panel follows the reader

    claim = model.index(0, 0, mayor)
    rect = panel.tree.visualRect(claim)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.view.selected_suggestion() == find(pane, HARBOUR)

    controller.accept()
    claim = model.index(0, 0, model.index(0, 0))
    assert claim.data(Qt.ItemDataRole.UserRole + 2) == ClaimState.ACCEPTED
    assert claim.data().startswith("✓")
    qtbot.mouseClick(
        panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=panel.tree.visualRect(claim).center()
    )
    assert pane.view.selected_span().text == HARBOUR


def test_the_main_window_menu_runs_suggestions_and_the_setting_suggests_on_open(
    qtbot, tmp_path, project_path
):
    from desktop.main_window import MainWindow
    from desktop.settings import Settings

    settings = Settings(tmp_path / "settings.ini")
    assert settings.suggest_on_open is False
    project = open_project(project_path)
    from tests.reader_helpers import add_text

    first = add_text(project, TEXT, "Harbour")
    second = add_text(project, TEXT.replace("Tuesday", "Monday"), "Harbour again")
    window = MainWindow(settings, "alice")
    qtbot.addWidget(window)
    window.set_project(project)
    window.show()
    try:
        assert window.suggest_action.shortcut().toString() == "Ctrl+Shift+S"
        assert window.suggest_action in window.annotate_menu.actions()
        window.show_article(first)
        window.suggest_action.trigger()
        qtbot.waitUntil(lambda: bool(window.reader.view.suggestions), timeout=20_000)
        assert window.speakers_dock.isVisible()
        window.accept_suggested_actions[3].trigger()  # Accept all suggested Facts
        assert {s.label for s in spans_for_article(project, first)} == {"FACT"}

        window.suggest_on_open_action.setChecked(True)
        assert settings.suggest_on_open is True
        window.show_article(second)
        qtbot.waitUntil(lambda: bool(window.reader.view.suggestions), timeout=20_000)
        assert window.reader.article.id == second
    finally:
        window.runner.cancel_all()
        window.close()


def test_no_suggestion_key_fires_without_suggestions(qtbot, project):
    # Without suggestions the reader keeps its keys: Tab goes to spans, X / S do nothing special.
    pane, _article_id = make_pane(qtbot, project, TEXT)
    controller = SuggestionsController(project, pane.undo_stack, pane.events, "alice", parent=pane)
    controller.attach(pane)
    pane.view.select_text(*_at(MAYOR))
    qtbot.keyClick(pane.view, Qt.Key.Key_2)
    pane.view.clear_selection()
    cursor = pane.view.textCursor()
    cursor.setPosition(0)
    pane.view.setTextCursor(cursor)
    qtbot.keyClick(pane.view, Qt.Key.Key_Tab)
    assert pane.view.selected_span().text == MAYOR
    assert pane.view.selected_suggestion() is None


def _at(words: str) -> tuple[int, int]:
    i = TEXT.index(words)
    return i, i + len(words)
