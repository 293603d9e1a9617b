"""File ▸ Restore from backup…: the open project's backups (date, reason), and restoring one.

Restoring closes the project, replaces the file by the chosen copy (``db.project.restore_backup``
keeps a copy of the current file first, reason "before-restore") and opens it again. Only project
files have backups; a PostgreSQL project is backed up by its server.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import NewsmarkError
from db.project import PROJECT_SUFFIX, list_backups, restore_backup
from desktop.icons import icon

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

REASONS = {
    "before-import": "Before an import",
    "before-merge": "Before merging a colleague's work",
    "before-restore": "Before restoring a backup",
}
PATH_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class BackupEntry:
    path: Path
    taken: dt.datetime | None
    reason: str

    @property
    def reason_text(self) -> str:
        if self.reason.startswith("before-migration-"):
            return f"Before upgrading from schema {self.reason.rsplit('-', 1)[-1]}"
        return REASONS.get(self.reason, self.reason.replace("-", " ").capitalize())

    @property
    def when(self) -> str:
        return self.taken.strftime("%Y-%m-%d %H:%M:%S") if self.taken else "unknown date"


def parse_backup(project_path: Path, backup: Path) -> BackupEntry:
    """``NAME.20250101-093000-123456.REASON.newsmark`` -> date and reason."""
    middle = backup.name[len(project_path.stem) + 1 : -len(PROJECT_SUFFIX)]
    stamp, _, reason = middle.partition(".")
    try:
        taken = dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f")
    except ValueError:
        taken = None
    return BackupEntry(backup, taken, reason or "backup")


def backups_of(project_path: Path) -> list[BackupEntry]:
    """Backups of a project file, newest first: in the backup folder in use and beside the file."""
    found = {p.resolve() for p in list_backups(project_path)}
    found |= {
        p.resolve() for p in list_backups(project_path, project_path.parent / f".{project_path.name}.backups")
    }
    entries = [parse_backup(project_path, p) for p in found]
    return sorted(entries, key=lambda e: (e.taken or dt.datetime.min, e.path.name), reverse=True)


class BackupsDialog(QDialog):
    """Lists the backups of ``project_path``; accept() with one selected means "restore it"."""

    def __init__(self, project_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle("Restore from backup")
        self.setMinimumSize(560, 320)
        self.resize(640, 400)
        self.project_path = project_path
        self.entries = backups_of(project_path)

        intro = QLabel(
            f"Backups of <b>{html.escape(project_path.name)}</b>. Restoring replaces the project by the "
            "copy you choose; the project as it is now is kept as a backup first, so you can come back.",
            self,
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("backupsList")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(["Date", "Reason", "Size"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for entry in self.entries:
            size = entry.path.stat().st_size if entry.path.exists() else 0
            item = QTreeWidgetItem([entry.when, entry.reason_text, f"{size / 1024:,.0f} KB"])
            item.setData(0, PATH_ROLE, str(entry.path))
            item.setToolTip(0, str(entry.path))
            self.tree.addTopLevelItem(item)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        if self.entries:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.tree.itemDoubleClicked.connect(lambda *_: self.accept())
        self.empty = QLabel("There are no backups of this project yet.", self)
        self.empty.setVisible(not self.entries)
        self.tree.setVisible(bool(self.entries))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(bool(self.entries))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.buttons)

    def chosen(self) -> Path | None:
        item = self.tree.currentItem()
        return Path(item.data(0, PATH_ROLE)) if item is not None else None


def restore_into_window(window: MainWindow, backup: Path) -> bool:
    """Close the window's project, restore ``backup`` over its file and open it again."""
    project = window.project
    if project is None or project.path is None:
        return False
    path = project.path
    live = getattr(window, "live_refresh", None)
    if live is not None:
        live.stop()  # it holds a connection to the file being replaced
    window.runner.cancel_all()
    if window.inspector is not None:
        window.inspector.commit_note()
    project.close()
    try:
        restore_backup(backup, path)
    except (OSError, NewsmarkError) as exc:
        QMessageBox.warning(
            window,
            "Restore failed",
            f"The backup could not be restored: {exc}\n\nThe project was left as it was; it opens again now.",
        )
        window.open_location(path)
        return False
    opened = window.open_location(path)
    if opened:
        window.statusBar().showMessage(f"Restored the backup of {parse_backup(path, backup).when}", 10_000)
    return opened


def restore_dialog(window: MainWindow) -> BackupsDialog | None:
    """File ▸ Restore from backup…: choose a backup and restore it (asks nothing more)."""
    project = window.project
    if project is None or project.path is None:
        QMessageBox.information(
            window,
            "Restore from backup",
            "Only project files have backups here. A shared PostgreSQL project is backed up by its "
            "database server: ask its administrator.",
        )
        return None
    dialog = BackupsDialog(project.path, window)
    window.backups_dialog = dialog  # type: ignore[attr-defined]

    def done(result: int) -> None:
        backup = dialog.chosen()
        if result == QDialog.DialogCode.Accepted and backup is not None:
            restore_into_window(window, backup)

    dialog.finished.connect(done)
    dialog.open()
    return dialog


def install(window: MainWindow) -> None:
    """File ▸ Restore from backup… (after Export)."""
    from desktop.settings_dialog import menu_named

    action = QAction(icon("mdi6.backup-restore"), "Restore from &backup…", window)
    action.setObjectName("restoreBackupAction")
    action.setStatusTip("Go back to a copy of the project made before an import, a merge or an upgrade")
    action.triggered.connect(lambda _checked=False: restore_dialog(window))
    window.restore_backup_action = action  # type: ignore[attr-defined]
    menu = menu_named(window, "File")
    if menu is not None:
        anchor = window.export_action
        actions = menu.actions()
        after = actions.index(anchor) + 1 if anchor in actions else len(actions)
        menu.insertAction(actions[after] if after < len(actions) else None, action)
