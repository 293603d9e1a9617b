"""Helpers shared by the reader and undo tests: an article in a project, a ReaderPane on it."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from db.articles import add_article
from db.project import Project
from db.spans import spans_for_article
from desktop.project_events import ProjectEvents
from desktop.reader_pane import ReaderPane

ARTICLE = (
    "Blinken said the talks would resume next week.\n\n"
    "The ministry insisted the missiles were never armed, according to a spokesman. "
    "Three missiles fell 40 km off the coast on 9 November.\n\n"
    "Analysts at the Halvik Institute called the test a warning."
)


def add_text(project: Project, text: str = ARTICLE, title: str = "Talks to resume") -> int:
    with project.write() as s:
        article, _ = add_article(s, text, title=title, outlet="Civic Wire", url="https://example.org/a")
        return article.id


def make_pane(qtbot, project: Project, text: str = ARTICLE, annotator: str = "alice"):  # type: ignore[no-untyped-def]
    article_id = add_text(project, text)
    events = ProjectEvents()
    stack = QUndoStack()
    pane = ReaderPane(project, stack, events, annotator)
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show_article(article_id)
    pane.show()
    qtbot.waitExposed(pane)
    pane.view.setFocus()
    return pane, article_id


def stored(project: Project, article_id: int) -> list[tuple[str, str, int, int]]:
    """(label, text, start, end) of every span of the article, in reading order."""
    return [(s.label, s.text, s.start, s.end) for s in spans_for_article(project, article_id)]
