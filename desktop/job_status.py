"""The status-bar strip that shows a background job: what it does, a progress bar, Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from desktop.icons import icon
from desktop.jobs import Job


class JobStatus(QWidget):
    """Hidden when idle. ``track(job, text)`` shows it until the job reports."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobStatus")
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(160)
        self.bar.setFixedHeight(14)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setToolTip("Cancel")
        self.cancel_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._job: Job | None = None
        self.cancel_button.clicked.connect(self._cancel)
        self.hide()

    def track(self, job: Job, text: str) -> None:
        self._job = job
        self.label.setText(text)
        self.bar.setRange(0, 0)  # busy until the first progress report
        job.signals.progress.connect(self._progress)
        for signal in (job.signals.finished, job.signals.failed, job.signals.cancelled):
            signal.connect(self._done)
        self.show()

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if message:
            self.label.setText(message if len(message) < 60 else "…" + message[-58:])

    def _done(self, *_args: object) -> None:
        self._job = None
        self.hide()

    def _cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.label.setText("Cancelling…")
