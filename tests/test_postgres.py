"""A team project on PostgreSQL behaves like a project file: same schema, same invariants."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from db.articles import add_article
from db.errors import InvalidSpanError, NotAProjectError
from db.labels import list_labels
from db.links import add_link, links_for_articles
from db.project import SCHEMA_HEAD, open_project
from db.spans import add_span, delete_span, restore_span, spans_for_article

pytestmark = pytest.mark.postgres


def test_a_new_team_project_is_created_migrated_and_seeded(pg_url):
    project = open_project(pg_url)
    try:
        assert [label.key for label in list_labels(project)][:4] == [
            "CLAIM",
            "ATTRIBUTION",
            "EXPERT_OPINION",
            "FACT",
        ]
        with project.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
    finally:
        project.close()
    # Reopening finds the same project rather than creating another.
    again = open_project(pg_url, create=False)
    assert len(list_labels(again)) == 4
    again.close()


def test_spans_links_and_undo_on_postgres(pg_url):
    project = open_project(pg_url)
    try:
        text = "Officials said 😀 the strait stays open."
        with project.write() as s:
            article, _ = add_article(s, text, title="Strait", outlet="Civic Wire")
            aid = article.id
        said = add_span(project, aid, 0, 14, "ATTRIBUTION", "alice")
        claim = add_span(project, aid, 17, len(text) - 1, "CLAIM", "alice")
        assert claim.text == "the strait stays open"
        add_link(project, said.id, claim.id, "SOURCE_OF", "alice")
        gone = delete_span(project, said.id)
        assert links_for_articles(project, [aid]) == []
        restore_span(project, gone)
        assert [lk.type for lk in links_for_articles(project, [aid])] == ["SOURCE_OF"]
        with pytest.raises(InvalidSpanError):
            add_span(project, aid, 3, 999, "CLAIM", "alice")
        # The database itself refuses a span past the end of the text (trigger), not only the service.
        with pytest.raises(sa.exc.IntegrityError), project.write() as s:
            s.execute(
                sa.text(
                    'INSERT INTO spans (uid, article_id, annotator_id, label_id, start, "end", text, origin, status, '
                    "created_at, updated_at) SELECT 'x', :a, id, 1, 0, 999, 'x', 'manual', 'active', now(), now() "
                    "FROM annotators LIMIT 1"
                ),
                {"a": aid},
            )
        assert len(spans_for_article(project, aid)) == 2
    finally:
        project.close()


def test_a_database_with_foreign_tables_is_refused(pg_url):
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE invoices (id int)")
    engine.dispose()
    with pytest.raises(NotAProjectError):
        open_project(pg_url)
