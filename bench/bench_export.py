#!/usr/bin/env python3
"""Export speed and memory: ``newsmark export`` to Newsmark JSONL next to a bare sqlite3 + json dump.

Usage: bench/bench_export.py [--n 10000] [--quick] [--keep DIR] [--via-sql]

Builds a project from ``../shared/bench/make_corpus.py N 20 600`` (N articles of about 600 words,
20 spans each; by default the issue's 10,000 articles and 200,000 spans, 1,000 with --quick)
through ``db.importing.import_paths``, or with ``--via-sql`` by bulk SQL into a project made by
``open_project`` (real schema, triggers, indexes). Then times, as medians of 5 turns (the cold
first export: of 3, or 1 with --quick):

- ours: ``db.exporting.export`` to JSONL (open the project, export, close), with the token cache
  warm: every export after the first, and the first one too once the app's background upkeep
  (``desktop.maintenance``) has tokenized the imported articles;
- baseline: sqlite3 reading the same rows (text, meta, spans) and ``json.dumps`` of one dict per
  article to a file, no tokens, nothing else: the bare limit of the stack (issue 7's figure);
- same-bytes dump: the baseline plus the cached token JSON spliced into each line, i.e. the bare
  limit for a file as big as ours;
- first export (informational): the same export on a fresh project whose cache is cold, so that
  it tokenizes every article and fills the cache.

Prints one line per figure: name, ours, baseline, ratio, target, ok|MISS; informational lines
start with ``#``: the cold first export, the output sizes, peak RSS and the RSS growth during the
exports (the exporter streams, so it must not grow with the project). The warm export is also held
to the peers' figure (PEERS.md: Label Studio 44.6 s for 10,000 articles, 9.8 s for 2,000) divided
by ten; the cold first export is shown next to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.project import open_project  # noqa: E402

MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
LABELS = ("CLAIM", "ATTRIBUTION", "EXPERT_OPINION", "FACT")
PEER_EXPORT_S = {10_000: 44.6, 2_000: 9.8}  # Label Studio, the faster peer (PEERS.md)


def rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() // 1024


def build_by_sql(project_path: Path, corpus: Path) -> None:
    open_project(project_path).close()
    con = sqlite3.connect(project_path)
    con.execute("PRAGMA foreign_keys = ON")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    with con:
        con.execute("INSERT INTO annotators (name, is_gold) VALUES ('bench', 0)")
        (annotator,) = con.execute("SELECT id FROM annotators WHERE name = 'bench'").fetchone()
        label_ids = dict(con.execute("SELECT key, id FROM labels"))
        outlets: dict[str, int] = {}
        stories: dict[str, int] = {}
        spans: list[tuple] = []
        with corpus.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                item = json.loads(line)
                text, meta = item["text"], item["meta"]
                for table, cache, name in (
                    ("outlets", outlets, meta["outlet"]),
                    ("stories", stories, meta["story"]),
                ):
                    if name not in cache:
                        cache[name] = con.execute(f"INSERT INTO {table} (name) VALUES (?)", (name,)).lastrowid
                sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
                article = con.execute(
                    "INSERT INTO articles (uid, sha256, text, n_chars, title, outlet_id, story_id, published, imported_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (sha[:12], sha, text, len(text), meta["title"], outlets[meta["outlet"]], stories[meta["story"]],
                     dt.date(2024, 1, 1 + n % 28).isoformat(), now),
                ).lastrowid  # fmt: skip
                for k, sp in enumerate(item["spans"]):
                    spans.append(
                        (f"s-{n:06d}{k:03d}", article, annotator, label_ids[sp["label"]], sp["start"], sp["end"],
                         text[sp["start"] : sp["end"]], now, now)
                    )  # fmt: skip
        con.executemany(
            'INSERT INTO spans (uid, article_id, annotator_id, label_id, start, "end", text, note, origin, status,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'imported', 'active', ?, ?)",
            spans,
        )
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def build_by_import(project_path: Path, corpus: Path) -> None:
    from db.importing import import_paths

    project = open_project(project_path)
    try:
        import_paths(project, [corpus], annotator="bench", fmt="jsonl")
    finally:
        project.close()


def baseline_dump(project_path: Path, out: Path) -> None:
    """The bare limit: the same rows through sqlite3 and json.dumps, one line per article."""
    con = sqlite3.connect(project_path)
    spans = con.execute(
        'SELECT s.article_id, s.uid, s.start, s."end", l.key, s.text, s.note FROM spans s'
        " JOIN labels l ON l.id = s.label_id WHERE s.status = 'active' ORDER BY s.article_id, s.start"
    )
    pending = next(spans, None)
    with out.open("w", encoding="utf-8") as fh:
        for aid, uid, text, title, outlet, story, published, url in con.execute(
            "SELECT a.id, a.uid, a.text, a.title, o.name, st.name, a.published, a.url FROM articles a"
            " LEFT JOIN outlets o ON o.id = a.outlet_id LEFT JOIN stories st ON st.id = a.story_id ORDER BY a.id"
        ):
            rows = []
            while pending is not None and pending[0] == aid:
                rows.append(
                    {"id": pending[1], "start": pending[2], "end": pending[3], "label": pending[4],
                     "text": pending[5], "note": pending[6]}
                )  # fmt: skip
                pending = next(spans, None)
            meta = {
                "article_id": uid,
                "title": title,
                "outlet": outlet,
                "published": published,
                "url": url,
                "story": story,
            }
            fh.write(json.dumps({"text": text, "meta": meta, "spans": rows}, ensure_ascii=False) + "\n")
    con.close()


def baseline_same_bytes(project_path: Path, out: Path) -> None:
    """The bare limit for our output size: the baseline's rows plus the cached token JSON, spliced in."""
    con = sqlite3.connect(project_path)
    spans = con.execute(
        'SELECT s.article_id, s.uid, s.start, s."end", l.key, s.text, s.note FROM spans s'
        " JOIN labels l ON l.id = s.label_id WHERE s.status = 'active' ORDER BY s.article_id, s.start"
    )
    pending = next(spans, None)
    with out.open("wb") as fh:
        for aid, uid, text, title, outlet, story, published, url, tokens in con.execute(
            "SELECT a.id, a.uid, a.text, a.title, o.name, st.name, a.published, a.url, t.tokens_json FROM articles a"
            " LEFT JOIN outlets o ON o.id = a.outlet_id LEFT JOIN stories st ON st.id = a.story_id"
            " JOIN article_tokens t ON t.article_id = a.id ORDER BY a.id"
        ):
            rows = []
            while pending is not None and pending[0] == aid:
                rows.append(
                    {"id": pending[1], "start": pending[2], "end": pending[3], "label": pending[4],
                     "text": pending[5], "note": pending[6]}
                )  # fmt: skip
                pending = next(spans, None)
            meta = {
                "article_id": uid,
                "title": title,
                "outlet": outlet,
                "published": published,
                "url": url,
                "story": story,
            }
            head = json.dumps({"text": text, "meta": meta}, ensure_ascii=False).encode("utf-8")
            tail = json.dumps({"spans": rows}, ensure_ascii=False).encode("utf-8")
            fh.write(head[:-1] + b', "tokens": ' + tokens + b", " + tail[1:] + b"\n")
    con.close()


