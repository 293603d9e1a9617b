"""What every parser produces: articles with their spans and links, before anything is stored.

Offsets are Python string indexes (code points) into ``ParsedArticle.text``, which is the text
exactly as it will be stored. Ids (``uid``) are the ones the file carries, or None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(slots=True)
class ParsedSpan:
    start: int
    end: int
    label: str
    text: str | None = None
    note: str | None = None
    uid: str | None = None
    annotator: str | None = None
    origin: str = "imported"


@dataclass(slots=True)
class ParsedLink:
    """A link between two spans named by the file's ids; a None article id means "this record"."""

    source_article_uid: str | None
    source_span_uid: str
    target_article_uid: str | None
    target_span_uid: str
    type: str
    note: str | None = None
    uid: str | None = None
    annotator: str | None = None


@dataclass(slots=True)
class ParsedArticle:
    text: str
    title: str = ""
    outlet: str | None = None
    story: str | None = None
    author: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source_file: str | None = None
    annotator: str | None = None
    spans: list[ParsedSpan] = field(default_factory=list)
    links: list[ParsedLink] = field(default_factory=list)
    #: 1-based line of the record in its file (JSONL), for error messages.
    line: int | None = None
    #: The article id the file gives this record (``meta.article_id``), which links refer to.
    article_uid: str | None = None
