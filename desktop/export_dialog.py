"""The export dialog: where, which format, which layer, and which articles and labels.

``ExportDialog.options()`` gives the keyword arguments of ``db.exporting.export``; the window runs
the export as a background job with a progress bar and Cancel, and shows the summary.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QWidget,
)

from db.annotators import GOLD, list_annotators
from db.articles import outlet_names, story_names
from db.labels import list_labels
from db.project import Project

#: (format key, what the analyst reads, file suffix)
FORMATS = (
    ("jsonl", "Newsmark JSONL, Prodigy-compatible", ".jsonl"),
    ("spacy", "spaCy DocBin, for spacy train", ".spacy"),
    ("doccano", "doccano JSONL", ".jsonl"),
    ("labelstudio", "Label Studio JSON", ".json"),
    ("w3c", "W3C Web Annotation JSON-LD", ".json"),
    ("csv", "CSV, one span per row (spreadsheets)", ".csv"),
)
ALL_LAYERS = "All layers"


class CheckList(QListView):
    """A short list of names with check boxes (all checked at first); ``checked()`` is None when
    every name is checked, meaning "no filter"."""

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_model = QStandardItemModel(self)
        for name in names:
            item = QStandardItem(name)
            item.setCheckable(True)
            item.setCheckState(Qt.CheckState.Checked)
            item.setEditable(False)
            self.item_model.appendRow(item)
        self.setModel(self.item_model)
        self.setMaximumHeight(110)

    def checked(self) -> list[str] | None:
        items = [self.item_model.item(r) for r in range(self.item_model.rowCount())]
        chosen = [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]
        return None if len(chosen) == len(items) else chosen

    def set_checked(self, names: set[str]) -> None:
        for r in range(self.item_model.rowCount()):
            item = self.item_model.item(r)
            item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)


class ExportDialog(QDialog):
    """Choose what to export. Reads the project's layers, labels, outlets and stories once."""

    def __init__(self, project: Project, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export annotations")
        self.setObjectName("exportDialog")
        self.setMinimumWidth(560)
        self.path_edit = QLineEdit(str(Path.home() / f"{project.name}.jsonl"), self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.format_box = QComboBox(self)
        for key, text, suffix in FORMATS:
            self.format_box.addItem(f"{text} ({suffix})", key)
        self.format_box.currentIndexChanged.connect(self._format_changed)

        self.layer_box = QComboBox(self)
        self.layer_box.addItem(ALL_LAYERS, None)
        for name in list_annotators(project):
            self.layer_box.addItem("Gold (the reviewed layer)" if name == GOLD else name, name)
        mine = self.layer_box.findData(annotator)
        self.layer_box.setToolTip("Whose spans and links: one annotator's layer, the gold layer, or all")

        self.labels = CheckList([label.key for label in list_labels(project)], self)
        self.outlets = CheckList(outlet_names(project), self)
        self.stories = CheckList(story_names(project), self)

        self.since_on = QCheckBox("Published on or after", self)
        self.since = QDateEdit(QDate.currentDate().addYears(-1), self)
        self.until_on = QCheckBox("Published on or before", self)
        self.until = QDateEdit(QDate.currentDate(), self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.reviewed = QCheckBox("Only articles marked reviewed", self)

        self.split = QDoubleSpinBox(self)
        self.split.setRange(0.0, 0.95)
        self.split.setSingleStep(0.05)
        self.split.setSpecialValueText("no split")
        self.split.setToolTip("Share of articles in the training file; the rest go to -dev.spacy")
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(13)

        form = QFormLayout(self)
        form.addRow("File", path_row)
        form.addRow("Format", self.format_box)
        form.addRow("Layer", self.layer_box)
        form.addRow("Labels", self.labels)
        form.addRow("Outlets", self.outlets)
        form.addRow("Stories", self.stories)
        dates = QHBoxLayout()
        for widget in (self.since_on, self.since, self.until_on, self.until):
            dates.addWidget(widget)
        form.addRow("Dates", dates)
        form.addRow("", self.reviewed)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split)
        split_row.addWidget(self.seed)
        form.addRow("Train/dev split, seed", split_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        if mine >= 0:
            self.layer_box.setCurrentIndex(mine)
        self._format_changed()

    @property
    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def _format_changed(self) -> None:
        suffix = FORMATS[self.format_box.currentIndex()][2]
        path = Path(self.path_edit.text())
        if path.suffix != suffix:
            self.path_edit.setText(str(path.with_suffix(suffix)))
        spacy = self.fmt == "spacy"
        self.split.setEnabled(spacy)
        self.seed.setEnabled(spacy)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text())
        if path:
            self.path_edit.setText(path)

    @property
    def path(self) -> str:
        return self.path_edit.text().strip()

    def options(self) -> dict[str, Any]:
        """Keyword arguments for ``db.exporting.export`` (besides the project and the path)."""
        layer = self.layer_box.currentData()
        opts: dict[str, Any] = {
            "fmt": self.fmt,
            "annotator": layer if layer not in (None, GOLD) else None,
            "gold": layer == GOLD,
            "labels": self.labels.checked(),
            "outlets": self.outlets.checked(),
            "stories": self.stories.checked(),
            "since": _date(self.since) if self.since_on.isChecked() else None,
            "until": _date(self.until) if self.until_on.isChecked() else None,
            "reviewed": self.reviewed.isChecked(),
        }
        if self.fmt == "spacy" and self.split.value() > 0:
            opts["split"] = self.split.value()
            opts["seed"] = self.seed.value()
        return opts


def _date(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())
