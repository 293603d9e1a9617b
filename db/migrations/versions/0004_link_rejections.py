"""link suggestions an analyst rejected

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

A rejected link suggestion is a pair of passages (article + code-point offsets on each side) that
the suggester must not offer again. The passages need not be spans, so they get their own table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "link_rejections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_article_id", sa.Integer(), nullable=False),
        sa.Column("source_start", sa.Integer(), nullable=False),
        sa.Column("source_end", sa.Integer(), nullable=False),
        sa.Column("target_article_id", sa.Integer(), nullable=False),
        sa.Column("target_start", sa.Integer(), nullable=False),
        sa.Column("target_end", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "source_start >= 0 AND source_start < source_end AND target_start >= 0 AND target_start < target_end",
            name=op.f("ck_link_rejections_offsets"),
        ),
        sa.ForeignKeyConstraint(
            ["source_article_id"],
            ["articles.id"],
            name=op.f("fk_link_rejections_source_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_article_id"],
            ["articles.id"],
            name=op.f("fk_link_rejections_target_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotators.id"],
            name=op.f("fk_link_rejections_annotator_id_annotators"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_rejections")),
    )
    op.create_index(
        "ix_link_rejections_source_target", "link_rejections", ["source_article_id", "target_article_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_link_rejections_source_target", table_name="link_rejections")
    op.drop_table("link_rejections")
