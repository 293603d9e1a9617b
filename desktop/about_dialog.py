"""Help ▸ About Newsmark: what the app is, and the versions a bug report needs.

The versions of Newsmark, Qt, PySide6, Python, spaCy and the spaCy pipeline the suggestions use.
spaCy is never imported just to fill this in: its version comes from the installed package's
metadata, and a pipeline that is not loaded yet is named with "loads on first use".
"""

from __future__ import annotations

import html
import importlib.metadata
import platform
import sys

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import __version__
from db.suggest import pipeline as spacy_pipeline
from desktop.icons import app_icon, icon


def spacy_version() -> str:
    if "spacy" in sys.modules:
        return str(sys.modules["spacy"].about.__version__)
    try:
        return importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def pipeline_text() -> str:
    """The pipeline in use ("en_core_web_sm 3.8.0 (trained)"), or the one that will load."""
    nlp = spacy_pipeline.loaded_pipeline()
    if nlp is not None:
        return str(spacy_pipeline.pipeline_info(nlp))
    name = spacy_pipeline.resolve_name()
    if name == spacy_pipeline.BLANK:
        return "blank English, rules only (loads on first use)"
    try:
        version = f" {importlib.metadata.version(name)}"
    except (importlib.metadata.PackageNotFoundError, ValueError):
        version = ""
    return f"{name}{version} (loads on first use)"


def versions() -> list[tuple[str, str]]:
    return [
        ("Newsmark", __version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("spaCy", spacy_version()),
        ("spaCy pipeline", pipeline_text()),
        ("System", f"{platform.system()} {platform.release()} {platform.machine()}"),
    ]


class AboutDialog(QDialog):
    """The About box; "Copy versions" puts the version list on the clipboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Newsmark")
        self.setMinimumWidth(520)
        self.rows = versions()

        logo = QLabel(self)
        logo.setPixmap(app_icon().pixmap(88, 88))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(
            f"<span style='font-size:20pt;font-weight:600'>Newsmark</span>"
            f"&nbsp;&nbsp;<span style='font-size:12pt'>{html.escape(__version__)}</span>",
            self,
        )
        blurb = QLabel(
            "Annotate claims, attributions, expert opinions and facts across news outlets, link them "
            "across articles, review a colleague's work and export datasets for spaCy, Prodigy, "
            "doccano and Label Studio.<br><br>Everything stays on your machine: one project file per "
            "analysis, or a shared PostgreSQL database for a team.",
            self,
        )
        blurb.setWordWrap(True)
        text_col = QVBoxLayout()
        text_col.setSpacing(8)
        text_col.addWidget(title)
        text_col.addWidget(blurb)
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(logo)
        header.addLayout(text_col, 1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        self.value_labels: dict[str, QLabel] = {}
        for row, (name, value) in enumerate(self.rows):
            key = QLabel(name, self)
            key.setStyleSheet("font-weight:600")
            shown = QLabel(value, self)
            shown.setObjectName(f"version_{name.replace(' ', '_')}")
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(shown, row, 1)
            self.value_labels[name] = shown
        grid.setColumnStretch(1, 1)
        frame = QWidget(self)
        frame.setObjectName("aboutVersions")
        frame.setLayout(grid)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton(icon("mdi6.content-copy"), "Copy versions", self)
        copy.setObjectName("copyVersions")
        copy.clicked.connect(self.copy_versions)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 14)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addWidget(frame)
        layout.addWidget(buttons)

    def text(self) -> str:
        return "\n".join(f"{name}: {value}" for name, value in self.rows)

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
