"""The delivery worker inside the web server (`carecert serve`): one thread per server process.

The embedded default needs no second process to configure; several server processes share the outbox
safely (leased claims). Larger installs set CARECERT_GRADES_EMBEDDED_WORKER=false and run `carecert worker`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask

from lti_tool.grades.worker import DeliveryWorker

log = logging.getLogger(__name__)
OFF = {"0", "false", "no", "off"}


@dataclass
class EmbeddedWorker:
    worker: DeliveryWorker
    thread: threading.Thread
    stop_event: threading.Event

    def stop(self, timeout: float = 15.0) -> None:
        self.stop_event.set()
        self.thread.join(timeout)


def embedded_worker_enabled(settings: Mapping[str, Any]) -> bool:
    return str(settings.get("GRADES_EMBEDDED_WORKER", "true")).strip().lower() not in OFF


def start_embedded_worker(app: Flask, **options: Any) -> EmbeddedWorker:
    """Start delivering the outbox of `app`'s database in a daemon thread."""
    services = app.extensions["carecert"]
    options.setdefault("timeout", float(services.settings["HTTP_TIMEOUT_SECONDS"]))
    options.setdefault("concurrency", 4)
    worker = DeliveryWorker(services.db, **options)
    stop_event = threading.Event()
    thread = threading.Thread(
        target=worker.run_forever, args=(stop_event,), name="grade-delivery", daemon=True
    )
    thread.start()
    return EmbeddedWorker(worker, thread, stop_event)


def gunicorn_post_worker_init(server_worker: Any) -> None:
    """gunicorn hook: each web worker process also delivers grades, unless configured off."""
    app = getattr(server_worker, "wsgi", None)
    if isinstance(app, Flask) and embedded_worker_enabled(app.config):
        server_worker.grade_delivery = start_embedded_worker(app)
        log.info("grade delivery runs inside web worker %s", server_worker.pid)
