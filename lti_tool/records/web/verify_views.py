"""The public /verify page and its JSON API: paste or upload a credential (JWT, JSON or passport), or follow
a shareable link `/verify?credential=<uuid>` to a credential we issued."""

from __future__ import annotations

from flask import Response, render_template, request

from lti_tool.app import services
from lti_tool.records import service, store
from lti_tool.records.verification import MAX_BLOB_CHARS, VerificationReport
from lti_tool.records.web.common import blueprint, current_issuer, json_response


def _stored_credential(credential_uuid: str) -> dict | None:
    with services().db.session(readonly=True) as session:
        try:
            return store.find_record(session, credential_uuid[:36]).document
        except store.RecordNotFound:
            return None


def _submitted_blob() -> str | bytes | None:
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return upload.read(MAX_BLOB_CHARS + 1)
    text = request.form.get("credential", "")
    return text if text.strip() else None


def _verify(blob: object) -> VerificationReport:
    with services().db.session(readonly=True) as session:
        return service.verify(session, current_issuer(), blob)


@blueprint.route("/verify", methods=["GET", "POST"])
def verify_page():  # type: ignore[no-untyped-def]
    report, problem, status = None, "", 200
    if request.method == "POST":
        blob = _submitted_blob()
        if blob is None:
            problem, status = "Paste a credential or choose a file first.", 400
        else:
            report = _verify(blob)
    elif request.args.get("credential"):
        document = _stored_credential(request.args["credential"])
        if document is None:
            problem, status = (
                "We have no credential with that link. Check the link, or paste the credential.",
                404,
            )
        else:
            report = _verify(document)
    page = render_template("records/verify.html", report=report, problem=problem)
    response = Response(page, status=status)
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.route("/verify/api", methods=["GET", "POST"])
def verify_api():  # type: ignore[no-untyped-def]
    if request.method == "GET":
        document = _stored_credential(request.args.get("credential", ""))
        if document is None:
            return json_response({"error": "no credential with that id"}, 404)
        return json_response(_verify(document).to_dict())
    if request.content_length and request.content_length > MAX_BLOB_CHARS:
        return json_response({"error": "that is far larger than any credential"}, 413)
    if request.is_json:
        try:
            payload = request.get_json(silent=True)
        except RecursionError:
            payload = None
        blob = payload.get("credential", payload) if isinstance(payload, dict) else payload
    else:
        blob = request.get_data(cache=False)
    if blob in (None, b"", ""):
        return json_response({"error": 'send a credential: JSON, a JWT, or {"credential": ...}'}, 400)
    return json_response(_verify(blob).to_dict())
