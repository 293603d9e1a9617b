"""The light and dark themes: a palette on the Fusion style, or the system's own look.

Apart from ``desktop.settings_dialog`` (which re-exports ``apply_theme``) because the app applies
the stored theme before its first window shows, when only PySide6 is imported.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

_system_style: str | None = None


def palette_for(theme: str) -> QPalette:
    dark = theme == "dark"
    colours = {
        QPalette.ColorRole.Window: "#25272b" if dark else "#f3f4f6",
        QPalette.ColorRole.WindowText: "#e6e7e9" if dark else "#1f2328",
        QPalette.ColorRole.Base: "#1c1d20" if dark else "#ffffff",
        QPalette.ColorRole.AlternateBase: "#2b2d31" if dark else "#f6f7f9",
        QPalette.ColorRole.Text: "#e6e7e9" if dark else "#1f2328",
        QPalette.ColorRole.Button: "#2f3136" if dark else "#f6f7f9",
        QPalette.ColorRole.ButtonText: "#e6e7e9" if dark else "#1f2328",
        QPalette.ColorRole.ToolTipBase: "#2f3136" if dark else "#ffffe1",
        QPalette.ColorRole.ToolTipText: "#e6e7e9" if dark else "#1f2328",
        QPalette.ColorRole.PlaceholderText: "#8b9097" if dark else "#8a9099",
        QPalette.ColorRole.Highlight: "#3d7bd9" if dark else "#1f5fa8",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#6ea8f0" if dark else "#1f5fa8",
        QPalette.ColorRole.Mid: "#3c3f44" if dark else "#c9cdd3",
        QPalette.ColorRole.Dark: "#141517" if dark else "#a0a6ad",
        QPalette.ColorRole.Light: "#3a3d42" if dark else "#ffffff",
    }
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7078" if dark else "#a3a8ae"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Give the application the light or dark palette (Fusion style), or the system's own look."""
    from desktop.app import load_stylesheet

    global _system_style
    if _system_style is None:
        _system_style = app.style().name()
    if theme in ("light", "dark"):
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(palette_for(theme))
    else:
        app.setStyle(QStyleFactory.create(_system_style) or QStyleFactory.create("Fusion"))
        app.setPalette(app.style().standardPalette())
    app.setStyleSheet(load_stylesheet(app))
