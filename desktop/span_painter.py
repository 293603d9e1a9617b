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
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen

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
            painter.setPen(pen)
            offset = 2.0 + min(shape.level, MAX_LEVELS - 1) * UNDERLINE_STEP
            for rect in shape.rects:
                y = rect.bottom() + offset
                painter.drawLine(QPointF(rect.left() + 1, y), QPointF(rect.right() - 1, y))
        for shape in shapes:
            if shape.span_id == selected:
                self._outline(painter, shape)

    def _outline(self, painter: QPainter, shape: SpanShape) -> None:
        color = QColor(self.palette.color(QPalette.ColorRole.Highlight))
        pen = QPen(color, 2.0)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for i, rect in enumerate(shape.rects):
            painter.drawPath(
                _band(rect.adjusted(-1.5, -1.5, 1.5, 1.5), first=i == 0, last=i == len(shape.rects) - 1)
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
