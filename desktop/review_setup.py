"""Wiring review into the main window: the Review menu, the review dock, File ▸ Merge colleague's
work…, comment badges and review notes for the annotator, review progress in the navigator.

``install(window)`` is called once by ``project_actions.build_actions``; everything per project is
re-done when the window emits ``projectOpened``. ``StartReviewDialog`` asks what to review.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.annotators import GOLD, list_annotators
from db.errors import NewsmarkError
from db.labels import list_labels
from db.review import comments_for_annotator, reviews_for, story_progress
from desktop.actions import make_action
from desktop.review_bar import ReviewBar
from desktop.review_mode import ReviewController

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

MODES = (
    (
        "layer",
        "Review one colleague's layer",
        "Walk their spans and links one by one: accept, reject, comment.",
    ),
    (
        "pair",
        "Compare two annotators",
        "Walk the spans and links on which they differ; settle each for gold.",
    ),
    ("gold", "Compare an annotator with gold", "Walk where their layer differs from the gold layer."),
)


class StartReviewDialog(QDialog):
    """Review ▸ Start review…: what to review. ``choice()`` -> (a, b or None) once accepted."""

    def __init__(self, annotators: list[str], me: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start review")
        self.setObjectName("startReviewDialog")
        people = [a for a in annotators if a != GOLD]
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Review the article shown in the reader. Moving to another article keeps the review going."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.radios: dict[str, QRadioButton] = {}
        for n, (key, text, tip) in enumerate(MODES):
            radio = QRadioButton(text, self)
            radio.setToolTip(tip)
            self.group.addButton(radio, n)
            self.radios[key] = radio
            layout.addWidget(radio)
            hint = QLabel(tip, self)
            hint.setStyleSheet("color: gray; margin-left: 22px;")
            layout.addWidget(hint)
        form = QFormLayout()
        self.a_box = QComboBox(self)
        self.a_box.setObjectName("reviewLayerA")
        self.b_box = QComboBox(self)
        self.b_box.setObjectName("reviewLayerB")
        others = [a for a in people if a != me] or people
        self.a_box.addItems(others + [a for a in people if a not in others])
        self.b_box.addItems(people)
        second = [a for a in others if a != self.a_box.currentText()] or people
        self.b_box.setCurrentText(second[0] if second else "")
        self.a_label = QLabel("Annotator A", self)
        self.b_label = QLabel("Annotator B", self)
        form.addRow(self.a_label, self.a_box)
        form.addRow(self.b_label, self.b_box)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start review")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.group.idToggled.connect(lambda _id, _on: self._mode_changed())
        self.radios["pair" if len(people) > 1 else "layer"].setChecked(True)
        self._mode_changed()

    def mode(self) -> str:
        return MODES[max(0, self.group.checkedId())][0]

    def set_mode(self, mode: str) -> None:
        self.radios[mode].setChecked(True)

    def _mode_changed(self) -> None:
        mode = self.mode()
        self.b_box.setVisible(mode == "pair")
        self.b_label.setVisible(mode == "pair")
        self.a_label.setText("Annotator" if mode != "pair" else "Annotator A")

    def choice(self) -> tuple[str, str | None]:
        mode = self.mode()
        a = self.a_box.currentText()
        if mode == "layer":
            return a, None
        if mode == "gold":
            return a, GOLD
        return a, self.b_box.currentText()


def install(w: MainWindow) -> None:
    """Add the review actions and dock to the window; hook every project it opens."""
    w.review_controller = None  # type: ignore[attr-defined]
    w.review_bar = None  # type: ignore[attr-defined]
    w.review_dock = QDockWidget("Review", w)  # type: ignore[attr-defined]
    w.review_dock.setObjectName("reviewDock")
    w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, w.review_dock)
    w.review_dock.hide()

    w.start_review_action = make_action(
        w,  # type: ignore[attr-defined]
        "&Start review…",
        "reviewed",
        lambda: start_review_dialog(w),
        "Ctrl+Shift+R",
        "Review a colleague's layer, or compare two layers, in the reader",
    )
    w.end_review_action = make_action(w, "&End review", None, lambda: end_review(w))  # type: ignore[attr-defined]
    w.mark_reviewed_action = make_action(
        w,  # type: ignore[attr-defined]
        "&Mark article reviewed",
        None,
        lambda: _mark_reviewed(w),
        tip="Ctrl+Enter in review mode",
    )
    w.agreement_action = make_action(
        w,  # type: ignore[attr-defined]
        "&Agreement…",
        "mdi6.chart-bar",
        lambda: open_agreement(w),
        tip="Inter-annotator agreement of two layers",
    )
    w.merge_action = make_action(
        w,  # type: ignore[attr-defined]
        "&Merge colleague's work…",
        "mdi6.source-merge",
        lambda: open_merge(w),
        tip="Bring in a colleague's JSONL export or project file",
    )
    bar = w.menuBar()
    menus = {a.text().replace("&", ""): a for a in bar.actions()}
    review_menu = bar.addMenu("&Review")
    help_action = menus.get("Help")
    if help_action is not None:
        bar.insertMenu(help_action, review_menu)
    review_menu.addActions([w.start_review_action, w.end_review_action, w.mark_reviewed_action])
    review_menu.addSeparator()
    review_menu.addAction(w.agreement_action)
    file_action = menus.get("File")
    if file_action is not None and file_action.menu() is not None:
        file_menu = file_action.menu()
        after = w.export_action
        items = file_menu.actions()
        pos = items.index(after) + 1 if after in items else 0
        file_menu.insertAction(items[pos] if pos < len(items) else None, w.merge_action)
    w.addActions([w.start_review_action, w.agreement_action, w.merge_action])
    _enable(w, False)
    w.projectOpened.connect(lambda _loc: _project_opened(w))


def _enable(w: MainWindow, has_project: bool) -> None:
    for act in (w.start_review_action, w.agreement_action, w.merge_action, w.mark_reviewed_action):  # type: ignore[attr-defined]
        act.setEnabled(has_project)
    w.end_review_action.setEnabled(has_project and bool(w.review_controller and w.review_controller.active))  # type: ignore[attr-defined]


def _project_opened(w: MainWindow) -> None:
    old = w.review_controller  # type: ignore[attr-defined]
    if old is not None:
        old.active = False
        old.deleteLater()
    if w.review_bar is not None:  # type: ignore[attr-defined]
        w.review_bar.deleteLater()  # type: ignore[attr-defined]
        w.review_bar = None  # type: ignore[attr-defined]
    w.review_dock.hide()  # type: ignore[attr-defined]
    w.review_controller = None  # type: ignore[attr-defined]
    project = w.project
    reader = w.reader
    _enable(w, project is not None)
    if project is None or reader is None or not hasattr(reader, "view"):
        return
    controller = ReviewController(project, w.undo_stack, w.events, w.annotator, w)
    controller.drive(reader)  # type: ignore[arg-type]
    w.review_controller = controller  # type: ignore[attr-defined]
    controller.articleReviewedChanged.connect(lambda aid, done: _article_reviewed(w, aid, done))
    controller.stopped.connect(lambda: _enable(w, True))
    controller.verdictsChanged.connect(
        lambda: show_span_reviews(w, w.inspector.span_id if w.inspector else None)
    )
    reader.articleShown.connect(lambda aid: _article_shown(w, aid))
    reader.spanSelected.connect(lambda sid: show_span_reviews(w, sid))
    if reader.article is not None:
        _article_shown(w, reader.article.id)
    refresh_progress(w)


def _article_shown(w: MainWindow, article_id: int) -> None:
    controller = w.review_controller  # type: ignore[attr-defined]
    if controller is not None and controller.active:
        return  # the controller follows the reader itself
    show_comment_badges(w, article_id)


def show_comment_badges(w: MainWindow, article_id: int) -> None:
    """Badges on the annotator's own spans that have review comments."""
    view = getattr(w.reader, "view", None)
    if view is None or w.project is None:
        return
    try:
        comments = comments_for_annotator(w.project, w.annotator, article_id)
    except NewsmarkError:
        comments = []  # the annotator has no layer yet
    view.comment_counts = dict(Counter(r.span_id for r in comments if r.span_id is not None))
    view.viewport().update()


