"""ReviewBar: the review dock's content: the queue, the current item's two sides, the verdict
buttons, a comment box and a legend of the reader's review styles.

It shows a ``ReviewController`` and sends the user's choices to it; it holds no state of its own.
Signals: ``closeRequested()`` (End review).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.layer_diff import DiffKind, DiffLink, DiffSpan, LinkDiffItem
from desktop.icons import icon
from desktop.review_mode import ReviewController
from desktop.review_queue_model import KIND_COLORS, SIDE_COLORS, Verdict, kind_text, verdict_text
from desktop.span_painter import SpanPainter, SpanShape

_LEGEND = (
    ("agree", "a", "Agree"),
    ("label_conflict", "a", "Label differs"),
    ("boundary", "ab", "Boundary differs (A, B)"),
    ("only_a", "a", "Only A"),
    ("only_b", "b", "Only B"),
)


class ReviewLegend(QWidget):
    """Samples of the reader's review styles, drawn with the reader's own ``SpanPainter``."""

    SAMPLE_W = 46

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewLegend")
        self.names = ("A", "B")
        self.setMinimumHeight(26)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_names(self, a: str, b: str) -> None:
        self.names = (a, b)
        self.updateGeometry()
        self.update()

    def entries(self) -> list[tuple[str, str, str]]:
        a, b = self.names
        return [
            (kind, sides, text.replace("Only A", f"Only {a}").replace("Only B", f"Only {b}"))
            for kind, sides, text in _LEGEND
        ]

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        width = sum(self.SAMPLE_W + 10 + fm.horizontalAdvance(t) + 18 for _, _, t in self.entries())
        return QSize(width, 26)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        spans = SpanPainter(self.palette())
        fm = self.fontMetrics()
        x = 4.0
        top = (self.height() - fm.height() - 4) / 2
        color = QColor("#5b8def")
        for n, (kind, sides, text) in enumerate(self.entries()):
            shapes: list[SpanShape] = []
            for side in sides:
                rect = QRectF(x + 4, top, self.SAMPLE_W - 8, fm.height() + 2)
                if kind == "boundary" and side == "b":
                    rect = rect.adjusted(10, 0, 4, 0)
                shapes.append(SpanShape(n * 10 + len(shapes), color, 0, (rect,), False, f"{kind}/{side}"))
            spans.paint(painter, shapes, None)
            painter.setPen(self.palette().color(QPalette.ColorRole.Text))
            painter.drawText(QPointF(x + self.SAMPLE_W + 6, top + fm.ascent() + 1), text)
            x += self.SAMPLE_W + 10 + fm.horizontalAdvance(text) + 18
        painter.end()


class SideCard(QFrame):
    """One side of the current item: whose, which label, what text."""

    def __init__(self, side: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.setObjectName(f"reviewSide_{side}")
        color = SIDE_COLORS[side]
        self.setStyleSheet(
            f"#reviewSide_{side} {{ border: 1px solid palette(mid); border-left: 4px solid {color};"
            " border-radius: 4px; background: palette(base); }"
        )
        self.who = QLabel(self)
        self.who.setStyleSheet(f"color: {color}; font-weight: 600;")
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.who)
        layout.addWidget(self.body, 1)

    def show_side(
        self,
        name: str,
        side: DiffSpan | DiffLink | None,
        colors: dict[str, str],
        ends: dict[int, str] | None = None,
    ) -> None:
        ends = ends or {}
        self.who.setText(name)
        if side is None:
            self.body.setText("<i style='color:gray'>nothing here</i>")
        elif isinstance(side, DiffLink):
            src = html.escape(" ".join(ends.get(side.source_span_id, "?").split()))
            dst = html.escape(" ".join(ends.get(side.target_span_id, "?").split()))
            self.body.setText(f"<b>{html.escape(side.type)}</b> link<br>“{src}”<br>→ “{dst}”")
        else:
            chip = colors.get(side.label, "#888888")
            text = html.escape(" ".join(side.text.split()))
            if len(text) > 400:
                text = text[:399] + "…"
            self.body.setText(
                f"<span style='background:{chip}; color:white; border-radius:3px'>&nbsp;{html.escape(side.label)}&nbsp;</span>"
                f" <span style='color:gray'>{side.start}–{side.end}</span><br>“{text}”"
            )


class ReviewBar(QWidget):
    """The review dock's content (see the module docstring)."""

    closeRequested = Signal()

    def __init__(self, controller: ReviewController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewBar")
        self.controller = controller
        self.label_colors: dict[str, str] = {}

        self.title = QLabel(self)
        self.title.setObjectName("reviewTitle")
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.position = QLabel(self)
        self.position.setObjectName("reviewPosition")
        self.position.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.progress = QLabel(self)
        self.progress.setObjectName("reviewProgress")
        self.progress.setStyleSheet("color: gray;")
        self.end_button = QToolButton(self)
        self.end_button.setText("End review")
        self.end_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.end_button.clicked.connect(self.closeRequested)

        self.table = QTableView(self)
        self.table.setObjectName("reviewQueue")
        self.table.setModel(controller.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 36)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 130)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(4, 110)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        controller.watch(self.table)
        controller.watch(self)

        self.kind = QLabel(self)
        self.kind.setObjectName("reviewKind")
        self.verdict = QLabel(self)
        self.verdict.setObjectName("reviewVerdict")
        self.card_a = SideCard("a", self)
        self.card_b = SideCard("b", self)
        self.comments = QLabel(self)
        self.comments.setObjectName("reviewComments")
        self.comments.setWordWrap(True)
        self.comments.setStyleSheet("color: palette(text);")

        self.comment_edit = QLineEdit(self)
        self.comment_edit.setObjectName("reviewCommentEdit")
        self.comment_edit.setPlaceholderText("Comment for the annotator — Enter to save, Esc to cancel")
        self.comment_edit.returnPressed.connect(self._save_comment)
        self.comment_edit.hide()
        cancel = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.comment_edit)
        cancel.setContext(Qt.ShortcutContext.WidgetShortcut)
        cancel.activated.connect(self._cancel_comment)

        self.prev_button = self._button("Previous", "previous", "[", controller.previous)
        self.next_button = self._button("Next", "next", "]", controller.next)
        self.accept_a = self._button("Accept A", "mdi6.check", "1", lambda: controller.accept_side(left=True))
        self.accept_b = self._button(
            "Accept B", "mdi6.check", "2", lambda: controller.accept_side(left=False)
        )
        self.reject_button = self._button("Reject", "mdi6.close", "R", controller.reject)
        self.comment_button = self._button("Comment", "mdi6.comment-text-outline", "C", self.open_comment)
        self.reviewed_button = self._button(
            "Mark article reviewed", "reviewed", "Ctrl+Enter", lambda: controller.mark_reviewed()
        )
        self.reviewed_button.setCheckable(True)
        self.legend = ReviewLegend(self)

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.position)
        top.addWidget(self.title, 1)
        top.addWidget(self.progress)
        top.addWidget(self.end_button)

        detail = QWidget()
        grid = self.grid = QGridLayout(detail)
        grid.setContentsMargins(6, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.addWidget(self.kind, 0, 0)
        grid.addWidget(self.verdict, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.card_a, 1, 0)
        grid.addWidget(self.card_b, 1, 1)
        grid.addWidget(self.comments, 2, 0, 1, 2)
        grid.addWidget(self.comment_edit, 3, 0, 1, 2)
        grid.setRowStretch(1, 1)

        # The queue and the item's detail: attached to the bar once there is a queue to show (see
        # ``_attach_body``), so opening review on a long article shows the bar without them.
        split = self._body = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        detail.setMinimumWidth(440)
        split.setChildrenCollapsible(False)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for b in (self.prev_button, self.next_button):
            buttons.addWidget(b)
        buttons.addSpacing(16)
        for b in (self.accept_a, self.accept_b, self.reject_button, self.comment_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.legend)
        buttons.addSpacing(12)
        buttons.addWidget(self.reviewed_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        self._body_slot: QSpacerItem | None = QSpacerItem(
            0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding
        )
        layout.addItem(self._body_slot)
        layout.addLayout(buttons)
        self._layout = layout

        mark = QShortcut(QKeySequence("Ctrl+Return"), self)
        mark.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        mark.activated.connect(lambda: controller.mark_reviewed())
        controller.queueChanged.connect(self.refresh)
        controller.currentChanged.connect(self._current_changed)
        controller.verdictsChanged.connect(self.refresh_current)
        controller.articleReviewedChanged.connect(lambda _a, _r: self._show_reviewed())
        controller.commentRequested.connect(self.open_comment)
        self.refresh()

    def _attach_body(self) -> None:
        """Put the queue and the detail in the bar (once). Until then the bar holds a spacer in
        their place: a widget in the bar is polished when the bar is shown, even a hidden one, so
        the first screen of a long article's review shows the bar without the parts that have
        nothing to show yet."""
        if self._body_slot is None:
            return
        self._arrange_body(self.controller.single)
        index = self._layout.indexOf(self._body_slot)
        self._layout.removeItem(self._body_slot)
        self._body_slot = None
        self._layout.insertWidget(index, self._body, 1)

    def _arrange_body(self, single: bool) -> None:
        """The queue and the detail for one layer (no B side) or two."""
        self.card_b.setVisible(not single)
        self.grid.addWidget(self.card_a, 1, 0, 1, 2 if single else 1)
        self.table.setColumnHidden(1, single)
        self.table.setColumnHidden(3, single)

    def setVisible(self, visible: bool) -> None:
        if visible and not self.controller.pending:
            self._attach_body()  # before the bar shows, so the parts show with it
        super().setVisible(visible)

    def _button(self, text: str, glyph: str, key: str, slot: object) -> QPushButton:
        button = QPushButton(icon(glyph), f"{text}  {key}" if len(key) <= 2 else text, self)
        button.setToolTip(f"{text} ({key})")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return button

    # -- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        c = self.controller
        single = c.single
        a, b = c.layer_a, c.layer_b or ""
        reader = c.reader
        title = reader.article.title if reader is not None and reader.article is not None else ""
        what = f"Reviewing {a}'s layer" if single else f"Comparing {a} with {b}"
        self.title.setText(f"{what} · {title}" if title else what)
        self.title.setToolTip(self.title.text())
        self.accept_a.setText("Accept  A" if single else f"Accept {a}  1")
        self.accept_a.setToolTip(
            "Accept into gold (A or 1)" if single else f"Accept {a}'s version into gold (1 or Ctrl+Left)"
        )
        self.accept_b.setText(f"Accept {b}  2")
        self.accept_b.setToolTip(f"Accept {b}'s version into gold (2 or Ctrl+Right)")
        self.accept_b.setVisible(not single)
        self.legend.setVisible(not single)
        self.legend.set_names(a, b)
        if self._body_slot is None or single:
            self._arrange_body(single)
        # else when the body is attached: showing B's card would polish it now, for nothing
        if not c.pending:  # the mark is read once the queue is there (a long article's next turn)
            self._show_reviewed()
        self._current_changed(c.row)

    def refresh_current(self) -> None:
        self._current_changed(self.controller.row)

    def _show_reviewed(self) -> None:
        done = self.controller.is_reviewed()
        self.reviewed_button.setChecked(done)
        self.reviewed_button.setText("Article reviewed ✓" if done else "Mark article reviewed")

    def _current_changed(self, row: int) -> None:
        c = self.controller
        if not c.pending and self.isVisible():
            self._attach_body()
        total = c.model.rowCount()
        self.position.setText(f"{row + 1} / {total}" if row >= 0 else f"0 / {total}")
        decided = c.model.decided()
        if c.pending:
            self.position.setText("… / …")
            self.progress.setText("Comparing the layers…")
        else:
            self.progress.setText(
                f"{decided} of {total} decided"
                if total
                else ("Nothing to review" if c.single else "The layers agree")
            )
        index = c.model.index(row, 0) if row >= 0 else QModelIndex()
        selection = self.table.selectionModel()
        if index.isValid() and self.table.currentIndex().row() != row:
            selection.blockSignals(True)
            self.table.setCurrentIndex(index)
            selection.blockSignals(False)
            self.table.viewport().update()
        if index.isValid():
            self.table.scrollTo(index)
        item = c.current_item()
        for widget in (self.accept_a, self.accept_b, self.reject_button, self.comment_button):
            widget.setEnabled(item is not None)
        if item is None:
            self.kind.setText("")
            self.verdict.setText("")
            self.card_a.show_side(c.layer_a, None, self.label_colors)
            self.card_b.show_side(c.layer_b or "", None, self.label_colors)
            self.comments.setText("")
            return
        link = isinstance(item, LinkDiffItem)
        kind = kind_text(item.kind, c.layer_a, c.layer_b or "", link=link, single=c.single)
        color = KIND_COLORS[item.kind] if not c.single else "palette(text)"
        self.kind.setText(f"<span style='color:{color}; font-weight:600'>{html.escape(kind)}</span>")
        state = c.model.state(row)
        words = verdict_text(state, c.layer_a, c.layer_b or "", c.single).replace("✎", "").strip()
        good = state.verdict not in (Verdict.OPEN, Verdict.REJECTED)
        self.verdict.setText(
            f"<span style='color:{'#27ae60' if good else '#c0392b'}; font-weight:600'>{html.escape(words)}</span>"
            if words
            else "<span style='color:gray'>open</span>"
        )
        self.card_a.show_side(c.layer_a, item.a, self.label_colors, c.model.ends)
        self.card_b.show_side(c.layer_b or "", item.b, self.label_colors, c.model.ends)
        self.comments.setText(
            "".join(f"✎ {html.escape(t)}<br>" for t in state.comments) if state.comments else ""
        )
        if item.kind is DiffKind.AGREE:
            self.kind.setText("Agree")

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() != self.controller.row:
            self.controller.go_to(current.row())

    # -- comments ------------------------------------------------------------------------------
    def open_comment(self) -> None:
        if self.controller.current_item() is None:
            return
        self._attach_body()
        self.comment_edit.clear()
        self.comment_edit.show()
        self.comment_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _save_comment(self) -> None:
        text = self.comment_edit.text()
        self.comment_edit.hide()
        self.controller.comment(text)
        self._refocus()

    def _cancel_comment(self) -> None:
        self.comment_edit.hide()
        self._refocus()

    def _refocus(self) -> None:
        reader = self.controller.reader
        if reader is not None:
            reader.view.setFocus(Qt.FocusReason.OtherFocusReason)
