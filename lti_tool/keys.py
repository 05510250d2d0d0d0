"""The tool's own signing keys: RSA pairs in the database, published as a JWKS, rotated and retired.

Rotation keeps the previous keys published (platforms cache our JWKS, Moodle per client id) until an admin
retires them; the newest unretired key signs.
"""

from __future__ import annotations

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.db.models import ToolKey, utcnow

KEY_BITS = 2048


class KeyError_(LookupError):
    """No such key, or the operation would leave the tool without a signing key."""


def _new_key_pair() -> tuple[str, dict]:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    jwk = JWK.from_pem(private_pem.encode("ascii"))
    public_jwk = json.loads(jwk.export_public())
    public_jwk.update({"kid": jwk.thumbprint(), "alg": "RS256", "use": "sig"})
    return private_pem, public_jwk


def add_key(session: Session) -> ToolKey:
    private_pem, public_jwk = _new_key_pair()
    key = ToolKey(kid=public_jwk["kid"], private_pem=private_pem, public_jwk=public_jwk)
    session.add(key)
    session.flush()
    return key


def active_keys(session: Session) -> list[ToolKey]:
    """Unretired keys, newest first."""
    return list(
        session.scalars(
            select(ToolKey)
            .where(ToolKey.retired_at.is_(None))
            .order_by(ToolKey.created_at.desc(), ToolKey.id.desc())
        )
    )


def signing_key(session: Session) -> ToolKey:
    """The newest unretired key; the first one is created on first use."""
    keys = active_keys(session)
    return keys[0] if keys else add_key(session)


def published_jwks(session: Session) -> dict:
    return {"keys": [key.public_jwk for key in active_keys(session)]}


def rotate(session: Session) -> ToolKey:
    """Add a new key that signs from now on; the old ones stay published until retired."""
    return add_key(session)


def retire(session: Session, kid: str) -> ToolKey:
    key = session.scalars(select(ToolKey).where(ToolKey.kid == kid)).one_or_none()
    if key is None:
        raise KeyError_(f"no key with kid {kid}")
    if key.retired_at is not None:
        raise KeyError_(f"key {kid} is already retired")
    remaining = [k for k in active_keys(session) if k.kid != kid]
    if not remaining:
        raise KeyError_(f"key {kid} is the only signing key: run `carecert keys rotate` first")
    key.retired_at = utcnow()
    session.flush()
    return key
