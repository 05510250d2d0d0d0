"""Response headers that keep package content from reaching the tool's own pages, and cache it well."""

from __future__ import annotations

import time

from flask import Response

# The tool's pages run only their own scripts and styles; the LMS frames them (frame-ancestors *), and the
# SCO's frame comes from this origin or the configured content origin.
_TOOL_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'{content}; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors *"
)


def tool_page_headers(response: Response, content_origin: str = "") -> Response:
    extra = f" {content_origin.rstrip('/')}" if content_origin else ""
    response.headers["Content-Security-Policy"] = _TOOL_CSP.format(content=extra)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def content_headers(response: Response, grant_segment: str) -> Response:
    """Content URLs are content-addressed and carry their expiry: cache them until then, privately."""
    parts = grant_segment.split(".")
    expires = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 0
    seconds = max(0, expires - int(time.time()))
    response.headers["Cache-Control"] = f"private, max-age={seconds}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Accept-Ranges"] = "bytes"
    return response
