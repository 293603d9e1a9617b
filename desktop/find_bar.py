"""FindBar: a one-line search field to find text in the article being read."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Search field with previous/next buttons; hidden until ``open_bar``.

    Signals:
        findRequested(str text, bool backwards): the user asked for the next/previous match.
        closed(): the bar was closed (Escape or the close button).
    """

    findRequested = Signal(str, bool)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in article")
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(lambda: self.findRequested.emit(self.field.text(), False))
        self.status = QLabel()
        previous = QToolButton(text="↑", toolTip="Previous match (Shift+Enter)")
        previous.clicked.connect(lambda: self.findRequested.emit(self.field.text(), True))
        following = QToolButton(text="↓", toolTip="Next match (Enter)")
        following.clicked.connect(lambda: self.findRequested.emit(self.field.text(), False))
        close = QToolButton(text="✕", toolTip="Close (Escape)")
        close.setAutoRaise(True)
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.status)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.hide()

    def open_bar(self, text: str = "") -> None:
        if text:
            self.field.setText(text)
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.status.clear()
        self.closed.emit()

    def set_found(self, found: bool) -> None:
        self.status.setText("" if found or not self.field.text() else "Not found")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.findRequested.emit(self.field.text(), True)
            return
        super().keyPressEvent(event)
