"""Span highlights: overlapping spans are both painted; offsets survive astral characters and CRLF."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from db.spans import add_span, spans_for_article
from tests.reader_helpers import ARTICLE, make_pane


def at(words: str, text: str = ARTICLE) -> tuple[int, int]:
    i = text.index(words)
    return i, i + len(words)


def has_tint(image: QImage, rect, color: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether some pixel in ``rect`` is the label colour laid translucently over the page."""
    label = QColor(color)
    for y in range(rect.top() + 1, rect.bottom()):
        for x in range(rect.left() + 1, rect.right()):
            px = image.pixelColor(x, y)
            # A tint keeps the label's dominant channel ordering and is much lighter than text.
            if px.lightness() > 170 and px != QColor("white") and _same_hue(px, label):
                return True
    return False


def _same_hue(a: QColor, b: QColor) -> bool:
    return a.hslHue() >= 0 and min(abs(a.hslHue() - b.hslHue()), 360 - abs(a.hslHue() - b.hslHue())) < 20


def test_overlapping_spans_are_both_painted(qtbot, project):
    pane, article_id = make_pane(qtbot, project)
    view = pane.view
    view.select_text(*at("Three missiles fell 40 km"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    view.select_text(*at("40 km off the coast"))
    qtbot.keyClick(view, Qt.Key.Key_4)
    claim, fact = spans_for_article(project, article_id)
    assert (claim.label, fact.label) == ("CLAIM", "FACT")
    assert claim.end > fact.start  # they overlap
    assert set(view.visible_span_ids()) == {claim.id, fact.id}
    claim_rect, fact_rect = view.span_rect(claim.id), view.span_rect(fact.id)
    assert claim_rect is not None and fact_rect is not None
    assert claim_rect.intersects(fact_rect)
    assert view.index.level(claim.id) != view.index.level(fact.id)
    view.clear_selection()
    image = view.viewport().grab().toImage()
    only_claim = view.text_rects(claim.start, fact.start)[0].toAlignedRect()
    only_fact = view.text_rects(claim.end, fact.end)[-1].toAlignedRect()
    assert has_tint(image, only_claim, "#e4572e")
    assert has_tint(image, only_fact, "#27ae60")


def test_nothing_is_painted_for_spans_out_of_view(qtbot, project):
    long_text = ("Filler words of the article keep going here. " * 12 + "\n\n") * 60 + "The last claim."
    pane, article_id = make_pane(qtbot, project, long_text)
    last = add_span(project, article_id, *at("The last claim", long_text), "CLAIM", "alice")
    first = add_span(project, article_id, 0, 6, "FACT", "alice")
    pane.reload_spans()
    assert pane.view.visible_span_ids() == [first.id]
    pane.select_span(last.id)  # scrolls to it
    assert pane.view.visible_span_ids() == [last.id]
    rect = pane.view.span_rect(last.id)
    assert rect is not None and pane.view.viewport().rect().contains(rect)


UNICODE_TEXT = (
    "Officials 🙂 said the “Café” deal (é spelled e\u0301) was done.\r\n"
    "The 𝔘nited bloc 👩‍👩‍👧 replied: “no comment”.\r\n"
    "Ministers in Zürich agreed 🇩🇰 quickly."
)


def test_astral_characters_crlf_and_combining_marks_keep_exact_offsets(qtbot, project):
    pane, article_id = make_pane(qtbot, project, UNICODE_TEXT)
    view = pane.view
    cases = [
        ("said the “Café” deal", "CLAIM"),
        ("𝔘nited bloc", "ATTRIBUTION"),
        ("Ministers in Zürich", "FACT"),
    ]
    for words, label in cases:
        view.select_text(*at(words, UNICODE_TEXT))
        pane.label_selection(label)
    view.select_text(*at("e\u0301) was", UNICODE_TEXT))
    pane.label_selection("EXPERT_OPINION")
    spans = spans_for_article(project, article_id)
    for span in spans:
        assert span.text == UNICODE_TEXT[span.start : span.end]
    assert sorted(s.text for s in spans) == sorted([w for w, _ in cases] + ["e\u0301) was"])
    # The painted rectangle starts where Qt places the span's first character.
    zurich = next(s for s in spans if s.label == "FACT")
    cursor = view.textCursor()
    cursor.setPosition(view._map.to_utf16(zurich.start))
    rect = view.span_rect(zurich.id)
    assert rect is not None
    assert abs(rect.left() - view.cursorRect(cursor).left()) <= 2
    # Selecting through Qt positions comes back as the same code points.
    view.select_text(*at("replied", UNICODE_TEXT))
    assert view.textCursor().selectedText() == "replied"
    assert view.text_selection() == at("replied", UNICODE_TEXT)


def test_long_article_paints_its_top_first_and_loads_the_other_spans_right_after(qtbot, project):
    long_text = ("Filler words of the article keep going here. " * 12 + "\n\n") * 80 + "The last claim."
    pane, article_id = make_pane(qtbot, project, long_text)
    first = add_span(project, article_id, 0, 6, "FACT", "alice")
    last = add_span(project, article_id, *at("The last claim", long_text), "CLAIM", "alice")
    pane.show_article(article_id)
    assert first.id in pane.view.index and last.id not in pane.view.index
    assert pane.view.visible_span_ids() == [first.id]
    qtbot.waitUntil(lambda: last.id in pane.view.index)
    # Acting before the rest arrived loads it first: Tab from the first span reaches the last.
    pane.show_article(article_id)
    pane.select_span(first.id)
    qtbot.keyClick(pane.view, Qt.Key.Key_Tab)
    assert pane.view.selected_span_id() == last.id
