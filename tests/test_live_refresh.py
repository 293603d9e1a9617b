"""A colleague's spans appear in an open window within seconds, without a restart."""

from __future__ import annotations

import pytest

from db.changes import ChangeWatcher
from db.project import open_project
from db.spans import add_span, delete_span
from desktop.live_refresh import LiveRefresh
from desktop.main_window import MainWindow
from desktop.settings import SETTINGS_DIR_ENV, Settings
from tests.app_corpus import fill


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, project):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    ids = fill(project)
    win = MainWindow(Settings(), "alice")
    qtbot.addWidget(win)
    win.set_project(project)
    win.set_visible_layers(["alice", "bob"])
    win.show()
    qtbot.waitExposed(win)
    win.ids = ids
    yield win
    win.runner.cancel_all()
    win.project = None  # the project fixture closes it


def _window_live(win: MainWindow) -> LiveRefresh:
    live = getattr(win, "live_refresh", None)
    if not isinstance(live, LiveRefresh):  # until the window installs it itself
        live = LiveRefresh(win)
    live.timer.setInterval(200)
    live.restart()
    return live


def test_a_colleagues_new_span_appears_in_the_reader_and_span_list(qtbot, window, project_path):
    live = _window_live(window)
    article = window.ids["Dovrenia condemns launch"]
    window.show_article(article)
    before = window.span_model.rowCount()
    colleague = open_project(project_path)  # a second process, as far as SQLite can tell
    try:
        span = add_span(colleague, article, 0, 8, "CLAIM", "bob")
        qtbot.waitUntil(lambda: window.span_model.rowCount() == before + 1, timeout=5000)
        assert span.id in window.reader.view.index
        delete_span(colleague, span.id)
        qtbot.waitUntil(lambda: span.id not in window.reader.view.index, timeout=5000)
        assert window.span_model.rowCount() == before
    finally:
        colleague.close()
        live.stop()


def test_the_users_own_edit_is_not_announced_again(qtbot, window, project):
    live = _window_live(window)
    article = window.ids["Dovrenia condemns launch"]
    seen = []
    live.changesSeen.connect(seen.append)
    span = add_span(project, article, 0, 8, "CLAIM", "alice")
    window.events.span_updated(span)  # what an undo command does after its commit
    qtbot.wait(600)
    assert seen == []
    live.stop()


def test_an_idle_project_reports_nothing(project):
    fill(project)
    watcher = ChangeWatcher(project)
    try:
        assert not watcher.poll()
        assert not watcher.poll()
    finally:
        watcher.close()


def test_the_watcher_places_a_colleagues_changes_in_their_articles(project):
    """Runs on SQLite and, in the PostgreSQL pass, on a shared database."""
    ids = fill(project)
    watcher = ChangeWatcher(project)
    colleague = open_project(project.location)
    try:
        watcher.poll()
        span = add_span(colleague, ids["Talks cancelled"], 0, 9, "ATTRIBUTION", "bob")
        changes = watcher.poll()
        assert changes.span_articles == {ids["Talks cancelled"]}
        assert not changes.articles and not changes.link_articles
        delete_span(colleague, span.id)
        assert watcher.poll().span_articles == {ids["Talks cancelled"]}
        assert not watcher.poll()
    finally:
        colleague.close()
        watcher.close()


@pytest.mark.postgres
def test_a_colleagues_span_appears_from_a_shared_postgresql_project(qtbot, tmp_path, monkeypatch, pg_url):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    mine = open_project(pg_url)
    ids = fill(mine)
    win = MainWindow(Settings(), "alice")
    qtbot.addWidget(win)
    win.set_project(mine)
    win.set_visible_layers(["alice", "bob"])
    live = _window_live(win)
    article = ids["Talks cancelled"]
    win.show_article(article)
    colleague = open_project(pg_url)
    try:
        span = add_span(colleague, article, 0, 9, "ATTRIBUTION", "bob")
        qtbot.waitUntil(lambda: span.id in win.reader.view.index, timeout=5000)
    finally:
        live.stop()
        colleague.close()
        win.runner.cancel_all()
        win.close()
