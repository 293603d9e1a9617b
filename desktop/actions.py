"""``make_action``: a window action with its icon, shortcut, tip and slot, made the one way."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desktop.icons import icon


def make_action(
    window: QWidget, text: str, glyph: str | None, slot: Any, shortcut: Any = None, tip: str = ""
) -> QAction:
    """An action of ``window``: ``glyph`` names an icon (``desktop.icons``), ``shortcut`` is a key
    sequence or its text, ``tip`` shows in the status bar and as the tooltip; ``slot`` is called
    without arguments when the action is triggered."""
    action = QAction(text, window)
    if glyph:
        action.setIcon(icon(glyph))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action
