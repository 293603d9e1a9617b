"""Round trips: export, import into an empty project with ``db.importing.import_paths``, and find the
same articles, spans and links (what each format can hold)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from db.exporting import export
from db.importing import import_paths
from db.models import Annotator, Article, Label, Link, LinkType, Outlet, Span, Story
from db.project import Project, open_project
from tests.test_export_formats import Corpus, build_corpus


@pytest.fixture
def corpus(project: Project) -> Corpus:
    return build_corpus(project)


@pytest.fixture
def empty(tmp_path: Path):  # type: ignore[no-untyped-def]
    target = open_project(tmp_path / "target.newsmark")
    yield target
    target.close()


def articles_of(project: Project) -> set[tuple]:
    with project.read() as s:
        rows = s.execute(
            select(Article.uid, Article.text, Article.title, Outlet.name, Story.name)
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .outerjoin(Story, Article.story_id == Story.id)
        ).all()
    return {tuple(r) for r in rows}


def spans_of(project: Project, with_layer: bool = True) -> set[tuple]:
    with project.read() as s:
        rows = s.execute(
            select(Article.uid, Annotator.name, Label.key, Span.start, Span.end, Span.text, Span.note)
            .select_from(Span)
            .join(Article, Span.article_id == Article.id)
            .join(Annotator, Span.annotator_id == Annotator.id)
            .join(Label, Span.label_id == Label.id)
            .where(Span.status == "active")
        ).all()
    return {(r[0], r[1] if with_layer else None, *r[2:]) for r in rows}


def links_of(project: Project) -> set[tuple]:
    src, dst = aliased(Span), aliased(Span)
    sa, da = aliased(Article), aliased(Article)
    with project.read() as s:
        rows = s.execute(
            select(LinkType.key, sa.uid, src.start, src.end, da.uid, dst.start, dst.end)
            .select_from(Link)
            .join(LinkType, Link.type_id == LinkType.id)
            .join(src, Link.source_span_id == src.id)
            .join(dst, Link.target_span_id == dst.id)
            .join(sa, src.article_id == sa.id)
            .join(da, dst.article_id == da.id)
        ).all()
    return {tuple(r) for r in rows}


def test_newsmark_jsonl_round_trip_loses_nothing(corpus: Corpus, empty: Project, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    export(corpus.project, out)
    summary = import_paths(empty, [out])
    assert not any(f.error for f in summary.files), summary
    assert articles_of(empty) == articles_of(corpus.project)
    assert spans_of(empty) == spans_of(corpus.project)
    assert links_of(empty) == links_of(corpus.project)
    with corpus.project.read() as s:
        uids = set(s.scalars(select(Span.uid).where(Span.status == "active")))
    with empty.read() as s:
        assert set(s.scalars(select(Span.uid))) == uids  # span ids are stable


def test_doccano_round_trip_keeps_spans_and_in_article_links(
    corpus: Corpus, empty: Project, tmp_path: Path
) -> None:
    out = tmp_path / "alice.jsonl"
    export(corpus.project, out, fmt="doccano", annotator="alice")
    summary = import_paths(empty, [out], fmt="doccano", annotator="alice")
    assert not any(f.error for f in summary.files), summary
    with corpus.project.read() as s:
        alice_texts = {
            t
            for (t,) in s.execute(
                select(Article.text).join(Span).join(Annotator).where(Annotator.name == "alice")
            )
        }
    assert {text for _, text, *_ in articles_of(empty)} == alice_texts
    want = {(sp[0], None, *sp[2:6]) for sp in spans_of(corpus.project) if sp[1] == "alice"}
    assert {(sp[0], None, *sp[2:6]) for sp in spans_of(empty)} == want
    in_article = {link for link in links_of(corpus.project) if link[1] == link[4]}
    assert links_of(empty) == in_article


def test_labelstudio_round_trip_keeps_spans_and_relations(
    corpus: Corpus, empty: Project, tmp_path: Path
) -> None:
    out = tmp_path / "alice.json"
    export(corpus.project, out, fmt="labelstudio", annotator="alice")
    summary = import_paths(empty, [out], fmt="labelstudio", annotator="alice")
    assert not any(f.error for f in summary.files), summary
    want = {(sp[0], None, *sp[2:6]) for sp in spans_of(corpus.project) if sp[1] == "alice"}
    assert {(sp[0], None, *sp[2:6]) for sp in spans_of(empty)} == want
    in_article = {link for link in links_of(corpus.project) if link[1] == link[4]}
    assert links_of(empty) == in_article


def test_labelstudio_round_trip_keeps_span_notes(corpus: Corpus, empty: Project, tmp_path: Path) -> None:
    out = tmp_path / "alice.json"
    export(corpus.project, out, fmt="labelstudio", annotator="alice")
    import_paths(empty, [out], fmt="labelstudio", annotator="alice")
    assert {sp[6] for sp in spans_of(empty)} == {None, "main claim, «quoted»"}
