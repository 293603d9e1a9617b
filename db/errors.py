"""Errors a user can act on. Each message is one clear sentence; the CLI prints it and exits 1."""

from __future__ import annotations


class NewsmarkError(Exception):
    """Base class for errors shown to the user as they are."""


class NotAProjectError(NewsmarkError):
    """The file or database is not a Newsmark project; it was left untouched."""


class NewerVersionError(NewsmarkError):
    """The project was written by a newer Newsmark; it was left untouched."""


class InvalidSpanError(NewsmarkError):
    """Span offsets or text do not fit the article."""


class NotFoundError(NewsmarkError):
    """An article, span, link, label or annotator that does not exist."""


class ImportFormatError(NewsmarkError):
    """A file that cannot be imported; names the file and, where there is one, the line."""

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")
