"""Package files for the learner's browser: content-addressed URLs that carry a grant for one learner and
one package, correct MIME types, range requests, long-lived caching.

A grant is an HMAC over (registration, package, content hash, user, expiry day) with the tool's secret, so
the many requests a SCO makes for its pages, scripts and media need no database lookup of the launch, and
the URLs stay the same for a day (browsers cache them). Only a launch of an activity that plays the package
hands one out.
"""

from __future__ import annotations

import hashlib
import hmac
import mimetypes
import time
from dataclasses import dataclass

GRANT_DAYS = 1
DAY = 86400

# Types Python's table lacks or gets wrong on some systems; SCOs use all of them.
for _suffix, _type in {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".webm": "video/webm",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".vtt": "text/vtt",
    ".wasm": "application/wasm",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".webp": "image/webp",
    ".swf": "application/x-shockwave-flash",
}.items():
    mimetypes.add_type(_type, _suffix)


@dataclass(frozen=True)
class Grant:
    package_id: int
    content_hash: str  # the first 16 hex digits of the package's sha256
    user_pk: int
    expires: int  # unix time

    def path_segment(self, secret: str, registration_id: int) -> str:
        return f"{self.user_pk}.{self.expires}.{_mac(secret, registration_id, self)}"


def _mac(secret: str, registration_id: int, grant: Grant) -> str:
    message = (
        f"content|{registration_id}|{grant.package_id}|{grant.content_hash}|{grant.user_pk}|{grant.expires}"
    )
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]


def new_grant(package_id: int, sha256: str, user_pk: int, now: float | None = None) -> Grant:
    # The expiry is rounded to a day boundary so every launch that day gets the same URLs (browser cache).
    now = time.time() if now is None else now
    expires = (int(now) // DAY + 1 + GRANT_DAYS) * DAY
    return Grant(package_id, sha256[:16], user_pk, expires)


def content_prefix(grant: Grant, secret: str, registration_id: int) -> str:
    return f"/content/{grant.package_id}/{grant.content_hash}/{grant.path_segment(secret, registration_id)}/"


def check_grant(
    secret: str, registration_id: int, package_id: int, sha256: str, content_hash: str, segment: str
) -> bool:
    parts = segment.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or content_hash != sha256[:16]:
        return False
    grant = Grant(package_id, content_hash, int(parts[0]), int(parts[1]))
    if grant.expires < time.time():
        return False
    return hmac.compare_digest(parts[2], _mac(secret, registration_id, grant))
