"""ArticleView: one article's text in a readable column, with its spans painted in label colours.

The text is read-only and selectable. It is a ``QPlainTextEdit``: only the paragraphs on screen are
laid out (a 50,000-word article opens as fast as in a bare plain-text widget), and
``ReadingLayout`` spaces the lines of each paragraph it lays out so that stacked underlines fit
between them. Every line is then the same height (``line_step``), which makes the geometry of any
offset plain arithmetic on line numbers: no walk over the paragraphs above it.

Spans live in a ``SpanIndex`` (code points); each paint asks it for the spans touching the visible
blocks only and draws them with ``SpanPainter``; no span gets a QTextCharFormat. Code points become
Qt's UTF-16 positions through ``db.text.Utf16Map`` at this border only.

Interface (used by ``ReaderPane``, and by the compare view for link curves):
    set_article(article, spans, labels), set_spans(spans), set_labels(labels), update_span(span),
    remove_span(span_id), select_span(span_id), scroll_to_span(span_id), selected_span_id(),
    set_suggestions(list), select_suggestion(s), selected_suggestion(), scroll_to_suggestion(s)
    (span suggestions: dashed outlines, held apart from the spans),
    text_selection() -> (start, end) | None (code points, snapped to tokens),
    select_text(start, end), clear_selection(), span_rect(span_id) -> QRect | None (viewport
    coordinates), visible_span_ids(), span_ids_at(offset), tokens (the article's TokenCache),
    scroll_span_to(span_id, y) (put a span's first line at a viewport height),
    scroll_origin() and geometry_key() (viewport <-> document coordinates, for caches).
Signals:
    spanClicked(int span_id): the user clicked a span (it is now the selected span).
    suggestionClicked(object): the user clicked a suggestion (it is now the selected suggestion).
    selectionChanged(): Qt's signal, also emitted when the selected span changes.
"""

from __future__ import annotations

import html
import math
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QToolTip,
    QWidget,
)

from db.records import ArticleRecord, LabelRecord, SpanRecord
from db.text import Utf16Map
from desktop.qt_compat import keep_none_alive
from desktop.span_index import SpanIndex
from desktop.span_painter import SpanPainter, SpanShape
from desktop.token_cache import TokenCache

keep_none_alive()  # before the first paint: see desktop/qt_compat.py

COLUMN_EM = 46  # the text column's maximum width
LINE_HEIGHT = 165  # percent of the font's line height: room between lines for stacked underlines
SERIF_FAMILIES = [
    "Charter",
    "Georgia",
    "Source Serif 4",
    "Noto Serif",
    "DejaVu Serif",
    "Times New Roman",
    "serif",
]
TOKEN_CACHE_ARTICLES = 8


def display_text(text: str) -> str:
    """The text as Qt should show it, one position per code unit of the original.

    Qt turns CR LF into a single paragraph break, which would shift every later offset by one;
    a zero-width space stands in for the CR (and a lone CR becomes LF), so offsets stay exact."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\u200b\n").replace("\r", "\n")


def reader_font(point_size: float = 12.5) -> QFont:
    font = QFont()
    font.setFamilies(SERIF_FAMILIES)
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(point_size)
    return font


class ReadingLayout(QPlainTextDocumentLayout):
    """Qt's plain-text layout (lazy, one paragraph at a time) with room between the lines.

    Qt's plain layout ignores a block format's line height, so each block Qt lays out gets its
    lines moved apart here, the first time anyone asks for the block's geometry: every line then
    takes ``step`` pixels, the text at the bottom of that box and the room (where the underlines
    go) above it. The first block is shifted so that, with the document's top margin, its lines
    sit in the same rhythm as every other line: a line's height on screen is then always a whole
    number of steps away from any other line's, whatever the scroll position."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.step = 0.0  # pixels from one line to the next
        self.gap = 0.0  # pixels of room above each line's text
        self.first_shift = 0.0  # the first block's first line's y in its block
        self.refresh()

    def refresh(self) -> None:
        """Measure the document's font and margin again (the view calls this when they change;
        blocks laid out before are re-spaced the next time they are asked for)."""
        doc = self.document()
        probe = QTextLayout("Xg", doc.defaultFont(), self.paintDevice())
        probe.beginLayout()
        line = probe.createLine()
        line.setLeadingIncluded(True)
        probe.endLayout()
        height = line.height()
        self.step = math.ceil(height) * LINE_HEIGHT / 100
        self.gap = self.step - height
        # With the top margin, the first line then sits a whole number of steps plus the gap from
        # the top, like every line below the top of the viewport when it is scrolled.
        self.first_shift = (self.gap - doc.documentMargin()) % self.step

    def base(self, block: QTextBlock) -> float:
        """The first line's y in the block."""
        return self.first_shift if block.position() == 0 else self.gap

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        if not block.isValid():
            return QRectF()
        layout = block.layout()
        if layout.lineCount() == 0:
            # Keep the shaped glyphs: the spans' rectangles (cursorToX) and the text's painting
            # would each shape the paragraph again otherwise.
            layout.setCacheEnabled(True)
            self.ensureBlockLayout(block)
        n = layout.lineCount()
        if n:
            step = self.step
            base = self.first_shift if block.position() == 0 else self.gap
            if abs(layout.lineAt(n - 1).y() - (base + (n - 1) * step)) > 0.05:  # Qt keeps 1/64 px
                for i in range(n):
                    line = layout.lineAt(i)
                    line.setPosition(QPointF(line.x(), base + i * step))
        rect = super().blockBoundingRect(block)
        if n:
            # Exactly n steps (a glyph from a taller fallback font must not break the rhythm).
            bottom = self.document().documentMargin() if not block.next().isValid() else 0.0
            rect.setHeight(base - self.gap + n * step + bottom)
        return rect


