"""Admin: find a credential by its id and revoke it (its status bit flips; /verify then says revoked); give an
LMS its provider's own issuer profile; upload the ASC-WDS workforce-id mapping."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from lti_tool.app import services
from lti_tool.db.models import Registration
from lti_tool.records import providers, store
from lti_tool.records.ascwds import AscWdsError, options_from_settings, parse_workforce_ids, unit_categories
from lti_tool.records.ascwds_export import save_workforce_ids
from lti_tool.records.web.common import blueprint, current_issuer
from lti_tool.web.admin_views import _csrf_token, admin_required


@blueprint.route("/admin/records", methods=["GET", "POST"])
@admin_required
def admin_records():  # type: ignore[no-untyped-def]
    message, problem, record = "", "", None
    credential_uuid = (request.values.get("credential") or "").strip()[:36]
    with services().db.session() as session:
        if credential_uuid:
            try:
                record = store.find_record(session, credential_uuid)
            except store.RecordNotFound:
                problem = "No credential has that id."
        if record is not None and request.method == "POST":
            reason = (request.form.get("reason") or "").strip()
            if not reason:
                problem = "Say why the credential is revoked: the reason is kept with it."
            elif store.revoke(session, record, "admin", reason):
                message = "Revoked. Verification now reports this credential as revoked."
            else:
                problem = "This credential was already revoked (or cannot be revoked)."
        page = render_template(
            "records/admin.html", record=record, message=message, problem=problem, csrf=_csrf_token()
        )
    return page, (400 if problem and request.method == "POST" else 200)


@blueprint.route("/admin/records/workforce-ids", methods=["GET", "POST"])
@admin_required
def admin_workforce_ids():  # type: ignore[no-untyped-def]
    message, problem = "", ""
    with services().db.session() as session:
        registrations = list(session.scalars(select(Registration).order_by(Registration.id)))
        if request.method == "POST":
            upload = request.files.get("file")
            registration_id = request.form.get("registration", "")
            if not registration_id.isdigit() or session.get(Registration, int(registration_id)) is None:
                problem = "Choose the LMS the learners belong to."
            elif upload is None or not upload.filename:
                problem = "Choose the mapping file (CSV)."
            else:
                try:
                    mapping = parse_workforce_ids(upload.read(2_000_000).decode("utf-8-sig"))
                    count = save_workforce_ids(session, int(registration_id), mapping)
                    message = f"Stored the ASC-WDS ids of {count} learner keys."
                except (AscWdsError, UnicodeDecodeError) as error:
                    problem = f"The file was not loaded: {error}"
        try:
            categories, settings_problem = unit_categories(options_from_settings(services().settings)), ""
        except AscWdsError as error:
            categories, settings_problem = [], str(error)
        page = render_template(
            "records/workforce_ids.html",
            registrations=registrations,
            categories=categories,
            settings_problem=settings_problem,
            message=message,
            problem=problem,
            csrf=_csrf_token(),
        )
    return page, (400 if problem else 200)


@blueprint.route("/admin/records/issuers", methods=["GET", "POST"])
@admin_required
def admin_issuers():  # type: ignore[no-untyped-def]
    message, problem = "", ""
    with services().db.session() as session:
        if request.method == "POST":
            registration_id = request.form.get("registration", "")
            try:
                providers.save_profile(
                    session,
                    int(registration_id) if registration_id.isdigit() else 0,
                    name=request.form.get("name", "")[:1000],
                    url=request.form.get("url", "")[:4000],
                    email=request.form.get("email", "")[:1000],
                )
                message = "Saved. What this LMS's learners achieve from now on names this provider as issuer."
            except providers.ProfileError as error:
                problem = f"Not saved: {error}."
        registrations = list(session.scalars(select(Registration).order_by(Registration.id)))
        installation = current_issuer()
        rows = [(r, providers.issuer_for(session, installation, r.id)) for r in registrations]
        page = render_template(
            "records/issuers.html",
            rows=rows,
            installation=installation,
            message=message,
            problem=problem,
            csrf=_csrf_token(),
        )
    return page, (400 if problem else 200)
