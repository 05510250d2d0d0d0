"""`carecert serve`: the tool under gunicorn (several worker processes), migrations applied first."""

from __future__ import annotations

import os

import click

from lti_tool.cli.common import open_database


def _start_delivery_threads(server_worker):  # type: ignore[no-untyped-def]
    """gunicorn hook: grades (off: CARECERT_GRADES_EMBEDDED_WORKER=false) and xAPI (when CARECERT_LRS_ENDPOINT
    is set; off: CARECERT_XAPI_EMBEDDED_WORKER=false) are delivered from inside each web worker."""
    from flask import Flask

    from lti_tool.grades.embedded import gunicorn_post_worker_init
    from lti_tool.records.xapi_embedded import start_embedded_xapi

    gunicorn_post_worker_init(server_worker)
    app = getattr(server_worker, "wsgi", None)
    if isinstance(app, Flask):
        server_worker.xapi_delivery = start_embedded_xapi(app)


ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def _gunicorn_application(bind: str, workers: int, threads: int, timeout: int):  # type: ignore[no-untyped-def]
    from gunicorn.app.base import BaseApplication

    class ToolServer(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", bind)
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("timeout", timeout)
            self.cfg.set("accesslog", "-")
            # Paths only: query strings and referrers carry launch tokens (lt=...), which logs must not keep.
            self.cfg.set("access_log_format", ACCESS_LOG_FORMAT)
            # The new-window login carries its signed state in the URL (lti_tool.lti.login_state): a long
            # LMS login hint can pass gunicorn's default 4094-byte request line; 8190 is its largest limit.
            self.cfg.set("limit_request_line", 8190)
            self.cfg.set("control_socket_disable", True)  # several instances on one machine (tests, demo)
            self.cfg.set("forwarded_allow_ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))
            # Each web worker also delivers grades and, when an LRS is set, xAPI statements.
            self.cfg.set("post_worker_init", _start_delivery_threads)

        def load(self):  # type: ignore[no-untyped-def]
            from lti_tool.app import create_app

            # The master applied the migrations; workers must not race to do it again.
            return create_app({"AUTO_MIGRATE": False})

    return ToolServer()


@click.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="host:port to listen on.")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Threads per worker."
)
@click.option(
    "--timeout", default=60, show_default=True, type=int, help="Seconds before a stuck worker restarts."
)
def serve(bind: str, workers: int, threads: int, timeout: int) -> None:
    """Run the tool with gunicorn. Configuration comes from CARECERT_* environment variables."""
    from lti_tool import keys

    settings, db = open_database(migrate=True)
    with db.session() as session:
        keys.signing_key(session)
    db.dispose()
    click.echo(
        f"carecert-lti on http://{bind} (public URL {settings['BASE_URL']}), {workers} workers", err=True
    )
    _gunicorn_application(bind, workers, threads, timeout).run()
