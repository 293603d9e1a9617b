#!/usr/bin/env python3
"""Compare view and claims matrix window: time to open and paint, next to bare Qt baselines.

Usage: bench/bench_compare.py [--quick] [--articles 20] [--spans 100] [--runs 5]

The story: ARTICLES articles x SPANS spans, SAME_CLAIM groups across articles, SOURCE_OF and
CONTRADICTS links (built by ``bench_links.build_matrix_project``: bulk SQL into a real project).
Each figure is the median of RUNS, offscreen, window 1500 x 900.

1. compare: a ``CompareView`` created on the story (the combos list its 20 articles), three
   panes shown with their spans, and the whole window painted once with the link curves
   (``QWidget.grab``). Baseline: three bare ``QPlainTextEdit`` in a ``QSplitter`` showing the same
   three texts, painted the same way. For reference, three bare ``ArticleView`` (the reader's
   text widget, which the panes reuse) with the same articles and spans, painted the same way:
   the difference to ours is what the compare view itself adds (combos, links, curves).
2. matrix: ``ClaimsMatrixModel`` filled with the story's matrix (``db.claims.claims_matrix`` computed
   beforehand) and the ``ClaimsMatrixView`` painted. Baseline: a bare ``QTableWidget`` with the same
   number of rows and columns, one ``QTableWidgetItem`` with the cell's text per cell, painted.
   The matrix computation itself is printed on its own line (``bench_links.py`` compares it with
   a bare sqlite3 read).

Target: ours within 1.5x the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_links import STORY, build_matrix_project  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QSplitter, QTableWidget, QTableWidgetItem  # noqa: E402

from db.articles import get_article  # noqa: E402
from db.claims import Matrix, cell_text, claims_matrix  # noqa: E402
from db.corpus import ArticleRow  # noqa: E402
from db.labels import list_labels  # noqa: E402
from db.project import Project, open_project  # noqa: E402
from db.spans import spans_for_article  # noqa: E402
from desktop.article_view import ArticleView  # noqa: E402
from desktop.claims_matrix_view import ClaimsMatrixView  # noqa: E402
from desktop.compare_view import CompareView, story_articles  # noqa: E402
from desktop.project_events import ProjectEvents  # noqa: E402

TARGET = 1.5
SIZE = (1500, 900)


def median_times(fns: list[Callable[[], Any]], runs: int) -> list[float]:
    """Median time of each function; they take turns, so a busy spell on a shared machine hits all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, out in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn()
            out.append(time.perf_counter() - started)
    return [statistics.median(t) for t in times]


def median_time(fn: Callable[[], Any], runs: int) -> float:
    return median_times([fn], runs)[0]


def verdict(name: str, ours: float, base: float) -> bool:
    ratio = ours / base if base else float("inf")
    ok = ratio <= TARGET
    print(
        f"{name:<34} ours {ours * 1000:8.1f} ms  baseline {base * 1000:8.1f} ms  ratio {ratio:5.2f}  "
        f"target <= {TARGET:g}x  {'ok' if ok else 'MISS'}",
        flush=True,
    )
    return ok


def open_compare(project: Project, ids: list[ArticleRow], shown: list[int]) -> None:
    view = CompareView(project, QUndoStack(), ProjectEvents(), "bench", ["bench"])
    view.resize(*SIZE)
    view.set_choices(ids)
    view.show_articles(shown)
    view.show()
    assert not view.grab().isNull()
    view.close()
    view.deleteLater()
    QApplication.processEvents()


def open_bare_editors(texts: list[str]) -> None:
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.resize(*SIZE)
    for text in texts:
        edit = QPlainTextEdit()
        edit.setReadOnly(True)
        edit.setPlainText(text)
        splitter.addWidget(edit)
    splitter.show()
    assert not splitter.grab().isNull()
    splitter.close()
    splitter.deleteLater()
    QApplication.processEvents()


def open_article_views(project: Project, shown: list[int]) -> None:
    """Three bare ArticleViews (the reader's text widget) with the same articles and spans: what the
    compare view costs beyond its text widgets."""
    labels = list_labels(project)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.resize(*SIZE)
    for aid in shown:
        view = ArticleView()
        view.set_article(get_article(project, aid), spans_for_article(project, aid, ["bench"]), labels)
        splitter.addWidget(view)
    splitter.show()
    assert not splitter.grab().isNull()
    splitter.close()
    splitter.deleteLater()
    QApplication.processEvents()


def open_matrix(project: Project, matrix: Matrix) -> None:
    view = ClaimsMatrixView(project, ProjectEvents())
    view.resize(*SIZE)
    view.story = STORY
    view.model.set_matrix(matrix)
    view.show()
    assert not view.grab().isNull()
    view.close()
    view.deleteLater()
    QApplication.processEvents()


def open_bare_table(matrix: Matrix) -> None:
    table = QTableWidget(len(matrix.rows), len(matrix.outlets) + 2)
    table.resize(*SIZE)
    for r, row in enumerate(matrix.rows):
        table.setItem(r, 0, QTableWidgetItem(row.text))
        for c, cells in enumerate(row.cells, start=1):
            table.setItem(r, c, QTableWidgetItem("\n".join(cell_text(x) for x in cells) if cells else ""))
        table.setItem(r, len(row.cells) + 1, QTableWidgetItem(str(row.n_outlets)))
    table.show()
    assert not table.grab().isNull()
    table.close()
    table.deleteLater()
    QApplication.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--spans", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--quick", action="store_true", help="5 articles x 40 spans, 3 runs (bench/run --quick)"
    )
    args = parser.parse_args()
    if args.quick:
        args.articles, args.spans, args.runs = 5, 40, 3
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.newsmark"
        started = time.perf_counter()
        build_matrix_project(path, args.articles, args.spans)
        project = open_project(path)
        print(
            f"story: {args.articles} articles x {args.spans} spans, built in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        try:
            ids = story_articles(project, 1)
            shown = [row.id for row in ids[:3]]
            texts = [get_article(project, a).text for a in shown]
            # One warm-up each: fonts, the first document layout, icon fonts.
            check = CompareView(project, QUndoStack(), ProjectEvents(), "bench", ["bench"])
            check.resize(*SIZE)
            check.show_articles(shown)
            check.show()
            print(
                f"curves between the three panes on screen: {len(check.connector.connectors())}", flush=True
            )
            check.close()
            open_compare(project, ids, shown)
            open_bare_editors(texts)
            open_article_views(project, shown)
            ours, base, alone = median_times(
                [
                    lambda: open_compare(project, ids, shown),
                    lambda: open_bare_editors(texts),
                    lambda: open_article_views(project, shown),
                ],
                args.runs,
            )
            results = [verdict("compare view, 3 panes + curves", ours, base)]
            print(
                f"  (3 ArticleViews alone, same spans  {alone * 1000:8.1f} ms: the text widget's share)",
                flush=True,
            )
            computed = median_time(lambda: claims_matrix(project, STORY), args.runs)
            matrix = claims_matrix(project, STORY)
            cells = len(matrix.rows) * (len(matrix.outlets) + 2)
            print(
                f"claims_matrix computed               {computed * 1000:8.1f} ms  "
                f"({len(matrix.rows)} rows x {len(matrix.outlets) + 2} columns = {cells} cells)",
                flush=True,
            )
            open_matrix(project, matrix)
            open_bare_table(matrix)
            ours, base = median_times(
                [lambda: open_matrix(project, matrix), lambda: open_bare_table(matrix)], args.runs
            )
            results.append(verdict("claims matrix model + paint", ours, base))
        finally:
            project.close()
    del app
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
