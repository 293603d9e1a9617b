"""doccano JSONL and Label Studio JSON: detection, label mapping, unknown labels, offsets, layers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import func, select

from db.importing import import_paths
from db.labels import list_labels, list_link_types
from db.links import links_for_articles
from db.models import Article, Span
from db.project import Project
from db.spans import spans_for_article

DATA = Path(__file__).parent / "data" / "import"


def n_spans(project: Project) -> int:
    with project.read() as s:
        return s.scalar(select(func.count()).select_from(Span)) or 0


def article_ids(project: Project) -> list[int]:
    with project.read() as s:
        return list(s.scalars(select(Article.id).order_by(Article.id)))


def test_doccano_unknown_label_stops_the_import_listing_it(project: Project) -> None:
    summary = import_paths(project, [DATA / "doccano.jsonl"])
    (issue,) = summary.errors
    assert "'Denial'" in issue.message and "--add-labels" in issue.message
    assert summary.files[0].format == "doccano"
    assert n_spans(project) == 0 and article_ids(project) == []


def test_doccano_labels_map_by_name_ignoring_case_and_spaces(project: Project) -> None:
    summary = import_paths(project, [DATA / "doccano.jsonl"], label_map={"denial": "CLAIM"}, annotator="ana")
    assert summary.errors == [] and summary.labels_added == []
    first, second = article_ids(project)
    got = {(sp.label, sp.text) for sp in spans_for_article(project, first)}
    assert got == {
        ("ATTRIBUTION", "The minister said"),
        ("CLAIM", "the bridge would reopen in May"),
        ("EXPERT_OPINION", "Engineers doubt that date"),
        ("FACT", "Traffic fell 30 percent in April"),
    }
    assert {sp.annotator for sp in spans_for_article(project, second)} == {"ana"}
    links = {(ln.type) for ln in links_for_articles(project, [second])}
    assert links == {"SOURCE_OF", "CONTRADICTS"}
    emoji = [sp.text for sp in spans_for_article(project, second) if "🚢" in sp.text]
    assert emoji == ["The ferry 🚢 company disputed it"]


def test_doccano_add_labels_adds_the_unknown_label(project: Project) -> None:
    summary = import_paths(project, [DATA / "doccano.jsonl"], add_labels=True)
    assert summary.errors == [] and summary.labels_added == ["DENIAL"]
    assert "DENIAL" in [lab.key for lab in list_labels(project)]


def test_an_explicit_format_reads_a_file_whatever_its_extension(project: Project, tmp_path: Path) -> None:
    odd = tmp_path / "export.data"
    shutil.copy(DATA / "doccano.jsonl", odd)
    summary = import_paths(project, [odd], fmt="doccano", add_labels=True)
    assert summary.errors == [] and summary.spans_added == 7


def test_label_studio_layers_mapping_relations_and_utf16_offsets(project: Project) -> None:
    summary = import_paths(project, [DATA / "labelstudio.json"])
    assert summary.errors == [], summary.errors
    assert summary.files[0].format == "labelstudio"
    assert summary.articles_added == 2
    first = article_ids(project)[0]
    spans = spans_for_article(project, first)
    got = {(sp.annotator, sp.label, sp.text) for sp in spans}
    assert got == {
        ("ana@example.org", "ATTRIBUTION", "Mayor 🏛️ Lind said"),
        ("ana@example.org", "CLAIM", "the budget 💶 was balanced"),
        ("ana@example.org", "EXPERT_OPINION", "Auditors disagree strongly"),
        ("5", "CLAIM", "the budget 💶 was balanced"),
    }  # the cancelled annotation (annotator 6) is not imported
    links = links_for_articles(project, [first])
    assert [(ln.type, ln.annotator) for ln in links] == [("SOURCE_OF", "ana@example.org")]
    with project.read() as s:
        art = s.get(Article, first)
        assert art is not None and art.title == "Budget row" and art.outlet is not None
        assert art.outlet.name == "Evening Post"


def test_label_studio_unknown_label_and_relation_type_need_a_decision(
    project: Project, tmp_path: Path
) -> None:
    tasks = json.loads((DATA / "labelstudio.json").read_text(encoding="utf-8"))
    result = tasks[0]["annotations"][0]["result"]
    result[0]["value"]["labels"] = ["Speaker"]
    result[3]["labels"] = []
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    summary = import_paths(project, [path])
    assert "'Speaker'" in summary.errors[0].message and n_spans(project) == 0
    summary = import_paths(project, [path], label_map={"Speaker": "Attribution"}, add_labels=True)
    assert summary.errors == []
    assert "RELATED" in [t.key for t in list_link_types(project)]
    again = import_paths(project, [path], label_map={"Speaker": "Attribution"}, add_labels=True)
    assert again.spans_added == 0 and again.links_added == 0 and again.spans_skipped == 4


def test_label_studio_text_that_fits_nowhere_is_an_error(project: Project, tmp_path: Path) -> None:
    tasks = json.loads((DATA / "labelstudio.json").read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"][1]["value"]["text"] = "something else"
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    summary = import_paths(project, [path])
    assert "does not match" in summary.errors[0].message
    assert article_ids(project) == []
