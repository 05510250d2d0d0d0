"""`carecert admin …`: access to the admin pages."""

from __future__ import annotations

import click

from lti_tool.admin_auth import create_admin_token, revoke_all
from lti_tool.cli.common import open_database


@click.group()
def admin() -> None:
    """Administrator access."""


@admin.command()
@click.option("--label", default="", help="Who or what the token is for.")
def token(label: str) -> None:
    """Print a new admin token (shown once; sign in at /admin/login)."""
    settings, db = open_database()
    with db.session() as session:
        value = create_admin_token(session, label)
    click.echo(value)
    click.echo(f"sign in at {settings['BASE_URL']}/admin/login", err=True)
    db.dispose()


@admin.command(name="revoke-all")
def revoke_all_tokens() -> None:
    """Revoke every admin token (signed-in browsers are signed out)."""
    _settings, db = open_database()
    with db.session() as session:
        click.echo(f"revoked {revoke_all(session)} token(s)")
    db.dispose()
