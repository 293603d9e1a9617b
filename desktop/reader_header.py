"""The reader's frame: ``ArticleHeader`` (headline, outlet, date, link) and ``LabelLegend``."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from db.records import ArticleRecord, LabelRecord


class ArticleHeader(QWidget):
    """Headline, then outlet · date · author, then the source URL as a link."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setWeight(QFont.Weight.DemiBold)
        self.headline.setFont(font)
        self.meta = QLabel()
        self.meta.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.link = QLabel()
        self.link.setOpenExternalLinks(True)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.link.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 14, 0, 10)
        layout.setSpacing(4)
        layout.addWidget(self.headline)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.meta)
        row.addWidget(self.link, 1)
        layout.addLayout(row)

    def show_article(self, article: ArticleRecord | None) -> None:
        if article is None:
            self.headline.setText("")
            self.meta.setText("")
            self.link.setText("")
            return
        self.headline.setText(article.title or "Untitled article")
        facts = [article.outlet or "Unknown outlet"]
        if article.published:
            facts.append(article.published.strftime("%d %B %Y").lstrip("0"))
        if article.author:
            facts.append(article.author)
        self.meta.setText("  ·  ".join(facts))
        if article.url:
            url = html.escape(article.url, quote=True)
            self.link.setText(f"<a href='{url}'>{html.escape(_short_url(article.url))}</a>")
            self.link.setToolTip(article.url)
        else:
            self.link.setText("")
            self.link.setToolTip("")


def _short_url(url: str, limit: int = 60) -> str:
    bare = url.split("://", 1)[-1]
    return bare if len(bare) <= limit else bare[: limit - 1] + "…"


class LabelLegend(QWidget):
    """The project's labels as colour swatches with their keyboard shortcut, in schema order.

    Painted directly (a swatch like a span's band and underline, the name, the key): a row of
    rich-text labels cost more to lay out than the article text when the reader opens."""

    SPACING = 18  # px between two labels
    PAD = 4  # px inside a swatch, each side of the name
    MARGIN = 6  # px above and below the row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: list[LabelRecord] = []
        self._widths: list[tuple[int, int]] = []  # (swatch width, shortcut width) per label
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_labels(self, labels: list[LabelRecord]) -> None:
        self._labels = list(labels)
        self._widths = []
        self.updateGeometry()
        self.update()

    def labels(self) -> list[LabelRecord]:
        return list(self._labels)

    def _measure(self) -> list[tuple[int, int]]:
        if len(self._widths) != len(self._labels):
            metrics = QFontMetrics(self.font())
            self._widths = [
                (
                    metrics.horizontalAdvance(label.name) + 2 * self.PAD,
                    metrics.horizontalAdvance(" " + label.shortcut) if label.shortcut else 0,
                )
                for label in self._labels
            ]
        return self._widths

    def sizeHint(self) -> QSize:
        widths = self._measure()
        total = sum(a + b for a, b in widths) + self.SPACING * max(0, len(widths) - 1)
        return QSize(total, QFontMetrics(self.font()).height() + 2 * self.MARGIN + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())

    def item_rects(self) -> list[QRect]:
        """Each label's swatch and shortcut, in widget coordinates (centred as a row)."""
        widths = self._measure()
        total = sum(a + b for a, b in widths) + self.SPACING * max(0, len(widths) - 1)
        x = max(0, (self.width() - total) // 2)
        height = QFontMetrics(self.font()).height() + 2
        top = (self.height() - height) // 2
        rects = []
        for swatch, key in widths:
            rects.append(QRect(x, top, swatch + key, height))
            x += swatch + key + self.SPACING
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = QFontMetrics(self.font())
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for label, (swatch, _key), rect in zip(self._labels, self._measure(), self.item_rects(), strict=True):
            color = QColor(label.color)
            fill = QColor(color)
            fill.setAlphaF(0.25)
            band = QRect(rect.left(), rect.top(), swatch, rect.height())
            painter.fillRect(band.adjusted(0, 0, 0, -2), fill)
            painter.fillRect(QRect(band.left(), band.bottom() - 1, band.width(), 2), color)
            baseline = rect.top() + 1 + metrics.ascent()
            painter.setPen(text)
            painter.drawText(band.left() + self.PAD, baseline, label.name)
            if label.shortcut:
                painter.setPen(muted)
                painter.drawText(band.right() + 1, baseline, " " + label.shortcut)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for label, rect in zip(self._labels, self.item_rects(), strict=True):
                if rect.contains(event.pos()) and label.definition:
                    QToolTip.showText(event.globalPos(), label.definition, self, rect)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)
