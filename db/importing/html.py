"""HTML articles: text and metadata extracted with trafilatura from the string (nothing fetched, no script run)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from db.errors import ImportFormatError
from db.importing.parsed import ParsedArticle
from db.importing.source import read_text

#: Pages larger than this are refused: an article page is far smaller, and the parser is not streaming.
MAX_HTML_CHARS = 10 * 1024 * 1024
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)


def parse_html(path: Path, *, outlet: str | None = None) -> list[ParsedArticle]:
    html = read_text(path)
    if len(html) > MAX_HTML_CHARS:
        raise ImportFormatError(
            path, f"the page is too large to be an article ({len(html) // 1_000_000} million characters)"
        )
    if _ENTITY_DECL.search(html):
        raise ImportFormatError(
            path, "the page declares XML entities; Newsmark does not expand them (refused for safety)"
        )
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_images=False
        )
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ImportFormatError(path, f"cannot read the page ({type(exc).__name__})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ImportFormatError(path, "no article text found in the page")
    published = None
    raw_date = getattr(doc, "date", None)
    if raw_date:
        try:
            published = dt.date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            published = None
    return [
        ParsedArticle(
            text=text,
            title=(getattr(doc, "title", None) or "").strip(),
            outlet=outlet or getattr(doc, "sitename", None) or None,
            author=getattr(doc, "author", None) or None,
            published=published,
            url=getattr(doc, "url", None) or None,
            source_file=str(path),
        )
    ]