def show_span_reviews(w: MainWindow, span_id: object) -> None:
    """The inspector's Review row: who accepted, rejected or commented on the span, and what."""
    label = getattr(w.inspector, "review", None)
    if label is None or w.project is None or not isinstance(span_id, int):
        return
    reviews = reviews_for(w.project, span_ids=[span_id])
    if not reviews:
        label.setText("Not reviewed yet")
        return
    words = {"accept": "✓ accepted", "reject": "✗ rejected", "comment": "✎ commented"}
    lines = []
    for r in reviews:
        when = r.created_at.strftime("%d %b %Y %H:%M") if r.created_at else ""
        line = f"<b>{html.escape(r.reviewer)}</b> {words.get(r.verdict, r.verdict)} <span style='color:gray'>{when}</span>"
        if r.comment:
            line += f"<br>&nbsp;&nbsp;“{html.escape(r.comment)}”"
        lines.append(line)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setText("<br>".join(lines))


def refresh_progress(w: MainWindow) -> None:
    """Read the stories' review progress in the background and show it in the navigator."""
    if w.project is None or w.navigator is None:
        return
    model = w.navigator.model

    def done(progress: dict[str, Any]) -> None:
        if w.navigator is not None and w.navigator.model is model:
            model.set_review_progress(
                {
                    (None if name == "(no story)" else name): (p.articles_reviewed, p.articles)
                    for name, p in progress.items()
                }
            )

    w.runner.start(w.project, lambda project, _job: story_progress(project), "Review progress", finished=done)


