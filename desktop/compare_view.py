"""CompareView: two or three articles of a story side by side, their links drawn as curves.

Each pane is an ``ArticleView`` with a combo to switch its article; a ``LinkConnector`` overlay
joins linked spans of neighbouring panes with curves in the link type's colour. Scrolling can be
synchronised (proportionally). To link two spans, select one in each of two panes and press L, or
drag from a span in one pane onto a span in another; a ``LinkTypeMenu`` asks for the type (keys
1-9). Every link is an ``AddLinkCommand`` on the shared undo stack.

Signals:
    spanActivated(int article_id, int span_id): the user double-clicked a span (open it in the reader).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
    QShortcut,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db import corpus
from db import labels as label_service
from db import links as link_service
from db import spans as span_service
from db.articles import get_article
from db.corpus import ArticleRow
from db.project import Project
from db.records import LinkTypeRecord, SpanRecord
from desktop import link_type_menu
from desktop.article_view import ArticleView, reader_font
from desktop.icons import icon
from desktop.link_connector import LinkConnector
from desktop.link_type_menu import link_type_icon
from desktop.project_events import ProjectEvents
from desktop.undo_commands import AddLinkCommand, push_command

HINT = "Select a span in two panes and press L, or drag from one span onto another, to link them."
GUTTER = 64  # px between panes, where the curves run


class _ComparePane(QWidget):
    """One column of the compare view: an article picker over an ``ArticleView``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = QComboBox(self)
        self.picker.setObjectName("comparePicker")
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.picker.setMinimumContentsLength(20)
        self.meta = QLabel(self)
        self.meta.setObjectName("compareMeta")
        self.meta.setStyleSheet("color: palette(placeholder-text); font-size: 9pt;")
        self.view = ArticleView(self)
        self.view.setFont(reader_font(11.0))  # three columns side by side: a little denser than the reader
        self.view.set_document_margin(18)
        self.view.setMinimumWidth(280)
        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 8, 4)
        top.addWidget(self.picker, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.meta)
        layout.addWidget(self.view, 1)
        self.setBackgroundRole(self.view.viewport().backgroundRole())
        self.setAutoFillBackground(True)


