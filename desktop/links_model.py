"""LinksModel: the links of one span, or of a whole story, as a table (type, from, to, note).

It holds ``LinkRecord``s plus the spans and articles they join, read once per refresh through the
``db`` services. ``LINK_ROLE`` gives a row's ``LinkRecord``; ``OTHER_END_ROLE`` the (article id,
span id) of the end that is not the focused span (for a story list: the target).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db import labels as label_service
from db import links as link_service
from db.articles import get_article
from db.project import Project
from db.records import ArticleRecord, LinkRecord, LinkTypeRecord, SpanRecord
from db.spans import spans_by_ids
from desktop.label_chips import CHIPS_ROLE, Chip

LINK_ROLE = Qt.ItemDataRole.UserRole + 60
OTHER_END_ROLE = Qt.ItemDataRole.UserRole + 61
TYPE_COL, FROM_COL, TO_COL, NOTE_COL = range(4)
_HEADERS = ("Type", "From", "To", "Note")
PREVIEW = 90


def _flat(text: str, limit: int = PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class LinksModel(QAbstractTableModel):
    """Links touching one span (``show_span``) or the articles of a story (``show_articles``)."""

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.span_id: int | None = None
        self.article_ids: list[int] = []
        self._links: list[LinkRecord] = []
        self._spans: dict[int, SpanRecord] = {}
        self._articles: dict[int, ArticleRecord] = {}
        self._types: dict[str, LinkTypeRecord] = {}
        self._load_types()

    # -- what to show --------------------------------------------------------------------------
    def show_span(self, span_id: int | None) -> None:
        self.span_id, self.article_ids = span_id, []
        self.refresh()

    def show_articles(self, article_ids: Iterable[int]) -> None:
        self.span_id, self.article_ids = None, list(article_ids)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the links (after an edit, an undo, or another view's change)."""
        if self.span_id is not None:
            links = link_service.links_for_spans(self.project, [self.span_id])
        elif self.article_ids:
            links = link_service.links_for_articles(self.project, self.article_ids)
        else:
            links = []
        span_ids = {i for lk in links for i in (lk.source_span_id, lk.target_span_id)}
        with self.project.read() as s:
            spans = spans_by_ids(s, span_ids)
        for aid in {lk.source_article_id for lk in links} | {lk.target_article_id for lk in links}:
            if aid not in self._articles:
                self._articles[aid] = get_article(self.project, aid)
        self.beginResetModel()
        self._links, self._spans = links, spans
        self.endResetModel()

    def set_link_types(self) -> None:
        self._load_types()
        if self._links:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._links) - 1, 0))

    def _load_types(self) -> None:
        self._types = {t.key: t for t in label_service.list_link_types(self.project)}

    # -- access --------------------------------------------------------------------------------
    def link(self, row: int) -> LinkRecord | None:
        return self._links[row] if 0 <= row < len(self._links) else None

    def row_of(self, link_id: int) -> int | None:
        return next((i for i, lk in enumerate(self._links) if lk.id == link_id), None)

    def type_name(self, key: str) -> str:
        t = self._types.get(key)
        return t.name if t else key

    def link_types(self) -> list[LinkTypeRecord]:
        return list(self._types.values())

    def span_record(self, span_id: int) -> SpanRecord | None:
        return self._spans.get(span_id)

    # -- the model -----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._links)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 4
        ):
            return _HEADERS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _end(self, span_id: int, article_id: int) -> str:
        span = self._spans.get(span_id)
        text = f"“{_flat(span.text)}”" if span else "(deleted span)"
        if self.span_id is not None and span_id == self.span_id:
            return "this span"
        article = self._articles.get(article_id)
        outlet = article.outlet if article and article.outlet else "(no outlet)"
        return f"{text} — {outlet}"

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._links):
            return None
        link = self._links[index.row()]
        col = index.column()
        lt = self._types.get(link.type)
        if role == LINK_ROLE:
            return link
        if role == OTHER_END_ROLE:
            if self.span_id is not None and link.target_span_id == self.span_id:
                return (link.source_article_id, link.source_span_id)
            return (link.target_article_id, link.target_span_id)
        if role == CHIPS_ROLE and col == TYPE_COL:
            return [Chip(lt.name if lt else link.type, lt.color if lt else "#7f8c8d")]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == TYPE_COL:
                return lt.name if lt else link.type
            if col == FROM_COL:
                return self._end(link.source_span_id, link.source_article_id)
            if col == TO_COL:
                return self._end(link.target_span_id, link.target_article_id)
            if col == NOTE_COL:
                return _flat(link.note or "", 60)
        if role == Qt.ItemDataRole.ForegroundRole and col == NOTE_COL:
            return QColor("#6b7280")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(link, lt)
        return None

    def _tooltip(self, link: LinkRecord, lt: LinkTypeRecord | None) -> str:
        def side(span_id: int, article_id: int) -> str:
            span = self._spans.get(span_id)
            article = self._articles.get(article_id)
            where = html.escape(f"{article.outlet or '(no outlet)'}, {article.title}") if article else ""
            text = html.escape(_flat(span.text, 240)) if span else "(deleted)"
            label = html.escape(span.label) if span else ""
            return f"<b>{label}</b> “{text}”<br><span style='color:#6b7280'>{where}</span>"

        color = lt.color if lt else "#7f8c8d"
        name = html.escape(lt.name if lt else link.type)
        arrow = "→" if lt is None or lt.directed else "↔"
        parts = [
            f"<span style='color:{color}'>━━</span> <b>{name}</b> by {html.escape(link.annotator)}",
            side(link.source_span_id, link.source_article_id),
            f"<div style='font-size:large'>{arrow}</div>",
            side(link.target_span_id, link.target_article_id),
        ]
        if link.note:
            parts.append(f"<b>Note:</b> {html.escape(link.note)}")
        return "<p style='max-width:32em'>" + "<br>".join(parts) + "</p>"
