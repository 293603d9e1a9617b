"""Files that cannot be imported: a clear message with file and line, nothing of the file stored."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.importing import import_paths, source
from db.models import Article, Link, Span
from db.project import Project

GOOD = {"text": "The mayor said taxes will fall.", "spans": [{"start": 15, "end": 30, "label": "CLAIM"}]}
TEXT = "Officials said the road is open."


def counts(project: Project) -> tuple[int, ...]:
    with project.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) or 0 for t in (Article, Span, Link))


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")


def span(start: object, end: object, **extra: object) -> dict[str, object]:
    return {"text": TEXT, "spans": [{"start": start, "end": end, "label": "CLAIM", **extra}]}


BAD_FILES = {
    "utf16": ("a.txt", codecs.BOM_UTF16_LE + "Hello world".encode("utf-16-le"), None, "UTF-16, not UTF-8"),
    "utf16-no-bom": ("a.txt", "Hello world, a text".encode("utf-16-le"), None, "UTF-16"),
    "latin1": ("a.txt", "Caf\xe9 ouvert\nsecond line".encode("latin-1"), 1, "not valid UTF-8"),
    "binary": ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "binary file"),
    "empty": ("a.txt", b"", None, "empty"),
    "blank-jsonl": ("a.jsonl", b"\n  \n", None, "empty"),
    "bad-json": ("a.jsonl", jsonl(GOOD) + b'{"text": "x", \n', 2, "not valid JSON"),
    "not-object": ("a.jsonl", jsonl(GOOD, [1, 2]), 2, "must be a JSON object"),
    "no-text": ("a.jsonl", jsonl(GOOD, {"spans": []}), 2, 'no "text"'),
    "negative": ("a.jsonl", jsonl(GOOD, span(-1, 4)), 2, "cannot start before the text"),
    "reversed": ("a.jsonl", jsonl(GOOD, span(9, 4)), 2, "must end after it starts"),
    "beyond": ("a.jsonl", jsonl(GOOD, span(3, 400)), 2, "cannot end at 400"),
    "float": ("a.jsonl", jsonl(GOOD, span(1.5, 4)), 2, "whole number"),
    "string": ("a.jsonl", jsonl(GOOD, span("1", 4)), 2, "whole number"),
    "bool": ("a.jsonl", jsonl(GOOD, span(True, 4)), 2, "whole number"),
    "nan": (
        "a.jsonl",
        jsonl(GOOD) + b'{"text": "abc", "spans": [{"start": NaN, "end": 2, "label": "CLAIM"}]}\n',
        2,
        "NaN",
    ),
    "text-mismatch": ("a.jsonl", jsonl(GOOD, span(0, 9, text="Somebody")), 2, "does not match"),
    "duplicate-ids": (
        "a.jsonl",
        jsonl(
            {**span(0, 9), "spans": [{"id": "s-1", "start": 0, "end": 9, "label": "CLAIM"}]},
            {**span(10, 14), "spans": [{"id": "s-1", "start": 10, "end": 14, "label": "FACT"}]},
        ),
        2,
        "used twice",
    ),
    "deep": ("a.jsonl", jsonl(GOOD) + b"[" * 100_000 + b"]" * 100_000 + b"\n", 2, "nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_reported_with_its_line_and_nothing_of_it_is_kept(
    project: Project, tmp_path: Path, case: str
) -> None:
    name, data, line, fragment = BAD_FILES[case]
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "z-good.jsonl"
    good.write_bytes(
        jsonl({"text": "A different article, fine.", "spans": [{"start": 0, "end": 11, "label": "FACT"}]})
    )
    before = counts(project)
    summary = import_paths(project, [bad, good])
    (issue,) = summary.errors
    assert issue.path == str(bad)
    assert fragment in issue.message
    assert issue.line == line
    # the good file still went in, and only it
    assert counts(project) == (before[0] + 1, before[1] + 1, before[2])
    assert summary.files[1].ok and summary.files[1].spans_added == 1


def test_a_line_over_the_size_limit_is_refused(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "big.jsonl"
    path.write_bytes(jsonl(GOOD, {"text": "x" * 5000}))
    summary = import_paths(project, [path])
    assert summary.errors[0].line == 2 and "longer than" in summary.errors[0].message
    assert counts(project) == (0, 0, 0)


def test_a_link_joining_a_span_to_itself_fails_the_whole_file(project: Project, tmp_path: Path) -> None:
    record = {
        "text": TEXT,
        "spans": [{"id": "s-a", "start": 0, "end": 9, "label": "ATTRIBUTION"}],
        "links": [
            {"id": "l-a", "type": "SUPPORTS", "source": {"span_id": "s-a"}, "target": {"span_id": "s-a"}}
        ],
    }
    path = tmp_path / "self.jsonl"
    path.write_bytes(jsonl(GOOD, record))
    summary = import_paths(project, [path])
    assert "to itself" in summary.errors[0].message and summary.errors[0].line == 2
    assert counts(project) == (0, 0, 0)


def test_a_link_to_a_span_nobody_has_is_reported_not_dropped_silently(
    project: Project, tmp_path: Path
) -> None:
    record = {
        "text": TEXT,
        "spans": [{"id": "s-a", "start": 0, "end": 9, "label": "ATTRIBUTION"}],
        "links": [
            {
                "id": "l-a",
                "type": "SUPPORTS",
                "source": {"span_id": "s-a"},
                "target": {"article_id": "zz", "span_id": "s-gone"},
            }
        ],
    }
    path = tmp_path / "dangling.jsonl"
    path.write_bytes(jsonl(record))
    summary = import_paths(project, [path])
    assert summary.errors == []
    assert summary.files[0].links_added == 0
    assert "1 link(s) not imported" in summary.files[0].warnings[0]


def test_a_missing_path_and_an_unsupported_extension_are_errors(project: Project, tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    summary = import_paths(project, [tmp_path / "nope.txt", tmp_path / "notes.docx"])
    messages = [e.message for e in summary.errors]
    assert "no such file" in messages[0] and "cannot import .docx" in messages[1]
