"""What the analyst does with a suggestion: accept it (an active span with origin "suggested", and
its SOURCE_OF link once both ends are accepted) or reject it (a span with status "rejected", kept so
the suggestion is never offered again). Each call is one committed transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.annotators import clean_name, ensure_annotator
from db.errors import NewsmarkError, NotFoundError
from db.labels import label_by_key, link_type_by_key
from db.links import insert_link
from db.models import Annotator, Article, Label, Link, Span, utcnow
from db.project import Project
from db.records import SpanRecord
from db.spans import insert_span, span_record
from db.suggest.model import SuggestedSpan, SuggestionSet

SOURCE_OF = "SOURCE_OF"


def _article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFoundError(f"There is no article {article_id} in this project.")
    return article


def _existing(
    session: Session, article_id: int, annotator_id: int, start: int, end: int, label_id: int
) -> Span | None:
    rows = session.scalars(
        select(Span)
        .where(
            Span.article_id == article_id,
            Span.annotator_id == annotator_id,
            Span.start == start,
            Span.end == end,
            Span.label_id == label_id,
        )
        .order_by(Span.status, Span.id)  # "active" sorts before "rejected"
    )
    return rows.first()


def _accept(session: Session, article: Article, who: Annotator, start: int, end: int, label: Label) -> Span:
    span = _existing(session, article.id, who.id, start, end, label.id)
    if span is None:
        return insert_span(session, article, who.id, label.id, start, end, origin="suggested")
    if span.status != "active":  # the analyst changed their mind about a rejected suggestion
        span.status = "active"
        span.updated_at = utcnow()
        session.flush()
    return span


def _active_span(session: Session, article_id: int, who: Annotator, s: SuggestedSpan) -> Span | None:
    label = session.scalar(select(Label).where(Label.key == s.label))
    if label is None:
        return None
    span = _existing(session, article_id, who.id, s.start, s.end, label.id)
    return span if span is not None and span.status == "active" else None


def _link_accepted(
    session: Session,
    article_id: int,
    who: Annotator,
    suggestions: SuggestionSet,
    touched: Iterable[SuggestedSpan],
) -> None:
    """Add the SOURCE_OF link of every suggested pair touching ``touched`` whose ends are both active."""
    wanted = set(touched)
    link_type = None
    pairs = suggestions.pairs or tuple(
        (suggestions.spans[lk.source], suggestions.spans[lk.target]) for lk in suggestions.links
    )
    for src, dst in pairs:
        if src not in wanted and dst not in wanted:
            continue
        a = _active_span(session, article_id, who, src)
        b = _active_span(session, article_id, who, dst)
        if a is None or b is None:
            continue
        link_type = link_type or link_type_by_key(session, SOURCE_OF)
        exists = session.scalar(
            select(Link.id).where(
                Link.source_span_id == a.id, Link.target_span_id == b.id, Link.type_id == link_type.id
            )
        )
        if exists is None:
            insert_link(session, a.id, b.id, link_type.id, who.id)


def _suggestions_for(text: str, suggestions: SuggestionSet | None) -> SuggestionSet:
    if suggestions is not None:
        return suggestions
    from db.suggest.engine import suggest_spans

    return suggest_spans(text)


def accept_suggestion(
    project: Project,
    article_id: int,
    annotator: str,
    start: int,
    end: int,
    label: str,
    *,
    suggestions: SuggestionSet | None = None,
) -> SpanRecord:
    """Make a suggestion an annotation in ``annotator``'s layer (origin "suggested"), and add its
    SOURCE_OF link if the other end is already accepted. ``suggestions`` (the set the suggestion
    came from) saves recomputing it to find that link."""
    with project.read() as s:
        text = _article(s, article_id).text
    found = _suggestions_for(text, suggestions)
    with project.write() as s:
        article = _article(s, article_id)
        who = ensure_annotator(s, annotator)
        span = _accept(s, article, who, start, end, label_by_key(s, label))
        me = [x for x in found.spans if (x.start, x.end, x.label) == (start, end, label)]
        _link_accepted(s, article_id, who, found, me)
        return span_record(s, span)


def reject_suggestion(
    project: Project, article_id: int, annotator: str, start: int, end: int, label: str
) -> SpanRecord:
    """Remember that ``annotator`` turned this suggestion down, so it is not offered again."""
    with project.write() as s:
        article = _article(s, article_id)
        who = ensure_annotator(s, annotator)
        lab = label_by_key(s, label)
        span = _existing(s, article_id, who.id, start, end, lab.id)
        if span is not None:
            if span.status == "active":
                raise NewsmarkError(
                    f"{annotator} already has this {label} span; delete it rather than reject the suggestion."
                )
            return span_record(s, span)
        span = insert_span(s, article, who.id, lab.id, start, end, origin="suggested", status="rejected")
        return span_record(s, span)


def accept_all(
    project: Project, article_id: int, annotator: str, label: str | None, suggestions: SuggestionSet
) -> list[SpanRecord]:
    """Accept every suggestion with ``label`` (every label when None) in one transaction, with the
    SOURCE_OF links whose both ends are then accepted. Returns the accepted spans."""
    chosen = [x for x in suggestions.spans if label is None or x.label == label]
    with project.write() as s:
        article = _article(s, article_id)
        who = ensure_annotator(s, annotator)
        labels = {key: label_by_key(s, key) for key in {x.label for x in chosen}}
        spans = [_accept(s, article, who, x.start, x.end, labels[x.label]) for x in chosen]
        _link_accepted(s, article_id, who, suggestions, chosen)
        return [span_record(s, span) for span in spans]


def unreject_suggestion(
    project: Project, article_id: int, annotator: str, start: int, end: int, label: str
) -> bool:
    """Forget that ``annotator`` rejected this suggestion (the undo of ``reject_suggestion``), so it
    is offered again. True if a rejection was removed; an accepted span is never touched."""
    with project.write() as s:
        who = s.scalar(select(Annotator).where(Annotator.name == clean_name(annotator)))
        lab = s.scalar(select(Label).where(Label.key == label))
        if who is None or lab is None:
            return False
        span = _existing(s, article_id, who.id, start, end, lab.id)
        if span is None or span.status != "rejected":
            return False
        s.delete(span)
        s.flush()
        return True
