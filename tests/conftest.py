"""Shared fixtures. The project schema is built once per session and copied for each test."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db.project import Project, open_project


@pytest.fixture(scope="session")
def _template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.newsmark"
    project = open_project(path)
    with project.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    return path


@pytest.fixture
def project_path(_template_project: Path, tmp_path: Path) -> Path:
    """A fresh, empty project file (a copy of one built once per session)."""
    path = tmp_path / "test.newsmark"
    shutil.copyfile(_template_project, path)
    return path


#: "sqlite" (default) or "postgresql": which backend the ``project`` fixture gives. With
#: "postgresql", only the tests that use ``project`` without Qt or a project file are collected,
#: so the db suite runs a second time against a real server (see .ci/run).
BACKEND = os.environ.get("NEWSMARK_TEST_BACKEND", "sqlite")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if BACKEND != "postgresql":
        return
    keep, drop = [], []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        file_bound = {"qtbot", "project_path", "qapp"} & names or item.get_closest_marker("sqlite_only")
        (keep if "project" in names and not file_bound else drop).append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep


@pytest.fixture
def project(request: pytest.FixtureRequest) -> Iterator[Project]:
    """A fresh, empty project: a copy of the session's template file, or a new PostgreSQL database."""
    if BACKEND == "postgresql":
        url = request.getfixturevalue("pg_url")
        p = open_project(url)
    else:
        p = open_project(request.getfixturevalue("project_path"))
    yield p
    p.close()


@pytest.fixture(autouse=True)
def _no_dangling_threads() -> Iterator[None]:
    """Fail a test that leaves a Python thread or a Qt thread-pool job running."""
    before = set(threading.enumerate())
    yield
    import sys

    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        pool = QThreadPool.globalInstance()
        if not pool.waitForDone(5000):
            pytest.fail("a background job was still running after the test")
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    for t in leftover:
        t.join(timeout=5)
    leftover = [t for t in leftover if t.is_alive()]
    if leftover:
        pytest.fail(f"test left threads running: {leftover}")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to a fresh, empty PostgreSQL database (dropped afterwards); skips without a server.

    CI starts a server and sets NEWSMARK_TEST_PG_URL (see .ci/start-postgres)."""
    import uuid

    import sqlalchemy as sa

    base = os.environ.get("NEWSMARK_TEST_PG_URL")
    if not base:
        pytest.skip("no PostgreSQL server (set NEWSMARK_TEST_PG_URL)")
    name = f"newsmark_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
