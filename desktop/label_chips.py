"""Small coloured label chips: "3" on a CLAIM-coloured pill, "2" on an ATTRIBUTION one...

``LabelChipsDelegate`` paints a cell whose ``CHIPS_ROLE`` data is a list of ``Chip``; both the
navigator (span counts per label) and the span list (the span's label) use it. Items without chip
data are painted as usual, so the delegate can sit on a whole view.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

#: Item data role holding ``list[Chip]``.
CHIPS_ROLE = Qt.ItemDataRole.UserRole + 40


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
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = opt.font  # type: ignore[attr-defined]
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        font.setBold(True)
        painter.setFont(font)
        fm = QFontMetrics(font)
        rect: QRect = opt.rect  # type: ignore[attr-defined]
        h = min(fm.height() + 2, rect.height() - 4)
        x = rect.left() + 4
        y = rect.top() + (rect.height() - h) / 2
        for chip in chips:
            w = fm.horizontalAdvance(chip.text) + 2 * self.PAD_X
            if x + w > rect.right():
                break
            pill = QRectF(x, y, w, h)
            bg = QColor(chip.color)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bg)
            painter.drawRoundedRect(pill, h / 2, h / 2)
            painter.setPen(text_colour_on(bg))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, chip.text)
            x += w + self.GAP
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        chips = index.data(CHIPS_ROLE)
        if chips:
            fm = QFontMetrics(option.font)  # type: ignore[attr-defined]
            width = sum(fm.horizontalAdvance(c.text) + 2 * self.PAD_X + self.GAP for c in chips) + 8
            size.setWidth(max(size.width(), width))
        return size
