"""The records web: published documents (issuer, achievements, keys, status lists), the learner's My records
page, the public /verify page and JSON API, and the admin's revoke page. One blueprint, routes by job."""

from __future__ import annotations

from flask import Flask

from lti_tool.records.web.common import blueprint


def register(app: Flask) -> None:
    from lti_tool.records.web import admin_views, learner_views, publication, verify_views  # noqa: F401

    app.register_blueprint(blueprint)
