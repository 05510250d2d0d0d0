"""`carecert records …`: export credentials, passports, xAPI and the ASC-WDS files; verify; revoke; deliver
xAPI statements to the configured LRS; upload the workforce-id mapping; rotate the credential keys."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import click
from sqlalchemy import or_, select

from lti_tool.cli.common import open_database
from lti_tool.config import ConfigError, load_config
from lti_tool.db.models import Context, User
from lti_tool.records import providers, service, store, xapi_outbox
from lti_tool.records.ascwds import (
    AscWdsError,
    options_from_settings,
    parse_workforce_ids,
    training_category_names,
    unit_categories,
)
from lti_tool.records.ascwds_export import export as ascwds_export
from lti_tool.records.ascwds_export import save_workforce_ids
from lti_tool.records.issuer import issuer_from_settings
from lti_tool.records.queries import learners_of_course


@click.group()
def records() -> None:
    """Portable completion records: Open Badges 3.0, CLR 2.0 passport, xAPI, ASC-WDS."""


def _course(session, course: str, registration: int | None) -> Context:  # type: ignore[no-untyped-def]
    query = select(Context).where(
        or_(Context.context_id == course, Context.label == course, Context.title == course)
    )
    if registration is not None:
        query = query.where(Context.registration_id == registration)
    found = list(session.scalars(query))
    if not found and course.isdigit():
        found = [c for c in [session.get(Context, int(course))] if c is not None]
    if not found:
        raise click.ClickException(f"no course {course!r} (give its LMS context id, label or title)")
    if len(found) > 1:
        choices = ", ".join(f"registration {c.registration_id} context {c.context_id}" for c in found)
        raise click.ClickException(f"{course!r} names several courses ({choices}): add --registration")
    return found[0]


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)[:80] or "learner"


@records.command(name="export")
@click.option("--format", "format_", type=click.Choice(["ob3", "clr", "xapi", "ascwds"]), required=True)
@click.option("--course", required=True, help="The LMS course: its context id, label or title.")
@click.option(
    "--registration", type=int, default=None, help="The LMS registration, when the course is ambiguous."
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="ob3/clr: a folder; xapi: a .jsonl file; ascwds: the training CSV (staff fields beside it).",
)
def export_records(format_: str, course: str, registration: int | None, out: Path) -> None:
    """Export the records of one course."""
    settings, db = open_database()
    issuer = issuer_from_settings(settings)
    try:
        with db.session() as session:
            context = _course(session, course, registration)
            learners = learners_of_course(session, context.registration_id, context.id)
            if format_ == "xapi":
                count = _write_xapi(session, issuer, context, out)
            elif format_ == "ascwds":
                count = _write_ascwds(session, settings, context, learners, out)
            else:
                count = _write_credentials(session, issuer, context, learners, out, passport=format_ == "clr")
        click.echo(f"{count} written to {out}")
    finally:
        db.dispose()


def _write_credentials(session, issuer, context, learners, out: Path, passport: bool) -> int:  # type: ignore[no-untyped-def]
    written = 0
    for user_pk in learners:
        user = session.get(User, user_pk)
        folder = out / _safe_name(user.sub if user else str(user_pk))
        if passport:
            try:
                record = service.passport(session, issuer, context.registration_id, user_pk)
            except LookupError:
                continue
            records_to_write = {"passport": record}
        else:
            learner = service.sync_learner(session, issuer, context.registration_id, user_pk)
            records_to_write = dict(learner.units)
            if learner.certificate is not None:
                records_to_write["certificate"] = learner.certificate
        folder.mkdir(parents=True, exist_ok=True)
        for name, record in records_to_write.items():
            (folder / f"{name}.json").write_text(
                json.dumps(record.document, indent=2, ensure_ascii=False), "utf-8"
            )
            (folder / f"{name}.jwt").write_text(record.jwt, "utf-8")
            written += 1
    return written


def _write_xapi(session, issuer, context, out: Path) -> int:  # type: ignore[no-untyped-def]
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8") as stream:
        for line in xapi_outbox.export_jsonl(
            session, issuer, registration_id=context.registration_id, context_pk=context.id
        ):
            stream.write(line + "\n")
            count += 1
    return count


def _write_ascwds(session, settings, context, learners, out: Path) -> int:  # type: ignore[no-untyped-def]
    issuer = issuer_from_settings(settings)
    for user_pk in learners:
        service.sync_learner(session, issuer, context.registration_id, user_pk)
    try:
        result = ascwds_export(session, context.registration_id, options_from_settings(settings), learners)
    except AscWdsError as error:
        raise click.ClickException(str(error)) from error
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result.training_csv, encoding="utf-8", newline="")
    staff = out.with_name(out.stem + "-staff" + (out.suffix or ".csv"))
    staff.write_text(result.staff_csv, encoding="utf-8", newline="")
    for problem in result.problems:
        click.echo(f"left out: {problem}", err=True)
    return len(result.training_csv.splitlines()) - 1


@records.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify(file: Path, as_json: bool) -> None:
    """Verify a credential or passport file (JSON or JWT) against this tool's keys and status lists."""
    settings, db = open_database()
    try:
        with db.session(readonly=True) as session:
            report = service.verify(session, issuer_from_settings(settings), file.read_bytes())
    finally:
        db.dispose()
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(report.summary)
        for check in report.checks:
            click.echo(f"  {'ok ' if check.passed else 'NO '} {check.name}: {check.message}")
        for unit in report.units:
            click.echo(f"  unit: {unit.title or unit.credential_id}: {unit.summary}")
    if not report.valid:
        raise SystemExit(1)


