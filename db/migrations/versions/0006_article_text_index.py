"""a trigram full-text index of article texts, filled in the background

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

The navigator filter and corpus search look for a phrase anywhere in article texts; without an
index each filter read every text. This adds an FTS5 table (trigram tokenizer, so that any
substring of three or more characters can be looked up), the mark of how far it is filled, and
the triggers that keep it right when articles are deleted (see ``db.text_index``). The index starts
empty: the app fills it in the background (``db.text_index.catch_up``), and until then queries read
the texts as before. PostgreSQL projects, and SQLite builds without FTS5's trigram tokenizer, get
nothing and keep scanning.
"""

from collections.abc import Sequence

from alembic import op

from db.text_index import DROP, TABLES, TRIGGERS, sqlite_supports_index

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite" or not sqlite_supports_index():
        return
    for statement in (*TABLES, *TRIGGERS):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in DROP:
        op.execute(statement)
