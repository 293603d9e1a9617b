"""Review in the main window: menus, comments the annotator sees, the navigator's review progress,
and merging a colleague's work (twice: nothing new the second time)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from db.articles import get_article
from db.project import open_project
from db.review import review_span
from db.spans import add_span, spans_for_article
from desktop import review_setup
from desktop.main_window import MainWindow
from desktop.navigator_model import KIND_ROLE, NodeKind
from desktop.settings import SETTINGS_DIR_ENV, Settings
from tests.app_corpus import fill


@pytest.fixture
def settings(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    return Settings()


@pytest.fixture
def ids(project):  # type: ignore[no-untyped-def]
    ids = fill(project)
    first = ids["Dovrenia condemns launch"]
    add_span(project, first, 0, 29, "CLAIM", "bob")  # alice says FACT
    add_span(project, first, 31, 47, "ATTRIBUTION", "bob")
    return ids


def make_window(qtbot, settings, project, annotator):  # type: ignore[no-untyped-def]
    win = MainWindow(settings, annotator)
    qtbot.addWidget(win)
    win.set_project(project)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot, settings, project, ids):  # type: ignore[no-untyped-def]
    win = make_window(qtbot, settings, project, "rita")
    yield win
    win.runner.cancel_all()
    win.project = None


def menu_texts(win: MainWindow, title: str) -> list[str]:
    for action in win.menuBar().actions():
        if action.text().replace("&", "") == title:
            return [a.text().replace("&", "") for a in action.menu().actions() if a.text()]
    return []


def test_menus_offer_review_agreement_and_merge(window) -> None:  # type: ignore[no-untyped-def]
    assert menu_texts(window, "Review")[:2] == ["Start review…", "End review"]
    assert "Agreement…" in menu_texts(window, "Review")
    file_items = menu_texts(window, "File")
    assert file_items.index("Merge colleague's work…") > file_items.index("Import…")
    assert window.start_review_action.isEnabled()


def test_start_review_dialog_offers_the_three_modes(qtbot, window, ids) -> None:  # type: ignore[no-untyped-def]
    window.show_article(ids["Dovrenia condemns launch"])
    dialog = review_setup.start_review_dialog(window)
    assert dialog is not None
    dialog.set_mode("pair")
    dialog.a_box.setCurrentText("alice")
    dialog.b_box.setCurrentText("bob")
    assert dialog.choice() == ("alice", "bob")
    dialog.set_mode("gold")
    assert dialog.choice() == ("alice", "gold")
    dialog.set_mode("layer")
    assert dialog.choice() == ("alice", None)
    assert dialog.b_box.isHidden()
    dialog.set_mode("pair")
    dialog.accept()
    assert window.review_controller.active
    assert window.review_dock.isVisible()
    assert window.review_bar.position.text() == "1 / 2"
    assert window.span_model.rowCount() == 5  # the span list shows alice's and bob's spans too
    review_setup.end_review(window)
    assert not window.review_controller.active and not window.review_dock.isVisible()
    assert window.span_model.rowCount() == 0  # back to rita's own (empty) layer


def test_review_follows_the_reader_to_another_article(qtbot, window, ids) -> None:  # type: ignore[no-untyped-def]
    window.show_article(ids["Dovrenia condemns launch"])
    controller = review_setup.start_review(window, "alice", "bob")
    assert controller.model.rowCount() == 2  # the label conflict, and alice's CLAIM bob lacks
    window.show_article(ids["Analysts weigh in"])
    assert controller.article_id == ids["Analysts weigh in"]
    assert controller.model.index(0, 1).data() == "Only bob"


def test_comments_appear_for_the_annotator_in_the_reader_and_inspector(qtbot, settings, project, ids) -> None:  # type: ignore[no-untyped-def]
    first = ids["Dovrenia condemns launch"]
    span = next(s for s in spans_for_article(project, first, ["alice"]) if s.label == "CLAIM")
    review_span(project, span.id, "rita", "comment", "Is this a claim or a fact?")
    win = make_window(qtbot, settings, project, "alice")
    try:
        win.show_article(first)
        assert win.reader.view.comment_counts == {span.id: 1}
        win.select_span(span.id)
        assert "Is this a claim or a fact?" in win.inspector.review.text()
        assert "rita" in win.inspector.review.text()
        other = next(s for s in spans_for_article(project, first, ["alice"]) if s.id != span.id)
        win.select_span(other.id)
        assert win.inspector.review.text() == "Not reviewed yet"
        # Painting the badge goes through the painter without trouble.
        win.reader.view.grab()
    finally:
        win.runner.cancel_all()
        win.project = None


def test_mark_reviewed_shows_in_the_navigator(qtbot, window, ids) -> None:  # type: ignore[no-untyped-def]
    first = ids["Dovrenia condemns launch"]
    window.show_article(first)
    controller = review_setup.start_review(window, "alice", "bob")
    assert controller.mark_reviewed()
    model = window.navigator.model
    index = model.index_for_article(first)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "Reviewed" in index.data(Qt.ItemDataRole.ToolTipRole)
    story = next(
        model.index(r, 0)
        for r in range(model.rowCount())
        if str(model.index(r, 0).data()).startswith("Strait launch")
    )
    assert story.data(KIND_ROLE) is NodeKind.STORY
    qtbot.waitUntil(lambda: story.data() == "Strait launch  ·  1/3 reviewed", timeout=5000)
    assert model.review_progress_text("Strait launch") == "1/3 reviewed"
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: story.data() == "Strait launch", timeout=5000)
    assert "Reviewed" not in model.index_for_article(first).data(Qt.ItemDataRole.ToolTipRole)


def _export_line(project, article_id: int, annotator: str, spans: list[tuple[int, int, str]]) -> str:  # type: ignore[no-untyped-def]
    article = get_article(project, article_id)
    return json.dumps(
        {
            "text": article.text,
            "meta": {"title": article.title},
            "_annotator_id": annotator,
            "spans": [{"start": s, "end": e, "label": lb} for s, e, lb in spans],
        }
    )


def _run_merge(qtbot, window, path: str):  # type: ignore[no-untyped-def]
    dialog = review_setup.open_merge(window)
    dialog.set_path(path)
    with qtbot.waitSignal(dialog.finished_summary, timeout=10_000):
        dialog.start()
    return dialog


def test_merging_a_colleagues_export_twice_changes_nothing_the_second_time(
    qtbot, window, ids, project, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    first = ids["Talks cancelled"]
    path = tmp_path / "carl.jsonl"
    path.write_text(_export_line(project, first, "carl", [(0, 9, "ATTRIBUTION"), (15, 45, "CLAIM")]) + "\n")
    dialog = _run_merge(qtbot, window, str(path))
    assert "A JSONL export by carl" in dialog.kind.text()
    assert "Merged." in dialog.result_label.text()
    spans = spans_for_article(project, first, ["carl"])
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 9, "ATTRIBUTION"), (15, 45, "CLAIM")]
    dialog.close()

    again = _run_merge(qtbot, window, str(path))
    assert "Nothing new" in again.result_label.text()
    assert spans_for_article(project, first, ["carl"]) == spans


def test_merging_a_colleagues_project_file_twice(qtbot, window, ids, project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db.articles import add_article

    theirs = open_project(tmp_path / "carl.newsmark")
    text = get_article(project, ids["Strike ends early"]).text
    with theirs.write() as s:
        art, _ = add_article(s, text, title="Strike ends early")
        their_id = art.id
    add_span(theirs, their_id, 0, 10, "FACT", "carl")
    theirs.close()
    dialog = _run_merge(qtbot, window, str(tmp_path / "carl.newsmark"))
    assert "Merged." in dialog.result_label.text()
    assert [(s.start, s.end) for s in spans_for_article(project, ids["Strike ends early"], ["carl"])] == [
        (0, 10)
    ]
    dialog.close()
    again = _run_merge(qtbot, window, str(tmp_path / "carl.newsmark"))
    assert "Nothing new" in again.result_label.text()
    assert len(spans_for_article(project, ids["Strike ends early"], ["carl"])) == 1
