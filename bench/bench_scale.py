#!/usr/bin/env python3
"""Scale figures on a big project: navigator filtering and resident memory.

Usage: bench/bench_scale.py [--articles 10000] [--quick] [--project PATH]

Builds (or reuses) a project with bench/make_project.py, opens it in the real main window
(offscreen), lets the window finish its post-open work (background jobs), then measures:
- filtering the navigator by text and by outlet: median time from setting the filter to the tree
  holding the new rows and painting them (target < 50 ms), next to a bare baseline: the same
  LIKE query run with sqlite3 directly. The project's text index is filled first, as the app's
  background upkeep does after a project opens (its build time and size are printed as notes);
  a note line also gives the median per query and how much of the time the ``db.corpus`` queries
  took;
- resident memory with the project open and ten articles visited (target < 400 MB), next to a
  bare PySide6 window's resident memory;
- agreement between the two annotators over the whole project (target < 5 s), next to reading
  the same span rows with sqlite3.
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import scratch_project  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(name: str, ours: float, base: float, unit: str, target: str, ok: bool) -> None:
    ratio = ours / base if base else float("inf")
    print(
        f"{name:<34} {ours:10.1f} {unit:<3} baseline {base:9.1f} {unit:<3} ratio {ratio:6.2f}  target {target:<10} {'ok' if ok else 'MISS'}",
        flush=True,
    )


def bare_rss() -> float:
    code = (
        "import sys\nfrom PySide6.QtWidgets import QApplication, QMainWindow, QListWidget\n"
        "app = QApplication(sys.argv[:1]); w = QMainWindow(); w.setCentralWidget(QListWidget()); w.show()\n"
        "app.processEvents()\n"
        "print(int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    return float(out.stdout.strip())


def _settle(app: object, window: object, idle_s: float = 0.5, cap_s: float = 60.0) -> None:
    """Let the window finish what it does after a project opens (its background jobs, timers).

    The filter figure is an analyst typing into a window that is up; the work that follows opening
    a project (measured by bench_startup) would otherwise overlap the first filters."""
    deadline = time.perf_counter() + cap_s
    quiet_since = time.perf_counter()
    while time.perf_counter() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        runner = getattr(window, "runner", None)
        if runner is not None and runner.running:
            quiet_since = time.perf_counter()
        elif time.perf_counter() - quiet_since >= idle_s:
            return
        time.sleep(0.01)


def _time_corpus_calls(corpus: object) -> list[float]:
    """Wrap the navigator's ``db.corpus`` functions to add their milliseconds to the returned list."""
    spent: list[float] = []
    for name in ("stories", "outlets", "articles", "story_articles", "locate", "article_position"):
        fn = getattr(corpus, name)

        def timed(*a: object, _fn: object = fn, **k: object) -> object:
            t0 = time.perf_counter()
            try:
                return _fn(*a, **k)  # type: ignore[operator]
            finally:
                spent.append((time.perf_counter() - t0) * 1000)

        setattr(corpus, name, timed)
    return spent


def main() -> int:
    tmp, path = scratch_project(__doc__, "nm-scale-", "scale.newsmark")

    from PySide6.QtWidgets import QApplication

    from db import corpus, text_index
    from db.project import open_project
    from desktop.main_window import MainWindow
    from desktop.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = Settings(tmp / "settings" / "newsmark.ini")
    window = MainWindow(settings, "alice")
    window.resize(1480, 900)
    size_before = path.stat().st_size
    project = open_project(path)
    # What the app's background upkeep does once after the project opens (desktop.maintenance).
    started = time.perf_counter()
    indexed = text_index.catch_up(project)
    took = time.perf_counter() - started
    with project.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    grown = path.stat().st_size - size_before
    print(
        f"# text index: {indexed} articles indexed in {took:.1f} s; project file "
        f"{size_before / 1e6:.0f} MB -> {path.stat().st_size / 1e6:.0f} MB (+{100 * grown / max(size_before, 1):.0f}%)",
        flush=True,
    )
    window.set_project(project)
    window.show()
    app.processEvents()
    _settle(app, window)
    nav = window.navigator
    assert nav is not None

    # -- filtering -------------------------------------------------------------------------------
    queries = [
        "missile",
        "Outlet 07",
        "summit treaty",
        "Story 250",
        "fishermen",
        "Outlet 13",
        "navy",
        "vote week",
    ]
    in_corpus = _time_corpus_calls(corpus)
    ours, per_query, corpus_ms = [], {}, []
    for q in queries * 2:
        in_corpus.clear()
        started = time.perf_counter()
        nav.filter_edit.setText(q)
        nav.apply_filter()
        nav.tree.viewport().repaint()
        app.processEvents()
        ours.append((time.perf_counter() - started) * 1000)
        per_query.setdefault(q, []).append(ours[-1])
        corpus_ms.append(sum(in_corpus))
    print(
        "# filter medians: "
        + ", ".join(f"{q!r} {statistics.median(v):.0f}" for q, v in per_query.items())
        + f" ms; db.corpus queries {statistics.median(corpus_ms):.0f} ms of each (median)",
        flush=True,
    )
    conn = sqlite3.connect(path)
    base = []
    for q in queries * 2:
        started = time.perf_counter()
        conn.execute(
            "SELECT a.id, a.title FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id "
            "WHERE a.title LIKE ?1 OR o.name LIKE ?1 OR a.text LIKE ?1 LIMIT 200",
            (f"%{q}%",),
        ).fetchall()
        base.append((time.perf_counter() - started) * 1000)
    nav.filter_edit.setText("")
    nav.apply_filter()
    med = statistics.median(ours)
    line("navigator filter (median)", med, statistics.median(base), "ms", "< 50 ms", med < 50)

    # -- memory after ten articles ---------------------------------------------------------------
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id LIMIT 10 OFFSET 100")]
    for aid in ids:
        window.show_article(aid)
        app.processEvents()
    rss = rss_mb()
    line("resident memory, 10 articles", rss, bare_rss(), "MB", "< 400 MB", rss < 400)

    # -- agreement over the whole project ---------------------------------------------------------
    from db.agreement import agreement

    started = time.perf_counter()
    agreement(project, "alice", "bob")
    took = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute(
        'SELECT article_id, annotator_id, label_id, start, "end" FROM spans ORDER BY article_id'
    ).fetchall()
    bare = time.perf_counter() - started
    line("agreement, whole project", took, bare, "s", "< 5 s", took < 5)
    conn.close()
    window.close()
    project.close()
    shutil.rmtree(tmp, ignore_errors=True)  # the built project (and settings): 250 MB at full size
    return 0


if __name__ == "__main__":
    sys.exit(main())
