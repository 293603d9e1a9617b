#!/usr/bin/env python3
"""Write gold.jsonl from gold_spec.txt and the articles beside it (standard library only).

    python bench/data/suggest_dev/make_gold.py

Each line of gold.jsonl is one article in the minimal Newsmark JSONL form: text, meta, spans
(start, end, label, text) and relations (SOURCE_OF from an attribution to what it introduces).
Stops with an error when a quoted text is not in its article.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def locate(text: str, quote: str, name: str) -> tuple[int, int]:
    occurrence = 1
    m = re.fullmatch(r"(.*)@(\d+)", quote)
    if m:
        quote, occurrence = m.group(1), int(m.group(2))
    hits = [h.start() for h in re.finditer(rf"(?<!\w){re.escape(quote)}(?!\w)", text)]
    if len(hits) < occurrence:
        raise SystemExit(f"{name}: {quote!r} (occurrence {occurrence}) is not in the article")
    start = hits[occurrence - 1]
    return start, start + len(quote)


def parse(spec: Path) -> dict[str, list[list[tuple[str, str]]]]:
    groups: dict[str, list[list[tuple[str, str]]]] = {}
    current: list[list[tuple[str, str]]] | None = None
    for raw in spec.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("== "):
            current = groups.setdefault(line[3:].strip(), [])
            continue
        if current is None:
            raise SystemExit(f"gold_spec.txt: span before any article: {line!r}")
        group = []
        for part in line.split(" || "):
            label, _, quote = part.partition(" | ")
            group.append((label.strip(), quote.strip()))
        current.append(group)
    return groups


def build() -> list[dict[str, object]]:
    records = []
    for name, groups in parse(HERE / "gold_spec.txt").items():
        text = (HERE / name).read_text(encoding="utf-8")
        spans: list[dict[str, object]] = []
        relations = []
        for group in groups:
            placed = []
            for label, quote in group:
                start, end = locate(text, quote, name)
                span = {"start": start, "end": end, "label": label, "text": text[start:end]}
                spans.append(span)
                placed.append(span)
            head = placed[0]
            if head["label"] == "ATTRIBUTION":
                for child in placed[1:]:
                    relations.append(
                        {
                            "head_span": {k: head[k] for k in ("start", "end", "label")},
                            "child_span": {k: child[k] for k in ("start", "end", "label")},
                            "label": "SOURCE_OF",
                        }
                    )
        spans.sort(key=lambda s: (s["start"], s["end"]))
        title = text.split("\n", 1)[0].strip()
        records.append(
            {"text": text, "meta": {"file": name, "title": title}, "spans": spans, "relations": relations}
        )
    return records


def main() -> int:
    records = build()
    with (HERE / "gold.jsonl").open("w", encoding="utf-8") as out:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    n = sum(len(r["spans"]) for r in records)  # type: ignore[arg-type]
    print(f"gold.jsonl: {len(records)} articles, {n} spans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