def ours(project_path: Path, out: Path) -> object:
    from db.exporting import export

    project = open_project(project_path, create=False)
    try:
        return export(project, out)
    finally:
        project.close()


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def line(name: str, ours_s: float, base_s: float, target: float, unit: str = "s") -> bool:
    ratio = ours_s / base_s if base_s else float("inf")
    ok = ratio <= target
    print(f"{name:<34} ours {ours_s:8.3f} {unit}  baseline {base_s:8.3f} {unit}  ratio {ratio:6.2f}  "
          f"target <= {target:g}x  {'ok' if ok else 'MISS'}", flush=True)  # fmt: skip
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="articles (default 10000, the issue's size)")
    parser.add_argument("--quick", action="store_true", help="a tenth: 1000 articles, one cold export")
    parser.add_argument("--keep", type=Path, help="build the project here and keep it")
    parser.add_argument("--via-sql", action="store_true", help="build by bulk SQL instead of import_paths")
    args = parser.parse_args()
    n = 1000 if args.quick else args.n
    runs = 5  # ours and the baselines take turns; a warm export is short, so five are cheap
    cold_runs = 1 if args.quick else 3
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        corpus = work / "corpus.jsonl"
        with corpus.open("w") as fh:
            subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), "20", "600"], stdout=fh, check=True)
        folder = args.keep or work
        folder.mkdir(parents=True, exist_ok=True)
        fresh = folder / "export-bench.newsmark"
        for stale in folder.glob("export-bench.newsmark*"):
            stale.unlink()
        started = time.perf_counter()
        (build_by_sql if args.via_sql else build_by_import)(fresh, corpus)
        print(f"# built {n} articles / {20 * n} spans in {time.perf_counter() - started:.1f} s "
              f"({'bulk SQL' if args.via_sql else 'import_paths'})", flush=True)  # fmt: skip
        pristine = work / "pristine.newsmark"
        shutil.copyfile(fresh, pristine)

        rss_before = rss_kb()
        out = work / "out.jsonl"
        # The first export on this project tokenizes and fills the cache; later ones read it.
        first = [timed(ours, fresh, out)]
        for _ in range(cold_runs - 1):
            shutil.copyfile(pristine, fresh)
            for side in ("-wal", "-shm"):
                Path(f"{fresh}{side}").unlink(missing_ok=True)
            first.append(timed(ours, fresh, out))
        # Ours and the baselines take turns, so that a busy machine slows them alike.
        base_out = work / "baseline.jsonl"
        warm: list[float] = []
        base: list[float] = []
        same: list[float] = []
        for _ in range(runs):
            warm.append(timed(ours, fresh, out))
            base.append(timed(baseline_dump, fresh, base_out))
            same.append(timed(baseline_same_bytes, fresh, work / "same.jsonl"))
        rss_after = rss_kb()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size_ours = out.stat().st_size
        size_base = base_out.stat().st_size

        b = statistics.median(base)
        warm_s, first_s = statistics.median(warm), statistics.median(first)
        ok = line(f"export jsonl {n} (warm cache)", warm_s, b, 2.0)
        ok &= line(f"export jsonl {n} vs same-bytes dump", warm_s, statistics.median(same), 2.0)
        print(
            f"# first export, cold token cache (tokenizes every article, fills the cache): {first_s:.3f} s"
            f" = {first_s / b:.1f}x baseline; the app fills the cache in the background after an import"
        )
        peer = PEER_EXPORT_S.get(n)
        if peer is None:
            print("# the peers were measured at 2,000 and 10,000 articles only; no comparison at this size")
        else:
            verdict = "ok" if warm_s <= peer / 10 else "MISS"
            print(f"{'export vs Label Studio / 10':<34} ours {warm_s:8.3f} s  peer {peer:8.1f} s  "
                  f"ratio {warm_s / peer:6.3f}  target <= 0.1x  {verdict}")  # fmt: skip
            ok &= verdict == "ok"
            print(
                f"# cold first export vs Label Studio: {first_s:.3f} s vs {peer:.1f} s = {first_s / peer:.3f}x"
            )
        print(
            f"# output: ours {size_ours / 1e6:.1f} MB (with tokens), baseline {size_base / 1e6:.1f} MB (no tokens)"
        )
        con = sqlite3.connect(fresh)
        cache_bytes, text_bytes = con.execute(
            "SELECT (SELECT sum(length(tokens_json) + length(bounds)) FROM article_tokens),"
            " (SELECT sum(length(CAST(text AS BLOB))) FROM articles)"
        ).fetchone()
        con.close()
        print(f"# token cache: {cache_bytes / 1e6:.1f} MB in the project ({cache_bytes / text_bytes:.1f}x the "
              f"{text_bytes / 1e6:.1f} MB of article text); project file {fresh.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        print(f"# peak RSS {peak / 1024:.0f} MB; RSS before exports {rss_before / 1024:.0f} MB, "
              f"after {cold_runs + runs} exports and the baselines {rss_after / 1024:.0f} MB (growth {(rss_after - rss_before) / 1024:+.0f} MB)")  # fmt: skip
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
