"""Starting the application: which project opens, and the window comes before spaCy."""

from __future__ import annotations

import os
import shutil
import sqlite3
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


# -- the staged start: a first screen read by db.quickread, then the whole window --------------


def _lines(out: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith("NEWSMARK_")}


@pytest.mark.slow
def test_a_project_at_the_schema_head_starts_in_two_stages(tmp_path):
    path = tmp_path / "corpus.newsmark"
    with open_project(path) as project:
        fill(project)
    lines = _lines(_start(tmp_path, str(path)))
    ready, full = lines["NEWSMARK_READY"], lines["NEWSMARK_FULL"]
    assert float(ready[0]) <= float(full[0])
    assert "stories=3" in ready and "stories=3" in full
    assert "spacy=0" in ready


@pytest.mark.slow
def test_a_project_needing_migration_takes_the_normal_path(tmp_path):
    from db.project import SCHEMA_HEAD, list_backups
    from desktop.app import quick_start

    old = tmp_path / "old.newsmark"
    shutil.copyfile(ROOT / "tests" / "data" / "schema_0005.newsmark", old)
    settings = Settings(tmp_path / "probe.ini")
    assert quick_start(str(old), False, settings, "alice") is None
    lines = _lines(_start(tmp_path, str(old)))
    assert "NEWSMARK_READY" in lines and "NEWSMARK_FULL" in lines
    with sqlite3.connect(old) as conn:  # migrated by open_project, after its backup
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD
    assert list_backups(old)


def _first_screen(qtbot, path: Path, settings: Settings):
    from db.quickread import open_quick
    from desktop.main_window import MainWindow

    quick = open_quick(path, settings.navigator_order, None)
    assert quick is not None
    window = MainWindow(settings, "alice", staged=True)
    qtbot.addWidget(window)
    window.show_quick(quick)
    window.show()
    return window


def _shown(model, parent, columns=(0, 2)):
    from desktop.navigator_model import ARTICLES_ROLE

    return [
        (*(model.index(r, c, parent).data() for c in columns), model.index(r, 0, parent).data(ARTICLES_ROLE))
        for r in range(model.rowCount(parent))
    ]


def test_the_first_screen_shows_the_rows_of_the_normal_navigator(qtbot, tmp_path, project):
    from PySide6.QtCore import QModelIndex

    from db.labels import list_labels
    from desktop.navigator_model import NavigatorModel

    fill(project)
    window = _first_screen(qtbot, project.path, Settings(tmp_path / "s.ini"))
    first = window.navigator.model
    normal = NavigatorModel(project, list_labels(project))
    assert window.navigator.waiting_for_project and window.project is None
    assert _shown(first, QModelIndex()) == _shown(normal, QModelIndex())
    for r in range(normal.rowCount()):
        story_a, story_b = first.index(r, 0), normal.index(r, 0)
        first.fetchMore(story_a)
        normal.fetchMore(story_b)
        assert _shown(first, story_a, (0, 1, 2)) == _shown(normal, story_b, (0, 1, 2))
        for o in range(normal.rowCount(story_b)):
            assert _shown(first, first.index(o, 0, story_a), (0, 1, 2)) == _shown(
                normal, normal.index(o, 0, story_b), (0, 1, 2)
            )
    assert window.windowTitle() == f"{project.name} — Newsmark"
    from db.corpus import corpus_totals

    assert f"{corpus_totals(project)[0]} articles" in window.counts_label.text()


def test_an_article_picked_on_the_first_screen_opens_once_the_project_is_open(qtbot, tmp_path, project):
    from PySide6.QtCore import Qt

    ids = fill(project)
    path = project.path
    project.close()
    window = _first_screen(qtbot, path, Settings(tmp_path / "s.ini"))
    nav = window.navigator
    wanted = ids["Talks cancelled"]
    index = nav.model.index_for_article(wanted)
    nav.tree.expand(index.parent().parent())  # the analyst opens the story, then the outlet
    nav.tree.expand(index.parent())
    qtbot.mouseClick(nav.tree.viewport(), Qt.MouseButton.LeftButton, pos=nav.tree.visualRect(index).center())
    assert window.pending_article == wanted and window.reader is None  # nothing lost, nothing opened yet
    expanded = nav.tree.isExpanded(index.parent())

    opened = open_project(path)
    window.set_project(opened)
    assert window.navigator is nav and nav.model.project is opened  # the same rows carry on
    assert nav.tree.isExpanded(nav.model.index_for_article(wanted).parent()) == expanded
    assert nav.current_article == wanted
    assert window.span_model.article_id == wanted  # the picked article, not the first one
    assert window.completed and window.runner is not None
    window.close()


