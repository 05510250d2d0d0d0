"""VC-JWT as Open Badges 3.0 §8.2 specifies it: the JWT payload IS the credential, with the registered claims
`iss` (issuer id), `nbf` (validFrom), `jti` (credential id), `sub` (subject id, when it has one) and `exp`
(validUntil, when it has one). Signed RS256: 1EdTech's validator accepts RS256/ES256 and nothing else.
The JOSE header names the key by `kid` (a URL serving the JWK) and carries the public `jwk` too, which
1EdTech's validator reads; our verifier trusts only keys it publishes itself.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

ALGORITHM = "RS256"


class JwtError(ValueError):
    """Not a VC-JWT we can read, or its signature does not hold."""


def _epoch(xsd: str) -> int:
    return int(datetime.fromisoformat(xsd.replace("Z", "+00:00")).timestamp())


def registered_claims(credential: dict[str, Any]) -> dict[str, Any]:
    issuer = credential["issuer"]
    claims: dict[str, Any] = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "nbf": _epoch(credential["validFrom"]),
        "jti": credential["id"],
    }
    subject = credential.get("credentialSubject") or {}
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    if credential.get("validUntil"):
        claims["exp"] = _epoch(credential["validUntil"])
    return claims


@lru_cache(maxsize=8)
def _signing_key(private_pem: str) -> tuple[rsa.RSAPrivateKey, dict]:
    # Loading an RSA key checks it (about 0.3 s with cryptography 4x+) and jwcrypto rebuilds it on every
    # signature: load each of our keys once and sign with it directly (RFC 7515 §5.1, compact serialisation).
    key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the VC-JWT key must be RSA")
    public = json.loads(jwk.JWK.from_pyca(key.public_key()).export_public())
    return key, public


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def sign(credential: dict[str, Any], private_pem: str, kid: str) -> str:
    """The compact JWS of `credential` (any embedded proof is left out: the JWT is its own proof)."""
    body = {key: value for key, value in credential.items() if key != "proof"}
    payload = {**body, **registered_claims(body)}
    key, public = _signing_key(private_pem)
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": kid, "jwk": public}
    signing_input = (
        _b64(json.dumps(header, separators=(",", ":")).encode("utf-8"))
        + "."
        + _b64(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    )
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64(signature)}"


def unverified_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, payload) without checking the signature, to find the key and show what the token says."""
    try:
        parsed = jws.JWS()
        parsed.deserialize(token.strip())
        header = parsed.jose_header
        payload = json.loads(parsed.objects["payload"].decode("utf-8"))
    except (JWException, ValueError, KeyError, UnicodeDecodeError, TypeError) as error:
        raise JwtError(f"this is not a readable JWT ({error})") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise JwtError("the JWT header or payload is not a JSON object")
    return header, payload


def verify_signature(token: str, public_jwk: dict[str, Any]) -> None:
    """Raise JwtError unless `token` is signed RS256 by `public_jwk` (our algorithm, not the header's)."""
    try:
        parsed = jws.JWS()
        parsed.deserialize(token.strip())
        parsed.allowed_algs = [ALGORITHM]
        parsed.verify(jwk.JWK(**public_jwk), alg=ALGORITHM)
    except (JWException, ValueError, TypeError) as error:
        raise JwtError(f"the JWT signature does not hold ({error})") from None


def claims_problems(payload: dict[str, Any]) -> list[str]:
    """Registered claims that disagree with the credential they travel with."""
    problems = []
    try:
        expected = registered_claims(payload)
    except (KeyError, TypeError, ValueError):
        return ["the JWT payload is not a complete credential (issuer, validFrom or id missing)"]
    for claim, value in expected.items():
        if payload.get(claim) != value:
            problems.append(f"the JWT claim '{claim}' does not match the credential")
    return problems
