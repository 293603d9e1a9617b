"""Alembic environment for Newsmark projects.

Migrations are run from code (db.project), which passes an open connection in
``config.attributes["connection"]``; there is no alembic.ini and no URL in a file.
"""

from alembic import context

from db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Newsmark migrations run through db.project, which passes a connection")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
