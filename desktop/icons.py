"""Icons: qtawesome glyphs tinted for the current palette, label icons in the label's colour, the
application icon (drawn, so that no image file has to ship)."""

from __future__ import annotations

from functools import cache

import qtawesome as qta
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

#: Names used across the shell, so that one place decides the look.
GLYPHS = {
    "new": "mdi6.file-plus-outline",
    "open": "mdi6.folder-open-outline",
    "import": "mdi6.tray-arrow-down",
    "export": "mdi6.tray-arrow-up",
    "quit": "mdi6.exit-to-app",
    "undo": "mdi6.undo",
    "redo": "mdi6.redo",
    "find": "mdi6.magnify",
    "find_corpus": "mdi6.text-search",
    "labels": "mdi6.tag-multiple-outline",
    "help": "mdi6.keyboard-outline",
    "about": "mdi6.information-outline",
    "story": "mdi6.newspaper-variant-multiple-outline",
    "outlet": "mdi6.domain",
    "article": "mdi6.file-document-outline",
    "reviewed": "mdi6.check-circle",
    "delete": "mdi6.delete-outline",
    "next": "mdi6.chevron-down",
    "previous": "mdi6.chevron-up",
    "link": "mdi6.link-variant",
    "note": "mdi6.note-text-outline",
    "annotator": "mdi6.account-edit-outline",
    "cancel": "mdi6.close-circle-outline",
    "sort": "mdi6.sort",
}


def _text_colour() -> QColor:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app.palette().color(QPalette.ColorRole.WindowText)
    return QColor("#333333")


def icon(name: str, color: str | None = None) -> QIcon:
    """A glyph from ``GLYPHS`` (or any qtawesome name) in the palette's text colour."""
    glyph = GLYPHS.get(name, name)
    tint = QColor(color) if color else _text_colour()
    muted = QColor(tint)
    muted.setAlphaF(0.35)
    return qta.icon(glyph, color=tint, color_disabled=muted)


def label_icon(color: str) -> QIcon:
    """The icon of a label's toolbar button, in the label's colour."""
    return qta.icon("mdi6.label", color=color)


def is_dark(palette: QPalette | None = None) -> bool:
    if palette is None:
        app = QApplication.instance()
        palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


@cache
def app_icon() -> QIcon:
    """A rounded blue square with a highlighter stroke and an "N": the Newsmark mark."""
    result = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        r = QRectF(0.5, 0.5, size - 1, size - 1)
        path.addRoundedRect(r, size * 0.22, size * 0.22)
        p.fillPath(path, QColor("#1f5fa8"))
        band = QRectF(size * 0.14, size * 0.56, size * 0.72, size * 0.2)
        p.fillRect(band, QColor("#f6c744"))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.62))
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, "N")
        p.end()
        result.addPixmap(pix)
    return result
