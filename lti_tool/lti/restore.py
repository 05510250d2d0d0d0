"""A past launch, restored from its launch session, for calls to the platform's services (AGS, NRPS).

The library's `MessageLaunch.from_cache` reads launch data from its session service and builds a service
connector that keeps tokens per process; here the claims come from `launch_sessions` and the connector is the
shared-token one. Issues 4 and 5 use `restored_launch(...).get_ags()` / `.get_nrps()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from lti_tool.db import Database
from lti_tool.db.models import LaunchSession, Registration
from lti_tool.lti.adapter import (
    DatabaseSessionService,
    DatabaseToolConfig,
    LaunchCookies,
    ParamsRequest,
    library_registration,
)
from lti_tool.lti.library import MessageLaunch
from lti_tool.lti.services import SharedTokenConnector


class RestoredLaunch(MessageLaunch):
    """A launch that was validated earlier; only its claims and registration are used."""

    def __init__(
        self, db: Database, settings: Mapping[str, Any], http: requests.Session, registration: Registration
    ):
        request = ParamsRequest({}, {}, True)
        with db.session(readonly=True) as session:
            super().__init__(
                request,
                DatabaseToolConfig(session),
                session_service=DatabaseSessionService(session),
                cookie_service=LaunchCookies(request, True),
                requests_session=http,
            )
            self._registration = library_registration(session, registration)
        self._settings = settings
        self._tool_db = db
        self._http = http
        self.our_registration = registration

    def get_service_connector(self) -> SharedTokenConnector:
        assert self.our_registration is not None
        timeout = float(self._settings["HTTP_TIMEOUT_SECONDS"])
        return SharedTokenConnector(self._tool_db, self.our_registration, self._http, timeout)


def restored_launch(
    db: Database,
    settings: Mapping[str, Any],
    http: requests.Session,
    launch: LaunchSession,
    registration: Registration,
) -> RestoredLaunch:
    if launch.registration_id != registration.id:
        raise ValueError("the launch belongs to another registration")
    restored = RestoredLaunch(db, settings, http, registration)
    restored.set_jwt({"body": dict(launch.claims)}).set_restored().set_auto_validation(enable=False)
    restored._validated = True
    return restored
