"""SpanPainter: draws span highlights under an article's text.

The reader paints spans itself instead of giving each one a QTextCharFormat: a translucent band
in the label's colour behind the words (nested spans darken where they overlap), one underline per
nesting level in the space below the line (so two spans over the same words both stay visible),
and an outline around the selected span. Colours come from the label and the widget's palette so
the same code reads on light and dark themes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPalette, QPen

#: Review-mode colours: side A, side B, a conflict; shared with the review bar's legend and queue.
REVIEW_SIDE_COLORS = {"a": "#2f6fdf", "b": "#e07b00"}
REVIEW_CONFLICT_COLOR = "#d64541"
REVIEW_BOUNDARY_COLOR = "#8e44ad"
COMMENT_BADGE_COLOR = "#f39c12"
UNDERLINE = 2.0  # px, thickness of a level's underline
UNDERLINE_STEP = 3.5  # px between stacked underlines
MAX_LEVELS = 4  # deeper nesting shares the last underline row


@dataclass(frozen=True, slots=True)
class SpanShape:
    """What to draw for one span: its line rectangles (viewport coordinates) and how."""

    span_id: int
    color: QColor
    level: int
    rects: tuple[QRectF, ...]
    foreign: bool  # from another annotator's layer: lighter, dashed underline
    #: Review mode: "<db.layer_diff.DiffKind value>/<side a|b>" (e.g. "boundary/a"), "" otherwise.
    review: str = ""
    #: Review comments on this span the annotator has not necessarily seen: a badge with the count.
    comments: int = 0


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class SpanPainter:
    """Paints ``SpanShape`` lists; build one per paint with the widget's current palette."""

    def __init__(self, palette: QPalette) -> None:
        self.palette = palette
        self.dark = is_dark(palette)

    def fill_color(self, color: QColor, foreign: bool) -> QColor:
        fill = QColor(color)
        if self.dark:
            fill = fill.lighter(125)
        alpha = 0.30 if self.dark else 0.20
        fill.setAlphaF(alpha * (0.55 if foreign else 1.0))
        return fill

    def line_color(self, color: QColor) -> QColor:
        line = QColor(color)
        return line.lighter(135) if self.dark else line.darker(110)

    def paint(self, painter: QPainter, shapes: list[SpanShape], selected: int | None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        # Outer spans first: inner ones land on top and read as darker bands.
        for shape in shapes:
            painter.setBrush(self.fill_color(shape.color, shape.foreign))
            for i, rect in enumerate(shape.rects):
                painter.drawPath(_band(rect, first=i == 0, last=i == len(shape.rects) - 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for shape in shapes:
            pen = QPen(self.line_color(shape.color), UNDERLINE)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if shape.foreign:
                pen.setStyle(Qt.PenStyle.DashLine)
            if shape.review.startswith("agree"):
                pen.setWidthF(1.0)  # agreement stays quiet: a thin solid underline
                pen.setStyle(Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            offset = 2.0 + min(shape.level, MAX_LEVELS - 1) * UNDERLINE_STEP
            for rect in shape.rects:
                y = rect.bottom() + offset
                painter.drawLine(QPointF(rect.left() + 1, y), QPointF(rect.right() - 1, y))
        for shape in shapes:
            if shape.review and not shape.review.startswith("agree"):
                self._review_mark(painter, shape)
        for shape in shapes:
            if shape.span_id == selected:
                self._outline(painter, shape)
        for shape in shapes:
            if shape.comments:
                self._comment_badge(painter, shape)

    def paint_suggestions(self, painter: QPainter, shapes: list[SpanShape], selected: int | None) -> None:
        """Span suggestions: a dashed outline in the label's colour and no fill, so a suggestion
        never reads as one of the analyst's spans. The selected one gets a faint fill, a heavier
        dash and the selection ring. ``SpanShape.level`` spaces the outlines of nested suggestions."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for shape in shapes:
            chosen = shape.span_id == selected
            grow = 1.0 + min(shape.level, MAX_LEVELS - 1) * 2.5
            last = len(shape.rects) - 1
            side = grow - 0.5  # a little tighter at the sides: neighbouring suggestions stay apart
            bands = [
                _band(r.adjusted(-side, -grow, side, grow), first=i == 0, last=i == last)
                for i, r in enumerate(shape.rects)
            ]
            if chosen:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self.fill_color(shape.color, foreign=True))
                for band in bands:
                    painter.drawPath(band)
            pen = QPen(self.line_color(shape.color), 2.0 if chosen else 1.4, Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([3.0, 2.0] if chosen else [3.5, 2.5])
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for band in bands:
                painter.drawPath(band)
        for shape in shapes:
            if shape.span_id == selected:
                self._outline(painter, shape, grow=3.5 + min(shape.level, MAX_LEVELS - 1) * 2.5)

    def _review_mark(self, painter: QPainter, shape: SpanShape) -> None:
        """Review mode: how the two layers differ here (see ``SpanShape.review``)."""
        kind, _, side = shape.review.partition("/")
        side_color = QColor(REVIEW_SIDE_COLORS.get(side, REVIEW_CONFLICT_COLOR))
        conflict = kind in ("label_conflict", "boundary_and_label")
        if conflict:
            hatch = QColor(REVIEW_CONFLICT_COLOR)
            hatch.setAlphaF(0.55)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            for i, rect in enumerate(shape.rects):
                painter.drawPath(_band(rect, first=i == 0, last=i == len(shape.rects) - 1))
        if kind == "label_conflict":
            color, style = QColor(REVIEW_CONFLICT_COLOR), Qt.PenStyle.SolidLine
        elif kind in ("boundary", "boundary_and_label"):
            # Both extents are drawn, each in its side's colour, so the shift shows at a glance.
            color, style = side_color, Qt.PenStyle.DashLine
        else:  # only_a / only_b
            color, style = side_color, Qt.PenStyle.SolidLine
        pen = QPen(color, 1.6, style)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        grow = 0.5 if side == "a" else 2.5  # B's outline sits just outside A's where they coincide
        for i, rect in enumerate(shape.rects):
            painter.drawPath(
                _band(rect.adjusted(-grow, -grow, grow, grow), first=i == 0, last=i == len(shape.rects) - 1)
            )
        if kind in ("only_a", "only_b") and shape.rects:
            # A marker bar before the span: whose layer alone has it.
            first = shape.rects[0]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(side_color)
            painter.drawRoundedRect(QRectF(first.left() - 5.5, first.top(), 3.0, first.height()), 1.5, 1.5)

    def _comment_badge(self, painter: QPainter, shape: SpanShape) -> None:
        """A small round badge with the number of review comments at the span's end."""
        if not shape.rects:
            return
        last = shape.rects[-1]
        size = 15.0
        box = QRectF(last.right() - size / 2, last.top() - size / 2, size, size)
        painter.setPen(QPen(self.palette.color(QPalette.ColorRole.Base), 1.5))
        painter.setBrush(QColor(COMMENT_BADGE_COLOR))
        painter.drawEllipse(box)
        font = painter.font()
        font.setPixelSize(10)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(min(shape.comments, 9)))

    def _outline(self, painter: QPainter, shape: SpanShape, grow: float = 1.5) -> None:
        color = QColor(self.palette.color(QPalette.ColorRole.Highlight))
        pen = QPen(color, 2.0)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for i, rect in enumerate(shape.rects):
            painter.drawPath(
                _band(rect.adjusted(-grow, -grow, grow, grow), first=i == 0, last=i == len(shape.rects) - 1)
            )


def _band(rect: QRectF, *, first: bool, last: bool) -> QPainterPath:
    """A rectangle rounded at the span's own ends only, so a span broken over lines reads as one."""
    radius = min(4.0, rect.height() / 3)
    path = QPainterPath()
    if first and last:
        path.addRoundedRect(rect, radius, radius)
        return path
    left_r = radius if first else 0.0
    right_r = radius if last else 0.0
    path.moveTo(rect.left() + left_r, rect.top())
    path.lineTo(rect.right() - right_r, rect.top())
    if right_r:
        path.quadTo(rect.right(), rect.top(), rect.right(), rect.top() + right_r)
        path.lineTo(rect.right(), rect.bottom() - right_r)
        path.quadTo(rect.right(), rect.bottom(), rect.right() - right_r, rect.bottom())
    else:
        path.lineTo(rect.right(), rect.bottom())
    path.lineTo(rect.left() + left_r, rect.bottom())
    if left_r:
        path.quadTo(rect.left(), rect.bottom(), rect.left(), rect.bottom() - left_r)
        path.lineTo(rect.left(), rect.top() + left_r)
        path.quadTo(rect.left(), rect.top(), rect.left() + left_r, rect.top())
    else:
        path.lineTo(rect.left(), rect.top())
    path.closeSubpath()
    return path
