"""MergeDialog: File ▸ Merge colleague's work…: bring in a colleague's JSONL export or project file.

A JSONL export goes through ``db.importing.import_paths`` (their layer is the annotator the file
names in ``_annotator_id``; the name box is used for records that name nobody); a project file
through ``db.merge.merge_project`` (every layer but yours, their reviews and "reviewed" marks).
The work runs as a background job; the dialog then says what came in, or "nothing new" when the
file was merged before (the services skip everything already there).

Signals: ``merged()`` once a merge changed the project; ``finished(object summary)`` after any run.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.project import PROJECT_SUFFIX, Project
from desktop.jobs import Job, JobRunner

FILTER = f"Colleague's work (*.jsonl *{PROJECT_SUFFIX});;JSONL export (*.jsonl);;Newsmark project (*{PROJECT_SUFFIX})"


def file_annotator(path: str) -> str | None:
    """The annotator a JSONL export names on its first record, if any."""
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    name = record.get("_annotator_id") if isinstance(record, dict) else None
                    return str(name) if name else None
    except (OSError, ValueError):
        return None
    return None


def is_project_file(path: str) -> bool:
    return path.endswith(PROJECT_SUFFIX)


def summary_lines(summary: Any) -> tuple[bool, list[str]]:
    """(changed anything, lines for the user) for an ImportSummary or a MergeSummary."""
    if hasattr(summary, "changed"):  # db.merge.MergeSummary
        changed = bool(summary.changed)
        lines = [
            f"{summary.articles_added} new articles ({summary.articles_matched} already here)",
            f"{summary.spans_added} spans added, {summary.spans_skipped} already here",
            f"{summary.links_added} links added, {summary.links_skipped} already here",
            f"{summary.reviews_added} reviews and {summary.article_reviews_added} “reviewed” marks added",
        ]
        if summary.layers:
            lines.insert(0, "Layers: " + ", ".join(summary.layers))
        return changed, lines
    changed = bool(summary.articles_added or summary.spans_added or summary.links_added)
    lines = [
        f"{summary.articles_added} new articles ({summary.articles_present} already here)",
        f"{summary.spans_added} spans added, {summary.spans_skipped} already here",
        f"{summary.links_added} links added",
    ]
    lines += [f"Not imported: {e}" for e in summary.errors]
    return changed, lines


class MergeDialog(QDialog):
    """See the module docstring."""

    merged = Signal()
    finished_summary = Signal(object)

    def __init__(
        self, project: Project, runner: JobRunner, annotator: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge colleague's work")
        self.setObjectName("mergeDialog")
        self.setMinimumWidth(560)
        self.project = project
        self.runner = runner
        self.annotator = annotator
        self.job: Job | None = None
        self.summary: Any = None

        intro = QLabel(
            "Bring in a colleague's annotations: their <b>JSONL export</b> (their layer) or their "
            f"<b>project file</b> (*{PROJECT_SUFFIX}: their layers, reviews and gold). Your own layer is "
            "never changed, and merging the same file again adds nothing.",
            self,
        )
        intro.setWordWrap(True)
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("mergePath")
        self.path_edit.setPlaceholderText("Choose a file…")
        self.path_edit.textChanged.connect(self._path_changed)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.who_edit = QLineEdit(self)
        self.who_edit.setObjectName("mergeAnnotator")
        self.who_edit.setPlaceholderText("their name, for records that name nobody")
        self.kind = QLabel(self)
        self.kind.setStyleSheet("color: gray;")
        form = QFormLayout()
        form.addRow("File", row)
        form.addRow("", self.kind)
        form.addRow("Their layer", self.who_edit)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.result_label = QLabel(self)
        self.result_label.setObjectName("mergeResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Colleague's work", str(Path.home()), FILTER)
        if path:
            self.path_edit.setText(path)

    def _path_changed(self, path: str) -> None:
        path = path.strip()
        ok = bool(path) and Path(path).is_file()
        self.merge_button.setEnabled(ok and self.job is None)
        self.result_label.clear()
        if not ok:
            self.kind.setText("")
            return
        if is_project_file(path):
            self.kind.setText("A Newsmark project: every layer but yours comes in, with reviews and gold.")
            self.who_edit.setEnabled(False)
            return
        self.who_edit.setEnabled(True)
        who = file_annotator(path)
        if who:
            self.who_edit.setText(who)
            self.kind.setText(f"A JSONL export by {who}.")
        else:
            self.kind.setText("A JSONL export that names no annotator: say whose layer it is.")

    def set_path(self, path: str) -> None:
        self.path_edit.setText(path)

    def start(self) -> Job | None:
        """Merge the chosen file in the background."""
        path = self.path_edit.text().strip()
        if not path or self.job is not None:
            return None
        if is_project_file(path):
            from db.merge import merge_project

            own = self.annotator

            def work(project: Project, job: Job) -> Any:
                return merge_project(project, path, own_layer=own)
        else:
            from db.importing import import_paths

            who = self.who_edit.text().strip() or None

            def work(project: Project, job: Job) -> Any:
                return import_paths(
                    project, [path], annotator=who, progress=job.progress, cancel=job.is_cancelled
                )

        self.merge_button.setEnabled(False)
        self.progress.show()
        self.result_label.setText(f"Merging {html.escape(Path(path).name)}…")
        self.job = self.runner.start(
            self.project, work, f"Merging {Path(path).name}", finished=self._done, failed=self._failed
        )
        return self.job

    def _done(self, summary: Any) -> None:
        self.job = None
        self.summary = summary
        self.progress.hide()
        changed, lines = summary_lines(summary)
        if changed:
            head = "<b style='color:#27ae60'>Merged.</b>"
        else:
            head = "<b>Nothing new:</b> everything in this file is already in the project."
        self.result_label.setText(
            head + "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>"
        )
        self.merge_button.setEnabled(True)
        self.adjustSize()
        self.finished_summary.emit(summary)
        if changed:
            self.merged.emit()

    def _failed(self, message: str) -> None:
        self.job = None
        self.progress.hide()
        self.result_label.setText(f"<b style='color:#c0392b'>Could not merge:</b> {html.escape(message)}")
        self.merge_button.setEnabled(True)
