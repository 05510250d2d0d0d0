"""The platforms' public keys: cached per registration, refetched once when an unknown `kid` arrives.

Platforms rotate keys (Brightspace often); the library keeps failing with "Unable to find public key" until
its cache expires. We refetch on an unknown kid, but at most JWKS_REFETCH_MAX_PER_MINUTE times per
registration, so a stream of forged kids cannot make us hammer the platform. Cache writes run in their own
transaction, so a refused launch does not roll back the rate limit.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta
from functools import lru_cache

import requests
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import select

from lti_tool.db import Database
from lti_tool.db.models import Registration, utcnow
from lti_tool.lti.errors import LtiRefusal

log = logging.getLogger(__name__)
REFETCH_WINDOW = timedelta(minutes=1)
MEMO_SECONDS = 30


@lru_cache(maxsize=256)
def _public_key_from_jwk(jwk_json: str) -> object:
    return RSAAlgorithm.from_jwk(jwk_json)


def _find_jwk(key_set: dict | None, kid: str) -> dict | None:
    keys = key_set.get("keys") if isinstance(key_set, dict) else None
    if not isinstance(keys, list):
        return None
    for jwk in keys:
        if isinstance(jwk, dict) and jwk.get("kid") == kid:
            return jwk
    return None


def _public_key(jwk: dict, kid: str) -> object:
    if jwk.get("kty") != "RSA":
        raise LtiRefusal("LTI-ALG-UNSUPPORTED", f"key {kid!r} is a {jwk.get('kty')!r} key, not RSA")
    try:
        return _public_key_from_jwk(json.dumps(jwk, sort_keys=True))
    except (ValueError, TypeError, KeyError) as exc:
        raise LtiRefusal("LTI-PLATFORM-KEYS-UNAVAILABLE", f"key {kid!r} cannot be read: {exc}") from exc


class PlatformKeys:
    def __init__(
        self,
        db: Database,
        http: requests.Session,
        *,
        cache_seconds: int = 3600,
        refetch_max_per_minute: int = 5,
        timeout: float = 10,
    ):
        self._db = db
        self._http = http
        self._cache_for = timedelta(seconds=cache_seconds)
        self._refetch_max = refetch_max_per_minute
        self._timeout = timeout
        self._memo: dict[int, tuple[dict | None, datetime | None, float]] = {}
        self._read_keys: dict[tuple[int, str], tuple[dict, object]] = {}

    @property
    def http(self) -> requests.Session:
        return self._http

    def public_key(self, registration_id: int, kid: str) -> object:
        """The platform's RSA public key for `kid`, or an LtiRefusal saying why there is none."""
        key = self.known_public_key(registration_id, kid)
        if key is not None:
            return key
        jwk = _find_jwk(self._refresh(registration_id, counted=not self._stale(registration_id)), kid)
        if jwk is None:
            raise LtiRefusal("LTI-KID-UNKNOWN", f"the platform's key set has no key with kid {kid!r}")
        return _public_key(jwk, kid)

    def known_public_key(self, registration_id: int, kid: str) -> object | None:
        """The key for `kid` from the cached key set, or None when only a fetch can tell (unknown kid, cache
        too old). Never writes, so a launch may ask inside its own write transaction."""
        cached, fetched_at = self._cached_key_set(registration_id)
        if fetched_at is None or utcnow() - fetched_at > self._cache_for:
            return None
        jwk = _find_jwk(cached, kid)
        if jwk is None:
            return None
        # The key object for this very JWK (the memo's key set holds it, so `is` cannot match a new one):
        # spares each launch serialising the JWK to find its key.
        read = self._read_keys.get((registration_id, kid))
        if read is not None and read[0] is jwk:
            return read[1]
        key = _public_key(jwk, kid)
        self._read_keys[(registration_id, kid)] = (jwk, key)
        return key

    def _stale(self, registration_id: int) -> bool:
        fetched_at = self._cached_key_set(registration_id)[1]
        return fetched_at is None or utcnow() - fetched_at > self._cache_for

    def _cached_key_set(self, registration_id: int) -> tuple[dict | None, datetime | None]:
        # A short in-process memo in front of the database copy saves a query on most launches; an unknown kid
        # still goes to the database and the platform, so a rotation seen by another process is picked up.
        memo = self._memo.get(registration_id)
        if memo is not None and time.monotonic() - memo[2] < MEMO_SECONDS:
            return memo[0], memo[1]
        with self._db.session(readonly=True) as session:
            registration = session.get(Registration, registration_id)
            assert registration is not None
            cached, fetched_at = registration.platform_jwks, registration.jwks_fetched_at
        self._memo[registration_id] = (cached, fetched_at, time.monotonic())
        return cached, fetched_at

    def _refresh(self, registration_id: int, counted: bool) -> dict | None:
        """Fetch the key set again, unless this registration used up its refetches for the minute."""
        with self._db.session() as session:
            # The counter is committed before the fetch, so a failing fetch still counts, and no database lock
            # is held while we wait for the platform.
            registration = session.scalars(
                select(Registration).where(Registration.id == registration_id).with_for_update()
            ).one()
            url, previous = registration.key_set_url, registration.platform_jwks
            if counted and not self._take_refetch(registration):
                self._memo.pop(registration_id, None)
                return previous
        key_set = self._fetch(url)
        with self._db.session() as session:
            registration = session.get(Registration, registration_id)
            assert registration is not None
            registration.platform_jwks = key_set
            registration.jwks_fetched_at = utcnow()
        self._memo[registration_id] = (key_set, utcnow(), time.monotonic())
        return key_set

    def _take_refetch(self, registration: Registration) -> bool:
        now = utcnow()
        window = registration.jwks_refetch_window_start
        if window is None or now - window > REFETCH_WINDOW:
            registration.jwks_refetch_window_start, registration.jwks_refetch_count = now, 0
        if registration.jwks_refetch_count >= self._refetch_max:
            log.warning(
                "JWKS refetch refused for registration %s (%s): %s refetches in the last minute already",
                registration.id,
                registration.issuer,
                registration.jwks_refetch_count,
            )
            return False
        registration.jwks_refetch_count += 1
        return True

    def _fetch(self, url: str) -> dict:
        try:
            response = self._http.get(url, timeout=self._timeout, headers={"Accept": "application/json"})
            response.raise_for_status()
            key_set = response.json()
        except (requests.RequestException, ValueError) as exc:
            log.error("cannot fetch the platform key set %s: %s", url, exc)
            raise LtiRefusal("LTI-PLATFORM-KEYS-UNAVAILABLE", f"fetching {url} failed: {exc}") from exc
        if not isinstance(key_set, dict) or not isinstance(key_set.get("keys"), list):
            raise LtiRefusal("LTI-PLATFORM-KEYS-UNAVAILABLE", f"{url} did not answer a JSON key set")
        return key_set
