"""Claim clusters and the claims matrix, on small hand-made stories and on the demo corpus."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from db.articles import add_article
from db.claims import claim_clusters, claims_matrix, matrix_to_csv
from db.links import add_link
from db.project import Project
from db.spans import add_span

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo"
DEMO_STORY = "Kestrian missile test over the Serrow Strait (9 November 2023)"


def load_demo(project: Project, *, annotations: bool = True) -> dict[str, int]:
    """Load resources/demo/demo.jsonl through the services; returns article id by source file."""
    by_file: dict[str, int] = {}
    span_ids: dict[str, int] = {}
    links: dict[str, dict[str, object]] = {}
    records = [json.loads(line) for line in (DEMO / "demo.jsonl").read_text(encoding="utf-8").splitlines()]
    for rec in records:
        meta = rec["meta"]
        with project.write() as s:
            article, _ = add_article(
                s,
                rec["text"],
                title=meta["title"],
                outlet=meta["outlet"],
                story=meta["story"],
                published=dt.date.fromisoformat(meta["published"]),
            )
            by_file[meta["source_file"]] = article.id
        if not annotations:
            continue
        for sp in rec["spans"]:
            span_ids[sp["id"]] = add_span(
                project, article.id, sp["start"], sp["end"], sp["label"], rec["_annotator_id"], uid=sp["id"]
            ).id
        for link in rec["links"]:
            links[link["id"]] = link
    for link in links.values():
        src, dst = link["source"], link["target"]
        assert isinstance(src, dict) and isinstance(dst, dict)
        add_link(project, span_ids[src["span_id"]], span_ids[dst["span_id"]], str(link["type"]), "demo")
    return by_file


class Story:
    """A tiny story: one article per outlet, spans added by text."""

    def __init__(self, project: Project, name: str = "Story") -> None:
        self.project = project
        self.name = name
        self.articles: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    def article(self, outlet: str, text: str, day: int) -> int:
        with self.project.write() as s:
            a, _ = add_article(s, text, outlet=outlet, story=self.name, published=dt.date(2024, 1, day))
            self.articles[outlet] = a.id
            self.texts[outlet] = text
            return a.id

    def span(self, outlet: str, phrase: str, label: str = "CLAIM") -> int:
        start = self.texts[outlet].index(phrase)
        return add_span(self.project, self.articles[outlet], start, start + len(phrase), label, "ann").id

    def link(self, a: int, b: int, kind: str = "SAME_CLAIM") -> None:
        add_link(self.project, a, b, kind, "ann")


@pytest.fixture
def story(project: Project) -> Story:
    st = Story(project)
    st.article("Alpha", "The bridge will close in May. The mayor resigned. Taxes rise.", 3)
    st.article("Beta", "Officials say the bridge shuts in May. Taxes go up next year.", 1)
    st.article("Gamma", "The bridge stays open. Nobody resigned.", 2)
    st.article("Delta", "The bridge is to close in the spring.", 4)
    return st


def test_chain_of_same_claim_links_is_one_cluster(story: Story) -> None:
    a = story.span("Alpha", "The bridge will close in May")
    b = story.span("Beta", "the bridge shuts in May")
    d = story.span("Delta", "The bridge is to close in the spring")
    story.link(a, b)
    story.link(b, d)  # a-b, b-d: a, b and d carry one claim
    clusters = claim_clusters(story.project, story.name)
    assert len(clusters) == 1
    (c,) = clusters
    assert set(c.span_ids) == {a, b, d}
    assert c.outlets == ("Alpha", "Beta", "Delta")
    # Beta published first (1 January), so the claim first appeared there.
    assert c.first_article_id == story.articles["Beta"]
    assert c.first_date == dt.date(2024, 1, 1)


def test_two_separate_clusters_and_contradiction_between_them(story: Story) -> None:
    a = story.span("Alpha", "The bridge will close in May")
    b = story.span("Beta", "the bridge shuts in May")
    g = story.span("Gamma", "The bridge stays open")
    t1 = story.span("Alpha", "Taxes rise")
    t2 = story.span("Beta", "Taxes go up next year")
    r = story.span("Alpha", "The mayor resigned", label="FACT")  # a FACT in no link: not a row
    story.link(a, b)
    story.link(t1, t2)
    story.link(g, b, "CONTRADICTS")
    clusters = {c.key: c for c in claim_clusters(story.project, story.name)}
    assert len(clusters) == 3  # bridge closes, taxes, bridge stays open
    assert all(r not in c.span_ids for c in clusters.values())
    bridge = next(c for c in clusters.values() if a in c.span_ids)
    opens = next(c for c in clusters.values() if g in c.span_ids)
    taxes = next(c for c in clusters.values() if t1 in c.span_ids)
    assert bridge.contradicts == (opens.key,)
    assert opens.contradicts == (bridge.key,)
    assert taxes.contradicts == ()

    matrix = claims_matrix(story.project, story.name)
    assert matrix.outlets == ("Alpha", "Beta", "Delta", "Gamma")
    row_of = {row.cluster.key: i for i, row in enumerate(matrix.rows)}
    bridge_row = matrix.rows[row_of[bridge.key]]
    assert bridge_row.contradicted and bridge_row.contradicts_rows == (row_of[opens.key],)
    assert not matrix.rows[row_of[taxes.key]].contradicted


def test_contradiction_inside_one_cluster_is_flagged(story: Story) -> None:
    a = story.span("Alpha", "The bridge will close in May")
    b = story.span("Beta", "the bridge shuts in May")
    d = story.span("Delta", "The bridge is to close in the spring")
    story.link(a, b)
    story.link(b, d)
    story.link(a, d, "CONTRADICTS")
    (c,) = claim_clusters(story.project, story.name)
    assert c.self_contradicted and c.contradicts == ()
    (row,) = claims_matrix(story.project, story.name).rows
    assert row.contradicted


def test_matrix_of_the_demo_corpus(project: Project) -> None:
    load_demo(project)
    matrix = claims_matrix(project, DEMO_STORY)
    assert matrix.outlets == (
        "Civic Wire",
        "Coastline Monitor",
        "Kestria Today",
        "Northgate Ledger",
        "The Halvik Islander",
    )
    # Every CLAIM and EXPERT_OPINION span of the demo is in exactly one row.
    in_rows = [c for row in matrix.rows for cells in row.cells if cells for c in cells]
    claims = [c for c in in_rows if c.label in ("CLAIM", "EXPERT_OPINION")]
    assert len(claims) == 27 and len({c.span_id for c in in_rows}) == len(in_rows)
    # The most widely reported claim: the foreign minister's concern about support for the programme.
    top = matrix.rows[0]
    assert top.n_outlets == 3
    assert "serious concerns about any support" in top.text
    carried = [o for o, cells in zip(matrix.outlets, top.cells, strict=True) if cells]
    assert carried == ["Civic Wire", "Northgate Ledger", "The Halvik Islander"]
    civic = top.cells[0]
    assert civic is not None
    assert civic[0].attribution_text == "Foreign Minister Teodor Anselm told reporters on Thursday in Veskar"
    assert civic[0].date == dt.date(2023, 11, 9)
    # Outlet counts never increase down the rows.
    counts = [row.n_outlets for row in matrix.rows]
    assert counts == sorted(counts, reverse=True)
    # Contradicted rows point at each other: "withdrawing from the talks" against "not cancelled".
    talks = next(r for r in matrix.rows if "withdrawing from the round" in r.text)
    assert talks.contradicted
    other = matrix.rows[talks.contradicts_rows[0]]
    assert "have not been cancelled" in other.text
    assert matrix.rows.index(talks) in other.contradicts_rows


def test_matrix_sorted_by_first_appearance(project: Project) -> None:
    load_demo(project)
    matrix = claims_matrix(project, DEMO_STORY, sort="first")
    dates = [row.cluster.first_date for row in matrix.rows]
    assert dates == sorted(d for d in dates if d is not None)
    assert matrix.rows[0].cluster.first_date == dt.date(2023, 11, 9)
    assert matrix.rows[-1].cluster.first_date == dt.date(2023, 11, 10)
    assert {r.cluster.key for r in matrix.rows} == {
        r.cluster.key for r in claims_matrix(project, DEMO_STORY).rows
    }


def test_matrix_csv_export(project: Project, tmp_path: Path) -> None:
    load_demo(project)
    matrix = claims_matrix(project, DEMO_STORY)
    target = tmp_path / "claims.csv"
    target.write_text("old contents")
    matrix_to_csv(matrix, target)
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["row", "claim", *matrix.outlets, "outlets", "contradicted"]
    assert len(rows) == len(matrix.rows) + 1
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["outlets"] == "3"
    assert first["Civic Wire"].startswith("CLAIM: We have serious concerns")
    assert (
        "[Foreign Minister Teodor Anselm told reporters on Thursday in Veskar] (2023-11-09)"
        in first["Civic Wire"]
    )
    assert first["Coastline Monitor"] == ""
    flagged = [r for r in rows[1:] if r[-1]]
    assert flagged and all(
        int(n) <= len(matrix.rows) for r in flagged for n in r[-1].split("; ") if n != "self"
    )
    assert not list(tmp_path.glob("*.part"))  # no temporary file left behind


def test_matrix_limited_to_some_articles(project: Project) -> None:
    ids = load_demo(project)
    two = [ids["01-civic-wire.txt"], ids["02-northgate-ledger.txt"]]
    matrix = claims_matrix(project, article_ids=two)
    assert matrix.outlets == ("Civic Wire", "Northgate Ledger")
    assert all(c.article_id in two for row in matrix.rows for cells in row.cells if cells for c in cells)


def test_unknown_story_is_a_clear_error(project: Project) -> None:
    from db.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no story"):
        claims_matrix(project, "No such story")


def test_matrix_of_one_layer_leaves_other_layers_out(story: Story) -> None:
    a = story.span("Alpha", "The bridge will close in May")
    start = story.texts["Beta"].index("Taxes go up")
    other = add_span(story.project, story.articles["Beta"], start, start + 11, "CLAIM", "bob").id
    only_ann = claims_matrix(story.project, story.name, annotators=["ann"])
    assert [c.span_id for row in only_ann.rows for cells in row.cells if cells for c in cells] == [a]
    both = claims_matrix(story.project, story.name)
    assert {c.span_id for row in both.rows for cells in row.cells if cells for c in cells} == {a, other}
