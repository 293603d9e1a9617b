"""Span suggestions in the main window: the Annotate menu, the "Who said what" dock, the setting.

``install(window)`` adds them once; every project the window opens gets its own
``SuggestionsController`` on the window's reader (``window.suggestions``), its jobs shown in the
status bar's job strip (with Cancel) and run by the window's ``JobRunner``.

Annotate menu:
    Suggest spans (Ctrl+Shift+S), Cancel suggestions, Accept all suggested <label> (one per
    label), Accept all suggestions, Suggest automatically when an article opens (a setting, off).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from desktop.actions import make_action
from desktop.speakers_panel import SpeakersPanel
from desktop.suggestions_controller import SuggestionsController

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

#: The labels offered in "Accept all suggested …", in menu order, with their plural.
BULK_LABELS = (
    ("ATTRIBUTION", "Attributions"),
    ("CLAIM", "Claims"),
    ("EXPERT_OPINION", "Expert opinions"),
    ("FACT", "Facts"),
)


def install(w: MainWindow) -> None:
    """Add the suggestion actions, menu and dock to the window; hook every project it opens."""
    w.suggestions = None  # type: ignore[attr-defined]

    def controller() -> SuggestionsController | None:
        return w.suggestions  # type: ignore[attr-defined, no-any-return]

    def suggest() -> None:
        c = controller()
        if c is not None:
            if c.suggest() is None and c.is_running(c.current_article()):
                w.statusBar().showMessage("Already suggesting spans for this article (Esc cancels)", 4000)
            _show_dock(w)

    w.suggest_action = make_action(
        w,  # type: ignore[attr-defined]
        "&Suggest spans",
        "mdi6.lightbulb-on-outline",
        suggest,
        "Ctrl+Shift+S",
        "Suggest attributions, claims, expert opinions and facts in the open article",
    )
    w.cancel_suggest_action = make_action(
        w,  # type: ignore[attr-defined]
        "&Cancel suggestions",
        "cancel",
        lambda: (c := controller()) is not None and c.cancel(),
        tip="Stop suggesting (Esc in the article)",
    )
    w.accept_suggested_actions = [  # type: ignore[attr-defined]
        make_action(
            w,
            f"Accept all suggested {plural}",
            None,
            lambda key=key: (c := controller()) is not None and c.accept_all(key),
            tip=f"Every suggested {plural[:-1].lower()} in this article becomes a span (one undo step)",
        )
        for key, plural in BULK_LABELS
    ]
    w.accept_all_suggested_action = make_action(
        w,  # type: ignore[attr-defined]
        "Accept &all suggestions",
        None,
        lambda: (c := controller()) is not None and c.accept_all(None),
        tip="Every suggestion in this article becomes a span (one undo step)",
    )
    w.suggest_on_open_action = QAction("Suggest automatically when an article opens", w)  # type: ignore[attr-defined]
    w.suggest_on_open_action.setCheckable(True)  # type: ignore[attr-defined]
    w.suggest_on_open_action.setChecked(w.settings.suggest_on_open)  # type: ignore[attr-defined]
    w.suggest_on_open_action.toggled.connect(lambda on: _set_automatic(w, on))  # type: ignore[attr-defined]

    menu = QMenu("&Annotate", w)
    menu.addAction(w.suggest_action)  # type: ignore[attr-defined]
    menu.addAction(w.cancel_suggest_action)  # type: ignore[attr-defined]
    menu.addSeparator()
    menu.addActions(w.accept_suggested_actions)  # type: ignore[attr-defined]
    menu.addAction(w.accept_all_suggested_action)  # type: ignore[attr-defined]
    menu.addSeparator()
    menu.addAction(w.suggest_on_open_action)  # type: ignore[attr-defined]
    menu.aboutToShow.connect(lambda: _update_menu(w))
    bar = w.menuBar()
    titles = {a.text().replace("&", ""): a for a in bar.actions()}
    before = titles.get("Review") or titles.get("Help")
    if before is not None:
        bar.insertMenu(before, menu)
    else:
        bar.addMenu(menu)
    w.annotate_menu = menu  # type: ignore[attr-defined]
    w.addAction(w.suggest_action)  # type: ignore[attr-defined]

    w.speakers_panel = SpeakersPanel(w)  # type: ignore[attr-defined]
    dock = QDockWidget("Who said what", w)
    dock.setObjectName("speakersDock")
    dock.setWidget(w.speakers_panel)  # type: ignore[attr-defined]
    w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    w.splitDockWidget(w.inspector_dock, dock, Qt.Orientation.Vertical)
    dock.hide()
    w.speakers_dock = dock  # type: ignore[attr-defined]
    toggle = dock.toggleViewAction()
    toggle.setText("&Who said what")
    toggle.setShortcut(QKeySequence("Ctrl+Shift+W"))
    view_menu = titles["View"].menu() if "View" in titles else None
    if isinstance(view_menu, QMenu):
        view_menu.addSeparator()
        view_menu.addAction(toggle)
    w.addAction(toggle)
    w.projectOpened.connect(lambda _location: _project_opened(w))
    _update_menu(w)


def _show_dock(w: MainWindow) -> None:
    """Show "Who said what" under the span inspector with room to read it."""
    dock = w.speakers_dock  # type: ignore[attr-defined]
    if dock.isVisible():
        return
    dock.show()
    if not dock.isFloating():
        # Once the dock is in the layout: share the right column, the inspector on top.
        QTimer.singleShot(0, lambda: _share_column(w))


def _share_column(w: MainWindow) -> None:
    dock = w.speakers_dock  # type: ignore[attr-defined]
    height = w.inspector_dock.height() + dock.height()
    w.resizeDocks([w.inspector_dock, dock], [height * 11 // 20, height * 9 // 20], Qt.Orientation.Vertical)


def _set_automatic(w: MainWindow, on: bool) -> None:
    w.settings.suggest_on_open = on
    c = w.suggestions  # type: ignore[attr-defined]
    if c is not None:
        c.automatic = on
        if on and c.current_article() is not None and c.suggestion_set(c.current_article()) is None:
            c.suggest(automatic=True)


def _project_opened(w: MainWindow) -> None:
    old = w.suggestions  # type: ignore[attr-defined]
    if old is not None:
        old.close()
        old.deleteLater()
    w.suggestions = None  # type: ignore[attr-defined]
    reader = w.reader
    if w.project is None or reader is None or not hasattr(reader, "view"):
        w.speakers_panel.set_controller(None)  # type: ignore[attr-defined]
        return
    c = SuggestionsController(
        w.project, w.undo_stack, w.events, w.annotator, runner=w.runner, job_status=w.job_status, parent=w
    )
    c.automatic = w.settings.suggest_on_open
    c.message.connect(w.statusBar().showMessage)
    c.runningChanged.connect(lambda _a, _r: _update_menu(w))
    c.suggestionsChanged.connect(lambda _a: _update_menu(w))
    reader.articleShown.connect(lambda _a: _update_menu(w))  # type: ignore[attr-defined]
    w.suggestions = c  # type: ignore[attr-defined]
    c.attach(reader)  # type: ignore[arg-type]
    w.speakers_panel.set_controller(c)  # type: ignore[attr-defined]
    _update_menu(w)


def _update_menu(w: MainWindow) -> None:
    c = w.suggestions  # type: ignore[attr-defined]
    article_id = c.current_article() if c is not None else None
    offered = c.offered(article_id) if c is not None and article_id is not None else []
    w.suggest_action.setEnabled(article_id is not None)  # type: ignore[attr-defined]
    w.cancel_suggest_action.setEnabled(c is not None and c.is_running())  # type: ignore[attr-defined]
    for action, (key, _plural) in zip(w.accept_suggested_actions, BULK_LABELS, strict=True):  # type: ignore[attr-defined]
        n = sum(1 for s in offered if s.label == key)
        action.setEnabled(n > 0)
        action.setText(f"Accept all suggested {_plural}" + (f" ({n})" if n else ""))
    w.accept_all_suggested_action.setEnabled(bool(offered))  # type: ignore[attr-defined]
