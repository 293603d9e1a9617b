"""Articles, outlets and stories: add (used by the importers), look up, list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import NotFoundError
from db.models import Article, Outlet, Span, Story
from db.project import Project
from db.records import ArticleRecord
from db.text import article_uid, text_sha256


def ensure_outlet(session: Session, name: str | None) -> Outlet | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    outlet = session.scalar(select(Outlet).where(Outlet.name == name))
    if outlet is None:
        outlet = Outlet(name=name)
        session.add(outlet)
        session.flush()
    return outlet


def ensure_story(session: Session, name: str | None) -> Story | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    story = session.scalar(select(Story).where(Story.name == name))
    if story is None:
        story = Story(name=name)
        session.add(story)
        session.flush()
    return story


def article_by_sha(session: Session, sha256: str) -> Article | None:
    return session.scalar(select(Article).where(Article.sha256 == sha256))


def add_article(
    session: Session,
    text: str,
    *,
    title: str = "",
    outlet: str | None = None,
    story: str | None = None,
    author: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    source_file: str | None = None,
) -> tuple[Article, bool]:
    """Add an article unless its text is already in the project. Returns (article, created).

    An existing article keeps its text and gains missing metadata (outlet, story, date, ...)."""
    sha = text_sha256(text)
    existing = article_by_sha(session, sha)
    if existing is not None:
        if existing.outlet_id is None and outlet:
            existing.outlet = ensure_outlet(session, outlet)
        if existing.story_id is None and story:
            existing.story = ensure_story(session, story)
        if not existing.title and title:
            existing.title = title
        existing.published = existing.published or published
        existing.author = existing.author or author
        existing.url = existing.url or url
        return existing, False
    article = Article(
        uid=article_uid(sha),
        sha256=sha,
        text=text,
        n_chars=len(text),
        title=title,
        outlet=ensure_outlet(session, outlet),
        story=ensure_story(session, story),
        author=author,
        published=published,
        url=url,
        source_file=source_file,
    )
    session.add(article)
    session.flush()
    return article, True


def article_record(a: Article) -> ArticleRecord:
    return ArticleRecord(
        id=a.id,
        uid=a.uid,
        title=a.title,
        outlet=a.outlet.name if a.outlet else None,
        story=a.story.name if a.story else None,
        author=a.author,
        published=a.published,
        url=a.url,
        source_file=a.source_file,
        text=a.text,
    )


def get_article(project: Project, article_id: int) -> ArticleRecord:
    with project.read() as s:
        a = s.get(Article, article_id)
        if a is None:
            raise NotFoundError(f"There is no article {article_id} in this project.")
        return article_record(a)


def article_id_by_uid(project: Project, uid: str) -> int:
    with project.read() as s:
        found = s.scalar(select(Article.id).where(Article.uid == uid))
        if found is None:
            raise NotFoundError(f"There is no article {uid!r} in this project.")
        return found


def set_article_meta(
    project: Project,
    article_id: int,
    *,
    title: str | None = None,
    outlet: str | None = None,
    story: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
) -> ArticleRecord:
    """Edit an article's metadata (never its text)."""
    with project.write() as s:
        a = s.get(Article, article_id)
        if a is None:
            raise NotFoundError(f"There is no article {article_id} in this project.")
        if title is not None:
            a.title = title
        if outlet is not None:
            a.outlet = ensure_outlet(s, outlet)
        if story is not None:
            a.story = ensure_story(s, story)
        if published is not None:
            a.published = published
        if url is not None:
            a.url = url or None
        s.flush()
        return article_record(a)


def count_articles(project: Project) -> int:
    with project.read() as s:
        return s.scalar(select(func.count()).select_from(Article)) or 0


def count_spans(project: Project) -> int:
    with project.read() as s:
        return s.scalar(select(func.count()).select_from(Span).where(Span.status == "active")) or 0


def outlet_names(project: Project) -> list[str]:
    """Every outlet's name, sorted (for filter lists)."""
    with project.read() as s:
        return sorted(s.scalars(select(Outlet.name)), key=str.casefold)


def story_names(project: Project) -> list[str]:
    with project.read() as s:
        return sorted(s.scalars(select(Story.name)), key=str.casefold)
