#!/usr/bin/env python3
"""Claims matrix speed, link-suggestion speed, and suggestion recall/precision on the demo's gold pairs.

Usage: bench/bench_links.py [--quick] [--articles 20] [--spans 100]

1. Matrix: a story of ARTICLES articles with SPANS spans each (``../shared/bench/make_corpus.py``,
   bulk SQL into a real project), SAME_CLAIM groups across articles, SOURCE_OF from attributions
   and some CONTRADICTS links. ours: ``db.claims.claims_matrix`` (best of 5); baseline: sqlite3
   reading the same rows (the story's articles, their spans with labels, the links between them)
   with ``fetchall`` and nothing else. Target: within 100 ms (a refresh the analyst does not wait
   for), and at most 5x the baseline (the clustering, the attributions and one record per cell are
   work the bare read does not do).
2. Suggestions on the demo story (5 outlets, imported with ``db.importing.import_paths`` with its
   annotations stripped, as before anyone annotates): ``suggest_for_story`` cold (sentencizing) and
   warm, ``suggest_for_span`` per span; baseline: rapidfuzz ``token_set_ratio`` on every sentence pair
   of different outlets (the naive all-pairs approach). Target: warm story within 2x the naive pass.
   The same on a bigger story: 20 articles of 35 demo sentences drawn at random, 7 outlets.
3. Recall and precision of ``suggest_for_story`` against ``resources/demo/link_pairs.json`` at a few
   thresholds (a candidate matches a gold pair when both articles match and its passages overlap
   both gold quotes), next to the naive rapidfuzz pass at its own thresholds. Precision counts only
   the 25 gold pairs as right, so it is a lower bound: many other candidates are real paraphrases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.claims import claims_matrix  # noqa: E402
from db.project import Project, open_project  # noqa: E402

MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
DEMO = ROOT / "resources" / "demo"
STORY = "bench story"
THRESHOLDS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)


def best_time(fn: Callable[[], Any], runs: int) -> float:
    """The best of ``runs`` timings: the machine is shared, and the best run is the least disturbed."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def verdict(
    name: str, ours: float, base: float, ratio_target: float, abs_target: float | None = None
) -> bool:
    ratio = ours / base if base else float("inf")
    ok = ratio <= ratio_target and (abs_target is None or ours <= abs_target)
    limit = f"<= {ratio_target:g}x" + (f" and <= {abs_target * 1000:g} ms" if abs_target is not None else "")
    print(
        f"{name:<40} ours {ours * 1000:9.1f} ms  baseline {base * 1000:9.1f} ms  ratio {ratio:6.2f}  "
        f"target {limit}  {'ok' if ok else 'MISS'}",
        flush=True,
    )
    return ok


# -- 1. the matrix ----------------------------------------------------------------------------------


