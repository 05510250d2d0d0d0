"""`carecert platform …`: register LMS platforms by hand, approve dynamic registrations, show the values."""

from __future__ import annotations

import click

from lti_tool.cli.common import open_database
from lti_tool.lti.tool_settings import SCOPES, tool_urls
from lti_tool.registration import ManualRegistration, RegistrationInvalid, register_manually
from lti_tool.repo import registrations as registration_repo


@click.group()
def platform() -> None:
    """LMS platforms registered with the tool."""


@platform.command()
@click.option("--issuer", required=True, help="The platform's issuer (Moodle: the site URL).")
@click.option("--client-id", required=True)
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True, help="Repeat for several.")
@click.option("--auth-login-url", required=True, help="OIDC authentication request URL.")
@click.option("--auth-token-url", required=True, help="OAuth2 access token URL.")
@click.option("--key-set-url", required=True, help="The platform's public keyset (JWKS) URL.")
@click.option("--auth-audience", default="", help="Token audience, only when the platform needs one.")
@click.option("--name", default="", help="A name for people.")
def add(**values: object) -> None:
    """Register an LMS by hand (active at once)."""
    values["deployment_ids"] = list(values["deployment_ids"])  # type: ignore[arg-type]
    _settings, db = open_database()
    try:
        with db.session() as session:
            registration = register_manually(session, ManualRegistration(**values))  # type: ignore[arg-type]
            click.echo(
                f"registered {registration.issuer} client {registration.client_id} as #{registration.id}"
            )
    except RegistrationInvalid as invalid:
        raise click.ClickException("\n".join(invalid.errors)) from invalid
    finally:
        db.dispose()


@platform.command(name="list")
def list_platforms() -> None:
    """List registrations with their status and deployments."""
    _settings, db = open_database()
    with db.session(readonly=True) as session:
        for registration in registration_repo.list_registrations(session):
            deployments = ", ".join(
                d.deployment_id for d in registration_repo.list_deployments(session, registration)
            )
            click.echo(
                f"#{registration.id} {registration.status:8} {registration.issuer} "
                f"client={registration.client_id} deployments=[{deployments}]"
            )
    db.dispose()


@platform.command()
@click.argument("registration_id", type=int)
@click.option("--status", type=click.Choice(registration_repo.STATUSES), default="active", show_default=True)
def activate(registration_id: int, status: str) -> None:
    """Approve a pending registration (or set another status)."""
    _settings, db = open_database()
    with db.session() as session:
        registration = registration_repo.get_registration(session, registration_id)
        if registration is None:
            raise click.ClickException(f"no registration #{registration_id}")
        registration_repo.set_status(session, registration, status)
        click.echo(f"#{registration_id} is {status}")
    db.dispose()


@platform.command()
def show() -> None:
    """The values to paste into an LMS to register this tool."""
    settings, db = open_database(migrate=False)
    urls = tool_urls(settings["BASE_URL"])
    rows = [
        ("Dynamic registration URL", urls["registration_url"]),
        ("Tool URL / target link URI", urls["tool_url"]),
        ("Initiate login URL", urls["login_url"]),
        ("Redirection URI", urls["redirect_url"]),
        ("Public keyset URL (JWKS)", urls["jwks_url"]),
        ("Deep linking URL", urls["deep_linking_url"]),
        ("Domain", urls["domain"]),
    ]
    for label, value in rows:
        click.echo(f"{label:28} {value}")
    click.echo("Services (scopes):")
    for scope in SCOPES:
        click.echo(f"  {scope}")
    db.dispose()
