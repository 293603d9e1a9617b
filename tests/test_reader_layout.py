"""The reader's text layout: the column's line spacing, long articles and paragraphs, scrolling to
spans, and opening an article in one read."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtGui import QColor, QFontMetricsF

from db.articles import get_article
from db.errors import NotFoundError
from db.spans import add_span, article_with_spans, spans_for_article
from desktop.article_view import LINE_HEIGHT
from tests.reader_helpers import ARTICLE, make_pane

FILLER = "Filler words of the article keep going here. "


def at(words: str, text: str) -> tuple[int, int]:
    i = text.index(words)
    return i, i + len(words)


def test_lines_keep_the_reading_line_spacing_in_every_paragraph(qtbot, project):
    text = (FILLER * 12 + "\n\n") * 3
    pane, article_id = make_pane(qtbot, project, text)
    view = pane.view
    height = QFontMetricsF(view.font()).height()
    assert view.line_step == pytest.approx(height * LINE_HEIGHT / 100, abs=2)
    # A span over two paragraphs: one rectangle per line, every line one step below the last,
    # across the paragraph break too (the empty line between them is a line of its own).
    span = add_span(project, article_id, 0, len(text) - 3, "CLAIM", "alice")
    pane.reload_spans()
    tops = [r.top() for r in view.text_rects(span.start, span.end)]
    assert len(tops) > 6
    steps = {round(b - a, 1) for a, b in itertools.pairwise(tops)}
    assert steps <= {round(view.line_step, 1), round(2 * view.line_step, 1)}
    assert round(2 * view.line_step, 1) in steps  # the empty line between the paragraphs


def test_a_bigger_font_spaces_the_lines_further_apart(qtbot, project):
    pane, _article_id = make_pane(qtbot, project)
    view = pane.view
    before = view.line_step
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    view.setFont(font)
    assert view.line_step > before * 1.4
    rects = view.text_rects(ARTICLE.index("The ministry"), ARTICLE.index("Analysts") - 2)
    assert len(rects) >= 2
    assert rects[1].top() - rects[0].top() == pytest.approx(view.line_step, abs=0.5)


def test_a_long_article_lays_out_only_what_is_on_screen(qtbot, project):
    text = (FILLER * 12 + "\n\n") * 400 + "The last claim."
    pane, article_id = make_pane(qtbot, project, text)
    doc = pane.view.document()
    middle = doc.findBlockByNumber(doc.blockCount() // 2)
    assert middle.layout().lineCount() == 0  # not laid out: nobody has looked at it
    last = add_span(project, article_id, *at("The last claim", text), "CLAIM", "alice")
    pane.reload_spans()
    pane.select_span(last.id)
    rect = pane.view.span_rect(last.id)
    assert rect is not None and pane.view.viewport().rect().contains(rect)
    assert pane.view.visible_span_ids() == [last.id]


def test_one_long_paragraph_paints_only_the_spans_on_screen(qtbot, project):
    text = FILLER * 400 + "The last claim."
    pane, article_id = make_pane(qtbot, project, text)
    view = pane.view
    step = len(FILLER) * 10
    spans = [add_span(project, article_id, i, i + 6, "FACT", "alice") for i in range(0, len(text) - 20, step)]
    pane.reload_spans()
    shown = view.visible_span_ids()
    assert spans[0].id in shown and spans[-1].id not in shown
    assert len(shown) < len(spans) // 2
    # Scrolling to the last span puts it a third of the way down, give or take a line.
    last = add_span(project, article_id, *at("The last claim", text), "CLAIM", "alice")
    pane.reload_spans()
    pane.select_span(last.id)
    rect = view.span_rect(last.id)
    assert rect is not None and view.viewport().rect().contains(rect)
    image = view.viewport().grab().toImage()
    first_line = view.text_rects(last.start, last.end)[0]
    band = image.pixelColor(int(first_line.center().x()), int(first_line.top()) + 3)
    assert band != QColor("white")  # painted


def test_scroll_span_to_puts_a_span_at_the_asked_height(qtbot, project):
    text = (FILLER * 6 + "\n") * 200
    pane, article_id = make_pane(qtbot, project, text)
    view = pane.view
    offset = len(FILLER * 6 + "\n") * 120 + len(FILLER) * 3
    span = add_span(project, article_id, offset, offset + 6, "FACT", "alice")
    pane.reload_spans()
    pane.ensure_all_spans()
    for y in (40, 200, 390):
        view.scroll_span_to(span.id, y)
        rect = view.span_rect(span.id)
        assert rect is not None
        assert rect.top() == pytest.approx(y, abs=view.line_step / 2 + 1)
    # Document coordinates stay put while the view scrolls (over paragraphs laid out already).
    view.viewport().repaint()
    origin = view.scroll_origin()
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 3)
    moved = view.span_rect(span.id)
    assert moved is not None
    assert moved.top() + view.scroll_origin().y() == pytest.approx(rect.top() + origin.y(), abs=1)


def test_article_with_spans_is_the_article_and_its_spans_in_one_read(project):
    with project.write() as s:
        from db.articles import add_article

        article, _ = add_article(s, ARTICLE, title="Talks", outlet="Civic Wire", story="Talks story")
        article_id = article.id
    add_span(project, article_id, *at("Blinken said", ARTICLE), "ATTRIBUTION", "alice")
    add_span(project, article_id, *at("Analysts", ARTICLE), "CLAIM", "bob")
    add_span(project, article_id, *at("the talks", ARTICLE), "CLAIM", "alice")
    record, spans = article_with_spans(project, article_id, ["alice", "bob"])
    assert record == get_article(project, article_id)
    assert spans == spans_for_article(project, article_id, ["alice", "bob"])
    _record, head = article_with_spans(project, article_id, ["alice"], starting_before=20)
    assert [s.text for s in head] == ["Blinken said", "the talks"]
    with pytest.raises(NotFoundError):
        article_with_spans(project, article_id + 99)


def test_the_label_legend_shows_each_label_in_order(qtbot, project):
    pane, _article_id = make_pane(qtbot, project)
    legend = pane.legend
    labels = legend.labels()
    assert [label.key for label in labels][:4] == ["CLAIM", "ATTRIBUTION", "EXPERT_OPINION", "FACT"]
    rects = legend.item_rects()
    assert all(a.right() < b.left() for a, b in itertools.pairwise(rects))
    assert all(legend.rect().contains(r) for r in rects)
    image = legend.grab().toImage()
    underline = image.pixelColor(rects[0].left() + 3, rects[0].bottom())
    assert underline.name() == QColor(labels[0].color).name()
