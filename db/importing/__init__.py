"""Importing articles and annotations: .txt, .html, our JSONL, doccano and Label Studio.

Every parser turns a file into ``ParsedArticle`` records; ``store`` writes one file's records in
one transaction (all or nothing per file). ``import_paths`` is the entry point for the CLI and GUI.
"""

from __future__ import annotations

from db.importing.parsed import ParsedArticle, ParsedLink, ParsedSpan
from db.importing.run import FORMATS, import_paths
from db.importing.summary import FileSummary, ImportIssue, ImportSummary

__all__ = [
    "FORMATS",
    "FileSummary",
    "ImportIssue",
    "ImportSummary",
    "ParsedArticle",
    "ParsedLink",
    "ParsedSpan",
    "import_paths",
]
