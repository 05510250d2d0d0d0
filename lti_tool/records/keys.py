"""The issuer's credential keys in memory: an RSA key for VC-JWT (RS256) and an Ed25519 key for
Data Integrity.

Why two: 1EdTech's validator accepts RS256/ES256 JWTs only, while `eddsa-rdfc-2022` needs Ed25519.
Why not the LTI key store: LTI keys rotate and retire on the platforms' schedule; a credential must stay
verifiable for a worker's whole career, so credential keys live in their own table and are never unpublished.

Publication (documented in docs, served by the blueprint):
- RSA: `kid` = `{BASE_URL}/records/keys/{thumbprint}`, which serves the public JWK.
- Ed25519: `verificationMethod` = `{BASE_URL}/records/keys/{multikey}`, which serves a `Multikey`
  controlled by the issuer profile `{BASE_URL}/records/issuer` (W3C Controlled Identifiers: a verification
  method dereferenced at its own URL).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwcrypto.jwk import JWK

ED25519_MULTICODEC = b"\xed\x01"  # multicodec ed25519-pub, varint encoded


def multikey_of(public_key: ed25519.Ed25519PublicKey) -> str:
    """`publicKeyMultibase` of an Ed25519 key: 'z' + base58btc(multicodec prefix + 32 raw bytes)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_MULTICODEC + raw).decode("ascii")


def ed25519_from_multikey(multikey: str) -> ed25519.Ed25519PublicKey:
    if not multikey.startswith("z"):
        raise ValueError("a Multikey must be base58btc ('z' prefix)")
    decoded = base58.b58decode(multikey[1:])
    if not decoded.startswith(ED25519_MULTICODEC) or len(decoded) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return ed25519.Ed25519PublicKey.from_public_bytes(decoded[2:])


@lru_cache(maxsize=16)
def _rsa_public_jwk_text(private_pem: str) -> str:
    # Loading an RSA private key validates it (a third of a second): do it once per key.
    jwk = JWK.from_pem(private_pem.encode("ascii"))
    public = json.loads(jwk.export_public())
    public.update({"kid": jwk.thumbprint(), "alg": "RS256", "use": "sig"})
    return json.dumps(public)


def rsa_public_jwk(private_pem: str) -> dict:
    return json.loads(_rsa_public_jwk_text(private_pem))


def new_rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def new_ed25519_pem() -> str:
    key = ed25519.Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


@dataclass(frozen=True)
class SigningKeys:
    """The keys that sign one credential, with the URLs that name their public halves."""

    rsa_private_pem: str
    rsa_kid: str  # URL of the public JWK
    ed25519_private_pem: str
    ed25519_method: str  # URL of the Multikey verification method

    @property
    def rsa_public_jwk(self) -> dict:
        return rsa_public_jwk(self.rsa_private_pem)

    @property
    def ed25519_private(self) -> ed25519.Ed25519PrivateKey:
        key = serialization.load_pem_private_key(self.ed25519_private_pem.encode("ascii"), password=None)
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise ValueError("the Data Integrity key must be Ed25519")
        return key

    @property
    def ed25519_multikey(self) -> str:
        return multikey_of(self.ed25519_private.public_key())
