"""AgreementChart: grouped bars (one group per label, one bar per measure), drawn with QPainter.

PySide6-Essentials has no QtCharts, and a few bars do not need it. Values are in [−1, 1] (kappa
and alpha can be negative); the axis runs from 0 (or the lowest value, if below) to 1. A value
that is undefined ("—") leaves a gap with a small dash. Each bar carries its value as text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

SERIES_COLORS = ("#3b6fd4", "#7fa6ec", "#2a9d8f", "#e9a23b")


class AgreementChart(QWidget):
    """Call ``set_data(groups, series, values)``: values[g][s] is a float or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementChart")
        self.groups: list[str] = []
        self.series: list[str] = []
        self.values: list[list[float | None]] = []
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(
        self, groups: Sequence[str], series: Sequence[str], values: Sequence[Sequence[float | None]]
    ) -> None:
        self.groups = list(groups)
        self.series = list(series)
        self.values = [list(v) for v in values]
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, 260)

    def bar_rects(self) -> list[list[QRectF | None]]:
        """The bars' rectangles (for tests and hit-testing), same shape as ``values``."""
        plot, lo = self._plot_rect(), self._low()
        out: list[list[QRectF | None]] = []
        if not self.groups:
            return out
        gw = plot.width() / len(self.groups)
        n = max(1, len(self.series))
        bw = min(26.0, gw * 0.8 / n)
        zero = self._y(plot, 0.0, lo)
        for g, row in enumerate(self.values):
            x0 = plot.left() + g * gw + (gw - bw * n) / 2
            rects: list[QRectF | None] = []
            for s, v in enumerate(row):
                if v is None:
                    rects.append(None)
                    continue
                y = self._y(plot, v, lo)
                rects.append(QRectF(x0 + s * bw + 1, min(y, zero), bw - 2, abs(zero - y)))
            out.append(rects)
        return out

    def _low(self) -> float:
        known = [v for row in self.values for v in row if v is not None]
        return min(0.0, min(known, default=0.0))

    def _plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        left = fm.horizontalAdvance("−0.5") + 14
        return QRectF(
            left, 30, max(10.0, self.width() - left - 12), max(10.0, self.height() - 30 - fm.height() - 14)
        )

    @staticmethod
    def _y(plot: QRectF, v: float, lo: float) -> float:
        span = 1.0 - lo
        return plot.bottom() - (v - lo) / span * plot.height()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlphaF(0.55)
        grid = QColor(text)
        grid.setAlphaF(0.12)
        plot, lo = self._plot_rect(), self._low()
        fm = self.fontMetrics()
        # legend
        x = plot.left()
        for s, name in enumerate(self.series):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(SERIES_COLORS[s % len(SERIES_COLORS)]))
            p.drawRoundedRect(QRectF(x, 9, 12, 12), 2, 2)
            p.setPen(text)
            p.drawText(QPointF(x + 17, 9 + fm.ascent() - 1), name)
            x += 17 + fm.horizontalAdvance(name) + 18
        # grid and axis
        ticks = [t / 4 for t in range(int(lo * 4) - (1 if lo * 4 % 1 else 0), 5)]
        for t in ticks:
            y = self._y(plot, t, lo)
            p.setPen(QPen(grid if t else muted, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(muted)
            label = f"{t:.2f}".replace("-", "−").rstrip("0").rstrip(".") if t else "0"
            p.drawText(
                QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        if not self.groups:
            p.setPen(muted)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "Nothing to compare yet")
            p.end()
            return
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.78))
        small_h = QFontMetricsF(small).height()
        gw = plot.width() / len(self.groups)
        for g, (name, rects) in enumerate(zip(self.groups, self.bar_rects(), strict=True)):
            for s, rect in enumerate(rects):
                value = self.values[g][s]
                if rect is None:
                    n = max(1, len(self.series))
                    bw = min(26.0, gw * 0.8 / n)
                    cx = plot.left() + g * gw + (gw - bw * n) / 2 + s * bw + bw / 2
                    p.setPen(QPen(muted, 1.5))
                    zero = self._y(plot, 0.0, lo)
                    p.drawLine(QPointF(cx - 3, zero - 3), QPointF(cx + 3, zero - 3))
                    continue
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(SERIES_COLORS[s % len(SERIES_COLORS)]))
                p.drawRoundedRect(rect, 2, 2)
                if value is not None and rect.width() >= 16:
                    p.setFont(small)
                    p.setPen(text)
                    top = rect.top() - 3 if value >= 0 else rect.bottom() + small_h + 1
                    p.drawText(
                        QRectF(rect.center().x() - 20, top - fm.height(), 40, fm.height()),
                        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                        f"{value:.2f}",
                    )
                    p.setFont(self.font())
            p.setPen(text)
            p.drawText(
                QRectF(plot.left() + g * gw, plot.bottom() + 6, gw, fm.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                fm.elidedText(name, Qt.TextElideMode.ElideRight, int(gw) - 4),
            )
        p.end()
