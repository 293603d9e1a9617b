"""Suggestions in a project: what the analyst already has or rejected is not offered again, accepts
persist (with their SOURCE_OF link), accept_all is one step, and the ``newsmark suggest`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.articles import add_article
from db.links import links_for_articles
from db.project import Project, open_project
from db.spans import add_span, spans_for_article
from db.suggest import (
    accept_all,
    accept_suggestion,
    blank_pipeline,
    reject_suggestion,
    suggest_for_article,
)
from desktop.cli import main

TEXT = (
    "Harbour closed after oil spill\n\n"
    "Mayor Agnes Thorvald said the harbour would stay closed until Friday. "
    '"Nobody was hurt, and the boats are safe," she told reporters.\n\n'
    "The spill covered 3 square kilometres on Tuesday.\n\n"
    "Amina Clough, a marine biologist at Harwell University, said the damage to the reef was limited."
)


def _add(project: Project, text: str = TEXT) -> int:
    with project.write() as s:
        article, _ = add_article(s, text, title="Harbour", outlet="Island Post", story="Spill")
        return article.id


def _offered(project: Project, article_id: int, who: str = "ana") -> set[tuple[str, str]]:
    result = suggest_for_article(project, article_id, who, nlp=blank_pipeline())
    return {(s.label, s.text) for s in result.spans}


def test_suggestions_for_an_article(project: Project) -> None:
    article_id = _add(project)
    result = suggest_for_article(project, article_id, "ana", nlp=blank_pipeline())
    assert result.article_id == article_id and len(result.article_uid or "") == 12
    assert {(s.label, s.text) for s in result.spans} == {
        ("ATTRIBUTION", "Mayor Agnes Thorvald said"),
        ("CLAIM", "the harbour would stay closed until Friday"),
        ("ATTRIBUTION", "she told reporters"),
        ("CLAIM", "Nobody was hurt, and the boats are safe"),
        ("FACT", "The spill covered 3 square kilometres on Tuesday"),
        ("ATTRIBUTION", "Amina Clough, a marine biologist at Harwell University, said"),
        ("EXPERT_OPINION", "the damage to the reef was limited"),
    }
    assert len(result.links) == 3


def test_existing_span_is_not_suggested(project: Project) -> None:
    article_id = _add(project)
    start = TEXT.index("the harbour would")
    add_span(
        project, article_id, start, start + len("the harbour would stay closed until Friday"), "CLAIM", "ana"
    )
    assert ("CLAIM", "the harbour would stay closed until Friday") not in _offered(project, article_id)
    # Another analyst's layer does not hide it.
    assert ("CLAIM", "the harbour would stay closed until Friday") in _offered(project, article_id, "ben")


def test_rejected_suggestion_is_not_offered_again(project_path: Path) -> None:
    project = open_project(project_path)
    article_id = _add(project)
    fact = next(
        s
        for s in suggest_for_article(project, article_id, "ana", nlp=blank_pipeline()).spans
        if s.label == "FACT"
    )
    rejected = reject_suggestion(project, article_id, "ana", fact.start, fact.end, "FACT")
    assert (rejected.status, rejected.origin) == ("rejected", "suggested")
    project.close()

    project = open_project(project_path)
    try:
        assert ("FACT", fact.text) not in _offered(project, article_id)
        assert ("FACT", fact.text) in _offered(project, article_id, "ben")
        # A rejected suggestion is not an annotation.
        assert spans_for_article(project, article_id, ["ana"]) == []
        # Rejecting twice keeps one record.
        again = reject_suggestion(project, article_id, "ana", fact.start, fact.end, "FACT")
        assert again.id == rejected.id
    finally:
        project.close()


def test_accepting_both_ends_links_them_and_persists(project_path: Path) -> None:
    project = open_project(project_path)
    article_id = _add(project)
    result = suggest_for_article(project, article_id, "ana", nlp=blank_pipeline())
    att = next(s for s in result.spans if s.text == "Mayor Agnes Thorvald said")
    claim = next(s for s in result.spans if s.text == "the harbour would stay closed until Friday")
    first = accept_suggestion(project, article_id, "ana", claim.start, claim.end, "CLAIM", suggestions=result)
    assert (first.status, first.origin, first.text) == ("active", "suggested", claim.text)
    assert links_for_articles(project, [article_id]) == []  # the attribution is not accepted yet
    accept_suggestion(project, article_id, "ana", att.start, att.end, "ATTRIBUTION", suggestions=result)
    project.close()

    project = open_project(project_path)
    try:
        spans = {(s.label, s.text, s.origin) for s in spans_for_article(project, article_id, ["ana"])}
        assert spans == {
            ("ATTRIBUTION", "Mayor Agnes Thorvald said", "suggested"),
            ("CLAIM", "the harbour would stay closed until Friday", "suggested"),
        }
        links = links_for_articles(project, [article_id])
        assert [(lk.type, lk.annotator) for lk in links] == [("SOURCE_OF", "ana")]
        by_id = {s.id: s.text for s in spans_for_article(project, article_id, ["ana"])}
        assert (by_id[links[0].source_span_id], by_id[links[0].target_span_id]) == (att.text, claim.text)
        offered = _offered(project, article_id)
        assert ("CLAIM", claim.text) not in offered and ("ATTRIBUTION", att.text) not in offered
    finally:
        project.close()


def test_accept_without_the_suggestion_set_finds_the_link(project: Project) -> None:
    article_id = _add(project)
    start = TEXT.index("Mayor")
    accept_suggestion(
        project, article_id, "ana", start, start + len("Mayor Agnes Thorvald said"), "ATTRIBUTION"
    )
    c = TEXT.index("the harbour would")
    accept_suggestion(
        project, article_id, "ana", c, c + len("the harbour would stay closed until Friday"), "CLAIM"
    )
    assert [lk.type for lk in links_for_articles(project, [article_id])] == ["SOURCE_OF"]


def test_accepting_a_rejected_suggestion_revives_it(project: Project) -> None:
    article_id = _add(project)
    start = TEXT.index("The spill")
    end = start + len("The spill covered 3 square kilometres on Tuesday")
    rejected = reject_suggestion(project, article_id, "ana", start, end, "FACT")
    accepted = accept_suggestion(project, article_id, "ana", start, end, "FACT")
    assert accepted.id == rejected.id and accepted.status == "active"


def test_accept_all_of_a_label(project: Project) -> None:
    article_id = _add(project)
    result = suggest_for_article(project, article_id, "ana", nlp=blank_pipeline())
    records = accept_all(project, article_id, "ana", "ATTRIBUTION", result)
    assert sorted(r.text for r in records) == sorted(s.text for s in result.by_label("ATTRIBUTION"))
    assert all(r.origin == "suggested" and r.status == "active" for r in records)
    assert links_for_articles(project, [article_id]) == []
    # Accepting the claims afterwards links each to its attribution.
    accept_all(
        project,
        article_id,
        "ana",
        None,
        suggest_for_article(project, article_id, "ana", nlp=blank_pipeline()),
    )
    assert len(links_for_articles(project, [article_id])) == 3
    assert suggest_for_article(project, article_id, "ana", nlp=blank_pipeline()).spans == ()


def test_accept_all_is_one_transaction(project: Project) -> None:
    article_id = _add(project)
    result = suggest_for_article(project, article_id, "ana", nlp=blank_pipeline())
    broken = result.__class__(spans=(*result.spans, result.spans[0].__class__(0, 10_000, "CLAIM", "x")))
    with pytest.raises(Exception, match="cannot end"):
        accept_all(project, article_id, "ana", "CLAIM", broken)
    assert spans_for_article(project, article_id, ["ana"]) == []


def test_reject_refuses_an_existing_annotation(project: Project) -> None:
    from db.errors import NewsmarkError

    article_id = _add(project)
    add_span(project, article_id, 0, 7, "CLAIM", "ana")
    with pytest.raises(NewsmarkError, match="already has"):
        reject_suggestion(project, article_id, "ana", 0, 7, "CLAIM")


def test_cancel_leaves_nothing(project: Project) -> None:
    from db.suggest import SuggestCancelled

    article_id = _add(project)
    with pytest.raises(SuggestCancelled):
        suggest_for_article(project, article_id, "ana", cancel=lambda: True, nlp=blank_pipeline())
    assert spans_for_article(project, article_id, include_rejected=True) == []


@pytest.mark.sqlite_only
def test_cli_table_and_json(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = open_project(project_path)
    article_id = _add(project)
    uid = suggest_for_article(project, article_id, "ana", nlp=blank_pipeline()).article_uid
    project.close()
    assert main(["suggest", str(project_path), "--spans", "--model", "blank"]) == 0
    out = capsys.readouterr().out
    start = TEXT.index("Mayor")
    rows = [line.split(None, 5) for line in out.splitlines() if line.startswith(f"{uid}  #")]
    assert rows[0] == [uid, "#0", str(start), str(start + 25), "ATTRIBUTION", "Mayor Agnes Thorvald said"]
    assert f"{uid}  SOURCE_OF  #0 -> #1" in out
    assert (
        main(["suggest", str(project_path), "--spans", "--model", "blank", "--json", "--article", str(uid)])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data[0]["article_id"] == uid
    assert {"start": start, "end": start + 25, "label": "ATTRIBUTION"}.items() <= data[0]["spans"][0].items()
    assert {"source": 0, "target": 1, "type": "SOURCE_OF"} in data[0]["links"]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--spans", "--article", "0123456789ab"], "no article '0123456789ab'"),
        (["--spans", "--story", "Spill"], "--story goes with --links"),
        (["--links", "--article", "1"], "--article goes with --spans"),
        (["--spans", "--model", "no_such_pipeline_xyz"], "not installed"),
    ],
)
def test_cli_user_errors(
    project_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    open_project(project_path).close()
    assert main(["suggest", str(project_path), *argv]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


@pytest.mark.sqlite_only
def test_cli_spans_and_links_are_exclusive(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    open_project(project_path).close()
    with pytest.raises(SystemExit) as exc:
        main(["suggest", str(project_path), "--spans", "--links"])
    assert exc.value.code == 1
    assert "not allowed with" in capsys.readouterr().err
