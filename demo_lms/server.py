"""Run a WSGI app (the demo LMS, or the tool in tests) on a loopback port in a daemon thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request (tests and benchmarks make thousands)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class RunningServer:
    url: str
    host: str
    port: int
    _server: BaseWSGIServer
    _thread: threading.Thread

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve_in_thread(
    wsgi_app: Callable[..., Any],
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    url_host: str | None = None,
    quiet: bool = True,
) -> RunningServer:
    """Serve `wsgi_app` (threaded) on host:port (0: a free port). `url_host` names the host in .url, e.g.
    "localhost" so that a page at 127.0.0.1 and one at localhost are different sites for a browser."""
    handler = QuietRequestHandler if quiet else WSGIRequestHandler
    server = make_server(host, port, wsgi_app, threaded=True, request_handler=handler)
    server.daemon_threads = True
    # A short poll interval: stop() waits up to one interval, and tests start and stop many servers.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"wsgi-{server.port}", daemon=True
    )
    thread.start()
    return RunningServer(f"http://{url_host or host}:{server.port}", host, server.port, server, thread)


def serve_platform(platform: Any, host: str = "127.0.0.1", port: int = 0, **kwargs: Any) -> RunningServer:
    """Start the demo LMS for `platform`; its issuer becomes the server's URL unless it was set."""
    from demo_lms.app import create_platform_app

    running = serve_in_thread(create_platform_app(platform), host, port, **kwargs)
    if not platform.issuer:
        platform.issuer = running.url
    return running
