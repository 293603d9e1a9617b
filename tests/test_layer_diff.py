"""Layer diff: every kind of disagreement on a constructed article, the one-to-one pairing, the queue."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from db.articles import add_article
from db.layer_diff import DiffKind, diff_article, disagreement_queue, match_spans
from db.links import add_link
from db.project import Project
from db.spans import add_span

TEXT = (
    "Minister Ana Ruiz said the strait is safe. Analysts warned of a build-up. "
    "Trade fell nine percent. The navy patrols the coast daily."
)


def at(phrase: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def make_article(project: Project, text: str = TEXT) -> int:
    with project.write() as s:
        article, _ = add_article(s, text, title="Strait", outlet="Daily", story="Strait")
        return article.id


def build(project: Project) -> tuple[int, dict[str, int]]:
    """alice and bob disagree in every way there is; returns the article and span ids by name."""
    aid = make_article(project)
    ids: dict[str, int] = {}

    def span(name: str, who: str, phrase: str, label: str) -> None:
        ids[name] = add_span(project, aid, *at(phrase), label, who).id

    span("a_att", "alice", "Minister Ana Ruiz said", "ATTRIBUTION")
    span("b_att", "bob", "Minister Ana Ruiz said", "ATTRIBUTION")  # agree
    span("a_claim", "alice", "the strait is safe", "CLAIM")
    span("b_claim", "bob", "the strait is safe", "FACT")  # label conflict
    span("a_op", "alice", "Analysts warned of a build-up", "EXPERT_OPINION")
    span("b_op", "bob", "warned of a build-up", "EXPERT_OPINION")  # boundary
    span("a_fact", "alice", "Trade fell nine percent", "FACT")
    span("b_fact", "bob", "fell nine percent.", "CLAIM")  # boundary and label
    span("a_only", "alice", "The navy patrols", "CLAIM")  # only alice
    span("b_only", "bob", "coast daily", "FACT")  # only bob
    return aid, ids


def test_each_kind_of_disagreement_is_found(project: Project) -> None:
    aid, ids = build(project)
    diff = diff_article(project, aid, "alice", "bob")
    got = {(item.kind, item.a.id if item.a else None, item.b.id if item.b else None) for item in diff.spans}
    assert got == {
        (DiffKind.AGREE, ids["a_att"], ids["b_att"]),
        (DiffKind.LABEL_CONFLICT, ids["a_claim"], ids["b_claim"]),
        (DiffKind.BOUNDARY, ids["a_op"], ids["b_op"]),
        (DiffKind.BOUNDARY_AND_LABEL, ids["a_fact"], ids["b_fact"]),
        (DiffKind.ONLY_A, ids["a_only"], None),
        (DiffKind.ONLY_B, None, ids["b_only"]),
    }
    # reading order
    assert [item.start for item in diff.spans] == sorted(item.start for item in diff.spans)


def test_every_span_is_in_exactly_one_item(project: Project) -> None:
    aid, ids = build(project)
    # a second bob span over alice's claim: it cannot take alice's claim a second time
    extra = add_span(project, aid, *at("strait is safe"), "CLAIM", "bob").id
    diff = diff_article(project, aid, "alice", "bob")
    seen_a = [item.a.id for item in diff.spans if item.a]
    seen_b = [item.b.id for item in diff.spans if item.b]
    assert sorted(seen_a) == sorted(v for k, v in ids.items() if k.startswith("a_"))
    assert sorted(seen_b) == sorted([*(v for k, v in ids.items() if k.startswith("b_")), extra])
    assert len(seen_b) == len(set(seen_b))


def test_identical_span_wins_over_a_bigger_overlap(project: Project) -> None:
    aid = make_article(project)
    add_span(project, aid, *at("Trade fell nine percent."), "FACT", "alice")
    exact = add_span(project, aid, *at("Trade fell nine percent."), "FACT", "bob").id
    add_span(project, aid, *at("Trade fell nine percent. The navy"), "FACT", "bob")
    diff = diff_article(project, aid, "alice", "bob")
    agree = [x for x in diff.spans if x.kind == DiffKind.AGREE]
    assert len(agree) == 1 and agree[0].b is not None and agree[0].b.id == exact
    assert [x.kind for x in diff.spans if x.kind != DiffKind.AGREE] == [DiffKind.ONLY_B]


def test_links_are_compared_through_their_paired_ends(project: Project) -> None:
    aid, ids = build(project)
    add_link(project, ids["a_att"], ids["a_claim"], "SOURCE_OF", "alice")
    add_link(project, ids["b_att"], ids["b_claim"], "SOURCE_OF", "bob")  # same ends (label differs): agree
    add_link(project, ids["a_op"], ids["a_fact"], "SUPPORTS", "alice")
    add_link(project, ids["b_op"], ids["b_fact"], "CONTRADICTS", "bob")  # type conflict
    only = add_link(project, ids["a_claim"], ids["a_only"], "SAME_CLAIM", "alice").id
    diff = diff_article(project, aid, "alice", "bob")
    kinds = sorted(item.kind for item in diff.links)
    assert kinds == sorted([DiffKind.AGREE, DiffKind.TYPE_CONFLICT, DiffKind.ONLY_A])
    only_item = next(x for x in diff.links if x.kind == DiffKind.ONLY_A)
    assert only_item.a is not None and only_item.a.id == only


def test_queue_walks_disagreements_in_reading_order_across_articles(project: Project) -> None:
    first, ids = build(project)
    add_link(project, ids["a_op"], ids["a_fact"], "SUPPORTS", "alice")
    add_link(project, ids["b_op"], ids["b_fact"], "CONTRADICTS", "bob")
    text2 = "Officials deny it. The port is open."
    second = make_article(project, text2)
    add_span(project, second, *at("Officials deny it.", text2), "CLAIM", "bob")
    queue = disagreement_queue(project, [second, first], "alice", "bob")
    assert next(item.article_id for item in queue) == second
    first_items = [item for item in queue if item.article_id == first]
    assert [item.kind for item in first_items] == [
        DiffKind.LABEL_CONFLICT,
        DiffKind.BOUNDARY,
        DiffKind.TYPE_CONFLICT,  # the link, right after its source span
        DiffKind.BOUNDARY_AND_LABEL,
        DiffKind.ONLY_A,
        DiffKind.ONLY_B,
    ]
    assert all(item.kind != DiffKind.AGREE for item in queue)


def test_a_layer_against_gold(project: Project) -> None:
    aid, _ids = build(project)
    add_span(project, aid, *at("Minister Ana Ruiz said"), "ATTRIBUTION", "gold")
    diff = diff_article(project, aid, "alice", "gold")
    counts = diff.counts()
    assert counts[DiffKind.AGREE] == 1
    assert counts[DiffKind.ONLY_A] == 4


spans_strategy = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 15), st.sampled_from("XY")).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(spans_strategy, spans_strategy)
def test_matching_is_one_to_one_between_overlapping_spans(
    a: list[tuple[int, int, str]], b: list[tuple[int, int, str]]
) -> None:
    pairs = match_spans(a, b)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    for i, j in pairs:
        assert a[i][0] < b[j][1] and b[j][0] < a[i][1]
    # nothing left over that could still have been paired
    free_a = set(range(len(a))) - {i for i, _ in pairs}
    free_b = set(range(len(b))) - {j for _, j in pairs}
    assert not any(a[i][0] < b[j][1] and b[j][0] < a[i][1] for i in free_a for j in free_b)
    # identical spans are always paired with an identical partner when one is free
    assert match_spans(a, b) == pairs  # deterministic


def test_two_thousand_spans_a_side_are_paired() -> None:
    rng = random.Random(3)
    a = []
    pos = 0
    for _ in range(2000):
        pos += rng.randint(5, 60)
        a.append((pos, pos + rng.randint(5, 120), rng.choice("ABCD")))
    b = [(s + rng.choice((0, 0, 0, 2)), e, lab if rng.random() < 0.9 else "A") for s, e, lab in a]
    pairs = match_spans(a, b)
    assert len(pairs) >= 1900


def _greedy_pairs(a: list[tuple[int, int, str]], b: list[tuple[int, int, str]]) -> set[tuple[int, int]]:
    """The pairing rule written out over every pair of spans (the order ``match_spans`` promises)."""
    ranked = []
    for i, (sa, ea, la) in enumerate(a):
        for j, (sb, eb, lb) in enumerate(b):
            if sa < eb and sb < ea:
                same = sa == sb and ea == eb
                rank = 0 if same and la == lb else 1 if same else 2
                overlap = min(ea, eb) - max(sa, sb)
                ranked.append((rank, -overlap, la != lb, abs(sa - sb) + abs(ea - eb), i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = set()
    for *_, i, j in sorted(ranked):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.add((i, j))
    return pairs


@settings(max_examples=200, deadline=None)
@given(spans_strategy, spans_strategy)
def test_matching_follows_the_stated_order(
    a: list[tuple[int, int, str]], b: list[tuple[int, int, str]]
) -> None:
    """Identical spans (duplicates too), same offsets, then overlap: the same pairs as the rule."""
    b = b + a[: len(a) // 2]  # plenty of identical spans, some of them twice in a layer
    assert set(match_spans(a, b)) == _greedy_pairs(a, b)


def test_a_diff_of_spans_already_read_equals_the_diff_read_from_the_project(project: Project) -> None:
    aid, _ = build(project)
    read = diff_article(project, aid, "alice", "bob")
    a = [x.a for x in read.spans if x.a is not None]
    b = [x.b for x in read.spans if x.b is not None]
    given_spans = diff_article(project, aid, "alice", "bob", spans=(list(reversed(a)), b))
    assert given_spans == read