def test_a_filter_typed_on_the_first_screen_applies_once_the_project_is_open(qtbot, tmp_path, project):
    fill(project)
    path = project.path
    project.close()
    window = _first_screen(qtbot, path, Settings(tmp_path / "s.ini"))
    nav = window.navigator
    nav.filter_edit.setText("Talks")
    nav.apply_filter()  # what the filter's timer does: it waits for the project
    assert nav.model.rowCount() == 3
    window.set_project(open_project(path))
    assert nav.model.corpus_filter.text == "Talks"
    assert nav.model.rowCount() == 1
    window.close()


@pytest.mark.sqlite_only  # the first screen reads SQLite files only; a URL starts in one stage
def test_the_first_screen_counts_the_layers_the_settings_say(tmp_path, project):
    from desktop.app import quick_start

    fill(project)
    settings = Settings(tmp_path / "s.ini")
    settings.navigator_order = "title"
    settings.count_all_layers = False
    mine = quick_start(str(project.path), False, settings, "bob")
    settings.count_all_layers = True
    every = quick_start(str(project.path), False, settings, "bob")
    try:
        assert (mine.annotator, mine.order) == ("bob", "title")
        assert every.annotator is None
        assert quick_start(str(project.path), True, settings, "bob") is None  # the demo: one stage
    finally:
        mine.close()
        every.close()


def test_stage_two_comes_in_steps_while_the_status_bar_says_the_project_is_opening(qtbot, tmp_path, project):
    from PySide6.QtWidgets import QApplication

    from desktop.app import OPENING_MESSAGE, complete_staged

    ids = fill(project)
    path = project.path
    project.close()
    settings = Settings(tmp_path / "s.ini")
    window = _first_screen(qtbot, path, settings)
    done = []
    complete_staged(
        QApplication.instance(), window, str(path), False, settings, True, then=lambda: done.append(1)
    )
    assert window.statusBar().currentMessage() == OPENING_MESSAGE
    assert QApplication.overrideCursor() is not None  # busy
    assert window.project is None  # the rest comes in later turns of the event loop
    wanted = ids["Talks cancelled"]
    QApplication.processEvents()  # a turn or two: the window still answers meanwhile
    window.navigator.select_article(wanted, emit=True)
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    assert window.project is not None and window.completed
    assert window.span_model.article_id == wanted  # picked while it opened: opened then
    assert window.statusBar().currentMessage() == ""
    assert QApplication.overrideCursor() is None
    window.close()


def test_closing_the_window_while_it_opens_stops_stage_two(qtbot, tmp_path, project):
    from PySide6.QtWidgets import QApplication

    from desktop.app import complete_staged

    fill(project)
    path = project.path
    project.close()
    settings = Settings(tmp_path / "s.ini")
    window = _first_screen(qtbot, path, settings)
    done = []
    complete_staged(
        QApplication.instance(), window, str(path), False, settings, True, then=lambda: done.append(1)
    )
    window.close()
    qtbot.wait(200)
    assert window.project is None and not done
    QApplication.restoreOverrideCursor()  # the app would be quitting; the tests carry on


def test_nothing_moves_when_the_real_bars_replace_the_first_screens(qtbot, tmp_path, project):
    from PySide6.QtWidgets import QApplication

    from desktop.app import load_stylesheet

    fill(project)
    path = project.path
    project.close()
    app = QApplication.instance()
    app.setStyleSheet(load_stylesheet(app))  # the label buttons' padding makes the row's height
    window = _first_screen(qtbot, path, Settings(tmp_path / "s.ini"))
    QApplication.processEvents()
    before = (
        window.navigator_dock.geometry().top(),
        window.statusBar().geometry().top(),
        window.navigator.filter_edit.mapTo(window, window.rect().topLeft()).y(),
    )
    window.set_project(open_project(path))
    QApplication.processEvents()
    after = (
        window.navigator_dock.geometry().top(),
        window.statusBar().geometry().top(),
        window.navigator.filter_edit.mapTo(window, window.rect().topLeft()).y(),
    )
    window.close()
    app.setStyleSheet("")
    assert after == before
