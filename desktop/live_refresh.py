"""LiveRefresh: a colleague's new spans and links appear in the open window within seconds.

Every ``INTERVAL_MS`` it asks ``db.changes.ChangeWatcher`` what other writers committed (on an idle
SQLite project that is one pragma) and announces it through the window's ``ProjectEvents``, the
same signals the user's own edits send, so the reader, span list, navigator counts and link views
refresh as they always do. The user's own edits are marked as seen as soon as they are announced,
so they are not reloaded a second time.

The reading (the pragma, and the fingerprints over every span and link when something moved, a
few hundred milliseconds on a big project) runs as a background job through the window's runner,
silently (no status-bar strip): ``watcher.begin()`` here, ``watcher.fetch()`` on the pool's thread,
``watcher.apply()`` back here when the job reports, then the announcement. Only one poll runs at a
time; a poll whose watcher was replaced (the project closed or changed) is dropped when it reports,
and its fetch stops early (``ChangeWatcher.close()`` interrupts it, the runner's ``cancel_all()``
cancels it). An edit of the user's own made while a poll runs is kept as seen by the watcher, so
it is not announced as a colleague's.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from db.changes import Changes, ChangeWatcher, Reading
from desktop.jobs import Job, JobRunner

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

INTERVAL_MS = 2000
JOB_NAME = "Checking for colleagues' changes"


def _fetch(watcher: ChangeWatcher, job: Job) -> tuple[ChangeWatcher, Reading | None]:
    """The job: the watcher's reading, or None if the database was busy or the poll was stopped."""
    try:
        return watcher, watcher.fetch(job.is_cancelled)
    except (sqlite3.Error, SQLAlchemyError):
        return watcher, None  # busy, unreachable, cancelled or closed: the next poll catches up


class LiveRefresh(QObject):
    """Watches the window's project. Emits ``changesSeen(Changes)`` after announcing a change,
    and ``polled()`` whenever a poll's result has been handled (announced or not)."""

    changesSeen = Signal(object)
    polled = Signal()

    def __init__(self, window: MainWindow, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(window)
        self.setObjectName("liveRefresh")
        self.window = window
        self.watcher: ChangeWatcher | None = None
        self.job: Job | None = None  # the poll running now, if any
        self._own_runner: JobRunner | None = None
        self._announcing = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        window.projectOpened.connect(lambda _loc: self.restart())
        window.events.spansChanged.connect(self._own_change)
        window.events.linksChanged.connect(self._own_links)
        window.installEventFilter(self)  # stop when the window closes (it closes the project)
        if window.project is not None:
            self.restart()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    @property
    def busy(self) -> bool:
        """A poll is running."""
        return self.job is not None

    def restart(self) -> None:
        """Watch the window's current project from its present state (read in the background)."""
        self.stop()
        project = self.window.project
        if project is None:
            return
        self.watcher = ChangeWatcher(project)
        self._start()  # the baseline
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.job is not None:
            self.job.cancel()  # its result is dropped: the watcher it reads is closed below
            self.job = None
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    def poll(self) -> None:
        """Start a poll unless one is running (its changes are announced when it reports)."""
        watcher = self.watcher
        if watcher is None or watcher.project is not self.window.project:
            self.restart()
            return
        if self.job is None:
            self._start()

    def _runner(self) -> JobRunner:
        runner = getattr(self.window, "runner", None)
        if isinstance(runner, JobRunner):
            return runner
        if self._own_runner is None:
            self._own_runner = JobRunner(self)
        return self._own_runner

    def _start(self) -> None:
        watcher = self.watcher
        assert watcher is not None and self.job is None
        watcher.begin()
        # Not through window.start_job: a poll every two seconds must not show in the status bar.
        self.job = self._runner().start(
            watcher.project,
            lambda _project, job: _fetch(watcher, job),
            JOB_NAME,
            finished=self._fetched,
            failed=self._failed,
        )

    def _fetched(self, result: tuple[ChangeWatcher, Reading | None]) -> None:
        watcher, reading = result
        if watcher is not self.watcher:
            return  # a poll of a project that was closed or replaced meanwhile
        self.job = None
        if watcher.project is not self.window.project:
            self.restart()
            return
        if reading is None:
            watcher.abandon()
        else:
            changes = watcher.apply(reading)
            if changes:
                self._announce(changes)
        self.polled.emit()

    def _failed(self, _message: str) -> None:
        # An unexpected error (the traceback went to stderr): try again at the next tick.
        if self.job is not None and self.job.done:
            self.job = None
            if self.watcher is not None:
                self.watcher.abandon()

    def _announce(self, changes: Changes) -> None:
        events = self.window.events
        self._announcing = True
        try:
            if changes.articles:
                self.window.refresh_corpus()
            for article_id in sorted(changes.span_articles):
                events.spansChanged.emit(article_id)
            if changes.link_articles:
                events.links_changed(list(changes.link_articles))
        finally:
            self._announcing = False
        self.changesSeen.emit(changes)

    def _own_change(self, article_id: int) -> None:
        if not self._announcing and self.watcher is not None:
            self.watcher.seen(article_id)

    def _own_links(self, article_ids: list[int]) -> None:
        if not self._announcing and self.watcher is not None:
            for article_id in article_ids:
                self.watcher.seen(article_id)

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until the running poll's work has returned (tests, shutdown); True if it did."""
        job = self.job
        return job is None or job.wait(timeout_ms / 1000)


def install(window: MainWindow) -> LiveRefresh:
    window.live_refresh = LiveRefresh(window)  # type: ignore[attr-defined]
    return window.live_refresh  # type: ignore[attr-defined,no-any-return]
