"""Edit ▸ Settings…: annotator name, reader font size, theme, spaCy pipeline, backup folder.

``SettingsDialog`` shows the stored values; the font size previews in the open reader while it
changes and comes back if the dialog is cancelled. OK (or Apply) stores everything and applies it
at once: the theme's palette, the reader font, the pipeline the next suggestion loads and the folder
the next backup goes to. ``apply_startup_settings`` does the same when the app starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.annotators import clean_name
from db.errors import NewsmarkError
from db.project import BACKUP_DIR_ENV
from db.suggest import pipeline as spacy_pipeline
from desktop.icons import icon
from desktop.settings import DEFAULT_READER_FONT_SIZE, THEMES, Settings
from desktop.settings_theme import apply_theme

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

THEME_NAMES = {"system": "Same as the system", "light": "Light", "dark": "Dark"}
FONT_RANGE = (8.0, 32.0)
#: Left indent of a hint, so that it lines up with the fields above it.
HINT_INDENT = 12 + 130 + 14


# -- applying ------------------------------------------------------------------------------------


def installed_pipelines() -> list[str]:
    """Importable English spaCy pipelines (``en_core_web_*`` packages), without importing spaCy."""
    names: set[str] = set()
    import importlib.metadata

    for dist in importlib.metadata.distributions():
        name = (dist.metadata["Name"] or "").replace("-", "_").lower()
        if name.startswith("en_core_web_") and importlib.util.find_spec(name) is not None:
            names.add(name)
    return sorted(names)


def apply_reader_font(window: QWidget, size: float) -> None:
    """Set the article text's point size in the window's reader (and its compare panes)."""
    from desktop.article_view import ArticleView

    for view in window.findChildren(ArticleView):
        font = view.font()
        font.setPointSizeF(size)
        view.setFont(font)  # the view passes it on to its document
        view.document().setDefaultFont(font)
        view.viewport().update()


def apply_environment(settings: Settings) -> None:
    """The pipeline and backup folder the core reads from the environment."""
    for variable, value in (
        (spacy_pipeline.ENV_VAR, settings.spacy_pipeline),
        (BACKUP_DIR_ENV, settings.backup_dir),
    ):
        if value:
            os.environ[variable] = value
        else:
            os.environ.pop(variable, None)


def apply_startup_settings(app: QApplication, settings: Settings) -> None:
    if settings.theme != "system":
        apply_theme(app, settings.theme)
    apply_environment(settings)


# -- the dialog ----------------------------------------------------------------------------------


class SettingsDialog(QDialog):
    """The settings form. Emits ``applied()`` after storing and applying the values."""

    applied = Signal()

    def __init__(self, settings: Settings, window: MainWindow | None = None) -> None:
        super().__init__(window)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(600)
        self.settings = settings
        self.window_ = window
        self._stored_font = settings.reader_font_size

        self.name_edit = QLineEdit(settings.annotator or "", self)
        self.name_edit.setObjectName("annotatorEdit")
        self.name_edit.setPlaceholderText("Your name or initials")
        self.font_box = QDoubleSpinBox(self)
        self.font_box.setObjectName("fontSizeBox")
        self.font_box.setRange(*FONT_RANGE)
        self.font_box.setSingleStep(0.5)
        self.font_box.setDecimals(1)
        self.font_box.setSuffix(" pt")
        self.font_box.setValue(self._stored_font)
        self.font_box.valueChanged.connect(self._preview_font)
        self.theme_box = QComboBox(self)
        self.theme_box.setObjectName("themeBox")
        for key in THEMES:
            self.theme_box.addItem(THEME_NAMES[key], key)
        self.theme_box.setCurrentIndex(THEMES.index(settings.theme))
        self.pipeline_box = QComboBox(self)
        self.pipeline_box.setObjectName("pipelineBox")
        self._fill_pipelines(settings.spacy_pipeline)
        self.backup_edit = QLineEdit(settings.backup_dir, self)
        self.backup_edit.setObjectName("backupDirEdit")
        self.backup_edit.setPlaceholderText("Beside each project file")
        self.backup_edit.setToolTip("Empty: in .NAME.newsmark.backups beside each project file")
        self.backup_edit.setClearButtonEnabled(True)
        browse = QPushButton(icon("open"), "Choose…", self)
        browse.clicked.connect(self._choose_backup_dir)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup_edit, 1)
        backup_row.addWidget(browse)
        self.tokens_box = QCheckBox("Prepare spaCy tokens in the background", self)
        self.tokens_box.setObjectName("prepareTokensBox")
        self.tokens_box.setChecked(settings.prepare_export_tokens)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("settingsError")
        self.error_label.setStyleSheet("color: #c0392b")
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 14)
        layout.setSpacing(6)
        sections = (
            (
                "You",
                [("Annotator name:", self.name_edit)],
                "Every span, link and review you make is stored in your own layer under this name.",
            ),
            ("Reader", [("Article text size:", self.font_box), ("Theme:", self.theme_box)], ""),
            (
                "Suggestions",
                [("spaCy pipeline:", self.pipeline_box)],
                "Used to suggest spans. A trained pipeline (en_core_web_*) finds more speakers "
                "than the rules alone.",
            ),
            (
                "Export",
                [("Tokens:", self.tokens_box)],
                "Then the first JSONL or spaCy export of a large project is as fast as the next "
                "ones. The tokens take about nine times the articles' text in the project file.",
            ),
            (
                "Backups",
                [("Folder:", backup_row)],
                "Newsmark copies a project before an upgrade, an import, a merge or a restore "
                "(File ▸ Restore from backup…).",
            ),
        )
        for title, rows, hint in sections:
            layout.addWidget(_heading(title))
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            form.setContentsMargins(12, 0, 0, 0)
            form.setHorizontalSpacing(14)
            form.setVerticalSpacing(8)
            for label, field_ in rows:
                form.addRow(label, field_)
            layout.addLayout(form)
            if hint:
                note = _hint(hint)
                note.setContentsMargins(HINT_INDENT, 0, 0, 0)
                layout.addWidget(note)
            layout.addSpacing(10)
        for form_label in self.findChildren(QLabel):
            if form_label.text().endswith(":"):
                form_label.setMinimumWidth(130)
                form_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.pipeline_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.theme_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _fill_pipelines(self, current: str) -> None:
        box = self.pipeline_box
        box.addItem(f"Automatic ({_auto_pipeline()})", "")
        box.addItem("Blank English (rules only, no model)", spacy_pipeline.BLANK)
        for name in installed_pipelines():
            box.addItem(name, name)
        if current and box.findData(current) < 0:
            box.addItem(f"{current} (not installed)", current)
        box.setCurrentIndex(max(0, box.findData(current)))

    def _choose_backup_dir(self) -> None:
        start = self.backup_edit.text() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Folder for backups", start)
        if folder:
            self.backup_edit.setText(folder)

    def _preview_font(self, size: float) -> None:
        if self.window_ is not None:
            apply_reader_font(self.window_, size)

    # -- storing -----------------------------------------------------------------------------
    def apply(self) -> bool:
        """Store and apply every value; False (with the reason shown) if one is not acceptable."""
        try:
            name = clean_name(self.name_edit.text())
        except NewsmarkError as exc:
            self._show_error(f"{exc} Please type a name.")
            self.name_edit.setFocus()
            return False
        self.error_label.hide()
        s = self.settings
        s.reader_font_size = self.font_box.value()
        s.theme = str(self.theme_box.currentData())
        s.spacy_pipeline = str(self.pipeline_box.currentData() or "")
        s.backup_dir = self.backup_edit.text().strip()
        s.prepare_export_tokens = self.tokens_box.isChecked()
        s.annotator = name
        s.sync()
        self._stored_font = s.reader_font_size
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, s.theme)
        apply_environment(s)
        if self.window_ is not None:
            apply_reader_font(self.window_, s.reader_font_size)
            if name != self.window_.annotator:
                set_annotator = getattr(self.window_, "set_annotator", None)
                if callable(set_annotator):
                    set_annotator(name)
        self.applied.emit()
        return True

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def reject(self) -> None:
        if self.window_ is not None:
            apply_reader_font(self.window_, self._stored_font)
        super().reject()


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.05)
    label.setFont(font)
    return label


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("hint", True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _auto_pipeline() -> str:
    saved = os.environ.pop(spacy_pipeline.ENV_VAR, None)
    try:
        name = spacy_pipeline.resolve_name()
    finally:
        if saved is not None:
            os.environ[spacy_pipeline.ENV_VAR] = saved
    return "blank English" if name == spacy_pipeline.BLANK else name


# -- in the window -------------------------------------------------------------------------------


def open_settings(window: MainWindow) -> SettingsDialog:
    dialog = SettingsDialog(window.settings, window)
    dialog.open()
    window.settings_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def install(window: MainWindow) -> None:
    """Edit ▸ Settings… (Ctrl+,), and the stored reader font size on every project opened."""
    action = QAction(icon("mdi6.cog-outline"), "&Settings…", window)
    action.setObjectName("settingsAction")
    action.setShortcut(QKeySequence.StandardKey.Preferences)
    if action.shortcut().isEmpty():
        action.setShortcut(QKeySequence("Ctrl+,"))
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.setStatusTip("Annotator name, text size, theme, spaCy pipeline, backup folder")
    action.triggered.connect(lambda _checked=False: open_settings(window))
    window.settings_action = action  # type: ignore[attr-defined]
    window.addAction(action)
    menu = menu_named(window, "Edit")
    if menu is not None:
        menu.addSeparator()
        menu.addAction(action)
    window.projectOpened.connect(lambda _loc: apply_reader_font(window, window.settings.reader_font_size))
    if window.settings.reader_font_size != DEFAULT_READER_FONT_SIZE:
        apply_reader_font(window, window.settings.reader_font_size)


def menu_named(window: QWidget, name: str):  # type: ignore[no-untyped-def]
    """The window's menu whose title (without '&') is ``name``, or None."""
    for action in window.menuBar().actions():  # type: ignore[attr-defined]
        if action.menu() is not None and action.text().replace("&", "") == name:
            return action.menu()
    return None
