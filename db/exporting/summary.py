"""What an export wrote, and the errors an export can raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from db.errors import NewsmarkError


class ExportCancelled(NewsmarkError):
    """The user stopped the export; no output file was written and an existing one is untouched."""


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """Counts of what went into the file(s).

    ``records`` is the number of article-layer units written (JSONL lines, Docs, tasks or
    annotations, CSV rows); ``misaligned_spans`` the spans whose ends do not fall on token
    boundaries (they carry the tokens they cover, or were widened to them in ``.spacy``);
    ``skipped_spans`` spans a format could not hold (a ``.spacy`` span that covers no token).
    """

    format: str
    path: Path
    records: int
    articles: int
    spans: int
    links: int
    misaligned_spans: int = 0
    skipped_spans: int = 0
    extra_paths: tuple[Path, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        paths = ", ".join(str(p) for p in (self.path, *self.extra_paths))
        text = (
            f"Exported {_n(self.articles, 'article')} ({_n(self.records, 'record')}), "
            f"{_n(self.spans, 'span')} and {_n(self.links, 'link')} as {self.format} to {paths}."
        )
        if self.misaligned_spans:
            text += f" {_n(self.misaligned_spans, 'span')} do not fall on token boundaries (exported with the whole tokens they cover)."
        if self.skipped_spans:
            text += f" {_n(self.skipped_spans, 'span')} cover no token and were left out."
        return text


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
