"""One export in progress: the read session, the selection, progress, cancel and the counts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from db.exporting.selection import BATCH_ARTICLES, Batch, Record, Selection
from db.exporting.summary import ExportCancelled, ExportSummary
from db.project import Project

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class ExportRun:
    """Walks the selection batch by batch, reports progress, stops when asked, counts what went out."""

    def __init__(
        self,
        project: Project,
        session: Session,
        selection: Selection,
        *,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        batch_size: int = BATCH_ARTICLES,
    ) -> None:
        self.project = project
        self.session = session
        self.selection = selection
        self.progress = progress
        self.cancel = cancel
        self.batch_size = batch_size
        self.total = selection.count_articles()
        self.done = 0
        self.records = 0
        self.articles = 0
        self.spans = 0
        self.link_ids: set[int] = set()
        self.misaligned = 0
        self.skipped = 0
        #: store tokens computed for this export in the project's token cache
        self.cache_tokens = True

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise ExportCancelled("The export was cancelled; no file was written.")

    def batches(self) -> Iterator[Batch]:
        if self.progress is not None:
            self.progress(0, self.total)
        for batch in self.selection.batches(self.batch_size):
            yield batch
            self.done += len(batch.articles)
            if self.progress is not None:
                self.progress(self.done, self.total)

    def records_of(self, batch: Batch) -> Iterator[Record]:
        """The batch's records, checking for cancel before each and counting articles and spans."""
        last_article = None
        for record in batch.records:
            self.check_cancel()
            yield record
            self.records += 1
            self.spans += len(record.spans)
            if record.article.id != last_article:
                self.articles += 1
                last_article = record.article.id

    def summary(self, fmt: str, path: Path, extra: tuple[Path, ...] = ()) -> ExportSummary:
        return ExportSummary(
            format=fmt,
            path=path,
            records=self.records,
            articles=self.articles,
            spans=self.spans,
            links=len(self.link_ids),
            misaligned_spans=self.misaligned,
            skipped_spans=self.skipped,
            extra_paths=extra,
        )
