"""articles: the length column before the text

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

The trigger that keeps every span inside its article reads ``articles.n_chars`` on each span
insert or move. In SQLite a column stored after a long text value is reached only by walking the
text's overflow pages, so the check cost grew with the article. Rebuilding the table with
``n_chars`` ahead of ``text`` makes the check read one page. PostgreSQL keeps long text out of line
already, so there is nothing to do there.
"""

from collections.abc import Sequence

from alembic import op

from db.migrations.triggers import create_span_end_triggers, drop_span_end_triggers

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER = (
    "id",
    "uid",
    "sha256",
    "n_chars",
    "title",
    "outlet_id",
    "story_id",
    "author",
    "published",
    "url",
    "source_file",
    "imported_at",
    "text",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # The span triggers name the table; SQLite refuses the rename under them, so they step aside.
    drop_span_end_triggers()
    with op.batch_alter_table("articles", recreate="always", partial_reordering=[ORDER]) as batch_op:
        batch_op.alter_column("n_chars", existing_nullable=False)
    create_span_end_triggers()


def downgrade() -> None:
    pass
