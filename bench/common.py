"""Helpers shared by the bench scripts (timing, medians, the one-line report)."""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(work: Callable[[], object]) -> float:
    t = time.perf_counter()
    work()
    return time.perf_counter() - t


def report(name: str, ours: float, baseline: float | None, target: str, ok: bool, *, width: int = 34) -> None:
    base = f"{baseline:8.1f} ms" if baseline is not None else "       -   "
    ratio = f"{ours / baseline:5.2f}x" if baseline else "   -  "
    print(f"{name:<{width}} {ours:8.1f} ms  {base}  {ratio}  target {target:<10} {'ok' if ok else 'MISS'}")


def scratch_project(doc: str, prefix: str, filename: str) -> tuple[Path, Path]:
    """Parse ``--articles/--quick/--project``, point the app's settings and data at a new temporary
    folder and, unless ``--project`` is given, build a project there; returns (folder, project path)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--project", type=Path)
    args = parser.parse_args()
    n = 1_000 if args.quick else args.articles
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["NEWSMARK_SETTINGS_DIR"] = str(tmp / "settings")
    os.environ["NEWSMARK_DATA_DIR"] = str(tmp / "data")
    path = args.project
    if path is None:
        path = tmp / filename
        from bench.make_project import build

        started = time.perf_counter()
        counts = build(path, n, 20, 600)
        print(f"project: {counts} built in {time.perf_counter() - started:.1f} s", flush=True)
    return tmp, path


def dispose(*widgets: QWidget) -> None:
    """Close and delete the widgets, then let the event loop carry out the deletion."""
    from PySide6.QtWidgets import QApplication

    for w in widgets:
        w.close()
        w.deleteLater()
    QApplication.processEvents()
