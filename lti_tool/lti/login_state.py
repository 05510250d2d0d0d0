"""The login's state as a value the tool signs, so the login writes nothing (OIDC Core §3.1.2.1 `state`).

Everything the launch needs from its login travels in `state`: the registration, the nonce bound to it, when
it expires, the Platform Storage frame, and the login parameters (for the new-window path, which runs the
login again). It is signed with HMAC-SHA256 under a key derived from the tool's SECRET_KEY, so only this tool
can issue one and nothing in it can be changed. The browser proves it started the login by a cookie named
after the state that holds the state's signature (or by LTI Platform Storage holding the whole state). The
launch makes the state single use by recording its hash with its launch session, under a unique index
(lti_tool.lti.launch_service).

Format: base64url(JSON [version, registration id, nonce, expires at (Unix s), storage target, login params])
"." base64url(HMAC-SHA256 of the first part). Rotating SECRET_KEY ends the logins in progress (ten minutes'
worth); the learner starts again from the course.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache

from lti_tool.json_text import dump_json, load_json
from lti_tool.lti.errors import LtiRefusal

FORMAT_VERSION = 1
# Six login parameters of at most 4096 characters each (lti_tool.lti.login), base64url-encoded, and room over.
STATE_MAX_LENGTH = 40_000
_KEY_PURPOSE = b"carecert-lti login state v1"


@dataclass(frozen=True)
class LoginState:
    """What a login handed to its launch, read back from a state whose signature checked."""

    registration_id: int
    nonce: str
    expires_at: int  # Unix seconds
    storage_target: str  # lti_storage_target sent with the login, or ""
    login_params: dict[str, str]
    signature: str  # base64url HMAC: the value of the state cookie

    def expired(self, now: float | None = None) -> bool:
        return self.expires_at <= (time.time() if now is None else now)


@lru_cache(maxsize=8)
def _mac_key(secret_key: str) -> bytes:
    # A key of its own, derived from SECRET_KEY: a state can never pass for another signed value of the tool.
    return hmac.new(secret_key.encode("utf-8"), _KEY_PURPOSE, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret_key: str, payload: str) -> str:
    return _b64(hmac.new(_mac_key(secret_key), payload.encode("ascii"), hashlib.sha256).digest())


def same_text(expected: str, given: str) -> bool:
    """Constant-time equality of a value we made with one a request brought (which may be any text)."""
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "surrogatepass"))


def issue_state(
    secret_key: str,
    registration_id: int,
    login_params: dict[str, str],
    storage_target: str,
    lifetime_seconds: int,
) -> tuple[str, LoginState]:
    """A fresh state and what it holds; its nonce is new and random (128 bits)."""
    nonce = secrets.token_urlsafe(16)
    expires_at = int(time.time()) + lifetime_seconds
    fields = [FORMAT_VERSION, registration_id, nonce, expires_at, storage_target, login_params]
    payload = _b64(dump_json(fields).encode("utf-8"))
    signature = _mac(secret_key, payload)
    login = LoginState(registration_id, nonce, expires_at, storage_target, login_params, signature)
    return f"{payload}.{signature}", login


def _forged(detail: str) -> LtiRefusal:
    return LtiRefusal("LTI-STATE-UNKNOWN", detail)


def read_state(secret_key: str, state: str) -> LoginState:
    """What a state holds, once its signature checks; LTI-STATE-UNKNOWN for anything this tool did not issue
    or that was altered. Expiry is the caller's check (the new-window path runs an expired login again)."""
    if not isinstance(state, str) or len(state) > STATE_MAX_LENGTH or state.count(".") != 1:
        raise _forged("the state is not one this tool issues")
    payload, signature = state.split(".")
    try:
        expected = _mac(secret_key, payload)
    except UnicodeEncodeError:
        raise _forged("the state is not one this tool issues") from None
    if not same_text(expected, signature):
        raise _forged("the state's signature does not match: not issued by this tool, or altered")
    try:
        fields = load_json(_unb64(payload))
        version, registration_id, nonce, expires_at, storage_target, login_params = fields
    except (ValueError, TypeError, binascii.Error) as exc:
        # Signed by us but unreadable: only an older format could be, after an upgrade.
        raise _forged(f"the state cannot be read ({exc})") from None
    if version != FORMAT_VERSION:
        raise _forged(f"the state is of format {version!r}, not {FORMAT_VERSION}")
    return LoginState(registration_id, nonce, expires_at, storage_target, login_params, signature)
