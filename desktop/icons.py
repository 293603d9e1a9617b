"""Icons: qtawesome's Material Design glyphs tinted for the current palette, label icons in the
label's colour, the application icon (drawn, so that no image file has to ship).

The glyphs are drawn from the font qtawesome ships, loaded directly: importing qtawesome itself
pulls in qtpy's star imports of every Qt module, a quarter of a second of startup. Names that are
not Material Design 6 (or a missing font) fall back to ``qtawesome.icon``.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QIcon,
    QIconEngine,
    QPainter,
    QPainterPath,
    QPalette,
    QPixmap,
)
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


@cache
def _mdi6() -> tuple[str, dict[str, int]] | None:
    """(font family, glyph name -> code point) of qtawesome's Material Design 6 font, or None."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        return None
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    ttf = next(iter(sorted(fonts.glob("materialdesignicons6-webfont-*.ttf"))), None)
    charmap = next(iter(sorted(fonts.glob("materialdesignicons6-webfont-charmap-*.json"))), None)
    if ttf is None or charmap is None:
        return None
    font_id = QFontDatabase.addApplicationFont(str(ttf))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    names = json.loads(charmap.read_text(encoding="utf-8"))
    return families[0], {k: int(v, 16) for k, v in names.items()}


class _GlyphEngine(QIconEngine):
    """Draws one font glyph at any size, muted when the icon is disabled."""

    def __init__(self, family: str, char: str, color: QColor, follow_palette: bool = False) -> None:
        super().__init__()
        self._family, self._char, self._color = family, char, QColor(color)
        #: Paint in the palette's current text colour (so a theme change re-tints the icon).
        self._follow = follow_palette

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        color = _text_colour() if self._follow else QColor(self._color)
        if mode == QIcon.Mode.Disabled:
            color.setAlphaF(0.35)
        font = QFont(self._family)
        font.setPixelSize(max(1, round(rect.height())))
        painter.save()
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._char)
        painter.restore()

    def pixmap(self, size: object, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pix = QPixmap(size)  # type: ignore[call-overload]
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        self.paint(painter, QRect(0, 0, pix.width(), pix.height()), mode, state)
        painter.end()
        return pix

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self._family, self._char, self._color, self._follow)


def glyph_icon(glyph: str, color: QColor | str, follow_palette: bool = False) -> QIcon:
    """An icon from a qtawesome name such as "mdi6.label", in ``color`` (or, with
    ``follow_palette``, in the palette's text colour at each paint)."""
    prefix, _, name = glyph.partition(".")
    font = _mdi6() if prefix == "mdi6" else None
    if font is not None and name in font[1]:
        return QIcon(_GlyphEngine(font[0], chr(font[1][name]), QColor(color), follow_palette))
    import qtawesome as qta

    muted = QColor(color)
    muted.setAlphaF(0.35)
    return qta.icon(glyph, color=QColor(color), color_disabled=muted)


def icon(name: str, color: str | None = None) -> QIcon:
    """A glyph from ``GLYPHS`` (or any qtawesome name) in the palette's text colour."""
    return glyph_icon(GLYPHS.get(name, name), QColor(color) if color else _text_colour(), color is None)


def label_icon(color: str) -> QIcon:
    """The icon of a label's toolbar button, in the label's colour."""
    return glyph_icon("mdi6.label", color)


def is_dark(palette: QPalette | None = None) -> bool:
    if palette is None:
        app = QApplication.instance()
        palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


@cache
def app_icon() -> QIcon:
    """The Newsmark icon: ``resources/images/newsmark-*.png`` (rendered from newsmark.svg by
    make_icons.py), or, without those files, a rounded blue square with a highlighter and an "N"."""
    from db.resources import resource

    result = QIcon()
    for png in sorted(resource("images").glob("newsmark-*.png")):
        result.addFile(str(png))
    if not result.isNull():
        return result
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
