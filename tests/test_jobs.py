"""The background-job helper: results and errors come back by signal, cancel stops a job."""

from __future__ import annotations

import threading
import time

from db.articles import add_article, count_articles
from db.errors import NewsmarkError
from desktop.jobs import JobRunner, run_job


def test_result_comes_back_on_the_gui_thread(qtbot, project):
    def work(p, job):
        job.progress(1, 2, "half")
        with p.write() as s:
            add_article(s, "Written from a background job.", title="bg")
        return count_articles(p)

    received = []
    run_job(project, work, "count", finished=lambda r: received.append((r, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(received), timeout=5000)
    assert received == [(1, threading.main_thread())]


def test_a_user_error_arrives_as_one_sentence(qtbot, project):
    def work(_p, _job):
        raise NewsmarkError("The file is not a Newsmark export.")

    errors = []
    run_job(project, work, failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["The file is not a Newsmark export."]


def test_cancel_stops_a_long_job(qtbot, project):
    started = threading.Event()
    steps = []

    def work(_p, job):
        started.set()
        for i in range(10_000):
            job.check()
            steps.append(i)
            time.sleep(0.001)
        return "ran to the end"

    runner = JobRunner()
    job = runner.start(project, work, "long")
    assert started.wait(5)
    with qtbot.waitSignal(job.signals.cancelled, timeout=5000):
        job.cancel()
    assert 0 < len(steps) < 10_000
    qtbot.waitUntil(lambda: not runner.running)


def test_progress_is_reported_with_the_final_step(qtbot, project):
    def work(_p, job):
        for i in range(1, 101):
            job.progress(i, 100, f"file {i}")
        return None

    seen = []
    done = []
    run_job(project, work, progress=lambda *a: seen.append(a), finished=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert seen[-1] == (100, 100, "file 100")
    assert len(seen) < 100  # throttled


def test_a_job_that_fails_after_it_was_cancelled_reports_the_stop_and_logs_nothing(qtbot, project, capfd):
    started, closing = threading.Event(), threading.Event()

    def work(_p, _job):
        started.set()
        assert closing.wait(5)
        raise RuntimeError("the database went away")  # as when the project closes under a job

    runner = JobRunner()
    job = runner.start(project, work, "upkeep")
    failed = []
    job.signals.failed.connect(failed.append)
    assert started.wait(5)
    with qtbot.waitSignal(job.signals.cancelled, timeout=5000):
        job.cancel()
        closing.set()
    qtbot.waitUntil(lambda: not runner.running)
    assert failed == []
    assert "Traceback" not in capfd.readouterr().err
