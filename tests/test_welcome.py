"""The welcome screen: the demo, a new project, an import; the annotator's name asked once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from db.demo import DATA_DIR_ENV, demo_project_path
from desktop.main_window import MainWindow
from desktop.settings import SETTINGS_DIR_ENV, Settings
from desktop.welcome import WelcomeDialog, show_welcome


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    win = MainWindow(Settings(), "analyst")  # first run: no name stored yet
    qtbot.addWidget(win)
    win.show()
    yield win
    win.runner.cancel_all()
    win.close()


def _save_dialog(monkeypatch, path: Path | None, calls: list[str]) -> None:
    def fake(*_args, **_kwargs):
        calls.append("save")
        return (str(path) if path else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)


def test_the_welcome_asks_the_name_and_opens_the_demo(qtbot, window):
    welcome = show_welcome(window)
    assert welcome.name_edit is not None and welcome.name_edit.isVisible()
    welcome.name_edit.setText("Maria Lopez")
    welcome.demo_button.click()
    assert welcome.choice == "demo" and not welcome.isVisible()
    assert window.project is not None
    assert window.project.path == demo_project_path().resolve()
    assert window.navigator.model.rowCount() == 1  # the demo story
    assert window.settings.annotator == "Maria Lopez"
    assert window.annotator == "Maria Lopez"
    assert "Maria Lopez" in window.annotator_label.text()


def test_an_empty_name_is_refused_with_a_reason(qtbot, window):
    welcome = show_welcome(window)
    welcome.name_edit.setText("   ")
    welcome.demo_button.click()
    assert welcome.isVisible() and window.project is None
    assert welcome.name_error.isVisible()
    assert window.settings.annotator is None


def test_the_name_is_not_asked_again_once_stored(window):
    window.settings.annotator = "maria"
    welcome = WelcomeDialog(window)
    assert welcome.name_edit is None


def test_create_a_project_opens_the_new_file(qtbot, window, tmp_path, monkeypatch):
    calls: list[str] = []
    _save_dialog(monkeypatch, tmp_path / "strait", calls)
    welcome = show_welcome(window)
    welcome.name_edit.setText("maria")
    welcome.create_button.click()
    assert calls == ["save"]
    assert welcome.choice == "create" and not welcome.isVisible()
    assert window.project.path == (tmp_path / "strait.newsmark").resolve()
    assert "strait" in window.windowTitle()
    assert window.settings.last_project == str((tmp_path / "strait.newsmark").resolve())


def test_a_cancelled_file_dialog_keeps_the_welcome_open(qtbot, window, monkeypatch):
    calls: list[str] = []
    _save_dialog(monkeypatch, None, calls)
    welcome = show_welcome(window)
    welcome.name_edit.setText("maria")
    welcome.create_button.click()
    assert calls == ["save"]
    assert welcome.isVisible() and welcome.choice is None and window.project is None


def test_import_articles_creates_a_project_and_imports_into_it(qtbot, window, tmp_path, monkeypatch):
    article = tmp_path / "launch.txt"
    article.write_text(
        "Strait launch condemned\n\nThe ministry said on Thursday that three missiles fell into the sea.\n",
        encoding="utf-8",
    )
    calls: list[str] = []
    _save_dialog(monkeypatch, tmp_path / "imported.newsmark", calls)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *_a, **_k: calls.append("open") or ([str(article)], "")
    )
    welcome = show_welcome(window)
    welcome.name_edit.setText("maria")
    welcome.import_button.click()
    assert calls == ["save", "open"]
    assert welcome.choice == "import"
    assert window.project.path == (tmp_path / "imported.newsmark").resolve()
    qtbot.waitUntil(lambda: "1 article " in window.counts_label.text(), timeout=10_000)
    assert window.navigator.model.rowCount() >= 1


def test_help_menu_has_welcome_and_guidelines(qtbot, window):
    help_titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert "Help" in help_titles
    window.welcome_action.trigger()
    assert isinstance(window.welcome, WelcomeDialog) and window.welcome.isVisible()
    window.welcome.guidelines_button.click()
    page = window.guidelines_dialog.browser.toPlainText()
    assert "Expert opinion" in page and "SAME_CLAIM or SUPPORTS?" in page
    window.welcome.reject()


def test_guidelines_show_the_projects_labels_with_demo_examples(qtbot, window, tmp_path):
    from db.labels import list_labels
    from desktop.guidelines_dialog import show_guidelines

    assert window.open_location(tmp_path / "g.newsmark")
    labels = list_labels(window.project)
    text = show_guidelines(window).browser.toPlainText()
    for label in labels:
        assert label.name in text and label.definition[:40] in text
    assert "Anselm said" in text  # an ATTRIBUTION of the demo corpus
    assert "(Civic Wire)" in text
    for link_type in ("SAME_CLAIM", "SUPPORTS", "CONTRADICTS", "SOURCE_OF"):
        assert link_type in text
    assert "Choosing a link" in text
