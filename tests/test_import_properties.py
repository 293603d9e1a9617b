"""Property tests for every importer: whatever the bytes, no crash and no partial import.

A file is either imported whole (every article of it present) or refused with a message naming
it, and then nothing of it is in the project.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.importing import import_paths
from db.models import Article, Link, Span
from db.project import open_project

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
words = st.text(alphabet=st.sampled_from(list("ab ,.😀\u0301\r\nשל")), min_size=1, max_size=60)


def _doccano_record(draw: st.DrawFn) -> dict:
    text = draw(words)
    n = len(text)
    ents = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "start_offset": st.integers(-2, n + 2) | st.text(max_size=2),
                    "end_offset": st.integers(-2, n + 2),
                    "label": st.sampled_from(["CLAIM", "Fact", "expert opinion", 3]),
                }
            ),
            max_size=3,
        )
    )
    return {"text": text, "entities": ents}


doccano_records = st.composite(_doccano_record)()


def _ls_task(draw: st.DrawFn) -> dict:
    text = draw(words)
    n = len(text)
    results = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.text(alphabet="abc", min_size=1, max_size=3),
                    "type": st.just("labels"),
                    "from_name": st.just("label"),
                    "to_name": st.just("text"),
                    "value": st.fixed_dictionaries(
                        {
                            "start": st.integers(-1, n + 1),
                            "end": st.integers(-1, n + 1),
                            "labels": st.just(["CLAIM"]),
                        }
                    ),
                }
            ),
            max_size=3,
        )
    )
    return {"data": {"text": text}, "annotations": [{"result": results}]}


ls_tasks = st.composite(_ls_task)()


@pytest.fixture
def fresh(_template_project: Path, tmp_path_factory: pytest.TempPathFactory):
    """A factory of fresh projects (hypothesis runs many examples in one test)."""
    made = []

    def make():
        folder = tmp_path_factory.mktemp("prop")
        path = folder / "p.newsmark"
        shutil.copyfile(_template_project, path)
        project = open_project(path)
        made.append(project)
        return project, folder

    yield make
    for p in made:
        p.close()


def _counts(project) -> tuple[int, int, int]:
    with project.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) or 0 for t in (Article, Span, Link))


def _check(project, path: Path, expected_articles: int | None = None) -> None:
    summary = import_paths(project, [path], add_labels=True)
    counts = _counts(project)
    if summary.errors:
        assert path.name in str(summary.errors[0])
        assert counts == (0, 0, 0), "a refused file left rows behind"
    elif expected_articles is not None:
        assert counts[0] == expected_articles


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json"]))
def test_arbitrary_bytes_never_crash_nor_import_partially(fresh, data: bytes, suffix: str) -> None:
    project, folder = fresh()
    path = folder / f"random{suffix}"
    path.write_bytes(data)
    _check(project, path)


@SETTINGS
@given(text=st.text(max_size=400))
def test_any_text_file_imports_whole_with_its_exact_text(fresh, text: str) -> None:
    project, folder = fresh()
    path = folder / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    summary = import_paths(project, [path])
    if summary.errors:
        assert "a.txt" in str(summary.errors[0]) and _counts(project) == (0, 0, 0)
        return
    with project.read() as s:
        stored = s.scalar(select(Article.text))
    assert stored == text.lstrip("\ufeff")


@SETTINGS
@given(html=st.text(alphabet=st.sampled_from(list("<>/ap =\"'&;!-hbody1é😀\n")), max_size=300))
def test_any_html_never_crashes(fresh, html: str) -> None:
    project, folder = fresh()
    path = folder / "page.html"
    path.write_text(f"<html><body><p>{html}</p></body></html>", encoding="utf-8")
    _check(project, path)


@SETTINGS
@given(records=st.lists(doccano_records | json_values, min_size=1, max_size=4))
def test_doccano_like_records_import_whole_or_not_at_all(fresh, records: list) -> None:
    project, folder = fresh()
    path = folder / "doccano.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    _check(project, path)


@SETTINGS
@given(tasks=st.lists(ls_tasks, min_size=1, max_size=3) | json_values)
def test_label_studio_like_files_import_whole_or_not_at_all(fresh, tasks: object) -> None:
    project, folder = fresh()
    path = folder / "tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    _check(project, path)
