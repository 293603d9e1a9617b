"""articles marked reviewed

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_reviews_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["annotators.id"],
            name=op.f("fk_article_reviews_reviewer_id_annotators"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_reviews")),
        sa.UniqueConstraint("article_id", "reviewer_id", name="uq_article_reviews_article_reviewer"),
    )
    with op.batch_alter_table("article_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_reviews_article_id"), ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_reviews_article_id"))
    op.drop_table("article_reviews")
