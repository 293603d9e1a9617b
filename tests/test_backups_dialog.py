"""File ▸ Restore from backup…: the backups are listed and one can be restored into the window."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QDialog

from db.project import BACKUP_DIR_ENV, list_backups
from db.spans import add_span
from desktop.backups_dialog import BackupsDialog
from desktop.main_window import MainWindow
from desktop.settings import SETTINGS_DIR_ENV, Settings
from tests.app_corpus import fill


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, project):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    monkeypatch.setenv(BACKUP_DIR_ENV, "")
    monkeypatch.delenv(BACKUP_DIR_ENV)
    win = MainWindow(Settings(), "alice")
    qtbot.addWidget(win)
    win.ids = fill(project)
    win.set_project(project)
    win.show()
    yield win
    win.runner.cancel_all()
    if win.project is not None:
        win.project.close()


def test_the_backups_are_listed_newest_first_with_their_reason(window):
    window.project.backup("before-import")
    time.sleep(0.01)
    window.project.backup("before-merge")
    window.restore_backup_action.trigger()
    dialog = window.backups_dialog
    assert isinstance(dialog, BackupsDialog) and dialog.isVisible()
    rows = [
        (dialog.tree.topLevelItem(i).text(0), dialog.tree.topLevelItem(i).text(1))
        for i in range(dialog.tree.topLevelItemCount())
    ]
    assert [reason for _, reason in rows] == ["Before merging a colleague's work", "Before an import"]
    assert all(when[:2] == "20" for when, _ in rows)
    dialog.reject()


def test_restoring_a_backup_brings_back_the_project_as_it_was(qtbot, window):
    article = window.ids["Dovrenia condemns launch"]
    window.show_article(article)
    before = window.span_model.rowCount()
    backup = window.project.backup("before-import")
    add_span(window.project, article, 0, 8, "CLAIM", "alice")
    window.show_article(article)
    assert window.span_model.rowCount() == before + 1

    window.restore_backup_action.trigger()
    dialog = window.backups_dialog
    assert dialog.chosen() == backup.resolve()
    dialog.restore_button.click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert window.project is not None and window.project.path == backup.parent.parent.joinpath(
        "test.newsmark"
    )
    window.show_article(article)
    assert window.span_model.rowCount() == before  # the span added after the backup is gone
    reasons = [p.name.split(".")[-2] for p in list_backups(window.project.path)]
    assert "before-restore" in reasons  # the state just before restoring is kept, to come back
    assert "Restored the backup" in window.statusBar().currentMessage()


def test_a_project_without_backups_says_so(window):
    window.restore_backup_action.trigger()
    dialog = window.backups_dialog
    assert dialog.empty.isVisible() and not dialog.restore_button.isEnabled()
    dialog.reject()
