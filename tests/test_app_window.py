"""The main window: navigation, the span list, drops, labels, corpus search, settings."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from db.corpus import search
from db.labels import list_labels
from db.spans import get_span
from desktop.main_window import MainWindow
from desktop.settings import MAX_RECENT, SETTINGS_DIR_ENV, Settings, ask_annotator
from tests.app_corpus import fill


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    return Settings()


@pytest.fixture
def ids(project):
    return fill(project)


@pytest.fixture
def window(qtbot, settings, project, ids):
    win = MainWindow(settings, "alice")
    qtbot.addWidget(win)
    win.set_project(project)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.runner.cancel_all()
    win.project = None  # the project fixture closes it


def test_story_span_counts_arrive_from_the_background(qtbot, window):
    story = window.navigator.model.index(1, 0).siblingAtColumn(1)
    qtbot.waitUntil(lambda: story.data() == "1 C · 2 A · 1 F", timeout=5000)


def test_window_opens_on_the_first_article_with_its_spans_listed(window, ids):
    assert window.navigator.current_article == ids["Dock workers strike"]
    assert "test" in window.windowTitle()
    assert "7 articles" in window.counts_label.text()
    assert "alice" in window.annotator_label.text()
    window.show_article(ids["Dovrenia condemns launch"])
    assert window.span_model.rowCount() == 3
    assert [window.span_model.index(r, 0).data() for r in range(3)] == ["Fact", "Attribution", "Claim"]


def test_j_and_k_move_between_articles_wherever_the_focus_is(qtbot, window, ids):
    shown = []
    window.navigator.articleActivated.connect(shown.append)
    target = window.reader.view  # the article text, where analysts spend their time
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_J)
    qtbot.keyClick(target, Qt.Key.Key_J)
    assert shown == [ids["Strike ends early"], ids["Dovrenia condemns launch"]]
    qtbot.keyClick(target, Qt.Key.Key_K)
    assert window.navigator.current_article == ids["Strike ends early"]
    assert window.span_model.article_id == ids["Strike ends early"]
    # typing a j into the filter box types it
    window.navigator.filter_edit.setFocus()
    qtbot.keyClicks(window.navigator.filter_edit, "j")
    assert window.navigator.filter_edit.text() == "j"
    assert window.navigator.current_article == ids["Strike ends early"]


def test_clicking_a_span_row_selects_the_span(qtbot, window, project, ids):
    window.show_article(ids["Dovrenia condemns launch"])
    table = window.span_table
    row = 2
    rect = table.visualRect(window.span_model.index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    span = window.span_model.span(row)
    assert window.inspector.span_id == span.id
    assert window.inspector.text_view.text() == span.text
    assert window.reader.view.selected_span_id() == span.id


def test_editing_a_note_in_the_inspector_is_one_undo_step(qtbot, window, project, ids):
    window.show_article(ids["Dovrenia condemns launch"])
    span = window.span_model.span(0)
    window.select_span(span.id)
    window.inspector.note_edit.setPlainText("Check the ministry statement")
    window.inspector.commit_note()
    assert get_span(project, span.id).note == "Check the ministry statement"
    assert window.span_model.index(0, 2).data() == "Check the ministry statement"
    assert "note" in window.undo_action.text().lower()
    window.undo_action.trigger()
    assert get_span(project, span.id).note is None


def test_relabelling_in_the_inspector_updates_the_navigator_counts(qtbot, window, project, ids):
    aid = ids["Dovrenia condemns launch"]
    window.show_article(aid)
    span = window.span_model.span(0)  # the FACT
    window.select_span(span.id)
    window.inspector.label_box.setCurrentIndex(window.inspector.label_box.findData("CLAIM"))
    window.inspector.label_box.activated.emit(window.inspector.label_box.currentIndex())
    assert get_span(project, span.id).label == "CLAIM"
    index = window.navigator.model.index_for_article(aid)
    assert index.siblingAtColumn(1).data() == "2 C · 1 A"
    story = window.navigator.model.index(1, 0).siblingAtColumn(1)
    qtbot.wait(50)  # the background count of the stories, started at opening, must not undo this
    assert story.data() == "2 C · 2 A"


def test_label_buttons_show_key_colour_and_definition(window, project):
    actions = {a.objectName(): a for a in window.label_bar.actions()}
    claim = actions["label_CLAIM"]
    assert claim.shortcut().toString() == "1"
    assert "1" in claim.iconText()
    definition = next(lb.definition for lb in list_labels(project) if lb.key == "CLAIM")
    assert definition[:40] in claim.toolTip()


def _drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_dropped_files_are_imported_and_a_bad_file_is_reported(qtbot, window, tmp_path, ids):
    good = tmp_path / "harbour-update.txt"
    good.write_text("Harbour update\n\nThe port reopened on Monday, officials said.", encoding="utf-8")
    bad = tmp_path / "broken.jsonl"
    ok_line = json.dumps({"text": "A fine first line.", "meta": {"title": "Fine"}})
    bad.write_text(ok_line + "\n{not json\n", encoding="utf-8")
    _drop(window, [good, bad])
    assert window.job_status.isVisible()
    qtbot.waitUntil(lambda: window.last_report is not None, timeout=10_000)
    report = window.last_report.text()
    assert "broken.jsonl" in report and "line 2" in report
    assert "8 articles" in window.counts_label.text()
    window.navigator.filter_edit.setText("reopened")
    window.navigator.apply_filter()
    assert window.navigator.model.rowCount() == 1
    window.last_report.close()


def test_labels_dialog_renames_and_recolours_a_label(qtbot, window, project):
    dialog = window.edit_labels()
    dialog.select("FACT")
    dialog.name_edit.setText("Verified fact")
    dialog.set_color("#123456")
    dialog.definition_edit.setPlainText("Checked against a primary source.")
    assert dialog.apply()
    fact = next(lb for lb in list_labels(project) if lb.key == "FACT")
    assert (fact.name, fact.color, fact.definition) == (
        "Verified fact",
        "#123456",
        "Checked against a primary source.",
    )
    button = next(a for a in window.label_bar.actions() if a.objectName() == "label_FACT")
    assert button.text() == "Verified fact" and "primary source" in button.toolTip()
    dialog.close()


def test_labels_dialog_adds_a_label(window, project):
    dialog = window.edit_labels()
    dialog.start_new_label()
    dialog.name_edit.setText("Speculation")
    dialog.shortcut_edit.setText("5")
    assert dialog.apply()
    assert list_labels(project)[-1].key == "SPECULATION"
    assert any(a.objectName() == "label_SPECULATION" for a in window.label_bar.actions())
    dialog.close()


def test_corpus_search_offsets_count_emoji_as_one_character(project, ids):
    hits = search(project, "the strait")
    assert len(hits) == 1
    hit = hits[0]
    text = "A short note without a story. Emoji 😀 before the strait of words."
    assert (hit.start, hit.end) == (text.index("the strait"), text.index("the strait") + 10)
    assert hit.match == "the strait" and "😀" in hit.before


def test_corpus_search_dock_opens_the_article_of_a_result(qtbot, window, ids):
    window.find_in_corpus()
    assert window.search_dock.isVisible()
    with qtbot.waitSignal(window.search.searchFinished, timeout=5000):
        window.search.query_edit.setText("said")
        window.search.search_now()
    assert window.search.model.rowCount() == 4
    opened = []
    window.search.hitActivated.connect(lambda *a: opened.append(a))
    rect = window.search.view.visualRect(window.search.model.index(3, 0))
    qtbot.mouseClick(window.search.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    hit = window.search.model.hit(3)
    assert opened == [(hit.article_id, hit.start, hit.end)]
    assert window.navigator.current_article == hit.article_id


def test_annotator_is_asked_at_first_launch_and_kept(qtbot, settings):
    assert settings.annotator is None

    def answer():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("  Maria  Lopez ")
        dialog.accept()

    QTimer.singleShot(0, answer)
    assert ask_annotator(settings) == "Maria Lopez"
    assert Settings().annotator == "Maria Lopez"
    assert ask_annotator(Settings()) == "Maria Lopez"  # not asked again


def test_recent_projects_keep_the_last_ten_newest_first(tmp_path, settings):
    for i in range(12):
        settings.add_recent(tmp_path / f"p{i}.newsmark")
    settings.add_recent(tmp_path / "p5.newsmark")
    recent = Settings().recent_projects
    assert len(recent) == MAX_RECENT
    assert recent[0].endswith("p5.newsmark") and recent[1].endswith("p11.newsmark")
    assert len(set(recent)) == MAX_RECENT
    assert Settings().last_project.endswith("p5.newsmark")


def test_opening_a_project_adds_it_to_the_recent_menu(qtbot, window, tmp_path):
    from desktop.project_actions import fill_recent_menu

    other = tmp_path / "second.newsmark"
    assert window.open_location(other)
    assert window.project.path == other.resolve()
    fill_recent_menu(window)
    names = [a.text() for a in window.recent_menu.actions()]
    assert names[0] == "second.newsmark"
    window.project.close()


def test_a_file_that_is_not_a_project_is_explained(qtbot, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.text(), box.informativeText())) or 0
    )
    junk = tmp_path / "notes.newsmark"
    junk.write_text("just some notes", encoding="utf-8")
    before = window.project
    assert window.open_location(junk) is False
    assert window.project is before
    assert "not a Newsmark project" in shown[0][0]
    assert "Choose a Newsmark project" in shown[0][1]
    assert junk.read_text(encoding="utf-8") == "just some notes"


def test_window_layout_is_saved_on_close(qtbot, settings, project, ids):
    win = MainWindow(settings, "alice")
    qtbot.addWidget(win)
    win.set_project(project)
    win.show()
    win.project = None  # the fixture closes it
    win.close()
    geometry, state = Settings().window_layout()
    assert geometry is not None and state is not None


def test_selecting_a_span_in_the_reader_selects_its_row(window, ids):
    window.show_article(ids["Dovrenia condemns launch"])
    span = window.span_model.span(1)
    window.reader.select_span(span.id)
    assert window.span_table.currentIndex().row() == 1
    assert window.inspector.span_id == span.id
    window.reader.select_span(None)
    assert window.inspector.span_id is None


def test_help_lists_every_key_and_the_label_definitions(window, project):
    dialog = window.show_shortcuts()
    text = dialog.browser.toPlainText()
    for needed in ("Ctrl+Shift+F", "Next article", "Undo", "Tab, Shift+Tab", "Claim", "EXPERT_OPINION"):
        assert needed in text
    claim = next(lb for lb in list_labels(project) if lb.key == "CLAIM")
    assert claim.definition[:50] in " ".join(text.split())
    dialog.close()


def test_without_a_project_only_project_free_actions_are_enabled(qtbot, settings):
    win = MainWindow(settings, "alice")
    qtbot.addWidget(win)
    assert win.new_action.isEnabled() and win.open_action.isEnabled()
    assert not win.import_action.isEnabled() and not win.find_corpus_action.isEnabled()
    assert win.windowTitle() == "no project — Newsmark"


def test_export_runs_in_the_background_and_writes_the_file(qtbot, window, tmp_path):
    from desktop.project_actions import export_to

    out = tmp_path / "spans.jsonl"
    job = export_to(window, str(out), "jsonl")
    qtbot.waitUntil(lambda: job.done and out.exists(), timeout=10_000)
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=5000)
    assert len(out.read_text(encoding="utf-8").splitlines()) >= 2
