"""Spans of the top of an article: what a reader needs for its first screen, before the rest."""

from __future__ import annotations

from collections.abc import Iterable

from db.models import Annotator, Span
from db.project import Project
from db.records import SpanRecord
from db.spans import _span_row_select


def spans_starting_before(
    project: Project,
    article_id: int,
    offset: int,
    annotators: Iterable[str] | None = None,
    include_rejected: bool = False,
) -> list[SpanRecord]:
    """The article's spans that start before ``offset``, in reading order (like ``spans_for_article``).

    Every span that shows in the text up to ``offset`` starts before it, so a view can paint the
    opening of a long article from this and load the rest a moment later."""
    query = _span_row_select().where(Span.article_id == article_id, Span.start < offset)
    if annotators is not None:
        query = query.where(Annotator.name.in_(list(annotators)))
    if not include_rejected:
        query = query.where(Span.status == "active")
    query = query.order_by(Span.start, Span.end.desc(), Span.id)
    with project.read() as s:
        return [SpanRecord(*row) for row in s.execute(query)]
