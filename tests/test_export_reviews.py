"""Review decisions and comments can be exported (issue 5): one JSONL line per decision."""

from __future__ import annotations

import json

from db.articles import add_article
from db.links import add_link
from db.review import review_link, review_span
from db.spans import add_span
from desktop.cli import main

TEXT = "The ministry said three missiles fell 40 km off the coast."


def _reviewed_project(project):
    with project.write() as s:
        article, _ = add_article(s, TEXT, title="Launch", outlet="Civic Wire")
    said = add_span(project, article.id, 0, 17, "ATTRIBUTION", "alice")
    claim = add_span(project, article.id, 18, len(TEXT) - 1, "CLAIM", "alice")
    link = add_link(project, said.id, claim.id, "SOURCE_OF", "alice")
    review_span(project, said.id, "carol", "accept")
    review_span(project, claim.id, "carol", "comment", "Is 40 km the ministry's figure or the outlet's?")
    review_link(project, link.id, "dave", "reject")
    return article, said, claim, link


def test_cli_exports_every_decision_with_its_target_and_comment(project, project_path, tmp_path, capsys):
    _article, said, claim, link = _reviewed_project(project)
    out = tmp_path / "reviews.jsonl"
    assert main(["export", str(project_path), str(out), "--reviews"]) == 0
    assert "3 review decisions" in capsys.readouterr().out
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["reviewer"], r["verdict"], r["target"]) for r in rows] == [
        ("carol", "accept", "span"),
        ("carol", "comment", "span"),
        ("dave", "reject", "link"),
    ]
    assert rows[0]["span"]["id"] == said.uid and rows[0]["span"]["text"] == "The ministry said"
    assert rows[0]["gold_span_id"] is not None  # the accept put a copy in gold
    assert rows[1]["comment"].startswith("Is 40 km")
    assert rows[1]["article_id"] == rows[0]["article_id"] != None  # noqa: E711
    assert rows[2]["link"]["id"] == link.uid and rows[2]["link"]["type"] == "SOURCE_OF"
    assert rows[2]["link"]["target"]["id"] == claim.uid


def test_one_reviewers_decisions(project, project_path, tmp_path):
    _reviewed_project(project)
    out = tmp_path / "dave.jsonl"
    assert main(["export", str(project_path), str(out), "--reviews", "--annotator", "dave"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["verdict"] for r in rows] == ["reject"]
