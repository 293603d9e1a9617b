"""LiveRefresh: a colleague's new spans and links appear in the open window within seconds.

Every ``INTERVAL_MS`` it asks ``db.changes.ChangeWatcher`` what other writers committed (on an idle
SQLite project that is one pragma) and announces it through the window's ``ProjectEvents``, the
same signals the user's own edits send, so the reader, span list, navigator counts and link views
refresh as they always do. The user's own edits are marked as seen as soon as they are announced,
so they are not reloaded a second time.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from db.changes import Changes, ChangeWatcher

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

INTERVAL_MS = 2000


class LiveRefresh(QObject):
    """Watches the window's project. Emits ``changesSeen(Changes)`` after announcing a change."""

    changesSeen = Signal(object)

    def __init__(self, window: MainWindow, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(window)
        self.setObjectName("liveRefresh")
        self.window = window
        self.watcher: ChangeWatcher | None = None
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

    def restart(self) -> None:
        """Watch the window's current project from its present state."""
        self.stop()
        project = self.window.project
        if project is None:
            return
        self.watcher = ChangeWatcher(project)
        self.watcher.poll()  # the baseline
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    def poll(self) -> Changes | None:
        watcher = self.watcher
        if watcher is None or watcher.project is not self.window.project:
            self.restart()
            return None
        try:
            changes = watcher.poll()
        except (sqlite3.Error, SQLAlchemyError):
            return None  # busy or briefly unreachable: the next poll catches up
        if changes:
            self._announce(changes)
        return changes

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


def install(window: MainWindow) -> LiveRefresh:
    window.live_refresh = LiveRefresh(window)  # type: ignore[attr-defined]
    return window.live_refresh  # type: ignore[attr-defined,no-any-return]
