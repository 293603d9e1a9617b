"""The export dialog: format, layer and filters reach the export, which runs in the background."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QDate

from desktop.export_dialog import ExportDialog
from desktop.main_window import MainWindow
from desktop.settings import SETTINGS_DIR_ENV, Settings
from tests.app_corpus import fill


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, project):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    fill(project)
    win = MainWindow(Settings(), "alice")
    qtbot.addWidget(win)
    win.set_project(project)
    yield win
    win.runner.cancel_all()
    win.project = None


def test_dialog_options_follow_what_the_analyst_picks(qtbot, project, tmp_path):
    fill(project)
    dialog = ExportDialog(project, "alice")
    qtbot.addWidget(dialog)
    assert dialog.options()["annotator"] == "alice"  # one's own layer first
    assert dialog.options()["labels"] is None and dialog.options()["outlets"] is None
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
    assert dialog.path.endswith(".csv")
    dialog.layer_box.setCurrentIndex(dialog.layer_box.findData(None))
    dialog.labels.set_checked({"CLAIM", "FACT"})
    dialog.outlets.set_checked({"Civic Wire"})
    dialog.since_on.setChecked(True)
    dialog.since.setDate(QDate(2023, 11, 10))
    opts = dialog.options()
    assert opts["fmt"] == "csv" and opts["annotator"] is None and not opts["gold"]
    assert sorted(opts["labels"]) == ["CLAIM", "FACT"]
    assert opts["outlets"] == ["Civic Wire"]
    assert str(opts["since"]) == "2023-11-10" and opts["until"] is None
    assert not dialog.split.isEnabled()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("spacy"))
    assert dialog.split.isEnabled() and dialog.path.endswith(".spacy")


def test_export_from_the_dialog_writes_the_filtered_layer_and_reports_it(
    qtbot, window, tmp_path, monkeypatch
):
    from desktop import project_actions

    out = tmp_path / "claims.jsonl"

    def fake_exec(self: ExportDialog) -> int:
        self.path_edit.setText(str(out))
        self.labels.set_checked({"CLAIM"})
        return ExportDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", fake_exec)
    project_actions.export_dialog(window)
    qtbot.waitUntil(lambda: out.exists(), timeout=10_000)
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=5000)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    labels = {sp["label"] for rec in records for sp in rec["spans"]}
    assert labels == {"CLAIM"}
    assert all(rec["_annotator_id"] == "alice" for rec in records)
    assert "1 span" in window.statusBar().currentMessage()
