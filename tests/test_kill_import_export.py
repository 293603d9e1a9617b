"""A kill during import or export: no half-written file, no half-imported file of articles."""

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

from db.project import open_project

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
ARTICLES_PER_FILE = 300


def _corpus(path: Path, n: int, seed: int) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT.parent / "shared" / "bench" / "make_corpus.py"), str(n), "20", "300"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Different seeds give different texts: shift every article a little so files never share one.
    lines = out.splitlines()
    tagged = [line.replace('"text": "', f'"text": "[{seed}-{i}] ', 1) for i, line in enumerate(lines)]
    # The span offsets moved with the tag: rebuild them.
    fixed = []
    for i, line in enumerate(tagged):
        rec = json.loads(line)
        shift = len(f"[{seed}-{i}] ")
        for sp in rec["spans"]:
            sp["start"] += shift
            sp["end"] += shift
        fixed.append(json.dumps(rec))
    path.write_text("\n".join(fixed) + "\n", encoding="utf-8")


def _cli(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def _counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            conn.execute("SELECT count(*) FROM spans").fetchone()[0],
        )
    finally:
        conn.close()


def test_a_kill_during_import_leaves_whole_files_only(tmp_path: Path) -> None:
    files = []
    for k in range(4):
        f = tmp_path / f"part{k}.jsonl"
        _corpus(f, ARTICLES_PER_FILE, seed=k)
        files.append(f)
    span_counts = [sum(len(json.loads(line)["spans"]) for line in f.read_text().splitlines()) for f in files]
    rng = random.Random(5)
    for round_ in range(6):
        project = tmp_path / f"import{round_}.newsmark"
        open_project(project).close()
        proc = _cli("import", str(project), *map(str, files))
        time.sleep(rng.uniform(0.5, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _integrity_ok(project)
        articles, spans = _counts(project)
        # Each file is one transaction: a kill leaves whole files, never part of one.
        assert articles % ARTICLES_PER_FILE == 0, articles
        assert spans == sum(span_counts[: articles // ARTICLES_PER_FILE])
        # And the project still opens and takes the rest.
        p = open_project(project)
        p.close()


def test_a_kill_during_export_never_leaves_a_half_written_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus, 1500, seed=9)
    project = tmp_path / "export.newsmark"
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "import", str(project), str(corpus)], cwd=ROOT, capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()
    out = tmp_path / "out.jsonl"
    out.write_text("the previous export\n", encoding="utf-8")
    rng = random.Random(11)
    for _ in range(6):
        proc = _cli("export", str(project), str(out))
        time.sleep(rng.uniform(0.3, 2.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        content = out.read_bytes()
        # Either the old file untouched or a complete new export: never a truncated one.
        if content != b"the previous export\n":
            lines = content.decode("utf-8").splitlines()
            assert len(lines) == 1500 and content.endswith(b"\n")
    finished = subprocess.run([sys.executable, "-m", "desktop", "export", str(project), str(out)], cwd=ROOT)
    assert finished.returncode == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1500