class ArticleView(QPlainTextEdit):
    """The article text with painted spans; see the module docstring for the interface."""

    spanClicked = Signal(int)
    suggestionClicked = Signal(object)
    columnChanged = Signal(int, int)  # left edge and width of the text column, in view coordinates

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        doc = QTextDocument(self)
        self.reading_layout = ReadingLayout(doc)
        doc.setDocumentLayout(self.reading_layout)
        doc.setUndoRedoEnabled(False)
        # Like a new QPlainTextEdit's own document, no width (no line breaking) until the view is
        # shown and sized: setDocument() takes the viewport's width, and a long paragraph would
        # be broken into lines for a child widget's stand-in width of a hundred pixels.
        self.viewport().resize(0, self.viewport().height())
        self.setDocument(doc)
        self.setFont(reader_font())
        self.set_document_margin(28)
        self.setBackgroundRole(self.viewport().backgroundRole())
        self.setAutoFillBackground(True)
        self.setMouseTracking(True)
        self._column: tuple[int, int] | None = None
        self._tops: dict[int, float] | None = None  # block number -> viewport y, during one paint
        self.article: ArticleRecord | None = None
        self.text = ""
        self.own_layer: str | None = None
        self.index = SpanIndex()
        self.tokens = TokenCache("")
        self._map = Utf16Map("")
        self._labels: dict[str, LabelRecord] = {}
        self._token_caches: OrderedDict[int, TokenCache] = OrderedDict()
        self._selected: int | None = None
        self._last_click_stack: list[int] = []
        self._double_click_at: tuple[float, QPoint] | None = None
        self._sentence_pending = False
        #: Review mode (``desktop.review_mode``): span id -> SpanShape.review style ("kind/side").
        self.review_styles: dict[int, str] = {}
        #: Span id -> number of review comments, drawn as a badge (the annotator's own layer).
        self.comment_counts: dict[int, int] = {}
        #: Span suggestions (``set_suggestions``), in reading order; painted apart from the spans.
        self.suggestions: list[Any] = []
        self._suggestion_index = SpanIndex()
        self._selected_suggestion: int | None = None

    # ----------------------------------------------------------------------------- content

    def set_article(self, article: ArticleRecord, spans: list[SpanRecord], labels: list[LabelRecord]) -> None:
        """Show an article with these spans (already filtered to the visible layers)."""
        self.article = article
        self.text = article.text
        self._map = Utf16Map(article.text)
        self.tokens = self._token_cache(article)
        self._labels = {label.key: label for label in labels}
        self._selected = None
        self._last_click_stack = []
        self.index = SpanIndex(spans)
        self.suggestions, self._suggestion_index, self._selected_suggestion = [], SpanIndex(), None
        # The plain layout lays nothing out here: the paragraphs on screen are laid out when painted.
        # The cursor is let go of while the text goes in: one left in the document would end up
        # after the new text, and moving it back to the top makes Qt lay out the paragraphs at
        # the end to repaint where it was (a third of the whole open for a long article).
        self.setTextCursor(QTextCursor())
        doc = self.document()
        doc.setPlainText(display_text(article.text))
        self.setTextCursor(QTextCursor(doc))
        self.verticalScrollBar().setValue(0)
        self.viewport().update()

    def _token_cache(self, article: ArticleRecord) -> TokenCache:
        # Article text never changes, so tokens stay valid for as long as we keep them.
        cache = self._token_caches.pop(article.id, None)
        if cache is None or cache.text != article.text:
            cache = TokenCache(article.text)
        self._token_caches[article.id] = cache
        while len(self._token_caches) > TOKEN_CACHE_ARTICLES:
            self._token_caches.popitem(last=False)
        return cache

    def set_document_margin(self, margin: float) -> None:
        """Room around the text inside the column (also above its first line)."""
        self.document().setDocumentMargin(margin)
        self.reading_layout.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)  # a new font reaches the document here
        if event.type() == QEvent.Type.FontChange:
            self.reading_layout.refresh()
            self.viewport().update()

    def set_spans(self, spans: list[SpanRecord]) -> None:
        selected = self._selected
        self.index = SpanIndex(spans)
        if selected not in self.index:
            self._set_selected(None)
        self.viewport().update()

    def set_labels(self, labels: list[LabelRecord]) -> None:
        self._labels = {label.key: label for label in labels}
        self.viewport().update()

    def label(self, key: str) -> LabelRecord | None:
        return self._labels.get(key)

    def update_span(self, span: SpanRecord) -> None:
        """Add or replace one span (after an edit) without reloading the others."""
        self.index.add(span)
        self.viewport().update()

    def remove_span(self, span_id: int) -> None:
        self.index.remove(span_id)
        if self._selected == span_id:
            self._set_selected(None)
        self.viewport().update()

    # ----------------------------------------------------------------------------- selection

    def selected_span_id(self) -> int | None:
        return self._selected

    def selected_span(self) -> SpanRecord | None:
        return self.index.get(self._selected) if self._selected is not None else None

    def select_span(self, span_id: int | None) -> None:
        """Make a span the selected one (outlined); None clears it. Clears the text selection."""
        if span_id is not None and span_id not in self.index:
            span_id = None
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)
        self._set_selected(span_id)

    def _set_selected(self, span_id: int | None) -> None:
        if self._selected_suggestion is not None:  # a span or a text selection replaces it
            self._selected_suggestion = None
            self.viewport().update()
        if span_id != self._selected:
            self._selected = span_id
            self.viewport().update()
            self.selectionChanged.emit()

    def select_text(self, start: int, end: int) -> None:
        """Select [start, end) in code points (as the mouse would; ``text_selection`` snaps it)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_utf16(start))
        cursor.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self._selected = None
        self._selected_suggestion = None
        self.setTextCursor(cursor)
        self.viewport().update()

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)
        self._set_selected(None)

    def raw_selection(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._map.from_utf16(cursor.selectionStart()), self._map.from_utf16(cursor.selectionEnd())

    def text_selection(self) -> tuple[int, int] | None:
        """The selected text in code points, widened to whole tokens; None if nothing is selected."""
        raw = self.raw_selection()
        if raw is None:
            return None
        start, end = self.tokens.snap(*raw)
        if start >= end or not self.text[start:end].strip():
            return None
        return start, end

    def _snap_cursor(self) -> None:
        snapped = self.text_selection()
        if snapped is not None and snapped != self.raw_selection():
            self.select_text(*snapped)

    # ----------------------------------------------------------------------------- geometry

    @property
    def line_step(self) -> float:
        """Pixels from one line of text to the next."""
        return self.reading_layout.step

    def _block_top(self, block: QTextBlock) -> float:
        """The block's top in viewport coordinates.

        Every line is ``line_step`` high, so this is line-number arithmetic from the first visible
        block (paragraphs not laid out yet count as one line, as they do for the scroll bar)."""
        if self._tops is not None:
            top = self._tops.get(block.blockNumber())
            if top is not None:
                return top
        first = self.firstVisibleBlock()
        lay = self.reading_layout
        lines = block.firstLineNumber() - first.firstLineNumber()
        return self.contentOffset().y() + lines * lay.step + lay.base(first) - lay.base(block)

    def _visible_blocks(self) -> list[tuple[QTextBlock, float]]:
        """The blocks on screen, laid out, with their tops in viewport coordinates."""
        height = self.viewport().height()
        lay = self.reading_layout
        block = self.firstVisibleBlock()
        top = self.contentOffset().y()
        out: list[tuple[QTextBlock, float]] = []
        while block.isValid() and top <= height:
            rect = lay.blockBoundingRect(block)
            out.append((block, top))
            top += rect.height()
            block = block.next()
        return out

    def _begin_visible(self) -> tuple[int, int] | None:
        """Lay out the visible blocks and remember their tops until ``_end_visible``; returns the
        UTF-16 range of the lines on screen, with one more line above and below (underlines and
        outlines reach into the room between lines). Whole lines, not whole blocks: an article
        imported as one long paragraph would otherwise have all its spans painted every time."""
        blocks = self._visible_blocks()
        if not blocks:
            return None
        self._tops = {block.blockNumber(): top for block, top in blocks}
        lay = self.reading_layout
        (first, first_top), (last, last_top) = blocks[0], blocks[-1]
        start = first.position()
        layout = first.layout()
        if layout.lineCount() > 1:  # lines are lay.step apart: the first one on screen, less one
            above = int((-first_top - lay.base(first)) // lay.step) - 1
            start += layout.lineAt(min(max(0, above), layout.lineCount() - 1)).textStart()
        end = last.position() + last.length()
        layout = last.layout()
        if layout.lineCount() > 1:
            below = int((self.viewport().height() - last_top - lay.base(last)) // lay.step) + 1
            if below < layout.lineCount() - 1:
                line = layout.lineAt(max(0, below))
                end = last.position() + line.textStart() + line.textLength()
        return start, end

    def _end_visible(self) -> None:
        self._tops = None

    def text_rects(self, start: int, end: int, clip: tuple[int, int] | None = None) -> list[QRectF]:
        """Viewport rectangles of the text [start, end) (code points), one per line; ``clip`` limits
        the work to a UTF-16 range (the visible blocks)."""
        s16, e16 = self._map.to_utf16(start), self._map.to_utf16(end)
        if clip is not None:
            s16, e16 = max(s16, clip[0]), min(e16, clip[1])
        rects: list[QRectF] = []
        if s16 >= e16:
            return rects
        doc = self.document()
        lay = self.reading_layout
        left = self.contentOffset().x()
        block = doc.findBlock(s16)
        while block.isValid() and block.position() < e16:
            bpos = block.position()
            lay.blockBoundingRect(block)  # lays the block out (and spaces its lines) if it is not yet
            layout = block.layout()
            a, b = max(s16, bpos) - bpos, min(e16, bpos + block.length() - 1) - bpos
            if a < b:
                top = self._block_top(block)
                line = layout.lineForTextPosition(a)
                n = line.lineNumber() if line.isValid() else 0
                while n < layout.lineCount():
                    line = layout.lineAt(n)
                    ls, le = line.textStart(), line.textStart() + line.textLength()
                    if ls >= b:
                        break
                    lo, hi = max(a, ls), min(b, le)
                    if hi == le and hi - lo > 1 and _wraps_at(self.text[self._map.from_utf16(bpos + hi - 1)]):
                        hi -= 1  # not the space a wrapped line ends with
                    if lo < hi:
                        x1, x2 = _x(line, lo), _x(line, hi)
                        if x2 < x1:
                            x1, x2 = x2, x1
                        rects.append(QRectF(left + x1, top + line.y() - 1, x2 - x1, line.height() + 2))
                    n += 1
            block = block.next()
        return rects

    def _visible_range16(self) -> tuple[int, int]:
        """UTF-16 range of the blocks on screen (whole blocks: a half-visible line is included)."""
        found = self._begin_visible()
        self._end_visible()
        return found if found is not None else (0, 0)

    def visible_end(self) -> int:
        """Offset (code points) just past the lines on screen: every span that shows starts before it."""
        return self._map.from_utf16(self._visible_range16()[1])

    def _shapes(self, spans: list[SpanRecord], clip: tuple[int, int] | None) -> list[SpanShape]:
        shapes = []
        for span in spans:
            label = self._labels.get(span.label)
            color = label.color if label else "#888888"
            rects = self.text_rects(span.start, span.end, clip)
            if rects:
                shapes.append(
                    SpanShape(
                        span.id,
                        QColor(color),
                        self.index.level(span.id),
                        tuple(rects),
                        self.own_layer is not None and span.annotator != self.own_layer,
                        self.review_styles.get(span.id, ""),
                        self.comment_counts.get(span.id, 0),
                    )
                )
        return shapes

    def span_rect(self, span_id: int) -> QRect | None:
        """The span's bounding rectangle in viewport coordinates (it may lie outside the viewport)."""
        span = self.index.get(span_id)
        if span is None:
            return None
        rects = self.text_rects(span.start, span.end)
        if not rects:
            return None
        box = rects[0]
        for r in rects[1:]:
            box = box.united(r)
        return box.toAlignedRect()

    def visible_span_ids(self) -> list[int]:
        """Spans with some of their text on screen, in reading order."""
        found = self._begin_visible()
        if found is None:
            return []
        try:
            a16, b16 = found
            vp = QRectF(self.viewport().rect())
            spans = self.index.overlapping(self._map.from_utf16(a16), self._map.from_utf16(b16))
            return [
                s.id
                for s in spans
                if any(r.intersects(vp) for r in self.text_rects(s.start, s.end, (a16, b16)))
            ]
        finally:
            self._end_visible()

    def offset_at(self, pos: QPoint) -> int | None:
        """Code-point offset of the character under ``pos`` (viewport coordinates), if any."""
        if not self.text:
            return None
        cursor = self.cursorForPosition(pos)
        p16 = cursor.position()
        rect = self.cursorRect(cursor)
        if pos.x() < rect.x() and p16 > 0:
            p16 -= 1
        if p16 >= self.document().characterCount() - 1 and p16 > 0:
            p16 -= 1
        line_rects = self.text_rects(self._map.from_utf16(p16), self._map.from_utf16(p16) + 1)
        if not any(r.adjusted(-1, -3, 1, 3).contains(QPointF(pos)) for r in line_rects):
            return None
        return self._map.from_utf16(p16)

    def span_ids_at(self, offset: int) -> list[int]:
        """Spans covering ``offset``, innermost first."""
        return [s.id for s in self.index.at(offset)]

    def scroll_to_span(self, span_id: int) -> None:
        """Scroll a span into view (a third of the way down), unless it is on screen already."""
        rect = self.span_rect(span_id)
        if rect is None:
            return
        vp = self.viewport().rect()
        if rect.top() >= 0 and rect.bottom() <= vp.height():
            return
        self.scroll_span_to(span_id, vp.height() // 3)

    def scroll_span_to(self, span_id: int, y: float) -> None:
        """Scroll so that the span's first line has its top at viewport height ``y``, as near as
        whole lines allow (the view scrolls by lines)."""
        span = self.index.get(span_id)
        if span is not None:
            self._scroll_offset_to(span.start, y)

    def _scroll_offset_to(self, offset: int, y: float) -> None:
        doc = self.document()
        lay = self.reading_layout
        p16 = self._map.to_utf16(offset)
        block = doc.findBlock(p16)
        if not block.isValid():
            return
        lay.blockBoundingRect(block)
        line = block.layout().lineForTextPosition(p16 - block.position())
        index = line.lineNumber() if line.isValid() else 0
        # The lines that will be above it: lay their paragraphs out first so line numbers are exact.
        above = max(0, round((y - lay.gap + 1) / lay.step))
        need, previous = above - index, block.previous()
        while need > 0 and previous.isValid():
            lay.blockBoundingRect(previous)
            need -= previous.lineCount()
            previous = previous.previous()
        self.verticalScrollBar().setValue(max(0, block.firstLineNumber() + index - above))

    def scroll_origin(self) -> QPointF:
        """Where the viewport's top left lies in document coordinates (every line ``line_step``
        high, paragraphs not laid out yet counting one line): a viewport rectangle plus this
        stays valid across scrolling while ``geometry_key()`` is unchanged."""
        first = self.firstVisibleBlock()
        lay = self.reading_layout
        y = first.firstLineNumber() * lay.step - lay.base(first) - self.contentOffset().y()
        return QPointF(-self.contentOffset().x(), y)

    def geometry_key(self) -> tuple[object, ...]:
        """Changes whenever document coordinates (``scroll_origin``) of the text may have moved."""
        doc = self.document()
        return (id(doc), doc.lineCount(), self.reading_layout.step, self.viewport().width())

    # ----------------------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        found = self._begin_visible() if len(self.index) or self.suggestions else None
        if found is not None:
            try:
                a16, b16 = found
                spans = self.index.overlapping(self._map.from_utf16(a16), self._map.from_utf16(b16) + 1)
                if spans:
                    painter = QPainter(self.viewport())
                    painter.setClipRect(event.rect())
                    SpanPainter(self.palette()).paint(painter, self._shapes(spans, found), self._selected)
                    painter.end()
                if self.suggestions:
                    self._paint_suggestions(event, found)
            finally:
                self._end_visible()
        super().paintEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        em = QFontInfo(self.font()).pixelSize()
        margin = int(self.document().documentMargin())
        column = COLUMN_EM * em + 2 * margin
        scrollbar = self.verticalScrollBar().sizeHint().width()
        side = max(0, (self.width() - scrollbar - column) // 2)
        self.setViewportMargins(side, 0, side, 0)
        super().resizeEvent(event)
        placed = (side + margin, min(column, self.width()) - 2 * margin)
        if placed != self._column:  # the header and find bar follow the column
            self._column = placed
            self.columnChanged.emit(*placed)

    # ----------------------------------------------------------------------------- mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._is_triple_click(event):
            offset = self.offset_at(event.position().toPoint())
            self._double_click_at = None
            if offset is not None:
                self.select_text(*self.tokens.sentence_at(offset))
                self._sentence_pending = True
                event.accept()
                return
        super().mousePressEvent(event)

    def _is_triple_click(self, event: QMouseEvent) -> bool:
        if self._double_click_at is None:
            return False
        when, where = self._double_click_at
        near = (event.position().toPoint() - where).manhattanLength() <= QApplication.startDragDistance()
        return near and (time.monotonic() - when) * 1000 <= QApplication.doubleClickInterval()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        super().mouseDoubleClickEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._double_click_at = (time.monotonic(), event.position().toPoint())
            offset = self.offset_at(event.position().toPoint())
            word = self.tokens.word_at(offset) if offset is not None else None
            if word is not None:
                self.select_text(*word)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._sentence_pending:
            self._sentence_pending = False
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            self._snap_cursor()
            self._set_selected(None)
            return
        self._click(event.position().toPoint())

    def _click(self, pos: QPoint) -> None:
        offset = self.offset_at(pos)
        stack = self.span_ids_at(offset) if offset is not None else []
        if self._click_suggestion(offset, stack):
            return
        if not stack:
            self._last_click_stack = []
            self._set_selected(None)
            return
        if stack == self._last_click_stack and self._selected in stack:
            # Clicking the same place again walks outwards through the overlapping spans.
            span_id = stack[(stack.index(self._selected) + 1) % len(stack)]
        else:
            span_id = stack[0]
        self._last_click_stack = stack
        self._set_selected(span_id)
        self.spanClicked.emit(span_id)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._tooltip(event)
            return True
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._tooltip(event)
            return True
        return super().viewportEvent(event)

    def _tooltip(self, event: QHelpEvent) -> None:
        offset = self.offset_at(event.pos())
        spans = self.index.at(offset) if offset is not None else []
        suggested = self._suggestion_index.at(offset) if offset is not None and not spans else []
        if suggested:
            QToolTip.showText(event.globalPos(), self.suggestion_tooltip(suggested[0].label), self.viewport())
            return
        if not spans:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPos(), self.tooltip_html(spans), self.viewport())

    def tooltip_html(self, spans: list[SpanRecord]) -> str:
        parts = []
        for span in spans:
            label = self._labels.get(span.label)
            name = html.escape(label.name if label else span.label)
            color = label.color if label else "#888888"
            lines = [f"<span style='color:{color}'>■</span> <b>{name}</b>"]
            if self.own_layer is not None and span.annotator != self.own_layer:
                lines[0] += f" <i>({html.escape(span.annotator)})</i>"
            if label and label.definition:
                lines.append(f"<span style='font-size:small'>{html.escape(label.definition)}</span>")
            if span.note:
                lines.append(f"<b>Note:</b> {html.escape(span.note)}")
            parts.append("<br>".join(lines))
        return "<p style='white-space:pre-wrap; max-width:28em'>" + "<hr>".join(parts) + "</p>"

    # ----------------------------------------------------------------------------- suggestions

    def set_suggestions(self, suggestions: Sequence[Any]) -> None:
        """Show span suggestions (``db.suggest.SuggestedSpan``: start, end, label, text) as dashed
        outlines in their label's colour. They are not spans: ``index`` never holds them. The
        selected suggestion stays selected while it is in the list."""
        selected = self.selected_suggestion()
        self.suggestions = sorted(suggestions, key=lambda x: (x.start, -x.end, x.label))
        self._suggestion_index = SpanIndex(
            SpanRecord(i, "", 0, "", x.label, x.start, x.end, x.text, None, "suggested", "suggested")
            for i, x in enumerate(self.suggestions)
        )
        self._selected_suggestion = self.suggestions.index(selected) if selected in self.suggestions else None
        self.viewport().update()

    def selected_suggestion(self) -> Any | None:
        i = self._selected_suggestion
        return self.suggestions[i] if i is not None and i < len(self.suggestions) else None

    def select_suggestion(self, suggestion: Any | None) -> None:
        """Select a suggestion (None: no suggestion); clears the span and text selections."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)
        self._set_selected(None)
        if suggestion in self.suggestions:
            self._selected_suggestion = self.suggestions.index(suggestion)
            self.viewport().update()
            self.selectionChanged.emit()

    def suggestions_at(self, offset: int) -> list[Any]:
        """Suggestions covering ``offset``, innermost first."""
        return [self.suggestions[r.id] for r in self._suggestion_index.at(offset)]

    def scroll_to_suggestion(self, suggestion: Any) -> None:
        rects = self.text_rects(suggestion.start, suggestion.end)
        if not rects:
            return
        top, bottom = min(r.top() for r in rects), max(r.bottom() for r in rects)
        height = self.viewport().height()
        if top < 0 or bottom > height:
            self._scroll_offset_to(suggestion.start, height // 3)

    def suggestion_tooltip(self, label_key: str) -> str:
        label = self._labels.get(label_key)
        name = html.escape(label.name if label else label_key)
        color = label.color if label else "#888888"
        return (
            f"<p><span style='color:{color}'>┅</span> <b>Suggested {name}</b><br>"
            "<span style='font-size:small'>Enter or A accepts · X rejects · S next suggestion</span></p>"
        )

    def _click_suggestion(self, offset: int | None, stack: list[int]) -> bool:
        # Where a span covers the suggestion too, the span comes first; clicking there again once
        # the outermost span is selected reaches the suggestion.
        found = self._suggestion_index.at(offset) if offset is not None and self.suggestions else []
        if not found or (stack and not (stack == self._last_click_stack and self._selected == stack[-1])):
            return False
        self._last_click_stack = stack
        suggestion = self.suggestions[found[0].id]
        self.select_suggestion(suggestion)
        self.suggestionClicked.emit(suggestion)
        return True

    def _paint_suggestions(self, event: QPaintEvent, visible: tuple[int, int]) -> None:
        a16, b16 = visible
        found = self._suggestion_index.overlapping(self._map.from_utf16(a16), self._map.from_utf16(b16) + 1)
        shapes = []
        for s in found:
            label = self._labels.get(s.label)
            rects = self.text_rects(s.start, s.end, (a16, b16))
            if rects:
                color = QColor(label.color if label else "#888888")
                shapes.append(SpanShape(s.id, color, self._suggestion_index.level(s.id), tuple(rects), False))
        if shapes:
            painter = QPainter(self.viewport())
            painter.setClipRect(event.rect())
            SpanPainter(self.palette()).paint_suggestions(painter, shapes, self._selected_suggestion)
            painter.end()


def _wraps_at(char: str) -> bool:
    """A line broken after this character does not show it (a CR is drawn as a zero-width space)."""
    return char.isspace() and char != "\r"


def _x(line: QTextLine, pos: int) -> float:
    result = line.cursorToX(pos)
    return float(result[0] if isinstance(result, tuple) else result)
