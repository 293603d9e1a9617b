"""The welcome screen: shown on the first run (no last project) and from Help ▸ Welcome.

Three ways in: explore the demo project, create a project, or create one and import articles into
it at once; plus the annotation guidelines and an existing project. When no annotator name is
stored yet, the welcome asks for it (the same wording and check as ``desktop.settings``' prompt) so
that the first run is one screen, not two dialogs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from db.errors import NewsmarkError
from desktop.icons import app_icon, icon, is_dark
from desktop.settings import annotator_dialog

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


class ChoiceButton(QPushButton):
    """A large button with an icon, a title and a line of explanation."""

    def __init__(self, glyph: QIcon, title: str, detail: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeChoice")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(74)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(title)
        self.setToolTip(detail)
        picture = QLabel(self)
        picture.setPixmap(glyph.pixmap(QSize(34, 34)))
        picture.setFixedWidth(46)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading = QLabel(title, self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.18)
        font.setBold(True)
        heading.setFont(font)
        explanation = QLabel(detail, self)
        explanation.setWordWrap(True)
        explanation.setObjectName("welcomeChoiceDetail")
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(heading)
        texts.addWidget(explanation)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        row.setSpacing(12)
        row.addWidget(picture)
        row.addLayout(texts, 1)
        for label in (picture, heading, explanation):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


class WelcomeDialog(QDialog):
    """The welcome screen. Emits ``chosen(str)`` ("demo", "create", "import") once a choice worked."""

    chosen = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle("Welcome to Newsmark")
        self.setMinimumWidth(620)
        self.window_ = window
        self.choice: str | None = None

        logo = QLabel(self)
        logo.setPixmap(app_icon().pixmap(72, 72))
        title = QLabel("Welcome to Newsmark", self)
        title.setObjectName("welcomeTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "Mark claims, attributions, expert opinions and facts in several outlets' articles about "
            "the same event, link them across outlets, review and export datasets.",
            self,
        )
        intro.setWordWrap(True)
        heading = QVBoxLayout()
        heading.setSpacing(4)
        heading.addWidget(title)
        heading.addWidget(intro)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 22, 26, 18)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addSpacing(6)

        self.name_edit: QLineEdit | None = None
        self.name_error = QLabel(self)
        self.name_error.setObjectName("welcomeNameError")
        self.name_error.setStyleSheet("color: #c0392b")
        self.name_error.hide()
        if not window.settings.annotator:
            prompt = annotator_dialog(self)  # the first-run prompt's wording and default name
            ask = QLabel(f"<b>Who is annotating?</b> {prompt.labelText().replace(chr(10), ' ')}", self)
            ask.setWordWrap(True)
            self.name_edit = QLineEdit(prompt.textValue(), self)
            self.name_edit.setObjectName("welcomeName")
            self.name_edit.setPlaceholderText("Your name or initials")
            self.name_edit.setMaximumWidth(320)
            prompt.deleteLater()
            layout.addWidget(ask)
            layout.addWidget(self.name_edit)
            layout.addWidget(self.name_error)
            layout.addSpacing(6)

        accent = "#6ea8f0" if is_dark() else "#1f5fa8"
        self.demo_button = ChoiceButton(
            icon("mdi6.newspaper-variant-multiple-outline", accent),
            "Explore the demo project",
            "Five outlets report the same missile test, already annotated: see how claims are linked "
            "across outlets before you start your own.",
            self,
        )
        self.create_button = ChoiceButton(
            icon("mdi6.file-plus-outline", accent),
            "Create a project",
            "A new, empty project file (*.newsmark) for one analysis.",
            self,
        )
        self.import_button = ChoiceButton(
            icon("mdi6.tray-arrow-down", accent),
            "Import articles",
            "Create a project and import articles into it: .txt, .html, Newsmark or Prodigy .jsonl, "
            "doccano, Label Studio.",
            self,
        )
        self.demo_button.clicked.connect(lambda: self.run("demo"))
        self.create_button.clicked.connect(lambda: self.run("create"))
        self.import_button.clicked.connect(lambda: self.run("import"))
        for button in (self.demo_button, self.create_button, self.import_button):
            layout.addWidget(button)

        links = QHBoxLayout()
        self.guidelines_button = QPushButton(icon("mdi6.book-open-variant"), "Annotation guidelines", self)
        self.guidelines_button.setObjectName("welcomeGuidelines")
        self.guidelines_button.clicked.connect(self.show_guidelines)
        self.open_button = QPushButton(icon("open"), "Open a project…", self)
        self.open_button.setObjectName("welcomeOpen")
        self.open_button.clicked.connect(lambda: self.run("open"))
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        for button in (self.guidelines_button, self.open_button):
            button.setFlat(True)
            links.addWidget(button)
        links.addStretch(1)
        links.addWidget(close)
        layout.addSpacing(4)
        layout.addLayout(links)
        self.demo_button.setFocus()

    # -- the choices ---------------------------------------------------------------------------
    def store_name(self) -> bool:
        """Store the typed annotator name (if asked for); False, with the reason shown, if invalid."""
        if self.name_edit is None:
            return True
        settings = self.window_.settings
        try:
            settings.annotator = self.name_edit.text()
        except NewsmarkError as exc:
            self.name_error.setText(f"{exc} Please type a name.")
            self.name_error.show()
            self.name_edit.setFocus()
            return False
        settings.sync()
        self.name_error.hide()
        if settings.annotator:
            self.window_.set_annotator(settings.annotator)
        return True

    def run(self, choice: str) -> bool:
        """Carry out a choice; the welcome closes once it worked (a cancelled file dialog keeps it)."""
        if not self.store_name():
            return False
        done = {
            "demo": open_demo,
            "create": create_project,
            "import": import_articles,
            "open": open_existing,
        }[choice](self.window_)
        if done:
            self.choice = choice
            self.chosen.emit(choice)
            self.accept()
        return done

    def show_guidelines(self) -> None:
        from desktop.guidelines_dialog import show_guidelines

        show_guidelines(self.window_)

    def reject(self) -> None:
        name = self.name_edit.text().strip() if self.name_edit is not None else ""
        if name:
            self.store_name()  # a valid name typed before closing is kept
        super().reject()


def open_demo(window: MainWindow) -> bool:
    from db.demo import demo_project_path, ensure_demo_project

    project = window.project
    if project is not None and project.path == demo_project_path().resolve():
        return True  # already open behind the welcome
    try:
        path = ensure_demo_project()
    except NewsmarkError as exc:
        from desktop.project_actions import explain_open_error

        explain_open_error(window, str(demo_project_path()), exc)
        return False
    return window.open_location(path)


def _opened_another(window: MainWindow, action: object) -> bool:
    before = window.project
    action(window)  # type: ignore[operator]
    return window.project is not None and window.project is not before


def create_project(window: MainWindow) -> bool:
    from desktop import project_actions

    return _opened_another(window, project_actions.new_project)


def import_articles(window: MainWindow) -> bool:
    """Create a project, then run the import action on it (the project stays if no file is chosen)."""
    from desktop import project_actions

    if not create_project(window):
        return False
    project_actions.import_dialog(window)
    return True


def open_existing(window: MainWindow) -> bool:
    from desktop import project_actions

    return _opened_another(window, project_actions.open_project_dialog)


def show_welcome(window: MainWindow) -> WelcomeDialog:
    dialog = WelcomeDialog(window)
    window.welcome = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def install(window: MainWindow) -> None:
    """Help ▸ Welcome and Help ▸ Annotation guidelines."""
    from desktop.guidelines_dialog import show_guidelines
    from desktop.settings_dialog import menu_named

    welcome = QAction(icon("mdi6.home-outline"), "&Welcome", window)
    welcome.setObjectName("welcomeAction")
    welcome.setStatusTip("The demo project, a new project, importing articles")
    welcome.triggered.connect(lambda _checked=False: show_welcome(window))
    guidelines = QAction(icon("mdi6.book-open-variant"), "Annotation &guidelines", window)
    guidelines.setObjectName("guidelinesAction")
    guidelines.setStatusTip("What each label marks, with examples, and which link to draw")
    guidelines.triggered.connect(lambda _checked=False: show_guidelines(window))
    window.welcome_action = welcome  # type: ignore[attr-defined]
    window.guidelines_action = guidelines  # type: ignore[attr-defined]
    # F1 opens the shortcut sheet on every platform (HelpContents is Ctrl+? on macOS).
    sheet = window.shortcuts_action
    if QKeySequence(Qt.Key.Key_F1) not in sheet.shortcuts():
        sheet.setShortcuts([*sheet.shortcuts(), QKeySequence(Qt.Key.Key_F1)])
    menu = menu_named(window, "Help")
    if menu is not None:
        first = menu.actions()[0] if menu.actions() else None
        menu.insertActions(first, [welcome, guidelines])
        menu.insertSeparator(first)
