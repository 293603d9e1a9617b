#!/usr/bin/env python3
"""Build resources/demo/demo.jsonl from the demo articles and spec.json.

Standard library only.  Run from anywhere:

    python3 resources/demo/build_demo.py

Reads every article listed in spec.json from articles/ (exactly as stored:
encoding='utf-8', newline='', nothing stripped or normalised), resolves each
span's quote/occurrence to code-point offsets, and writes one JSON object per
article to demo.jsonl.  Any quote that cannot be found, any missing
occurrence, unknown label or dangling link aborts the build.  The quotes in
link_pairs.json (gold pairs for link-suggestion evaluation) are checked too.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES_DIR = HERE / "articles"
SPEC_PATH = HERE / "spec.json"
OUT_PATH = HERE / "demo.jsonl"
PAIRS_PATH = HERE / "link_pairs.json"

SPAN_LABELS = {"CLAIM", "ATTRIBUTION", "EXPERT_OPINION", "FACT"}
LINK_TYPES = {"SAME_CLAIM", "CONTRADICTS", "SUPPORTS", "SOURCE_OF"}

# Date lines accepted in the article header, most specific first.
#   "Published: Nov 09, 2023 10:13 PM"
#   "Updated 01 November 2024"
#   "November 9, 2023"
DATE_PATTERNS = [
    (re.compile(r"^Published:\s+([A-Z][a-z]{2}) (\d{1,2}), (\d{4})\b"), "%b %d %Y"),
    (re.compile(r"^Updated\s+(\d{1,2}) ([A-Z][a-z]+) (\d{4})\b"), "%d %B %Y"),
    (re.compile(r"^([A-Z][a-z]+) (\d{1,2}), (\d{4})$"), "%B %d %Y"),
]
HEADER_LINES = 12  # date and headline must appear within the first lines


class BuildError(Exception):
    pass


def sha_hex(value: str, length: int) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def header_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line][:HEADER_LINES]


def find_title(text: str, fname: str) -> str:
    """The headline: the first non-empty line of four or more words.

    Shorter lines before it are section labels ("World", "Region")."""
    for line in header_lines(text):
        if len(line.split()) >= 4:
            return line
    raise BuildError(f"{fname}: no headline found in the first {HEADER_LINES} lines")


def find_published(text: str, fname: str) -> str:
    for line in header_lines(text):
        for pattern, fmt in DATE_PATTERNS:
            m = pattern.match(line)
            if m:
                parsed = datetime.strptime(" ".join(m.groups()), fmt)
                return parsed.date().isoformat()
    raise BuildError(f"{fname}: no date line found in the first {HEADER_LINES} lines")


def locate(text: str, quote: str, occurrence: int, where: str) -> tuple[int, int]:
    """Offsets (code points) of the given 1-based occurrence of quote."""
    if not quote:
        raise BuildError(f"{where}: empty quote")
    if not isinstance(occurrence, int) or occurrence < 1:
        raise BuildError(f"{where}: occurrence must be an integer >= 1, got {occurrence!r}")
    start = -1
    found = 0
    while found < occurrence:
        start = text.find(quote, start + 1)
        if start == -1:
            if found == 0:
                raise BuildError(f"{where}: quote not found: {quote!r}")
            raise BuildError(
                f"{where}: occurrence {occurrence} requested but quote occurs only {found} time(s): {quote!r}"
            )
        found += 1
    end = start + len(quote)
    assert text[start:end] == quote, where
    return start, end


def build(spec: dict) -> list[dict]:
    story = spec["story"]
    annotator = spec.get("annotator", "demo")
    articles = spec["articles"]

    on_disk = sorted(p.name for p in ARTICLES_DIR.glob("*.txt"))
    if sorted(articles) != on_disk:
        raise BuildError(f"spec.json articles {sorted(articles)} do not match files on disk {on_disk}")

    records: list[dict] = []
    span_index: dict[str, tuple[int, dict]] = {}  # name -> (record index, span)

    for fname in sorted(articles):
        entry = articles[fname]
        text = read_text(ARTICLES_DIR / fname)
        article_id = sha_hex(text, 12)
        title = entry.get("title") or find_title(text, fname)
        if title not in text:
            raise BuildError(f"{fname}: title {title!r} is not in the text")
        meta = {
            "article_id": article_id,
            "title": title,
            "outlet": entry["outlet"],
            "published": entry.get("published") or find_published(text, fname),
            "url": entry.get("url"),
            "story": story,
            "source_file": fname,
        }
        spans = []
        for raw in entry["spans"]:
            name = raw["name"]
            where = f"{fname} span {name}"
            if name in span_index or any(s["_name"] == name for s in spans):
                raise BuildError(f"{where}: duplicate span name")
            if raw["label"] not in SPAN_LABELS:
                raise BuildError(f"{where}: unknown label {raw['label']!r}")
            start, end = locate(text, raw["quote"], raw.get("occurrence", 1), where)
            spans.append(
                {
                    "id": "s-" + sha_hex(article_id + name, 10),
                    "start": start,
                    "end": end,
                    "label": raw["label"],
                    "text": text[start:end],
                    "note": raw.get("note"),
                    "_name": name,
                }
            )
        # Reading order; a longer span comes before a span nested at the same start.
        spans.sort(key=lambda s: (s["start"], -s["end"], s["label"], s["_name"]))
        ids = [s["id"] for s in spans]
        if len(set(ids)) != len(ids):
            raise BuildError(f"{fname}: span id collision")
        rec_no = len(records)
        for s in spans:
            span_index[s["_name"]] = (rec_no, s)
        records.append(
            {
                "text": text,
                "meta": meta,
                "_annotator_id": annotator,
                "answer": "accept",
                "spans": spans,
                "relations": [],
                "links": [],
            }
        )

    seen_links = set()
    for n, raw in enumerate(spec.get("links", [])):
        where = f"link #{n} {raw.get('source')} -> {raw.get('target')}"
        ltype = raw["type"]
        if ltype not in LINK_TYPES:
            raise BuildError(f"{where}: unknown link type {ltype!r}")
        for end_name in (raw["source"], raw["target"]):
            if end_name not in span_index:
                raise BuildError(f"{where}: unknown span name {end_name!r}")
        src_rec, src = span_index[raw["source"]]
        tgt_rec, tgt = span_index[raw["target"]]
        if src is tgt:
            raise BuildError(f"{where}: link from a span to itself")
        if ltype == "SOURCE_OF":
            if src["label"] != "ATTRIBUTION" or tgt["label"] not in {"CLAIM", "EXPERT_OPINION"}:
                raise BuildError(f"{where}: SOURCE_OF must go from ATTRIBUTION to CLAIM/EXPERT_OPINION")
        elif ltype == "SAME_CLAIM" and src_rec == tgt_rec:
            raise BuildError(f"{where}: SAME_CLAIM must join spans in different articles")
        key = (src["id"], tgt["id"], ltype)
        if key in seen_links:
            raise BuildError(f"{where}: duplicate link")
        seen_links.add(key)

        src_aid = records[src_rec]["meta"]["article_id"]
        tgt_aid = records[tgt_rec]["meta"]["article_id"]
        link = {
            "id": "l-" + sha_hex(f"{src_aid}:{src['id']}|{ltype}|{tgt_aid}:{tgt['id']}", 10),
            "type": ltype,
            "source": {"article_id": src_aid, "span_id": src["id"]},
            "target": {"article_id": tgt_aid, "span_id": tgt["id"]},
            "note": raw.get("note"),
        }
        records[src_rec]["links"].append(link)
        if tgt_rec != src_rec:
            records[tgt_rec]["links"].append(link)
        else:
            rec = records[src_rec]
            rec["relations"].append(
                {
                    "head": rec["spans"].index(src),
                    "child": rec["spans"].index(tgt),
                    "head_span": {"start": src["start"], "end": src["end"], "label": src["label"]},
                    "child_span": {"start": tgt["start"], "end": tgt["end"], "label": tgt["label"]},
                    "label": ltype,
                }
            )

    for rec in records:
        for s in rec["spans"]:
            del s["_name"]
    return records


def check_link_pairs(path: Path) -> int:
    """The gold pairs must quote text that exists, in two different articles."""
    with open(path, encoding="utf-8") as fh:
        pairs = json.load(fh)
    for n, pair in enumerate(pairs):
        if pair["a"]["file"] == pair["b"]["file"]:
            raise BuildError(f"{path.name} pair #{n}: both sides in {pair['a']['file']}")
        for side in ("a", "b"):
            ref = pair[side]
            text = read_text(ARTICLES_DIR / ref["file"])
            if ref["quote"] not in text:
                raise BuildError(
                    f"{path.name} pair #{n} side {side}: quote not found in {ref['file']}: {ref['quote']!r}"
                )
    return len(pairs)


def verify(path: Path) -> None:
    """Re-read the output and check every offset against the article text."""
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            rec = json.loads(line)
            text = rec["text"]
            assert rec["meta"]["article_id"] == sha_hex(text, 12), line_no
            src = read_text(ARTICLES_DIR / rec["meta"]["source_file"])
            assert text == src, f"line {line_no}: text differs from source file"
            for s in rec["spans"]:
                assert text[s["start"] : s["end"]] == s["text"], (line_no, s["id"])
            for r in rec["relations"]:
                for key, idx in (("head_span", r["head"]), ("child_span", r["child"])):
                    sp = rec["spans"][idx]
                    assert r[key] == {"start": sp["start"], "end": sp["end"], "label": sp["label"]}


def main() -> int:
    with open(SPEC_PATH, encoding="utf-8") as fh:
        spec = json.load(fh)
    try:
        records = build(spec)
        n_pairs = check_link_pairs(PAIRS_PATH) if PAIRS_PATH.exists() else 0
    except BuildError as exc:
        print(f"build_demo: ERROR: {exc}", file=sys.stderr)
        return 1
    with open(OUT_PATH, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    verify(OUT_PATH)
    n_spans = sum(len(r["spans"]) for r in records)
    n_links = len({link["id"] for r in records for link in r["links"]})
    print(
        f"build_demo: wrote {OUT_PATH.name}: {len(records)} articles, {n_spans} spans, {n_links} links; {n_pairs} gold link pairs checked"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
