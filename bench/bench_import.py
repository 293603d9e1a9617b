"""Import speed: ``import_paths`` of the shared synthetic corpus vs a bare sqlite3 executemany.

    python bench/bench_import.py [N] [--quick]

N articles of ~600 words with 20 spans each (``../shared/bench/make_corpus.py N 20 600``). The
baseline parses the same JSONL with ``json`` and inserts the same article and span rows with
sqlite3 executemany into tables with the same columns and indexes, in WAL mode. Median of 3.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GENERATOR_CANDIDATES = (
    ROOT.parent / "shared" / "bench" / "make_corpus.py",
    Path("/work/shared/bench/make_corpus.py"),
)
TARGET_RATIO = 2.0

BASELINE_SCHEMA = """
CREATE TABLE articles (id INTEGER PRIMARY KEY, uid VARCHAR(12) UNIQUE, sha256 VARCHAR(64) UNIQUE, text TEXT,
  n_chars INTEGER, title TEXT, outlet_id INTEGER, story_id INTEGER, author TEXT, published DATE, url TEXT,
  source_file TEXT, imported_at DATETIME);
CREATE INDEX ix_articles_outlet_id ON articles (outlet_id);
CREATE INDEX ix_articles_story_id ON articles (story_id);
CREATE INDEX ix_articles_outlet_published ON articles (outlet_id, published);
CREATE TABLE spans (id INTEGER PRIMARY KEY, uid VARCHAR(32) UNIQUE, article_id INTEGER, annotator_id INTEGER,
  label_id INTEGER, start INTEGER, "end" INTEGER, text TEXT, note TEXT, origin VARCHAR(16), status VARCHAR(16),
  created_at DATETIME, updated_at DATETIME);
CREATE INDEX ix_spans_annotator_id ON spans (annotator_id);
CREATE INDEX ix_spans_label_id ON spans (label_id);
CREATE INDEX ix_spans_article_annotator ON spans (article_id, annotator_id, start);
"""


def make_corpus(n: int, path: Path) -> None:
    generator = next((p for p in GENERATOR_CANDIDATES if p.is_file()), None)
    if generator is None:
        raise SystemExit("bench_import: cannot find ../shared/bench/make_corpus.py")
    with path.open("w", encoding="utf-8") as out:
        subprocess.run([sys.executable, str(generator), str(n), "20", "600"], stdout=out, check=True)


def baseline(corpus: Path, db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(BASELINE_SCHEMA)
    labels = {"CLAIM": 1, "ATTRIBUTION": 2, "EXPERT_OPINION": 3, "FACT": 4}
    outlets: dict[str, int] = {}
    stories: dict[str, int] = {}
    now = "2026-01-01 00:00:00.000000"
    articles, spans = [], []
    with corpus.open("rb") as fh:
        for i, line in enumerate(fh, start=1):
            rec = json.loads(line)
            text, meta = rec["text"], rec["meta"]
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            outlet = outlets.setdefault(meta["outlet"], len(outlets) + 1)
            story = stories.setdefault(meta["story"], len(stories) + 1)
            articles.append(
                (i, sha[:12], sha, text, len(text), meta["title"], outlet, story, None, None, None, "c", now)
            )
            for sp in rec["spans"]:
                s, e = sp["start"], sp["end"]
                uid = "s-" + secrets.token_hex(6)  # random ids, as Newsmark's own
                spans.append(
                    (uid, i, 1, labels[sp["label"]], s, e, text[s:e], None, "imported", "active", now, now)
                )
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", articles)
    conn.executemany(
        'INSERT INTO spans (uid, article_id, annotator_id, label_id, start, "end", text, note, origin, status,'
        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        spans,
    )
    conn.execute("COMMIT")
    conn.close()


def ours(corpus: Path, db: Path) -> float:
    """Seconds that ``import_paths`` takes (opening the ready, empty project is not timed)."""
    from db.importing import import_paths
    from db.project import open_project

    project = open_project(db)
    try:
        t0 = time.perf_counter()
        summary = import_paths(project, [corpus])
        took = time.perf_counter() - t0
        if summary.errors:
            raise SystemExit(f"bench_import: import failed: {summary.errors[0]}")
    finally:
        project.close()
    return took


def fresh_project_template(workdir: Path) -> Path:
    """Creating a project (migrations) is not import work: time the import into a ready empty project."""
    from db.project import open_project

    template = workdir / "template.newsmark"
    open_project(template).close()
    return template


def timed(
    fn: Callable[[Path, Path], float | None], corpus: Path, workdir: Path, template: Path | None, run: int
) -> float:
    db = workdir / f"{fn.__name__}-{run}.db"
    if template is not None:
        db.write_bytes(template.read_bytes())
    t0 = time.perf_counter()
    inner = fn(corpus, db)
    return inner if inner is not None else time.perf_counter() - t0


def measure(corpus: Path, workdir: Path, template: Path, runs: int) -> tuple[float, float]:
    """Medians of ours and of the baseline, run alternately so that both see the same machine load."""
    mine, base = [], []
    for run in range(runs):
        base.append(timed(baseline, corpus, workdir, None, run))
        mine.append(timed(ours, corpus, workdir, template, run))
    return statistics.median(mine), statistics.median(base)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", nargs="?", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--quick", action="store_true", help="200 articles, one run each")
    args = parser.parse_args()
    n, runs = (200, 1) if args.quick else (args.n, 3)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        corpus = workdir / "corpus.jsonl"
        make_corpus(n, corpus)
        template = fresh_project_template(workdir)
        mine, base = measure(corpus, workdir, template, runs)
    ratio = mine / base if base else float("inf")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"# corpus: {n} articles x 20 spans, median of {runs}, python {sys.version.split()[0]}, pid {os.getpid()}"
    )
    print(f"{'figure':<28} {'ours':>9} {'baseline':>9} {'ratio':>6} {'target':>8}  result")
    ok = "ok" if ratio <= TARGET_RATIO else "MISS"
    print(
        f"{'import ' + str(n) + ' articles':<28} {mine:>8.2f}s {base:>8.2f}s {ratio:>6.2f} {'<=2.0x':>8}  {ok}"
    )
    print(f"{'peak RSS':<28} {rss_mb:>7.0f}MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
