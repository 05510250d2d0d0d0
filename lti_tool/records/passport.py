"""The skills passport: a CLR 2.0 `ClrCredential` bundling the learner's unit credentials, each keeping its
own proof, with `isPartOf` associations from each unit's achievement to the qualification (CLR 2.0
§B ClrSubject, Association), plus an OB 3.0 credential for the whole certificate once all 15 are achieved.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lti_tool.records.facts import Learner
from lti_tool.records.issuer import Issuer
from lti_tool.records.issuing import StatusSlot, secure
from lti_tool.records.jsonld import CLR_V2, OB_EXTENSIONS, OB_V3, VC_V2
from lti_tool.records.keys import SigningKeys
from lti_tool.records.ob3 import (
    OB_CREDENTIAL_SCHEMA,
    QUALIFICATION_NAME,
    SCHEMA_VALIDATOR,
    identity_object,
    xsd_datetime,
)
from lti_tool.records.status_list import status_entry

QUALIFICATION_KEY = "level-2-adult-social-care-certificate"
UNITS_IN_QUALIFICATION = 15
QUALIFICATION_CREDITS = 36.0  # the regulated qualification: 15 mandatory units, 36 credits


def qualification_achievement(issuer: Issuer) -> dict[str, Any]:
    return {
        "id": issuer.achievement_url(QUALIFICATION_KEY),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": QUALIFICATION_NAME,
        "description": (
            "The regulated Level 2 Adult Social Care Certificate in England: 15 mandatory units built on the "
            "16 standards of the Care Certificate, each with knowledge and observed practice."
        ),
        "criteria": {
            "narrative": "Achieve all 15 units: pass each unit's knowledge check and, where the unit needs "
            "it, be observed at work and signed off by an assessor."
        },
        "creditsAvailable": QUALIFICATION_CREDITS,
        "inLanguage": "en-GB",
        "tag": [QUALIFICATION_NAME],
        "creator": issuer.profile(),
    }


def _unit_achievement_id(credential: dict[str, Any] | str) -> str:
    if isinstance(credential, str):
        from lti_tool.records.vc_jwt import unverified_parts

        credential = unverified_parts(credential)[1]
    return str(credential["credentialSubject"]["achievement"]["id"])


@dataclass(frozen=True)
class Passport:
    credential_uuid: str
    document: dict[str, Any]  # ClrCredential with its Data Integrity proof
    jwt: str
    complete: bool


def build_passport(
    learner: Learner,
    unit_credentials: list[dict[str, Any]],
    issuer: Issuer,
    keys: SigningKeys,
    *,
    salt: str,
    certificate_credential: dict[str, Any] | None = None,
    issued_at: datetime | None = None,
    credential_uuid: str | None = None,
) -> Passport:
    """The signed ClrCredential over the unit credentials (JSON, each with its embedded proof) so far."""
    if not unit_credentials:
        raise ValueError("a passport needs at least one achieved unit")
    issued_at = (issued_at or datetime.now(UTC)).replace(microsecond=0)
    credential_uuid = credential_uuid or str(uuid.uuid4())
    qualification = qualification_achievement(issuer)
    members = list(unit_credentials) + ([certificate_credential] if certificate_credential else [])
    complete = certificate_credential is not None
    subject: dict[str, Any] = {"type": ["ClrSubject"]}
    if learner.did:
        subject["id"] = learner.did
    subject["identifier"] = [identity_object(learner.email, salt)]
    subject["achievement"] = [qualification]
    subject["verifiableCredential"] = members
    subject["association"] = [
        {
            "type": "Association",
            "associationType": "isPartOf",
            "sourceId": _unit_achievement_id(unit),
            "targetId": qualification["id"],
        }
        for unit in unit_credentials
    ]
    document = {
        "@context": [VC_V2, OB_V3, CLR_V2],
        "id": f"urn:uuid:{credential_uuid}",
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": f"{QUALIFICATION_NAME}: skills passport of {learner.name or 'the learner'}",
        "description": (
            "All units achieved."
            if complete
            else f"{len(unit_credentials)} of {UNITS_IN_QUALIFICATION} units so far."
        ),
        "partial": not complete,
        "issuer": issuer.profile(),
        "validFrom": xsd_datetime(issued_at),
        "awardedDate": xsd_datetime(issued_at),
        "credentialSubject": subject,
    }
    with_proof, token = secure(document, keys, issued_at)
    return Passport(credential_uuid, with_proof, token, complete)


def certificate_credential(
    learner: Learner,
    issuer: Issuer,
    keys: SigningKeys,
    *,
    achieved_at: datetime,
    status: StatusSlot,
    salt: str,
    issued_at: datetime | None = None,
    credential_uuid: str | None = None,
) -> tuple[dict[str, Any], str, str]:
    """(document with proof, VC-JWT, uuid) of the OB 3.0 credential for the whole certificate."""
    issued_at = (issued_at or datetime.now(UTC)).replace(microsecond=0)
    credential_uuid = credential_uuid or str(uuid.uuid4())
    achievement = qualification_achievement(issuer)
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if learner.did:
        subject["id"] = learner.did
    subject["identifier"] = [identity_object(learner.email, salt)]
    subject["achievement"] = achievement
    subject["result"] = [{"type": ["Result"], "status": "Completed"}]
    subject["creditsEarned"] = QUALIFICATION_CREDITS
    subject["activityEndDate"] = xsd_datetime(achieved_at)
    document = {
        "@context": [VC_V2, OB_V3, OB_EXTENSIONS],
        "id": f"urn:uuid:{credential_uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": QUALIFICATION_NAME,
        "description": f"{learner.name or 'The learner'} achieved all {UNITS_IN_QUALIFICATION} units.",
        "issuer": issuer.profile(),
        "validFrom": xsd_datetime(issued_at),
        "awardedDate": xsd_datetime(achieved_at),
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB_CREDENTIAL_SCHEMA, "type": SCHEMA_VALIDATOR}],
        "credentialStatus": status_entry(issuer, status.list_number, status.index),
    }
    with_proof, token = secure(document, keys, issued_at)
    return with_proof, token, credential_uuid
