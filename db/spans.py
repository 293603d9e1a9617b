"""Span services: every change an analyst makes to a span is one call and one committed transaction."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.annotators import ensure_annotator
from db.errors import InvalidSpanError, NewsmarkError, NotFoundError
from db.labels import label_by_key
from db.links import link_records, restore_links
from db.models import ORIGINS, Annotator, Article, Label, Link, Outlet, Span, Story, utcnow
from db.project import Project
from db.records import ArticleRecord, DeletedSpan, SpanRecord
from db.text import new_span_uid


def span_row_select(*tail: Any) -> Select[*tuple[Any, ...]]:
    """A span's columns with its annotator's name and label key, then ``tail``."""
    return (
        select(
            Span.id,
            Span.uid,
            Span.article_id,
            Annotator.name,
            Label.key,
            Span.start,
            Span.end,
            Span.text,
            Span.note,
            *tail,
        )
        .join(Annotator, Span.annotator_id == Annotator.id)
        .join(Label, Span.label_id == Label.id)
    )


def _span_row_select() -> Select[*tuple[Any, ...]]:
    return span_row_select(Span.origin, Span.status)


def span_record(session: Session, span: Span) -> SpanRecord:
    row = session.execute(_span_row_select().where(Span.id == span.id)).one()
    return SpanRecord(*row)


def check_offsets(article: Article, start: int, end: int, text: str | None = None) -> str:
    """The covered text, or InvalidSpanError saying what does not fit."""
    if (
        not isinstance(start, int)
        or not isinstance(end, int)
        or isinstance(start, bool)
        or isinstance(end, bool)
    ):
        raise InvalidSpanError(f"Span offsets must be whole numbers, got {start!r} and {end!r}.")
    if start < 0:
        raise InvalidSpanError(f"A span cannot start before the text (start {start}).")
    if end <= start:
        raise InvalidSpanError(f"A span must end after it starts (start {start}, end {end}).")
    if end > article.n_chars:
        raise InvalidSpanError(
            f"A span cannot end at {end}: the article {article.uid} has {article.n_chars} characters."
        )
    covered = article.text[start:end]
    if text is not None and text != covered:
        raise InvalidSpanError(
            f"Span text {text[:40]!r} does not match the article at {start}-{end} ({covered[:40]!r})."
        )
    return covered


def insert_span(
    session: Session,
    article: Article,
    annotator_id: int,
    label_id: int,
    start: int,
    end: int,
    *,
    text: str | None = None,
    note: str | None = None,
    origin: str = "manual",
    status: str = "active",
    uid: str | None = None,
) -> Span:
    covered = check_offsets(article, start, end, text)
    if origin not in ORIGINS:
        raise NewsmarkError(f"Unknown span origin {origin!r}.")
    span = Span(
        uid=uid or new_span_uid(),
        article_id=article.id,
        annotator_id=annotator_id,
        label_id=label_id,
        start=start,
        end=end,
        text=covered,
        note=note,
        origin=origin,
        status=status,
    )
    session.add(span)
    try:
        session.flush()
    except IntegrityError as exc:
        raise InvalidSpanError(f"The database refused the span: {exc.orig}") from exc
    return span


def add_span(
    project: Project,
    article_id: int,
    start: int,
    end: int,
    label: str,
    annotator: str,
    *,
    note: str | None = None,
    origin: str = "manual",
    uid: str | None = None,
) -> SpanRecord:
    """Add a span to ``annotator``'s layer. Overlapping and nested spans are allowed."""
    with project.write() as s:
        article = s.get(Article, article_id)
        if article is None:
            raise NotFoundError(f"There is no article {article_id} in this project.")
        who = ensure_annotator(s, annotator)
        span = insert_span(
            s, article, who.id, label_by_key(s, label).id, start, end, note=note, origin=origin, uid=uid
        )
        return span_record(s, span)


def _get_span(session: Session, span_id: int) -> Span:
    span = session.get(Span, span_id)
    if span is None:
        raise NotFoundError(f"There is no span {span_id} in this project (it may have been deleted).")
    return span


def get_span(project: Project, span_id: int) -> SpanRecord:
    with project.read() as s:
        return span_record(s, _get_span(s, span_id))


def relabel_span(project: Project, span_id: int, label: str) -> SpanRecord:
    with project.write() as s:
        span = _get_span(s, span_id)
        span.label_id = label_by_key(s, label).id
        span.updated_at = utcnow()
        s.flush()
        return span_record(s, span)


def move_span(project: Project, span_id: int, start: int, end: int) -> SpanRecord:
    """Move a span's boundaries; its covered text follows."""
    with project.write() as s:
        span = _get_span(s, span_id)
        article = s.get(Article, span.article_id)
        assert article is not None
        span.text = check_offsets(article, start, end)
        span.start, span.end = start, end
        span.updated_at = utcnow()
        s.flush()
        return span_record(s, span)


def set_span_note(project: Project, span_id: int, note: str | None) -> SpanRecord:
    with project.write() as s:
        span = _get_span(s, span_id)
        span.note = note or None
        span.updated_at = utcnow()
        s.flush()
        return span_record(s, span)


