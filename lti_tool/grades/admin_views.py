"""The admin's grade sync health page: outbox depth, oldest undelivered score, failures per registration."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from lti_tool.app import services
from lti_tool.grades.status import outbox_health
from lti_tool.web.admin_views import admin_required

blueprint = Blueprint("grades_admin", __name__, url_prefix="/admin/grades")


@blueprint.get("/")
@admin_required
def health():  # type: ignore[no-untyped-def]
    with services().db.session(readonly=True) as session:
        report = outbox_health(session)
    if request.args.get("format") == "json":
        return jsonify(report.to_dict())
    return render_template("admin/grades_health.html", health=report)
