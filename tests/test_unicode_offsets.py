"""Offsets stay exact through characters outside the BMP, CRLF, combining marks and right-to-left
text: in the database, across the Qt border, and in every export format (property tests)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.articles import add_article
from db.exporting import export
from db.project import open_project
from db.records import ArticleRecord
from db.spans import add_span, spans_for_article
from db.text import Utf16Map

PIECES = [
    "said",
    "the",
    "minister",
    " ",
    " ",
    "\r\n",
    "\n",
    ".",
    ",",
    "“",
    "”",
    "😀",
    "🌊",
    "𝔘𝔫𝔦",
    "e\u0301",
    "n\u0303o",
    "שלום",
    "مرحبا",
    "Zoë",
    "Łucja",
    "—",
    "\u200f",
    "12",
    "km",
]
texts = st.lists(st.sampled_from(PIECES), min_size=3, max_size=40).map("".join).filter(lambda t: t.strip())


def _spans_for(text: str, data: st.DataObject) -> list[tuple[int, int]]:
    out = []
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
        out.append((start, end))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, data=st.data())
def test_utf16_border_round_trips_every_offset(text: str, data: st.DataObject) -> None:
    m = Utf16Map(text)
    units = text.encode("utf-16-le")
    for i in range(len(text) + 1):
        u = m.to_utf16(i)
        assert units[: 2 * u].decode("utf-16-le") == text[:i]
        assert m.from_utf16(u) == i


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, data=st.data())
def test_offsets_exact_in_database_and_every_export(
    _template_project: Path, tmp_path_factory: pytest.TempPathFactory, text: str, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("uni")
    path = folder / "p.newsmark"
    shutil.copyfile(_template_project, path)
    project = open_project(path)
    try:
        with project.write() as s:
            article, _ = add_article(s, text, title="Unicode")
            aid = article.id
        wanted = _spans_for(text, data)
        for start, end in wanted:
            add_span(project, aid, start, end, "CLAIM", "alice")
        stored = spans_for_article(project, aid)
        assert sorted((sp.start, sp.end) for sp in stored) == sorted(wanted)
        assert all(sp.text == text[sp.start : sp.end] for sp in stored)

        export(project, folder / "out.jsonl")
        rec = json.loads((folder / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])
        assert rec["text"] == text
        assert sorted((sp["start"], sp["end"]) for sp in rec["spans"]) == sorted(wanted)
        assert all(text[sp["start"] : sp["end"]] == sp["text"] for sp in rec["spans"])

        export(project, folder / "out-doccano.jsonl", fmt="doccano")
        rec = json.loads((folder / "out-doccano.jsonl").read_text(encoding="utf-8").splitlines()[0])
        assert rec["text"] == text
        got = sorted((e["start_offset"], e["end_offset"]) for e in rec["entities"])
        assert got == sorted(wanted)

        export(project, folder / "out-ls.json", fmt="labelstudio")
        tasks = json.loads((folder / "out-ls.json").read_text(encoding="utf-8"))
        results = [r for a in tasks[0]["annotations"] for r in a["result"] if r["type"] == "labels"]
        assert all(text[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"] for r in results)
        assert len(results) == len(wanted)

        export(project, folder / "out-w3c.json", fmt="w3c")
        doc = json.loads((folder / "out-w3c.json").read_text(encoding="utf-8"))
        items = doc if isinstance(doc, list) else doc.get("items") or doc.get("first", {}).get("items", [])
        positions = []
        for ann in items:
            target = ann.get("target")
            if not isinstance(target, dict) or "selector" not in target:
                continue
            sel = {s_["type"]: s_ for s_ in target["selector"]}
            pos, quote = sel["TextPositionSelector"], sel["TextQuoteSelector"]
            assert text[pos["start"] : pos["end"]] == quote["exact"]
            positions.append((pos["start"], pos["end"]))
        assert sorted(positions) == sorted(wanted)

        export(project, folder / "out.csv")
        with (folder / "out.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert sorted((int(r["start"]), int(r["end"])) for r in rows) == sorted(wanted)
        assert all(text[int(r["start"]) : int(r["end"])] == r["text"] for r in rows)
    finally:
        project.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, data=st.data())
def test_offsets_exact_across_the_qt_view(qtbot, text: str, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    from desktop.article_view import ArticleView

    view = ArticleView()
    qtbot.addWidget(view)
    record = ArticleRecord(1, "abc", "T", None, None, None, None, None, None, text)
    view.set_article(record, [], [])
    for start, end in _spans_for(text, data):
        view.select_text(start, end)
        assert view.raw_selection() == (start, end)
