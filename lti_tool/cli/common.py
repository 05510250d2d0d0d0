"""What the tool's commands share: the configuration and a migrated database."""

from __future__ import annotations

import click

from lti_tool.config import ConfigError, load_config
from lti_tool.db import Database
from lti_tool.db.migrate import upgrade


def open_database(migrate: bool = True) -> tuple[dict, Database]:
    """The settings (CARECERT_* variables, optional CONFIG_FILE) and the database, migrated if asked."""
    try:
        settings = load_config()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    db = Database(settings["DATABASE_URL"], settings["SQLITE_SYNCHRONOUS"])
    if migrate:
        upgrade(db.engine)
    return settings, db
