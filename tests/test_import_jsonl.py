"""Our JSONL format: full and minimal records, ids kept, links across articles, idempotent re-import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from db.importing import import_paths
from db.models import Annotator, Article, Label, Link, Span
from db.project import Project
from db.resources import resource
from db.spans import spans_for_article

DEMO = resource("demo", "demo.jsonl")


def counts(project: Project) -> tuple[int, int, int, int]:
    with project.read() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(t)) or 0 for t in (Article, Span, Link, Label)
        )


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_demo_file_imports_with_its_ids_layers_and_cross_article_links(project: Project) -> None:
    records = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    summary = import_paths(project, [DEMO])
    assert summary.errors == []
    n_spans = sum(len(r["spans"]) for r in records)
    link_ids = {ln["id"] for r in records for ln in r["links"]}
    assert (summary.articles_added, summary.spans_added, summary.links_added) == (
        len(records),
        n_spans,
        len(link_ids),
    )
    with project.read() as s:
        stored_span_uids = set(s.scalars(select(Span.uid)))
        stored_link_uids = set(s.scalars(select(Link.uid)))
        assert set(s.scalars(select(Annotator.name))) == {"demo"}
        # a link whose two spans lie in different articles survived with both ends
        src, dst = aliased(Span), aliased(Span)
        cross = s.execute(
            select(Link.uid)
            .join(src, Link.source_span_id == src.id)
            .join(dst, Link.target_span_id == dst.id)
            .where(src.article_id != dst.article_id)
        ).all()
        article_uids = set(s.scalars(select(Article.uid)))
    assert stored_span_uids == {sp["id"] for r in records for sp in r["spans"]}
    assert stored_link_uids == link_ids
    assert article_uids == {r["meta"]["article_id"] for r in records}
    assert len(cross) >= 3


def test_importing_the_same_file_twice_changes_nothing(project: Project) -> None:
    import_paths(project, [DEMO])
    before = counts(project)
    again = import_paths(project, [DEMO])
    assert counts(project) == before
    assert again.articles_added == 0 and again.spans_added == 0 and again.links_added == 0
    assert again.articles_present == 5 and again.spans_skipped == before[1]


def test_minimal_records_go_to_the_given_annotator_and_the_file_annotator_wins(
    project: Project, tmp_path: Path
) -> None:
    text = "Officials said the bridge is safe. It is not."
    path = write_jsonl(
        tmp_path / "minimal.jsonl",
        [
            {
                "text": text,
                "meta": {"outlet": "Harbor Times"},
                "spans": [{"start": 0, "end": 14, "label": "ATTRIBUTION"}],
            },
            {"text": text, "_annotator_id": "bea", "spans": [{"start": 15, "end": 33, "label": "CLAIM"}]},
            {"text": "Another article entirely.", "spans": [{"start": 0, "end": 7, "label": "FACT"}]},
        ],
    )
    summary = import_paths(project, [path], annotator="alice")
    assert summary.errors == []
    assert summary.articles_added == 2  # the same text twice is one article with two layers
    with project.read() as s:
        art = s.scalar(select(Article).where(Article.text == text))
        assert art is not None and art.outlet is not None and art.outlet.name == "Harbor Times"
        art_id = art.id
    layers = {(sp.annotator, sp.label, sp.text) for sp in spans_for_article(project, art_id)}
    assert layers == {("alice", "ATTRIBUTION", "Officials said"), ("bea", "CLAIM", "the bridge is safe")}
    other = import_paths(
        project,
        [
            write_jsonl(
                tmp_path / "b.jsonl",
                [{"text": "Plain one.", "spans": [{"start": 0, "end": 5, "label": "FACT"}]}],
            )
        ],
    )
    assert other.errors == []
    with project.read() as s:
        assert s.scalar(select(Annotator.id).where(Annotator.name == "imported")) is not None


def test_unknown_label_keys_are_added_to_the_schema_and_reported(project: Project, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "x.jsonl",
        [{"text": "Rumour has it.", "spans": [{"start": 0, "end": 6, "label": "RUMOUR"}]}],
    )
    summary = import_paths(project, [path])
    assert summary.errors == [] and summary.labels_added == ["RUMOUR"]
    with project.read() as s:
        assert s.scalar(select(Label.key).where(Label.key == "RUMOUR")) == "RUMOUR"


def test_offsets_stay_exact_with_crlf_emoji_and_combining_marks(project: Project, tmp_path: Path) -> None:
    text = "Caf\u0065\u0301 owner said:\r\n\U0001f525 \u201cprices rise\u201d\r\nZoe\u0308 denied it 👩‍👩‍👧."
    start = text.index("\U0001f525")
    end = text.index("\u201d") + 1
    start2 = text.index("Zoe")
    path = write_jsonl(
        tmp_path / "u.jsonl",
        [
            {
                "text": text,
                "spans": [
                    {"start": start, "end": end, "label": "CLAIM", "text": text[start:end]},
                    {"start": start2, "end": len(text) - 1, "label": "FACT", "text": text[start2:-1]},
                ],
            }
        ],
    )
    assert import_paths(project, [path]).errors == []
    with project.read() as s:
        art = s.scalars(select(Article)).one()
        assert art.text == text and "\r\n" in art.text
        art_id = art.id
    got = sorted((sp.start, sp.end, sp.text) for sp in spans_for_article(project, art_id))
    assert got == [(start, end, text[start:end]), (start2, len(text) - 1, text[start2:-1])]


def test_links_to_a_later_record_are_resolved_and_relations_used_without_links(
    project: Project, tmp_path: Path
) -> None:
    a, b = "The ministry said two missiles fell.", "Three missiles fell, the navy said."
    path = write_jsonl(
        tmp_path / "l.jsonl",
        [
            {
                "text": a,
                "meta": {"article_id": "aaa"},
                "spans": [{"id": "s-a1", "start": 18, "end": 35, "label": "CLAIM"}],
                "links": [
                    {
                        "id": "l-1",
                        "type": "CONTRADICTS",
                        "source": {"article_id": "aaa", "span_id": "s-a1"},
                        "target": {"article_id": "bbb", "span_id": "s-b1"},
                    }
                ],
            },
            {
                "text": b,
                "meta": {"article_id": "bbb"},
                "spans": [
                    {"id": "s-b1", "start": 0, "end": 19, "label": "CLAIM"},
                    {"start": 21, "end": 34, "label": "ATTRIBUTION"},
                ],
                "relations": [
                    {
                        "head": 0,
                        "child": 0,
                        "label": "SOURCE_OF",
                        "head_span": {"start": 21, "end": 34, "label": "ATTRIBUTION"},
                        "child_span": {"start": 0, "end": 19, "label": "CLAIM"},
                    }
                ],
            },
        ],
    )
    summary = import_paths(project, [path])
    assert summary.errors == [] and summary.links_added == 2
    with project.read() as s:
        rows = s.execute(
            select(Link.uid, Span.text).join(Span, Link.source_span_id == Span.id).order_by(Link.id)
        ).all()
    assert rows[0] == ("l-1", "two missiles fell")
    assert rows[1][1] == "the navy said"


# -- arbitrary records: never a crash, never half a file ---------------------------------------

_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 60), st.floats(allow_nan=True), st.text(max_size=8)
)
_span = st.fixed_dictionaries(
    {
        "start": _scalar,
        "end": _scalar,
        "label": st.one_of(st.sampled_from(["CLAIM", "FACT", "new label", ""]), _scalar),
    },
    optional={"id": st.one_of(st.sampled_from(["s-1", "s-2"]), _scalar), "text": _scalar},
)
_record = st.one_of(
    st.fixed_dictionaries(
        {"text": st.one_of(st.text(min_size=0, max_size=40), _scalar)},
        optional={
            "spans": st.one_of(st.lists(_span, max_size=4), _scalar),
            "meta": st.one_of(
                st.dictionaries(st.sampled_from(["title", "outlet", "published"]), _scalar), _scalar
            ),
        },
    ),
    st.lists(st.integers(), max_size=2),
    _scalar,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(_record, min_size=1, max_size=4))
def test_arbitrary_records_never_crash_and_never_import_partially(
    project: Project, tmp_path: Path, records: list[Any]
) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    before = counts(project)
    summary = import_paths(project, [path])
    after = counts(project)
    (result,) = summary.files
    if result.error is not None:
        assert after == before, result.error
        assert result.spans_added == 0 and result.articles_added == 0
    else:
        assert after[0] - before[0] == result.articles_added
        assert after[1] - before[1] == result.spans_added


@pytest.mark.sqlite_only
def test_a_backup_is_made_before_importing_into_a_project_that_holds_articles(project: Project) -> None:
    from db.project import list_backups

    assert project.path is not None
    first = import_paths(project, [DEMO])
    assert first.backup is None and list_backups(project.path) == []
    second = import_paths(project, [DEMO])
    backups = list_backups(project.path)
    assert second.backup is not None and [str(b) for b in backups] == [second.backup]
    assert ".before-import." in backups[0].name
