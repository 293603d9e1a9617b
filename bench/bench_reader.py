"""Benchmark the reader against a bare QPlainTextEdit (issue 3).

Builds a 50,000-word article with 2,000 spans (20% of them overlapping another) in a temporary
project, then, in one process on the offscreen platform, measures:

  open      bare QPlainTextEdit setPlainText + show + paint, versus ReaderPane.show_article on the
            same text with its spans + show + paint (fresh widget each run, the two taking turns,
            median of 7); the reader
            loads the first screen's spans at once and the rest on the next event-loop turn, timed
            on its own line;
  label     a "2" keypress on a selection until the span is committed and the view repainted
            (median of 30);
  scroll    repainting the viewport in the middle of the article (median of 20), versus the bare
            widget at the same place;
  snap      the first token snap in a paragraph not tokenized yet (median of 30).

Run: python bench/bench_reader.py   (prints one line per figure)
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from bench.common import dispose, median_ms, report, timed
from db.annotators import ensure_annotator
from db.articles import add_article, get_article
from db.labels import label_by_key
from db.project import open_project
from db.spans import insert_span, spans_for_article
from db.text import blank_english, tokenize
from desktop.project_events import ProjectEvents
from desktop.reader_pane import ReaderPane

WORDS = 50_000
SPANS = 2_000
OVERLAP = 0.20
SIZE = (1100, 800)
RUNS = 7
VOCAB = [
    "the",
    "ministry",
    "said",
    "on",
    "Thursday",
    "that",
    "three",
    "missiles",
    "were",
    "fired",
    "from",
    "the",
    "coastal",
    "range",
    "near",
    "Port",
    "Vessany",
    "according",
    "to",
    "officials",
    "in",
    "Veskar",
    "who",
    "declined",
    "to",
    "be",
    "named",
    "while",
    "analysts",
    "at",
    "the",
    "Halvik",
    "Institute",
    "called",
    "the",
    "launch",
    "a",
    "warning",
    "to",
    "partners",
    "and",
    "fishing",
    "crews",
    "in",
    "the",
    "strait",
    "were",
    "ordered",
    "out",
    "by",
    "the",
    "coast",
    "guard",
    "after",
    "6:40",
    "a.m.",
    "local",
    "time",
    "Foreign",
    "Minister",
    "Teodor",
    "Anselm",
    "told",
    "reporters",
    "talks",
    "in",
    "Lunnemark",
    "would",
    "not",
    "go",
    "ahead",
    "next",
    "week",
]


def article_text(rng: random.Random) -> str:
    paragraphs = []
    n = 0
    while n < WORDS:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            k = rng.randint(8, 28)
            words = [rng.choice(VOCAB) for _ in range(k)]
            words[0] = words[0].capitalize()
            sentences.append(" ".join(words) + rng.choice([".", ".", ".", "?", ","]))
            n += k
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def make_project(directory: Path, rng: random.Random):  # type: ignore[no-untyped-def]
    project = open_project(directory / "bench.newsmark")
    text = article_text(rng)
    tokens = tokenize(text)
    words = [i for i in range(len(tokens)) if not tokens.space[i]]
    labels = ["CLAIM", "ATTRIBUTION", "EXPERT_OPINION", "FACT"]
    with project.write() as s:
        article, _ = add_article(s, text, title="Benchmark article", outlet="Bench Wire")
        other, _ = add_article(s, text + "\n\nEnd.", title="Another article", outlet="Bench Wire")
        who = ensure_annotator(s, "alice")
        label_ids = [label_by_key(s, key).id for key in labels]
        base = int(SPANS * (1 - OVERLAP))
        stride = len(words) // base
        placed = []
        for i in range(base):
            first = i * stride + rng.randint(0, stride // 3)
            last = min(first + rng.randint(1, stride // 2), len(words) - 1)
            start, end = tokens.starts[words[first]], tokens.ends[words[last]]
            insert_span(s, article, who.id, rng.choice(label_ids), start, end)
            placed.append((first, last))
        for _ in range(SPANS - base):
            first, last = rng.choice(placed)
            a = rng.randint(first, last)
            b = min(a + rng.randint(1, stride), len(words) - 1)  # nested or crossing the other span
            insert_span(
                s, article, who.id, rng.choice(label_ids), tokens.starts[words[a]], tokens.ends[words[b]]
            )
        ids = article.id, other.id
    return project, text, ids


def main() -> int:
    app = QApplication.instance() or QApplication([])
    rng = random.Random(20231109)
    blank_english()  # load spaCy once, outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        project, text, (article_id, other_id) = make_project(Path(tmp), rng)
        events, stack = ProjectEvents(), QUndoStack()

        # (a) bare widget vs (b) the reader, each a fresh widget, opened, shown and painted. They
        # take turns, so a busy spell on a shared machine hits both alike.
        def open_bare_once() -> float:
            bare = QPlainTextEdit()
            bare.resize(*SIZE)

            def open_bare(w: QPlainTextEdit = bare) -> None:
                w.setPlainText(text)
                w.show()
                w.viewport().repaint()

            took = timed(open_bare)
            app.processEvents()
            dispose(bare)
            return took

        def open_ours_once() -> float:
            pane = ReaderPane(project, stack, events, "alice")
            pane.resize(*SIZE)

            def open_ours(p: ReaderPane = pane) -> None:
                p.show_article(article_id)
                p.show()
                p.view.viewport().repaint()

            took = timed(open_ours)
            assert pane.view.visible_span_ids(), "the first screen was painted without its spans"
            rest_samples.append(timed(app.processEvents))  # the deferred load of the other spans
            assert len(pane.view.index) == SPANS
            dispose(pane)
            return took

        bare_samples: list[float] = []
        ours_samples: list[float] = []
        rest_samples: list[float] = []
        for _ in range(RUNS):
            bare_samples.append(open_bare_once())
            ours_samples.append(open_ours_once())
        base_open, ours_open = median_ms(bare_samples), median_ms(ours_samples)
        report("open 50k words, 2000 spans", ours_open, base_open, "<= 1.5x", ours_open <= 1.5 * base_open)
        report("  then the other spans (deferred)", median_ms(rest_samples), None, "-", True)

        # For reference, the same with a real first paint: offscreen, repaint() above comes before
        # the window is exposed and paints nothing; QWidget.grab() renders the whole widget now.
        def grab_bare() -> float:
            bare = QPlainTextEdit()
            bare.resize(*SIZE)
            took = timed(lambda: (bare.setPlainText(text), bare.show(), bare.grab()))
            dispose(bare)
            return took

        def grab_ours() -> float:
            pane = ReaderPane(project, stack, events, "alice")
            pane.resize(*SIZE)
            took = timed(lambda: (pane.show_article(article_id), pane.show(), pane.grab()))
            app.processEvents()
            dispose(pane)
            return took

        grabbed = [(grab_bare(), grab_ours()) for _ in range(RUNS)]
        base_grab = median_ms([b for b, _o in grabbed])
        ours_grab = median_ms([o for _b, o in grabbed])
        report("  (for scale) open + real first paint", ours_grab, base_grab, "-", True)

        # Switching between two articles in a pane that is already on screen.
        pane = ReaderPane(project, stack, events, "alice")
        pane.resize(*SIZE)
        pane.show()
        switch = []
        for i in range(6):
            switch.append(
                timed(
                    lambda i=i: (
                        pane.show_article((article_id, other_id)[i % 2]),
                        pane.view.viewport().repaint(),
                    )
                )
            )
        report("switch article (pane shown)", median_ms(switch), None, "-", True)
        db_load = median_ms(
            [
                timed(
                    lambda: (
                        get_article(project, article_id),
                        spans_for_article(project, article_id, ["alice"]),
                    )
                )
                for _ in range(5)
            ]
        )
        report("  of which db: article + 2000 spans", db_load, None, "-", True)

        # Scroll to the middle and repaint: ours with spans vs the bare widget.
        pane.show_article(article_id)
        app.processEvents()
        bare = QPlainTextEdit()
        bare.resize(*SIZE)
        bare.setPlainText(text)
        bare.show()
        app.processEvents()
        for w in (pane.view, bare):
            bar = w.verticalScrollBar()
            bar.setValue(bar.maximum() // 2)
        app.processEvents()
        ours_paint = median_ms([timed(pane.view.viewport().repaint) for _ in range(20)])
        bare_paint = median_ms([timed(bare.viewport().repaint) for _ in range(20)])
        visible = len(pane.view.visible_span_ids())
        report(
            f"repaint mid-article ({visible} spans)",
            ours_paint,
            bare_paint,
            "<= 1.5x",
            ours_paint <= 1.5 * bare_paint,
        )

        # (c) label keypress: select a few words near the middle, press 2, until committed and painted.
        view = pane.view
        view.setFocus()
        mid = len(text) // 2
        presses = []
        for i in range(30):
            start = text.find(" ", mid + i * 400) + 1
            end = text.find(" ", start + 12)
            view.select_text(start + 1, end - 1)  # mid-word on both sides, as a hurried mouse would
            view.text_selection()  # the snap's first tokenization is measured separately below

            def press() -> None:
                QTest.keyClick(view, Qt.Key.Key_2)
                view.viewport().repaint()

            before = stack.count()
            presses.append(timed(press))
            assert stack.count() == before + 1, "the keypress did not add a span"
        press_ms = median_ms(presses)
        report("label keypress -> db + repaint", press_ms, None, "< 30 ms", press_ms < 30)

        # First snap in paragraphs nobody touched yet (tokenizes one paragraph).
        snaps = []
        for i in range(30):
            start = text.find("\n\n", (i + 1) * len(text) // 32) + 2
            view.select_text(start + 3, start + 20)
            snaps.append(timed(view.text_selection))
        report("first snap in a fresh paragraph", median_ms(snaps), None, "< 10 ms", median_ms(snaps) < 10)
        whole = timed(lambda: tokenize(text)) * 1000
        report("(for scale) tokenize whole article", whole, None, "-", True)
        pane.close()
        bare.close()
        project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
