"""`carecert worker` (deliver grades to the LMS) and `carecert grades status` (the outbox's health)."""

from __future__ import annotations

import json
import signal
import threading

import click

from lti_tool.cli.common import open_database


@click.command("worker")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 5000))
@click.option(
    "--concurrency", default=8, show_default=True, type=click.IntRange(1, 128), help="Parallel sends."
)
@click.option("--lease-seconds", default=120.0, show_default=True, type=click.FloatRange(1, 86400))
@click.option("--poll-seconds", default=1.0, show_default=True, type=click.FloatRange(0.01, 60))
@click.option("--drain", is_flag=True, help="Exit once nothing is due instead of waiting for more.")
def worker(batch_size: int, concurrency: int, lease_seconds: float, poll_seconds: float, drain: bool) -> None:
    """Deliver queued grades to the LMS (run several on PostgreSQL; they share the work)."""
    from lti_tool.grades.worker import DeliveryWorker

    settings, db = open_database(migrate=True)
    delivery = DeliveryWorker(
        db,
        batch_size=batch_size,
        concurrency=concurrency,
        lease_seconds=lease_seconds,
        poll_seconds=poll_seconds,
        timeout=float(settings["HTTP_TIMEOUT_SECONDS"]),
    )
    click.echo(f"grade worker {delivery.name} on {db.dialect}", err=True)
    if drain:
        while delivery.run_once():
            pass
        delivery.close()
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    delivery.run_forever(stop)


@click.group("grades")
def grades() -> None:
    """Grade sync to the LMS (AGS)."""


@grades.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(as_json: bool) -> None:
    """Outbox depth, oldest undelivered score and failures per registration."""
    from lti_tool.grades.status import outbox_health

    _, db = open_database(migrate=True)
    with db.session(readonly=True) as session:
        health = outbox_health(session)
    if as_json:
        click.echo(json.dumps(health.to_dict(), default=str, indent=2))
        return
    age = health.oldest_age_seconds
    click.echo(f"undelivered: {health.undelivered} (in flight {health.in_flight})")
    click.echo(f"oldest undelivered: {'-' if age is None else f'{age:.0f} s ago'}")
    click.echo(f"failed: {health.failed}   sent: {health.sent}")
    for reg in health.registrations:
        label = reg.name or reg.issuer
        click.echo(
            f"  registration {reg.registration_id} {label}: undelivered {reg.undelivered}, "
            f"failed {reg.failed}, sent {reg.sent}, token requests {reg.token_requests}"
        )
