"""The claims matrix window: one row per claim, one column per outlet, kept current as links change."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QUndoStack
from PySide6.QtWidgets import QApplication

from db.spans import spans_for_article
from desktop.claims_matrix_model import CELLS_ROLE, ROW_ROLE, ClaimsMatrixModel
from desktop.claims_matrix_view import ClaimsMatrixView
from desktop.project_events import ProjectEvents
from desktop.undo_commands import AddLinkCommand, push_command
from tests.test_claims import DEMO_STORY, load_demo

OUTLETS = ["Civic Wire", "Coastline Monitor", "Kestria Today", "Northgate Ledger", "The Halvik Islander"]


@pytest.fixture
def matrix(qtbot, project):  # type: ignore[no-untyped-def]
    ids = load_demo(project)
    events = ProjectEvents()
    view = ClaimsMatrixView(project, events)
    qtbot.addWidget(view)
    view.resize(1400, 700)
    view.set_story(DEMO_STORY, set(ids.values()))
    view.show()
    return view, events, ids


def _filled(model, row):  # type: ignore[no-untyped-def]
    return [
        model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(1, 6)
        if model.index(row, c).data(CELLS_ROLE)
    ]


def _row_with(model, words):  # type: ignore[no-untyped-def]
    return next(r for r in range(model.rowCount()) if words in model.index(r, 0).data())


def test_demo_story_has_one_row_per_claim_and_one_column_per_outlet(matrix):  # type: ignore[no-untyped-def]
    view, _events, _ids = matrix
    model = view.model
    assert model.rowCount() == 20
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "Claim",
        *OUTLETS,
        "Outlets",
    ]
    # The most widely carried claim first: the minister's concern, in three outlets.
    assert "serious concerns about any support" in model.index(0, 0).data()
    assert _filled(model, 0) == ["Civic Wire", "Northgate Ledger", "The Halvik Islander"]
    assert model.index(0, 6).data() == 3
    civic = model.index(0, 1)
    assert civic.data(CELLS_ROLE)[0].attribution_text.startswith("Foreign Minister Teodor Anselm")
    tip = civic.data(Qt.ItemDataRole.ToolTipRole)
    assert "Claim" in tip and "2023-11-09" in tip and "Foreign Minister Teodor Anselm" in tip
    # The "reckless" claim: Civic Wire and the Halvik Islander.
    reckless = _row_with(model, "a reckless act")
    assert _filled(model, reckless) == ["Civic Wire", "The Halvik Islander"]
    assert "20 claims" in view.summary.text() and "4 contradicted" in view.summary.text()


def test_contradicted_rows_are_marked_and_name_each_other(matrix):  # type: ignore[no-untyped-def]
    view, _events, _ids = matrix
    model = view.model
    talks = _row_with(model, "Dovrenia was withdrawing")
    other = _row_with(model, "have not been cancelled")
    index = model.index(talks, 0)
    assert isinstance(index.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert f"by row {other + 1}" in index.data(Qt.ItemDataRole.ToolTipRole)
    plain = _row_with(model, "Dovrenia had little choice")
    assert model.index(plain, 0).data(Qt.ItemDataRole.DecorationRole) is None


def test_sort_by_first_appearance(matrix):  # type: ignore[no-untyped-def]
    view, _events, _ids = matrix
    view.set_sort("first")
    rows = [view.model.index(r, 0).data(ROW_ROLE) for r in range(view.model.rowCount())]
    dates = [r.cluster.first_date for r in rows]
    assert dates == sorted(dates) and view.model.matrix.sort == "first"
    view.set_sort("outlets")
    counts = [view.model.index(r, 6).data() for r in range(view.model.rowCount())]
    assert counts == sorted(counts, reverse=True)


def test_clicking_a_cell_opens_its_span(qtbot, matrix):  # type: ignore[no-untyped-def]
    view, _events, ids = matrix
    index = view.model.index(0, 4)  # Northgate Ledger's wording of the top claim
    cell = index.data(CELLS_ROLE)[0]
    with qtbot.waitSignal(view.spanActivated) as blocker:
        qtbot.mouseClick(
            view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center()
        )
    assert blocker.args == [ids["02-northgate-ledger.txt"], cell.span_id]
    # An empty cell opens nothing.
    with qtbot.assertNotEmitted(view.spanActivated):
        view.table.clicked.emit(view.model.index(0, 2))


def test_a_new_same_claim_link_joins_rows_and_undo_splits_them(matrix):  # type: ignore[no-untyped-def]
    view, events, ids = matrix
    project = view.project
    civic = next(
        s for s in spans_for_article(project, ids["01-civic-wire.txt"]) if s.text.startswith("a reckless act")
    )
    coast = next(
        s
        for s in spans_for_article(project, ids["03-coastline-monitor.txt"])
        if s.text.startswith("the launch was reckless")
    )
    stack = QUndoStack()
    assert push_command(stack, AddLinkCommand(project, events, civic, coast, "SAME_CLAIM", "alice"))
    model = view.model
    assert model.rowCount() == 19
    reckless = _row_with(model, "a reckless act")
    assert _filled(model, reckless) == ["Civic Wire", "Coastline Monitor", "The Halvik Islander"]
    stack.undo()
    assert model.rowCount() == 20
    assert _filled(model, _row_with(model, "a reckless act")) == ["Civic Wire", "The Halvik Islander"]


def test_slow_recompute_runs_in_the_background(qtbot, matrix):  # type: ignore[no-untyped-def]
    view, events, ids = matrix
    view.last_duration = 1.0  # as if the last pass had been slow
    with qtbot.waitSignal(view.model.modelReset, timeout=10_000):
        events.links_changed([ids["01-civic-wire.txt"]])
        assert view.summary.text() == "Updating…"
    assert view.model.rowCount() == 20
    assert view.last_duration < 1.0
    # Links of other stories leave the matrix alone.
    with qtbot.assertNotEmitted(view.model.modelReset):
        events.links_changed([10_000])


def test_export_csv(tmp_path, matrix):  # type: ignore[no-untyped-def]
    view, _events, _ids = matrix
    target = tmp_path / "claims.csv"
    assert view.export_csv(str(target)) == target
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["row", "claim", *OUTLETS, "outlets", "contradicted"]
    assert len(rows) == 21


def test_export_asks_for_a_file(tmp_path, monkeypatch, matrix):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    view, _events, _ids = matrix
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "out"), "CSV (*.csv)")
    )
    assert view.export_csv() == tmp_path / "out.csv"
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").startswith("row,claim")


def test_matrix_model_passes_the_model_tester(qtmodeltester, matrix):  # type: ignore[no-untyped-def]
    view, _events, _ids = matrix
    model = ClaimsMatrixModel()
    model.set_matrix(view.model.matrix)
    qtmodeltester.check(model)
    model.set_matrix(None)
    assert model.rowCount() == 0 and model.columnCount() == 0


def cell_start(project, cell):  # type: ignore[no-untyped-def]
    from db.spans import get_span

    return get_span(project, cell.span_id).start


def test_view_menu_and_story_follow_the_reader(qtbot, tmp_path, monkeypatch, project):  # type: ignore[no-untyped-def]
    from desktop.main_window import MainWindow
    from desktop.settings import SETTINGS_DIR_ENV, Settings

    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings"))
    ids = load_demo(project)
    win = MainWindow(Settings(), "alice")
    qtbot.addWidget(win)
    win.set_project(project)
    win.show()
    try:
        view_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&View")
        texts = [a.text() for a in view_menu.actions()]
        assert "&Compare articles…" in texts and "Claims matrix" in texts
        win.show_article(ids["02-northgate-ledger.txt"])
        win.matrix_dock.show()
        matrix = win.matrix_dock.widget()
        assert matrix.story == DEMO_STORY and matrix.model.rowCount() == 20
        # A click on a cell opens its article at the span in the reader.
        index = matrix.model.index(0, 1)
        cell = index.data(CELLS_ROLE)[0]
        matrix.table.clicked.emit(index)
        assert win.reader.article.id == ids["01-civic-wire.txt"]
        # The demo's spans are another layer than alice's: shown as the selected passage.
        assert win.reader.view.raw_selection() == (
            cell_start(project, cell),
            cell_start(project, cell) + len(cell.text),
        )
        assert "demo's layer" in win.statusBar().currentMessage()
        win.set_visible_layers(["alice", "demo"])
        matrix.table.clicked.emit(index)
        assert win.reader.view.selected_span_id() == cell.span_id
        compare = win.compare_action
        compare.trigger()
        assert win.compare_windows and win.compare_windows[-1].article_ids()[0] == ids["01-civic-wire.txt"]
        win.compare_windows[-1].close()
        # Another project: the docks are rebuilt, and edits there reach only the new ones.
        from db.project import open_project

        other = open_project(tmp_path / "other.newsmark")
        load_demo(other)
        win.set_project(other)
        QApplication.processEvents()  # the old docks' widgets are deleted
        win.show_article(1)
        win.events.links_changed([1])
        win.events.spansChanged.emit(1)
        assert win.matrix_dock.widget().project is other
    finally:
        win.runner.cancel_all()
        if win.project is not None and win.project is not project:
            win.project.close()
        win.project = None
