"""ClaimsMatrixView: which outlet carried which claim, first, and who disputes it, for one story.

A table over ``ClaimsMatrixModel``: each outlet cell shows the label chip and date, the outlet's
wording, and the attribution in italics (``_CellDelegate``); contradicted rows are tinted and
marked. Sort by number of outlets or by first appearance; Export CSV (``db.claims.matrix_to_csv``).
The matrix is recomputed when links or spans of the story change: on the GUI thread while that
stays under ``SYNC_LIMIT`` seconds, else in a background job (``desktop.jobs``).

Signals:
    spanActivated(int article_id, int span_id): the user clicked a cell (open its span).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QTextLayout, QTextLine, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import labels as label_service
from db.claims import Matrix, claims_matrix, matrix_to_csv
from db.errors import NewsmarkError
from db.project import Project
from desktop.claims_matrix_model import CELLS_ROLE, CONTRADICTED_COLOR, ROW_ROLE, ClaimsMatrixModel
from desktop.icons import icon
from desktop.jobs import Job, JobRunner
from desktop.label_chips import text_colour_on
from desktop.project_events import ProjectEvents

#: A recompute that took longer than this (seconds) runs in the background next time.
SYNC_LIMIT = 0.05
ROW_HEIGHT_LINES = 5
_SORTS = (("outlets", "Most outlets first"), ("first", "First appearance"))


class _CellDelegate(QStyledItemDelegate):
    """Paints an outlet cell: chip + date, up to three lines of text, the attribution in italics."""

    PAD = 6

    def __init__(self, model: ClaimsMatrixModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        cells = index.data(CELLS_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not cells:
            return
        rect: QRect = opt.rect.adjusted(self.PAD, self.PAD - 2, -self.PAD, -self.PAD + 2)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        muted = QColor(text_color)
        muted.setAlphaF(0.65)
        base: QFont = QFont(opt.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(opt.rect)
        cell = cells[0]
        # Line 1: label chip, date, and "+n" when the outlet carried the claim more than once.
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.82, 7.0))
        small.setBold(True)
        fm_small = QFontMetrics(small)
        chip_text = self._model.label_name(cell.label)
        chip_w = fm_small.horizontalAdvance(chip_text) + 12
        chip_h = fm_small.height() + 2
        chip = QRectF(rect.left(), rect.top(), chip_w, chip_h)
        bg = QColor(self._model.label_color(cell.label))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(chip, chip_h / 2, chip_h / 2)
        painter.setFont(small)
        painter.setPen(text_colour_on(bg))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, chip_text)
        small.setBold(False)
        painter.setFont(small)
        painter.setPen(muted)
        date = cell.date.strftime("%-d %b %Y") if cell.date else "undated"
        extra = f"  +{len(cells) - 1} more" if len(cells) > 1 else ""
        row = index.data(ROW_ROLE)
        if row is not None and row.n_outlets > 1 and cell.article_id == row.cluster.first_article_id:
            extra += "  · first"
        painter.drawText(
            QRectF(chip.right() + 6, rect.top(), rect.width() - chip_w - 6, chip_h),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            date + extra,
        )
        # Lines 2-4: the outlet's wording.
        fm = QFontMetrics(base)
        y: float = rect.top() + chip_h + 3
        attribution_h = fm.height() if cell.attribution_text else 0
        max_lines = max(1, int((rect.bottom() - y - attribution_h) // fm.lineSpacing()))
        painter.setFont(base)
        painter.setPen(text_color)
        y = _draw_wrapped(painter, base, " ".join(cell.text.split()), rect.left(), y, rect.width(), max_lines)
        # Last line: who said it.
        if cell.attribution_text:
            italic = QFont(base)
            italic.setItalic(True)
            painter.setFont(italic)
            painter.setPen(muted)
            who = QFontMetrics(italic).elidedText(
                "— " + " ".join(cell.attribution_text.split()), Qt.TextElideMode.ElideRight, rect.width()
            )
            painter.drawText(QRectF(rect.left(), y + 1, rect.width(), fm.height()), who)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(220, ROW_HEIGHT_LINES * fm.lineSpacing() + 2 * self.PAD)


def _draw_wrapped(
    painter: QPainter, font: QFont, text: str, x: int, y: float, width: int, max_lines: int
) -> float:
    """Draw ``text`` wrapped to ``width`` in at most ``max_lines`` lines (the last elided); returns the next y."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines: list[QTextLine] = []
    while len(lines) < max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(line)
    layout.endLayout()
    fm = QFontMetrics(font)
    for n, line in enumerate(lines):
        start, length = line.textStart(), line.textLength()
        if n == len(lines) - 1 and start + length < len(text):
            elided = fm.elidedText(text[start:], Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRectF(x, y, width, fm.height()), elided)
        else:
            painter.drawText(QRectF(x, y, width, fm.height()), text[start : start + length].rstrip())
        y += fm.lineSpacing()
    return y


