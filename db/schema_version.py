"""What identifies a Newsmark project file and which schema this version writes.

Kept apart from ``db.project`` (which re-exports these names) so that code on the startup path,
``db.quickread``, can check a file without importing SQLAlchemy. Standard library only.
"""

from __future__ import annotations

#: SQLite ``PRAGMA application_id`` of a Newsmark project ("NSMK").
APPLICATION_ID = 0x4E534D4B
#: Schema revisions in order; the last one is what this version writes.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
SCHEMA_HEAD = REVISIONS[-1]
PROJECT_SUFFIX = ".newsmark"
