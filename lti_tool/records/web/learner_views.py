"""My records: the learner (reached by launch) sees each unit's state, downloads credentials and the passport,
gets a shareable verification link with its QR code, and a printable PDF certificate."""

from __future__ import annotations

import json

from flask import Response, abort, render_template

from lti_tool.app import services
from lti_tool.db.models import User
from lti_tool.player.headers import tool_page_headers
from lti_tool.records import providers, service, store
from lti_tool.records.certificate_pdf import CertificateLine, certificate_pdf, qr_svg
from lti_tool.records.web.common import blueprint, current_issuer, download, json_response
from lti_tool.web.launch_context import current_launch


def _learner(session):  # type: ignore[no-untyped-def]
    found = current_launch(session)
    return found, found.launch.registration_id, found.launch.user_pk


@blueprint.route("/records/mine", methods=["GET"])
def my_records():  # type: ignore[no-untyped-def]
    with services().db.session() as session:
        found, registration_id, user_pk = _learner(session)
        issuer = providers.issuer_for(session, current_issuer(), registration_id)  # named on the page
        records = service.sync_learner(session, issuer, registration_id, user_pk)
        user = session.get(User, user_pk)
        rows = []
        for facts in records.facts:
            record = records.units.get(facts.unit_id)
            link = issuer.verify_url(record.credential_uuid) if record else ""
            rows.append(
                {"facts": facts, "record": record, "verify_url": link, "qr": qr_svg(link) if link else ""}
            )
        page = render_template(
            "records/mine.html",
            launch=found,
            learner=user,
            rows=rows,
            certificate=records.certificate,
            achieved=len(records.units),
            issuer=issuer,
        )
    return tool_page_headers(Response(page))


def _own_record(session, credential_uuid: str):  # type: ignore[no-untyped-def]
    _, registration_id, user_pk = _learner(session)
    try:
        record = store.find_record(session, credential_uuid[:36], registration_id)
    except store.RecordNotFound:
        abort(404)
    if record.user_pk != user_pk:
        abort(404)  # another learner's credential: not found, rather than a hint that it exists
    return record


@blueprint.route("/records/mine/<credential_uuid>.json", methods=["GET"])
def credential_json(credential_uuid: str):  # type: ignore[no-untyped-def]
    with services().db.session(readonly=True) as session:
        record = _own_record(session, credential_uuid)
        response = json_response(record.document, media_type="application/vc+ld+json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{record.unit_id or record.kind}-credential.json"'
    )
    return response


@blueprint.route("/records/mine/<credential_uuid>.jwt", methods=["GET"])
def credential_jwt(credential_uuid: str):  # type: ignore[no-untyped-def]
    with services().db.session(readonly=True) as session:
        record = _own_record(session, credential_uuid)
        return download(record.jwt, f"{record.unit_id or record.kind}-credential.jwt", "application/vc+jwt")


@blueprint.route("/records/mine/passport.json", methods=["GET"])
def passport_json():  # type: ignore[no-untyped-def]
    with services().db.session() as session:
        _, registration_id, user_pk = _learner(session)
        try:
            record = service.passport(session, current_issuer(), registration_id, user_pk)
        except LookupError:
            abort(404)
        body = json.dumps(record.document, indent=2, ensure_ascii=False)
    return download(body, "skills-passport.json", "application/vc+ld+json")


@blueprint.route("/records/mine/certificate.pdf", methods=["GET"])
def certificate():  # type: ignore[no-untyped-def]
    with services().db.session() as session:
        _, registration_id, user_pk = _learner(session)
        issuer = providers.issuer_for(session, current_issuer(), registration_id)  # named on the PDF
        try:
            passport = service.passport(session, issuer, registration_id, user_pk)
        except LookupError:
            abort(404)
        records = store.current_unit_records(session, registration_id, user_pk)
        user = session.get(User, user_pk)
        lines = [
            CertificateLine(unit_id, record.title.split(": ", 1)[-1], record.achieved_at)
            for unit_id, record in sorted(records.items())
        ]
        pdf = certificate_pdf(
            user.name if user else "",
            issuer.name,
            lines,
            issuer.verify_url(passport.credential_uuid),
            complete=len(lines) == 15,
        )
    return download(pdf, "care-certificate.pdf", "application/pdf")


@blueprint.route("/records/mine/passport", methods=["GET"])
def passport_share():  # type: ignore[no-untyped-def]
    """The passport's shareable verification link and QR code (reused while the units are the same)."""
    issuer = current_issuer()
    with services().db.session() as session:
        found, registration_id, user_pk = _learner(session)
        try:
            record = service.passport(session, issuer, registration_id, user_pk)
        except LookupError:
            abort(404)
        link = issuer.verify_url(record.credential_uuid)
        page = render_template(
            "records/passport.html", launch=found, record=record, link=link, qr=qr_svg(link)
        )
    return tool_page_headers(Response(page))