def build_matrix_project(path: Path, n_articles: int, n_spans: int) -> None:
    open_project(path).close()
    corpus = subprocess.run(
        [sys.executable, str(MAKE_CORPUS), str(n_articles), str(n_spans), str(n_spans * 25)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    rng = random.Random(7)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    with con:
        con.execute("INSERT INTO annotators (name, is_gold) VALUES ('bench', 0)")
        (annotator,) = con.execute("SELECT id FROM annotators WHERE name = 'bench'").fetchone()
        labels = dict(con.execute("SELECT key, id FROM labels"))
        types = dict(con.execute("SELECT key, id FROM link_types"))
        story = con.execute("INSERT INTO stories (name) VALUES (?)", (STORY,)).lastrowid
        outlets: dict[str, int] = {}
        claims: list[list[int]] = []  # CLAIM span ids per article
        links: list[tuple[str, int, int, int]] = []
        for n, line in enumerate(corpus):
            item = json.loads(line)
            text, meta = item["text"], item["meta"]
            if meta["outlet"] not in outlets:
                outlets[meta["outlet"]] = con.execute(
                    "INSERT INTO outlets (name) VALUES (?)", (meta["outlet"],)
                ).lastrowid
            sha = hashlib.sha256(text.encode()).hexdigest()
            article = con.execute(
                "INSERT INTO articles (uid, sha256, text, n_chars, title, outlet_id, story_id, published, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (sha[:12], sha, text, len(text), meta["title"], outlets[meta["outlet"]], story,
                 dt.date(2024, 1, 1 + n % 5).isoformat(), now),
            ).lastrowid  # fmt: skip
            ids: list[tuple[str, int]] = []
            for k, sp in enumerate(item["spans"]):
                span_id = con.execute(
                    'INSERT INTO spans (uid, article_id, annotator_id, label_id, start, "end", text, origin, status,'
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'imported', 'active', ?, ?)",
                    (f"s-{n:04d}{k:04d}", article, annotator, labels[sp["label"]], sp["start"], sp["end"],
                     text[sp["start"] : sp["end"]], now, now),
                ).lastrowid  # fmt: skip
                ids.append((sp["label"], span_id))
            claims.append([i for label, i in ids if label == "CLAIM"])
            # Each claim attributed to the attribution span that follows it.
            for (la, a), (lb, b) in itertools.pairwise(ids):
                if la == "CLAIM" and lb == "ATTRIBUTION":
                    links.append((f"l-s{b}", b, a, types["SOURCE_OF"]))
        # SAME_CLAIM groups of 2 to 5 articles, and some CONTRADICTS between claims.
        for g in range(n_spans * n_articles // 10):
            members = [
                rng.choice(claims[a])
                for a in rng.sample(range(n_articles), rng.randint(2, min(5, n_articles)))
            ]
            for x, y in itertools.pairwise(members):
                links.append((f"l-g{g}-{x}-{y}", x, y, types["SAME_CLAIM"]))
        all_claims = [i for ids_ in claims for i in ids_]
        for c in range(n_spans * n_articles // 50):
            x, y = rng.sample(all_claims, 2)
            links.append((f"l-c{c}", x, y, types["CONTRADICTS"]))
        seen: set[str] = set()
        con.executemany(
            "INSERT INTO links (uid, source_span_id, target_span_id, type_id, annotator_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(u, s, t, ty, annotator, now) for u, s, t, ty in links if not (u in seen or seen.add(u))],
        )
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def baseline_matrix_rows(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        arts = con.execute(
            "SELECT a.id, o.name, a.published FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"
            " JOIN stories s ON s.id = a.story_id WHERE s.name = ?",
            (STORY,),
        ).fetchall()
        ids = ",".join(str(a[0]) for a in arts)
        spans = con.execute(
            f"SELECT s.id, s.article_id, l.key, s.text, s.start FROM spans s JOIN labels l ON l.id = s.label_id"
            f" WHERE s.article_id IN ({ids}) AND s.status = 'active'"
        ).fetchall()
        links = con.execute(
            "SELECT t.key, k.source_span_id, k.target_span_id FROM links k JOIN link_types t ON t.id = k.type_id"
            " JOIN spans a ON a.id = k.source_span_id JOIN spans b ON b.id = k.target_span_id"
            f" WHERE t.key IN ('SAME_CLAIM', 'CONTRADICTS', 'SOURCE_OF') AND (a.article_id IN ({ids}) OR b.article_id IN ({ids}))"
        ).fetchall()
        return len(arts) + len(spans) + len(links)
    finally:
        con.close()


# -- 2 and 3. suggestions on the demo ------------------------------------------------------------------


def demo_project(path: Path) -> Project:
    from db.importing import import_paths

    bare = path.with_suffix(".jsonl")
    with bare.open("w", encoding="utf-8") as fh:
        for line in (DEMO / "demo.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            fh.write(json.dumps({"text": rec["text"], "meta": rec["meta"]}) + "\n")
    project = open_project(path)
    summary = import_paths(project, [bare], fmt="jsonl")
    assert not any(f.error for f in summary.files), summary
    return project


def gold_pairs(project: Project) -> list[tuple[int, tuple[int, int], int, tuple[int, int]]]:
    from sqlalchemy import select

    from db.models import Article

    with project.read() as s:
        by_file = {f: (i, t) for i, f, t in s.execute(select(Article.id, Article.source_file, Article.text))}
    by_name = {Path(f or "").name: v for f, v in by_file.items()}
    records = [json.loads(x) for x in (DEMO / "demo.jsonl").read_text(encoding="utf-8").splitlines()]
    text_to_id = {t: i for i, t in by_name.values()}
    file_to_id = {r["meta"]["source_file"]: text_to_id[r["text"]] for r in records}
    texts = {file_to_id[r["meta"]["source_file"]]: r["text"] for r in records}
    out = []
    for pair in json.loads((DEMO / "link_pairs.json").read_text(encoding="utf-8")):
        sides = []
        for side in (pair["a"], pair["b"]):
            art = file_to_id[side["file"]]
            start = texts[art].index(side["quote"])
            sides.append((art, (start, start + len(side["quote"]))))
        out.append((sides[0][0], sides[0][1], sides[1][0], sides[1][1]))
    return out


def matches(
    c: tuple[int, int, int, int, int, int], g: tuple[int, tuple[int, int], int, tuple[int, int]]
) -> bool:
    a, a0, a1, b, b0, b1 = c
    ga, (g0, g1), gb, (h0, h1) = g
    fwd = a == ga and b == gb and a0 < g1 and g0 < a1 and b0 < h1 and h0 < b1
    back = a == gb and b == ga and a0 < h1 and h0 < a1 and b0 < g1 and g0 < b1
    return fwd or back


def recall_precision(
    pairs: list[tuple[int, int, int, int, int, int]], gold: list[Any]
) -> tuple[float, float]:
    found = sum(any(matches(c, g) for c in pairs) for g in gold)
    right = sum(any(matches(c, g) for g in gold) for c in pairs)
    return found / len(gold), (right / len(pairs) if pairs else 0.0)


def naive_pairs(project: Project, story: str) -> list[tuple[float, tuple[int, int, int, int, int, int]]]:
    """Every sentence pair of different outlets scored by rapidfuzz's token-set ratio: the baseline."""
    from rapidfuzz import fuzz
    from sqlalchemy import select

    from db.link_similarity import sentences
    from db.models import Article, Outlet, Story

    with project.read() as s:
        arts = s.execute(
            select(Article.id, Article.text, Outlet.name)
            .join(Outlet, Article.outlet_id == Outlet.id)
            .join(Story, Article.story_id == Story.id)
            .where(Story.name == story)
        ).all()
    sents = {a: [(x, y, text[x:y].lower()) for x, y in sentences(text)] for a, text, _ in arts}
    out = []
    for i, (a, _, oa) in enumerate(arts):
        for b, _, ob in arts[i + 1 :]:
            if oa == ob:
                continue
            for x0, x1, xs in sents[a]:
                for y0, y1, ys in sents[b]:
                    out.append((fuzz.token_set_ratio(xs, ys) / 100.0, (a, x0, x1, b, y0, y1)))
    return out


def shuffled_story(project: Project, n_articles: int, n_sentences: int) -> str:
    """A bigger story: articles of demo sentences drawn at random (so many restatements), 7 outlets."""
    from db.articles import add_article
    from db.link_similarity import sentences

    texts = [p.read_text(encoding="utf-8") for p in sorted((DEMO / "articles").glob("*.txt"))]
    pool = [t[s:e] for t in texts for s, e in sentences(t)]
    rng = random.Random(1)
    with project.write() as s:
        for i in range(n_articles):
            body = " ".join(rng.sample(pool, n_sentences))
            add_article(
                s, body, outlet=f"Outlet {i % 7}", story="shuffled", published=dt.date(2024, 1, 1 + i % 5)
            )
    return "shuffled"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--spans", type=int, default=100)
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-links-") as tmp:
        work = Path(tmp)
        path = work / "matrix.newsmark"
        build_matrix_project(path, args.articles, args.spans)
        project = open_project(path)
        try:
            matrix = claims_matrix(project, STORY)  # warm-up: imports, first connection
            print(
                f"# matrix: {args.articles} articles x {args.spans} spans -> {len(matrix.rows)} rows, "
                f"{len(matrix.outlets)} outlets",
                flush=True,
            )
            ours = best_time(lambda: claims_matrix(project, STORY), runs)
            base = best_time(lambda: baseline_matrix_rows(path), runs)
            ok &= verdict(f"claims matrix {args.articles}x{args.spans}", ours, base, 5.0, 0.100)
        finally:
            project.close()

        from db.link_similarity import sentences
        from db.link_suggest import STORY_THRESHOLD, suggest_for_span, suggest_for_story
        from db.spans import add_span

        sentences("Warm up the sentencizer. Load spaCy once.")
        project = demo_project(work / "demo.newsmark")
        try:
            from sqlalchemy import select

            from db.models import Story

            with project.read() as s:
                story = s.scalars(select(Story.name)).one()
            started = time.perf_counter()
            suggest_for_story(project, story)
            cold = time.perf_counter() - started
            warm = best_time(lambda: suggest_for_story(project, story), runs)
            naive_s = best_time(lambda: naive_pairs(project, story), 1)
            print(f"# suggest_for_story cold (sentencizes 5 articles): {cold * 1000:.0f} ms")
            ok &= verdict("suggest_for_story (demo, warm)", warm, naive_s, 2.0)

            big = shuffled_story(project, 20, 35)
            started = time.perf_counter()
            suggest_for_story(project, big)
            big_cold = time.perf_counter() - started
            big_warm = best_time(lambda: suggest_for_story(project, big), max(1, runs // 2))
            big_naive = best_time(lambda: naive_pairs(project, big), 1)
            print(f"# suggest_for_story cold, 20 articles x 35 sentences: {big_cold * 1000:.0f} ms")
            ok &= verdict("suggest_for_story (20 x 35 sentences, warm)", big_warm, big_naive, 2.0)

            gold = gold_pairs(project)
            # A span per gold quote on one side, to time suggest_for_span.
            span_ids = []
            for art, (g0, g1), _, _ in gold[:10]:
                span_ids.append(add_span(project, art, g0, g1, "CLAIM", "bench").id)
            per_span = best_time(lambda: [suggest_for_span(project, i) for i in span_ids], runs) / len(
                span_ids
            )
            print(f"{'suggest_for_span (demo, per span)':<40} ours {per_span * 1000:9.1f} ms  target <= 100 ms  "
                  f"{'ok' if per_span <= 0.1 else 'MISS'}")  # fmt: skip
            ok &= per_span <= 0.1

            top1 = top3 = 0
            for a, (a0, a1), b, (b0, b1) in gold:
                for x, (x0, x1), y, (y0, y1) in ((a, (a0, a1), b, (b0, b1)), (b, (b0, b1), a, (a0, a1))):
                    span = add_span(project, x, x0, x1, "CLAIM", "bench-span-mode").id
                    found = suggest_for_span(project, span, article_ids=[y], limit=3)
                    hits = [i for i, c in enumerate(found) if c.target_start < y1 and y0 < c.target_end]
                    top1 += bool(hits and hits[0] == 0)
                    top3 += bool(hits)
            n = 2 * len(gold)
            print(
                f"# suggest_for_span on each side of each gold pair, other article: top-1 {top1 / n:.2f}, top-3 {top3 / n:.2f}"
            )
            print(f"# recall / precision on {len(gold)} gold pairs (precision: a lower bound, see docstring)")
            print(
                f"#   {'threshold':>9}  {'ours: n':>7} {'recall':>6} {'prec':>6}   {'naive: n':>8} {'recall':>6} {'prec':>6}"
            )
            naive = naive_pairs(project, story)
            for th in THRESHOLDS:
                cands = suggest_for_story(project, story, threshold=th)
                pairs = [
                    (
                        c.source_article_id,
                        c.source_start,
                        c.source_end,
                        c.target_article_id,
                        c.target_start,
                        c.target_end,
                    )
                    for c in cands
                ]
                r, p = recall_precision(pairs, gold)
                nth = th + 0.2  # token-set ratios run higher; compare at a similar number of pairs
                npairs = [x for score, x in naive if score >= nth]
                nr, np_ = recall_precision(npairs, gold)
                mark = "  <- default" if abs(th - STORY_THRESHOLD) < 1e-9 else ""
                print(
                    f"#   {th:9.2f}  {len(pairs):7d} {r:6.2f} {p:6.2f}   {len(npairs):8d} {nr:6.2f} {np_:6.2f}"
                    f"  (naive at {nth:.2f}){mark}"
                )
        finally:
            project.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
