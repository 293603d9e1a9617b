"""Counts that describe a project: articles per outlet, spans per label and annotator, links per type."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from db.models import Annotator, Article, Label, Link, LinkType, Outlet, Span, Story
from db.project import Project

NO_OUTLET = "(no outlet)"


def project_stats(project: Project) -> dict[str, Any]:
    """A plain dict (JSON-ready): totals, articles per outlet, active spans per label per annotator,
    links per type, in the schema's order; labels and types with no use are listed with 0."""
    with project.read() as s:
        articles = s.scalar(select(func.count()).select_from(Article)) or 0
        stories = s.scalar(select(func.count()).select_from(Story)) or 0
        per_outlet: dict[str, int] = {}
        rows = s.execute(
            select(Outlet.name, func.count(Article.id))
            .select_from(Article)
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .group_by(Outlet.name)
            .order_by(func.count(Article.id).desc(), Outlet.name)
        )
        for name, count in rows:
            per_outlet[name or NO_OUTLET] = count
        labels = list(s.scalars(select(Label.key).order_by(Label.position, Label.id)))
        annotators = list(s.scalars(select(Annotator.name).order_by(Annotator.is_gold, Annotator.name)))
        per_label: dict[str, dict[str, int]] = {key: {} for key in labels}
        for key, who, count in s.execute(
            select(Label.key, Annotator.name, func.count(Span.id))
            .join(Label, Span.label_id == Label.id)
            .join(Annotator, Span.annotator_id == Annotator.id)
            .where(Span.status == "active")
            .group_by(Label.key, Annotator.name)
        ):
            per_label.setdefault(key, {})[who] = count
        types = list(s.scalars(select(LinkType.key).order_by(LinkType.position, LinkType.id)))
        per_type: dict[str, int] = dict.fromkeys(types, 0)
        for key, count in s.execute(
            select(LinkType.key, func.count(Link.id))
            .join(LinkType, Link.type_id == LinkType.id)
            .group_by(LinkType.key)
        ):
            per_type[key] = count
    used = [a for a in annotators if any(a in by for by in per_label.values())]
    return {
        "project": project.name,
        "articles": articles,
        "stories": stories,
        "spans": sum(sum(by.values()) for by in per_label.values()),
        "links": sum(per_type.values()),
        "annotators": used,
        "articles_per_outlet": per_outlet,
        "spans_per_label": {key: {a: by.get(a, 0) for a in used} for key, by in per_label.items()},
        "links_per_type": per_type,
    }
