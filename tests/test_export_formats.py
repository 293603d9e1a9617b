"""Every export format, checked against the tool that reads it (spaCy's DocBin, csv, a JSON Schema)
and against the article text: offsets stay exact with emoji, CRLF and combining marks."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from db.articles import add_article
from db.exporting import export, split_paths
from db.links import add_link
from db.project import Project, open_project
from db.spans import add_span, set_span_status

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "newsmark-jsonl.schema.json").read_text("utf-8"))

# Astral emoji (two UTF-16 units), a Windows line break and a decomposed "é" (e + U+0301).
TEXT_A = "Blinken said 🚀 the talks were over.\r\nThe cafe\u0301 owner denied it, officials said."
TEXT_B = "Another outlet repeated that the talks were over 🙂 on Tuesday."
TEXT_C = "Nobody annotated this article."


@dataclass
class Corpus:
    project: Project
    a: int
    b: int
    c: int
    spans: dict[str, int]


def build_corpus(project: Project) -> Corpus:
    with project.write() as s:
        a, _ = add_article(
            s, TEXT_A, title="Talks end", outlet="Harbor Times", story="Strait talks", published=dt.date(2024, 3, 1),
            url="https://example.org/a", author="R. Vale",
        )  # fmt: skip
        b, _ = add_article(
            s, TEXT_B, title="Echo", outlet="Civic Wire", story="Strait talks", published=dt.date(2024, 3, 5)
        )
        c, _ = add_article(
            s, TEXT_C, title="Quiet", outlet="Civic Wire", story="Other", published=dt.date(2023, 1, 1)
        )
        ids = (a.id, b.id, c.id)
    a_id, b_id, c_id = ids
    spans = {}

    def span(
        key: str,
        article: int,
        fragment: str,
        label: str,
        who: str,
        *,
        note: str | None = None,
        extra: int = 0,
    ) -> None:
        text = {a_id: TEXT_A, b_id: TEXT_B}[article]
        start = text.index(fragment)
        spans[key] = add_span(
            project, article, start, start + len(fragment) + extra, label, who, note=note
        ).id

    span("attr", a_id, "Blinken", "ATTRIBUTION", "alice")
    span(
        "claim", a_id, "the talks were over.\r\n", "CLAIM", "alice", note="main claim, «quoted»"
    )  # ends after CRLF
    span("cafe", a_id, "cafe\u0301 owner", "FACT", "alice")  # combining mark inside
    span("rocket", a_id, "🚀 the", "EXPERT_OPINION", "bob")
    span("partial", a_id, "inke", "CLAIM", "bob")  # inside a token: misaligned
    span("echo", b_id, "the talks were over 🙂", "CLAIM", "alice")
    span("gold_claim", a_id, "the talks were over.", "CLAIM", "gold")
    span("rejected", b_id, "Tuesday", "FACT", "alice")
    set_span_status(project, spans["rejected"], "rejected")
    add_link(project, spans["attr"], spans["claim"], "SOURCE_OF", "alice")
    add_link(project, spans["claim"], spans["echo"], "SAME_CLAIM", "alice", note="same wording")
    return Corpus(project, a_id, b_id, c_id, spans)


@pytest.fixture
def corpus(project: Project) -> Corpus:
    return build_corpus(project)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# --- Newsmark JSONL ---------------------------------------------------------------------------


def test_jsonl_lines_validate_against_the_schema_and_keep_exact_offsets(
    corpus: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "all.jsonl"
    summary = export(corpus.project, out)
    lines = read_jsonl(out)
    for line in lines:
        jsonschema.validate(line, SCHEMA)
        text = line["text"]
        tokens = line["tokens"]
        assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == text
        for t in tokens:
            assert text[t["start"] : t["end"]] == t["text"]
        for sp in line["spans"]:
            assert text[sp["start"] : sp["end"]] == sp["text"]
            first, last = tokens[sp["token_start"]], tokens[sp["token_end"]]
            assert first["start"] <= sp["start"] < first["end"] or sp["start"] < first["start"]
            assert last["start"] < sp["end"] <= last["end"]
            assert sp["token_start"] <= sp["token_end"]
    # alice, bob and gold on article A; alice on B; C written once, empty, with no annotator.
    layers = sorted((line["meta"]["title"], line["_annotator_id"] or "") for line in lines)
    assert layers == [
        ("Echo", "alice"),
        ("Quiet", ""),
        ("Talks end", "alice"),
        ("Talks end", "bob"),
        ("Talks end", "gold"),
    ]
    assert summary.records == 5 and summary.articles == 3
    assert summary.spans == 7  # the rejected suggestion is not exported
    assert summary.links == 2
    assert summary.misaligned_spans == 1  # "inke" sits inside "Blinken"
    quiet = next(line for line in lines if line["meta"]["title"] == "Quiet")
    assert quiet["spans"] == [] and quiet["tokens"]


def test_jsonl_meta_carries_the_article_facts(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "alice.jsonl"
    export(corpus.project, out, annotator="alice")
    first = next(line for line in read_jsonl(out) if line["meta"]["title"] == "Talks end")
    assert first["meta"] == {
        "article_id": first["meta"]["article_id"],
        "title": "Talks end",
        "outlet": "Harbor Times",
        "published": "2024-03-01",
        "url": "https://example.org/a",
        "story": "Strait talks",
        "author": "R. Vale",
    }
    assert first["_annotator_id"] == "alice" and first["answer"] == "accept"
    claim = next(sp for sp in first["spans"] if sp["label"] == "CLAIM")
    assert claim["note"] == "main claim, «quoted»"
    assert claim["text"].endswith("\r\n")


def test_misaligned_span_gets_the_tokens_it_covers(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "bob.jsonl"
    summary = export(corpus.project, out, annotator="bob")
    (line,) = read_jsonl(out)
    partial = next(sp for sp in line["spans"] if sp["text"] == "inke")
    token = line["tokens"][partial["token_start"]]
    assert partial["token_start"] == partial["token_end"]
    assert token["start"] < partial["start"] and partial["end"] <= token["end"]
    assert summary.misaligned_spans == 1


def test_relations_use_token_end_as_prodigy_does_and_links_cross_articles(
    corpus: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "alice.jsonl"
    export(corpus.project, out, annotator="alice")
    lines = {line["meta"]["title"]: line for line in read_jsonl(out)}
    a, b = lines["Talks end"], lines["Echo"]
    (rel,) = a["relations"]  # SAME_CLAIM goes to another article: not a relation
    spans = {sp["label"]: sp for sp in a["spans"]}
    assert rel["label"] == "SOURCE_OF"
    assert rel["head"] == spans["ATTRIBUTION"]["token_end"]
    assert rel["child"] == spans["CLAIM"]["token_end"]
    assert rel["head_span"]["start"] == spans["ATTRIBUTION"]["start"]
    assert rel["child_span"]["token_start"] == spans["CLAIM"]["token_start"]
    assert {link["type"] for link in a["links"]} == {"SOURCE_OF", "SAME_CLAIM"}
    same = next(link for link in a["links"] if link["type"] == "SAME_CLAIM")
    assert same["source"] == {"article_id": a["meta"]["article_id"], "span_id": spans["CLAIM"]["id"]}
    assert same["target"] == {"article_id": b["meta"]["article_id"], "span_id": b["spans"][0]["id"]}
    assert same["note"] == "same wording"
    assert [link["type"] for link in b["links"]] == ["SAME_CLAIM"] and b["relations"] == []


def test_hashes_are_stable_across_projects(corpus: Corpus, tmp_path: Path) -> None:
    first = tmp_path / "one.jsonl"
    export(corpus.project, first, annotator="alice")
    other = open_project(tmp_path / "other.newsmark")
    try:
        with other.write() as s:
            art, _ = add_article(s, TEXT_B, title="Different title")
        start = TEXT_B.index("the talks were over 🙂")
        add_span(other, art.id, start, start + len("the talks were over 🙂"), "CLAIM", "carol")
        second = tmp_path / "two.jsonl"
        export(other, second)
    finally:
        other.close()
    echo = next(line for line in read_jsonl(first) if line["meta"]["title"] == "Echo")
    (again,) = read_jsonl(second)
    assert again["meta"]["article_id"] == echo["meta"]["article_id"]
    assert again["_input_hash"] == echo["_input_hash"]
    assert again["_task_hash"] == echo["_task_hash"]  # same text, same spans, another annotator
    a_line = next(line for line in read_jsonl(first) if line["meta"]["title"] == "Talks end")
    assert a_line["_input_hash"] != echo["_input_hash"]


def test_second_export_reads_cached_tokens_and_writes_the_same_file(corpus: Corpus, tmp_path: Path) -> None:
    one, two = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    export(corpus.project, one)
    with corpus.project.write() as s:  # a cache row from another tokenizer version is recomputed
        from db.models import ArticleTokens

        row = s.get(ArticleTokens, corpus.a)
        assert row is not None
        row.tokenizer = "spacy-0.0-en"
        row.tokens_json = b"[]"
    export(corpus.project, two)
    assert one.read_bytes() == two.read_bytes()


# --- spaCy DocBin -----------------------------------------------------------------------------


def _load_docs(path: Path) -> list:
    import spacy
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def test_docbin_loads_in_spacy_with_every_span_label_and_text(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "train.spacy"
    summary = export(corpus.project, out)
    docs = _load_docs(out)
    assert len(docs) == summary.records == 5
    jsonl = tmp_path / "same.jsonl"
    export(corpus.project, jsonl)
    expected = {
        (line["meta"]["article_id"], line["_annotator_id"]): line["spans"] for line in read_jsonl(jsonl)
    }
    for doc in docs:
        key = (doc.user_data["article_id"], doc.user_data["annotator"])
        spans = expected[key]
        assert doc.text in (TEXT_A, TEXT_B, TEXT_C)
        assert len(doc.spans["sc"]) == len(spans)
        by_uid = {sp["id"]: sp for sp in spans}
        for got, uid in zip(doc.spans["sc"], doc.user_data["span_ids"], strict=True):
            want = by_uid[uid]
            assert got.label_ == want["label"]
            if want["text"] == "inke":  # widened to the whole token it sits in
                assert want["text"] in got.text
            else:
                assert got.text == want["text"]
                assert (got.start_char, got.end_char) == (want["start"], want["end"])
    outlets = {doc.user_data["outlet"] for doc in docs}
    assert outlets == {"Harbor Times", "Civic Wire"}


def test_docbin_split_puts_each_article_in_one_file_and_repeats_with_the_seed(
    project: Project, tmp_path: Path
) -> None:
    with project.write() as s:
        ids = [
            add_article(s, f"Article number {i} says the minister spoke.", outlet="O")[0].id
            for i in range(20)
        ]
    for aid in ids:
        add_span(project, aid, 0, 7, "CLAIM", "alice")
        add_span(project, aid, 8, 14, "FACT", "bob")
    out = tmp_path / "data.spacy"
    summary = export(project, out, split=0.8, seed=13)
    train, dev = split_paths(out)
    assert not out.exists() and train.exists() and dev.exists()
    assert summary.path == train and summary.extra_paths == (dev,)
    train_ids = {d.user_data["article_id"] for d in _load_docs(train)}
    dev_ids = {d.user_data["article_id"] for d in _load_docs(dev)}
    assert len(train_ids) == 16 and len(dev_ids) == 4 and not train_ids & dev_ids
    assert len(_load_docs(train)) == 32  # both layers of an article stay together
    export(project, out, split=0.8, seed=13)
    assert {d.user_data["article_id"] for d in _load_docs(dev)} == dev_ids
    export(project, out, split=0.8, seed=14)
    assert {d.user_data["article_id"] for d in _load_docs(dev)} != dev_ids


# --- doccano and Label Studio -----------------------------------------------------------------


def test_doccano_lines_hold_entities_and_in_article_relations(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "doccano.jsonl"
    export(corpus.project, out, fmt="doccano", annotator="alice")
    lines = {line["title"]: line for line in read_jsonl(out)}
    a = lines["Talks end"]
    spans = sorted((a["text"][e["start_offset"] : e["end_offset"]], e["label"]) for e in a["entities"])
    assert spans == sorted(
        [("Blinken", "ATTRIBUTION"), ("the talks were over.\r\n", "CLAIM"), ("cafe\u0301 owner", "FACT")]
    )
    assert "label" not in a  # one span list only, so no importer reads a span twice
    entity_ids = {e["id"] for e in a["entities"]}
    (rel,) = a["relations"]
    assert rel["type"] == "SOURCE_OF" and {rel["from_id"], rel["to_id"]} <= entity_ids
    source = next(e for e in a["entities"] if e["id"] == rel["from_id"])
    assert source["label"] == "ATTRIBUTION"
    b = lines["Echo"]
    (entity,) = b["entities"]
    assert b["text"][entity["start_offset"] : entity["end_offset"]] == "the talks were over 🙂"
    assert b["relations"] == []  # its SAME_CLAIM link goes to another article
    assert a["article_id"] and a["annotator"] == "alice" and a["outlet"] == "Harbor Times"


def test_labelstudio_tasks_have_one_annotation_per_layer(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "ls.json"
    summary = export(corpus.project, out, fmt="labelstudio")
    tasks = json.loads(out.read_text("utf-8"))
    assert isinstance(tasks, list) and len(tasks) == 3 == summary.articles
    by_title = {t["data"]["title"]: t for t in tasks}
    a = by_title["Talks end"]
    assert a["data"]["text"] == TEXT_A
    assert [ann["newsmark_annotator"] for ann in a["annotations"]] == ["alice", "bob", "gold"]
    assert [ann["ground_truth"] for ann in a["annotations"]] == [False, False, True]
    alice = a["annotations"][0]["result"]
    regions = [r for r in alice if r["type"] == "labels"]
    relations = [r for r in alice if r["type"] == "relation"]
    for r in regions:
        assert r["from_name"] == "label" and r["to_name"] == "text"
        v = r["value"]
        assert TEXT_A[v["start"] : v["end"]] == v["text"] and len(v["labels"]) == 1
    (rel,) = relations
    region_ids = {r["id"] for r in regions}
    assert rel["from_id"] in region_ids and rel["to_id"] in region_ids
    assert rel["direction"] == "right" and rel["labels"] == ["SOURCE_OF"]
    assert by_title["Quiet"]["annotations"] == []


# --- W3C Web Annotation -----------------------------------------------------------------------


def test_w3c_annotations_have_the_model_fields_and_exact_selectors(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "anno.json"
    export(corpus.project, out, fmt="w3c")
    items = json.loads(out.read_text("utf-8"))
    texts = {}
    with corpus.project.read() as s:
        from db.models import Article

        for art in s.query(Article):
            texts[f"urn:newsmark:article:{art.uid}"] = art.text
    spans = [i for i in items if i["motivation"] == "tagging"]
    links = [i for i in items if i["motivation"] == "linking"]
    assert len(spans) == 7 and len(links) == 2
    ids = {i["id"] for i in spans}
    for item in items:
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation" and item["id"].startswith("urn:newsmark:")
        assert item["creator"]["type"] == "Person" and item["creator"]["name"]
        assert item["created"].endswith("Z")
    for item in spans:
        assert item["id"].startswith("urn:newsmark:span:s-")
        tag = item["body"][0]
        assert tag == {"type": "TextualBody", "purpose": "tagging", "value": tag["value"]}
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        text = texts[item["target"]["source"]]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"]) and len(quote["prefix"]) <= 32
        assert text[position["end"] :].startswith(quote["suffix"]) and len(quote["suffix"]) <= 32
    noted = [i for i in spans if len(i["body"]) == 2]
    assert [b["value"] for i in noted for b in i["body"] if b["purpose"] == "commenting"] == [
        "main claim, «quoted»"
    ]
    for link in links:
        assert len(link["target"]) == 2 and set(link["target"]) <= ids
        assert link["body"][0]["purpose"] == "tagging"


# --- CSV --------------------------------------------------------------------------------------


def test_csv_opens_in_dictreader_with_the_columns_and_exact_text(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "spans.csv"
    export(corpus.project, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "article_id", "outlet", "title", "date", "label", "start", "end", "text", "annotator", "note",
        "span_id", "linked_span_ids",
    ]  # fmt: skip
    assert len(rows) == 7
    for row in rows:
        text = TEXT_A if row["title"] == "Talks end" else TEXT_B
        assert text[int(row["start"]) : int(row["end"])] == row["text"]
    claim = next(
        r for r in rows if r["annotator"] == "alice" and r["label"] == "CLAIM" and r["title"] == "Talks end"
    )
    assert claim["text"] == "the talks were over.\r\n" and claim["date"] == "2024-03-01"
    attr = next(r for r in rows if r["label"] == "ATTRIBUTION")
    echo = next(r for r in rows if r["title"] == "Echo")
    assert sorted(claim["linked_span_ids"].split(";")) == sorted([attr["span_id"], echo["span_id"]])
    assert echo["linked_span_ids"] == claim["span_id"]
