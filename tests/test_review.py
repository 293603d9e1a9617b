"""Review: accept, reject and comment, their effect on the gold layer, and undo of each."""

from __future__ import annotations

import pytest

from db.articles import add_article
from db.errors import NewsmarkError
from db.layer_diff import DiffKind, diff_article
from db.links import add_link, links_for_articles
from db.project import Project
from db.review import (
    accept_left,
    accept_right,
    comments_for_annotator,
    mark_article_reviewed,
    review_link,
    review_progress,
    review_span,
    reviews_for,
    story_progress,
    undo_review,
)
from db.spans import add_span, spans_for_article

TEXT = "Minister Ana Ruiz said the strait is safe. Analysts warned of a build-up. Trade fell nine percent."


def at(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def aid(project: Project) -> int:
    with project.write() as s:
        article, _ = add_article(s, TEXT, title="Strait", outlet="Daily", story="Strait talks")
        return article.id


def gold(project: Project, aid: int) -> list[tuple[int, int, str]]:
    return [(x.start, x.end, x.label) for x in spans_for_article(project, aid, ["gold"])]


def review_rows(project: Project) -> int:
    from sqlalchemy import func, select

    from db.models import Review

    with project.read() as s:
        return s.scalar(select(func.count()).select_from(Review)) or 0


def test_accept_copies_the_span_into_gold_and_undo_takes_it_out(project: Project, aid: int) -> None:
    span = add_span(project, aid, *at("the strait is safe"), "CLAIM", "alice")
    decision = review_span(project, span.id, "rita", "accept")
    assert gold(project, aid) == [(*at("the strait is safe"), "CLAIM")]
    assert decision.review.verdict == "accept" and decision.review.reviewer == "rita"
    assert decision.action == "Accept span"
    assert decision.review.gold_span_id == decision.gold_spans_added[0]
    assert [r.verdict for r in reviews_for(project, span_ids=[span.id])] == ["accept"]
    # alice's own span is untouched
    assert [x.id for x in spans_for_article(project, aid, ["alice"])] == [span.id]

    undo_review(project, decision)
    assert gold(project, aid) == []
    assert reviews_for(project, span_ids=[span.id]) == []


def test_accept_does_not_duplicate_what_gold_already_has(project: Project, aid: int) -> None:
    existing = add_span(project, aid, *at("Trade fell nine percent"), "FACT", "gold")
    span = add_span(project, aid, *at("Trade fell nine percent"), "FACT", "alice")
    decision = review_span(project, span.id, "rita", "accept")
    assert decision.gold_spans_added == ()
    assert decision.review.gold_span_id == existing.id
    assert len(gold(project, aid)) == 1
    undo_review(project, decision)
    assert [x.id for x in spans_for_article(project, aid, ["gold"])] == [existing.id]


def test_reject_removes_the_copy_an_earlier_accept_made_and_undo_restores_it(
    project: Project, aid: int
) -> None:
    span = add_span(project, aid, *at("the strait is safe"), "CLAIM", "alice")
    accepted = review_span(project, span.id, "rita", "accept")
    copy_id = accepted.gold_spans_added[0]
    rejected = review_span(project, span.id, "rita", "reject", "a claim, but not this one")
    assert gold(project, aid) == []
    assert [x.span.id for x in rejected.gold_spans_removed] == [copy_id]

    undo_review(project, rejected)
    assert [x.id for x in spans_for_article(project, aid, ["gold"])] == [copy_id]
    # the accept's review row points at its gold copy again
    (accept_row,) = [r for r in reviews_for(project, span_ids=[span.id]) if r.verdict == "accept"]
    assert accept_row.gold_span_id == copy_id


def test_reject_leaves_gold_that_another_review_put_there(project: Project, aid: int) -> None:
    mine = add_span(project, aid, *at("Analysts warned"), "EXPERT_OPINION", "alice")
    theirs = add_span(project, aid, *at("Analysts warned"), "EXPERT_OPINION", "bob")
    review_span(project, mine.id, "rita", "accept")
    review_span(project, theirs.id, "rita", "reject")  # bob's accept never made a copy
    assert len(gold(project, aid)) == 1


def test_accepting_a_link_copies_it_with_its_end_spans(project: Project, aid: int) -> None:
    att = add_span(project, aid, *at("Minister Ana Ruiz said"), "ATTRIBUTION", "alice")
    claim = add_span(project, aid, *at("the strait is safe"), "CLAIM", "alice")
    add_span(project, aid, *at("the strait is safe"), "CLAIM", "gold")  # one end already in gold
    link = add_link(project, att.id, claim.id, "SOURCE_OF", "alice")
    decision = review_link(project, link.id, "rita", "accept")
    assert len(decision.gold_spans_added) == 1 and len(decision.gold_links_added) == 1
    gold_links = [x for x in links_for_articles(project, [aid]) if x.annotator == "gold"]
    assert [x.type for x in gold_links] == ["SOURCE_OF"]
    assert len(gold(project, aid)) == 2

    rejected = review_link(project, link.id, "rita", "reject")
    assert [x for x in links_for_articles(project, [aid]) if x.annotator == "gold"] == []
    undo_review(project, rejected)
    undo_review(project, decision)
    assert [x for x in links_for_articles(project, [aid]) if x.annotator == "gold"] == []
    assert gold(project, aid) == [(*at("the strait is safe"), "CLAIM")]


def test_comments_are_shown_to_the_annotator_of_the_layer(project: Project, aid: int) -> None:
    span = add_span(project, aid, *at("Trade fell nine percent"), "CLAIM", "alice")
    other = add_span(project, aid, *at("Trade fell nine percent"), "FACT", "bob")
    review_span(project, span.id, "rita", "comment", "Figures are facts: see the guideline.")
    review_span(project, other.id, "rita", "accept")
    notes = comments_for_annotator(project, "alice", aid)
    assert [(n.reviewer, n.comment, n.span_id) for n in notes] == [
        ("rita", "Figures are facts: see the guideline.", span.id)
    ]
    assert comments_for_annotator(project, "bob", aid) == []
    assert gold(project, aid) == [(*at("Trade fell nine percent"), "FACT")]  # a comment changes no gold


def test_accept_left_settles_a_disagreement_in_one_step(project: Project, aid: int) -> None:
    add_span(project, aid, *at("Analysts warned of a build-up"), "EXPERT_OPINION", "alice")
    theirs = add_span(project, aid, *at("warned of a build-up"), "EXPERT_OPINION", "bob")
    review_span(project, theirs.id, "rita", "accept")  # an earlier, different call
    (item,) = [x for x in diff_article(project, aid, "alice", "bob").spans if x.kind == DiffKind.BOUNDARY]
    before = review_rows(project)
    decision = accept_left(project, item, "rita")
    assert gold(project, aid) == [(*at("Analysts warned of a build-up"), "EXPERT_OPINION")]
    assert sorted(r.verdict for r in decision.reviews) == ["accept", "reject"]
    undo_review(project, decision)
    assert gold(project, aid) == [(*at("warned of a build-up"), "EXPERT_OPINION")]
    assert review_rows(project) == before


def test_accept_right_against_gold_replaces_the_gold_span(project: Project, aid: int) -> None:
    gold_span = add_span(project, aid, *at("the strait"), "CLAIM", "gold")
    add_span(project, aid, *at("the strait is safe"), "CLAIM", "alice")
    (item,) = diff_article(project, aid, "gold", "alice").spans
    decision = accept_right(project, item, "rita")
    assert gold(project, aid) == [(*at("the strait is safe"), "CLAIM")]
    undo_review(project, decision)
    assert [x.id for x in spans_for_article(project, aid, ["gold"])] == [gold_span.id]


def test_an_unknown_verdict_is_refused(project: Project, aid: int) -> None:
    span = add_span(project, aid, *at("the strait"), "CLAIM", "alice")
    with pytest.raises(NewsmarkError, match="verdict"):
        review_span(project, span.id, "rita", "maybe")
    assert review_rows(project) == 0


def test_progress_per_article_and_story(project: Project, aid: int) -> None:
    first = add_span(project, aid, *at("the strait"), "CLAIM", "alice")
    add_span(project, aid, *at("Trade fell"), "FACT", "alice")
    review_span(project, first.id, "rita", "accept")
    progress = review_progress(project)[aid]
    assert (progress.spans, progress.spans_reviewed, progress.reviewed) == (2, 1, False)  # gold not counted
    assert mark_article_reviewed(project, aid, "rita") is False
    assert mark_article_reviewed(project, aid, "rita") is True  # already marked: the undo passes True back
    assert review_progress(project)[aid].reviewed_by == ("rita",)
    story = story_progress(project)["Strait talks"]
    assert (story.articles, story.articles_reviewed, story.spans, story.spans_reviewed) == (1, 1, 2, 1)
    mark_article_reviewed(project, aid, "rita", reviewed=False)
    assert not review_progress(project)[aid].reviewed
