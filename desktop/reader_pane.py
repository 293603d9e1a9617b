"""ReaderPane: the centre of the main window, where an analyst reads an article and marks spans.

Layout: a header (headline, outlet, date, link), a find bar (hidden until asked for), a notice
line for errors, the ``ArticleView`` and a legend of the labels.

Interface (kept stable for the main window)::

    pane = ReaderPane(project, undo_stack, events, annotator)
    pane.show_article(article_id)         # emits articleShown(article_id)
    pane.set_annotator(name)              # whose layer edits go to (default visible layer)
    pane.set_visible_layers([names])      # which annotators' spans are shown
    pane.label_selection("ATTRIBUTION")   # label the text selection, or relabel the selected span
    pane.delete_selected(); pane.nudge("start" | "end", -1 | +1); pane.edit_note(text | None)
    pane.select_next(forward=True); pane.select_span(span_id); pane.find(text, backwards=False)
    pane.open_find_bar()

Signals: ``spanSelected(object)`` (a span id or None), ``articleShown(int)``.

Keys while the text has focus: the labels' shortcuts (1-4) label the selection or relabel the
selected span; Delete removes it; Shift+Left/Right move its start by a token (left extends),
Alt+Left/Right move its end (right extends); N edits its note; Tab/Shift+Tab go to the next or
previous span; Escape clears the selection.

Every edit is an undo command from ``desktop.undo_commands`` pushed on the shared stack; the pane
updates its span index from the command's announcements (``ProjectEvents.spanUpdated`` /
``spanRemoved``) rather than reloading the article.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPalette, QTextDocument, QUndoStack
from PySide6.QtWidgets import QFrame, QInputDialog, QLabel, QMenu, QVBoxLayout, QWidget

from db import labels as label_service
from db import spans as span_service
from db.project import Project
from db.records import ArticleRecord, LabelRecord, SpanRecord
from desktop.article_view import ArticleView
from desktop.find_bar import FindBar
from desktop.keys import take_key
from desktop.project_events import ProjectEvents
from desktop.reader_header import ArticleHeader, LabelLegend
from desktop.undo_commands import (
    AddSpanCommand,
    DeleteSpanCommand,
    MoveSpanCommand,
    RelabelSpanCommand,
    ServiceCommand,
    SetSpanNoteCommand,
    push_command,
)

NOTICE_MS = 8000
_NUDGE_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right)


class ReaderPane(QWidget):
    """Reads one article and edits spans in the current annotator's layer (see module docstring)."""

    spanSelected = Signal(object)
    articleShown = Signal(int)

    def __init__(
        self,
        project: Project,
        undo_stack: QUndoStack,
        events: ProjectEvents,
        annotator: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.events = events
        self.annotator = annotator
        self._layers: list[str] | None = None  # None: the annotator's own layer
        self._labels: list[LabelRecord] = label_service.list_labels(project)
        self._article: ArticleRecord | None = None
        self._announced: dict[int, int] = {}  # article id -> fine-grained updates already applied
        self._last_selected: int | None = None
        self._rest_pending: int | None = None  # article whose spans past the first screen are not loaded yet

        self.header = ArticleHeader()
        self.find_bar = FindBar()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setObjectName("readerNotice")
        self._notice_styled: tuple[int, int] | None = None
        self._style_notice(0, 0)
        self._apply_notice_style()
        self.notice.hide()
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._notice_timer.timeout.connect(self.notice.hide)
        self.view = ArticleView()
        self.view.own_layer = annotator
        self.legend = LabelLegend()
        self.legend.set_labels(self._labels)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.header)
        self._top = top
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(top)
        layout.addWidget(_rule())
        layout.addWidget(self.find_bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)
        layout.addWidget(_rule())
        layout.addWidget(self.legend)

        self.setBackgroundRole(self.view.viewport().backgroundRole())
        self.setAutoFillBackground(True)
        self.view.columnChanged.connect(self._align_to_column)
        self.view.installEventFilter(self)
        self.view.spanClicked.connect(lambda _id: self._emit_selection())
        self.view.spanClicked.connect(self._link_on_ctrl_click)
        self.view.selectionChanged.connect(self._emit_selection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.find_bar.findRequested.connect(self.find)
        self.find_bar.closed.connect(lambda: self.view.setFocus(Qt.FocusReason.OtherFocusReason))
        events.spanUpdated.connect(self._on_span_updated)
        events.spanRemoved.connect(self._on_span_removed)
        events.spansChanged.connect(self._on_spans_changed)
        events.labelsChanged.connect(self._on_labels_changed)
        events.commandFailed.connect(self.show_notice)

    def _align_to_column(self, left: int, width: int) -> None:
        right = max(0, self.view.width() - left - width)
        self.header.setContentsMargins(left, 0, right, 0)
        self._style_notice(left, right)
        self.find_bar.setContentsMargins(left - 8, 0, right - 8, 0)

    def _style_notice(self, left: int, right: int) -> None:
        self._notice_margins = (left, right)
        if not self.notice.isHidden():
            self._apply_notice_style()

    def _apply_notice_style(self) -> None:
        # A style sheet costs a re-polish: only the shown notice gets one, when the column moved.
        left, right = self._notice_margins
        if self._notice_styled == (left, right):
            return
        self._notice_styled = (left, right)
        self.notice.setStyleSheet(
            "#readerNotice { background: rgba(214, 69, 65, 0.14); border-left: 3px solid #d64541;"
            f" padding: 6px 10px; margin: 6px {right}px 0 {left}px; }}"
        )

    # ----------------------------------------------------------------------------- showing

    @property
    def article(self) -> ArticleRecord | None:
        return self._article

    def layers(self) -> list[str]:
        return list(self._layers) if self._layers is not None else [self.annotator]

    def show_article(self, article_id: int) -> None:
        """Load an article and the visible layers' spans into the view.

        The spans of the first screen are loaded at once and painted; the rest of a long article's
        spans follow on the next turn of the event loop (``ensure_all_spans`` forces it sooner)."""
        head_end = self._first_screen_chars()
        article, spans = span_service.article_with_spans(
            self.project, article_id, self.layers(), starting_before=head_end
        )
        if head_end < len(article.text):
            self._rest_pending = article_id
            QTimer.singleShot(0, self.ensure_all_spans)
        else:
            self._rest_pending = None  # every span starts before the end of the text
        self._article = article
        self._announced.pop(article_id, None)
        self.header.show_article(article)
        self.view.set_article(article, spans, self._labels)
        self._emit_selection()
        self.articleShown.emit(article_id)

    def _first_screen_chars(self) -> int:
        # Generous: twice the characters that fit on the screen the view could grow to (a line of
        # the column holds well under 100 characters).
        screen = self.screen().availableGeometry() if self.screen() else None
        height = max(self.view.height(), screen.height() if screen else 1200)
        lines = int(height / max(1.0, self.view.line_step)) + 2
        return max(4000, 2 * lines * 100)

    @property
    def all_spans_loaded(self) -> bool:
        """False while only the first screen's spans of a long article are in the view."""
        return self._rest_pending is None

    def ensure_all_spans(self) -> None:
        """Finish loading the article's spans if only the first screen's are in the view yet."""
        pending, self._rest_pending = self._rest_pending, None
        if pending is not None and self._article is not None and pending == self._article.id:
            self.reload_spans()

    def reload_spans(self) -> None:
        self._rest_pending = None
        if self._article is not None:
            self.view.set_spans(span_service.spans_for_article(self.project, self._article.id, self.layers()))

    def set_annotator(self, name: str) -> None:
        self.annotator = name
        self.view.own_layer = name
        if self._layers is None:
            self.reload_spans()
        self.view.viewport().update()

    def set_visible_layers(self, layers: list[str], *, rest_later: bool = False) -> None:
        """Show these annotators' spans. ``rest_later``: on a long article, load the spans up to
        a screen past the lines on screen now, and the rest on the next turn of the event loop
        (as ``show_article`` does; ``ensure_all_spans`` forces it sooner)."""
        self._layers = list(layers)
        if not rest_later or self._article is None:
            self.reload_spans()
            return
        head_end = self.view.visible_end() + self._first_screen_chars()
        if head_end >= len(self._article.text):
            self.reload_spans()
            return
        article_id = self._article.id
        self._rest_pending = article_id
        QTimer.singleShot(0, self.ensure_all_spans)
        self.view.set_spans(
            span_service.spans_for_article(self.project, article_id, self.layers(), starting_before=head_end)
        )

    def select_span(self, span_id: int | None) -> None:
        self.ensure_all_spans()
        self.view.select_span(span_id)
        if span_id is not None:
            self.view.scroll_to_span(span_id)

    def selected_span(self) -> SpanRecord | None:
        return self.view.selected_span()

    def _emit_selection(self) -> None:
        current = self.view.selected_span_id()
        if current != self._last_selected:
            previous = self._last_selected
            self._last_selected = current
            self.spanSelected.emit(current)
            self._continue_link(previous, current)

    # ----------------------------------------------------------------------------- links (L, then a span)

    def start_link(self) -> bool:
        """Remember the selected span as a link's source; the next span selected completes the link."""
        span = self.view.selected_span()
        if span is None:
            return False
        self._link_source = span
        self._link_status("Now select the span to link to, Esc cancels")
        return True

    def cancel_link(self) -> bool:
        if getattr(self, "_link_source", None) is None:
            return False
        self._link_source = None
        self._link_status("Link cancelled", 3000)
        return True

    def _continue_link(self, previous: int | None, current: int | None) -> None:
        self._link_previous = previous  # for a Ctrl+click, which spanClicked reports right after
        source: SpanRecord | None = getattr(self, "_link_source", None)
        if current is None or source is None or source.id == current:
            return
        self._link_source = None
        target = self.view.index.get(current)
        if target is not None:
            self.link_spans(source, target)

    def _link_on_ctrl_click(self, span_id: int) -> None:
        """A Ctrl+click on a span links it to the span selected before (a mouse click only, never keys)."""
        from PySide6.QtWidgets import QApplication

        previous = getattr(self, "_link_previous", None)
        if previous is None or previous == span_id or getattr(self, "_link_source", None) is not None:
            return
        if not QApplication.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier:
            return
        source, target = self.view.index.get(previous), self.view.index.get(span_id)
        self._link_previous = None
        if source is not None and target is not None:
            self.link_spans(source, target)

    def link_spans(self, source: SpanRecord, target: SpanRecord) -> bool:
        """Ask for the link type (SOURCE_OF first when one end is an ATTRIBUTION) and link the spans."""
        from desktop import link_type_menu
        from desktop.undo_commands import AddLinkCommand

        types = label_service.list_link_types(self.project)
        attribution = "ATTRIBUTION" in (source.label, target.label)
        if attribution:
            types = sorted(types, key=lambda t: t.key != "SOURCE_OF")
            if target.label == "ATTRIBUTION" and source.label != "ATTRIBUTION":
                source, target = target, source  # SOURCE_OF runs from the attribution to what it introduces
        rect = self.view.span_rect(target.id)
        at = self.view.viewport().mapToGlobal(rect.bottomLeft() if rect is not None else QPoint(40, 40))
        key = link_type_menu.choose_link_type(self, types, at, default="SOURCE_OF" if attribution else None)
        if key is None:
            self._link_status("Link cancelled", 3000)
            return False
        name = next((t.name for t in types if t.key == key), key)
        command = AddLinkCommand(
            self.project, self.events, source, target, key, self.annotator, type_name=name
        )
        if not self._push(command):
            return False
        self._link_status(f"Linked as {name}", 4000)
        return True

    def _link_status(self, message: str, timeout: int = 0) -> None:
        bar = getattr(self.window(), "statusBar", None)
        if callable(bar):
            bar().showMessage(message, timeout)
        else:
            self.show_notice(message)

    # ----------------------------------------------------------------------------- events from the hub

    def _on_span_updated(self, span: SpanRecord) -> None:
        if self._article is None or span.article_id != self._article.id:
            return
        self._announced[span.article_id] = self._announced.get(span.article_id, 0) + 1
        if span.annotator in self.layers() and span.status == "active":
            self.view.update_span(span)
        else:
            self.view.remove_span(span.id)

    def _on_span_removed(self, article_id: int, span_id: int) -> None:
        if self._article is None or article_id != self._article.id:
            return
        self._announced[article_id] = self._announced.get(article_id, 0) + 1
        self.view.remove_span(span_id)

    def _on_spans_changed(self, article_id: int) -> None:
        if self._article is None or article_id != self._article.id:
            return
        pending = self._announced.get(article_id, 0)
        if pending:
            # Already applied from the fine-grained signal that came just before.
            self._announced[article_id] = pending - 1
            return
        self.reload_spans()

    def _on_labels_changed(self) -> None:
        self._labels = label_service.list_labels(self.project)
        self.legend.set_labels(self._labels)
        self.view.set_labels(self._labels)

    def show_notice(self, message: str) -> None:
        """Show an error or hint above the text for a few seconds."""
        self.notice.setText(message)
        self._apply_notice_style()
        self.notice.show()
        self._notice_timer.start()

    # ----------------------------------------------------------------------------- editing

    def _label(self, key: str) -> LabelRecord | None:
        return next((label for label in self._labels if label.key == key), None)

    def _push(self, command: ServiceCommand) -> bool:
        self.notice.hide()
        return push_command(self.undo_stack, command)

    def _own(self, span: SpanRecord) -> bool:
        if span.annotator != self.annotator:
            self.show_notice(
                f"That span is in {span.annotator}'s layer; you can edit only your own ({self.annotator})."
            )
            return False
        return True

    def label_selection(self, label_key: str) -> bool:
        """Label the selected text (snapped to tokens), or relabel the selected span."""
        self.ensure_all_spans()
        label = self._label(label_key)
        if self._article is None or label is None:
            return False
        selection = self.view.text_selection()
        if selection is not None:
            start, end = selection
            command = AddSpanCommand(
                self.project,
                self.events,
                self._article.id,
                start,
                end,
                label.key,
                self.annotator,
                label_name=label.name,
                quote_text=self.view.text[start:end],
            )
            if not self._push(command):
                return False
            record = command.record
            if record is not None:
                self.view.select_span(record.id)
            return True
        span = self.view.selected_span()
        if span is None or span.label == label.key or not self._own(span):
            return False
        return self._push(
            RelabelSpanCommand(self.project, self.events, span, label.key, label_name=label.name)
        )

    def delete_selected(self) -> bool:
        self.ensure_all_spans()
        span = self.view.selected_span()
        if span is None or not self._own(span):
            return False
        label = self._label(span.label)
        following = self.view.index.neighbour(span.id, span.start, True)
        ok = self._push(
            DeleteSpanCommand(self.project, self.events, span, label_name=label.name if label else None)
        )
        if ok and following is not None:
            self.view.select_span(following.id)
        return ok

    def nudge(self, edge: str, direction: int) -> bool:
        """Move the selected span's ``edge`` ("start" or "end") one token left (-1) or right (+1).

        Never makes the span empty: a move that would is refused."""
        span = self.view.selected_span()
        if span is None or not self._own(span) or direction not in (-1, 1) or edge not in ("start", "end"):
            return False
        tokens = self.view.tokens
        start, end = span.start, span.end
        if edge == "start":
            edges = tokens.start_edges(start, end)
            moved = (
                [e for e in edges if e < start] if direction < 0 else [e for e in edges if start < e < end]
            )
            if not moved:
                return False
            start = max(moved) if direction < 0 else min(moved)
        else:
            edges = tokens.end_edges(start, end)
            moved = [e for e in edges if start < e < end] if direction < 0 else [e for e in edges if e > end]
            if not moved:
                return False
            end = max(moved) if direction < 0 else min(moved)
        return self._push(MoveSpanCommand(self.project, self.events, span, start, end))

    def edit_note(self, text: str | None = None) -> bool:
        """Set the selected span's note; without ``text``, ask for it in a dialog."""
        span = self.view.selected_span()
        if span is None or not self._own(span):
            return False
        if text is None:
            text, ok = QInputDialog.getMultiLineText(
                self, "Span note", f"Note on “{span.text[:60]}”:", span.note or ""
            )
            if not ok:
                return False
        if (text or None) == span.note:
            return False
        return self._push(SetSpanNoteCommand(self.project, self.events, span, text))

    def select_next(self, forward: bool = True) -> bool:
        """Select the next (or previous) span in reading order and scroll to it."""
        self.ensure_all_spans()
        current = self.view.selected_span_id()
        cursor = self.view.textCursor()
        offset = self.view._map.from_utf16(cursor.selectionEnd() if forward else cursor.selectionStart())
        span = self.view.index.neighbour(current, offset, forward)
        if span is None:
            return False
        self.select_span(span.id)
        return True

    # ----------------------------------------------------------------------------- find

    def open_find_bar(self) -> None:
        selection = self.view.textCursor().selectedText()
        self.find_bar.open_bar(selection if "\u2029" not in selection else "")

    def find(self, text: str, backwards: bool = False) -> bool:
        """Find ``text`` (case-insensitive) from the cursor, wrapping around; select the match."""
        if not text:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        before = self.view.textCursor()
        found = self.view.find(text, flags)
        if not found:
            cursor = self.view.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backwards else cursor.MoveOperation.Start)
            self.view.setTextCursor(cursor)
            found = self.view.find(text, flags)
        if found:
            self.view.ensureCursorVisible()
        else:
            self.view.setTextCursor(before)
        self.find_bar.set_found(found)
        return found

    # ----------------------------------------------------------------------------- keys and menus

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and take_key(event, self._key_action):
            return True
        return super().eventFilter(watched, event)

    def _key_action(self, event: QKeyEvent):  # type: ignore[no-untyped-def]
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        none = mods == Qt.KeyboardModifier.NoModifier
        span = self.view.selected_span()
        if none and event.text():
            for label in self._labels:
                if label.shortcut and event.text() == label.shortcut:
                    return lambda k=label.key: self.label_selection(k)
        if key == Qt.Key.Key_Tab and none:
            return lambda: self.select_next(True)
        if key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.ShiftModifier):
            return lambda: self.select_next(False)
        if key == Qt.Key.Key_Escape and none and getattr(self, "_link_source", None) is not None:
            return self.cancel_link
        if key == Qt.Key.Key_Escape and none:
            return self.view.clear_selection
        if span is None:
            return None
        if key == Qt.Key.Key_L and none:
            return self.start_link
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and none:
            return self.delete_selected
        if key == Qt.Key.Key_N and none:
            return lambda: self.edit_note()
        if key in _NUDGE_KEYS and mods in (
            Qt.KeyboardModifier.ShiftModifier,
            Qt.KeyboardModifier.AltModifier,
        ):
            edge = "start" if mods == Qt.KeyboardModifier.ShiftModifier else "end"
            direction = -1 if key == Qt.Key.Key_Left else 1
            return lambda: self.nudge(edge, direction)
        return None

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.build_context_menu(pos)
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))

    def build_context_menu(self, pos: QPoint) -> QMenu | None:
        """The menu for a right click at ``pos`` (viewport coordinates): labels for a selection,
        relabel / note / delete for a span."""
        menu = QMenu(self)
        if self.view.text_selection() is not None:
            for label in self._labels:
                action = QAction(f"Label as {label.name}", menu)
                if label.shortcut:
                    action.setShortcut(label.shortcut)
                action.triggered.connect(lambda _=False, k=label.key: self.label_selection(k))
                menu.addAction(action)
            return menu
        offset = self.view.offset_at(pos)
        stack = self.view.span_ids_at(offset) if offset is not None else []
        if not stack:
            return None
        if self.view.selected_span_id() not in stack:
            self.view.select_span(stack[0])
        span = self.view.selected_span()
        assert span is not None
        relabel = menu.addMenu("Relabel as")
        for label in self._labels:
            action = relabel.addAction(label.name)
            action.setEnabled(label.key != span.label)
            action.triggered.connect(lambda _=False, k=label.key: self.label_selection(k))
        menu.addAction("Edit note…", lambda: self.edit_note())
        menu.addSeparator()
        menu.addAction("Delete span", self.delete_selected)
        if span.annotator != self.annotator:
            for action in menu.actions():
                action.setEnabled(False)
        return menu

    def label_records(self) -> list[LabelRecord]:
        return list(self._labels)


def _rule() -> QFrame:
    # The palette's mid colour as the background (no style sheet: polishing one costs more).
    rule = QFrame()
    rule.setFixedHeight(1)
    rule.setBackgroundRole(QPalette.ColorRole.Mid)
    rule.setAutoFillBackground(True)
    return rule