def _article_reviewed(w: MainWindow, article_id: int, reviewed: bool) -> None:
    if w.navigator is not None:
        w.navigator.model.set_article_reviewed(article_id, reviewed)
    refresh_progress(w)
    w.statusBar().showMessage(
        "Article marked reviewed" if reviewed else "Article no longer marked reviewed", 5000
    )


# -- actions ---------------------------------------------------------------------------------


def start_review_dialog(w: MainWindow) -> StartReviewDialog | None:
    if w.project is None or w.review_controller is None:  # type: ignore[attr-defined]
        return None
    dialog = StartReviewDialog(list_annotators(w.project), w.annotator, w)
    dialog.accepted.connect(lambda: start_review(w, *dialog.choice()))
    dialog.open()
    return dialog


def start_review(w: MainWindow, a: str, b: str | None) -> ReviewController | None:
    controller = w.review_controller  # type: ignore[attr-defined]
    if controller is None or w.project is None:
        return None
    if w.review_bar is None:  # type: ignore[attr-defined]
        bar = ReviewBar(controller, w.review_dock)  # type: ignore[attr-defined]
        bar.closeRequested.connect(lambda: end_review(w))
        w.review_bar = bar  # type: ignore[attr-defined]
        w.review_dock.setWidget(bar)  # type: ignore[attr-defined]
    w.review_bar.label_colors = {lb.key: lb.color for lb in list_labels(w.project)}  # type: ignore[attr-defined]
    w.review_dock.show()  # type: ignore[attr-defined]
    w.review_dock.raise_()  # type: ignore[attr-defined]
    controller.start(a, b)
    if w.span_model is not None and w.reader is not None:
        w.span_model.set_layers(w.reader.layers())  # the span list shows what the reader shows
    w.review_bar.refresh()  # type: ignore[attr-defined]
    _enable(w, True)
    reader_view = getattr(w.reader, "view", None)
    if reader_view is not None:
        reader_view.setFocus(Qt.FocusReason.OtherFocusReason)
    return controller


def end_review(w: MainWindow) -> None:
    controller = w.review_controller  # type: ignore[attr-defined]
    if controller is not None:
        controller.stop()
    w.review_dock.hide()  # type: ignore[attr-defined]
    if w.span_model is not None:
        w.span_model.set_layers(w.visible_layers or [w.annotator])
    article = getattr(w.reader, "article", None)
    if article is not None:
        show_comment_badges(w, article.id)
    _enable(w, w.project is not None)


def _mark_reviewed(w: MainWindow) -> None:
    controller = w.review_controller  # type: ignore[attr-defined]
    article = getattr(w.reader, "article", None)
    if controller is None or article is None:
        return
    if controller.article_id != article.id:
        controller.article_id = article.id
    controller.mark_reviewed()


def open_agreement(w: MainWindow) -> QWidget | None:
    from desktop.agreement_panel import AgreementPanel

    if w.project is None:
        return None
    controller = w.review_controller  # type: ignore[attr-defined]
    people = list_annotators(w.project)
    others = [p for p in people if p not in (GOLD, w.annotator)]
    pair: tuple[str, str] | None = None
    if controller is not None and controller.active and controller.layer_b is not None:
        pair = (controller.layer_a, controller.layer_b)
    elif len(others) >= 2:
        pair = (others[0], others[1])
    panel = AgreementPanel(w.project, w.runner, w, pair=pair)
    w.agreement_panel = panel  # type: ignore[attr-defined]
    panel.show()
    return panel


def open_merge(w: MainWindow) -> QWidget | None:
    from desktop.merge_dialog import MergeDialog

    if w.project is None:
        return None
    dialog = MergeDialog(w.project, w.runner, w.annotator, w)
    dialog.merged.connect(lambda: _after_merge(w))
    w.merge_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def _after_merge(w: MainWindow) -> None:
    w.refresh_corpus()
    article = getattr(w.reader, "article", None)
    if article is not None and hasattr(w.reader, "reload_spans"):
        w.reader.reload_spans()
    refresh_progress(w)
