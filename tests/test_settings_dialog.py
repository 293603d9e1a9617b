"""Edit ▸ Settings…: values are stored, applied at once, and back at the next start."""

from __future__ import annotations

import os

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from db.project import BACKUP_DIR_ENV, list_backups
from db.suggest.pipeline import ENV_VAR, resolve_name
from desktop.main_window import MainWindow
from desktop.settings import SETTINGS_DIR_ENV, Settings
from desktop.settings_dialog import SettingsDialog, apply_theme, installed_pipelines
from tests.app_corpus import fill


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, project):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    for variable in (ENV_VAR, BACKUP_DIR_ENV):  # set by the dialog; restored after the test
        monkeypatch.setenv(variable, "")
        monkeypatch.delenv(variable)
    fill(project)
    settings = Settings()
    settings.annotator = "alice"
    win = MainWindow(settings, "alice")
    qtbot.addWidget(win)
    win.set_project(project)
    win.show()
    yield win
    apply_theme(QApplication.instance(), "system")
    win.runner.cancel_all()
    win.project = None  # the project fixture closes it


def _open(window: MainWindow) -> SettingsDialog:
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog.isVisible()
    return dialog


def test_font_size_previews_live_and_cancel_puts_it_back(window):
    view = window.reader.view
    before = view.font().pointSizeF()
    dialog = _open(window)
    dialog.font_box.setValue(18)
    assert view.font().pointSizeF() == 18
    assert view.document().defaultFont().pointSizeF() == 18
    dialog.reject()
    assert view.font().pointSizeF() == before
    assert window.settings.reader_font_size == before


def test_ok_stores_and_applies_every_value(window, tmp_path):
    dialog = _open(window)
    dialog.name_edit.setText("Maria Lopez")
    dialog.font_box.setValue(16)
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("dark"))
    dialog.pipeline_box.setCurrentIndex(dialog.pipeline_box.findData("blank"))
    dialog.backup_edit.setText(str(tmp_path / "backups"))
    dialog.accept()
    assert not dialog.isVisible()

    # applied at once
    assert window.annotator == "Maria Lopez" and "Maria Lopez" in window.annotator_label.text()
    assert window.reader.view.font().pointSizeF() == 16
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() < 128
    assert resolve_name() == "blank"
    backup = window.project.backup("before-import")
    assert backup.is_relative_to(tmp_path / "backups")
    assert list_backups(window.project.path) == [backup]

    # and there at the next start
    again = Settings()
    assert again.annotator == "Maria Lopez"
    assert again.reader_font_size == 16
    assert again.theme == "dark"
    assert again.spacy_pipeline == "blank"
    assert again.backup_dir == str(tmp_path / "backups")


def test_the_font_size_applies_to_a_project_opened_later(window, project_path, tmp_path):
    window.settings.reader_font_size = 20
    other = tmp_path / "other.newsmark"
    assert window.open_location(other)
    assert window.reader.view.font().pointSizeF() == 20


def test_a_bad_name_is_refused_and_nothing_is_stored(window):
    dialog = _open(window)
    dialog.font_box.setValue(15)
    dialog.name_edit.setText("  ")
    dialog.accept()
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert window.settings.annotator == "alice" and window.annotator == "alice"
    dialog.reject()


def test_the_pipeline_combo_offers_blank_and_installed_english_pipelines(window):
    dialog = _open(window)
    offered = [dialog.pipeline_box.itemData(i) for i in range(dialog.pipeline_box.count())]
    assert offered[:2] == ["", "blank"]
    assert offered[2:] == installed_pipelines()
    assert all(name.startswith("en_core_web_") for name in offered[2:])
    dialog.reject()


def test_automatic_pipeline_clears_the_environment(window, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "blank")
    window.settings.spacy_pipeline = "blank"
    dialog = _open(window)
    dialog.pipeline_box.setCurrentIndex(0)
    dialog.accept()
    assert ENV_VAR not in os.environ
    assert window.settings.spacy_pipeline == ""


def test_window_geometry_and_open_panels_are_remembered(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    first = MainWindow(Settings(), "alice")
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 540)  # within the offscreen screen (800 x 600), which restoring clamps to
    first.search_dock.show()
    first.inspector_dock.hide()
    first.close()

    again = MainWindow(Settings(), "alice")
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (760, 540)
    assert not again.search_dock.isHidden()
    assert again.inspector_dock.isHidden()
    again.close()


def test_turning_off_token_preparation_keeps_the_upkeep_from_tokenizing(window):
    from desktop.maintenance import tasks

    def upkeep() -> list[str]:
        return [name for name, _task in tasks()]

    assert window.settings.prepare_export_tokens  # on by default: the first export is fast
    assert "Tokenizing articles for export" in upkeep()
    dialog = _open(window)
    assert dialog.tokens_box.isChecked()
    dialog.tokens_box.setChecked(False)
    dialog.accept()
    assert Settings().prepare_export_tokens is False
    assert upkeep() == ["Indexing article texts"]  # the text index is still kept up
