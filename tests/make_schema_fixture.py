"""Writes tests/data/schema_0001.newsmark: a project as the first schema (revision 0001) made it.

Run once when the fixture is lost; the committed file is what the migration test opens.
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

out = ROOT / "tests" / "data" / "schema_0001.newsmark"
out.unlink(missing_ok=True)
engine = sa.create_engine(f"sqlite:///{out}")
with engine.begin() as conn:
    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "db" / "migrations"))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "0001")
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
conn.commit()
conn.execute("PRAGMA journal_mode = DELETE")
conn.close()
print(out)
