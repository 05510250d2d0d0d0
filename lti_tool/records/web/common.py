"""What every records route needs: the blueprint, the issuer from settings, JSON answers."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response

from lti_tool.app import services
from lti_tool.records.issuer import Issuer, issuer_from_settings

blueprint = Blueprint("records", __name__)


def current_issuer() -> Issuer:
    return issuer_from_settings(services().settings)


def json_response(document: Any, status: int = 200, media_type: str = "application/json") -> Response:
    body = json.dumps(document, indent=2, ensure_ascii=False)
    response = Response(body, status=status, mimetype=media_type)
    response.headers["Access-Control-Allow-Origin"] = (
        "*"  # public documents: wallets and verifiers fetch them
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def download(body: str | bytes, file_name: str, media_type: str) -> Response:
    response = Response(body, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
