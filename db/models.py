"""The project's data model: typed SQLAlchemy 2 tables.

Invariants live in the schema (CHECK constraints, foreign keys, unique keys and, for "a span ends
inside its article", a trigger created by the migrations). Offsets are Python string indexes
(Unicode code points). Article text never changes after import.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ORIGINS = ("manual", "suggested", "imported")
SPAN_STATUSES = ("active", "rejected")
VERDICTS = ("accept", "reject", "comment")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProjectInfo(Base):
    """Key/value facts about the project file: that it is a Newsmark project, who made it."""

    __tablename__ = "project_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Outlet(Base):
    __tablename__ = "outlets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Story(Base):
    """Articles about one event."""

    __tablename__ = "stories"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint("n_chars >= 0", name="n_chars_nonneg"),
        Index("ix_articles_outlet_published", "outlet_id", "published"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(12), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    n_chars: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id", ondelete="SET NULL"), index=True)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"), index=True)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    outlet: Mapped[Outlet | None] = relationship()
    story: Mapped[Story | None] = relationship()


class Annotator(Base):
    """A person's layer of spans and links. The gold layer is the annotator with is_gold set."""

    __tablename__ = "annotators"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    is_gold: Mapped[bool] = mapped_column(Boolean, default=False)


class Label(Base):
    __tablename__ = "labels"
    __table_args__ = (CheckConstraint("key <> ''", name="key_nonempty"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    color: Mapped[str] = mapped_column(String(16))
    shortcut: Mapped[str | None] = mapped_column(String(8))
    definition: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class LinkType(Base):
    __tablename__ = "link_types"
    __table_args__ = (CheckConstraint("key <> ''", name="key_nonempty"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    color: Mapped[str] = mapped_column(String(16))
    directed: Mapped[bool] = mapped_column(Boolean, default=True)
    definition: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Span(Base):
    """A labelled stretch of one article's text in one annotator's layer.

    ``status`` is "active" for a real annotation and "rejected" for a suggestion the analyst
    turned down (kept so that it is never offered again).
    """

    __tablename__ = "spans"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="offsets"),
        CheckConstraint("origin IN ('manual', 'suggested', 'imported')", name="origin"),
        CheckConstraint("status IN ('active', 'rejected')", name="status"),
        Index("ix_spans_article_annotator", "article_id", "annotator_id", "start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="RESTRICT"), index=True)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="RESTRICT"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="manual")
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Link(Base):
    """A typed relation between two spans, in the same or in different articles."""

    __tablename__ = "links"
    __table_args__ = (CheckConstraint("source_span_id <> target_span_id", name="not_self"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    source_span_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"), index=True)
    target_span_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"), index=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("link_types.id", ondelete="RESTRICT"), index=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Review(Base):
    """A reviewer's verdict (accept / reject / comment) on one span or one link."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("verdict IN ('accept', 'reject', 'comment')", name="verdict"),
        CheckConstraint(
            "(span_id IS NULL) <> (link_id IS NULL)",
            name="one_target",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="RESTRICT"), index=True)
    span_id: Mapped[int | None] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    gold_span_id: Mapped[int | None] = mapped_column(ForeignKey("spans.id", ondelete="SET NULL"))
    gold_link_id: Mapped[int | None] = mapped_column(ForeignKey("links.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ArticleReview(Base):
    """An article marked reviewed by a reviewer (added by schema revision 0002)."""

    __tablename__ = "article_reviews"
    __table_args__ = (
        UniqueConstraint("article_id", "reviewer_id", name="uq_article_reviews_article_reviewer"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="RESTRICT"))
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ArticleTokens(Base):
    """An article's spaCy tokens, cached for the exporters (added by schema revision 0003).

    ``bounds`` holds the token starts then the token ends as little-endian int32 code-point offsets;
    ``tokens_json`` the Prodigy ``tokens`` list as compact UTF-8 JSON. A row whose ``tokenizer``
    differs from the running one is stale and recomputed; deleting rows loses nothing.
    """

    __tablename__ = "article_tokens"
    __table_args__ = (CheckConstraint("n_tokens >= 0", name="n_tokens_nonneg"),)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    tokenizer: Mapped[str] = mapped_column(String(64))
    n_tokens: Mapped[int] = mapped_column(Integer)
    bounds: Mapped[bytes] = mapped_column(LargeBinary)
    tokens_json: Mapped[bytes] = mapped_column(LargeBinary)


class LinkRejection(Base):
    """A link suggestion an analyst turned down: two passages never to be offered as a pair again
    (added by schema revision 0004). Stored with the lower (article id, start) side as source."""

    __tablename__ = "link_rejections"
    __table_args__ = (
        CheckConstraint(
            "source_start >= 0 AND source_start < source_end AND target_start >= 0 AND target_start < target_end",
            name="offsets",
        ),
        Index("ix_link_rejections_source_target", "source_article_id", "target_article_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    source_start: Mapped[int] = mapped_column(Integer)
    source_end: Mapped[int] = mapped_column(Integer)
    target_article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    target_start: Mapped[int] = mapped_column(Integer)
    target_end: Mapped[int] = mapped_column(Integer)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="RESTRICT"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
