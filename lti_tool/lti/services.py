"""Calls to the platform's services (AGS, NRPS) with one access token per registration and scope set.

The library asks the platform for a new token on every call (pylti1p3) or caches it per process
(pylti1p3next); platforms rate-limit token requests. Here the token lives in `access_tokens`, shared by every
request and process until shortly before it expires, and only one process fetches a new one (the row is locked
while it does). `Link` headers are parsed without changing the case of the URL (Canvas paging cursors are
case-sensitive).
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import requests
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.models import AccessToken, Registration, utcnow
from lti_tool.lti.adapter import library_registration
from lti_tool.lti.library import LtiException, ServiceConnector

EXPIRY_MARGIN_SECONDS = 60  # a token this close to expiry is replaced, so no call goes out with a dying token
LINK_PART = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")


class PlatformServiceError(LtiException):
    """The platform refused a service call or its token request; carries the status and its answer."""

    def __init__(self, message: str, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.status = status
        self.body = body


def scope_key(scopes: Sequence[str]) -> str:
    return hashlib.sha256(" ".join(sorted(set(scopes))).encode("utf-8")).hexdigest()


def next_page_url(link_header: str) -> str | None:
    """The rel="next" target of an RFC 8288 Link header, with its case preserved."""
    for match in LINK_PART.finditer(link_header or ""):
        url, params = match.group(1), match.group(2)
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "rel" and "next" in value.strip().strip('"').lower().split():
                return url.strip()
    return None


def _usable(row: AccessToken | None) -> bool:
    return (
        row is not None
        and bool(row.access_token)
        and row.expires_at is not None
        and row.expires_at - utcnow() > timedelta(seconds=EXPIRY_MARGIN_SECONDS)
    )


class SharedTokenConnector(ServiceConnector):
    """The library's ServiceConnector with the database-backed token cache and case-safe paging."""

    def __init__(self, db: Database, registration: Registration, http: requests.Session, timeout: float = 10):
        with db.session(readonly=True) as session:
            library_reg = library_registration(session, registration)
        super().__init__(library_reg, http)
        self._db = db
        self._registration_id = registration.id
        self._timeout = timeout

    def get_access_token(self, scopes: Sequence[str]) -> str:
        key = scope_key(scopes)
        with self._db.session(readonly=True) as session:
            row = self._find(session, key)
            if _usable(row):
                return row.access_token
        with self._db.session() as session:
            row = self._locked_row(session, key, scopes)
            if not _usable(row):  # another process may have fetched it while we waited for the lock
                token, expires_in = self._request_token(scopes)
                row.access_token = token
                row.expires_at = utcnow() + timedelta(seconds=expires_in)
                row.requests_made += 1
            return row.access_token

    def invalidate_token(self, scopes: Sequence[str]) -> None:
        """Forget the cached token (after a 401), so the next call fetches a fresh one."""
        with self._db.session() as session:
            row = self._find(session, scope_key(scopes))
            if row is not None:
                row.expires_at = utcnow()

    def _find(self, session: Session, key: str) -> AccessToken | None:
        return session.scalars(
            select(AccessToken).where(
                AccessToken.registration_id == self._registration_id, AccessToken.scope_key == key
            )
        ).one_or_none()

    def _locked_row(self, session: Session, key: str, scopes: Sequence[str]) -> AccessToken:
        if self._find(session, key) is None:
            try:
                with session.begin_nested():
                    row = AccessToken(
                        registration_id=self._registration_id,
                        scope_key=key,
                        scopes=" ".join(sorted(set(scopes))),
                        access_token="",
                        requests_made=0,
                    )
                    session.add(row)
            except IntegrityError:
                pass  # another process created it first; we lock theirs below
        # PostgreSQL: FOR UPDATE makes other processes wait here; SQLite: our BEGIN IMMEDIATE already did.
        return session.scalars(
            select(AccessToken)
            .where(AccessToken.registration_id == self._registration_id, AccessToken.scope_key == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()

    def _request_token(self, scopes: Sequence[str]) -> tuple[str, int]:
        registration = self._registration
        client_id, token_url = registration.get_client_id(), registration.get_auth_token_url()
        now = int(time.time())
        assertion = self.encode_jwt(
            {
                "iss": client_id,
                "sub": client_id,
                "aud": registration.get_auth_audience() or token_url,
                "iat": now - 5,
                "exp": now + 60,
                "jti": "carecert-" + uuid.uuid4().hex,
            },
            registration.get_tool_private_key(),
            {"kid": registration.get_kid()},
        )
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": " ".join(sorted(set(scopes))),
        }
        try:
            response = self._requests_session.post(token_url, data=form, timeout=self._timeout)
        except requests.RequestException as exc:
            raise PlatformServiceError(f"token request to {token_url} failed: {exc}") from exc
        if not response.ok:
            raise PlatformServiceError(
                f"token request answered HTTP {response.status_code}",
                response.status_code,
                response.text[:2000],
            )
        try:
            answer = response.json()
            token, expires_in = str(answer["access_token"]), int(answer.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError) as exc:
            raise PlatformServiceError(
                "token answer is not a JSON access token", response.status_code
            ) from exc
        return token, expires_in

    def make_service_request(
        self,
        scopes: Sequence[str],
        url: str,
        *,
        is_post: bool = False,
        data: str | None = None,
        content_type: str = "application/json",
        accept: str = "application/json",
        case_insensitive_headers: bool = False,
    ) -> dict[str, Any]:
        headers = {"Authorization": "Bearer " + self.get_access_token(scopes), "Accept": accept}
        try:
            if is_post:
                headers["Content-Type"] = content_type
                response = self._requests_session.post(url, data=data, headers=headers, timeout=self._timeout)
            else:
                response = self._requests_session.get(url, headers=headers, timeout=self._timeout)
        except requests.RequestException as exc:
            raise PlatformServiceError(f"service call to {url} failed: {exc}") from exc
        if response.status_code == 401:
            self.invalidate_token(scopes)
        if not response.ok:
            raise PlatformServiceError(
                f"service call answered HTTP {response.status_code}",
                response.status_code,
                response.text[:2000],
            )
        return {
            "headers": response.headers if case_insensitive_headers else dict(response.headers),
            "body": response.json() if response.content else None,
            "next_page_url": next_page_url(response.headers.get("Link", "")),
        }
