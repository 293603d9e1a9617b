"""What an import did, per file and in total."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """One file that could not be imported (nothing of it was stored)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass(slots=True)
class FileSummary:
    path: str
    format: str = ""
    articles_added: int = 0
    articles_present: int = 0
    spans_added: int = 0
    spans_skipped: int = 0
    links_added: int = 0
    links_skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    link_types_added: list[str] = field(default_factory=list)
    error: ImportIssue | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class ImportSummary:
    files: list[FileSummary] = field(default_factory=list)
    cancelled: bool = False
    backup: str | None = None

    @property
    def errors(self) -> list[ImportIssue]:
        return [f.error for f in self.files if f.error is not None]

    def _total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def articles_added(self) -> int:
        return self._total("articles_added")

    @property
    def articles_present(self) -> int:
        return self._total("articles_present")

    @property
    def spans_added(self) -> int:
        return self._total("spans_added")

    @property
    def spans_skipped(self) -> int:
        return self._total("spans_skipped")

    @property
    def links_added(self) -> int:
        return self._total("links_added")

    @property
    def labels_added(self) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.files:
            seen.update(dict.fromkeys(f.labels_added))
        return list(seen)
