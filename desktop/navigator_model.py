"""The corpus navigator's item model: stories, then outlets, then articles.

Stories are read when the model is (re)set and shown a page at a time (``STORY_PAGE``, more as
the view scrolls, through ``canFetchMore``/``fetchMore`` on the root: a view lays out every row it
is given, 500 stories at startup otherwise); a story's outlets when it is first expanded; an
outlet's articles a page at a time. Rows hold ids and the
few fields shown; the filter and the order are applied by re-querying ``db.corpus``, never by
loading the whole corpus. Column 0 is the title, 1 the span counts per label, 2 the date.

At startup the model can first answer from a ``db.quickread.QuickCorpus`` (plain sqlite3, while
SQLAlchemy loads); ``attach_project`` then hands it the opened project without a reset, so the
rows, their expansion and the selection stay as they are. Rows are ``db.corpus.GroupRow`` /
``ArticleRow`` or their quickread twins with the same fields. This module imports neither
``db.corpus`` nor SQLAlchemy until it needs them, to keep the first window quick.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

if TYPE_CHECKING:
    from db.corpus import ArticleRow, CorpusFilter, GroupRow
    from db.project import Project
    from db.quickread import QuickArticle, QuickCorpus, QuickGroup
    from db.records import LabelRecord
    from desktop.label_chips import Chip

    Row = GroupRow | ArticleRow | QuickGroup | QuickArticle

Index = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 200
#: Stories shown at first and added per fetch (a screenful of a 900-pixel window is about 35).
STORY_PAGE = 50
_TOP = QModelIndex()  # the invisible root, as a default argument
ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
COUNTS_ROLE = Qt.ItemDataRole.UserRole + 3
ARTICLES_ROLE = Qt.ItemDataRole.UserRole + 4
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class NodeKind(enum.Enum):
    ROOT = 0
    STORY = 1
    OUTLET = 2
    ARTICLE = 3


class _Node:
    """One row of the tree. Group nodes know their key and how many articles they hold."""

    __slots__ = ("children", "fetched", "kind", "parent", "row", "total")

    def __init__(self, kind: NodeKind, parent: _Node | None, row: Row | None) -> None:
        self.kind = kind
        self.parent = parent
        self.row: Any = row
        self.children: list[_Node] = []
        self.fetched = kind is NodeKind.ARTICLE  # all children loaded
        self.total = row.articles if kind in _GROUPS and row is not None else 0

    @property
    def key(self) -> int | None:
        return self.row.id if self.row is not None else None

    @property
    def story_id(self) -> int | None:
        node: _Node | None = self
        while node is not None and node.kind is not NodeKind.STORY:
            node = node.parent
        return node.key if node is not None else None


_GROUPS = (NodeKind.STORY, NodeKind.OUTLET)


def _with(row: Any, **changes: Any) -> Any:
    """``row`` with some fields changed (a db.corpus dataclass or a db.quickread named tuple)."""
    replace = getattr(row, "_replace", None)
    if replace is not None:
        return replace(**changes)
    import dataclasses

    return dataclasses.replace(row, **changes)


class NavigatorModel(QAbstractItemModel):
    """Tree model of the corpus. Emits the usual model signals only."""

    COLUMNS = ("Article", "Spans", "Date")

    def __init__(
        self,
        project: Project | None,
        labels: Sequence[LabelRecord] = (),
        parent: QObject | None = None,
        *,
        lazy_counts: bool = False,
        quick: QuickCorpus | None = None,
    ) -> None:
        """``lazy_counts``: load the stories without their span counts; the owner fetches them
        (``corpus.story_counts``, in a background job) and hands them to ``set_story_counts``.

        ``quick`` (with ``project`` None): answer from this read-only reader, unfiltered, in its
        order and counting its annotator's spans, until ``attach_project``."""
        super().__init__(parent)
        self._lazy_counts = lazy_counts or quick is not None
        #: Stories whose counts were re-read after an edit since the last reset; a background
        #: count that started before the edit must not overwrite them.
        self._fresh_stories: set[int | None] = set()
        self._project = project
        self._quick = quick
        self._labels = list(labels)
        #: Chips per distinct counts (rows repaint often; many share their counts); cleared with
        #: the labels.
        self._chip_rows: dict[tuple[tuple[str, int], ...], list[Chip]] = {}
        self._filter: CorpusFilter | None = None
        #: The chips role (``desktop.label_chips``) once the view paints chips; the quick first
        #: screen shows counts as text until then, without loading the chips' painting code.
        self._chips_role: int | None = None
        if quick is None:
            from db.corpus import CorpusFilter

            self._filter = CorpusFilter()
            self.enable_chips()
        self._root = _Node(NodeKind.ROOT, None, None)
        #: Every story row under the filter; ``_root.children`` holds the ones shown so far.
        self._stories: list[Row] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._icons: dict[str, Any] = {}
        self._muted = QColor(128, 128, 128)
        #: Story name (None: no story) -> (articles reviewed, articles), from desktop.review_setup.
        self._review_progress: dict[str | None, tuple[int, int]] = {}
        self._load_root()

    @property
    def project(self) -> Project | None:
        """The open project; None while the first screen is read by a ``QuickCorpus``."""
        return self._project

    @property
    def quick(self) -> QuickCorpus | None:
        return self._quick

    def attach_project(self, project: Project) -> None:
        """Answer from ``project`` from now on (``db.corpus``), keeping every row loaded so far:
        the quick reader gave the same rows, so the view keeps its expansion and selection."""
        from db.corpus import ArticleOrder, CorpusFilter

        quick = self._quick
        self._project = project
        if quick is not None:
            self._filter = CorpusFilter("", ArticleOrder(quick.order), quick.annotator)
            self._quick = None
            quick.close()

    # -- configuration -------------------------------------------------------------------------
    @property
    def corpus_filter(self) -> CorpusFilter:
        assert self._filter is not None, "no filter before attach_project"
        return self._filter

    @property
    def filtering(self) -> bool:
        """Whether a filter text narrows the rows (never on the quick first screen)."""
        return self._filter is not None and self._filter.active

    def set_filter(self, flt: CorpusFilter) -> None:
        if flt == self._filter:
            return
        if self._quick is not None:
            raise RuntimeError("the navigator filters once the project is open (attach_project)")
        self._filter = flt
        self.reload()

    def set_labels(self, labels: Sequence[LabelRecord]) -> None:
        self._labels = list(labels)
        self._chip_rows.clear()
        self._emit_changed_below(self._root, 1, 1)

    def enable_chips(self) -> None:
        """Answer the chips role (for a view with ``LabelChipsDelegate`` on the counts column)."""
        from desktop.label_chips import CHIPS_ROLE

        self._chips_role = CHIPS_ROLE

    def set_icons(self, icons: dict[str, Any]) -> None:
        """Decorations per kind: "story", "outlet", "article", "reviewed" (QIcons)."""
        self._icons = icons

    def reload(self) -> None:
        """Re-query everything (after an import, or a new filter). Expanded state is the view's."""
        self.beginResetModel()
        self._root = _Node(NodeKind.ROOT, None, None)
        self._load_root()
        self.endResetModel()

    def _load_root(self) -> None:
        self._fresh_stories = set()
        groups: Sequence[Row]
        if self._quick is not None:
            groups = self._quick.stories()
        else:
            from db import corpus

            groups = corpus.stories(self._project, self._filter, with_counts=not self._lazy_counts)
        self._stories = list(groups)
        self._root.children = [_Node(NodeKind.STORY, self._root, g) for g in self._stories[:STORY_PAGE]]
        self._root.fetched = len(self._root.children) == len(self._stories)

    # -- reading, from the quick reader or db.corpus -------------------------------------------
    def _outlets(self, story_id: int | None) -> Sequence[Row]:
        if self._quick is not None:
            return self._quick.outlets(story_id)
        from db import corpus

        return corpus.outlets(self._project, story_id, self._filter)

    def _story_articles(self, story_id: int | None) -> dict[int | None, Sequence[Row]]:
        if self._quick is not None:
            return dict(self._quick.story_articles(story_id))
        from db import corpus

        return dict(corpus.story_articles(self._project, story_id, self._filter))

    def _articles(self, story_id: int | None, outlet_id: int | None, offset: int) -> Sequence[Row]:
        if self._quick is not None:
            return self._quick.articles(story_id, outlet_id, offset=offset, limit=PAGE_SIZE)
        from db import corpus

        return corpus.articles(
            self._project,
            story_id,
            outlet_id,
            self._filter,
            offset=offset,
            limit=PAGE_SIZE,
        )

    def _locate(self, article_id: int) -> tuple[int | None, int | None] | None:
        if self._quick is not None:
            return self._quick.locate(article_id)
        from db import corpus

        where = corpus.locate(self._project, article_id)
        return None if where is None else (where.story_id, where.outlet_id)

    def article_total(self) -> int:
        """How many articles the stories hold (under the filter), shown or not yet."""
        return sum(story.articles for story in self._stories)

    def story_total(self) -> int:
        """How many stories there are (under the filter), shown or not yet."""
        return len(self._stories)

    def _story_node(self, story_id: int | None) -> _Node | None:
        """The node of a story, adding the pages of stories up to it if need be."""
        root = self._root
        while True:
            found = next((n for n in root.children if n.key == story_id), None)
            if found is not None or root.fetched:
                return found
            self.fetchMore(_TOP)

    # -- Qt model API --------------------------------------------------------------------------
    def _node(self, index: Index) -> _Node:
        if not index.isValid():
            return self._root
        node = index.internalPointer()
        assert isinstance(node, _Node)
        return node

    def index(self, row: int, column: int, parent: Index = _TOP) -> QModelIndex:
        # Asked for every row the view lays out (500 stories at once): few calls into Qt here.
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            children = parent.internalPointer().children
        else:
            children = self._root.children
        if 0 <= row < len(children) and 0 <= column < len(self.COLUMNS):
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: Index = _TOP) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._node(index).parent
        if node is None or node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.children.index(node), 0, node)

    def rowCount(self, parent: Index = _TOP) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = _TOP) -> int:
        return len(self.COLUMNS)

    def hasChildren(self, parent: Index = _TOP) -> bool:
        if not parent.isValid():
            return bool(self._stories)
        if parent.column() != 0:
            return False
        node = parent.internalPointer()
        return node.kind is not NodeKind.ARTICLE and node.total > 0

    def canFetchMore(self, parent: Index) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        return not self._node(parent).fetched

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        node = self._node(parent)
        if node.kind is NodeKind.ROOT:
            shown = len(node.children)
            new = [_Node(NodeKind.STORY, node, g) for g in self._stories[shown : shown + STORY_PAGE]]
            node.fetched = shown + len(new) >= len(self._stories)
        elif node.kind is NodeKind.STORY:
            # A story of ordinary size comes whole in one query, rather than one per outlet.
            whole = 0 < node.total <= PAGE_SIZE
            self._fill_story(
                parent, node, self._outlets(node.key), self._story_articles(node.key) if whole else None
            )
            return
        else:
            rows = self._articles(node.story_id, node.key, len(node.children))
            new = [_Node(NodeKind.ARTICLE, node, r) for r in rows]
            node.fetched = len(rows) < PAGE_SIZE or len(node.children) + len(rows) >= node.total
        if not new:
            node.fetched = True
            return
        first = len(node.children)
        self.beginInsertRows(parent, first, first + len(new) - 1)
        node.children.extend(new)
        self.endInsertRows()

    def _fill_story(
        self,
        parent: Index,
        node: _Node,
        groups: Sequence[Row],
        by_outlet: Mapping[int | None, Sequence[Row]] | None,
    ) -> None:
        """Give a story its outlet rows, and their articles when ``by_outlet`` holds them."""
        new = [_Node(NodeKind.OUTLET, node, g) for g in groups]
        node.fetched = True
        if by_outlet is not None:
            for outlet in new:
                outlet.children = [_Node(NodeKind.ARTICLE, outlet, r) for r in by_outlet.get(outlet.key, [])]
                outlet.fetched = True
        if not new:
            return
        self.beginInsertRows(parent, 0, len(new) - 1)
        node.children.extend(new)
        self.endInsertRows()

    def prefetch_stories(self, parents: Sequence[Index]) -> None:
        """Open several stories of ordinary size at once: three queries in all instead of six per
        story (re-opening the stories a new filter leaves open). Others are left to ``fetchMore``."""
        if self._quick is not None:
            return
        todo = [
            (parent, node)
            for parent in parents
            if self.canFetchMore(parent)
            and (node := self._node(parent)).kind is NodeKind.STORY
            and 0 < node.total <= PAGE_SIZE
        ]
        if len(todo) < 2:
            return
        from db import corpus

        contents = corpus.story_contents(self._project, [node.key for _p, node in todo], self._filter)
        for parent, node in todo:
            groups, by_outlet = contents.get(node.key, ([], {}))
            self._fill_story(parent, node, groups, by_outlet)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        if horizontal and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    # No flags(): every row is enabled and selectable, which is what QAbstractItemModel answers,
    # without a call into Python for each row the view lays out.

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()  # every valid index is made by index() or _index_of()
        row = node.row
        col = index.column()
        article = node.kind is NodeKind.ARTICLE
        # The roles a paint asks for come first, compared as plain ints (the view asks a few
        # hundred times per screenful).
        if role == _DISPLAY:
            return self._display(node, col)
        if role == _DECORATION:
            if col != 0:
                return None
            if article and row.reviewed:
                return self._icons.get("reviewed")
            return self._icons.get(node.kind.name.lower())
        if role == _FONT:
            return self._bold if node.kind is NodeKind.STORY and col == 0 else None
        if role == _FOREGROUND:
            return self._muted if col == 2 and not article else None
        if role == _ALIGNMENT:
            return _RIGHT if col == 2 else None
        if role == ARTICLE_ID_ROLE:
            return row.id if article else None
        if role == KIND_ROLE:
            return node.kind
        if role == ARTICLES_ROLE:
            return None if article else row.articles
        if role == COUNTS_ROLE:
            return dict(row.counts) if row is not None else {}
        if role == self._chips_role and col == 1:
            return self._chips(row.counts if row is not None else {})
        if role == _TOOLTIP:
            return self._tooltip(node)
        return None

    # -- display helpers -----------------------------------------------------------------------
    def _display(self, node: _Node, col: int) -> str | None:
        row = node.row
        if node.kind is NodeKind.ARTICLE:
            if col == 0:
                return row.title or "(untitled)"
            if col == 1:
                return self.counts_text(row.counts)
            return row.published.isoformat() if row.published else ""
        if col == 0:
            name = row.name or ("(no story)" if node.kind is NodeKind.STORY else "(no outlet)")
            done = self._review_progress.get(row.name) if node.kind is NodeKind.STORY else None
            if done is not None and done[0]:
                return f"{name}  ·  {done[0]}/{done[1]} reviewed"
            return name
        if col == 1:
            return self.counts_text(row.counts)
        return f"{row.articles} art."

    def counts_text(self, counts: dict[str, int]) -> str:
        """'3 C · 2 A · 1 E · 4 F' in schema order (labels without spans left out)."""
        if not counts:
            return ""
        parts = [f"{counts[lb.key]} {lb.key[0]}" for lb in self._ordered_labels(counts) if counts.get(lb.key)]
        return " · ".join(parts)

    def _ordered_labels(self, counts: dict[str, int]) -> list[LabelRecord]:
        if not self._labels and self._quick is not None and counts:
            self._labels = self._quick.labels()  # first needed by a row with span counts
        known = {lb.key for lb in self._labels}
        unknown = sorted(k for k in counts if k not in known)
        if not unknown:
            return self._labels
        from db.records import LabelRecord

        extra = [LabelRecord(0, k, k, "#888888", None, "", 999) for k in unknown]
        return [*self._labels, *extra]

    def _chips(self, counts: dict[str, int]) -> list[Chip]:
        key = tuple(counts.items())
        found = self._chip_rows.get(key)
        if found is not None:
            return found
        from desktop.label_chips import Chip

        found = [
            Chip(str(counts[lb.key]), lb.color, f"{counts[lb.key]} {lb.name}")
            for lb in self._ordered_labels(counts)
            if counts.get(lb.key)
        ]
        if len(self._chip_rows) >= 4096:
            self._chip_rows.clear()
        self._chip_rows[key] = found
        return found

    def _tooltip(self, node: _Node) -> str:
        row = node.row
        counts = row.counts if row is not None else {}
        lines = []
        if node.kind is NodeKind.ARTICLE:
            lines.append(row.title or "(untitled)")
            meta = [x for x in (row.outlet, row.published.isoformat() if row.published else None) if x]
            meta.append(f"{row.n_chars:,} characters")
            lines.append(" · ".join(meta))
            if row.reviewed:
                lines.append("Reviewed")
        elif row is not None:
            lines.append(self._display(node, 0) or "")
            lines.append(f"{row.articles} article{'s' if row.articles != 1 else ''}")
        spans = [f"{counts[lb.key]} {lb.name}" for lb in self._ordered_labels(counts) if counts.get(lb.key)]
        lines.append(", ".join(spans) if spans else "No spans yet")
        return "\n".join(lines)

    def _emit_changed_below(self, node: _Node, first_col: int, last_col: int) -> None:
        if not node.children:
            return
        parent = QModelIndex() if node is self._root else self._index_of(node)
        self.dataChanged.emit(
            self.index(0, first_col, parent), self.index(len(node.children) - 1, last_col, parent)
        )
        for child in node.children:
            self._emit_changed_below(child, first_col, last_col)

    def _index_of(self, node: _Node, column: int = 0) -> QModelIndex:
        if node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.children.index(node), column, node)

    # -- finding and moving --------------------------------------------------------------------
    def article_id(self, index: Index) -> int | None:
        value = index.data(ARTICLE_ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def index_for_article(self, article_id: int) -> QModelIndex:
        """The article's row, fetching its story's outlets and its outlet's pages as needed.

        Invalid if the article does not exist or the filter hides it."""
        where = self._locate(article_id)
        if where is None:
            return QModelIndex()
        story_id, outlet_id = where
        story = self._story_node(story_id)
        if story is None:
            return QModelIndex()
        story_index = self._index_of(story)
        self.fetchMore(story_index)
        outlet = next((n for n in story.children if n.key == outlet_id), None)
        if outlet is None:
            return QModelIndex()
        outlet_index = self._index_of(outlet)
        while True:
            for child in outlet.children:
                if child.key == article_id:
                    return self._index_of(child)
            if not self.canFetchMore(outlet_index):
                return QModelIndex()
            self.fetchMore(outlet_index)

    def first_article(self) -> QModelIndex:
        found = self._first_inside(self._root, 1)
        return self._index_of(found) if found is not None else QModelIndex()

    def neighbour(self, index: Index, step: int) -> QModelIndex:
        """The next (step 1) or previous (step -1) article in tree order, or invalid at the end."""
        if not index.isValid():
            return self.first_article() if step > 0 else QModelIndex()
        node = self._node(index)
        if node.kind is not NodeKind.ARTICLE and step > 0:
            inside = self._first_inside(node, step)
            if inside is not None:
                return self._index_of(inside)
        assert node.parent is not None
        return self._step_from(node.parent, node, step)

    def _load(self, node: _Node, step: int) -> None:
        """Make sure the children a walk in direction ``step`` needs are there."""
        if node.kind is NodeKind.ARTICLE:
            return
        index = self._index_of(node)
        if node.kind is NodeKind.STORY or (step > 0 and not node.children):
            self.fetchMore(index)
        elif step < 0:
            while self.canFetchMore(index):
                self.fetchMore(index)

    def _first_inside(self, node: _Node, step: int) -> _Node | None:
        """The first article below ``node`` going ``step`` (without climbing out of it)."""
        self._load(node, step)
        kids = node.children if step > 0 else list(reversed(node.children))
        for kid in kids:
            found = kid if kid.kind is NodeKind.ARTICLE else self._first_inside(kid, step)
            if found is not None:
                return found
        return None

    def _step_from(self, node: _Node, child: _Node, step: int) -> QModelIndex:
        """The first article after ``child`` (a child of ``node``) going ``step``, climbing up."""
        while True:
            if step > 0 and node.kind is not NodeKind.STORY and child is node.children[-1]:
                self.fetchMore(self._index_of(node))  # the next page, if there is one
            kids = node.children
            pos = kids.index(child) + step
            while 0 <= pos < len(kids):
                candidate = kids[pos]
                found = (
                    candidate if candidate.kind is NodeKind.ARTICLE else self._first_inside(candidate, step)
                )
                if found is not None:
                    return self._index_of(found)
                pos += step
            if node.parent is None:
                return QModelIndex()
            node, child = node.parent, node

    # -- review progress -----------------------------------------------------------------------
    def set_review_progress(self, progress: dict[str | None, tuple[int, int]]) -> None:
        """Show "3/5 reviewed" on story rows: story name (None: no story) -> (reviewed, articles)."""
        self._review_progress = dict(progress)
        if self._root.children:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._root.children) - 1, 0))

    def review_progress_text(self, story_name: str | None) -> str:
        done = self._review_progress.get(story_name)
        return f"{done[0]}/{done[1]} reviewed" if done else ""

    def set_article_reviewed(self, article_id: int, reviewed: bool) -> None:
        """Show (or hide) the ✓ of a loaded article row after it was marked reviewed."""
        for story in self._root.children:
            for outlet in story.children:
                for art in outlet.children:
                    if art.key == article_id and art.row.reviewed != reviewed:
                        art.row = _with(art.row, reviewed=reviewed)
                        self.dataChanged.emit(self._index_of(art, 0), self._index_of(art, 2))

    # -- keeping counts current ----------------------------------------------------------------
    def set_story_counts(self, flt: CorpusFilter, counts: dict[int | None, dict[str, int]]) -> None:
        """Fill in the stories' span counts (ignored if the filter changed meanwhile)."""
        if flt != self._filter:
            return
        self._stories = [
            row if row.id in self._fresh_stories else _with(row, counts=counts.get(row.id, {}))
            for row in self._stories
        ]
        for story, row in zip(self._root.children, self._stories, strict=False):
            story.row = row
        if self._root.children:
            last = len(self._root.children) - 1
            self.dataChanged.emit(self.index(0, 1), self.index(last, 1))

    def refresh_counts(self, article_id: int) -> None:
        """Re-read one article's span counts (and its story's and outlet's) after an edit."""
        if self._project is None:
            return
        from db import corpus

        where = corpus.locate(self._project, article_id)
        if where is None:
            return
        counts = corpus.label_counts(self._project, [article_id], self._filter.annotator).get(article_id, {})
        story = self._story_node(where.story_id)
        if story is None:
            return
        fresh = corpus.story_counts(self._project, self._filter, [where.story_id]).get(where.story_id, {})
        self._fresh_stories.add(where.story_id)
        story.row = _with(story.row, counts=fresh)
        self._stories[story.parent.children.index(story)] = story.row  # type: ignore[union-attr]
        self.dataChanged.emit(self._index_of(story, 0), self._index_of(story, 2))
        if not story.children:
            return
        outlets = {g.id: g for g in corpus.outlets(self._project, story.key, self._filter)}
        for outlet in story.children:
            group = outlets.get(outlet.key)
            if outlet.key == where.outlet_id and group is not None:
                outlet.row = group
                self.dataChanged.emit(self._index_of(outlet, 0), self._index_of(outlet, 2))
            for art in outlet.children:
                if art.key == article_id:
                    art.row = _with(art.row, counts=counts)
                    self.dataChanged.emit(self._index_of(art, 0), self._index_of(art, 2))
