"""The HTTP half of AGS: score POSTs and line item lookups, answering what the platform said (never raising
for an HTTP status), with one access token per registration shared through the database.

Token: every AGS and NRPS call of a registration uses one token asking for all the scopes the platform
granted, so a registration costs one token request per token lifetime whatever it calls. The token is kept in
memory too (the database row is the shared copy), and after a 401 it is replaced once — only if it is still
the one that was refused, so a burst of 401s fetches one new token, not one each.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from sqlalchemy import update

from lti_tool.db import Database
from lti_tool.db.models import AccessToken, Registration, utcnow
from lti_tool.lti.http import USER_AGENT, new_http_session
from lti_tool.lti.services import EXPIRY_MARGIN_SECONDS, SharedTokenConnector, next_page_url, scope_key

SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
SERVICE_SCOPES = (SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE, SCOPE_NRPS)

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
ANSWER_LIMIT = 2000  # characters of a platform's answer kept for the assessor's sync list


def scores_url(lineitem_url: str) -> str:
    """The line item's /scores endpoint: inserted into the path, before any query string (Moodle's line item
    URLs end in `?type_id=N`)."""
    parts = urlsplit(lineitem_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    extra = urlencode(params)
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def service_scopes(registration: Registration) -> list[str]:
    """The scopes to ask for: what the platform granted (dynamic registration) or, when unknown, all ours."""
    granted = set(registration.scopes.split()) & set(SERVICE_SCOPES)
    return sorted(granted or SERVICE_SCOPES)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """RFC 9110 §10.2.3: delay-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - now).total_seconds()) if moment.tzinfo else None


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer (network error, timeout)
    body: str
    retry_after: float | None = None
    error: str = ""
    json: Any = None
    next_url: str | None = None  # rel="next" of the Link header (paged containers)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        if self.status is None:
            return self.error
        return f"HTTP {self.status}: {self.body}" if self.body else f"HTTP {self.status} (empty answer)"


class TokenSource:
    """One registration's access token: from memory, else the shared database row, else the platform."""

    def __init__(self, db: Database, registration: Registration, http: requests.Session, timeout: float):
        self._connector = SharedTokenConnector(db, registration, http, timeout)
        self._db = db
        self._registration_id = registration.id
        self.scopes = service_scopes(registration)
        self._token: str | None = None
        self._expires_at: datetime | None = None
        self._lock = threading.Lock()

    def token(self) -> str:
        with self._lock:
            fresh = self._expires_at is not None and self._expires_at - utcnow() > timedelta(
                seconds=EXPIRY_MARGIN_SECONDS
            )
            if self._token is None or not fresh:
                self._token = self._connector.get_access_token(self.scopes)
                self._expires_at = self._row_expiry()
            return self._token

    def refused(self, token: str) -> None:
        """The platform answered 401 to `token`: forget it, in memory and in the shared row, unless a newer
        one has already replaced it."""
        with self._lock:
            if self._token == token:
                self._token = None
            with self._db.session() as session:
                session.execute(
                    update(AccessToken)
                    .where(
                        AccessToken.registration_id == self._registration_id,
                        AccessToken.scope_key == scope_key(self.scopes),
                        AccessToken.access_token == token,
                    )
                    .values(expires_at=utcnow())
                )

    def _row_expiry(self) -> datetime | None:
        from sqlalchemy import select

        with self._db.session(readonly=True) as session:
            return session.scalar(
                select(AccessToken.expires_at).where(
                    AccessToken.registration_id == self._registration_id,
                    AccessToken.scope_key == scope_key(self.scopes),
                )
            )


def pooled_http_session(connections: int) -> requests.Session:
    """Keep-alive connections for as many concurrent calls as the worker makes (requests keeps 10)."""
    session = new_http_session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(connections, 10))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def service_pool(connections: int) -> urllib3.PoolManager:
    """Keep-alive connections for the service calls themselves. urllib3 straight, not requests on top of it:
    a score POST costs a third of the CPU (requests' hooks, cookie jar and adapter layers), and the score
    POST is the bulk of what the worker does. Certificates are checked against the same CA bundle as
    requests'."""
    return urllib3.PoolManager(
        num_pools=8,
        maxsize=max(connections, 10),
        headers={"User-Agent": USER_AGENT},
        cert_reqs="CERT_REQUIRED",
        ca_certs=requests.certs.where(),
    )


