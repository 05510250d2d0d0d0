"""The databases tests run on: a SQLite file, or a fresh database on the test PostgreSQL server.

Bringing an empty database to the head migration costs a third of a second or more (Alembic loads and compiles
every migration), and hundreds of tests each want a migrated database of their own. So each test process
migrates one template per engine, once, and every test gets a copy: the file copied on SQLite, and
CREATE DATABASE ... TEMPLATE on PostgreSQL (a few tens of milliseconds). Processes (pytest-xdist workers, or
several test runs sharing one server) never share a template or a copy.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ENGINES = ["sqlite", "postgresql"]  # the `params` of every engine-parametrised fixture


@contextmanager
def throwaway_database(engine: str, folder: Path, name: str, *, migrated: bool = True) -> Iterator[str]:
    """Yield the URL of a database nobody else uses, already at the head migration unless ``migrated`` is
    False (then empty). On PostgreSQL, a database of its own on the server CARECERT_TEST_PG_URL names, dropped
    afterwards; skipped, saying why, when no server is configured."""
    if engine == "sqlite":
        path = folder / name
        if migrated:
            shutil.copyfile(_sqlite_template(), path)
        yield f"sqlite:///{path}"
        return
    server = _postgres_server()
    database = "t_" + uuid.uuid4().hex[:12]
    template = f' TEMPLATE "{_postgres_template()}"' if migrated else ""
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"{template}'))
    try:
        yield _postgres_url(database)
    finally:
        _drop_postgres_database(database)


def _postgres_base_url() -> str:
    base = os.environ.get("CARECERT_TEST_PG_URL")
    if not base:
        pytest.skip("PostgreSQL half skipped: CARECERT_TEST_PG_URL is not set (scripts/test sets it)")
    return base


@functools.cache
def _postgres_server() -> Engine:
    """The server's maintenance connection; CREATE and DROP DATABASE cannot run inside a transaction."""
    return create_engine(_postgres_base_url(), isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _postgres_url(database: str) -> str:
    return make_url(_postgres_base_url()).set(database=database).render_as_string(hide_password=False)


def _drop_postgres_database(database: str) -> None:
    # FORCE: a pool a test left open must not keep its database alive.
    with _postgres_server().connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


@functools.cache
def _postgres_template() -> str:
    """This process's migrated PostgreSQL template (nothing stays connected to it, as TEMPLATE requires)."""
    template = "tmpl_" + uuid.uuid4().hex[:12]
    with _postgres_server().connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{template}"'))
    atexit.register(_drop_postgres_database, template)
    _migrate(_postgres_url(template))
    return template


@functools.cache
def _sqlite_template() -> Path:
    """This process's migrated SQLite file (its engine disposed, so no WAL is left beside it)."""
    folder = Path(tempfile.mkdtemp(prefix="carecert-db-template-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "migrated.sqlite3"
    _migrate(f"sqlite:///{path}")
    return path


def _migrate(url: str) -> None:
    from lti_tool.db import Database
    from lti_tool.db.migrate import upgrade

    database = Database(url)
    try:
        upgrade(database.engine)
    finally:
        database.dispose()
