"""Opening, creating, migrating and backing up Newsmark projects.

A project is one SQLite file (``*.newsmark``) or a SQLAlchemy URL to PostgreSQL. Every SQLite
connection runs in WAL mode with foreign keys on, a busy timeout and full sync; write transactions
start with ``BEGIN IMMEDIATE`` so that two processes never deadlock on a lock upgrade, and writes
inside one process are serialized by a lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db import __version__
from db.errors import NewerVersionError, NewsmarkError, NotAProjectError
from db.schema_version import APPLICATION_ID as APPLICATION_ID
from db.schema_version import PROJECT_SUFFIX as PROJECT_SUFFIX
from db.schema_version import REVISIONS as REVISIONS
from db.schema_version import SCHEMA_HEAD as SCHEMA_HEAD

T = TypeVar("T")

BUSY_TIMEOUT_MS = 30_000
BACKUPS_KEPT = 5
_MIGRATIONS = Path(__file__).with_name("migrations")


def is_url(location: str | Path) -> bool:
    return "://" in str(location)


class Project:
    """An open project: an engine plus read and write sessions.

    Use ``read()`` for queries and ``write()`` for changes; ``write()`` commits before it returns,
    so what a caller shows as done is on disk.
    """

    def __init__(self, engine: Engine, location: str, path: Path | None) -> None:
        self.engine = engine
        self.location = location
        self.path = path
        self._write_engine = engine.execution_options(newsmark_write=True)
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(bind=self._write_engine, expire_on_commit=False)
        self._write_lock = threading.RLock()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def name(self) -> str:
        if self.path is not None:
            return self.path.stem
        return self.engine.url.database or self.location

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        session = self._read_sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction, committed on leaving the block and rolled back on an exception."""
        with self._write_lock:
            session = self._write_sessions()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def run_write(self, work: Callable[[Session], T], attempts: int = 5) -> T:
        """Run ``work`` in a write transaction, retrying when another process holds the lock."""
        for attempt in range(attempts):
            try:
                with self.write() as session:
                    return work(session)
            except OperationalError as exc:
                if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                    raise
                if attempt == attempts - 1:
                    raise NewsmarkError(
                        "The project is busy: another program kept it locked for too long. Try again."
                    ) from exc
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def backup(self, reason: str, directory: Path | None = None) -> Path | None:
        """Copy the project file (consistently, through SQLite's backup API) and keep the newest few."""
        if self.path is None:
            return None
        return backup_file(self.path, reason, directory)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: A folder for every project's backups (Edit ▸ Settings… sets it) instead of one beside each file.
BACKUP_DIR_ENV = "NEWSMARK_BACKUP_DIR"


def default_backup_dir(path: Path) -> Path:
    override = os.environ.get(BACKUP_DIR_ENV, "").strip()
    if override:
        # One subfolder per project file; the digest keeps two "analysis.newsmark" apart.
        digest = hashlib.sha1(str(path.resolve().parent).encode("utf-8")).hexdigest()[:8]
        return Path(override).expanduser() / f"{path.name}.{digest}.backups"
    return path.parent / f".{path.name}.backups"


def backup_file(path: Path, reason: str, directory: Path | None = None) -> Path:
    directory = directory or default_backup_dir(path)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = directory / f"{path.stem}.{stamp}.{reason}{PROJECT_SUFFIX}"
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    _rotate(directory, path.stem)
    return target


def list_backups(path: Path, directory: Path | None = None) -> list[Path]:
    directory = directory or default_backup_dir(path)
    if not directory.is_dir():
        return []
    return sorted(directory.glob(f"{path.stem}.*{PROJECT_SUFFIX}"), reverse=True)


def restore_backup(backup: Path, path: Path) -> None:
    """Replace the project file by a backup (the current file is itself backed up first)."""
    if path.exists():
        backup_file(path, "before-restore")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    tmp = path.with_name(path.name + ".restoring")
    shutil.copyfile(backup, tmp)
    tmp.replace(path)


def _rotate(directory: Path, stem: str) -> None:
    by_reason: dict[str, list[Path]] = {}
    for item in directory.glob(f"{stem}.*{PROJECT_SUFFIX}"):
        reason = item.name[len(stem) + 1 : -len(PROJECT_SUFFIX)].split(".", 1)[-1]
        by_reason.setdefault(reason, []).append(item)
    for items in by_reason.values():
        for old in sorted(items, reverse=True)[BACKUPS_KEPT:]:
            old.unlink(missing_ok=True)


