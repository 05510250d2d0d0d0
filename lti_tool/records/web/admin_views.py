"""Admin: find a credential by its id and revoke it (its status bit flips; /verify then says revoked)."""

from __future__ import annotations

from flask import render_template, request

from lti_tool.app import services
from lti_tool.records import store
from lti_tool.records.web.common import blueprint
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
