"""Embedded `DataIntegrityProof` with the `eddsa-rdfc-2022` cryptosuite (W3C VC Data Integrity EdDSA
Cryptosuites v1.0, §3.2 of the RDFC variant).

Signing: the proof options (without `proofValue`, with the document's `@context`) and the document (without
`proof`) are each canonicalised with RDFC-1.0 and hashed with SHA-256; the signature covers
hash(proof options) ‖ hash(document). `proofValue` is multibase base58btc ('z').
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from lti_tool.records.jsonld import canonical_nquads

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    """The embedded proof is missing, malformed, or does not match the document."""


def _hash_data(unsecured: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    options = dict(proof_options)
    options.pop("proofValue", None)
    options["@context"] = unsecured["@context"]
    options_hash = hashlib.sha256(canonical_nquads(options).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonical_nquads(unsecured).encode("utf-8")).digest()
    return options_hash + document_hash


def xsd_datetime(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_proof(
    document: dict[str, Any],
    private_key: ed25519.Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """A copy of `document` with an `eddsa-rdfc-2022` proof for the `assertionMethod` purpose."""
    unsecured = copy.deepcopy(document)
    unsecured.pop("proof", None)
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data(unsecured, proof))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**unsecured, "proof": proof}


@dataclass(frozen=True)
class EmbeddedProof:
    verification_method: str
    created: str
    signature: bytes
    options: dict[str, Any]


def read_proof(document: dict[str, Any]) -> EmbeddedProof:
    """The document's single eddsa-rdfc-2022 proof, shape-checked; ProofError names what is wrong."""
    proof = document.get("proof")
    if isinstance(proof, list):
        proofs = [p for p in proof if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE]
        proof = proofs[0] if len(proofs) == 1 else None
    if not isinstance(proof, dict):
        raise ProofError("the credential has no Data Integrity proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"the proof is not a {PROOF_TYPE} with the {CRYPTOSUITE} cryptosuite")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof was not made for issuing (proofPurpose is not assertionMethod)")
    value = proof.get("proofValue")
    method = proof.get("verificationMethod")
    if not isinstance(value, str) or not value.startswith("z") or not isinstance(method, str):
        raise ProofError("the proof's value or verification method is missing or malformed")
    try:
        signature = base58.b58decode(value[1:])
    except ValueError:
        raise ProofError("the proof value is not base58btc") from None
    if len(signature) != 64:
        raise ProofError("the proof value is not an Ed25519 signature")
    return EmbeddedProof(method, str(proof.get("created", "")), signature, proof)


def verify_proof(document: dict[str, Any], public_key: ed25519.Ed25519PublicKey) -> None:
    """Raise ProofError unless the document's proof is a valid signature by `public_key` over its content."""
    proof = read_proof(document)
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if "@context" not in unsecured:
        raise ProofError("the credential has no @context")
    try:
        hash_data = _hash_data(unsecured, proof.options)
    except Exception as error:  # noqa: BLE001 - pyld raises many types for hostile JSON-LD
        raise ProofError(f"the credential cannot be canonicalised: {error}") from None
    try:
        public_key.verify(proof.signature, hash_data)
    except InvalidSignature:
        raise ProofError("the Data Integrity signature does not match the credential's content") from None
