#!/usr/bin/env python3
"""Span suggestions: quality on the hand-annotated dev set and speed on a 1,000-word article.

    python bench/bench_suggest.py [--quick] [--model NAME] [--errors]

Quality: precision / recall / F1 per label on bench/data/suggest_dev/gold.jsonl, counting a
suggestion right when it has the gold label and (exact) the same offsets or (overlap) any overlap
with a gold span of that label (each gold span matched at most once), plus SOURCE_OF links (exact
ends). Run with the blank pipeline (rules only) and, when one is installed, the trained pipeline.
Speed: median time of ``suggest_spans`` on a 1,000-word article with the blank pipeline, printed
as ``name, ours, target, ok|MISS``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.suggest import load_pipeline, suggest_spans  # noqa: E402
from db.suggest.model import SUGGESTED_LABELS  # noqa: E402
from db.suggest.pipeline import BLANK, DEFAULT_CANDIDATES, _installed  # noqa: E402

GOLD = ROOT / "bench" / "data" / "suggest_dev" / "gold.jsonl"
#: The demo corpus's hand annotations: written by someone else before the rules, so an independent
#: check; they do not mark every span, so only recall means much there.
DEMO = ROOT / "resources" / "demo" / "demo.jsonl"
SPEED_TARGET_MS = 300.0
Span = tuple[int, int, str]


def load_gold(path: Path = GOLD) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _match(pred: list[Span], gold: list[Span], overlap: bool) -> int:
    used: set[int] = set()
    hits = 0
    for a, b, label in pred:
        for i, (c, d, glabel) in enumerate(gold):
            if i in used or glabel != label:
                continue
            if (a, b) == (c, d) or (overlap and a < d and c < b):
                used.add(i)
                hits += 1
                break
    return hits


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(
    records: Iterable[dict[str, object]], model: str, show_errors: bool = False
) -> dict[str, dict[str, float]]:
    nlp = load_pipeline(model)
    counts = {
        lab: {"pred": 0, "gold": 0, "exact": 0, "overlap": 0} for lab in (*SUGGESTED_LABELS, "SOURCE_OF")
    }
    for rec in records:
        text = str(rec["text"])
        result = suggest_spans(text, nlp=nlp)
        pred = [(s.start, s.end, s.label) for s in result.spans]
        gold = [(int(s["start"]), int(s["end"]), str(s["label"])) for s in rec["spans"]]  # type: ignore[attr-defined]
        for lab in SUGGESTED_LABELS:
            p = [x for x in pred if x[2] == lab]
            g = [x for x in gold if x[2] == lab]
            counts[lab]["pred"] += len(p)
            counts[lab]["gold"] += len(g)
            counts[lab]["exact"] += _match(p, g, overlap=False)
            counts[lab]["overlap"] += _match(p, g, overlap=True)
            if show_errors:
                for x in p:
                    if x not in g:
                        print(
                            f"  FP {rec['meta'].get('file') or rec['meta'].get('outlet')} {lab}: {text[x[0] : x[1]]!r}"
                        )  # type: ignore[index]
                for x in g:
                    if x not in p:
                        print(
                            f"  FN {rec['meta'].get('file') or rec['meta'].get('outlet')} {lab}: {text[x[0] : x[1]]!r}"
                        )  # type: ignore[index]
        plinks = {
            (
                result.spans[lk.source].start,
                result.spans[lk.source].end,
                result.spans[lk.target].start,
                result.spans[lk.target].end,
            )
            for lk in result.links
        }
        glinks = {
            (r["head_span"]["start"], r["head_span"]["end"], r["child_span"]["start"], r["child_span"]["end"])
            for r in rec["relations"]  # type: ignore[attr-defined]
        }
        counts["SOURCE_OF"]["pred"] += len(plinks)
        counts["SOURCE_OF"]["gold"] += len(glinks)
        counts["SOURCE_OF"]["exact"] += len(plinks & glinks)
        counts["SOURCE_OF"]["overlap"] += len(plinks & glinks)
    table: dict[str, dict[str, float]] = {}
    for lab, c in counts.items():
        pe, re_, fe = _prf(c["exact"], c["pred"], c["gold"])
        po, ro, fo = _prf(c["overlap"], c["pred"], c["gold"])
        table[lab] = {
            "gold": c["gold"],
            "pred": c["pred"],
            "P": pe,
            "R": re_,
            "F1": fe,
            "P~": po,
            "R~": ro,
            "F1~": fo,
        }
    return table


def print_table(model: str, table: dict[str, dict[str, float]]) -> None:
    print(f"quality with {model} (exact | overlap)")
    print(
        f"  {'label':<15} {'gold':>4} {'pred':>4}   {'P':>5} {'R':>5} {'F1':>5}   {'P~':>5} {'R~':>5} {'F1~':>5}"
    )
    for lab, t in table.items():
        print(
            f"  {lab:<15} {int(t['gold']):>4} {int(t['pred']):>4}   {t['P']:5.2f} {t['R']:5.2f} {t['F1']:5.2f}"
            f"   {t['P~']:5.2f} {t['R~']:5.2f} {t['F1~']:5.2f}"
        )


def thousand_words(records: list[dict[str, object]]) -> str:
    paragraphs = [p for rec in records for p in str(rec["text"]).split("\n\n")[2:]]
    out: list[str] = []
    words = 0
    i = 0
    while words < 1000:
        p = paragraphs[i % len(paragraphs)]
        out.append(p)
        words += len(p.split())
        i += 1
    return "\n\n".join(out)


def speed(records: list[dict[str, object]], runs: int, model: str = BLANK) -> float:
    nlp = load_pipeline(model)
    text = thousand_words(records)
    suggest_spans(text, nlp=nlp)  # warm-up: the pipeline is loaded once per process
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        suggest_spans(text, nlp=nlp)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer timing runs")
    parser.add_argument("--model", help="evaluate only this pipeline")
    parser.add_argument("--errors", action="store_true", help="print false positives and negatives")
    parser.add_argument(
        "--demo", action="store_true", help="also score recall on the demo corpus annotations"
    )
    args = parser.parse_args()
    records = load_gold()
    models = [args.model] if args.model else [BLANK, *[m for m in DEFAULT_CANDIDATES if _installed(m)][:1]]
    for model in models:
        print_table(model, evaluate(records, model, args.errors))
        if args.demo and DEMO.is_file():
            print("demo corpus (partial annotations: read the recall)")
            print_table(model, evaluate(load_gold(DEMO), model, args.errors))
    ms = speed(records, 5 if args.quick else 21)
    ok = ms < SPEED_TARGET_MS
    print(
        f"suggest_spans 1,000 words (blank), {ms:.1f} ms, target < {SPEED_TARGET_MS:.0f} ms, {'ok' if ok else 'MISS'}"
    )
    for model in models[1:]:
        trained_ms = speed(records, 3 if args.quick else 11, model)
        print(f"suggest_spans 1,000 words ({model}), {trained_ms:.1f} ms, for information")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
