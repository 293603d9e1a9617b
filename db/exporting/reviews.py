"""Review decisions and comments as JSONL: one line per decision, for audit and for analysis.

Each line: ``{"id", "reviewer", "verdict", "comment", "created_at", "target": "span"|"link",
"article_id", "span": {...} | null, "link": {...} | null, "gold_span_id", "gold_link_id"}``, where a
span carries its uid, annotator, label, offsets and text, and a link its uid, type, annotator and
both ends' span uids and article ids. Written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from db.exporting.atomic import atomic_text
from db.models import Annotator, Article, Label, Link, LinkType, Review, Span
from db.project import Project

_Reviewer = aliased(Annotator)
_SpanAnnotator = aliased(Annotator)
_Gold = aliased(Span)
_GoldLink = aliased(Link)


def _iso(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value is not None else None


def _span_dicts(session: Any, ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = session.execute(
        select(
            Span.id, Span.uid, Article.uid, _SpanAnnotator.name, Label.key, Span.start, Span.end, Span.text
        )
        .join(Article, Span.article_id == Article.id)
        .join(_SpanAnnotator, Span.annotator_id == _SpanAnnotator.id)
        .join(Label, Span.label_id == Label.id)
        .where(Span.id.in_(ids))
    )
    return {
        sid: {
            "id": uid,
            "article_id": art,
            "annotator": who,
            "label": label,
            "start": s,
            "end": e,
            "text": text,
        }
        for sid, uid, art, who, label, s, e, text in rows
    }


def export_reviews(project: Project, out_path: str | Path, *, reviewer: str | None = None) -> int:
    """Write every review decision (or one reviewer's) to ``out_path``; returns how many."""
    out = Path(out_path).expanduser()
    with project.read() as s:
        query = (
            select(
                Review.id,
                _Reviewer.name,
                Review.verdict,
                Review.comment,
                Review.created_at,
                Review.span_id,
                Review.link_id,
                _Gold.uid,
                _GoldLink.uid,
            )
            .join(_Reviewer, Review.reviewer_id == _Reviewer.id)
            .outerjoin(_Gold, Review.gold_span_id == _Gold.id)
            .outerjoin(_GoldLink, Review.gold_link_id == _GoldLink.id)
            .order_by(Review.created_at, Review.id)
        )
        if reviewer is not None:
            query = query.where(_Reviewer.name == reviewer)
        reviews = s.execute(query).all()
        link_rows = {
            lid: (uid, key, who, src, dst)
            for lid, uid, key, who, src, dst in s.execute(
                select(
                    Link.id, Link.uid, LinkType.key, Annotator.name, Link.source_span_id, Link.target_span_id
                )
                .join(LinkType, Link.type_id == LinkType.id)
                .join(Annotator, Link.annotator_id == Annotator.id)
                .where(Link.id.in_({r[6] for r in reviews if r[6] is not None}))
            )
        }
        span_ids = {r[5] for r in reviews if r[5] is not None}
        for _uid, _key, _who, src, dst in link_rows.values():
            span_ids.update((src, dst))
        spans = _span_dicts(s, span_ids)
    with atomic_text(out) as fh:
        for rid, who, verdict, comment, created, span_id, link_id, gold_span, gold_link in reviews:
            record: dict[str, Any] = {
                "id": rid,
                "reviewer": who,
                "verdict": verdict,
                "comment": comment,
                "created_at": _iso(created),
                "target": "span" if span_id is not None else "link",
                "span": spans.get(span_id) if span_id is not None else None,
                "link": None,
                "gold_span_id": gold_span,
                "gold_link_id": gold_link,
            }
            if link_id is not None and link_id in link_rows:
                uid, key, lwho, src, dst = link_rows[link_id]
                record["link"] = {
                    "id": uid,
                    "type": key,
                    "annotator": lwho,
                    "source": spans.get(src),
                    "target": spans.get(dst),
                }
            ends = [record["span"]] if record["span"] else [(record["link"] or {}).get("source")]
            record["article_id"] = ends[0]["article_id"] if ends and ends[0] else None
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(reviews)
