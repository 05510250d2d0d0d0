"""Every refusal becomes a page a person understands and a log line an admin can act on."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from lti_tool.lti.errors import REFUSALS, LtiRefusal

log = logging.getLogger("lti_tool.refusals")

HTTP_CODES = {
    400: "LTI-BAD-REQUEST",
    404: "LTI-NOT-FOUND",
    405: "LTI-METHOD-NOT-ALLOWED",
    413: "LTI-TOO-LARGE",
    415: "LTI-UNSUPPORTED-MEDIA",
}


def refusal_page(refusal: LtiRefusal, template: str = "error.html", **extra: object) -> tuple[str, int]:
    log.warning(
        "refused %s %s: %s %s (from %s)",
        request.method,
        request.path,
        refusal.code,
        refusal.detail,
        request.remote_addr,
    )
    page = render_template(
        template, code=refusal.code, kind=refusal.kind, detail=refusal.detail, status=refusal.status, **extra
    )
    return page, refusal.status


def register(app: Flask) -> None:
    @app.errorhandler(LtiRefusal)
    def on_refusal(refusal: LtiRefusal):  # type: ignore[no-untyped-def]
        return refusal_page(refusal)

    @app.errorhandler(HTTPException)
    def on_http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        code = HTTP_CODES.get(error.code or 400, "LTI-BAD-REQUEST")
        refusal = LtiRefusal(code, error.description or "", status=error.code or REFUSALS[code].status)
        page, status = refusal_page(refusal)
        return page, status, dict(error.get_headers()) if error.code == 405 else {}

    @app.errorhandler(Exception)
    def on_unexpected(error: Exception):  # type: ignore[no-untyped-def]
        log.exception("unexpected error on %s %s", request.method, request.path)
        return refusal_page(LtiRefusal("LTI-INTERNAL", type(error).__name__))
