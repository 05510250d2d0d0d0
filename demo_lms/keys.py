"""The platform's RSA signing keys, each published in the JWKS under its own `kid`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK


@dataclass(frozen=True)
class PlatformKey:
    kid: str
    private_pem: str
    public_pem: str
    public_jwk: dict[str, Any]
    # Loaded once: parsing a PEM private key checks the RSA key, about 100 times the cost of a signature.
    private_key: rsa.RSAPrivateKey = field(repr=False, compare=False)
    public_key: rsa.RSAPublicKey = field(repr=False, compare=False)

    @classmethod
    def generate(cls, key_size: int = 2048) -> PlatformKey:
        return cls._from_key(rsa.generate_private_key(public_exponent=65537, key_size=key_size))

    @classmethod
    def from_private_pem(cls, private_pem: str) -> PlatformKey:
        private_key = serialization.load_pem_private_key(private_pem.encode(), password=None)
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise ValueError("not an RSA private key")
        return cls._from_key(private_key)

    @classmethod
    def _from_key(cls, private_key: rsa.RSAPrivateKey) -> PlatformKey:
        private_pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        public_pem = (
            private_key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )
        # jwcrypto names an imported key by its RFC 7638 thumbprint; lti1p3platform derives the same kid.
        jwk = JWK.from_pem(public_pem.encode())
        public_jwk = json.loads(jwk.export_public())
        public_jwk.update({"alg": "RS256", "use": "sig"})
        return cls(
            kid=public_jwk["kid"],
            private_pem=private_pem,
            public_pem=public_pem,
            public_jwk=public_jwk,
            private_key=private_key,
            public_key=private_key.public_key(),
        )
