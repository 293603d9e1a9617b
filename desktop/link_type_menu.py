"""LinkTypeMenu: the small menu that asks which kind of link to make (keys 1-9 pick an entry).

Used wherever two spans are about to be joined: the compare view (L, or a drag from one span to
another), the reader (L, then click the second span) and the suggestions panel (Shift+A).
``choose_link_type`` is the one entry point; tests replace it to answer without a popup.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QMenu, QWidget

from db.records import LinkTypeRecord


def link_type_icon(color: str, size: int = 16) -> QIcon:
    """A short thick stroke with round ends in the link type's colour (as the curves are drawn)."""
    pix = QPixmap(size * 2, size * 2)
    pix.setDevicePixelRatio(2.0)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(color), 3.2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawLine(3, size - 4, size - 3, 4)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(QRectF(1, size - 6, 5, 5))
    painter.drawEllipse(QRectF(size - 6, 1.5, 5, 5))
    painter.end()
    return QIcon(pix)


class LinkTypeMenu(QMenu):
    """One entry per link type: "1  Same claim", in the type's colour; its definition as tooltip.

    ``chosen`` holds the picked key after ``exec`` (None when dismissed)."""

    def __init__(
        self,
        types: Sequence[LinkTypeRecord],
        parent: QWidget | None = None,
        *,
        title: str = "Link as",
        default: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("linkTypeMenu")
        self.setToolTipsVisible(True)
        self.chosen: str | None = None
        header = self.addAction(title)
        header.setEnabled(False)
        self.addSeparator()
        self.type_actions: list[QAction] = []
        for n, lt in enumerate(types, start=1):
            # "&1" makes the digit the entry's mnemonic, so 1-9 pick without moving the mouse.
            text = f"&{n}   {lt.name}" if n <= 9 else f"     {lt.name}"
            action = self.addAction(link_type_icon(lt.color), text)
            action.setData(lt.key)
            action.setToolTip(lt.definition or lt.name)
            action.setStatusTip(lt.definition)
            action.triggered.connect(lambda _c=False, key=lt.key: self._choose(key))
            self.type_actions.append(action)
            if lt.key == default:
                self.setActiveAction(action)
                self.setDefaultAction(action)

    def _choose(self, key: str) -> None:
        self.chosen = key


def choose_link_type(
    parent: QWidget | None,
    types: Sequence[LinkTypeRecord],
    global_pos: QPoint,
    *,
    title: str = "Link as",
    default: str | None = None,
) -> str | None:
    """Show the menu at ``global_pos`` and return the chosen link type key (None: cancelled)."""
    menu = LinkTypeMenu(types, parent, title=title, default=default)
    menu.exec(global_pos)
    chosen = menu.chosen
    menu.deleteLater()
    return chosen
