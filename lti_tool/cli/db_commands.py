"""`carecert db …`: the database schema."""

from __future__ import annotations

import click

from lti_tool.cli.common import open_database
from lti_tool.db.migrate import current_revision, head_revision


@click.group()
def db() -> None:
    """The tool's database."""


@db.command()
def upgrade() -> None:
    """Apply the migrations the database does not have yet (safe to repeat)."""
    settings, database = open_database(migrate=True)
    click.echo(f"database at revision {current_revision(database.engine)} ({database.dialect})")
    database.dispose()


@db.command()
def status() -> None:
    """Show the database's revision and the newest one this version of the tool knows."""
    settings, database = open_database(migrate=False)
    click.echo(f"current: {current_revision(database.engine) or 'empty'}  newest: {head_revision()}")
    database.dispose()


@db.command()
@click.option("--older-than-hours", default=24, show_default=True, type=click.IntRange(0, 24 * 365))
def purge(older_than_hours: int) -> None:
    """Delete login states and launch sessions that expired more than N hours ago."""
    from datetime import timedelta

    from lti_tool.repo.launches import purge_expired

    _settings, database = open_database(migrate=True)
    with database.session() as session:
        removed = purge_expired(session, timedelta(hours=older_than_hours))
    click.echo(f"removed {removed} expired row(s)")
    database.dispose()
