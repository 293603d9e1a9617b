"""Helpers shared by the bench scripts (timing, medians, the one-line report)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


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
