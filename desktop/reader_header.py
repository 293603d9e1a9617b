"""The reader's frame: ``ArticleHeader`` (headline, outlet, date, link) and ``LabelLegend``."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

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
    """The project's labels as colour swatches with their keyboard shortcut, in schema order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 6, 0, 6)
        self._layout.setSpacing(18)
        self._items: list[QLabel] = []

    def set_labels(self, labels: list[LabelRecord]) -> None:
        for item in self._items:
            self._layout.removeWidget(item)
            item.deleteLater()
        self._items = []
        while self._layout.count():
            self._layout.takeAt(0)
        self._layout.addStretch(1)
        for label in labels:
            key = (
                f" <span style='color:palette(placeholder-text)'>{html.escape(label.shortcut)}</span>"
                if label.shortcut
                else ""
            )
            color = QColor(label.color)
            fill = QColor(color)
            fill.setAlphaF(0.25)
            item = QLabel(
                f"<span style='background-color:{fill.name(QColor.NameFormat.HexArgb)};"
                f" border-bottom:2px solid {color.name()}'>&nbsp;{html.escape(label.name)}&nbsp;</span>{key}"
            )
            item.setToolTip(label.definition)
            self._items.append(item)
            self._layout.addWidget(item)
        self._layout.addStretch(1)
