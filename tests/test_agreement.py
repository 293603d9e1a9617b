"""Agreement figures against a worked example done by hand, and against the krippendorff package."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest

from db.agreement import agreement, cohen_kappa, krippendorff_alpha_nominal
from db.articles import add_article
from db.errors import NewsmarkError
from db.links import add_link
from db.project import Project
from db.spans import add_span
from db.text import tokenize

T1 = "Ana said the port is closed. Experts doubt it."
T2 = "Officials deny it. The port is open."
T3 = "Nobody else read this one."


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def article(project: Project, text: str, outlet: str) -> int:
    with project.write() as s:
        a, _ = add_article(s, text, outlet=outlet)
        return a.id


@pytest.fixture
def worked(project: Project) -> dict[str, int]:
    a1 = article(project, T1, "Daily")
    a2 = article(project, T2, "Herald")
    a3 = article(project, T3, "Herald")
    # Article 1. A: ATTRIBUTION "Ana said", CLAIM "the port is closed", EXPERT_OPINION "Experts doubt it"
    #            B: ATTRIBUTION "Ana said" (same), CLAIM "port is closed." (boundary), FACT "Experts doubt it"
    a_att = add_span(project, a1, *at(T1, "Ana said"), "ATTRIBUTION", "alice").id
    a_claim = add_span(project, a1, *at(T1, "the port is closed"), "CLAIM", "alice").id
    add_span(project, a1, *at(T1, "Experts doubt it"), "EXPERT_OPINION", "alice")
    b_att = add_span(project, a1, *at(T1, "Ana said"), "ATTRIBUTION", "bob").id
    b_claim = add_span(project, a1, *at(T1, "port is closed."), "CLAIM", "bob").id
    add_span(project, a1, *at(T1, "Experts doubt it"), "FACT", "bob")
    # both link the attribution to the claim, but the claims' boundaries differ: no link match
    add_link(project, a_att, a_claim, "SOURCE_OF", "alice")
    add_link(project, b_att, b_claim, "SOURCE_OF", "bob")
    # Article 2: both the same two claims, linked the same way
    ids = {}
    for who in ("alice", "bob"):
        one = add_span(project, a2, *at(T2, "Officials deny it."), "CLAIM", who).id
        two = add_span(project, a2, *at(T2, "The port is open."), "CLAIM", who).id
        add_link(project, one, two, "CONTRADICTS", who)
        ids[who] = one
    # Article 3: only alice
    add_span(project, a3, *at(T3, "Nobody else"), "CLAIM", "alice")
    return {"a1": a1, "a2": a2, "a3": a3}


def test_spacy_tokens_of_the_worked_example() -> None:
    toks = tokenize(T1)
    assert [T1[s:e] for s, e in zip(toks.starts, toks.ends, strict=True)] == [
        "Ana", "said", "the", "port", "is", "closed", ".", "Experts", "doubt", "it", ".",
    ]  # fmt: skip


def test_article_one_by_hand(project: Project, worked: dict[str, int]) -> None:
    report = agreement(project, "alice", "bob", article_ids=[worked["a1"]])
    t = report.total
    # Spans: A has 3, B has 3; exact matches: ATTRIBUTION only -> F1 = 2*1/(3+3) = 1/3.
    assert (t.spans.n_a, t.spans.n_b, t.spans.exact) == (3, 3, 1)
    assert t.spans.exact_f1 == pytest.approx(1 / 3)
    # Overlap (same label): + CLAIM "the port is closed" ~ "port is closed." -> 2 -> F1 = 4/6.
    assert t.spans.overlap_f1 == pytest.approx(2 / 3)
    assert t.spans.overlap_precision == pytest.approx(2 / 3) and t.spans.overlap_recall == pytest.approx(
        2 / 3
    )
    assert t.labels["CLAIM"].exact_f1 == 0 and t.labels["CLAIM"].overlap_f1 == 1
    assert t.labels["EXPERT_OPINION"].exact_f1 == 0 and t.labels["FACT"].n_b == 1
    # Tokens:   Ana said the   port  is    closed .     Experts doubt it  .
    #   A:      ATT ATT  CLAIM CLAIM CLAIM CLAIM  O     EO      EO    EO  O
    #   B:      ATT ATT  O     CLAIM CLAIM CLAIM  CLAIM FACT    FACT  FACT O
    # Agree on Ana, said, port, is, closed, the last "." -> po = 6/11.
    # Marginals A: ATT 2, CLAIM 4, EO 3, O 2;  B: ATT 2, CLAIM 4, FACT 3, O 2.
    # pe = (2*2 + 4*4 + 3*0 + 0*3 + 2*2) / 11^2 = 24/121
    # kappa = (66/121 - 24/121) / (1 - 24/121) = 42/97
    assert t.tokens.tokens == 11
    assert t.tokens.observed == pytest.approx(6 / 11)
    assert t.tokens.kappa == pytest.approx(42 / 97)
    # Alpha: n = 22 values; n_c: ATT 4, CLAIM 8, EO 3, FACT 3, O 4 -> sum n_c^2 = 114.
    # 5 disagreeing units give 10 off-diagonal coincidences.
    # alpha = 1 - (n-1) * 10 / (n^2 - 114) = 1 - 21*10/370 = 16/37
    assert t.tokens.alpha == pytest.approx(16 / 37)
    # CLAIM against the rest: both 3 (port is closed), A only 1 (the), B only 1 (.), neither 6.
    # po = 9/11, pe = (4*4 + 7*7)/121 = 65/121, kappa = (99-65)/(121-65) = 34/56
    assert t.label_tokens["CLAIM"].kappa == pytest.approx(34 / 56)
    # Links: one each, ends not identical -> 0 matched.
    assert (t.links.n_a, t.links.n_b, t.links.matched) == (1, 1, 0)


def test_whole_project_grouped(project: Project, worked: dict[str, int]) -> None:
    report = agreement(project, "alice", "bob", by="article")
    by_id = {g.article_id: g for g in report.groups}
    assert (
        by_id[worked["a2"]].spans.exact_f1 == 1 and by_id[worked["a2"]].tokens.kappa is None
    )  # all tokens CLAIM/O
    assert by_id[worked["a2"]].tokens.observed == 1
    assert by_id[worked["a1"]].tokens.kappa == pytest.approx(42 / 97)
    total = report.total
    # Article 3 counts for F1 (alice's span is a miss) but not for tokens (bob did not annotate it).
    assert (total.articles, total.token_articles) == (3, 2)
    assert (total.spans.n_a, total.spans.n_b, total.spans.exact) == (6, 5, 3)
    assert total.spans.exact_recall == pytest.approx(3 / 6) and total.spans.exact_precision == pytest.approx(
        3 / 5
    )
    # Links: SOURCE_OF unmatched, CONTRADICTS matched -> 2*1/(2+2)
    assert total.links.f1 == pytest.approx(0.5)
    assert total.link_types["CONTRADICTS"].f1 == 1 and total.link_types["SOURCE_OF"].f1 == 0
    outlets = agreement(project, "alice", "bob", by="outlet")
    assert [g.key for g in outlets.groups] == ["Daily", "Herald"]
    assert outlets.groups[1].spans.n_a == 3 and outlets.total.spans == total.spans


def test_only_some_labels(project: Project, worked: dict[str, int]) -> None:
    report = agreement(project, "alice", "bob", article_ids=[worked["a1"]], labels=["CLAIM"])
    assert report.labels == ("CLAIM",)
    assert (report.total.spans.n_a, report.total.spans.n_b) == (1, 1)
    # with only CLAIM painted, kappa is the CLAIM-vs-rest kappa above
    assert report.total.tokens.kappa == pytest.approx(34 / 56)
    with pytest.raises(NewsmarkError, match="no label"):
        agreement(project, "alice", "bob", labels=["OPINIONS"])


def test_symmetry_of_f1_and_kappa(project: Project, worked: dict[str, int]) -> None:
    ab = agreement(project, "alice", "bob").total
    ba = agreement(project, "bob", "alice").total
    assert ab.spans.exact_f1 == ba.spans.exact_f1 and ab.spans.overlap_f1 == ba.spans.overlap_f1
    assert ab.tokens.kappa == pytest.approx(ba.tokens.kappa)
    assert ab.spans.exact_precision == ba.spans.exact_recall


def test_unknown_annotator(project: Project, worked: dict[str, int]) -> None:
    with pytest.raises(NewsmarkError, match="carol"):
        agreement(project, "alice", "carol")


def test_alpha_matches_the_krippendorff_package_on_real_token_labels(project: Project) -> None:
    rng = random.Random(5)
    words = [
        "the",
        "council",
        "said",
        "talks",
        "resume",
        "while",
        "analysts",
        "warned",
        "patrols",
        "could",
        "rise",
    ]
    articles = []
    for n in range(6):
        text = " ".join(rng.choice(words) for _ in range(60)) + f" {n}."
        aid = article(project, text, "Daily")
        articles.append(aid)
        toks = tokenize(text)
        for who in ("alice", "bob"):
            for _ in range(8):
                i = rng.randrange(len(toks) - 4)
                j = i + rng.randint(0, 3)
                label = rng.choice(["CLAIM", "FACT", "ATTRIBUTION"])
                add_span(project, aid, toks.starts[i], toks.ends[j], label, who)
    report = agreement(project, "alice", "bob")
    # The same labelling, done naively token by token: the shortest covering span, "O" otherwise.
    from db.spans import spans_for_article

    codes = {"O": 0, "ATTRIBUTION": 1, "CLAIM": 2, "FACT": 3}
    rows: list[list[int]] = [[], []]
    for aid in articles:
        text = project_text(project, aid)
        toks = tokenize(text)
        for k, who in enumerate(("alice", "bob")):
            spans = spans_for_article(project, aid, [who])
            for s, e in zip(toks.starts, toks.ends, strict=True):
                covering = [x for x in spans if x.start < e and s < x.end]
                covering.sort(key=lambda x: (x.end - x.start, x.start))
                rows[k].append(codes[covering[0].label] if covering else 0)
    data = np.array(rows, dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert report.total.tokens.tokens == data.shape[1]
    assert report.total.tokens.alpha == pytest.approx(expected, abs=1e-9)
    # Cohen's kappa by hand from the same two rows
    n = data.shape[1]
    po = float((data[0] == data[1]).mean())
    pe = sum(float((data[0] == c).sum()) * float((data[1] == c).sum()) for c in range(4)) / (n * n)
    assert report.total.tokens.kappa == pytest.approx((po - pe) / (1 - pe), abs=1e-12)


def project_text(project: Project, aid: int) -> str:
    from db.articles import get_article

    return get_article(project, aid).text


def test_formulas_against_the_package_on_random_confusions() -> None:
    rng = np.random.default_rng(9)
    for _ in range(20):
        k = int(rng.integers(2, 6))
        a = rng.integers(0, k, size=200)
        b = np.where(rng.random(200) < 0.7, a, rng.integers(0, k, size=200))
        confusion = np.zeros((k, k), dtype=np.int64)
        np.add.at(confusion, (a, b), 1)
        expected = krippendorff.alpha(
            reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal"
        )
        assert krippendorff_alpha_nominal(confusion) == pytest.approx(expected, abs=1e-9)
        try:
            from sklearn.metrics import cohen_kappa_score
        except ImportError:
            continue
        assert cohen_kappa(confusion) == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)


def test_undefined_figures_are_none_not_errors(project: Project) -> None:
    aid = article(project, T2, "Daily")
    add_span(project, aid, *at(T2, "Officials deny it."), "CLAIM", "alice")
    add_span(project, aid, *at(T2, "Officials deny it."), "CLAIM", "bob")
    total = agreement(project, "alice", "bob", labels=["FACT"]).total
    assert total.spans.exact_f1 is None and total.tokens.kappa is None and total.links.f1 is None


def test_span_counts_match_a_plain_per_article_computation(project: Project) -> None:
    """The vectorised counting gives what pairing span by span, article by article, gives."""
    from collections import Counter

    from db.layer_diff import match_spans

    rng = random.Random(21)
    text = "word " * 60
    ids = [article(project, text + f"{n}.", "Daily") for n in range(5)]
    layers: dict[str, dict[int, list[tuple[int, int, str]]]] = {"alice": {}, "bob": {}}
    for aid in ids:
        base = []
        for _ in range(12):
            s = rng.randrange(0, 50) * 5
            base.append((s, s + rng.randint(1, 4) * 5 - 1, rng.choice(["CLAIM", "FACT"])))
        for who in ("alice", "bob"):
            mine = []
            for s, e, label in base:
                r = rng.random()
                if who == "bob" and r < 0.2:
                    continue
                if who == "bob" and r < 0.4:
                    s = s + 5 if s + 5 < e else s
                if who == "bob" and 0.4 <= r < 0.5:
                    label = "CLAIM" if label == "FACT" else "FACT"
                mine.append((s, e, label))
            if rng.random() < 0.5:
                mine.append(mine[0])  # a duplicate
            layers[who][aid] = mine
            for s, e, label in mine:
                add_span(project, aid, s, e, label, who)
    exact = overlap = 0
    for aid in ids:
        a, b = layers["alice"][aid], layers["bob"][aid]
        ca, cb = Counter(a), Counter(b)
        exact += sum(min(n, cb[k]) for k, n in ca.items())
        left_a = [k for k, n in ca.items() for _ in range(n - min(n, cb[k]))]
        left_b = [k for k, n in cb.items() for _ in range(n - min(n, ca[k]))]
        overlap += len(match_spans(left_a, left_b, same_label=True))
    total = agreement(project, "alice", "bob").total.spans
    assert total.exact == exact
    assert total.overlap == exact + overlap
