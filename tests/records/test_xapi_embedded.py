"""xAPI delivery inside the web server: on only when an LRS is set; a failed round never stops it."""

from __future__ import annotations

import threading
import time

from lti_tool.records import xapi_outbox
from lti_tool.records.models import SENT
from lti_tool.records.xapi_embedded import run_resiliently, xapi_embedded_enabled
from tests.records.test_xapi import ISSUER, lrs, play, statuses, world  # noqa: F401 - fixtures


def test_embedded_delivery_is_off_without_an_lrs():
    assert not xapi_embedded_enabled({"LRS_ENDPOINT": ""})


def test_embedded_delivery_is_on_when_an_lrs_is_set_unless_turned_off():
    assert xapi_embedded_enabled({"LRS_ENDPOINT": "http://127.0.0.1:9/xAPI/"})
    assert not xapi_embedded_enabled(
        {"LRS_ENDPOINT": "http://127.0.0.1:9/xAPI/", "XAPI_EMBEDDED_WORKER": "false"}
    )


class FailsFirstRound(xapi_outbox.XapiDelivery):
    """The real delivery, whose first round meets an error (as a busy database or a collecting race would)."""

    failed = False

    def run_once(self) -> int:
        if not self.failed:
            self.failed = True
            raise RuntimeError("database is locked")
        return super().run_once()


def test_a_failed_round_is_retried_and_every_statement_reaches_the_lrs(world, lrs):  # noqa: F811
    play(world, unit_id="u03")
    settings = xapi_outbox.LrsSettings(lrs.endpoint, "test", "test", timeout=5.0)
    delivery = FailsFirstRound(world.db, settings)
    stop = threading.Event()
    thread = threading.Thread(target=run_resiliently, args=(delivery, ISSUER, stop, 0.05), daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and set(statuses(world)) != {SENT}:
        time.sleep(0.2)
    stop.set()
    thread.join(30)
    assert delivery.failed
    assert statuses(world) and set(statuses(world)) == {SENT}
    assert not thread.is_alive()
