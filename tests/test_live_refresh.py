"""A colleague's spans appear in an open window within seconds, without a restart.

The reading runs in the background: the tests further down hold a poll's reading on its thread
(``held_fetch``) to make the GUI act while it runs, and check what the user would see.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest

from db.changes import Changes, ChangeWatcher
from db.links import add_link, delete_link
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


def _window_live(qtbot, win: MainWindow) -> LiveRefresh:
    live = getattr(win, "live_refresh", None)
    if not isinstance(live, LiveRefresh):  # until the window installs it itself
        live = LiveRefresh(win)
    live.timer.setInterval(200)
    live.restart()
    qtbot.waitUntil(lambda: not live.busy, timeout=5000)  # the baseline is read in the background
    return live


def test_a_colleagues_new_span_appears_in_the_reader_and_span_list(qtbot, window, project_path):
    live = _window_live(qtbot, window)
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
    live = _window_live(qtbot, window)
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


def test_the_watcher_does_not_report_edits_marked_seen(project):
    """seen() reads one article as the full reading does: spans, and links by either end.
    Runs on SQLite and, in the PostgreSQL pass, on a shared database."""
    ids = fill(project)
    one, two = ids["Talks cancelled"], ids["Dovrenia condemns launch"]
    watcher = ChangeWatcher(project)
    colleague = open_project(project.location)
    try:
        watcher.poll()
        a = add_span(project, one, 0, 9, "ATTRIBUTION", "alice")
        b = add_span(project, two, 0, 8, "CLAIM", "alice")
        link = add_link(project, a.id, b.id, "SOURCE_OF", "alice")
        for article in (one, two):
            watcher.seen(article)
        assert not watcher.poll()
        delete_link(project, link.id)
        watcher.seen(one)
        watcher.seen(two)
        assert not watcher.poll()
        add_link(colleague, a.id, b.id, "SOURCE_OF", "bob")
        assert watcher.poll().link_articles == {one, two}
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
    live = _window_live(qtbot, win)
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


class HeldFetch:
    """Holds each poll's reading on its thread (after it has read the database) until released
    (none is held until ``release`` is cleared)."""

    def __init__(self) -> None:
        self.read = threading.Event()  # a held fetch has read the database
        self.release = threading.Event()
        self.release.set()
        self.calls = 0
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def wrap(self, original):
        def fetch(watcher: ChangeWatcher, cancelled=None):
            with self._lock:
                self.calls += 1
                self.running += 1
                self.most_at_once = max(self.most_at_once, self.running)
            try:
                reading = original(watcher, cancelled)
                self.read.set()
                while not self.release.wait(0.01):
                    if cancelled is not None and cancelled():
                        break  # as a real fetch stops at its next step when cancelled
                return reading
            finally:
                with self._lock:
                    self.running -= 1

        return fetch


@pytest.fixture
def held_fetch(monkeypatch) -> Iterator[HeldFetch]:
    held = HeldFetch()
    monkeypatch.setattr(ChangeWatcher, "fetch", held.wrap(ChangeWatcher.fetch))
    yield held
    held.release.set()


def _poll_held(qtbot, live: LiveRefresh, held: HeldFetch) -> None:
    """Start a poll and let it read the database; its reading is held until ``held.release``."""
    held.read.clear()
    held.release.clear()
    live.poll()
    assert live.busy
    qtbot.waitUntil(held.read.is_set, timeout=5000)


def _finish(qtbot, live: LiveRefresh, held: HeldFetch) -> None:
    held.release.set()
    qtbot.waitUntil(lambda: not live.busy, timeout=5000)


def test_a_poll_runs_in_the_background_one_at_a_time_and_silently(qtbot, window, project_path, held_fetch):
    live = _window_live(qtbot, window)
    live.timer.stop()
    article = window.ids["Talks cancelled"]
    window.show_article(article)
    colleague = open_project(project_path)
    try:
        span = add_span(colleague, article, 0, 9, "ATTRIBUTION", "bob")
        calls = held_fetch.calls
        _poll_held(qtbot, live, held_fetch)
        # The window answers while the poll's reading is held, and nothing shows in the status bar.
        qtbot.wait(50)
        assert window.job_status.isHidden()
        live.poll()
        live.poll()  # a tick while a poll runs does not start a second one
        assert held_fetch.calls == calls + 1 and held_fetch.most_at_once == 1
        assert span.id not in window.reader.view.index
        _finish(qtbot, live, held_fetch)
        qtbot.waitUntil(lambda: span.id in window.reader.view.index, timeout=5000)
    finally:
        colleague.close()
        live.stop()


@pytest.mark.parametrize("during", ["baseline", "later poll"])
def test_the_users_own_edit_during_a_poll_is_not_announced_as_a_colleagues(
    qtbot, window, project, held_fetch, during
):
    live = _window_live(qtbot, window)
    live.timer.stop()
    article = window.ids["Dovrenia condemns launch"]
    elsewhere = window.ids["Talks cancelled"]
    window.show_article(article)
    seen: list[Changes] = []
    live.changesSeen.connect(seen.append)
    colleague = open_project(project.location)
    try:
        if during == "baseline":
            held_fetch.read.clear()
            held_fetch.release.clear()
            live.restart()
            live.timer.stop()
            qtbot.waitUntil(held_fetch.read.is_set, timeout=5000)
        else:
            add_span(colleague, elsewhere, 0, 9, "ATTRIBUTION", "bob")  # so that the poll reads it all
            _poll_held(qtbot, live, held_fetch)
        # The poll has read the project; now the user adds a span, before the poll reports.
        span = add_span(project, article, 0, 8, "CLAIM", "alice")
        window.events.span_updated(span)
        _finish(qtbot, live, held_fetch)
        live.poll()  # the next poll reads everything again: still not announced
        qtbot.waitUntil(lambda: not live.busy, timeout=5000)
        assert all(article not in c.span_articles for c in seen)
        assert [c.span_articles for c in seen] == ([] if during == "baseline" else [{elsewhere}])
        # ... but a colleague's change to the same article still shows.
        theirs = add_span(colleague, article, 10, 20, "CLAIM", "bob")
        live.poll()
        qtbot.waitUntil(lambda: not live.busy, timeout=5000)
        assert seen[-1].span_articles == {article}
        qtbot.waitUntil(lambda: theirs.id in window.reader.view.index, timeout=5000)
    finally:
        colleague.close()
        live.stop()


def test_a_poll_of_a_project_closed_meanwhile_is_dropped(
    qtbot, window, project, project_path, tmp_path, held_fetch
):
    live = _window_live(qtbot, window)
    live.timer.stop()
    article = window.ids["Talks cancelled"]
    other_path = tmp_path / "other.newsmark"
    with project.engine.connect() as conn:  # the copy holds what the WAL holds
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(project_path, other_path)
    colleague = open_project(project_path)
    other = open_project(other_path)
    seen: list[object] = []
    live.changesSeen.connect(seen.append)
    try:
        add_span(colleague, article, 0, 9, "ATTRIBUTION", "bob")  # in the project being closed
        _poll_held(qtbot, live, held_fetch)
        held_fetch.release.set()  # reported while the window opens the other project
        window.set_project(other)
        window.set_visible_layers(["alice", "bob"])
        qtbot.waitUntil(lambda: not live.busy, timeout=5000)
        qtbot.wait(100)
        assert seen == []
        assert live.watcher is not None and live.watcher.project is other
        # The other project is watched from its own present state.
        theirs = add_span(open_colleague := open_project(other_path), article, 0, 9, "ATTRIBUTION", "bob")
        open_colleague.close()
        window.show_article(article)
        live.poll()
        qtbot.waitUntil(lambda: not live.busy, timeout=5000)
        qtbot.waitUntil(lambda: theirs.id in window.reader.view.index, timeout=5000)
    finally:
        live.stop()
        colleague.close()
        window.runner.cancel_all()
        window.project = None
        other.close()


def test_closing_the_window_while_a_poll_runs_stops_it(qtbot, window, held_fetch):
    live = _window_live(qtbot, window)
    _poll_held(qtbot, live, held_fetch)
    window.close()  # cancels the held poll; the fixture checks no thread or job is left running
    assert live.watcher is None and not live.busy
