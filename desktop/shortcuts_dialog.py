"""Help ▸ Shortcuts (F1): every key the window answers to, and the label definitions."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from db.records import LabelRecord

#: Keys the reader answers to while the article text has focus (desktop/reader_pane.py).
READER_KEYS = (
    ("1 … 4 (a label's key)", "Label the selected text, or relabel the selected span"),
    ("Tab, Shift+Tab", "Select the next / previous span"),
    ("Shift+Left, Shift+Right", "Move the selected span's start by a token"),
    ("Alt+Left, Alt+Right", "Move the selected span's end by a token"),
    ("N", "Edit the selected span's note"),
    ("L, then select a span", "Link the selected span to it: a menu asks the type (1-9); Escape cancels"),
    ("Ctrl+click", "Link the clicked span to the span selected before"),
    ("Delete", "Delete the selected span"),
    ("Escape", "Clear the selection"),
    ("Enter, Shift+Enter", "In the find bar: next / previous match"),
    # Span suggestions (desktop/suggestions_controller.py; Annotate ▸ Suggest spans, Ctrl+Shift+S).
    ("Ctrl+Shift+S", "Suggest spans in the open article (Annotate menu)"),
    ("S, Shift+S", "Select the next / previous suggestion (dashed outline)"),
    ("Tab on a suggestion", "Next suggestion (nothing selected: the nearer span or suggestion)"),
    ("Enter or A", "Accept the selected suggestion: it becomes your span"),
    ("X or Backspace", "Reject the selected suggestion: never offered again for this article"),
    ("Escape while suggesting", "Cancel the suggestions being computed"),
    # Review mode (desktop/review_mode.py; Review ▸ Start review…, Ctrl+Shift+R).
    ("] and [ (Down / Up in the queue)", "Review: next / previous item"),
    ("1 or Ctrl+Left", "Review: accept A's version into gold (one layer: accept, also A)"),
    ("2 or Ctrl+Right", "Review: accept B's version into gold"),
    ("R", "Review: reject (keep it out of gold)"),
    ("C", "Review: comment for the annotator (Enter saves, Escape cancels)"),
    ("Ctrl+Enter", "Review: mark the article reviewed (again: unmark)"),
)


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
        self.browser.setHtml(self.page(shortcut_rows(actions), labels, READER_KEYS))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    @staticmethod
    def page(
        rows: Sequence[tuple[str, str]],
        labels: Sequence[LabelRecord],
        reader_rows: Sequence[tuple[str, str]] = (),
    ) -> str:
        def table(items: Sequence[tuple[str, str]]) -> str:
            return (
                "<table>"
                + "".join(
                    f"<tr><td style='padding:2px 14px 2px 0'><b>{html.escape(k)}</b></td><td>{html.escape(w)}</td></tr>"
                    for k, w in items
                )
                + "</table>"
            )

        defs = "".join(
            f"<p><span style='background:{lb.color};color:white;padding:1px 6px'>&nbsp;{html.escape(lb.name)}&nbsp;</span>"
            f" &nbsp;<b>{html.escape(lb.shortcut or '')}</b> &nbsp;<code>{lb.key}</code><br>{html.escape(lb.definition)}</p>"
            for lb in labels
        )
        reader = f"<h3>In the article</h3>{table(reader_rows)}" if reader_rows else ""
        return f"<h3>Everywhere in the window</h3>{table(rows)}{reader}<h3>Labels</h3>{defs}"
