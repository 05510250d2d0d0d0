"""VC-JWT as Open Badges 3.0 §8.2 specifies it: the JWT payload IS the credential, with the registered claims
`iss` (issuer id), `nbf` (validFrom), `jti` (credential id), `sub` (subject id, when it has one) and `exp`
(validUntil, when it has one). Signed RS256: 1EdTech's validator accepts RS256/ES256 and nothing else.
The JOSE header names the key by `kid` (a URL serving the JWK) and carries the public `jwk` too, which
1EdTech's validator reads; our verifier trusts only keys it publishes itself.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from jwcrypto import jwk, jws
from jwcrypto.common import JWException, json_encode

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


def sign(credential: dict[str, Any], private_pem: str, kid: str) -> str:
    """The compact JWS of `credential` (any embedded proof is left out: the JWT is its own proof)."""
    body = {key: value for key, value in credential.items() if key != "proof"}
    payload = {**body, **registered_claims(body)}
    key = jwk.JWK.from_pem(private_pem.encode("ascii"))
    public = json.loads(key.export_public())
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": kid, "jwk": public}
    token = jws.JWS(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    token.add_signature(key, alg=ALGORITHM, protected=json_encode(header))
    return token.serialize(compact=True)


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
