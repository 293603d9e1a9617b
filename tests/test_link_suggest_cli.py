"""``newsmark suggest PROJECT --links [--story NAME] [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.project import open_project
from desktop.cli import main
from tests.test_claims import DEMO_STORY, load_demo


@pytest.fixture
def demo_path(project_path: Path) -> Path:
    project = open_project(project_path)
    load_demo(project, annotations=False)
    project.close()
    return project_path


def test_links_json_lists_both_sides_and_the_score(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", str(demo_path), "--links", "--story", DEMO_STORY, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) >= 20
    first = items[0]
    for key in ("source_article_uid", "source_start", "source_end", "source_text", "target_article_uid",
                "target_start", "target_end", "target_text", "score"):  # fmt: skip
        assert key in first
    assert first["source_article_uid"] != first["target_article_uid"]
    assert 0 < first["score"] <= 1
    texts = {rec["meta"]["article_id"]: rec["text"] for rec in map(json.loads, _demo_lines())}
    for item in items:
        src = texts[item["source_article_uid"]]
        assert src[item["source_start"] : item["source_end"]] == item["source_text"]


def test_links_text_output(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", str(demo_path), "--links"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "<->" in out[0] and out[0].split()[0].replace(".", "").isdigit()
    assert out[-1].endswith("link suggestion(s)")


def test_links_unknown_story_is_one_line_error(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", str(demo_path), "--links", "--story", "Nope"]) == 1
    err = capsys.readouterr().err
    assert "no story 'Nope'" in err and "Traceback" not in err


def _demo_lines() -> list[str]:
    root = Path(__file__).resolve().parent.parent
    return (root / "resources" / "demo" / "demo.jsonl").read_text(encoding="utf-8").splitlines()
