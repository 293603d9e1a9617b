"""Checks on parsed records before anything is written: offsets, covered text, unique ids."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from db.errors import ImportFormatError, InvalidSpanError
from db.importing.parsed import ParsedArticle
from db.models import Article
from db.spans import check_offsets
from db.text import article_uid, text_sha256


def _why(article: ParsedArticle, start: Any, end: Any, text: str | None) -> str:
    """check_offsets' own sentence for a span that failed the fast checks."""
    shim = SimpleNamespace(
        text=article.text,
        n_chars=len(article.text),
        uid=article.article_uid or article_uid(text_sha256(article.text)),
    )
    try:
        check_offsets(cast(Article, shim), start, end, text)
    except InvalidSpanError as exc:
        return str(exc)
    return "the span does not fit its article"  # pragma: no cover - the fast checks and check_offsets agree


def validate(path: Path, articles: list[ParsedArticle]) -> None:
    """Raise ImportFormatError (with the record's line) for the first thing that does not fit."""
    seen_uids: dict[str, int | None] = {}
    for article in articles:
        text = article.text
        if not isinstance(text, str) or not text:
            raise ImportFormatError(path, "the article has no text", article.line)
        n = len(text)
        for span in article.spans:
            start, end, covered = span.start, span.end, span.text
            if (
                type(start) is not int
                or type(end) is not int
                or start < 0
                or end <= start
                or end > n
                or (covered is not None and text[start:end] != covered)
            ):
                raise ImportFormatError(path, _why(article, start, end, covered), article.line)
            if not isinstance(span.label, str) or not span.label.strip():
                raise ImportFormatError(path, f"the span at {start}-{end} has no label", article.line)
            uid = span.uid
            if uid is not None:
                if uid in seen_uids:
                    first = seen_uids[uid]
                    also = f" (first used on line {first})" if first is not None else ""
                    raise ImportFormatError(
                        path, f"the span id {uid!r} is used twice in this file{also}", article.line
                    )
                seen_uids[uid] = article.line
