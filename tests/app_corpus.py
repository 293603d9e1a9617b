"""A small corpus for the application-shell tests: two stories, three outlets, loose articles."""

from __future__ import annotations

import datetime as dt

from db.articles import add_article
from db.project import Project
from db.spans import add_span

ARTICLES = [
    # (story, outlet, date, title, text)
    (
        "Strait launch",
        "Civic Wire",
        "2023-11-09",
        "Dovrenia condemns launch",
        "Dovrenia condemned the launch. The ministry said three missiles fell.",
    ),
    (
        "Strait launch",
        "Civic Wire",
        "2023-11-10",
        "Talks cancelled",
        "Officials said the talks in Lunnemark are off.",
    ),
    (
        "Strait launch",
        "Northgate Ledger",
        "2023-11-09",
        "Analysts weigh in",
        "Analysts say the launch was a show of reach 🚀 not a threat.",
    ),
    (
        "Harbour strike",
        "Northgate Ledger",
        "2023-12-01",
        "Dock workers strike",
        "Dock workers walked out on Friday, the union said.",
    ),
    (
        "Harbour strike",
        "Kestria Today",
        "2023-12-02",
        "Strike ends early",
        "The strike ended after one day, the port authority said.",
    ),
    (
        None,
        "Kestria Today",
        None,
        "Loose item",
        "A short note without a story. Emoji 😀 before the strait of words.",
    ),
    (None, None, None, "", "Untitled text with no outlet at all."),
]


def fill(project: Project, annotator: str = "alice") -> dict[str, int]:
    """Add the articles and a few spans; returns article ids by title."""
    ids: dict[str, int] = {}
    for story, outlet, date, title, text in ARTICLES:
        with project.write() as s:
            art, _ = add_article(
                s,
                text,
                title=title,
                outlet=outlet,
                story=story,
                published=dt.date.fromisoformat(date) if date else None,
            )
            ids[title] = art.id
    first = ids["Dovrenia condemns launch"]
    add_span(project, first, 0, 29, "FACT", annotator)
    add_span(project, first, 31, 47, "ATTRIBUTION", annotator)
    add_span(project, first, 48, 68, "CLAIM", annotator)
    add_span(project, ids["Analysts weigh in"], 0, 12, "ATTRIBUTION", "bob")
    return ids
