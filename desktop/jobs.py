"""Background jobs: slow work (spaCy, import, export) off the GUI thread, results back by signal.

A job is a plain function ``work(project, job) -> result`` that runs on Qt's global thread pool. It
receives the open Project (each service opens its own session, so that is safe from any thread)
and a ``Job`` through which it reports progress and learns whether it was cancelled. It never
touches a widget: the widgets listen to ``JobSignals`` instead, which Qt delivers on the GUI
thread. Database writes from jobs and from the GUI are serialized by ``Project.write``'s lock.

    job = run_job(project, lambda p, job: import_paths(p, paths, progress=job.progress,
                                                         cancel=job.is_cancelled))
    job.signals.finished.connect(show_summary)
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from db.errors import NewsmarkError
from db.project import Project

Work = Callable[[Any, "Job"], Any]

#: Progress signals are sent at most this often (seconds), except the last one.
PROGRESS_INTERVAL = 0.05


class JobCancelled(Exception):
    """Raised by ``Job.check()`` inside a job that was asked to stop."""


class JobSignals(QObject):
    """What a job tells the GUI. Exactly one of finished / failed / cancelled is emitted, once.

    progress(done, total, message): total 0 means "unknown".
    finished(result): the work function's return value.
    failed(message): a sentence for the user (the traceback of an unexpected error goes to stderr).
    cancelled(): the job stopped early because ``cancel()`` was called.
    """

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Job(QRunnable):
    """One unit of background work. Create it with ``run_job``."""

    def __init__(self, project: Project | None, work: Work, name: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.project = project
        self.name = name
        self.signals = JobSignals()
        self._work = work
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._last_progress = 0.0

    # -- called from the GUI thread ------------------------------------------------------------
    def cancel(self) -> None:
        """Ask the job to stop; it stops at its next ``is_cancelled()`` / ``check()``."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work function has returned (for shutdown and tests)."""
        return self._done.wait(timeout)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    # -- called from the job's thread ----------------------------------------------------------
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise JobCancelled

    def progress(self, done: int, total: int = 0, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last_progress < PROGRESS_INTERVAL and (total == 0 or done < total):
            return
        self._last_progress = now
        self.signals.progress.emit(int(done), int(total), str(message))

    def run(self) -> None:
        try:
            result = self._work(self.project, self)
        except JobCancelled:
            self._emit(self.signals.cancelled)
        except Exception as exc:
            if self.is_cancelled():
                # Stopped, then failed because what it worked on went away (the project closed
                # under it): the stop the user asked for, not an error to report.
                self._emit(self.signals.cancelled)
            elif isinstance(exc, NewsmarkError):
                self._emit(self.signals.failed, str(exc))
            else:  # the user sees one sentence; the traceback goes to the log
                traceback.print_exc(file=sys.stderr)
                self._emit(self.signals.failed, f"{self.name or 'The task'} failed: {exc}")
        else:
            # A job that handles cancellation itself (an import returning a partial summary)
            # returns normally and its result says what was done.
            self._emit(self.signals.finished, result)

    def _emit(self, signal: Any, *args: Any) -> None:
        self._done.set()
        with contextlib.suppress(RuntimeError):  # the receivers are gone (the app is shutting down)
            signal.emit(*args)


class JobRunner(QObject):
    """Keeps running jobs alive until they report, and cancels them all on shutdown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[JobSignals, Job] = {}

    def start(
        self,
        project: Project | None,
        work: Work,
        name: str = "",
        *,
        finished: Callable[[Any], Any] | None = None,
        failed: Callable[[str], Any] | None = None,
        progress: Callable[[int, int, str], Any] | None = None,
        cancelled: Callable[[], Any] | None = None,
    ) -> Job:
        """Start a job. Callbacks given here are connected before it starts, so none is missed."""
        job = Job(project, work, name)
        for signal, slot in (
            (job.signals.finished, finished),
            (job.signals.failed, failed),
            (job.signals.progress, progress),
            (job.signals.cancelled, cancelled),
        ):
            if slot is not None:
                signal.connect(slot)
        self._jobs[job.signals] = job
        # Bound slots of this QObject run on the GUI thread (queued from the pool's thread).
        job.signals.finished.connect(self._forget)
        job.signals.failed.connect(self._forget)
        job.signals.cancelled.connect(self._forget)
        QThreadPool.globalInstance().start(job)
        return job

    def _forget(self, *_args: object) -> None:
        sender = self.sender()
        if isinstance(sender, JobSignals):
            self._jobs.pop(sender, None)

    @property
    def running(self) -> list[Job]:
        return [j for j in self._jobs.values() if not j.done]

    def cancel_all(self, wait_ms: int = 10_000) -> bool:
        """Cancel every job and wait for the pool; True if all stopped in time."""
        for job in list(self._jobs.values()):
            job.cancel()
        return QThreadPool.globalInstance().waitForDone(wait_ms)


_default_runner: JobRunner | None = None


def run_job(project: Project | None, work: Work, name: str = "", **callbacks: Any) -> Job:
    """Start ``work(project, job)`` with a process-wide runner (callbacks as in ``JobRunner.start``)."""
    global _default_runner
    if _default_runner is None:
        _default_runner = JobRunner()
    return _default_runner.start(project, work, name, **callbacks)