@records.command()
@click.argument("credential_uuid")
@click.option("--reason", required=True)
def revoke(credential_uuid: str, reason: str) -> None:
    """Revoke a credential: its status bit flips and verification says revoked."""
    _settings, db = open_database()
    try:
        with db.session() as session:
            try:
                record = store.find_record(session, credential_uuid)
            except store.RecordNotFound as error:
                raise click.ClickException(str(error)) from error
            if not store.revoke(session, record, "admin (command line)", reason):
                raise click.ClickException("that credential is already revoked (or cannot be revoked)")
        click.echo(f"revoked {credential_uuid}")
    finally:
        db.dispose()


@records.command(name="workforce-ids")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--registration", type=int, required=True, help="The LMS registration the learners belong to.")
def workforce_ids(file: Path, registration: int) -> None:
    """Load the ASC-WDS workplace and worker ids (CSV: lms_user_id or email, LOCALESTID, UNIQUEWORKERID)."""
    try:
        mapping = parse_workforce_ids(file.read_text(encoding="utf-8-sig"))
    except (AscWdsError, UnicodeDecodeError) as error:
        raise click.ClickException(str(error)) from error
    _settings, db = open_database()
    try:
        with db.session() as session:
            count = save_workforce_ids(session, registration, mapping)
        click.echo(f"{count} learner ids stored")
    finally:
        db.dispose()


@records.command(name="xapi-worker")
@click.option("--once", is_flag=True, help="Collect and deliver what is due, then stop.")
def xapi_worker(once: bool) -> None:
    """Collect xAPI statements from attempts and deliver them to LRS_ENDPOINT (retrying while it is down)."""
    settings, db = open_database()
    lrs = xapi_outbox.lrs_from_settings(settings)
    if lrs is None:
        raise click.ClickException(
            "no LRS is configured: set CARECERT_LRS_ENDPOINT (and LRS_USERNAME/PASSWORD)"
        )
    issuer = issuer_from_settings(settings)
    delivery = xapi_outbox.XapiDelivery(db, lrs)
    try:
        if once:
            with db.session() as session:
                queued = xapi_outbox.collect(session, issuer)
            tried = 0
            while (batch := delivery.run_once()) > 0:
                tried += batch
            with db.session(readonly=True) as session:
                click.echo(f"{queued} queued, {tried} tried; outbox: {xapi_outbox.outbox_counts(session)}")
        else:
            stop = threading.Event()
            try:
                delivery.run_forever(issuer, stop.is_set)
            except KeyboardInterrupt:
                stop.set()
    finally:
        db.dispose()


@records.command(name="rotate-keys")
def rotate_keys() -> None:
    """New credential signing keys; the old ones stay published so earlier credentials still verify."""
    _settings, db = open_database()
    try:
        with db.session() as session:
            names = store.rotate_keys(session)
        click.echo("new keys: " + ", ".join(names))
    finally:
        db.dispose()


@records.command(name="ascwds-categories")
def ascwds_categories() -> None:
    """List ASC-WDS's training category codes and the code each unit is exported under."""
    try:
        options = options_from_settings(load_config())
    except (AscWdsError, ConfigError) as error:
        raise click.ClickException(str(error)) from error
    click.echo('Units (override with RECORDS_ASCWDS_CATEGORIES, JSON such as {"u01": 34}):')
    for unit in unit_categories(options):
        click.echo(
            f"  {unit.unit_id}  {unit.code if unit.code is not None else '-':>3}  {unit.name or 'NOT SET'}"
        )
    click.echo("ASC-WDS training category codes:")
    for code, name in sorted(training_category_names().items()):
        click.echo(f"  {code:>3}  {name}")


@records.command(name="issuer")
@click.option("--registration", type=int, required=True, help="The LMS registration (one provider's LMS).")
@click.option("--name", default=None, help="The provider's name: gives this LMS its own issuer profile.")
@click.option("--url", default="", help="The provider's web site (with --name).")
@click.option("--email", default="", help="The provider's contact email (with --name).")
def issuer_profile(registration: int, name: str | None, url: str, email: str) -> None:
    """Show, or set with --name, the issuer that credentials of one LMS's learners name."""
    settings, db = open_database()
    try:
        with db.session() as session:
            if name is not None:
                try:
                    providers.save_profile(session, registration, name=name, url=url, email=email)
                except providers.ProfileError as error:
                    raise click.ClickException(str(error)) from error
            issuer = providers.issuer_for(session, issuer_from_settings(settings), registration)
        owner = "the installation's" if issuer.provider is None else "this LMS's own"
        click.echo(f"{issuer.name} ({owner}): {issuer.id}")
    finally:
        db.dispose()
