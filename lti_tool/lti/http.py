"""Outgoing HTTP to platforms: one requests session per process, always with a User-Agent and a timeout."""

from __future__ import annotations

import requests

USER_AGENT = "carecert-lti/0.1 (+LTI 1.3 tool)"  # some platforms refuse requests without one


def new_http_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session
