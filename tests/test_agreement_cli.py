"""``newsmark agreement``: the table, --json, --by, --label and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.articles import add_article
from db.project import open_project
from db.spans import add_span
from desktop.cli import main

TEXT = "Ana said the port is closed. Experts doubt it."


def at(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def path(project_path: Path) -> Path:
    with open_project(project_path) as project:
        with project.write() as s:
            aid = add_article(s, TEXT, outlet="Daily")[0].id
        for who in ("alice", "bob"):
            add_span(project, aid, *at("Ana said"), "ATTRIBUTION", who)
        add_span(project, aid, *at("the port is closed"), "CLAIM", "alice")
        add_span(project, aid, *at("port is closed."), "CLAIM", "bob")
    return project_path


pytestmark = pytest.mark.sqlite_only


def test_table(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agreement", str(path), "alice", "bob"]) == 0
    out = capsys.readouterr().out
    assert "alice (A, reference) vs bob (B)" in out
    overall = next(line for line in out.splitlines() if line.startswith("all labels"))
    # 2 spans each, 1 exact match (F1 0.5), 2 overlapping matches (F1 1.0)
    assert overall.split()[2:6] == ["2", "2", "0.500", "1.000"]
    assert any(line.startswith("CLAIM") and "0.000" in line for line in out.splitlines())


def test_json_by_outlet_and_label(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agreement", str(path), "alice", "bob", "--json", "--by", "outlet", "--label", "CLAIM"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["labels"] == ["CLAIM"]
    assert [g["key"] for g in data["groups"]] == ["Daily"]
    overall = data["total"]["overall"]
    assert overall["exact_f1"] == 0 and overall["overlap_f1"] == 1
    assert set(data["total"]["labels"]) == {"CLAIM"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alice", "carol"], "no annotator 'carol'"),
        (["alice", "alice"], "two different annotators"),
        (["alice", "bob", "--label", "OPINION"], "no label 'OPINION'"),
    ],
)
def test_user_errors(path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["agreement", str(path), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_missing_project_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.newsmark"
    assert main(["agreement", str(missing), "alice", "bob"]) == 1
    assert "no such project" in capsys.readouterr().err
    assert not missing.exists()