def _sqlite_engine(path: Path) -> Engine:
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below); pysqlite's own transaction handling is turned off.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get("newsmark_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _check_sqlite_file(path: Path) -> str | None:
    """Return the schema revision of an existing project file, refusing anything else untouched."""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise NewsmarkError(f"{path}: cannot read the project file ({exc.strerror}).") from exc
    if header != b"SQLite format 3\x00":
        raise NotAProjectError(
            f"{path} is not a Newsmark project (it is not a project database); it was left unchanged."
        )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id != APPLICATION_ID or "project_info" not in tables or "alembic_version" not in tables:
            raise NotAProjectError(
                f"{path} is an SQLite database but not a Newsmark project; it was left unchanged."
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise NotAProjectError(
            f"{path} is not a readable Newsmark project ({exc}); it was left unchanged."
        ) from exc
    finally:
        conn.close()
    return str(row[0]) if row else None


def _check_revision(location: str, revision: str | None) -> None:
    if revision not in REVISIONS:
        raise NewerVersionError(
            f"{location} was written by a newer version of Newsmark (schema {revision}); "
            f"this version ({__version__}) reads schema {SCHEMA_HEAD} and older. Update Newsmark to open it."
        )


def _alembic_upgrade(connection: sa.Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


def _migrate(engine: Engine) -> None:
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # Alembic batch migrations copy tables; foreign keys must be off while they do, and the
            # pragma only takes effect outside a transaction, so it goes to the raw connection.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        _alembic_upgrade(conn)
        conn.commit()
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            conn.rollback()
            if problems:
                raise NewsmarkError(
                    f"Migration left {len(problems)} broken references; the backup is intact."
                )


def _initialise(project: Project) -> None:
    from db.labels import seed_defaults

    with project.write() as session:
        from db.models import ProjectInfo

        session.add_all(
            [
                ProjectInfo(key="format", value="newsmark"),
                ProjectInfo(key="created_with", value=__version__),
                ProjectInfo(key="created_at", value=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
            ]
        )
        seed_defaults(session)


def open_project(location: str | Path, *, create: bool = True, backup_dir: Path | None = None) -> Project:
    """Open a project file or URL, creating it if missing (when ``create``) and migrating it if old.

    Refuses, unchanged: a file that is not a Newsmark project, and a project from a newer version.
    An older project is copied to a backup before it is migrated.
    """
    if is_url(location):
        return _open_url(str(location), create=create)
    path = Path(location).expanduser().resolve()
    if path.is_dir():
        raise NotAProjectError(f"{path} is a folder, not a Newsmark project file.")
    if path.exists() and path.stat().st_size > 0:
        revision = _check_sqlite_file(path)
        _check_revision(str(path), revision)
        if revision != SCHEMA_HEAD:
            backup_file(path, f"before-migration-{revision}", backup_dir)
            engine = _sqlite_engine(path)
            _migrate(engine)
        else:
            engine = _sqlite_engine(path)
        return Project(engine, str(path), path)
    if not create:
        raise NewsmarkError(f"{path}: no such project.")
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = _sqlite_engine(path)
    with engine.connect() as conn:
        conn.connection.driver_connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # type: ignore[union-attr]
    _migrate(engine)
    project = Project(engine, str(path), path)
    _initialise(project)
    return project


def _open_url(url: str, *, create: bool) -> Project:
    engine = sa.create_engine(url, pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            tables = set(inspector.get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        engine.dispose()
        raise NewsmarkError(
            f"Cannot connect to {engine.url.render_as_string(hide_password=True)}: {exc.orig}"
        ) from exc
    shown = engine.url.render_as_string(hide_password=True)
    if tables and "project_info" not in tables:
        engine.dispose()
        raise NotAProjectError(
            f"{shown} holds tables that are not a Newsmark project; it was left unchanged."
        )
    if not tables:
        if not create:
            raise NewsmarkError(f"{shown}: no Newsmark project there.")
        _migrate(engine)
        project = Project(engine, url, None)
        _initialise(project)
        return project
    _check_revision(shown, revision)
    if revision != SCHEMA_HEAD:
        _migrate(engine)
    return Project(engine, url, None)