def _no_retries(method: str) -> urllib3.Retry:
    """The worker decides about retries (backoff, outcome_unknown): urllib3 must not silently try again.
    GETs follow redirects as requests did; a POST is never re-sent to another address."""
    return urllib3.Retry(
        total=None,
        connect=0,
        read=0,
        status=0,
        other=0,
        redirect=5 if method == "GET" else 0,
        raise_on_redirect=False,
        raise_on_status=False,
    )


class AgsClient:
    """Service calls of one process. `http` (requests) stays the token requests' session (lti_tool.lti's
    connector takes one); the calls themselves go through `pool`."""

    def __init__(self, http: requests.Session, timeout: float = 10.0, connections: int = 10):
        self.http = http
        self.timeout = timeout
        self.pool = service_pool(connections)

    def call(
        self,
        tokens: TokenSource,
        method: str,
        url: str,
        *,
        body: Any = None,
        content_type: str = "",
        accept: str,
    ) -> Answer:
        """One service call; a 401 gets one fresh token and one more try."""
        answer, token = self._once(tokens, method, url, body, content_type, accept)
        if answer.status == 401:
            tokens.refused(token)
            answer, _ = self._once(tokens, method, url, body, content_type, accept)
        return answer

    def _once(
        self, tokens: TokenSource, method: str, url: str, body: Any, content_type: str, accept: str
    ) -> tuple[Answer, str]:
        try:
            token = tokens.token()
        except Exception as exc:  # noqa: BLE001 - the token endpoint's failure is this call's answer
            status = getattr(exc, "status", None)
            return Answer(status if status and status >= 500 else None, "", error=f"access token: {exc}"), ""
        headers = {"Authorization": f"Bearer {token}", "Accept": accept, "User-Agent": USER_AGENT}
        data = None
        if body is not None:
            headers["Content-Type"] = content_type
            data = json.dumps(body).encode()
        try:
            response = self.pool.urlopen(
                method,
                url,
                body=data,
                headers=headers,
                timeout=self.timeout,
                retries=_no_retries(method),
                redirect=method == "GET",
            )
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            problem = getattr(exc, "reason", None) or exc  # MaxRetryError wraps the real cause
            return Answer(None, "", error=f"{type(problem).__name__}: {problem}"[:ANSWER_LIMIT]), token
        return self._answer(response), token

    @staticmethod
    def _answer(response: urllib3.BaseHTTPResponse) -> Answer:
        content = response.data or b""
        text = content.decode("utf-8", "replace")
        parsed = None
        if content and "json" in response.headers.get("Content-Type", ""):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
        return Answer(
            response.status,
            text[:ANSWER_LIMIT],
            retry_after_seconds(response.headers.get("Retry-After"), utcnow()),
            json=parsed,
            next_url=next_page_url(response.headers.get("Link", "")),
        )

    def close(self) -> None:
        self.pool.clear()
        self.http.close()

    def post_score(self, tokens: TokenSource, lineitem_url: str, score: dict[str, Any]) -> Answer:
        return self.call(
            tokens,
            "POST",
            scores_url(lineitem_url),
            body=score,
            content_type=SCORE_TYPE,
            accept="application/json",
        )

    def find_line_item(
        self, tokens: TokenSource, lineitems_url: str, resource_link_id: str, tag: str
    ) -> Answer:
        query = {"resource_link_id": resource_link_id, "tag": tag}
        return self.call(tokens, "GET", with_query(lineitems_url, query), accept=CONTAINER_TYPE)

    def create_line_item(self, tokens: TokenSource, lineitems_url: str, line_item: dict[str, Any]) -> Answer:
        return self.call(
            tokens, "POST", lineitems_url, body=line_item, content_type=LINEITEM_TYPE, accept=LINEITEM_TYPE
        )
