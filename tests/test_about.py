"""Help ▸ About shows the versions; F1 opens the shortcut sheet; errors become dialogs, not crashes."""

from __future__ import annotations

import platform
import sys

import PySide6
import pytest
from PySide6.QtCore import Qt, QTimer, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from db import __version__
from db.demo import DATA_DIR_ENV
from db.errors import NewsmarkError
from db.suggest import pipeline
from desktop import error_dialog
from desktop.about_dialog import AboutDialog
from desktop.main_window import MainWindow
from desktop.settings import SETTINGS_DIR_ENV, Settings
from desktop.shortcuts_dialog import ShortcutsDialog


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, project):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    win = MainWindow(Settings(), "alice")
    qtbot.addWidget(win)
    win.set_project(project)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runner.cancel_all()
    win.project = None


def test_about_lists_the_versions(window):
    window.about_action.trigger()
    about = window.about_dialog
    assert isinstance(about, AboutDialog) and about.isVisible()
    shown = {name: label.text() for name, label in about.value_labels.items()}
    assert shown["Newsmark"] == __version__
    assert shown["Qt"] == qVersion()
    assert shown["PySide6"] == PySide6.__version__
    assert shown["Python"].startswith(platform.python_version())
    assert shown["spaCy"][0].isdigit()
    assert shown["spaCy pipeline"]
    about.copy_versions()
    assert f"Newsmark: {__version__}" in QGuiApplication.clipboard().text()
    about.reject()


def test_about_does_not_load_a_pipeline(window, monkeypatch):
    monkeypatch.setattr(pipeline, "_cache", {})
    monkeypatch.setenv(pipeline.ENV_VAR, pipeline.BLANK)
    about = AboutDialog(window)
    assert about.value_labels["spaCy pipeline"].text() == "blank English, rules only (loads on first use)"
    assert pipeline._cache == {}


def test_about_names_the_loaded_pipeline(window, monkeypatch):
    monkeypatch.setenv(pipeline.ENV_VAR, pipeline.BLANK)
    nlp = pipeline.load_pipeline()
    about = AboutDialog(window)
    assert about.value_labels["spaCy pipeline"].text() == str(pipeline.pipeline_info(nlp))
    assert "loads on first use" not in about.value_labels["spaCy pipeline"].text()


def test_f1_opens_the_shortcut_sheet(qtbot, window):
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_F1)
    sheets = [d for d in window.findChildren(ShortcutsDialog) if d.isVisible()]
    assert sheets, "F1 did not open the shortcut sheet"
    text = sheets[0].browser.toPlainText()
    assert "F1" in text and "Claim" in text
    sheets[0].reject()


def _close_next_box(seen: list[QMessageBox]) -> None:
    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box)
            box.done(0)
        else:
            QTimer.singleShot(20, close)

    QTimer.singleShot(0, close)


def test_an_unexpected_error_is_a_dialog_and_a_log_entry(qtbot, window, tmp_path):
    seen: list[QMessageBox] = []
    _close_next_box(seen)
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        error_dialog.excepthook(*sys.exc_info())
    box = seen[0]
    assert box.objectName() == "errorDialog"
    assert "unexpected problem" in box.text()
    assert "Traceback" not in box.text() + box.informativeText()  # the traceback is in the details
    assert "ZeroDivisionError" in box.detailedText()
    log = tmp_path / "data" / "logs" / "newsmark.log"
    assert str(log) in box.informativeText()
    assert "ZeroDivisionError: division by zero" in log.read_text(encoding="utf-8")


def test_a_newsmark_error_is_shown_as_it_is(qtbot, window, tmp_path):
    seen: list[QMessageBox] = []
    _close_next_box(seen)
    error_dialog.excepthook(NewsmarkError, NewsmarkError("The project is busy. Try again."), None)
    assert seen[0].text() == "The project is busy. Try again."
    assert not seen[0].detailedText()
    assert not (tmp_path / "data" / "logs" / "newsmark.log").exists()
