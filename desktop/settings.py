"""The user's settings: annotator name, recent projects, last project, window layout.

Stored through QSettings under the organisation "Newsmark". When the environment variable
``NEWSMARK_SETTINGS_DIR`` is set (tests, portable installs, the startup benchmark), the settings
live in ``$NEWSMARK_SETTINGS_DIR/newsmark.ini`` instead, so that nothing touches the user's own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget

from db.errors import NewsmarkError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QInputDialog

ORGANISATION = "Newsmark"
APPLICATION = "Newsmark"
SETTINGS_DIR_ENV = "NEWSMARK_SETTINGS_DIR"
MAX_RECENT = 10
DEFAULT_READER_FONT_SIZE = 12.5
THEMES = ("system", "light", "dark")


class Settings:
    """Typed access to the user's settings. ``path`` forces an INI file (tests pass a tmp path)."""

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None and os.environ.get(SETTINGS_DIR_ENV):
            path = Path(os.environ[SETTINGS_DIR_ENV]) / "newsmark.ini"
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._q = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self._q = QSettings(ORGANISATION, APPLICATION)

    @property
    def file_name(self) -> str:
        return self._q.fileName()

    def sync(self) -> None:
        self._q.sync()

    # -- annotator -----------------------------------------------------------------------------
    @property
    def annotator(self) -> str | None:
        value = self._q.value("annotator/name", "")
        return str(value) if value else None

    @annotator.setter
    def annotator(self, name: str) -> None:
        from db.annotators import clean_name  # SQLAlchemy: not on the way to the first window

        self._q.setValue("annotator/name", clean_name(name))

    # -- projects ------------------------------------------------------------------------------
    @property
    def recent_projects(self) -> list[str]:
        value = self._q.value("projects/recent", [])
        if isinstance(value, str):  # QSettings gives a bare string for a one-item list
            value = [value]
        return [str(v) for v in value or [] if v]

    def add_recent(self, location: str | Path) -> None:
        """Put a project first in the recent list (at most ``MAX_RECENT``) and make it the last one."""
        loc = _normalise(location)
        items = [loc] + [x for x in self.recent_projects if x != loc]
        self._q.setValue("projects/recent", items[:MAX_RECENT])
        self._q.setValue("projects/last", loc)

    def forget_recent(self, location: str | Path) -> None:
        loc = _normalise(location)
        self._q.setValue("projects/recent", [x for x in self.recent_projects if x != loc])
        if self.last_project == loc:
            self._q.remove("projects/last")

    def clear_recent(self) -> None:
        self._q.remove("projects/recent")

    @property
    def last_project(self) -> str | None:
        value = self._q.value("projects/last", "")
        return str(value) if value else None

    # -- window --------------------------------------------------------------------------------
    def window_layout(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self._q.value("window/geometry")
        state = self._q.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._q.setValue("window/geometry", geometry)
        self._q.setValue("window/state", state)

    # -- view options --------------------------------------------------------------------------
    @property
    def count_all_layers(self) -> bool:
        """Whether the navigator counts every annotator's spans (True) or only the user's."""
        return _as_bool(self._q.value("view/count_all_layers", True))

    @count_all_layers.setter
    def count_all_layers(self, value: bool) -> None:
        self._q.setValue("view/count_all_layers", bool(value))

    @property
    def navigator_order(self) -> str:
        return str(self._q.value("view/navigator_order", "date"))

    @navigator_order.setter
    def navigator_order(self, value: str) -> None:
        self._q.setValue("view/navigator_order", value)

    # -- preferences (Edit ▸ Settings…, desktop/settings_dialog.py) ------------------------------
    @property
    def reader_font_size(self) -> float:
        """Point size of the article text in the reader."""
        try:
            return float(self._q.value("view/reader_font_size", DEFAULT_READER_FONT_SIZE))
        except (TypeError, ValueError):
            return DEFAULT_READER_FONT_SIZE

    @reader_font_size.setter
    def reader_font_size(self, value: float) -> None:
        self._q.setValue("view/reader_font_size", float(value))

    @property
    def theme(self) -> str:
        """The colour theme: "system", "light" or "dark"."""
        value = str(self._q.value("view/theme", "system"))
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._q.setValue("view/theme", value if value in THEMES else "system")

    @property
    def spacy_pipeline(self) -> str:
        """The spaCy pipeline for suggestions ("blank", a package name), or "" for automatic."""
        return str(self._q.value("suggest/spacy_pipeline", ""))

    @spacy_pipeline.setter
    def spacy_pipeline(self, value: str) -> None:
        self._q.setValue("suggest/spacy_pipeline", value or "")

    @property
    def backup_dir(self) -> str:
        """A folder for every project's backups, or "" for the default beside each project file."""
        return str(self._q.value("projects/backup_dir", ""))

    @backup_dir.setter
    def backup_dir(self, value: str) -> None:
        self._q.setValue("projects/backup_dir", value or "")

    @property
    def suggest_on_open(self) -> bool:
        """Whether span suggestions run as soon as an article opens (off unless the user asks)."""
        return _as_bool(self._q.value("suggest/on_open", False))

    @suggest_on_open.setter
    def suggest_on_open(self, value: bool) -> None:
        self._q.setValue("suggest/on_open", bool(value))

    @property
    def prepare_export_tokens(self) -> bool:
        """Whether the background upkeep tokenizes articles ahead of the first export (on unless
        the user turns it off: it makes the first export fast, and costs disk space)."""
        return _as_bool(self._q.value("export/prepare_tokens", True))

    @prepare_export_tokens.setter
    def prepare_export_tokens(self, value: bool) -> None:
        self._q.setValue("export/prepare_tokens", bool(value))


def _normalise(location: str | Path) -> str:
    text = str(location)
    if "://" in text:
        return text
    return str(Path(text).expanduser().resolve())


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def annotator_dialog(parent: QWidget | None = None, current: str | None = None) -> QInputDialog:
    """The small dialog that asks who is annotating (first launch, and File ▸ Change annotator)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    dialog = QInputDialog(parent)
    dialog.setObjectName("annotatorDialog")
    dialog.setWindowTitle("Who is annotating?")
    dialog.setLabelText(
        "Your name or initials. Every span, link and review you make is stored in your own layer "
        "under this name,\nso that colleagues' annotations never overwrite yours."
    )
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(current or os.environ.get("USER", "") or "")
    dialog.setOkButtonText("Start annotating")
    return dialog


def ask_annotator(settings: Settings, parent: QWidget | None = None, *, force: bool = False) -> str | None:
    """The stored annotator name; asks for it (and stores it) when there is none or ``force``.

    Returns None only if the user cancels and no name was stored before."""
    if settings.annotator and not force:
        return settings.annotator
    from PySide6.QtWidgets import QInputDialog

    dialog = annotator_dialog(parent, settings.annotator)
    while dialog.exec() == QInputDialog.DialogCode.Accepted:
        try:
            settings.annotator = dialog.textValue()
        except NewsmarkError as exc:
            dialog.setLabelText(f"{exc} Please type a name.")
            continue
        settings.sync()
        return settings.annotator
    return settings.annotator
