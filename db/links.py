"""Link services: typed relations between two spans, within one article or across outlets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from db.annotators import ensure_annotator
from db.errors import NewsmarkError, NotFoundError
from db.labels import link_type_by_key
from db.models import Annotator, Link, LinkType, Span
from db.project import Project
from db.records import LinkRecord
from db.text import new_link_uid

_Src = aliased(Span)
_Dst = aliased(Span)


def _link_row_select() -> Select[*tuple[Any, ...]]:
    return (
        select(
            Link.id,
            Link.uid,
            LinkType.key,
            Annotator.name,
            Link.source_span_id,
            Link.target_span_id,
            _Src.article_id,
            _Dst.article_id,
            Link.note,
        )
        .join(LinkType, Link.type_id == LinkType.id)
        .join(Annotator, Link.annotator_id == Annotator.id)
        .join(_Src, Link.source_span_id == _Src.id)
        .join(_Dst, Link.target_span_id == _Dst.id)
    )


def link_records(session: Session, query: Select[Any]) -> list[LinkRecord]:
    """LinkRecords for the links a ``select(Link)`` query finds."""
    ids = [link.id for link in session.scalars(query)]
    if not ids:
        return []
    rows = session.execute(_link_row_select().where(Link.id.in_(ids)).order_by(Link.id))
    return [LinkRecord(*row) for row in rows]


def _record(session: Session, link_id: int) -> LinkRecord:
    return LinkRecord(*session.execute(_link_row_select().where(Link.id == link_id)).one())


def insert_link(
    session: Session,
    source_span_id: int,
    target_span_id: int,
    type_id: int,
    annotator_id: int,
    *,
    note: str | None = None,
    uid: str | None = None,
    link_id: int | None = None,
) -> Link:
    if source_span_id == target_span_id:
        raise NewsmarkError("A span cannot be linked to itself.")
    for sid in (source_span_id, target_span_id):
        if session.get(Span, sid) is None:
            raise NotFoundError(f"There is no span {sid} in this project (it may have been deleted).")
    link = Link(
        uid=uid or new_link_uid(),
        source_span_id=source_span_id,
        target_span_id=target_span_id,
        type_id=type_id,
        annotator_id=annotator_id,
        note=note,
    )
    if link_id is not None:
        link.id = link_id
    session.add(link)
    session.flush()
    return link


def add_link(
    project: Project,
    source_span_id: int,
    target_span_id: int,
    link_type: str,
    annotator: str,
    *,
    note: str | None = None,
) -> LinkRecord:
    with project.write() as s:
        who = ensure_annotator(s, annotator)
        link = insert_link(
            s, source_span_id, target_span_id, link_type_by_key(s, link_type).id, who.id, note=note
        )
        return _record(s, link.id)


def _get_link(session: Session, link_id: int) -> Link:
    link = session.get(Link, link_id)
    if link is None:
        raise NotFoundError(f"There is no link {link_id} in this project (it may have been deleted).")
    return link


def get_link(project: Project, link_id: int) -> LinkRecord:
    with project.read() as s:
        _get_link(s, link_id)
        return _record(s, link_id)


def delete_link(project: Project, link_id: int) -> LinkRecord:
    with project.write() as s:
        link = _get_link(s, link_id)
        record = _record(s, link_id)
        s.delete(link)
        return record


def restore_links(session: Session, records: Iterable[LinkRecord]) -> None:
    for rec in records:
        who = ensure_annotator(session, rec.annotator)
        insert_link(
            session,
            rec.source_span_id,
            rec.target_span_id,
            link_type_by_key(session, rec.type).id,
            who.id,
            note=rec.note,
            uid=rec.uid,
            link_id=rec.id,
        )


def restore_link(project: Project, record: LinkRecord) -> LinkRecord:
    """The undo of ``delete_link``: the same link, id and uid back."""
    with project.write() as s:
        restore_links(s, [record])
        return _record(s, record.id)


def retype_link(project: Project, link_id: int, link_type: str) -> LinkRecord:
    with project.write() as s:
        link = _get_link(s, link_id)
        link.type_id = link_type_by_key(s, link_type).id
        s.flush()
        return _record(s, link_id)


def set_link_note(project: Project, link_id: int, note: str | None) -> LinkRecord:
    with project.write() as s:
        link = _get_link(s, link_id)
        link.note = note or None
        s.flush()
        return _record(s, link_id)


def links_for_spans(project: Project, span_ids: Iterable[int]) -> list[LinkRecord]:
    """Every link touching any of these spans."""
    ids = list(span_ids)
    if not ids:
        return []
    with project.read() as s:
        rows = s.execute(
            _link_row_select()
            .where(Link.source_span_id.in_(ids) | Link.target_span_id.in_(ids))
            .order_by(Link.id)
        )
        return [LinkRecord(*row) for row in rows]


def links_for_articles(project: Project, article_ids: Iterable[int]) -> list[LinkRecord]:
    """Every link with at least one end in these articles."""
    ids = list(article_ids)
    if not ids:
        return []
    with project.read() as s:
        rows = s.execute(
            _link_row_select().where(_Src.article_id.in_(ids) | _Dst.article_id.in_(ids)).order_by(Link.id)
        )
        return [LinkRecord(*row) for row in rows]
