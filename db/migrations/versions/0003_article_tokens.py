"""token boundaries cached per article (for exports)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Article text never changes after import, so its spaCy tokens never change either (for one
tokenizer version). The exporters keep them here: the token boundaries as a compact array and the
Prodigy ``tokens`` list already serialised, so that an export does not re-tokenize every article.
Rows are a cache: deleting them loses nothing, the next export recomputes them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_tokens",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("tokenizer", sa.String(length=64), nullable=False),
        sa.Column("n_tokens", sa.Integer(), nullable=False),
        sa.Column("bounds", sa.LargeBinary(), nullable=False),
        sa.Column("tokens_json", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("n_tokens >= 0", name=op.f("ck_article_tokens_n_tokens_nonneg")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_tokens_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_tokens")),
    )


def downgrade() -> None:
    op.drop_table("article_tokens")
