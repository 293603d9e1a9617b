"""AgreementPanel: Review ▸ Agreement…: how far two annotators agree, per label and overall.

Pick two layers and a grouping (project, outlet, article); ``db.agreement.agreement`` runs in a
background job. The panel shows, for the chosen group: span F1 exact and overlap, Cohen's kappa and
Krippendorff's alpha (nominal, tokens as units, as ``docs/agreement.md`` explains) per label and
for all labels, link F1 per link type, a bar chart of the per-label figures and, when grouped, one
row per outlet or article. Tables are ``AgreementTableModel``s.

Signals: ``computed(object report)`` when a job's report is shown.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.agreement import Agreement, AgreementReport, agreement
from db.annotators import list_annotators
from db.labels import list_labels, list_link_types
from db.project import Project
from desktop.agreement_chart import AgreementChart
from desktop.jobs import Job, JobRunner

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()
ALL = "All labels"
METHOD = (
    "<b>Span F1</b> — <i>exact</i>: same start, end and label; <i>overlap</i>: one-to-one pairs of "
    "overlapping spans with the same label. A is the reference (precision and recall swap with B; F1 "
    "does not). <b>κ</b> Cohen's kappa and <b>α</b> Krippendorff's alpha (<i>nominal, two coders, "
    "spaCy tokens as units</i>; not unitizing u-alpha) label each token with the shortest span over "
    "it, on the articles both annotated. Per label: that label against everything else. "
    "<b>Link F1</b>: same type, both ends the same spans. “—”: nothing to count."
)


def fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


class AgreementTableModel(QAbstractTableModel):
    """One table of the panel: ``"labels"`` (per label and all labels), ``"links"`` (per link
    type and all links) or ``"groups"`` (per outlet or article, overall figures)."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "labels": ("Label", "Spans A", "Spans B", "F1 exact", "F1 overlap", "κ (Cohen)", "α (Kripp.)"),
        "links": ("Link type", "Links A", "Links B", "Matched", "Precision", "Recall", "F1"),
        "groups": ("Group", "Articles", "F1 exact", "F1 overlap", "κ (Cohen)", "α (Kripp.)", "Link F1"),
    }

    def __init__(self, kind: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._rows: list[tuple[Any, ...]] = []
        self._names: dict[str, str] = {}

    def set_rows(self, rows: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_values(self, row: int) -> tuple[Any, ...]:
        return self._rows[row]

    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self.HEADERS[self.kind])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.HEADERS[self.kind]
            return headers[section] if 0 <= section < len(headers) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        values = self._rows[index.row()]
        col = index.column()
        if not 0 <= col < len(values):
            return None
        value = values[col]
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, float) or (value is None and col > 0):
                return fmt(value)
            return str(value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and str(values[0]).startswith("All"):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and value is None and col > 0:
            return QColor(128, 128, 128)
        return None


def label_rows(group: Agreement, names: dict[str, str]) -> list[tuple[Any, ...]]:
    rows = []
    for key, sc in group.labels.items():
        tok = group.label_tokens.get(key)
        rows.append(
            (
                names.get(key, key),
                sc.n_a,
                sc.n_b,
                sc.exact_f1,
                sc.overlap_f1,
                tok.kappa if tok else None,
                tok.alpha if tok else None,
            )
        )
    sc = group.spans
    rows.append((ALL, sc.n_a, sc.n_b, sc.exact_f1, sc.overlap_f1, group.tokens.kappa, group.tokens.alpha))
    return rows


def link_rows(group: Agreement, names: dict[str, str]) -> list[tuple[Any, ...]]:
    rows = [
        (names.get(key, key), sc.n_a, sc.n_b, sc.matched, sc.precision, sc.recall, sc.f1)
        for key, sc in group.link_types.items()
    ]
    sc = group.links
    rows.append(("All links", sc.n_a, sc.n_b, sc.matched, sc.precision, sc.recall, sc.f1))
    return rows


def group_rows(report: AgreementReport) -> list[tuple[Any, ...]]:
    def row(name: str, g: Agreement) -> tuple[Any, ...]:
        return (
            name,
            g.articles,
            g.spans.exact_f1,
            g.spans.overlap_f1,
            g.tokens.kappa,
            g.tokens.alpha,
            g.links.f1,
        )

    return [row(g.key, g) for g in report.groups] + [row("All (project)", report.total)]


class AgreementPanel(QDialog):
    """See the module docstring. A modeless window; ``compute()`` starts the job."""

    computed = Signal(object)

    def __init__(
        self,
        project: Project,
        runner: JobRunner,
        parent: QWidget | None = None,
        *,
        pair: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agreement")
        self.setObjectName("agreementPanel")
        self.resize(1160, 760)
        self.project = project
        self.runner = runner
        self.report: AgreementReport | None = None
        self.job: Job | None = None
        self._pending = False
        self._names = {lb.key: lb.name for lb in list_labels(project)}
        self._link_names = {lt.key: lt.name for lt in list_link_types(project)}

        people = list_annotators(project)
        self.a_box = QComboBox(self)
        self.a_box.setObjectName("agreementA")
        self.b_box = QComboBox(self)
        self.b_box.setObjectName("agreementB")
        self.a_box.addItems(people)
        self.b_box.addItems(people)
        if pair is not None and pair[0] in people and pair[1] in people:
            self.a_box.setCurrentText(pair[0])
            self.b_box.setCurrentText(pair[1])
        elif len(people) > 1:
            self.b_box.setCurrentIndex(1)
        self.by_box = QComboBox(self)
        self.by_box.setObjectName("agreementBy")
        for text, key in (("Whole project", "project"), ("Per outlet", "outlet"), ("Per article", "article")):
            self.by_box.addItem(text, key)
        self.status = QLabel(self)
        self.status.setObjectName("agreementStatus")
        self.status.setStyleSheet("color: gray;")
        self.headline = QLabel(self)
        self.headline.setObjectName("agreementHeadline")
        self.headline.setTextFormat(Qt.TextFormat.RichText)

        self.chart = AgreementChart(self)
        self.labels_model = AgreementTableModel("labels", self)
        self.links_model = AgreementTableModel("links", self)
        self.groups_model = AgreementTableModel("groups", self)
        self.labels_table = _table(self.labels_model, self)
        self.labels_table.setObjectName("agreementLabels")
        self.links_table = _table(self.links_model, self)
        self.links_table.setObjectName("agreementLinks")
        self.groups_table = _table(self.groups_model, self)
        self.groups_table.setObjectName("agreementGroups")
        self.groups_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.groups_table.horizontalHeader().resizeSection(0, 150)
        self.groups_table.horizontalHeader().setStretchLastSection(True)
        self.groups_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_group(cur.row())
        )
        method = QLabel(METHOD, self)
        method.setObjectName("agreementMethod")
        method.setWordWrap(True)
        method.setTextFormat(Qt.TextFormat.RichText)
        method.setStyleSheet("color: palette(text); font-size: 11px;")

        top = QHBoxLayout()
        for text, widget in (("A (reference)", self.a_box), ("B", self.b_box), ("Group", self.by_box)):
            top.addWidget(QLabel(text, self))
            top.addWidget(widget)
            top.addSpacing(10)
        top.addStretch(1)
        top.addWidget(self.status)

        lower = QWidget(self)
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        left.addWidget(_caption("Spans per label", self))
        left.addWidget(self.labels_table, 3)
        left.addWidget(_caption("Links per type", self))
        left.addWidget(self.links_table, 2)
        lower_layout.addLayout(left, 1)
        self.groups_box = QWidget(self)
        gl = QVBoxLayout(self.groups_box)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.addWidget(_caption("Per group (choose one to see its figures)", self))
        gl.addWidget(self.groups_table)
        lower_layout.addWidget(self.groups_box, 1)
        self.groups_box.hide()

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.chart)
        split.addWidget(lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.headline)
        layout.addWidget(split, 1)
        layout.addWidget(method)

        for box in (self.a_box, self.b_box, self.by_box):
            box.currentIndexChanged.connect(lambda _i: self.compute())
        self.compute()

    # -- computing -----------------------------------------------------------------------------
    def compute(self) -> Job | None:
        a, b = self.a_box.currentText(), self.b_box.currentText()
        by = str(self.by_box.currentData())
        if not a or not b or a == b:
            self.status.setText("Choose two different annotators.")
            return None
        if self.job is not None:
            self._pending = True  # recompute with the new choice once this job reports
            return self.job
        self.status.setText(f"Computing agreement of {a} and {b}…")

        def work(project: Project, _job: Job) -> AgreementReport:
            return agreement(project, a, b, by=by)

        self.job = self.runner.start(
            self.project, work, "Agreement", finished=self._done, failed=self._failed
        )
        return self.job

    def _after_job(self) -> bool:
        self.job = None
        if self._pending:
            self._pending = False
            self.compute()
            return True
        return False

    def _failed(self, message: str) -> None:
        if not self._after_job():
            self.status.setText(message)

    def _done(self, report: AgreementReport) -> None:
        if self._after_job():
            return
        self.report = report
        self.status.setText(
            f"{report.total.articles} articles · token measures on {report.total.token_articles} both annotated"
        )
        self.groups_box.setVisible(report.by != "project")
        self.groups_model.set_rows(group_rows(report) if report.by != "project" else [])
        self._show_group(-1)
        self.computed.emit(report)

    def group(self, row: int) -> Agreement | None:
        if self.report is None:
            return None
        groups = self.report.groups
        return groups[row] if 0 <= row < len(groups) else self.report.total

    def _show_group(self, row: int) -> None:
        group = self.group(row)
        if group is None or self.report is None:
            return
        a, b = self.report.annotator_a, self.report.annotator_b
        where = "the whole project" if group is self.report.total else group.key
        self.headline.setText(
            f"<span style='font-size:15px'><b>{a}</b> vs <b>{b}</b> — {where}:</span> "
            f"F1 exact <b>{fmt(group.spans.exact_f1)}</b> · overlap <b>{fmt(group.spans.overlap_f1)}</b> · "
            f"κ <b>{fmt(group.tokens.kappa)}</b> · α <b>{fmt(group.tokens.alpha)}</b> · "
            f"link F1 <b>{fmt(group.links.f1)}</b>"
        )
        rows = label_rows(group, self._names)
        self.labels_model.set_rows(rows)
        self.links_model.set_rows(link_rows(group, self._link_names))
        self.chart.set_data(
            [r[0] for r in rows],
            ["F1 exact", "F1 overlap", "Cohen's κ", "Krippendorff's α"],
            [[r[3], r[4], r[5], r[6]] for r in rows],
        )

    def closeEvent(self, event: Any) -> None:
        if self.job is not None:
            self.job.cancel()
        super().closeEvent(event)


def _table(model: QAbstractTableModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet("font-weight: 600; margin-top: 4px;")
    return label