def set_span_status(project: Project, span_id: int, status: str) -> SpanRecord:
    with project.write() as s:
        span = _get_span(s, span_id)
        span.status = status
        span.updated_at = utcnow()
        s.flush()
        return span_record(s, span)


def delete_span(project: Project, span_id: int) -> DeletedSpan:
    """Delete a span and the links that touch it. Returns what ``restore_span`` needs to undo it."""
    with project.write() as s:
        span = _get_span(s, span_id)
        record = span_record(s, span)
        links = tuple(
            link_records(
                s, select(Link).where((Link.source_span_id == span_id) | (Link.target_span_id == span_id))
            )
        )
        s.delete(span)
        s.flush()
        return DeletedSpan(record, links)


def restore_span(project: Project, deleted: DeletedSpan) -> SpanRecord:
    """Put a deleted span back with its id, uid and links (the undo of ``delete_span``)."""
    rec = deleted.span
    with project.write() as s:
        article = s.get(Article, rec.article_id)
        if article is None:
            raise NotFoundError("The span's article is no longer in the project.")
        who = ensure_annotator(s, rec.annotator)
        span = Span(
            id=rec.id,
            uid=rec.uid,
            article_id=rec.article_id,
            annotator_id=who.id,
            label_id=label_by_key(s, rec.label).id,
            start=rec.start,
            end=rec.end,
            text=check_offsets(article, rec.start, rec.end, rec.text),
            note=rec.note,
            origin=rec.origin,
            status=rec.status,
        )
        s.add(span)
        s.flush()
        restore_links(s, deleted.links)
        return span_record(s, span)


@functools.cache
def _article_spans_select(
    by_annotator: bool, include_rejected: bool, starting_before: bool
) -> Select[*tuple[Any, ...]]:
    """One article's spans in reading order; parameters ``article_id`` and, as asked,
    ``annotators`` (a list) and ``before``. Built once per shape: building a statement costs
    more than running it for one screen of spans."""
    query = _span_row_select().where(Span.article_id == bindparam("article_id"))
    if by_annotator:
        query = query.where(Annotator.name.in_(bindparam("annotators", expanding=True)))
    if not include_rejected:
        query = query.where(Span.status == "active")
    if starting_before:
        query = query.where(Span.start < bindparam("before"))
    return query.order_by(Span.start, Span.end.desc(), Span.id)


def _article_spans(
    session: Session,
    article_id: int,
    annotators: Iterable[str] | None,
    include_rejected: bool = False,
    starting_before: int | None = None,
) -> list[SpanRecord]:
    query = _article_spans_select(annotators is not None, include_rejected, starting_before is not None)
    params: dict[str, Any] = {"article_id": article_id}
    if annotators is not None:
        params["annotators"] = list(annotators)
    if starting_before is not None:
        params["before"] = starting_before
    # Plain rows through the session's connection: the ORM has no entities to build here.
    return [SpanRecord(*row) for row in session.connection().execute(query, params).fetchall()]


@functools.cache
def _article_select() -> Select[*tuple[Any, ...]]:
    return (
        select(
            Article.id,
            Article.uid,
            Article.title,
            Outlet.name,
            Story.name,
            Article.author,
            Article.published,
            Article.url,
            Article.source_file,
            Article.text,
        )
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .outerjoin(Story, Article.story_id == Story.id)
        .where(Article.id == bindparam("article_id"))
    )


def spans_for_article(
    project: Project,
    article_id: int,
    annotators: Iterable[str] | None = None,
    include_rejected: bool = False,
    *,
    starting_before: int | None = None,
) -> list[SpanRecord]:
    """The article's spans in reading order (by start, longer first), optionally for some layers
    (and only those starting before an offset, as for ``article_with_spans``)."""
    with project.read() as s:
        return _article_spans(s, article_id, annotators, include_rejected, starting_before)


def article_with_spans(
    project: Project,
    article_id: int,
    annotators: Iterable[str] | None = None,
    *,
    starting_before: int | None = None,
) -> tuple[ArticleRecord, list[SpanRecord]]:
    """An article and its active spans in reading order, in one read: what a reader opens.

    ``starting_before``: only the spans that start before this offset (every span that shows in
    the text up to there does), so a view can paint the top of a long article and load the rest
    a moment later. Raises NotFoundError for an unknown article."""
    with project.read() as s:
        row = s.connection().execute(_article_select(), {"article_id": article_id}).one_or_none()
        if row is None:
            raise NotFoundError(f"There is no article {article_id} in this project.")
        return ArticleRecord(*row), _article_spans(s, article_id, annotators, False, starting_before)


def spans_by_ids(session: Session, ids: Iterable[int]) -> dict[int, SpanRecord]:
    ids = list(ids)
    if not ids:
        return {}
    return {row[0]: SpanRecord(*row) for row in session.execute(_span_row_select().where(Span.id.in_(ids)))}


__all__ = [
    "add_span",
    "article_with_spans",
    "check_offsets",
    "delete_span",
    "get_span",
    "insert_span",
    "move_span",
    "relabel_span",
    "restore_span",
    "set_span_note",
    "set_span_status",
    "spans_by_ids",
    "spans_for_article",
]
