#!/usr/bin/env python3
"""Generate a large project for the scale benchmarks.

Usage: bench/make_project.py OUT.newsmark [--articles 10000] [--spans 20] [--words 600]

10,000 articles across 20 outlets and 500 stories; per article 20 spans by "alice" (200,000),
a second annotator "bob" whose layer differs as real colleagues' do (most spans the same, some
relabelled, some with shifted boundaries, some missed), gold for a tenth of the articles, and
20,000 links (SAME_CLAIM across the outlets of a story, SOURCE_OF inside articles).
Rows go in through bulk SQL into a project created by db.project.open_project, so the schema,
triggers and indexes are the real ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.project import open_project

WORDS = [
    "minister",
    "said",
    "officials",
    "warned",
    "the",
    "agreement",
    "talks",
    "security",
    "missile",
    "troops",
    "border",
    "analysts",
    "believe",
    "report",
    "sources",
    "claimed",
    "government",
    "statement",
    "cooperation",
    "sanctions",
    "council",
    "meeting",
    "visit",
    "launch",
    "region",
    "allies",
    "pressure",
    "treaty",
    "economy",
    "vote",
    "week",
    "spokesman",
    "according",
    "experts",
    "noted",
    "data",
    "figures",
    "percent",
    "million",
    "capital",
    "summit",
    "strait",
    "fishermen",
    "harbour",
    "coast",
    "patrol",
    "vessel",
    "navy",
    "ministry",
    "envoy",
]
LABELS = {"CLAIM": 1, "ATTRIBUTION": 2, "EXPERT_OPINION": 3, "FACT": 4}


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def build(out: Path, n_articles: int, n_spans: int, n_words: int, seed: int = 7) -> dict[str, int]:
    out.unlink(missing_ok=True)
    open_project(out).close()
    rng = random.Random(seed)
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    now = dt.datetime(2026, 1, 1).isoformat(" ")
    conn.executemany(
        "INSERT INTO outlets (id, name) VALUES (?, ?)", [(i + 1, f"Outlet {i + 1:02d}") for i in range(20)]
    )
    conn.executemany(
        "INSERT INTO stories (id, name) VALUES (?, ?)", [(i + 1, f"Story {i + 1:03d}") for i in range(500)]
    )
    conn.executemany(
        "INSERT INTO annotators (id, name, is_gold) VALUES (?, ?, ?)",
        [(1, "alice", 0), (2, "bob", 0), (3, "gold", 1)],
    )
    articles, spans, links = [], [], []
    span_id = 0
    alice_by_article: dict[int, list[int]] = {}
    for a in range(1, n_articles + 1):
        sents, count = [], 0
        while count < n_words:
            s = sentence(rng)
            sents.append(s)
            count += len(s.split())
        text = " ".join(sents) + f" Ref {a}."
        sha = hashlib.sha256(text.encode()).hexdigest()
        story = (a - 1) // 20 + 1
        outlet = (a - 1) % 20 + 1
        published = (dt.date(2025, 1, 1) + dt.timedelta(days=story % 300)).isoformat()
        articles.append(
            (
                a,
                sha[:12],
                sha,
                text,
                len(text),
                f"Article {a}: {sents[0][:50]}",
                outlet,
                story,
                published,
                now,
            )
        )
        bounds, pos = [], 0
        for s in sents:
            bounds.append((pos, pos + len(s)))
            pos += len(s) + 1
        picks = sorted(rng.sample(range(len(bounds)), min(n_spans, len(bounds))))
        labels = list(LABELS.values())
        mine = []
        for k, j in enumerate(picks):
            s, e = bounds[j]
            label = labels[k % 4]
            span_id += 1
            spans.append(
                (span_id, f"s-a{span_id:010x}", a, 1, label, s, e, text[s:e], "imported", "active", now, now)
            )
            mine.append(span_id)
            r = rng.random()
            if r < 0.1:
                continue  # bob missed it
            if r < 0.2:
                label = labels[(k + 1) % 4]
            elif r < 0.3:
                e = max(s + 1, e - rng.randint(1, 8))
            span_id += 1
            spans.append(
                (span_id, f"s-b{span_id:010x}", a, 2, label, s, e, text[s:e], "imported", "active", now, now)
            )
            if a % 10 == 0:
                span_id += 1
                spans.append(
                    (
                        span_id,
                        f"s-g{span_id:010x}",
                        a,
                        3,
                        label,
                        s,
                        e,
                        text[s:e],
                        "imported",
                        "active",
                        now,
                        now,
                    )
                )
        alice_by_article[a] = mine
    link_id = 0
    for a in range(1, n_articles + 1):
        mine = alice_by_article[a]
        if len(mine) >= 2:
            link_id += 1
            links.append((link_id, f"l-{link_id:010x}", mine[1], mine[0], 4, 1, now))  # SOURCE_OF
        if a % 20 != 0 and a + 1 <= n_articles and alice_by_article[a + 1]:
            link_id += 1
            links.append(
                (link_id, f"l-{link_id:010x}", mine[0], alice_by_article[a + 1][0], 1, 1, now)
            )  # SAME_CLAIM
    conn.executemany(
        "INSERT INTO articles (id, uid, sha256, text, n_chars, title, outlet_id, story_id, published, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        articles,
    )
    conn.executemany(
        'INSERT INTO spans (id, uid, article_id, annotator_id, label_id, start, "end", text, origin, status, '
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        spans,
    )
    conn.executemany(
        "INSERT INTO links (id, uid, source_span_id, target_span_id, type_id, annotator_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        links,
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    return {"articles": len(articles), "spans": len(spans), "links": len(links)}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=20)
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = build(args.out, args.articles, args.spans, args.words)
    print(f"{args.out}: {counts} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
