"""LinkConnector: the overlay that joins linked spans of neighbouring compare panes with curves.

Like a diff tool's connectors: a smooth cubic curve leaves the right edge of a span in one pane
and reaches the left edge of the linked span in the pane to its right, in the link type's colour.
The geometry comes from the panes' ``ArticleView.span_rect``, taken at every paint, so the curves
follow scrolling and resizing; a span's rectangle is kept in document coordinates until its
pane's article, spans or width change, so scrolling costs no text layout. A span scrolled out of view gets its curve to the pane's top or
bottom edge (dashed and faded, with a small arrow that says which way to scroll); a link whose two
ends are both out of view is not drawn.

The overlay is transparent to the mouse. ``connectors()`` returns what would be painted (for
tests and for hit-testing), ``set_drag`` draws the rubber band of a link being dragged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from db.records import LinkRecord
from desktop.article_view import ArticleView

#: Gap between a span's side and the end of its curve (the end bar sits in it).
MARGIN = 5.0
#: Edge state of a connector end.
INSIDE, ABOVE, BELOW = 0, -1, 1


@dataclass(frozen=True, slots=True)
class Connector:
    """One painted curve, in overlay coordinates."""

    link_id: int
    link_type: str
    color: str
    left_span_id: int
    right_span_id: int
    start: QPointF  # on the left pane's span (or its viewport edge)
    end: QPointF  # on the right pane's span (or its viewport edge)
    start_edge: int  # INSIDE, ABOVE or BELOW
    end_edge: int
    path: QPainterPath
    left_box: QRectF  # the span's box clipped to its pane, in overlay coordinates (empty if out of view)
    right_box: QRectF


class LinkConnector(QWidget):
    """A transparent widget over the compare panes that paints the link curves."""

    LINE_WIDTH = 2.2

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("linkConnector")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._views: list[ArticleView] = []
        self._links: list[LinkRecord] = []
        self._colors: dict[str, str] = {}
        self._highlight: set[int] = set()
        self._drag: tuple[QPointF, QPointF, str] | None = None
        self.visible_filter: Callable[[LinkRecord], bool] | None = None
        #: id(view) -> ((article id, viewport width, id(index), len(index)), span id -> rect in document coordinates)
        self._rects: dict[int, tuple[tuple[object, ...], dict[int, QRect | None]]] = {}

    # -- input ---------------------------------------------------------------------------------
    def set_views(self, views: Sequence[ArticleView]) -> None:
        """The panes' views, left to right."""
        self._views = list(views)
        self._rects.clear()
        self.update()

    def set_links(self, links: Sequence[LinkRecord], colors: dict[str, str]) -> None:
        self._links = list(links)
        self._colors = dict(colors)
        self.update()

    def links(self) -> list[LinkRecord]:
        return list(self._links)

    def set_highlight(self, span_ids: set[int]) -> None:
        """Curves touching these spans are drawn stronger (the selected spans' links)."""
        if span_ids != self._highlight:
            self._highlight = set(span_ids)
            self.update()

    def set_drag(self, start: QPointF | None, end: QPointF | None = None, color: str = "#1f5fa8") -> None:
        """Show (or, with None, hide) the rubber band of a link being dragged, overlay coordinates."""
        self._drag = None if start is None or end is None else (start, end, color)
        self.update()

    # -- geometry ------------------------------------------------------------------------------
    def map_rect(self, view: ArticleView, rect: QRect) -> QRectF:
        """A rectangle in ``view``'s viewport coordinates, in overlay coordinates."""
        top_left = self.mapFromGlobal(view.viewport().mapToGlobal(rect.topLeft()))
        return QRectF(QPointF(top_left), rect.size().toSizeF())

    def span_rect(self, view: ArticleView, span_id: int) -> QRect | None:
        """``view.span_rect(span_id)``, from a cache in document coordinates (scrolling moves it)."""
        key = (
            view.article.id if view.article is not None else None,
            view.geometry_key(),
            id(view.index),
            len(view.index),
        )
        cache = self._rects.get(id(view))
        if cache is None or cache[0] != key:
            cache = self._rects[id(view)] = (key, {})
        scroll = view.scroll_origin().toPoint()
        if span_id not in cache[1]:
            rect = view.span_rect(span_id)
            cache[1][span_id] = rect.translated(scroll) if rect is not None else None
        found = cache[1][span_id]
        return found.translated(-scroll) if found is not None else None

    def viewport_box(self, view: ArticleView) -> QRectF:
        return self.map_rect(view, view.viewport().rect())

    def connectors(self) -> list[Connector]:
        """The curves between every pair of neighbouring panes, as they would be painted now."""
        out: list[Connector] = []
        for i in range(len(self._views) - 1):
            out += self._pair(self._views[i], self._views[i + 1])
        # Panes further apart: only the selected spans' links, so that a curve crossing the middle
        # pane's text is there when it is asked for and never as clutter.
        if self._highlight:
            for i in range(len(self._views) - 2):
                for j in range(i + 2, len(self._views)):
                    out += self._pair(self._views[i], self._views[j], only=self._highlight)
        return out

    def _pair(self, left: ArticleView, right: ArticleView, only: set[int] | None = None) -> list[Connector]:
        if left.article is None or right.article is None or left.article.id == right.article.id:
            return []
        a_id, b_id = left.article.id, right.article.id
        out: list[Connector] = []
        left_vp, right_vp = self.viewport_box(left), self.viewport_box(right)
        for link in self._links:
            if self.visible_filter is not None and not self.visible_filter(link):
                continue
            if link.source_article_id == a_id and link.target_article_id == b_id:
                lid, rid = link.source_span_id, link.target_span_id
            elif link.source_article_id == b_id and link.target_article_id == a_id:
                lid, rid = link.target_span_id, link.source_span_id
            else:
                continue
            if only is not None and lid not in only and rid not in only:
                continue
            lr, rr = self.span_rect(left, lid), self.span_rect(right, rid)
            if lr is None or rr is None:
                continue  # a span of a layer the pane does not show
            lbox, rbox = self.map_rect(left, lr), self.map_rect(right, rr)
            start, s_edge = _anchor(lbox, left_vp, lbox.right() + MARGIN)
            end, e_edge = _anchor(rbox, right_vp, rbox.left() - MARGIN)
            if s_edge != INSIDE and e_edge != INSIDE:
                continue
            out.append(
                Connector(
                    link.id,
                    link.type,
                    self._colors.get(link.type, "#7f8c8d"),
                    lid,
                    rid,
                    start,
                    end,
                    s_edge,
                    e_edge,
                    _curve(start, end),
                    lbox.intersected(left_vp),
                    rbox.intersected(right_vp),
                )
            )
        return out

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        connectors = self.connectors()
        # Faded and dashed first, highlighted last, so the curves that matter stay on top.
        connectors.sort(
            key=lambda c: (c.left_span_id in self._highlight or c.right_span_id in self._highlight,)
        )
        for c in connectors:
            self._paint_connector(painter, c)
        if self._drag is not None:
            start, end, color = self._drag
            pen = QPen(QColor(color), 2.0, Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(_curve(start, end))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(color))
            painter.drawEllipse(end, 4.0, 4.0)
        painter.end()

    def _paint_connector(self, painter: QPainter, c: Connector) -> None:
        color = QColor(c.color)
        strong = c.left_span_id in self._highlight or c.right_span_id in self._highlight
        dimmed = bool(self._highlight) and not strong
        clipped = c.start_edge != INSIDE or c.end_edge != INSIDE
        alpha = 0.95 if strong else 0.30 if dimmed else 0.45 if clipped else 0.78
        color.setAlphaF(alpha)
        # A soft halo under the stroke keeps the curve readable where it crosses text.
        halo = QColor(self.palette().color(self.backgroundRole()))
        halo.setAlphaF(0.55 if not dimmed else 0.25)
        width = self.LINE_WIDTH + (1.0 if strong else 0.0)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(halo, width + 3.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawPath(c.path)
        pen = QPen(color, width, Qt.PenStyle.DashLine if clipped else Qt.PenStyle.SolidLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawPath(c.path)
        # End markers: a bar along the span's side when it is on screen, an arrow at the edge when not.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for point, edge, box, side in (
            (c.start, c.start_edge, c.left_box, 1),
            (c.end, c.end_edge, c.right_box, -1),
        ):
            if edge == INSIDE:
                bar = QRectF(
                    point.x() - (3.0 if side > 0 else 0.0), box.top() + 1, 3.0, max(4.0, box.height() - 2)
                )
                painter.drawRoundedRect(bar, 1.5, 1.5)
                painter.drawEllipse(point, 3.2, 3.2)
            else:
                painter.drawPolygon(_arrow(point, edge))


def _anchor(box: QRectF, viewport: QRectF, x: float) -> tuple[QPointF, int]:
    """Where a curve meets a span: the middle of its side, or the viewport edge when out of view."""
    if box.bottom() < viewport.top() + 2:
        return QPointF(x, viewport.top()), ABOVE
    if box.top() > viewport.bottom() - 2:
        return QPointF(x, viewport.bottom()), BELOW
    # Part of the span may be out of view: aim at the middle of the visible part.
    top, bottom = max(box.top(), viewport.top()), min(box.bottom(), viewport.bottom())
    return QPointF(x, (top + bottom) / 2), INSIDE


def _curve(start: QPointF, end: QPointF) -> QPainterPath:
    """A horizontal-tangent cubic from ``start`` to ``end`` (the diff-tool connector shape)."""
    dx = max(40.0, abs(end.x() - start.x()) * 0.5)
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
    return path


def _arrow(point: QPointF, edge: int) -> QPolygonF:
    """A small triangle at a viewport edge pointing out of the pane (where the span is)."""
    tip = 6.0 * edge
    base = point.y() - tip
    return QPolygonF(
        [
            QPointF(point.x(), point.y()),
            QPointF(point.x() - 5.0, base),
            QPointF(point.x() + 5.0, base),
        ]
    )


__all__ = ["ABOVE", "BELOW", "INSIDE", "Connector", "LinkConnector"]
