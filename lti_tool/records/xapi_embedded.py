"""xAPI delivery inside the web server (`carecert serve`), when an LRS is configured: one thread per process.

Like grade delivery, the embedded default needs no second process. Several server processes are safe: rows
are claimed under a lease, and a statement id is unique, so two processes collecting the same attempt at once
make one of them fail its round and try again later. Larger installs set
CARECERT_XAPI_EMBEDDED_WORKER=false and run `carecert records xapi-worker`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask

from lti_tool.records.issuer import Issuer, issuer_from_settings
from lti_tool.records.xapi_outbox import XapiDelivery, lrs_from_settings

log = logging.getLogger(__name__)
OFF = {"0", "false", "no", "off"}
PAUSE_AFTER_ERROR_SECONDS = 30.0


def xapi_embedded_enabled(settings: Mapping[str, Any]) -> bool:
    if lrs_from_settings(dict(settings)) is None:
        return False
    return str(settings.get("XAPI_EMBEDDED_WORKER", "true")).strip().lower() not in OFF


def run_resiliently(
    delivery: XapiDelivery, issuer: Issuer, stop: threading.Event, pause: float = PAUSE_AFTER_ERROR_SECONDS
) -> None:
    """Keep delivering until `stop` is set. A failed round (the database busy, a race with another process
    collecting the same statement) is logged and retried: a web worker's delivery thread must not die
    quietly."""
    while not stop.is_set():
        try:
            delivery.run_forever(issuer, stop.is_set)
        except Exception:  # noqa: BLE001 - anything a round raises; the rows stay queued for the next one
            log.exception("xAPI delivery round failed; retrying in %.0f s", pause)
            stop.wait(pause)


def start_embedded_xapi(app: Flask, run: Callable[..., None] = run_resiliently) -> threading.Event | None:
    """Start the delivery thread for `app`'s database; returns the event that stops it (None when off)."""
    settings = app.config
    if not xapi_embedded_enabled(settings):
        return None
    services = app.extensions["carecert"]
    delivery = XapiDelivery(services.db, lrs_from_settings(dict(settings)))
    stop = threading.Event()
    thread = threading.Thread(
        target=run, args=(delivery, issuer_from_settings(settings), stop), name="xapi-delivery", daemon=True
    )
    thread.start()
    log.info("xAPI delivery to %s runs in this process", delivery.lrs.endpoint)
    return stop
