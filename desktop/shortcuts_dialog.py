"""Help ▸ Shortcuts (F1): every key the window answers to, and the label definitions."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from db.records import LabelRecord


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, what) for every action with a shortcut, in menu order, without duplicates."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for action in actions:
        keys = ", ".join(
            s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty()
        )
        what = action.text().replace("&", "").rstrip(".…")
        if keys and (keys, what) and keys not in seen:
            seen.add(keys)
            rows.append((keys, what))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(
        self, actions: Iterable[QAction], labels: Sequence[LabelRecord], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts and labels")
        self.resize(640, 620)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(self.page(shortcut_rows(actions), labels))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    @staticmethod
    def page(rows: Sequence[tuple[str, str]], labels: Sequence[LabelRecord]) -> str:
        keys = "".join(
            f"<tr><td style='padding:2px 14px 2px 0'><b>{html.escape(k)}</b></td><td>{html.escape(w)}</td></tr>"
            for k, w in rows
        )
        defs = "".join(
            f"<p><span style='background:{lb.color};color:white;padding:1px 6px'>&nbsp;{html.escape(lb.name)}&nbsp;</span>"
            f" &nbsp;<b>{html.escape(lb.shortcut or '')}</b> &nbsp;<code>{lb.key}</code><br>{html.escape(lb.definition)}</p>"
            for lb in labels
        )
        return f"<h3>Keys</h3><table>{keys}</table><h3>Labels</h3>{defs}"
