"""The corpus navigator panel: a filter box, an order menu and the story / outlet / article tree.

Signals:
    articleActivated(int): the user picked an article (click, Enter, J / K).

At startup the navigator first shows what a ``db.quickread.QuickCorpus`` reads (no project yet:
browsing works, a filter or another order waits), then ``attach_project`` hands it the opened
project and it carries on with the same rows, expansion and selection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.navigator_model import ARTICLES_ROLE, KIND_ROLE, NavigatorModel, NodeKind

if TYPE_CHECKING:
    from db.corpus import ArticleOrder, CorpusFilter
    from db.project import Project
    from db.quickread import QuickCorpus
    from db.records import LabelRecord
    from desktop.jobs import JobRunner

#: How long the filter waits after the last key press before it re-queries.
FILTER_DELAY_MS = 250

#: The order menu: ``db.corpus.ArticleOrder`` values (the menu's item data), text, tooltip.
_ORDERS = (
    ("date", "By date", "Outlets in the order they first reported; articles oldest first"),
    ("outlet", "By outlet", "Outlets alphabetically; articles by date"),
    ("title", "By title", "Outlets alphabetically; articles by title"),
)
_ICONS = ("story", "outlet", "article", "reviewed")


#: Rows a filter opens groups for (about a screenful); the rest stay collapsed.
REVEAL_BUDGET = 30
#: How long after a reset the story span counts are read (a background job).
COUNTS_DELAY_MS = 300


class Navigator(QWidget):
    """Browse the corpus. Holds a ``NavigatorModel``; never loads all articles at once."""

    articleActivated = Signal(int)

    def __init__(
        self,
        project: Project | None,
        labels: Sequence[LabelRecord],
        parent: QWidget | None = None,
        runner: JobRunner | None = None,
        *,
        quick: QuickCorpus | None = None,
    ) -> None:
        """With a ``runner``, the stories' span counts are read in the background after each reset.

        ``quick`` (``project`` None): show what it reads until ``attach_project``; the glyph icons
        come then too (blank ones of the same size hold their place)."""
        super().__init__(parent)
        self.setObjectName("navigator")
        self._runner = runner
        self.model = NavigatorModel(project, labels, self, lazy_counts=runner is not None, quick=quick)
        #: A filter or order asked for before the project was attached; applied then.
        self._filter_waiting = False
        self._current_article: int | None = None

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("navigatorFilter")
        self.filter_edit.setPlaceholderText("Filter by title, outlet, story or text…")
        self.filter_edit.setClearButtonEnabled(True)
        self._find_action = self.filter_edit.addAction(QIcon(), QLineEdit.ActionPosition.LeadingPosition)
        if quick is None:
            self._set_icons()
        else:
            blank = QPixmap(16, 16)
            blank.fill(Qt.GlobalColor.transparent)
            self.model.set_icons(dict.fromkeys(_ICONS, QIcon(blank)))
            self._find_action.setIcon(QIcon(blank))
        self.order_box = QComboBox(self)
        self.order_box.setToolTip("How outlets and articles are ordered")
        for order, text, tip in _ORDERS:
            self.order_box.addItem(text, order)
            self.order_box.setItemData(self.order_box.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if quick is not None:
            self._select_order(quick.order)

        self.tree = QTreeView(self)
        self.tree.setObjectName("navigatorTree")
        self.tree.setModel(self.model)
        if quick is None:
            self._paint_chips()
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setExpandsOnDoubleClick(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        # Fixed, measured once: ResizeToContents would ask every loaded row for its size.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, self.fontMetrics().horizontalAdvance("2023-11-09") + 18)
        header.resizeSection(1, 118)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.summary = QLabel(self)
        self.summary.setObjectName("navigatorSummary")

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.order_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self.apply_filter)
        self.order_box.currentIndexChanged.connect(self.apply_filter)
        self.tree.activated.connect(self._on_activated)
        self.tree.clicked.connect(self._on_activated)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self._count_stories)
        self.model.modelReset.connect(self._after_reset)
        self._after_reset()

    # -- public API ----------------------------------------------------------------------------
    @property
    def current_article(self) -> int | None:
        return self._current_article

    @property
    def waiting_for_project(self) -> bool:
        """True while the rows come from the quick reader (before ``attach_project``)."""
        return self.model.project is None

    def attach_project(
        self, project: Project, labels: Sequence[LabelRecord], runner: JobRunner | None = None
    ) -> None:
        """Carry on with the opened project: same rows, expansion, selection and scroll; then the
        glyph icons, the span counts and any filter or order asked for meanwhile."""
        self.model.attach_project(project)
        self.model.set_labels(labels)
        self._paint_chips()
        self._runner = runner
        self._set_icons()
        self.tree.viewport().update()
        if self._filter_waiting or self.filter_edit.text().strip():
            self._filter_waiting = False
            self.apply_filter()
        elif self._runner is not None:
            self._counts_timer.start()

    def set_order(self, order: ArticleOrder | str) -> None:
        """Order outlets and articles so (a ``db.corpus.ArticleOrder`` or its value)."""
        self._select_order(str(getattr(order, "value", order)))

    def set_count_annotator(self, annotator: str | None) -> None:
        """Count only this annotator's spans (None: every layer)."""
        from db.corpus import CorpusFilter

        flt = self.model.corpus_filter
        self._set_filter(CorpusFilter(flt.text, flt.order, annotator))

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        if self.waiting_for_project:
            self._filter_waiting = True  # applied by attach_project
            return
        from db.corpus import ArticleOrder, CorpusFilter

        flt = self.model.corpus_filter
        value = self.order_box.currentData()
        order = ArticleOrder(value) if value else flt.order
        self._set_filter(CorpusFilter(self.filter_edit.text(), order, flt.annotator))

    def reload(self) -> None:
        """Re-query (after an import), keeping the open article selected where it still shows."""
        self._set_filter(self.model.corpus_filter, force=True)

    def select_article(self, article_id: int, *, emit: bool = False) -> bool:
        """Select (and reveal) an article's row; False when the filter hides it."""
        index = self.model.index_for_article(article_id)
        self._current_article = article_id
        if not index.isValid():
            self.tree.clearSelection()
            return False
        self._reveal(index)
        if emit:
            self.articleActivated.emit(article_id)
        return True

    def next_article(self) -> None:
        self._step(1)

    def previous_article(self) -> None:
        self._step(-1)

    # -- internals -----------------------------------------------------------------------------
    def _select_order(self, value: str) -> None:
        for i in range(self.order_box.count()):
            if self.order_box.itemData(i) == value:
                self.order_box.setCurrentIndex(i)

    def _paint_chips(self) -> None:
        from desktop.label_chips import LabelChipsDelegate

        self.tree.setItemDelegateForColumn(1, LabelChipsDelegate(self.tree))
        self.model.enable_chips()

    def _set_icons(self) -> None:
        from desktop.icons import icon

        icons: dict[str, Any] = {name: icon(name) for name in _ICONS if name != "reviewed"}
        icons["reviewed"] = icon("reviewed", "#27ae60")
        self.model.set_icons(icons)
        self._find_action.setIcon(icon("find"))

    def _set_filter(self, flt: CorpusFilter, force: bool = False) -> None:
        expanded = self._expanded_keys()
        if force:
            self.model.reload()
        else:
            self.model.set_filter(flt)
        self._restore_expanded(expanded)

    def _step(self, step: int) -> None:
        start = self.tree.currentIndex()
        if self._current_article is not None:
            here = self.model.index_for_article(self._current_article)
            if here.isValid():
                start = here
        target = self.model.neighbour(start, step)
        article_id = self.model.article_id(target)
        if article_id is None:
            return
        self._reveal(target)
        self._current_article = article_id
        self.articleActivated.emit(article_id)

    def _reveal(self, index: QModelIndex) -> None:
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)

    def _on_activated(self, index: QModelIndex) -> None:
        article_id = self.model.article_id(index)
        if article_id is None:
            if index.column() == 0 and not self.tree.isExpanded(index):
                self.tree.expand(index)
            return
        if article_id != self._current_article:
            self._current_article = article_id
            self.articleActivated.emit(article_id)

    def _expanded_keys(self) -> set[tuple[object, ...]]:
        keys: set[tuple[object, ...]] = set()
        for r in range(self.model.rowCount()):
            story = self.model.index(r, 0)
            if self.tree.isExpanded(story):
                keys.add(("story", story.data()))
                for o in range(self.model.rowCount(story)):
                    outlet = self.model.index(o, 0, story)
                    if self.tree.isExpanded(outlet):
                        keys.add(("outlet", story.data(), outlet.data()))
        return keys

    def _restore_expanded(self, keys: set[tuple[object, ...]]) -> None:
        filtering = self.model.filtering
        # With a filter, open groups only until about a screenful of articles shows: opening every
        # matching group would fetch every matching article (all 10,000 for a common word).
        budget = REVEAL_BUDGET
        # Stories come a page at a time: show the pages up to the last one that was open.
        unseen = {key[1] for key in keys if key[0] == "story"}
        self._prefetch_open_stories(keys, filtering)
        r = 0
        while r < self.model.rowCount() or (unseen and self.model.canFetchMore(QModelIndex())):
            if r == self.model.rowCount():
                self.model.fetchMore(QModelIndex())
                continue
            story = self.model.index(r, 0)
            r += 1
            unseen.discard(story.data())
            open_story = ("story", story.data()) in keys or self.model.story_total() == 1
            if filtering:
                open_story = open_story or budget > 0
            if not open_story:
                continue
            self.tree.expand(story)
            self.model.fetchMore(story)
            budget -= 1
            for o in range(self.model.rowCount(story)):
                outlet = self.model.index(o, 0, story)
                if ("outlet", story.data(), outlet.data()) in keys or (filtering and budget > 0):
                    self.tree.expand(outlet)
                    budget -= 1 + _group_total(outlet)
        if self._current_article is not None:
            index = self.model.index_for_article(self._current_article)
            if index.isValid():
                self._reveal(index)

    def _prefetch_open_stories(self, keys: set[tuple[object, ...]], filtering: bool) -> None:
        """Read the stories ``_restore_expanded`` is about to open (those open before, and with a
        filter those a screenful of articles may need) in one go rather than one by one."""
        budget = REVEAL_BUDGET
        wanted = []
        for r in range(self.model.rowCount()):
            story = self.model.index(r, 0)
            if ("story", story.data()) in keys or (filtering and budget > 0):
                wanted.append(story)
                budget -= 2 + _group_total(story)  # its row, at least one outlet's, its articles
        self.model.prefetch_stories(wanted)

    def _count_stories(self) -> None:
        if self._runner is None or self.waiting_for_project:
            return
        from db import corpus

        flt = self.model.corpus_filter
        # A bound slot, not a lambda: Qt drops the result if this navigator is gone by then.
        self._runner.start(
            self.model.project,
            lambda project, _job: (flt, corpus.story_counts(project, flt)),
            "Counting spans",
            finished=self._story_counts_ready,
        )

    def _story_counts_ready(self, result: tuple[CorpusFilter, dict[int | None, dict[str, int]]]) -> None:
        self.model.set_story_counts(*result)

    def _after_reset(self) -> None:
        if self._runner is not None:
            # Counted a moment later, so that the rows of a new filter show first: the count job
            # would otherwise compete with them for the interpreter while the analyst types.
            self._counts_timer.start()
        n = self.model.article_total()
        stories = self.model.story_total()
        what = "matching" if self.model.filtering else "in"
        self.summary.setText(
            f"{n} article{'s' if n != 1 else ''} {what} {stories} stor{'ies' if stories != 1 else 'y'}"
        )


def _group_total(index: QModelIndex | QPersistentModelIndex) -> int:
    return int(index.data(ARTICLES_ROLE) or 0)


__all__ = ["KIND_ROLE", "Navigator", "NodeKind"]
