#!/usr/bin/env python3
"""Startup time: process start to a usable main window with the navigator filled.

Usage: bench/bench_startup.py [--articles 10000] [--quick] [--runs 5] [--project PATH]

Builds a project with ``bench/make_project.py`` (10,000 articles, 500 stories, 200,000 spans by
default; 1,000 articles with --quick), then starts, offscreen and ``--runs`` times each:

- ours: ``python -m desktop PROJECT`` with ``NEWSMARK_READY_EXIT=1``: the app prints a timestamp
  (``NEWSMARK_READY``) once the window is shown with the navigator filled (the end of the staged
  startup's first stage, see ``desktop/app.py``), another (``NEWSMARK_FULL``) once the whole
  window is built and the first article open, and quits;
- baseline: a bare PySide6 script started the same way: a QMainWindow holding an empty
  QListWidget, shown, timestamp printed from the first event-loop turn.

Prints the figure: name, ours (median seconds to NEWSMARK_READY), baseline (median), ratio,
target 1.5x, ok|MISS; then, for information only (no target), the same for the full UI.
Settings and data folders are temporary, so nothing of the user's is read or written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5

BASELINE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QListWidget())
window.resize(1480, 900)
window.show()
def ready():
    app.processEvents()
    print(f"NEWSMARK_READY {time.time():.6f}", flush=True)
    window.close()
QTimer.singleShot(0, ready)
app.exec()
"""


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Both sides start with their bytecode cached, as an installed app does: the warm-up run
    # writes it to a temporary folder even where PYTHONDONTWRITEBYTECODE is set (CI, sandboxes),
    # which would otherwise compile every module of ours from source at each start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        NEWSMARK_READY_EXIT="1",
        NEWSMARK_SETTINGS_DIR=str(tmp / "settings"),
        NEWSMARK_DATA_DIR=str(tmp / "data"),
        PYTHONPYCACHEPREFIX=str(tmp / "bytecode"),
    )
    return env


def _time(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from the process start to NEWSMARK_READY and to NEWSMARK_FULL (READY if absent)."""
    start = time.time()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    stamps = {}
    for line in done.stdout.splitlines():
        word, _, rest = line.partition(" ")
        if word in ("NEWSMARK_READY", "NEWSMARK_FULL"):
            stamps[word] = float(rest.split()[0]) - start
    if "NEWSMARK_READY" not in stamps:
        raise SystemExit(f"{' '.join(cmd)} did not report ready:\n{done.stdout}\n{done.stderr}")
    return stamps["NEWSMARK_READY"], stamps.get("NEWSMARK_FULL", stamps["NEWSMARK_READY"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="1,000 articles, 3 runs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--project", type=Path, help="use this project instead of building one")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.runs = 1_000, 3

    with tempfile.TemporaryDirectory(prefix="nm-startup-") as name:
        tmp = Path(name)
        project = args.project
        if project is None:
            project = tmp / "startup.newsmark"
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "make_project.py"),
                    str(project),
                    "--articles",
                    str(args.articles),
                ],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
        env = _env(tmp)
        ours_cmd = [sys.executable, "-m", "desktop", str(project)]
        base_cmd = [sys.executable, "-c", BASELINE]
        _time(ours_cmd, env)  # warm the OS file cache and Python's bytecode once, for both sides
        _time(base_cmd, env)
        ours, full, base = [], [], []
        for _ in range(args.runs):  # interleaved, so that machine noise hits both alike
            ready, whole = _time(ours_cmd, env)
            ours.append(ready)
            full.append(whole)
            base.append(_time(base_cmd, env)[0])
    o, f, b = statistics.median(ours), statistics.median(full), statistics.median(base)
    ratio = o / b
    verdict = "ok" if ratio <= TARGET else "MISS"
    label = f"startup to usable window ({args.articles:,} articles)"
    print(f"{label}  ours {o:.3f}s  baseline {b:.3f}s  ratio {ratio:.2f}x  target {TARGET}x  {verdict}")
    print(
        f"  full UI ready ({args.articles:,} articles)  ours {f:.3f}s  baseline {b:.3f}s  ratio {f / b:.2f}x  (no target)"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
