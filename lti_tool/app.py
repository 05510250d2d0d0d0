"""The Flask application factory."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from flask import Flask, Request, current_app
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from lti_tool import keys
from lti_tool.config import load_config
from lti_tool.db import Database
from lti_tool.db.migrate import upgrade
from lti_tool.lti.http import new_http_session
from lti_tool.lti.platform_keys import PlatformKeys

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTALLED_SHARE = Path(sys.prefix) / "share" / "carecert-lti"


@dataclass
class ToolServices:
    """What every request needs, built once per app (per worker process)."""

    settings: MutableMapping[str, Any]
    db: Database
    http: requests.Session
    platform_keys: PlatformKeys


class SessionWhenSent(SecureCookieSessionInterface):
    """Flask's signed-cookie session, opened only when the browser sent one. Flask builds its signer on every
    request before it looks for the cookie, which costs more than many requests' own work (the SCORM commit,
    the launch); only the admin pages keep anything in the session."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()  # saved (and signed) only if a view writes to it
        return super().open_session(app, request)


def services() -> ToolServices:
    return current_app.extensions["carecert"]


def _asset_dir(configured: str, name: str) -> str:
    # Editable installs and source checkouts use the repository's folder; an installed wheel can point the
    # CARECERT_TEMPLATES_DIR/STATIC_DIR settings at a copy, or ship it under <prefix>/share/carecert-lti.
    for candidate in (Path(configured) if configured else None, REPO_ROOT / name, INSTALLED_SHARE / name):
        if candidate is not None and candidate.is_dir():
            return str(candidate.resolve())
    raise RuntimeError(f"cannot find the {name}/ folder: set CARECERT_{name.upper()}_DIR")


def _configure_logging(level: str) -> None:
    logger = logging.getLogger("lti_tool")
    logger.setLevel(level.upper())
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the tool. `config` overrides CARECERT_* environment variables and the optional config file."""
    settings = load_config(config)
    _configure_logging(str(settings["LOG_LEVEL"]))
    app = Flask(
        "lti_tool",
        template_folder=_asset_dir(settings["TEMPLATES_DIR"], "templates"),
        static_folder=_asset_dir(settings["STATIC_DIR"], "static"),
        static_url_path="/static",
    )
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = int(settings["MAX_UPLOAD_BYTES"])
    app.secret_key = settings["SECRET_KEY"]
    app.session_interface = SessionWhenSent()
    db = Database(settings["DATABASE_URL"], settings["SQLITE_SYNCHRONOUS"])
    if settings["AUTO_MIGRATE"]:
        upgrade(db.engine)
    with db.session() as session:
        keys.signing_key(session)  # the first key pair, so the JWKS is never empty
    http = new_http_session()
    platform_keys = PlatformKeys(
        db,
        http,
        cache_seconds=int(settings["PLATFORM_JWKS_CACHE_SECONDS"]),
        refetch_max_per_minute=int(settings["JWKS_REFETCH_MAX_PER_MINUTE"]),
        timeout=float(settings["HTTP_TIMEOUT_SECONDS"]),
    )
    # app.config is the one settings mapping: a test (or a later admin page) changing it is seen everywhere.
    app.extensions["carecert"] = ToolServices(app.config, db, http, platform_keys)
    _register_web(app)
    from lti_tool.catalogue.app_catalogue import install_catalogue

    install_catalogue(app)  # the built-in units: built or found in DATA_DIR, offered in every picker
    return app


def _register_web(app: Flask) -> None:
    from lti_tool.web import admin_views, deep_linking_views, errors, lti_views, registration_views

    @app.after_request
    def common_headers(response):  # type: ignore[no-untyped-def]
        # Launch tokens travel in URLs: never let them leak to other sites through the Referer header.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    errors.register(app)
    app.register_blueprint(lti_views.blueprint)
    app.register_blueprint(deep_linking_views.blueprint)
    app.register_blueprint(registration_views.blueprint)
    app.register_blueprint(admin_views.blueprint)
    from lti_tool.player.blueprint import blueprint as player_blueprint

    app.register_blueprint(player_blueprint)
    from lti_tool.records.web import register as register_records

    register_records(app)
    from lti_tool.assessor.views import blueprint as assessor_blueprint
    from lti_tool.grades.admin_views import blueprint as grades_admin_blueprint

    app.register_blueprint(assessor_blueprint)
    app.register_blueprint(grades_admin_blueprint)
