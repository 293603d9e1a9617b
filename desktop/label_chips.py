"""Small coloured label chips: "3" on a CLAIM-coloured pill, "2" on an ATTRIBUTION one...

``LabelChipsDelegate`` paints a cell whose ``CHIPS_ROLE`` data is a list of ``Chip``; both the
navigator (span counts per label) and the span list (the span's label) use it. Items without chip
data are painted as usual, so the delegate can sit on a whole view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

#: Item data role holding ``list[Chip]``.
CHIPS_ROLE = Qt.ItemDataRole.UserRole + 40
#: Drawn chip rows kept (a few screens' worth of different counts).
CACHE_SIZE = 512


@dataclass(frozen=True, slots=True)
class Chip:
    text: str
    color: str
    tooltip: str = ""


def text_colour_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    r, g, b = background.redF(), background.greenF(), background.blueF()
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return QColor("#111111") if luminance > 0.55 else QColor("#ffffff")


class LabelChipsDelegate(QStyledItemDelegate):
    """Paints ``CHIPS_ROLE`` lists as rounded coloured pills, left to right."""

    PAD_X = 6
    GAP = 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache: dict[tuple[Any, ...], QPixmap] = {}

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        chips = index.data(CHIPS_ROLE)
        if not chips:
            super().paint(painter, option, index)
            return
        # Background and selection as the style draws them, without the text.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        font = QFont(opt.font)  # type: ignore[attr-defined]
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        font.setBold(True)
        rect: QRect = opt.rect  # type: ignore[attr-defined]
        pills = self._pills(
            tuple(chips), font, rect.width() - 4, rect.height(), painter.device().devicePixelRatioF()
        )
        painter.drawPixmap(rect.left() + 4, rect.top(), pills)

    def _pills(self, chips: tuple[Chip, ...], font: QFont, width: int, height: int, ratio: float) -> QPixmap:
        """The chips drawn once on a transparent pixmap, kept for the next rows and repaints that
        show the same counts (a navigator repaint draws the same few dozen again and again)."""
        key = (chips, font.key(), width, height, ratio)
        found = self._cache.get(key)
        if found is not None:
            return found
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        fm = QFontMetrics(font)
        h = min(fm.height() + 2, height - 4)
        x = 0.0
        y = (height - h) / 2
        for chip in chips:
            w = fm.horizontalAdvance(chip.text) + 2 * self.PAD_X
            if x + w > width:
                break
            pill = QRectF(x, y, w, h)
            bg = QColor(chip.color)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bg)
            painter.drawRoundedRect(pill, h / 2, h / 2)
            painter.setPen(text_colour_on(bg))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, chip.text)
            x += w + self.GAP
        painter.end()
        self._cache[key] = pixmap
        return pixmap

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        chips = index.data(CHIPS_ROLE)
        if chips:
            fm = QFontMetrics(option.font)  # type: ignore[attr-defined]
            width = sum(fm.horizontalAdvance(c.text) + 2 * self.PAD_X + self.GAP for c in chips) + 8
            size.setWidth(max(size.width(), width))
        return size
