"""The suggestion dev set stays consistent: every gold span covers exactly its text, follows the
label schema, and gold.jsonl is what make_gold.py builds from gold_spec.txt."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

DEV = Path(__file__).resolve().parent.parent / "bench" / "data" / "suggest_dev"
LABELS = {"ATTRIBUTION", "CLAIM", "EXPERT_OPINION", "FACT"}


def _records() -> list[dict]:  # type: ignore[type-arg]
    with (DEV / "gold.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_gold_spans_cover_their_text() -> None:
    records = _records()
    assert len(records) >= 12
    for rec in records:
        text = rec["text"]
        assert 150 <= len(text.split()) <= 400
        for span in rec["spans"]:
            assert span["label"] in LABELS
            assert text[span["start"] : span["end"]] == span["text"]
            assert span["text"] == span["text"].strip()
        for rel in rec["relations"]:
            assert rel["label"] == "SOURCE_OF" and rel["head_span"]["label"] == "ATTRIBUTION"
            assert rel["child_span"]["label"] in {"CLAIM", "EXPERT_OPINION"}


def test_gold_jsonl_is_built_from_the_spec() -> None:
    spec = importlib.util.spec_from_file_location("make_gold", DEV / "make_gold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == _records()
