"""Issue a unit credential: build the OB 3.0 document, then secure it twice (VC-JWT and embedded proof)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lti_tool.records import data_integrity, vc_jwt
from lti_tool.records.facts import AchievementFacts
from lti_tool.records.issuer import Issuer
from lti_tool.records.keys import SigningKeys
from lti_tool.records.ob3 import unit_credential
from lti_tool.records.status_list import status_entry


@dataclass(frozen=True)
class StatusSlot:
    list_number: int
    index: int


@dataclass(frozen=True)
class IssuedCredential:
    credential_uuid: str
    document: dict[str, Any]  # the credential with its embedded DataIntegrityProof
    jwt: str  # the same credential as a VC-JWT (RS256)

    @property
    def credential_id(self) -> str:
        return str(self.document["id"])


def secure(document: dict[str, Any], keys: SigningKeys, issued_at: datetime) -> tuple[dict[str, Any], str]:
    """(document with eddsa-rdfc-2022 proof, VC-JWT) of an unsigned credential."""
    with_proof = data_integrity.add_proof(document, keys.ed25519_private, keys.ed25519_method, issued_at)
    token = vc_jwt.sign(document, keys.rsa_private_pem, keys.rsa_kid)
    return with_proof, token


def issue_unit_credential(
    facts: AchievementFacts,
    issuer: Issuer,
    keys: SigningKeys,
    *,
    status: StatusSlot,
    credential_uuid: str | None = None,
    salt: str | None = None,
    issued_at: datetime | None = None,
) -> IssuedCredential:
    """The signed `OpenBadgeCredential` of an achieved unit. Raises ValueError when it is not achieved."""
    credential_uuid = credential_uuid or str(uuid.uuid4())
    issued_at = (issued_at or datetime.now(UTC)).replace(microsecond=0)
    document = unit_credential(
        facts,
        issuer,
        credential_id=f"urn:uuid:{credential_uuid}",
        status_entry=status_entry(issuer, status.list_number, status.index),
        salt=salt or secrets.token_hex(8),
        issued_at=issued_at,
    )
    with_proof, token = secure(document, keys, issued_at)
    return IssuedCredential(credential_uuid, with_proof, token)
