"""Labels… (Edit menu): rename, recolour, rebind and define the project's labels, or add one.

Each Apply is one ``db.labels.update_label`` / ``add_label`` call. The label's key (what exports
carry) never changes. Emits ``labelsChanged()`` after every stored change.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import NewsmarkError
from db.labels import add_label, list_labels, update_label
from db.project import Project
from db.records import LabelRecord
from desktop.icons import icon, label_icon

_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
_NEW = "__new__"


class LabelsDialog(QDialog):
    """Edit the label schema of one project."""

    labelsChanged = Signal()

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelsDialog")
        self.setWindowTitle("Labels")
        self.resize(720, 420)
        self._project = project
        self._labels: dict[str, LabelRecord] = {}
        self._color = "#888888"

        self.list_model = QStandardItemModel(self)
        self.list_view = QListView(self)
        self.list_view.setModel(self.list_model)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setFixedWidth(200)
        self.add_button = QPushButton(icon("mdi6.plus"), "Add label", self)
        self.add_button.clicked.connect(self.start_new_label)

        self.name_edit = QLineEdit(self)
        self.key_view = QLabel(self)
        self.key_view.setObjectName("labelKey")
        self.key_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.color_button = QPushButton(self)
        self.color_button.setObjectName("labelColour")
        self.color_button.clicked.connect(self.pick_color)
        self.shortcut_edit = QLineEdit(self)
        self.shortcut_edit.setMaxLength(1)
        self.shortcut_edit.setFixedWidth(48)
        self.shortcut_edit.setToolTip("One key (a digit or a letter) that applies the label to the selection")
        self.definition_edit = QPlainTextEdit(self)
        self.definition_edit.setPlaceholderText(
            "When to use this label, with an example. Shown as the tooltip of its button."
        )
        self.apply_button = QPushButton("Apply", self)
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Key", self.key_view)
        form.addRow("Colour", self.color_button)
        form.addRow("Shortcut", self.shortcut_edit)
        form.addRow("Definition", self.definition_edit)
        right = QVBoxLayout()
        right.addLayout(form, 1)
        right.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignRight)
        left = QVBoxLayout()
        left.addWidget(self.list_view, 1)
        left.addWidget(self.add_button)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

        self.list_view.selectionModel().currentChanged.connect(self._on_current)
        self._reload()

    # -- public API (also what tests drive) ----------------------------------------------------
    @property
    def current_key(self) -> str | None:
        index = self.list_view.currentIndex()
        value = index.data(_KEY_ROLE) if index.isValid() else None
        return str(value) if value else None

    def select(self, key: str) -> None:
        for row in range(self.list_model.rowCount()):
            index = self.list_model.index(row, 0)
            if index.data(_KEY_ROLE) == key:
                self.list_view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                return

    def set_color(self, color: str) -> None:
        self._color = QColor(color).name()
        self.color_button.setIcon(label_icon(self._color))
        self.color_button.setText(self._color)

    def pick_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._color), self, "Label colour")
        if chosen.isValid():
            self.set_color(chosen.name())

    def start_new_label(self) -> None:
        item = QStandardItem(icon("mdi6.plus"), "New label")
        item.setData(_NEW, _KEY_ROLE)
        self.list_model.appendRow(item)
        self.list_view.setCurrentIndex(item.index())
        self.name_edit.setFocus()

    def apply(self) -> bool:
        """Store the form for the current label; True if it was stored."""
        key = self.current_key
        if key is None:
            return False
        shortcut = self.shortcut_edit.text().strip() or None
        try:
            if key == _NEW:
                record = add_label(
                    self._project,
                    self.name_edit.text().strip(),
                    self._color,
                    shortcut,
                    self.definition_edit.toPlainText().strip(),
                )
                key = record.key
            else:
                update_label(
                    self._project,
                    key,
                    name=self.name_edit.text(),
                    color=self._color,
                    shortcut=shortcut,
                    clear_shortcut=shortcut is None,
                    definition=self.definition_edit.toPlainText().strip(),
                )
        except NewsmarkError as exc:
            QMessageBox.warning(self, "Labels", str(exc))
            return False
        self._reload(select=key)
        self.labelsChanged.emit()
        return True

    # -- internals -----------------------------------------------------------------------------
    def _reload(self, select: str | None = None) -> None:
        self._labels = {lb.key: lb for lb in list_labels(self._project)}
        self.list_model.clear()
        for lb in self._labels.values():
            item = QStandardItem(
                label_icon(lb.color), f"{lb.name}  [{lb.shortcut}]" if lb.shortcut else lb.name
            )
            item.setData(lb.key, _KEY_ROLE)
            item.setToolTip(lb.definition)
            self.list_model.appendRow(item)
        if select:
            self.select(select)
        elif self.list_model.rowCount():
            self.list_view.setCurrentIndex(self.list_model.index(0, 0))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(_KEY_ROLE) if current.isValid() else None
        label = self._labels.get(str(key)) if key else None
        if label is None:
            self.name_edit.setText("" if key == _NEW else self.name_edit.text())
            self.key_view.setText("(from the name)" if key == _NEW else "")
            self.set_color("#16a085")
            self.shortcut_edit.setText("")
            self.definition_edit.setPlainText("")
            return
        self.name_edit.setText(label.name)
        self.key_view.setText(label.key)
        self.set_color(label.color)
        self.shortcut_edit.setText(label.shortcut or "")
        self.definition_edit.setPlainText(label.definition)