class ClaimsMatrixView(QWidget):
    """The claims matrix of one story; see the module docstring."""

    spanActivated = Signal(int, int)

    def __init__(
        self,
        project: Project,
        events: ProjectEvents,
        runner: JobRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("claimsMatrix")
        self.project = project
        self.runner = runner
        self.story: str | None = None
        self.article_ids: set[int] = set()
        self.last_duration = 0.0
        self._job: Job | None = None
        self._stale = False

        self.model = ClaimsMatrixModel(label_service.list_labels(project), self)
        self.model.contradiction_icon = icon("mdi6.alert-circle", CONTRADICTED_COLOR)
        self.title = QLabel(self)
        self.title.setObjectName("claimsMatrixTitle")
        self.title.setStyleSheet("font-weight: 600;")
        self.summary = QLabel(self)
        self.summary.setObjectName("claimsMatrixSummary")
        self.sort_box = QComboBox(self)
        for key, text in _SORTS:
            self.sort_box.addItem(icon("sort"), text, key)
        self.sort_box.setToolTip("Order of the rows")
        self.sort_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button = QPushButton(icon("export"), "Export CSV…", self)
        self.export_button.clicked.connect(lambda: self.export_csv())

        self.table = QTableView(self)
        self.table.setObjectName("claimsMatrixTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setShowGrid(True)
        self.table.setGridStyle(Qt.PenStyle.SolidLine)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setItemDelegate(_CellDelegate(self.model, self.table))
        self._plain_delegate = QStyledItemDelegate(self.table)
        self.table.setItemDelegateForColumn(0, self._plain_delegate)
        fm = QFontMetrics(self.table.font())
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT_LINES * fm.lineSpacing() + 12)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.table.clicked.connect(self._open_cell)
        self.table.activated.connect(self._open_cell)
        self.model.modelReset.connect(self._size_columns)

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        bar.addWidget(self.title)
        bar.addSpacing(12)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.sort_box)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        events.linksChanged.connect(self._links_changed)
        # Bound methods, not lambdas: Qt drops them with this view when another project opens.
        events.spansChanged.connect(self._spans_changed)
        events.labelsChanged.connect(self._labels_changed)

    # -- public API ----------------------------------------------------------------------------
    @property
    def sort(self) -> str:
        return str(self.sort_box.currentData())

    def set_sort(self, sort: str) -> None:
        self.sort_box.setCurrentIndex(max(0, self.sort_box.findData(sort)))

    def set_story(self, story: str | None, article_ids: set[int] | None = None) -> None:
        """Show this story's matrix (``article_ids``: its articles, to know which changes matter)."""
        self.story = story
        self.article_ids = set(article_ids or ())
        self.title.setText(story or "No story")
        self.refresh()

    def refresh(self, *, background: bool | None = None) -> Job | None:
        """Recompute the matrix; in a background job when the last one was slow (or ``background``)."""
        if self.story is None:
            self.model.set_matrix(None)
            self.summary.setText("Open an article of a story to see its claims.")
            return None
        story, sort = self.story, self.sort
        slow = self.last_duration > SYNC_LIMIT if background is None else background
        if not slow:
            started = time.perf_counter()
            matrix = claims_matrix(self.project, story, sort)  # type: ignore[arg-type]
            self.last_duration = time.perf_counter() - started
            self._show(matrix)
            return None
        if self._job is not None and not self._job.done:
            self._stale = True  # one more pass once this one reports
            return self._job

        def work(project: Project, _job: Job) -> Any:
            started = time.perf_counter()
            result = claims_matrix(project, story, sort)  # type: ignore[arg-type]
            return result, time.perf_counter() - started

        callbacks: dict[str, Any] = {"finished": self._job_done, "failed": self._job_failed}
        if self.runner is not None:
            self._job = self.runner.start(self.project, work, "Claims matrix", **callbacks)
        else:
            from desktop.jobs import run_job

            self._job = run_job(self.project, work, "Claims matrix", **callbacks)
        self.summary.setText("Updating…")
        return self._job

    def export_csv(self, path: str | None = None) -> Path | None:
        """Write the matrix as CSV; without ``path``, ask for one."""
        matrix = self.model.matrix
        if matrix is None:
            return None
        if path is None:
            stem = "".join(ch if ch.isalnum() else "-" for ch in (self.story or "claims"))[:60].strip("-")
            path, _ = QFileDialog.getSaveFileName(
                self, "Export claims matrix", str(Path.home() / f"{stem}-claims.csv"), "CSV (*.csv)"
            )
            if not path:
                return None
            if not path.lower().endswith(".csv"):
                path += ".csv"
        try:
            return matrix_to_csv(matrix, path)
        except (NewsmarkError, OSError) as exc:
            QMessageBox.warning(self, "Export claims matrix", str(exc))
            return None

    # -- internals -----------------------------------------------------------------------------
    def _links_changed(self, article_ids: list[int]) -> None:
        if not self.article_ids or set(article_ids) & self.article_ids:
            self.refresh()

    def _spans_changed(self, article_id: int) -> None:
        if article_id in self.article_ids:
            self.refresh()

    def _labels_changed(self) -> None:
        self.model.set_labels(label_service.list_labels(self.project))

    def _job_done(self, result: tuple[Matrix, float]) -> None:
        matrix, duration = result
        self._job = None
        self.last_duration = duration
        if matrix.sort == self.sort:
            self._show(matrix)
        if self._stale or matrix.sort != self.sort:
            self._stale = False
            self.refresh()

    def _job_failed(self, message: str) -> None:
        self._job = None
        self.summary.setText(message)

    def _show(self, matrix: Matrix) -> None:
        self.model.set_matrix(matrix)
        n = len(matrix.rows)
        disputed = sum(1 for r in matrix.rows if r.contradicted)
        shared = sum(1 for r in matrix.rows if r.n_outlets > 1)
        self.summary.setText(
            f"{n} claim{'s' if n != 1 else ''} · {shared} carried by several outlets · "
            f"<span style='color:{CONTRADICTED_COLOR}'>{disputed} contradicted</span> · "
            f"{len(matrix.outlets)} outlets"
        )

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        n = self.model.columnCount()
        if n == 0:
            return
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 300)
        for col in range(1, n - 1):
            header.resizeSection(col, 230)
        header.resizeSection(n - 1, 70)
        self.table.setItemDelegateForColumn(n - 1, self._plain_delegate)
        header.setStretchLastSection(False)

    def _open_cell(self, index: QModelIndex) -> None:
        cells = self.model.cells(index)
        if cells:
            self.spanActivated.emit(cells[0].article_id, cells[0].span_id)
