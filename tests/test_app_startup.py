"""Starting the application: which project opens, and the window comes before spaCy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.project import open_project
from desktop.settings import Settings
from tests.app_corpus import fill

ROOT = Path(__file__).resolve().parent.parent


def _start(tmp_path: Path, *args: str) -> str:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        NEWSMARK_READY_EXIT="1",
        NEWSMARK_SETTINGS_DIR=str(tmp_path / "settings"),
        NEWSMARK_DATA_DIR=str(tmp_path / "data"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_the_window_is_ready_before_spacy_is_imported(tmp_path):
    path = tmp_path / "corpus.newsmark"
    with open_project(path) as project:
        fill(project)
    out = _start(tmp_path, str(path))
    assert "NEWSMARK_READY" in out
    assert "stories=3" in out  # Harbour strike, Strait launch, (no story)
    assert "spacy=0" in out


@pytest.mark.slow
def test_the_demo_opens_with_its_story(tmp_path):
    out = _start(tmp_path, "--demo")
    assert "stories=1" in out
    assert (tmp_path / "data" / "demo.newsmark").exists()


@pytest.mark.slow
def test_the_last_project_opens_next_time(tmp_path, monkeypatch):
    path = tmp_path / "last.newsmark"
    with open_project(path) as project:
        fill(project)
    monkeypatch.setenv("NEWSMARK_SETTINGS_DIR", str(tmp_path / "settings"))
    settings = Settings()
    settings.annotator = "alice"
    settings.add_recent(path)
    settings.sync()
    out = _start(tmp_path)
    assert "stories=3" in out


def test_a_bad_project_is_explained_and_the_demo_opens_instead(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop.app import choose_project
    from desktop.main_window import MainWindow

    monkeypatch.setenv("NEWSMARK_SETTINGS_DIR", str(tmp_path / "settings"))
    monkeypatch.setenv("NEWSMARK_DATA_DIR", str(tmp_path / "data"))
    shown = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append(box.text() + box.informativeText()) or 0
    )
    junk = tmp_path / "minutes.newsmark"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # looks like SQLite, is not a project
    settings = Settings()
    window = MainWindow(settings, "alice")
    qtbot.addWidget(window)
    opened = choose_project(window, str(junk), False, settings)
    try:
        assert shown and "minutes.newsmark" in shown[0]
        assert opened is not None and opened.path.name == "demo.newsmark"
    finally:
        opened.close()
