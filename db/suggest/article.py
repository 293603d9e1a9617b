"""Suggestions for an article in a project: what the analyst has not already annotated or rejected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import select

from db.annotators import clean_name
from db.errors import NotFoundError
from db.models import Annotator, Article, Label, Span
from db.project import Project
from db.suggest.engine import suggest_spans
from db.suggest.model import SuggestedLink, SuggestionSet

if TYPE_CHECKING:
    from spacy.language import Language


def _decided(project: Project, article_id: int, annotator: str) -> tuple[str, str, set[tuple[int, int, str]]]:
    with project.read() as s:
        article = s.get(Article, article_id)
        if article is None:
            raise NotFoundError(f"There is no article {article_id} in this project.")
        rows = s.execute(
            select(Span.start, Span.end, Label.key)
            .join(Label, Span.label_id == Label.id)
            .join(Annotator, Span.annotator_id == Annotator.id)
            .where(Span.article_id == article_id, Annotator.name == clean_name(annotator))
        )
        return article.text, article.uid, {(a, b, key) for a, b, key in rows}


def suggest_for_article(
    project: Project,
    article_id: int,
    annotator: str,
    cancel: Callable[[], bool] | None = None,
    *,
    nlp: Language | None = None,
) -> SuggestionSet:
    """Suggestions for one article, without those ``annotator`` already has (same offsets and label,
    active) or rejected before. Links keep only pairs whose two ends are still offered."""
    text, uid, decided = _decided(project, article_id, annotator)
    full = suggest_spans(text, nlp=nlp, cancel=cancel)
    keep = [i for i, x in enumerate(full.spans) if (x.start, x.end, x.label) not in decided]
    new_index = {old: new for new, old in enumerate(keep)}
    links = tuple(
        SuggestedLink(new_index[lk.source], new_index[lk.target], lk.type)
        for lk in full.links
        if lk.source in new_index and lk.target in new_index
    )
    return replace(
        full,
        spans=tuple(full.spans[i] for i in keep),
        links=links,
        article_id=article_id,
        article_uid=uid,
    )


def who_said_what(article: object, *, nlp: Language | None = None) -> list[tuple[str, list[str]]]:
    """Each speaker of an article (a text, an ``ArticleRecord`` or a ``SuggestionSet``) with the
    claims and opinions the suggester attributes to it, in order of first appearance."""
    if isinstance(article, SuggestionSet):
        return article.who_said_what()
    text = article if isinstance(article, str) else getattr(article, "text", None)
    if not isinstance(text, str):
        raise TypeError("who_said_what needs an article text, an ArticleRecord or a SuggestionSet")
    return suggest_spans(text, nlp=nlp).who_said_what()


def article_refs(project: Project) -> list[tuple[int, str]]:
    """(id, uid) of every article of the project, in import order (for the CLI)."""
    with project.read() as s:
        return [(i, uid) for i, uid in s.execute(select(Article.id, Article.uid).order_by(Article.id))]


def resolve_article(project: Project, ref: str) -> int:
    """An article's id from its 12-hex uid (what exports carry) or its number in the project."""
    ref = ref.strip()
    with project.read() as s:
        found = s.scalar(select(Article.id).where(Article.uid == ref.lower()))
        if found is None and ref.isdigit():
            found = s.scalar(select(Article.id).where(Article.id == int(ref)))
    if found is None:
        raise NotFoundError(f"There is no article {ref!r} in this project.")
    return found
