"""Plain, immutable records that the services return: safe to hand to another thread or to Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LabelRecord:
    id: int
    key: str
    name: str
    color: str
    shortcut: str | None
    definition: str
    position: int


@dataclass(frozen=True, slots=True)
class LinkTypeRecord:
    id: int
    key: str
    name: str
    color: str
    directed: bool
    definition: str
    position: int


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    id: int
    uid: str
    title: str
    outlet: str | None
    story: str | None
    author: str | None
    published: dt.date | None
    url: str | None
    source_file: str | None
    text: str


@dataclass(frozen=True, slots=True)
class SpanRecord:
    id: int
    uid: str
    article_id: int
    annotator: str
    label: str
    start: int
    end: int
    text: str
    note: str | None
    origin: str
    status: str


@dataclass(frozen=True, slots=True)
class LinkRecord:
    id: int
    uid: str
    type: str
    annotator: str
    source_span_id: int
    target_span_id: int
    source_article_id: int
    target_article_id: int
    note: str | None


@dataclass(frozen=True, slots=True)
class DeletedSpan:
    """Everything needed to put a deleted span back exactly as it was, links included (for undo)."""

    span: SpanRecord
    links: tuple[LinkRecord, ...]
