"""Export options a user picks: layer, filters, format choice, cancel, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from db.errors import NewsmarkError, NotFoundError
from db.exporting import ExportCancelled, export
from db.models import Annotator, ArticleReview
from db.project import Project
from desktop.cli import main
from tests.test_export_formats import Corpus, build_corpus, read_jsonl


@pytest.fixture
def corpus(project: Project) -> Corpus:
    return build_corpus(project)


def titles_and_layers(path: Path) -> list[tuple[str, str | None]]:
    return sorted(((x["meta"]["title"], x["_annotator_id"]) for x in read_jsonl(path)), key=str)


def test_gold_exports_only_the_gold_layer(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    summary = export(corpus.project, out, gold=True)
    assert titles_and_layers(out) == [("Talks end", "gold")]
    assert summary.spans == 1


def test_gold_without_a_gold_layer_is_a_user_error(project: Project, tmp_path: Path) -> None:
    with pytest.raises(NewsmarkError, match="no gold layer"):
        export(project, tmp_path / "g.jsonl", gold=True)
    assert not (tmp_path / "g.jsonl").exists()


def test_one_annotator_skips_articles_they_did_not_annotate(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "bob.jsonl"
    export(corpus.project, out, annotator="bob")
    assert titles_and_layers(out) == [("Talks end", "bob")]


def test_label_filter_keeps_only_those_spans(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "claims.jsonl"
    summary = export(corpus.project, out, labels=["CLAIM"])
    labels = {sp["label"] for line in read_jsonl(out) for sp in line["spans"]}
    assert labels == {"CLAIM"}
    assert summary.spans == 4  # alice x2, bob's partial, gold
    lines = read_jsonl(out)
    alice_a = next(x for x in lines if x["meta"]["title"] == "Talks end" and x["_annotator_id"] == "alice")
    assert alice_a["relations"] == []  # the ATTRIBUTION end of SOURCE_OF is filtered out
    # the link still touches the exported CLAIM, so it is listed with both ends' ids
    assert [link["type"] for link in alice_a["links"]] == ["SOURCE_OF", "SAME_CLAIM"]


def test_outlet_story_and_date_filters(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    export(corpus.project, out, outlets=["Civic Wire"])
    assert {t for t, _ in titles_and_layers(out)} == {"Echo", "Quiet"}
    export(corpus.project, out, stories=["Strait talks"], annotator="alice")
    assert {t for t, _ in titles_and_layers(out)} == {"Talks end", "Echo"}
    export(corpus.project, out, since=dt.date(2024, 3, 2))
    assert {t for t, _ in titles_and_layers(out)} == {"Echo"}
    export(corpus.project, out, until=dt.date(2024, 3, 1))
    assert {t for t, _ in titles_and_layers(out)} == {"Talks end", "Quiet"}
    export(corpus.project, out, outlets=["Civic Wire"], since=dt.date(2024, 1, 1))
    assert {t for t, _ in titles_and_layers(out)} == {"Echo"}


def test_reviewed_only(corpus: Corpus, tmp_path: Path) -> None:
    with corpus.project.write() as s:
        gold = s.query(Annotator).filter_by(name="gold").one()
        s.add(ArticleReview(article_id=corpus.b, reviewer_id=gold.id))
    out = tmp_path / "r.jsonl"
    export(corpus.project, out, reviewed=True)
    assert titles_and_layers(out) == [("Echo", "alice")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"annotator": "zed"}, "no annotator 'zed'"),
        ({"labels": ["RUMOUR"]}, "no label 'RUMOUR'"),
        ({"outlets": ["Daily Nowhere"]}, "no outlet 'Daily Nowhere'"),
        ({"stories": ["Moon"]}, "no story 'Moon'"),
    ],
)
def test_unknown_names_are_user_errors(corpus: Corpus, tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(NotFoundError, match=message):
        export(corpus.project, tmp_path / "x.jsonl", **kwargs)


def test_format_comes_from_the_extension_or_must_be_given(corpus: Corpus, tmp_path: Path) -> None:
    with pytest.raises(NewsmarkError, match="labelstudio or --format w3c"):
        export(corpus.project, tmp_path / "out.json")
    with pytest.raises(NewsmarkError, match="cannot tell the format"):
        export(corpus.project, tmp_path / "out.xml")
    with pytest.raises(NewsmarkError, match="only for the spaCy format"):
        export(corpus.project, tmp_path / "out.jsonl", split=0.5)
    summary = export(corpus.project, tmp_path / "out.json", fmt="w3c")
    assert summary.format == "w3c" and isinstance(
        json.loads((tmp_path / "out.json").read_text("utf-8")), list
    )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("o.jsonl", None),
        ("o.spacy", None),
        ("o.csv", None),
        ("o.json", "labelstudio"),
        ("o.json", "w3c"),
        ("d.jsonl", "doccano"),
    ],
)
def test_cancel_leaves_no_file_and_keeps_the_old_one(
    corpus: Corpus, tmp_path: Path, name: str, fmt: str | None
) -> None:
    out = tmp_path / name
    out.write_bytes(b"previous export")
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2  # after two records have been written

    with pytest.raises(ExportCancelled):
        export(corpus.project, out, fmt=fmt, cancel=cancel)
    assert out.read_bytes() == b"previous export"
    assert sorted(
        p.name
        for p in tmp_path.iterdir()
        if p.name != "test.newsmark" and not p.name.startswith("test.newsmark")
    ) == [name]


def test_a_failure_mid_export_removes_the_temporary_file(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"

    def progress(done: int, total: int) -> None:
        if done:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        export(corpus.project, out, progress=progress, batch_size=1)
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".o.jsonl")] == []
    assert not out.exists()


def test_progress_counts_articles_up_to_the_total(corpus: Corpus, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export(corpus.project, tmp_path / "o.jsonl", progress=lambda d, t: seen.append((d, t)), batch_size=2)
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# --- CLI --------------------------------------------------------------------------------------


def test_cli_exports_and_prints_the_summary(
    corpus: Corpus, project_path: Path, tmp_path: Path, capsys
) -> None:
    corpus.project.close()
    out = tmp_path / "cli.jsonl"
    rc = main(
        [
            "export",
            str(project_path),
            str(out),
            "--annotator",
            "alice",
            "--label",
            "CLAIM",
            "--outlet",
            "Civic Wire",
        ]
    )
    assert rc == 0
    printed = capsys.readouterr().out
    assert "1 article" in printed and "1 span" in printed and str(out) in printed
    (line,) = read_jsonl(out)
    assert line["meta"]["title"] == "Echo"
    rc = main(["export", str(project_path), str(tmp_path / "split.spacy"), "--split", "0.5", "--seed", "2"])
    assert rc == 0 and (tmp_path / "split-train.spacy").exists() and (tmp_path / "split-dev.spacy").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--annotator", "zed"], "no annotator 'zed'"),
        (["--format", "w3c", "--since", "2024-05-01", "--until", "2024-01-01"], "is after"),
    ],
)
def test_cli_user_errors_are_one_line_and_exit_1(
    corpus: Corpus, project_path: Path, tmp_path: Path, capsys, extra: list[str], message: str
) -> None:
    corpus.project.close()
    rc = main(["export", str(project_path), str(tmp_path / "x.jsonl"), *extra])
    err = capsys.readouterr().err
    assert rc == 1 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.jsonl").exists()


def test_cli_refuses_a_missing_project_without_creating_it(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "missing.newsmark"
    rc = main(["export", str(missing), str(tmp_path / "x.jsonl")])
    assert rc == 1 and "no such project" in capsys.readouterr().err
    assert not missing.exists()


def test_cli_rejects_a_bad_date(project_path: Path, tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", str(project_path), str(tmp_path / "x.jsonl"), "--since", "last week"])
    assert exc.value.code == 1 and "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "w3c", "labelstudio"])
def test_batch_boundaries_change_nothing(corpus: Corpus, tmp_path: Path, fmt: str) -> None:
    """Articles are read a batch at a time; a link between two batches is still written in full."""
    suffix = {"jsonl": ".jsonl", "csv": ".csv"}.get(fmt, ".json")
    whole, one_by_one = tmp_path / f"whole{suffix}", tmp_path / f"single{suffix}"
    a = export(corpus.project, whole, fmt=fmt)
    b = export(corpus.project, one_by_one, fmt=fmt, batch_size=1)
    assert whole.read_bytes() == one_by_one.read_bytes()
    assert (a.records, a.spans, a.links) == (b.records, b.spans, b.links)


def test_export_into_a_missing_folder_is_a_user_error(corpus: Corpus, tmp_path: Path) -> None:
    with pytest.raises(NewsmarkError, match="no such folder"):
        export(corpus.project, tmp_path / "nowhere" / "out.jsonl")
    with pytest.raises(NewsmarkError, match="is a folder"):
        export(corpus.project, tmp_path, fmt="jsonl")


def test_without_the_token_cache_the_project_is_not_written(corpus: Corpus, tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from db.exporting import clear_token_cache
    from db.models import ArticleTokens

    def cached() -> int:
        with corpus.project.read() as s:
            return int(s.scalar(select(func.count()).select_from(ArticleTokens)) or 0)

    one, two = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    export(corpus.project, one, cache_tokens=False)
    assert cached() == 0
    export(corpus.project, two)
    assert cached() == 3 and one.read_bytes() == two.read_bytes()
    assert clear_token_cache(corpus.project) == 3 and cached() == 0


def test_warming_the_token_cache_covers_every_article_once(corpus: Corpus, tmp_path: Path) -> None:
    from db.exporting import warm_token_cache

    assert warm_token_cache(corpus.project) == 3
    assert warm_token_cache(corpus.project) == 0  # nothing left to tokenize
    out = tmp_path / "o.jsonl"
    export(corpus.project, out)
    assert all(line["tokens"] for line in read_jsonl(out))
