"""Writes tests/data/schema_REV.newsmark: a project as schema revision REV made it.

Usage: python tests/make_schema_fixture.py 0001 [0002 ...]
Run once per revision when a new one is added (the committed files are what the migration tests
open), so every earlier schema keeps a fixture project.
"""

import sqlite3
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.project import APPLICATION_ID  # noqa: E402


def make(rev: str) -> Path:
    out = ROOT / "tests" / "data" / f"schema_{rev}.newsmark"
    out.unlink(missing_ok=True)
    _build(out, rev)
    return out


def _build(out: Path, rev: str) -> None:
    engine = sa.create_engine(f"sqlite:///{out}")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        cfg = Config()
        cfg.set_main_option("script_location", str(ROOT / "db" / "migrations"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, rev)
    engine.dispose()
    text = "Tuesday, the ministry said no ships were hit."
    conn = sqlite3.connect(out)
    conn.executescript(
        f"""
        INSERT INTO project_info VALUES ('format', 'newsmark'), ('created_with', '0.0.1');
        INSERT INTO labels (id, key, name, color, shortcut, definition, position) VALUES
          (1, 'CLAIM', 'Claim', '#e4572e', '1', '', 0), (2, 'ATTRIBUTION', 'Attribution', '#2e86de', '2', '', 1);
        INSERT INTO link_types (id, key, name, color, directed, definition, position) VALUES
          (1, 'SOURCE_OF', 'Source of', '#7f8c8d', 1, '', 0);
        INSERT INTO annotators (id, name, is_gold) VALUES (1, 'alice', 0);
        INSERT INTO outlets (id, name) VALUES (1, 'Harbor Times');
        INSERT INTO articles (id, uid, sha256, text, n_chars, title, outlet_id, imported_at)
          VALUES (1, 'abc123abc123', 'abc123abc123{"0" * 52}', '{text}', {len(text)}, 'Ships', 1, '2024-01-01 00:00:00');
        INSERT INTO spans (id, uid, article_id, annotator_id, label_id, start, "end", text, origin, status, created_at, updated_at)
          VALUES (1, 's-1', 1, 1, 2, 9, 26, 'the ministry said', 'manual', 'active', '2024-01-01', '2024-01-01'),
                 (2, 's-2', 1, 1, 1, 27, 44, 'no ships were hit', 'manual', 'active', '2024-01-01', '2024-01-01');
        INSERT INTO links (id, uid, source_span_id, target_span_id, type_id, annotator_id, created_at)
          VALUES (1, 'l-1', 1, 2, 1, 1, '2024-01-01');
        """
    )
    if rev >= "0002":
        conn.execute(
            "INSERT INTO article_reviews (article_id, reviewer_id, reviewed_at) VALUES (1, 1, '2024-01-02')"
        )
    if rev >= "0004":
        conn.execute(
            "INSERT INTO link_rejections (source_article_id, source_start, source_end, target_article_id, "
            "target_start, target_end, annotator_id, created_at) VALUES (1, 0, 7, 1, 27, 44, 1, '2024-01-03')"
        )
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


if __name__ == "__main__":
    for rev in sys.argv[1:] or ["0001"]:
        print(make(rev))
