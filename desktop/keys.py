"""``take_key``: the one way a widget's event filter turns a key press into one of its actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeyEvent

KeyAction = Callable[[], object]


def take_key(event: QEvent, find: Callable[[QKeyEvent], KeyAction | None]) -> bool:
    """For an event filter: if ``find`` names an action for this key, claim the event (also its
    shortcut override, so that no window shortcut takes the key first) and run the action once, on
    the press. False when the event is not a key or the key is not one of ours."""
    if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) or not isinstance(
        event, QKeyEvent
    ):
        return False
    action = find(event)
    if action is None:
        return False
    event.accept()
    if event.type() == QEvent.Type.KeyPress:
        action()
    return True
