"""Find in corpus (Ctrl+Shift+F): a phrase searched across every article, results with context.

The search runs as a background job (``db.corpus.search``), so typing never blocks the window.

Signals:
    hitActivated(int article_id, int start, int end): open the article and select the match
        (code-point offsets).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import corpus
from db.project import Project
from desktop.icons import icon
from desktop.jobs import Job, JobRunner
from desktop.search_hits_model import HIT_ROLE, HTML_ROLE, SearchHitsModel

SEARCH_DELAY_MS = 300
MAX_HITS = 500


class CorpusSearch(QWidget):
    """A search box over a results table. Emits ``hitActivated`` and ``searchFinished(int hits)``."""

    hitActivated = Signal(int, int, int)
    searchFinished = Signal(int)

    def __init__(self, project: Project, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("corpusSearch")
        self._project = project
        self._runner = runner
        self._job: Job | None = None
        self._pending: str | None = None
        self.query_edit = QLineEdit(self)
        self.query_edit.setObjectName("corpusSearchQuery")
        self.query_edit.setPlaceholderText("Find a phrase in every article…")
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.addAction(icon("find_corpus"), QLineEdit.ActionPosition.LeadingPosition)
        self.model = SearchHitsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("corpusSearchResults")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(1, _HighlightDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().resizeSection(0, 260)
        self.status = QLabel("", self)
        self.status.setObjectName("corpusSearchStatus")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.query_edit.textChanged.connect(self._timer.start)
        self.query_edit.returnPressed.connect(self.search_now)
        self.view.activated.connect(self._activate)
        self.view.clicked.connect(self._activate)

    def focus_query(self, text: str | None = None) -> None:
        if text:
            self.query_edit.setText(text)
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def search_now(self) -> None:
        self._timer.stop()
        query = self.query_edit.text().strip()
        if self._job is not None and not self._job.done:
            self._pending = query  # run once the current search reports
            self._job.cancel()
            return
        self._start(query)

    def _start(self, query: str) -> None:
        self._pending = None
        if not query:
            self.model.set_hits([])
            self.status.setText("")
            self.searchFinished.emit(0)
            return
        self.status.setText("Searching…")

        def work(project: Project, job: Job) -> tuple[str, list[corpus.Hit]]:
            hits = corpus.search(project, query, MAX_HITS)
            job.check()
            return query, hits

        # Bound slots only: if this widget is gone when the job reports, Qt drops the report.
        self._job = self._runner.start(
            self._project,
            work,
            "Search",
            finished=self._show,
            failed=self._failed,
            cancelled=self._after_cancel,
        )

    def _show(self, result: tuple[str, list[corpus.Hit]]) -> None:
        query, hits = result
        self._job = None
        if self._pending is not None:
            self._start(self._pending)
            return
        self.model.set_hits(hits)
        articles = len({h.article_id for h in hits})
        more = "+" if len(hits) >= MAX_HITS else ""
        self.status.setText(
            f"“{query}”: {len(hits)}{more} match{'es' if len(hits) != 1 else ''} in {articles} "
            f"article{'s' if articles != 1 else ''}"
            if hits
            else f"“{query}” is in no article"
        )
        self.searchFinished.emit(len(hits))

    def _after_cancel(self) -> None:
        self._job = None
        if self._pending is not None:
            self._start(self._pending)

    def _failed(self, message: str) -> None:
        self._job = None
        self.status.setText(message)

    def _activate(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.hitActivated.emit(hit.article_id, hit.start, hit.end)

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()


class _HighlightDelegate(QStyledItemDelegate):
    """Paints ``HTML_ROLE`` rich text (the match in bold), one line, elided by clipping."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        markup = index.data(HTML_ROLE)
        if not markup:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)  # type: ignore[attr-defined]
        doc.setDocumentMargin(2)
        doc.setHtml(markup)
        rect = opt.rect  # type: ignore[attr-defined]
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))  # type: ignore[attr-defined]
        painter.save()
        painter.translate(rect.left(), rect.top() + max(0, (rect.height() - doc.size().height()) / 2))
        ctx.clip = QRectF(0, 0, rect.width(), rect.height())
        painter.setClipRect(ctx.clip)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return super().sizeHint(option, index)
