"""The databases tests run on: a SQLite file, or a fresh schema of the test PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ENGINES = ["sqlite", "postgresql"]  # the `params` of every engine-parametrised fixture


@contextmanager
def throwaway_database(engine: str, folder: Path, name: str) -> Iterator[str]:
    """Yield a database URL nobody else uses. On PostgreSQL, a schema of its own in the server that
    CARECERT_TEST_PG_URL names (so runs never see each other's rows), dropped afterwards; skipped, saying why,
    when no server is configured."""
    if engine == "sqlite":
        yield f"sqlite:///{folder / name}"
        return
    base = os.environ.get("CARECERT_TEST_PG_URL")
    if not base:
        pytest.skip("PostgreSQL half skipped: CARECERT_TEST_PG_URL is not set (scripts/test sets it)")
    schema = "t_" + uuid.uuid4().hex[:12]
    server = create_engine(base)
    try:
        with server.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with server.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        server.dispose()
