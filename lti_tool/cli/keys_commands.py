"""`carecert keys …`: the tool's signing keys."""

from __future__ import annotations

import click

from lti_tool import keys as tool_keys
from lti_tool.cli.common import open_database


@click.group()
def keys() -> None:
    """The tool's RSA signing keys (published at /lti/jwks)."""


@keys.command(name="list")
def list_keys() -> None:
    """Published keys, newest (signing) first."""
    _settings, db = open_database()
    with db.session() as session:
        active = tool_keys.active_keys(session) or [tool_keys.signing_key(session)]
        for index, key in enumerate(active):
            role = "signing" if index == 0 else "published"
            click.echo(f"{key.kid}  {role:9}  created {key.created_at:%Y-%m-%d %H:%M}")
    db.dispose()


@keys.command()
def rotate() -> None:
    """Add a new key that signs from now on; older keys stay published until retired."""
    _settings, db = open_database()
    with db.session() as session:
        key = tool_keys.rotate(session)
        click.echo(f"new signing key {key.kid}; after platforms refresh, run: carecert keys retire OLD_KID")
    db.dispose()


@keys.command()
@click.argument("kid")
def retire(kid: str) -> None:
    """Stop publishing a key (it no longer verifies anything the tool signed with it)."""
    _settings, db = open_database()
    try:
        with db.session() as session:
            tool_keys.retire(session, kid)
            click.echo(f"retired {kid}")
    except tool_keys.KeyError_ as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        db.dispose()
