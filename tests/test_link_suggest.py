"""Link suggestions across outlets: recall on the demo's gold pairs, paraphrases, accept and reject."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from db.articles import add_article
from db.link_similarity import Idf, normalise, similarity
from db.link_suggest import (
    STORY_THRESHOLD,
    LinkCandidate,
    accept_candidate,
    reject_candidate,
    suggest_for_span,
    suggest_for_story,
    suggest_links_for_project,
)
from db.links import links_for_spans
from db.project import Project, open_project
from db.spans import add_span, get_span
from tests.test_claims import DEMO, DEMO_STORY, load_demo

QUOTE = "We have serious concerns about any support for Kestria's missile programs"
PARAPHRASE = "We are very concerned about any support for the programs of Kestria's missiles"


def _gold(by_file: dict[str, int]) -> list[tuple[int, tuple[int, int], int, tuple[int, int]]]:
    texts = {f: (DEMO / "articles" / f).read_text(encoding="utf-8") for f in by_file}
    out = []
    for pair in json.loads((DEMO / "link_pairs.json").read_text(encoding="utf-8")):
        sides = []
        for side in (pair["a"], pair["b"]):
            start = texts[side["file"]].index(side["quote"])
            sides.append((by_file[side["file"]], (start, start + len(side["quote"]))))
        out.append((sides[0][0], sides[0][1], sides[1][0], sides[1][1]))
    return out


def _matches(c: LinkCandidate, gold: tuple[int, tuple[int, int], int, tuple[int, int]]) -> bool:
    a, (a0, a1), b, (b0, b1) = gold
    fwd = c.source_article_id == a and c.target_article_id == b
    fwd = fwd and c.source_start < a1 and a0 < c.source_end and c.target_start < b1 and b0 < c.target_end
    back = c.source_article_id == b and c.target_article_id == a
    back = back and c.source_start < b1 and b0 < c.source_end and c.target_start < a1 and a0 < c.target_end
    return fwd or back


def test_story_suggestions_find_most_gold_pairs(project: Project) -> None:
    by_file = load_demo(project, annotations=False)
    candidates = suggest_for_story(project, DEMO_STORY)
    gold = _gold(by_file)
    found = [g for g in gold if any(_matches(c, g) for c in candidates)]
    assert len(found) / len(gold) >= 0.8  # measured: 0.80 at the default threshold (docs/links.md)
    # Every candidate pairs two outlets, with scores in [0, 1], best first, and texts at the offsets.
    assert all(c.source_article_id != c.target_article_id for c in candidates)
    assert all(STORY_THRESHOLD <= c.score <= 1 for c in candidates)
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    texts = {i: (DEMO / "articles" / f).read_text(encoding="utf-8") for f, i in by_file.items()}
    for c in candidates:
        assert texts[c.source_article_id][c.source_start : c.source_end] == c.source_text
        assert texts[c.target_article_id][c.target_start : c.target_end] == c.target_text
    assert suggest_links_for_project(project) == candidates


def test_paraphrased_quote_scores_high() -> None:
    idf = Idf([normalise(QUOTE).words, normalise(PARAPHRASE).words, normalise("The weather was fine").words])
    assert similarity(normalise(QUOTE), normalise(PARAPHRASE), idf) >= 0.8
    assert similarity(normalise(QUOTE), normalise("The weather was fine in Veskar on Thursday"), idf) < 0.2


def _paraphrase_story(project: Project) -> tuple[int, int]:
    with project.write() as s:
        a, _ = add_article(
            s,
            f'Tensions rose on Thursday. "{QUOTE}," the minister said. Fishing boats stayed in port.',
            outlet="Civic Wire",
            story="Missiles",
            published=dt.date(2024, 3, 1),
        )
        b, _ = add_article(
            s,
            "The harbour was quiet. The minister told reporters: "
            f'"{PARAPHRASE}." Markets in the capital fell slightly.',
            outlet="Northgate Ledger",
            story="Missiles",
            published=dt.date(2024, 3, 2),
        )
        return a.id, b.id


def test_span_suggestion_finds_the_paraphrase(project: Project) -> None:
    a, b = _paraphrase_story(project)
    start = f'Tensions rose on Thursday. "{QUOTE}'.index(QUOTE)
    span = add_span(project, a, start, start + len(QUOTE), "CLAIM", "ann")
    (best, *_) = suggest_for_span(project, span.id)
    assert best.target_article_id == b and best.source_span_id == span.id
    assert PARAPHRASE in best.target_text and "Markets" not in best.target_text
    assert best.score >= 0.8
    assert best.to_dict()["target_text"] == best.target_text


def test_accept_creates_span_and_link(project: Project) -> None:
    a, b = _paraphrase_story(project)
    start = f'Tensions rose on Thursday. "{QUOTE}'.index(QUOTE)
    span = add_span(project, a, start, start + len(QUOTE), "EXPERT_OPINION", "ann")
    best = suggest_for_span(project, span.id)[0]
    link = accept_candidate(project, best, "SAME_CLAIM", "ann")
    assert link.type == "SAME_CLAIM" and link.source_span_id == span.id
    target = get_span(project, link.target_span_id)
    assert (target.article_id, target.start, target.end) == (b, best.target_start, best.target_end)
    assert target.label == "EXPERT_OPINION" and target.origin == "suggested" and target.annotator == "ann"
    # Once linked, the pair is not offered again.
    assert all(
        c.target_article_id != b or c.target_start != best.target_start
        for c in suggest_for_span(project, span.id)
    )
    # A second accept reuses the existing span instead of adding a twin.
    again = accept_candidate(project, best, "SUPPORTS", "ann")
    assert again.target_span_id == target.id
    assert len(links_for_spans(project, [span.id])) == 2


def test_accept_story_candidate_creates_both_spans(project: Project) -> None:
    load_demo(project, annotations=False)
    best = suggest_for_story(project, DEMO_STORY)[0]
    link = accept_candidate(project, best, "SAME_CLAIM", "bob", label="FACT")
    src, dst = get_span(project, link.source_span_id), get_span(project, link.target_span_id)
    assert (src.text, dst.text) == (best.source_text, best.target_text)
    assert src.label == dst.label == "FACT"


def test_rejected_candidates_are_not_offered_again_after_reopen(project_path: Path) -> None:
    project = open_project(project_path)
    load_demo(project, annotations=False)
    before = suggest_for_story(project, DEMO_STORY)
    rejected = before[0]
    reject_candidate(project, rejected, "ann")
    project.close()

    project = open_project(project_path)
    try:
        after = suggest_for_story(project, DEMO_STORY)
        assert rejected not in after
        assert len(before) - 3 <= len(after) < len(before)
        # The same pair seen from the other side is gone too.
        flipped = [
            c
            for c in after
            if (c.source_article_id, c.source_start, c.target_article_id, c.target_start)
            == (
                rejected.target_article_id,
                rejected.target_start,
                rejected.source_article_id,
                rejected.source_start,
            )
        ]
        assert not flipped
    finally:
        project.close()


def test_unknown_span_or_story_is_a_clear_error(project: Project) -> None:
    from db.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no span"):
        suggest_for_span(project, 999)
    with pytest.raises(NotFoundError, match="no story"):
        suggest_for_story(project, "Nothing")
