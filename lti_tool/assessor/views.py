"""The assessor dashboard (assessors, instructors and administrators, reached by a launch in their course).

Every request carries the launch token (`lt`), which also names the course; forms post it back, so the pages
work inside the LMS's iframe without cookies and without any script.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.app import services
from lti_tool.assessor import charts
from lti_tool.assessor.grid import course_grid, grid_csv
from lti_tool.assessor.operations import (
    Actor,
    AssessorError,
    resend,
    set_signoff_setting,
    sign_off,
    undo_sign_off,
)
from lti_tool.assessor.syncs import SyncFilters, list_syncs, sync_counts
from lti_tool.db.models import Context, ResourceLink, User
from lti_tool.grades.models import AuditEntry, UnitSignoff
from lti_tool.lti import claims
from lti_tool.lti.errors import LtiRefusal
from lti_tool.web.launch_context import CurrentLaunch, current_launch

blueprint = Blueprint("assessor", __name__, url_prefix="/assessor")
ALLOWED_ROLES = ("assessor", "instructor", "administrator")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors *"


def _actor(session: Session) -> tuple[CurrentLaunch, Actor]:
    launch = current_launch(session)
    if launch.launch.role not in ALLOWED_ROLES:
        raise LtiRefusal("LTI-ROLE-FORBIDDEN", "the assessor dashboard is for assessors and instructors")
    if launch.launch.context_pk is None:
        raise LtiRefusal("LTI-ROLE-FORBIDDEN", "open the dashboard from an activity inside a course")
    user = session.get(User, launch.launch.user_pk)
    name = (user.name or user.given_name or user.sub) if user else "unknown"
    actor = Actor(
        launch.registration.id, launch.launch.context_pk, launch.launch.user_pk, name, launch.launch.role
    )
    return launch, actor


def _page(template: str, status: int = 200, **values) -> Response:  # type: ignore[no-untyped-def]
    response = Response(render_template(template, **values), status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _int_arg(source, name: str) -> int | None:  # type: ignore[no-untyped-def]
    value = (source.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise LtiRefusal("LTI-BAD-REQUEST", f"{name} must be a number")
    return int(value)


def _back(endpoint: str, token: str, **params: object) -> Response:
    query = urlencode({"lt": token, **{k: v for k, v in params.items() if v is not None}})
    return redirect(url_for(endpoint) + "?" + query, code=303)


def _common(session: Session, launch: CurrentLaunch, actor: Actor) -> dict:
    context = session.get(Context, actor.context_pk)
    return {"lt": launch.token, "actor": actor, "course": context, "done": request.args.get("done", "")}


@blueprint.get("/")
def dashboard() -> Response:
    db = services().db
    with db.session(readonly=True) as session:
        launch, actor = _actor(session)
        grid = course_grid(session, actor.registration_id, actor.context_pk)
        counts = sync_counts(session, actor.registration_id, actor.context_pk)
        return _page(
            "assessor/grid.html",
            grid=grid,
            counts=counts,
            progress_svg=charts.progress_chart(grid),
            sync_svg=charts.sync_chart(counts),
            **_common(session, launch, actor),
        )


@blueprint.get("/grid.csv")
def grid_export() -> Response:
    with services().db.session(readonly=True) as session:
        _, actor = _actor(session)
        text = grid_csv(course_grid(session, actor.registration_id, actor.context_pk))
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="course-grid.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/syncs")
def syncs() -> Response:
    with services().db.session(readonly=True) as session:
        launch, actor = _actor(session)
        filters = SyncFilters(
            failed_only=request.args.get("failed") == "1",
            unit_pk=_int_arg(request.args, "unit"),
            learner_pk=_int_arg(request.args, "learner"),
        )
        rows = list_syncs(session, actor.registration_id, actor.context_pk, filters)
        grid = course_grid(session, actor.registration_id, actor.context_pk)
        return _page(
            "assessor/syncs.html", rows=rows, filters=filters, grid=grid, **_common(session, launch, actor)
        )


@blueprint.post("/syncs/resend")
def resend_syncs() -> Response:
    with services().db.session() as session:
        launch, actor = _actor(session)
        row_id = _int_arg(request.form, "row")
        try:
            count = resend(session, actor, row_id)
        except AssessorError as problem:
            raise LtiRefusal("LTI-BAD-REQUEST", str(problem)) from problem
        token = launch.token
    return _back("assessor.syncs", token, done=f"{count} grade(s) queued again")


def _signoff_context(session: Session, actor: Actor, learner_pk: int | None, unit_pk: int | None) -> dict:
    learner = session.get(User, learner_pk) if learner_pk else None
    unit = session.get(ResourceLink, unit_pk) if unit_pk else None
    if learner is None or learner.registration_id != actor.registration_id:
        raise LtiRefusal("LTI-NOT-FOUND", "no such learner in this LMS")
    if unit is None or unit.registration_id != actor.registration_id or unit.context_pk != actor.context_pk:
        raise LtiRefusal("LTI-NOT-FOUND", "no such unit in this course")
    history = session.scalars(
        select(UnitSignoff)
        .where(UnitSignoff.user_pk == learner.id, UnitSignoff.resource_link_pk == unit.id)
        .order_by(UnitSignoff.id.desc())
    ).all()
    return {"learner": learner, "unit": unit, "history": history, "today": date.today().isoformat()}


@blueprint.get("/signoff")
def signoff_form() -> Response:
    with services().db.session(readonly=True) as session:
        launch, actor = _actor(session)
        values = _signoff_context(
            session, actor, _int_arg(request.args, "learner"), _int_arg(request.args, "unit")
        )
        return _page("assessor/signoff.html", problem="", **values, **_common(session, launch, actor))


def _signoff_problem(
    launch: CurrentLaunch, actor: Actor, learner_pk: int | None, unit_pk: int | None, problem: str
) -> Response:
    with services().db.session(readonly=True) as session:
        values = _signoff_context(session, actor, learner_pk, unit_pk)
        return _page(
            "assessor/signoff.html", 400, problem=problem, **values, **_common(session, launch, actor)
        )


@blueprint.post("/signoff")
def signoff_submit() -> Response:
    learner_pk, unit_pk = _int_arg(request.form, "learner"), _int_arg(request.form, "unit")
    with services().db.session(readonly=True) as session:
        launch, actor = _actor(session)
    try:
        observed_on = date.fromisoformat((request.form.get("observed_on") or "").strip())
    except ValueError:
        return _signoff_problem(
            launch, actor, learner_pk, unit_pk, "Give the observation date as YYYY-MM-DD."
        )
    try:
        with services().db.session() as session:
            sign_off(
                session,
                actor,
                learner_pk=learner_pk or 0,
                link_pk=unit_pk or 0,
                observed_on=observed_on,
                evidence=request.form.get("evidence", ""),
            )
    except AssessorError as problem:
        return _signoff_problem(launch, actor, learner_pk, unit_pk, str(problem))
    return _back("assessor.signoff_form", launch.token, learner=learner_pk, unit=unit_pk, done="Signed off")


@blueprint.post("/signoff/<int:signoff_id>/undo")
def signoff_undo(signoff_id: int) -> Response:
    with services().db.session(readonly=True) as session:
        launch, actor = _actor(session)
        signoff = session.get(UnitSignoff, signoff_id)
    if signoff is None or signoff.registration_id != actor.registration_id:
        raise LtiRefusal("LTI-NOT-FOUND", "no such sign-off")
    try:
        with services().db.session() as session:
            undo_sign_off(session, actor, signoff_id=signoff_id, reason=request.form.get("reason", ""))
    except AssessorError as problem:
        return _signoff_problem(launch, actor, signoff.user_pk, signoff.resource_link_pk, str(problem))
    return _back(
        "assessor.signoff_form",
        launch.token,
        learner=signoff.user_pk,
        unit=signoff.resource_link_pk,
        done="Sign-off undone",
    )


@blueprint.get("/audit")
def audit_trail() -> Response:
    with services().db.session(readonly=True) as session:
        launch, actor = _actor(session)
        entries = session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.registration_id == actor.registration_id, AuditEntry.context_pk == actor.context_pk
            )
            .order_by(AuditEntry.id.desc())
            .limit(500)
        ).all()
        names = {
            u.id: u.name or u.sub
            for u in session.scalars(select(User).where(User.registration_id == actor.registration_id))
        }
        titles = {
            link.id: link.title or link.resource_link_id
            for link in session.scalars(
                select(ResourceLink).where(ResourceLink.context_pk == actor.context_pk)
            )
        }
        return _page(
            "assessor/audit.html",
            entries=entries,
            names=names,
            titles=titles,
            **_common(session, launch, actor),
        )


@blueprint.post("/roster/sync")
def roster_sync() -> Response:
    from lti_tool.grades.roster import sync_roster

    tool = services()
    with tool.db.session(readonly=True) as session:
        launch, actor = _actor(session)
        nrps = launch.launch.claims.get(claims.NRPS) or {}
        url = nrps.get("context_memberships_url") if isinstance(nrps, dict) else None
        registration = launch.registration
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise LtiRefusal(
            "LTI-BAD-REQUEST", "the LMS did not offer its member list (Names and Roles) in this launch"
        )
    result = sync_roster(tool.db, tool.http, registration, actor.context_pk, url)
    with tool.db.session() as session:
        from lti_tool.assessor.operations import audit

        audit(
            session, actor, "roster-sync", None, None, members=result.members, problem=result.problem or None
        )
    done = result.problem or f"{result.members} members read from the LMS"
    return _back("assessor.dashboard", launch.token, done=done)


@blueprint.post("/units/<int:unit_pk>/signoff-setting")
def unit_signoff_setting(unit_pk: int) -> Response:
    with services().db.session() as session:
        launch, actor = _actor(session)
        try:
            changed = set_signoff_setting(
                session, actor, link_pk=unit_pk, setting=request.form.get("setting", "")
            )
        except AssessorError as problem:
            raise LtiRefusal("LTI-BAD-REQUEST", str(problem)) from problem
        token = launch.token
    return _back("assessor.dashboard", token, done=f"Sign-off setting saved; {changed} grade(s) queued")
