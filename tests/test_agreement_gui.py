"""The agreement panel shows the figures db.agreement computes, per label, per link type, per group."""

from __future__ import annotations

import pytest

from db.agreement import agreement
from db.articles import add_article
from db.links import add_link
from db.project import Project
from db.spans import add_span
from desktop.agreement_panel import ALL, AgreementPanel, AgreementTableModel, fmt
from desktop.jobs import JobRunner

TEXT_1 = "Minister Ana Ruiz said the strait is safe. Analysts warned of a build-up. Trade fell nine percent."
TEXT_2 = "The navy said two ships left port. Experts doubt the figures. Fishing resumed on Monday."


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def example(project: Project) -> Project:
    """Two outlets; alice and bob agree on some spans, differ on others, share one link of two."""
    with project.write() as s:
        one, _ = add_article(s, TEXT_1, title="Strait", outlet="Daily")
        two, _ = add_article(s, TEXT_2, title="Navy", outlet="Weekly")
        a1, a2 = one.id, two.id
    span = {}
    for who in ("alice", "bob"):
        span[who, "said"] = add_span(project, a1, *at(TEXT_1, "Minister Ana Ruiz said"), "ATTRIBUTION", who)
        span[who, "safe"] = add_span(project, a1, *at(TEXT_1, "the strait is safe"), "CLAIM", who)
    add_span(project, a1, *at(TEXT_1, "Trade fell nine percent"), "FACT", "alice")
    add_span(project, a1, *at(TEXT_1, "Trade fell nine percent"), "CLAIM", "bob")
    add_span(project, a2, *at(TEXT_2, "two ships left port"), "FACT", "alice")
    add_span(project, a2, *at(TEXT_2, "ships left port"), "FACT", "bob")
    add_span(project, a2, *at(TEXT_2, "Experts doubt the figures"), "EXPERT_OPINION", "alice")
    for who in ("alice", "bob"):
        add_link(project, span[who, "said"].id, span[who, "safe"].id, "SOURCE_OF", who)
    add_link(project, span["alice", "safe"].id, span["alice", "said"].id, "SUPPORTS", "alice")
    return project


@pytest.fixture
def panel(qtbot, example):  # type: ignore[no-untyped-def]
    runner = JobRunner()
    widget = AgreementPanel(example, runner)
    qtbot.addWidget(widget)
    widget.a_box.setCurrentText("alice")
    widget.b_box.setCurrentText("bob")
    qtbot.waitUntil(lambda: widget.job is None and widget.report is not None, timeout=20_000)
    yield widget
    runner.cancel_all()


def table(model: AgreementTableModel) -> dict[str, list[str]]:
    return {
        model.index(r, 0).data(): [model.index(r, c).data() for c in range(1, model.columnCount())]
        for r in range(model.rowCount())
    }


def test_the_panel_shows_what_the_db_computes(panel, example) -> None:  # type: ignore[no-untyped-def]
    expected = agreement(example, "alice", "bob")
    total = expected.total
    rows = table(panel.labels_model)
    assert rows[ALL] == [
        str(total.spans.n_a),
        str(total.spans.n_b),
        fmt(total.spans.exact_f1),
        fmt(total.spans.overlap_f1),
        fmt(total.tokens.kappa),
        fmt(total.tokens.alpha),
    ]
    # Hand-checked: alice has 5 spans, bob 4; 2 exact matches, 3 overlapping same-label pairs.
    assert rows[ALL][:4] == ["5", "4", fmt(4 / 9), fmt(6 / 9)]
    claim = rows["Claim"]
    assert claim[:4] == ["1", "2", fmt(2 / 3), fmt(2 / 3)]
    assert claim[4] == fmt(total.label_tokens["CLAIM"].kappa)
    assert rows["Expert opinion"][:4] == ["1", "0", fmt(0.0), fmt(0.0)]
    links = table(panel.links_model)
    assert links["Source of"] == ["1", "1", "1", fmt(1.0), fmt(1.0), fmt(1.0)]
    assert links["Supports"][:3] == ["1", "0", "0"]
    assert links["Supports"][3] == "—"  # precision with nothing on B's side
    assert "F1 exact <b>0.444</b>" in panel.headline.text()


def test_the_chart_draws_one_bar_per_label_and_measure(panel) -> None:  # type: ignore[no-untyped-def]
    chart = panel.chart
    assert chart.groups[-1] == ALL
    assert chart.series == ["F1 exact", "F1 overlap", "Cohen's κ", "Krippendorff's α"]
    chart.resize(700, 300)
    rects = chart.bar_rects()
    assert len(rects) == len(chart.groups)
    exact_all = rects[-1][0]
    overlap_all = rects[-1][1]
    assert exact_all is not None and overlap_all is not None
    assert overlap_all.height() > exact_all.height()  # 0.667 against 0.444
    chart.grab()  # paints without trouble


def test_grouping_by_outlet_lists_each_outlet_and_shows_the_chosen_one(qtbot, panel, example) -> None:  # type: ignore[no-untyped-def]
    panel.by_box.setCurrentIndex(panel.by_box.findData("outlet"))
    qtbot.waitUntil(lambda: panel.job is None and panel.report.by == "outlet", timeout=20_000)
    assert panel.groups_box.isVisibleTo(panel)
    groups = table(panel.groups_model)
    assert list(groups) == ["Daily", "Weekly", "All (project)"]
    daily = agreement(example, "alice", "bob", by="outlet").groups[0]
    assert groups["Daily"][:3] == ["1", fmt(daily.spans.exact_f1), fmt(daily.spans.overlap_f1)]
    panel.groups_table.selectRow(1)
    assert "Weekly" in panel.headline.text()
    assert table(panel.labels_model)[ALL][:2] == ["2", "1"]


def test_same_annotator_twice_asks_for_two(qtbot, panel) -> None:  # type: ignore[no-untyped-def]
    panel.b_box.setCurrentText("alice")
    assert "two different" in panel.status.text()


def test_tables_pass_the_model_tester(qtmodeltester, panel) -> None:  # type: ignore[no-untyped-def]
    for model in (panel.labels_model, panel.links_model, panel.groups_model):
        qtmodeltester.check(model)
