"""Project files: creation, refusal of foreign files, migrations, invariants in the schema."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from db.articles import add_article
from db.errors import InvalidSpanError, NewerVersionError, NotAProjectError
from db.labels import list_labels, list_link_types
from db.project import REVISIONS, SCHEMA_HEAD, list_backups, open_project
from db.spans import add_span, spans_for_article


def _article(project, text="Officials said the strait stays open. 😀 Ends here."):
    with project.write() as s:
        article, _ = add_article(s, text, title="T", outlet="Harbor Times")
        return article.id


def test_new_project_is_seeded_with_the_four_labels_and_link_types(project):
    labels = list_labels(project)
    assert [label.key for label in labels] == ["CLAIM", "ATTRIBUTION", "EXPERT_OPINION", "FACT"]
    assert [label.shortcut for label in labels] == ["1", "2", "3", "4"]
    assert all(label.definition and label.color.startswith("#") for label in labels)
    assert [lt.key for lt in list_link_types(project)] == [
        "SAME_CLAIM",
        "CONTRADICTS",
        "SUPPORTS",
        "SOURCE_OF",
    ]


@pytest.mark.sqlite_only
def test_sqlite_pragmas_on_every_connection(project):
    with project.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_revision_list_matches_the_migration_scripts():
    cfg = Config()
    cfg.set_main_option("script_location", str(Path("db/migrations").resolve()))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_current_head() == SCHEMA_HEAD
    chain = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(chain) == REVISIONS


@pytest.mark.parametrize(
    ("start", "end", "why"),
    [
        (-1, 4, "before the text"),
        (5, 5, "end after it starts"),
        (9, 3, "end after it starts"),
        (0, 10_000, "characters"),
    ],
)
def test_bad_offsets_are_refused_with_a_clear_error(project, start, end, why):
    aid = _article(project)
    with pytest.raises(InvalidSpanError, match=why):
        add_span(project, aid, start, end, "CLAIM", "alice")
    assert spans_for_article(project, aid) == []


def test_the_database_itself_refuses_bad_offsets(project):
    aid = _article(project)
    insert = sa.text(
        'INSERT INTO spans (uid, article_id, annotator_id, label_id, start, "end", text, origin, status, '
        "created_at, updated_at) VALUES (:uid, :a, 1, 1, :s, :e, 'x', 'manual', 'active', :t, :t)"
    )
    with project.write() as s:
        s.execute(sa.text("INSERT INTO annotators (id, name, is_gold) VALUES (1, 'raw', :g)"), {"g": False})
    for start, end in [(-1, 3), (4, 2), (0, 999)]:
        with pytest.raises(sa.exc.IntegrityError), project.write() as s:
            s.execute(
                insert,
                {"uid": f"u{start}{end}", "a": aid, "s": start, "e": end, "t": dt.datetime(2024, 1, 1)},
            )
    assert spans_for_article(project, aid) == []


def test_one_article_per_text(project):
    with project.write() as s:
        a1, created1 = add_article(s, "Same text.", title="One")
        a2, created2 = add_article(s, "Same text.", title="Two", story="Strait")
    assert (created1, created2) == (True, False)
    assert a1.id == a2.id
    with pytest.raises(sa.exc.IntegrityError), project.write() as s:
        s.execute(
            sa.text(
                "INSERT INTO articles (uid, sha256, text, n_chars, title, imported_at) VALUES ('x', :h, 't', 1, '', :t)"
            ),
            {"h": a1.sha256, "t": dt.datetime(2024, 1, 1)},
        )


def test_offsets_are_code_points_outside_the_bmp(project):
    text = "A 😀 emoji then said the minister."
    aid = _article(project, text)
    start = text.index("said")
    span = add_span(project, aid, start, start + 4, "ATTRIBUTION", "alice")
    assert span.text == "said"
    # Code points: the emoji counts as one character (UTF-16 would count two and give 16).
    assert (span.start, span.end) == (15, 19)
    assert [(sp.start, sp.text) for sp in spans_for_article(project, aid)] == [(15, "said")]


def test_a_file_that_is_not_a_project_is_refused_and_left_unchanged(tmp_path):
    text_file = tmp_path / "notes.newsmark"
    text_file.write_text("just some notes\n")
    before = text_file.read_bytes()
    with pytest.raises(NotAProjectError, match="not a Newsmark project"):
        open_project(text_file)
    assert text_file.read_bytes() == before

    other_db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other_db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other_db.read_bytes()
    with pytest.raises(NotAProjectError, match="SQLite database but not a Newsmark project"):
        open_project(other_db)
    assert other_db.read_bytes() == before


def test_a_project_from_a_newer_version_is_refused(project_path):
    conn = sqlite3.connect(project_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = project_path.read_bytes()
    with pytest.raises(NewerVersionError, match="newer version of Newsmark"):
        open_project(project_path)
    assert project_path.read_bytes() == before


@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_a_project_made_by_an_earlier_schema_is_backed_up_and_migrated(tmp_path, revision):
    fixture = Path(__file__).parent / "data" / f"schema_{revision}.newsmark"
    assert fixture.exists(), f"add a fixture: python tests/make_schema_fixture.py {revision}"
    path = tmp_path / "old.newsmark"
    path.write_bytes(fixture.read_bytes())
    project = open_project(path)
    try:
        with project.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
            tables = set(sa.inspect(conn).get_table_names())
        assert "article_reviews" in tables
        with project.read() as s:
            aid = s.execute(sa.text("SELECT id FROM articles")).scalar()
        spans = spans_for_article(project, aid)
        assert [(sp.label, sp.text) for sp in spans] == [
            ("ATTRIBUTION", "the ministry said"),
            ("CLAIM", "no ships were hit"),
        ]
        from db.links import links_for_articles

        assert [lk.type for lk in links_for_articles(project, [aid])] == ["SOURCE_OF"]
    finally:
        project.close()
    backups = list_backups(path)
    assert len(backups) == 1 and f"before-migration-{revision}" in backups[0].name
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
    conn.close()
    if revision >= "0002":
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT article_id, reviewer_id FROM article_reviews").fetchall() == [(1, 1)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()
