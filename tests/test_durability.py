"""Nothing lost: SIGKILL at random moments during scripted editing, and two processes on one file."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.annotators import list_annotators
from db.links import links_for_articles
from db.project import open_project
from db.spans import spans_for_article

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _worker(
    project: Path | str, journal: Path, seed: int, max_edits: int | None = None, annotator: str = "alice"
):
    args = [sys.executable, "-m", "tests.workers.edit_worker", str(project), str(journal), str(seed)]
    if max_edits is not None:
        args += [str(max_edits), annotator]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _replay(entries: list[dict]) -> tuple[dict, dict]:
    spans: dict[str, tuple] = {}
    links: dict[str, tuple] = {}
    for e in entries:
        op = e["op"]
        if op == "add":
            spans[e["uid"]] = (e["article"], e["start"], e["end"], e["label"])
        elif op == "relabel":
            a, s, en, _ = spans[e["uid"]]
            spans[e["uid"]] = (a, s, en, e["label"])
        elif op == "delete":
            del spans[e["uid"]]
            for luid, (src, dst, _t) in list(links.items()):
                if e["uid"] in (src, dst):
                    del links[luid]
        elif op == "link":
            links[e["uid"]] = (e["source"], e["target"], e["type"])
        elif op == "unlink":
            del links[e["uid"]]
    return spans, links


def _actual(path: Path) -> tuple[dict, dict]:
    project = open_project(path, create=False)
    try:
        articles = list(range(1, 4))
        spans = {
            sp.uid: (sp.article_id, sp.start, sp.end, sp.label)
            for a in articles
            for sp in spans_for_article(project, a)
        }
        by_id = {sp.id: sp.uid for a in articles for sp in spans_for_article(project, a)}
        links = {
            lk.uid: (by_id[lk.source_span_id], by_id[lk.target_span_id], lk.type)
            for lk in links_for_articles(project, articles)
        }
        return spans, links
    finally:
        project.close()


def _read_journal(journal: Path) -> tuple[list[dict], dict | None]:
    done: list[dict] = []
    pending = None
    for line in journal.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # a journal line cut by the kill: that step was not acknowledged
        if "intent" in entry:
            pending = entry["intent"]
        elif "done" in entry:
            done.append(entry["done"])
            pending = None
    return done, pending


def _check_state(path: Path, done: list[dict], pending: dict | None) -> dict | None:
    """Assert the project holds every acknowledged edit; return the in-flight edit if it landed too."""
    actual_spans, actual_links = _actual(path)
    spans, links = _replay(done)
    if actual_spans == spans and actual_links == links:
        return None
    assert pending is not None, "the project lost or gained an edit that was acknowledged"
    if pending["op"] == "link":
        extra = {k: v for k, v in actual_links.items() if k not in links}
        assert actual_spans == spans
        assert list(extra.values()) == [(pending["source"], pending["target"], pending["type"])]
        assert {k: v for k, v in actual_links.items() if k in links} == links
        return {**pending, "uid": next(iter(extra))}
    spans2, links2 = _replay([*done, pending])
    assert (actual_spans, actual_links) == (spans2, links2), (
        "project state matches neither before nor after the edit in flight"
    )
    return pending


def test_sigkill_at_random_moments_loses_no_acknowledged_edit(tmp_path):
    path = tmp_path / "kill.newsmark"
    journal = tmp_path / "journal.jsonl"
    open_project(path).close()
    rng = random.Random(2024)
    kills = 0
    done: list[dict] = []
    deadline = time.monotonic() + 240
    while (kills < 50 or len(done) < 1000) and time.monotonic() < deadline:
        before = journal.read_text().count('"ready"') if journal.exists() else 0
        proc = _worker(path, journal, seed=rng.randrange(10**9))
        # Wait until the worker is editing, then kill it at a random moment.
        while proc.poll() is None and (
            not journal.exists() or journal.read_text().count('"ready"') == before
        ):
            time.sleep(0.01)
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        if not journal.read_text(encoding="utf-8").endswith("\n"):
            with journal.open("a", encoding="utf-8") as fh:
                fh.write("\n")
        done, pending = _read_journal(journal)
        landed = _check_state(path, done, pending)
        if landed is not None:
            # The edit in flight was committed before the kill: record it so later rounds replay it.
            with journal.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"done": landed}) + "\n")
            done.append(landed)
    assert kills >= 50
    assert len(done) >= 1000, f"only {len(done)} edits in the time allowed"


def test_two_processes_editing_one_file_lose_nothing(tmp_path):
    path = tmp_path / "shared.newsmark"
    open_project(path).close()
    procs = [
        _worker(path, tmp_path / f"j{i}.jsonl", seed=i, max_edits=120, annotator=f"analyst{i}")
        for i in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        assert b"locked" not in err
    project = open_project(path, create=False)
    try:
        assert {"analyst0", "analyst1"} <= set(list_annotators(project))
        for i in range(2):
            done, pending = _read_journal(tmp_path / f"j{i}.jsonl")
            assert pending is None and len(done) == 120
            expected_spans, _ = _replay(done)
            actual = {sp.uid for a in range(1, 4) for sp in spans_for_article(project, a, [f"analyst{i}"])}
            assert actual == set(expected_spans)
    finally:
        project.close()
