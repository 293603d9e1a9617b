"""The token cache filled ahead of the first export, and export order where spans start together."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from db.exporting import export, warm_token_cache
from db.models import ArticleTokens
from db.project import Project
from db.spans import add_span
from tests.test_export_formats import TEXT_A, Corpus, build_corpus, read_jsonl


@pytest.fixture
def corpus(project: Project) -> Corpus:
    return build_corpus(project)


def cached(project: Project) -> int:
    with project.read() as s:
        return int(s.scalar(select(func.count()).select_from(ArticleTokens)) or 0)


def test_warming_stops_when_cancelled_and_goes_on_where_it_stopped(corpus: Corpus, tmp_path: Path) -> None:
    assert warm_token_cache(corpus.project, lambda: True) == 0
    assert cached(corpus.project) == 0
    answers = iter([False, True])  # one batch of one article, then the user closes the project
    assert warm_token_cache(corpus.project, lambda: next(answers), batch=1) == 1
    assert cached(corpus.project) == 1
    assert warm_token_cache(corpus.project, lambda: False, batch=1) == 2
    assert warm_token_cache(corpus.project, lambda: False) == 0  # nothing left: returns at once
    assert cached(corpus.project) == 3
    warm, fresh = tmp_path / "warm.jsonl", tmp_path / "fresh.jsonl"
    export(corpus.project, warm)
    export(corpus.project, fresh, cache_tokens=False)  # the cache rows give the same file
    assert warm.read_bytes() == fresh.read_bytes()


def test_warming_a_project_that_cannot_be_written_stops_and_changes_nothing(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    @contextlib.contextmanager
    def read_only(self: Project) -> Iterator[Any]:
        raise OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))
        yield

    with monkeypatch.context() as m:
        m.setattr(Project, "write", read_only)
        assert warm_token_cache(corpus.project, lambda: False, batch=1) == 0
    assert cached(corpus.project) == 0
    out = tmp_path / "o.jsonl"
    export(corpus.project, out)  # tokens computed then; the export is whole
    assert all(line["tokens"] for line in read_jsonl(out))


def test_maintenance_warms_the_token_cache_after_a_project_opens(corpus: Corpus) -> None:
    from desktop.maintenance import start_maintenance, tasks

    assert "Tokenizing articles for export" in [name for name, _task in tasks()]

    class Job:
        def __init__(self, cancelled: bool) -> None:
            self.cancelled = cancelled

        def is_cancelled(self) -> bool:
            return self.cancelled

    class Runner:  # runs the job at once, on this thread
        def __init__(self, cancelled: bool) -> None:
            self.cancelled = cancelled

        def start(self, project: Project, work: Any, name: str) -> str:
            work(project, Job(self.cancelled))
            return name

    start_maintenance(Runner(cancelled=True), corpus.project)
    assert cached(corpus.project) == 0  # closed at once: nothing done, nothing broken
    start_maintenance(Runner(cancelled=False), corpus.project)
    assert cached(corpus.project) == 3


def test_spans_that_start_together_export_longest_first(project: Project, tmp_path: Path) -> None:
    from db.articles import add_article

    with project.write() as s:
        article, _ = add_article(s, TEXT_A, title="Talks end")
        article_id = article.id
    start = TEXT_A.index("the talks")
    short = add_span(project, article_id, start, start + len("the talks"), "CLAIM", "alice").uid
    long = add_span(project, article_id, start, start + len("the talks were over"), "FACT", "alice").uid
    first = add_span(project, article_id, 0, len("Blinken"), "ATTRIBUTION", "alice").uid
    out = tmp_path / "o.jsonl"
    export(project, out)
    (line,) = read_jsonl(out)
    assert [sp["id"] for sp in line["spans"]] == [first, long, short]
    sheet = tmp_path / "o.csv"
    export(project, sheet)
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        assert [row["span_id"] for row in csv.DictReader(fh)] == [first, long, short]


def test_token_json_is_what_a_json_encoder_writes_for_every_kind_of_character() -> None:
    import orjson

    from db.exporting.tokens import compute_tokens

    texts = [
        'He said "no" \\ then left.\r\n\n\tTab\x00\x01\x1f\x7f ctrl, cafe\u0301 🚀 «quoted» \u2028 \u2029 end',
        "",
        "   ",
        "\n\n",
    ]
    for text, toks in zip(texts, compute_tokens(texts), strict=True):
        tokens = orjson.loads(toks.tokens_json)
        assert [t["text"] for t in tokens] == [text[s:e] for s, e in zip(toks.starts, toks.ends, strict=True)]
        assert [(t["start"], t["end"], t["id"]) for t in tokens] == [
            (s, e, i) for i, (s, e) in enumerate(zip(toks.starts, toks.ends, strict=True))
        ]
        assert all(isinstance(t["ws"], bool) for t in tokens)
        assert toks.tokens_json == orjson.dumps(tokens)  # compact, as before
    spaced = orjson.loads(compute_tokens(["a b"])[0].tokens_json)
    assert [t["ws"] for t in spaced] == [True, False]


def test_cli_import_can_tokenize_for_export_right_away(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from db.project import open_project
    from desktop.cli import main

    demo = Path(__file__).parent / "data" / "import" / "ledger.txt"
    plain, ready = tmp_path / "plain.newsmark", tmp_path / "ready.newsmark"
    assert main(["import", str(plain), str(demo)]) == 0
    assert "tokenized" not in capsys.readouterr().out  # not unless asked: an import stays an import
    assert main(["import", str(ready), str(demo), "--tokenize"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2].startswith("total: 1 file(s) imported") and out[-1] == "tokenized 1 article(s) for export"
    for path, rows in ((plain, 0), (ready, 1)):
        with open_project(path, create=False) as project:
            assert cached(project) == rows
