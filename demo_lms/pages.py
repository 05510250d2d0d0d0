"""The demo LMS's own pages: the course (launch buttons), an embedding page, gradebook, tool registration."""

from __future__ import annotations

from urllib.parse import urlsplit

import flask

from demo_lms.platform import DemoPlatform

blueprint = flask.Blueprint("pages", __name__)


def _platform() -> DemoPlatform:
    return flask.current_app.extensions["demo_platform"]


@blueprint.get("/")
def home() -> flask.Response:
    return flask.redirect(flask.url_for("pages.course"))


@blueprint.get("/course")
def course() -> str:
    platform = _platform()
    return flask.render_template(
        "course.html",
        platform=platform,
        links=list(platform.resource_links.values()),
        users=list(platform.users.values()),
        instructors=[u for u in platform.users.values() if u.role == "Instructor"],
        tool=platform.tool if platform.tools else None,
    )


@blueprint.get("/course/embed")
def embed() -> flask.Response | str:
    """The launch inside an iframe of this page, as Moodle's default "embed" presentation does."""
    platform = _platform()
    link = platform.resource_links.get(flask.request.args.get("rl", ""))
    user = platform.users.get(flask.request.args.get("user", ""))
    if link is None or user is None:
        return flask.Response("Unknown activity or user.", status=404, mimetype="text/plain")
    launch_url = flask.url_for("start_launch", rl=link.id, user=user.id, target="iframe")
    tool = platform.tools.get(link.client_id)
    tool_origins = sorted({_origin(url) for url in [*tool.redirect_uris, tool.login_url]}) if tool else []
    page = {"platform": platform, "link": link, "user": user, "launch_url": launch_url}
    return flask.render_template("embed.html", tool_origins=tool_origins, **page)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@blueprint.get("/gradebook")
def gradebook() -> str:
    platform = _platform()
    learners = [u for u in platform.users.values() if u.role == "Learner"]
    return flask.render_template(
        "gradebook.html",
        platform=platform,
        items=list(platform.line_items.values()),
        learners=learners,
        entries=platform.gradebook.entries,
        log=list(reversed(platform.gradebook.score_log[-50:])),
    )


@blueprint.get("/admin/tools")
def tools() -> str:
    return flask.render_template("tools.html", platform=_platform(), tools=list(_platform().tools.values()))


@blueprint.get("/admin/tools/register")
def start_registration() -> flask.Response:
    """Send the admin's browser to the tool's registration URL with our configuration URL and a fresh
    token."""
    tool_url = flask.request.args.get("tool_registration_url", "").strip()
    if not tool_url.startswith(("http://", "https://")):
        return flask.Response(
            "Give the tool's registration URL (http or https).", status=400, mimetype="text/plain"
        )
    return flask.redirect(_platform().registration_start_url(tool_url))


@blueprint.post("/admin/tools/<client_id>/activate")
def activate(client_id: str) -> flask.Response:
    tool = _platform().tools.get(client_id)
    if tool is None:
        return flask.Response("Unknown tool.", status=404, mimetype="text/plain")
    tool.active = True
    return flask.redirect(flask.url_for("pages.tools"), code=303)