class CompareView(QWidget):
    """Articles side by side with link curves; see the module docstring."""

    spanActivated = Signal(int, int)

    def __init__(
        self,
        project: Project,
        undo_stack: QUndoStack,
        events: ProjectEvents,
        annotator: str,
        layers: Sequence[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self.project = project
        self.undo_stack = undo_stack
        self.events = events
        self.annotator = annotator
        self.layers = list(layers) if layers else [annotator]
        self._labels = label_service.list_labels(project)
        self._types: list[LinkTypeRecord] = label_service.list_link_types(project)
        self._choices: list[tuple[int, str, str]] = []  # (article id, combo text, tooltip)
        self._order: list[int] = []  # pane indexes, most recently selected last
        self._syncing = False
        #: Selecting a span scrolls the other panes to the spans linked to it.
        self.follow_links = True
        self._drag_from: tuple[int, int, QPoint] | None = None  # (pane, span id, press position)
        self._dragging = False
        self.panes: list[_ComparePane] = []

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("compareToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        group = QActionGroup(self)
        self.two_action = QAction("2 articles", self, checkable=True)
        self.three_action = QAction("3 articles", self, checkable=True)
        for n, action in ((2, self.two_action), (3, self.three_action)):
            group.addAction(action)
            action.triggered.connect(lambda _c=False, k=n: self.set_pane_count(k))
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.sync_action = QAction(
            icon("mdi6.arrow-split-horizontal"), "Sync scrolling", self, checkable=True
        )
        self.sync_action.setToolTip("Scroll the articles together (proportionally)")
        self.sync_action.toggled.connect(self.set_sync_scroll)
        self.toolbar.addAction(self.sync_action)
        self.link_action = QAction(icon("link"), "Link selected  L", self)
        self.link_action.setToolTip("Link the spans selected in two panes (L)")
        self.link_action.triggered.connect(lambda: self.link_selected())
        self.toolbar.addAction(self.link_action)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.legend = QLabel(self)
        self.legend.setObjectName("compareLegend")
        self.toolbar.addWidget(self.legend)

        self.area = QWidget(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self.area)
        self.splitter.setObjectName("compareSplitter")
        self.splitter.setHandleWidth(GUTTER)
        self.splitter.setChildrenCollapsible(False)
        self.connector = LinkConnector(self.area)
        self.area.installEventFilter(self)

        self.status = QLabel(HINT, self)
        self.status.setObjectName("compareStatus")
        self.status.setContentsMargins(10, 4, 10, 4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.status)

        link_key = QShortcut(QKeySequence("L"), self)
        link_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        link_key.activated.connect(lambda: self.link_selected())
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.clear_selection)

        events.spansChanged.connect(self._on_spans_changed)
        events.linksChanged.connect(self._on_links_changed)
        events.labelsChanged.connect(self._on_labels_changed)
        self._show_legend()

    # -- public API ----------------------------------------------------------------------------
    @property
    def views(self) -> list[ArticleView]:
        return [p.view for p in self.panes]

    def article_ids(self) -> list[int]:
        return [p.view.article.id for p in self.panes if p.view.article is not None]

    def set_choices(self, articles: Sequence[int | ArticleRow]) -> None:
        """The articles each pane's combo offers (usually the story's: ``story_articles``)."""
        self._choices = []
        for item in articles:
            a = item if isinstance(item, ArticleRow) else get_article(self.project, item)
            date = a.published.isoformat() if a.published else "undated"
            outlet = a.outlet or "(no outlet)"
            self._choices.append((a.id, f"{outlet} — {a.title or 'Untitled'}", f"{outlet}, {date}"))
        for pane in self.panes:
            self._fill_picker(pane)

    def show_articles(self, article_ids: Sequence[int]) -> None:
        """Show these articles (two or three), left to right."""
        ids = list(article_ids)[:3]
        if not self._choices:
            self.set_choices(ids)
        self._ensure_panes(max(2, len(ids)))
        for pane, aid in zip(self.panes, ids, strict=False):
            self._load(pane, aid)
        self._reload_links()

    def set_pane_count(self, n: int) -> None:
        n = 3 if n >= 3 else 2
        if n == len(self.panes):
            return
        shown = self.article_ids()
        self._ensure_panes(n)
        if n == 3 and len(shown) < 3:
            spare = [aid for aid, _t, _tip in self._choices if aid not in shown]
            if spare:
                self._load(self.panes[2], spare[0])
        self._reload_links()

    def set_sync_scroll(self, on: bool) -> None:
        if self.sync_action.isChecked() != on:
            self.sync_action.setChecked(on)
            return
        if on and self.panes:
            self._scrolled(self.panes[0].view)

    def selected_spans(self) -> list[tuple[int, SpanRecord]]:
        """(pane index, span) for each pane with a selected span, most recently selected last."""
        out = []
        for i in self._order:
            span = self.panes[i].view.selected_span() if i < len(self.panes) else None
            if span is not None:
                out.append((i, span))
        return out

    def clear_selection(self) -> None:
        for view in self.views:
            view.clear_selection()
        self._order = []
        self.status.setText(HINT)

    def link_selected(self) -> bool:
        """Link the spans selected in two panes: the earlier selected is the source."""
        chosen = self.selected_spans()
        if len(chosen) < 2:
            self.status.setText("Select a span in each of two panes first, then press L.")
            return False
        (_pa, source), (pb, target) = chosen[-2], chosen[-1]
        view = self.panes[pb].view
        rect = view.span_rect(target.id)
        at = view.viewport().mapToGlobal(
            rect.center() if rect is not None else view.viewport().rect().center()
        )
        return self.link_spans(source, target, at)

    def link_spans(self, source: SpanRecord, target: SpanRecord, at: QPoint | None = None) -> bool:
        """Ask for the link type (menu at ``at``, global) and link ``source`` → ``target``."""
        if source.id == target.id:
            return False
        if at is None:
            at = self.mapToGlobal(self.rect().center())
        key = link_type_menu.choose_link_type(self, self._types, at, default="SAME_CLAIM")
        if key is None:
            self.status.setText("Not linked.")
            return False
        name = next((t.name for t in self._types if t.key == key), key)
        command = AddLinkCommand(
            self.project, self.events, source, target, key, self.annotator, type_name=name
        )
        if not push_command(self.undo_stack, command):
            return False
        self.status.setText(f"Linked as {name}. Ctrl+Z undoes it.")
        return True

    # -- panes ---------------------------------------------------------------------------------
    def _ensure_panes(self, n: int) -> None:
        while len(self.panes) < n:
            pane = _ComparePane(self.splitter)
            index = len(self.panes)
            self.panes.append(pane)
            self.splitter.addWidget(pane)
            self._fill_picker(pane)
            pane.picker.activated.connect(lambda row, p=pane: self._picked(p, row))
            view = pane.view
            view.own_layer = self.annotator
            view.verticalScrollBar().valueChanged.connect(lambda _v, v=view: self._scrolled(v))
            view.horizontalScrollBar().valueChanged.connect(lambda _v: self.connector.update())
            view.selectionChanged.connect(lambda i=index: self._selection_changed(i))
            view.viewport().installEventFilter(self)
            view.installEventFilter(self)
        while len(self.panes) > n:
            pane = self.panes.pop()
            pane.setParent(None)
            pane.deleteLater()
        self._order = [i for i in self._order if i < n]
        (self.three_action if n == 3 else self.two_action).setChecked(True)
        self.splitter.setSizes([1000] * n)
        self.connector.set_views(self.views)
        self._place_overlay()

    def _fill_picker(self, pane: _ComparePane) -> None:
        current = pane.view.article.id if pane.view.article is not None else None
        pane.picker.blockSignals(True)
        pane.picker.clear()
        for aid, text, tip in self._choices:
            pane.picker.addItem(icon("article"), text, aid)
            pane.picker.setItemData(pane.picker.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if current is not None:
            pane.picker.setCurrentIndex(max(0, pane.picker.findData(current)))
        pane.picker.blockSignals(False)

    def _picked(self, pane: _ComparePane, row: int) -> None:
        aid = pane.picker.itemData(row)
        if aid is not None and (pane.view.article is None or pane.view.article.id != aid):
            self._load(pane, int(aid))
            self._reload_links()

    def _load(self, pane: _ComparePane, article_id: int) -> None:
        article = get_article(self.project, article_id)
        spans = span_service.spans_for_article(self.project, article_id, self.layers)
        pane.view.set_article(article, spans, self._labels)
        i = pane.picker.findData(article_id)
        if i < 0:
            pane.picker.addItem(
                icon("article"), f"{article.outlet or '(no outlet)'} — {article.title}", article_id
            )
            i = pane.picker.count() - 1
        pane.picker.setCurrentIndex(i)
        date = article.published.strftime("%-d %B %Y") if article.published else "undated"
        n = len(spans)
        pane.meta.setText(f"{article.outlet or '(no outlet)'} · {date} · {n} span{'s' if n != 1 else ''}")
        pane.meta.setContentsMargins(12, 0, 12, 4)
        pane.picker.setToolTip(article.title)

    def _reload_links(self) -> None:
        links = link_service.links_for_articles(self.project, self.article_ids())
        self.connector.set_links(links, {t.key: t.color for t in self._types})
        self._highlight()

    # -- events --------------------------------------------------------------------------------
    def _on_spans_changed(self, article_id: int) -> None:
        for pane in self.panes:
            if pane.view.article is not None and pane.view.article.id == article_id:
                pane.view.set_spans(span_service.spans_for_article(self.project, article_id, self.layers))
        self.connector.update()

    def _on_links_changed(self, article_ids: list[int]) -> None:
        if set(article_ids) & set(self.article_ids()):
            self._reload_links()

    def _on_labels_changed(self) -> None:
        self._labels = label_service.list_labels(self.project)
        self._types = label_service.list_link_types(self.project)
        for view in self.views:
            view.set_labels(self._labels)
        self._show_legend()
        self._reload_links()

    def _show_legend(self) -> None:
        parts = [f"<span style='color:{t.color}; font-size:15px'>━</span>&nbsp;{t.name}" for t in self._types]
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(parts) + "&nbsp;&nbsp;")
        self.legend.setToolTip("Link types: " + ", ".join(t.name for t in self._types))
        self.link_action.setIcon(link_type_icon(self._types[0].color) if self._types else icon("link"))

    def _selection_changed(self, index: int) -> None:
        if index >= len(self.panes):
            return
        self._order = [i for i in self._order if i != index]
        if self.panes[index].view.selected_span_id() is not None:
            self._order.append(index)
        self._highlight()
        selected = self.panes[index].view.selected_span_id()
        if selected is not None and self.follow_links and not self.sync_action.isChecked():
            self.align_linked(index, selected)
        chosen = self.selected_spans()
        if len(chosen) >= 2:
            self.status.setText("Press L to link the two selected spans (Esc clears the selection).")
        elif len(chosen) == 1:
            self.status.setText("Now select a span in another pane and press L, or drag onto it.")
        else:
            self.status.setText(HINT)

    def align_linked(self, index: int, span_id: int) -> list[int]:
        """Scroll the other panes (those without a selected span of their own) so that a span
        linked to ``span_id`` stands level with it, as a diff tool lines up changes. Returns the
        indexes of the panes it scrolled."""
        view = self.panes[index].view
        rect = view.span_rect(span_id)
        if rect is None:
            return []
        level = self.connector.map_rect(view, rect).top()
        others: dict[int, int] = {}
        for link in self.connector.links():
            if span_id in (link.source_span_id, link.target_span_id):
                other_span = link.target_span_id if link.source_span_id == span_id else link.source_span_id
                other_article = (
                    link.target_article_id if link.source_span_id == span_id else link.source_article_id
                )
                others.setdefault(other_article, other_span)
        moved = []
        for j, pane in enumerate(self.panes):
            target = pane.view
            if j == index or target.article is None or target.selected_span_id() is not None:
                continue
            other = others.get(target.article.id)
            if other is None or other not in target.index:
                continue
            # The level in the other pane's viewport coordinates; it scrolls by whole lines.
            origin = self.connector.map_rect(target, QRect(0, 0, 1, 1)).top()
            target.scroll_span_to(other, level - origin)
            moved.append(j)
        return moved

    def _highlight(self) -> None:
        self.connector.set_highlight({s.id for _i, s in self.selected_spans()})

    def _scrolled(self, source: ArticleView) -> None:
        self.connector.update()
        if not self.sync_action.isChecked() or self._syncing:
            return
        bar = source.verticalScrollBar()
        ratio = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
        self._syncing = True
        try:
            for view in self.views:
                if view is not source:
                    other = view.verticalScrollBar()
                    other.setValue(round(ratio * other.maximum()))
        finally:
            self._syncing = False

    def _place_overlay(self) -> None:
        self.splitter.setGeometry(self.area.rect())
        self.connector.setGeometry(self.area.rect())
        self.connector.raise_()
        self.connector.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.area and kind == QEvent.Type.Resize:
            assert isinstance(event, QResizeEvent)
            self._place_overlay()
        elif kind in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest):
            QTimer.singleShot(0, self.connector, self.connector.update)
        if isinstance(event, QMouseEvent) and isinstance(watched, QWidget):
            return self._mouse(watched, event)
        return super().eventFilter(watched, event)

    # -- drag from a span onto another ---------------------------------------------------------
    def _pane_of_viewport(self, widget: QWidget) -> int | None:
        return next((i for i, p in enumerate(self.panes) if p.view.viewport() is widget), None)

    def _mouse(self, watched: QWidget, event: QMouseEvent) -> bool:
        index = self._pane_of_viewport(watched)
        if index is None:
            return False
        view = self.panes[index].view
        pos = event.position().toPoint()
        kind = event.type()
        if kind == QEvent.Type.MouseButtonDblClick:
            offset = view.offset_at(pos)
            stack = view.span_ids_at(offset) if offset is not None else []
            if stack and view.article is not None:
                self.spanActivated.emit(view.article.id, stack[0])
            return False
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            offset = view.offset_at(pos)
            stack = view.span_ids_at(offset) if offset is not None else []
            self._drag_from = (index, stack[0], event.globalPosition().toPoint()) if stack else None
            self._dragging = False
            return False
        if self._drag_from is None:
            return False
        source_pane, source_id, _pressed = self._drag_from
        if kind == QEvent.Type.MouseMove and event.buttons() & Qt.MouseButton.LeftButton:
            here = event.globalPosition().toPoint()
            if not self._dragging and not view.viewport().rect().contains(pos):
                self._dragging = True  # left the pane: this is a link being dragged, not a selection
                view.select_span(source_id)
            if self._dragging:
                rect = view.span_rect(source_id)
                start = self.connector.map_rect(view, rect).center() if rect is not None else QPointF()
                color = self._types[0].color if self._types else "#1f5fa8"
                self.connector.set_drag(start, QPointF(self.connector.mapFromGlobal(here)), color)
                return True
            return False
        if kind == QEvent.Type.MouseButtonRelease:
            dragging, self._dragging, self._drag_from = self._dragging, False, None
            if not dragging:
                return False
            self.connector.set_drag(None)
            self.drop_link(source_pane, source_id, event.globalPosition().toPoint())
            return True
        return False

    def drop_link(self, source_pane: int, source_id: int, global_pos: QPoint) -> bool:
        """A drag from span ``source_id`` ended at ``global_pos``: link it to the span there, if any."""
        source = self.panes[source_pane].view.index.get(source_id)
        for i, pane in enumerate(self.panes):
            vp = pane.view.viewport()
            local = vp.mapFromGlobal(global_pos)
            if i == source_pane or not vp.rect().contains(local):
                continue
            offset = pane.view.offset_at(local)
            stack = pane.view.span_ids_at(offset) if offset is not None else []
            if not stack or source is None:
                break
            pane.view.select_span(stack[0])
            target = pane.view.index.get(stack[0])
            return target is not None and self.link_spans(source, target, global_pos)
        self.status.setText("Drop the link on a span in another pane.")
        return False


def story_articles(project: Project, article_id: int) -> list[ArticleRow]:
    """The articles of ``article_id``'s story (outlets in order of first report, then by date)."""
    where = corpus.locate(project, article_id)
    if where is None or where.story_id is None:
        a = get_article(project, article_id)
        return [ArticleRow(a.id, a.title, a.outlet, a.published, len(a.text), {}, False)]
    rows: list[ArticleRow] = []
    for outlet in corpus.outlets(project, where.story_id):
        rows += corpus.articles(project, where.story_id, outlet.id, limit=1000)
    return rows


def story_article_ids(project: Project, article_id: int) -> list[int]:
    return [row.id for row in story_articles(project, article_id)]


def compare_story(
    project: Project,
    undo_stack: QUndoStack,
    events: ProjectEvents,
    annotator: str,
    article_id: int,
    *,
    layers: Sequence[str] | None = None,
    parent: QWidget | None = None,
    panes: int = 3,
) -> CompareView:
    """A compare window on ``article_id``'s story: that article first, then the next ones."""
    rows = story_articles(project, article_id)
    ids = [row.id for row in rows]
    # Beside it first: the articles with most links to it (the curves are the point of the view).
    linked: dict[int, int] = {}
    for link in link_service.links_for_articles(project, [article_id]):
        for other in (link.source_article_id, link.target_article_id):
            if other != article_id:
                linked[other] = linked.get(other, 0) + 1
    rest = sorted((a for a in ids if a != article_id), key=lambda a: -linked.get(a, 0))
    view = CompareView(project, undo_stack, events, annotator, layers, parent)
    view.setWindowFlag(Qt.WindowType.Window)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    story = get_article(project, article_id).story
    view.setWindowTitle(f"Compare — {story or 'articles'}")
    view.set_choices(rows)
    view.show_articles([article_id, *rest][: max(2, min(panes, len(ids)))] if len(ids) > 1 else ids * 2)
    view.resize(1500, 900)
    return view
