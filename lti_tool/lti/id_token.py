"""The id_token as a compact JWS (RFC 7515): its parts, its signature and its times (OIDC Core §3.1.3.7).

PyJWT's `jwt.decode` checks each base64url segment character by character in Python and decodes the
payload a second time; on a ~3 KB LTI token that cost more than the RSA verification itself. Here the token
is split and decoded once (by `split_token`), the signature is verified with PyJWT's own algorithm objects
over the exact bytes that were signed, and the registered claims get the checks `jwt.decode` made, each with
its own refusal code.
"""

from __future__ import annotations

import binascii
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from jwt.algorithms import get_default_algorithms

from lti_tool.lti.errors import LtiRefusal

# LTI requires RS256 (Security Framework §5.1.3); never "none" or HMAC, whose "key" would be public.
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512")
_ALGORITHMS = {
    name: algorithm for name, algorithm in get_default_algorithms().items() if name in ALLOWED_ALGORITHMS
}
# base64url (RFC 4648 §5) read by binascii's strict decoder once its two letters are the standard ones: the
# strict decoder refuses any character outside the alphabet, so only "+" and "/" need refusing beforehand.
_URLSAFE_TO_STANDARD = bytes.maketrans(b"-_", b"+/")


@dataclass(frozen=True)
class SplitToken:
    header: dict[str, Any]
    body: dict[str, Any]
    signing_input: bytes  # header.payload exactly as sent: what the signature covers
    signature: bytes


def _segment(part: str) -> bytes:
    # Unpadded, as RFC 7515 §2 asks; correct "=" padding is accepted too, as PyJWT accepts it (some issuers,
    # AWS ALB among them, pad).
    unpadded = part.rstrip("=")
    if len(part) - len(unpadded) > (0 if len(part) % 4 else 2):
        raise ValueError("wrong base64 padding")
    text = unpadded.encode("ascii")  # UnicodeEncodeError (a ValueError) for anything else
    if b"+" in text or b"/" in text or len(text) % 4 == 1:
        raise ValueError("not base64url")
    standard = text.translate(_URLSAFE_TO_STANDARD) + b"=" * (-len(text) % 4)
    return binascii.a2b_base64(standard, strict_mode=True)


def _no_constant(name: str) -> Any:
    # json.loads takes NaN and Infinity, which JSON (RFC 8259 §6) and so a JWT do not have.
    raise ValueError(f"{name} is not a JSON value")


# Built once: json.loads with a keyword argument builds a new decoder (and its scanner) on every call.
_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def _json_object(part: str) -> dict[str, Any]:
    data = _segment(part)
    try:
        # orjson in a third of json's time; it refuses NaN and Infinity too, and reads an integer beyond 64
        # bits as a float (no claim the tool reads takes one).
        decoded = orjson.loads(data)
    except orjson.JSONDecodeError:
        # What orjson refuses and json reads (a lone surrogate escape, UTF-16 or UTF-32), read as
        # json.loads reads bytes (its encoding detection, surrogatepass), so the same tokens are accepted.
        decoded = _DECODER.decode(data.decode(json.detect_encoding(data), "surrogatepass"))
    if not isinstance(decoded, dict):
        raise ValueError("not a JSON object")
    return decoded


def split_token(id_token: str) -> SplitToken:
    """The decoded header and body and the signed bytes; nothing here is trusted before `verify_signature`."""
    parts = id_token.split(".")
    if len(parts) != 3:
        raise LtiRefusal("LTI-JWT-MALFORMED", f"the id_token has {len(parts)} parts; a JWT has 3")
    try:
        header, body = _json_object(parts[0]), _json_object(parts[1])
        signature = _segment(parts[2])
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise LtiRefusal("LTI-JWT-MALFORMED", f"the id_token cannot be decoded: {exc}") from exc
    alg = header.get("alg")
    if alg not in ALLOWED_ALGORITHMS:
        raise LtiRefusal("LTI-ALG-UNSUPPORTED", f"alg is {alg!r}; LTI 1.3 requires RS256")
    signing_input = id_token[: len(parts[0]) + 1 + len(parts[1])].encode("ascii")
    return SplitToken(header, body, signing_input, signature)


def verify_signature(token: SplitToken, public_key: Any, kid: str) -> None:
    algorithm = _ALGORITHMS[token.header["alg"]]
    if not algorithm.verify(token.signing_input, public_key, token.signature):
        raise LtiRefusal("LTI-SIGNATURE-INVALID", f"signature does not verify with key {kid!r}")


def _seconds(body: Mapping[str, Any], claim: str) -> int:
    value = body.get(claim)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LtiRefusal("LTI-CLAIM-INVALID", f"claim {claim} must be a number of seconds, not {value!r}")
    return int(value)


def check_registered_claims(body: Mapping[str, Any], client_id: str, leeway: int) -> None:
    """exp, iat and nbf against our clock with `leeway` seconds either way; iss present; aud names us."""
    for claim in ("exp", "iat", "iss", "aud"):
        if body.get(claim) is None:
            raise LtiRefusal("LTI-CLAIM-INVALID", f'Token is missing the "{claim}" claim')
    now = time.time()
    if _seconds(body, "exp") <= now - leeway:
        raise LtiRefusal("LTI-TOKEN-EXPIRED", f"exp {body['exp']!r} is in the past")
    for claim in ("iat", "nbf"):
        if claim in body and _seconds(body, claim) > now + leeway:
            raise LtiRefusal(
                "LTI-TOKEN-FUTURE", f"{claim} {body[claim]!r} is ahead of our clock by more than {leeway} s"
            )
    aud = body["aud"]
    audiences = [aud] if isinstance(aud, str) else aud
    if not isinstance(audiences, list) or not all(isinstance(value, str) for value in audiences):
        raise LtiRefusal("LTI-AUDIENCE-MISMATCH", f"aud {aud!r} is not a string or a list of strings")
    if client_id not in audiences:
        raise LtiRefusal("LTI-AUDIENCE-MISMATCH", f"aud {aud!r} does not include our client id")
    azp = body.get("azp")
    # OIDC Core §3.1.3.7: with several audiences, azp must name us; when present it must always name us.
    if (len(audiences) > 1 and azp is None) or (azp is not None and azp != client_id):
        raise LtiRefusal("LTI-AUDIENCE-MISMATCH", f"azp {azp!r} is not our client id")
