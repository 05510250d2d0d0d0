"""Open Badges 3.0 documents for one unit: the `Achievement`, the learner's `AchievementSubject` and
the unsigned `OpenBadgeCredential` (1EdTech OB 3.0 §B data model, on W3C VC Data Model 2.0).

Everything here is a pure function of its arguments: the same facts, ids and times give the same JSON.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from lti_tool.records.facts import AchievementFacts
from lti_tool.records.issuer import Issuer
from lti_tool.records.jsonld import OB_EXTENSIONS, OB_V3, VC_V2

OB_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"  # OB 3.0 §8.1: the type 1EdTech's validator expects
QUALIFICATION_NAME = "Level 2 Adult Social Care Certificate"
FRAMEWORK_NAME = "Care Certificate standards (Skills for Care)"
DEFAULT_PASS_MARK = 80


def xsd_datetime(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _pass_mark(unit: dict) -> int:
    return int((unit.get("assessment") or {}).get("pass_mark") or DEFAULT_PASS_MARK)


def _observed_outcomes(unit: dict) -> list[str]:
    return list((unit.get("observation") or {}).get("outcomes") or [])


def unit_criteria(unit: dict) -> str:
    needs = f"Pass the e-learning knowledge check with at least {_pass_mark(unit)}%."
    observed = _observed_outcomes(unit)
    if (unit.get("observation") or {}).get("required"):
        needs += " Be observed at work by an assessor, who signs off the unit" + (
            f" (learning outcomes {', '.join(observed)})." if observed else "."
        )
    outcomes = "; ".join(f"{o['id']}: {o['text']}" for o in unit.get("learning_outcomes", []))
    return f"{needs} Learning outcomes: {outcomes}" if outcomes else needs


def standard_alignments(unit: dict, issuer: Issuer) -> list[dict[str, Any]]:
    return [
        {
            "type": ["Alignment"],
            "targetName": f"Care Certificate standard {number}",
            "targetUrl": issuer.standards_url,
            "targetCode": f"standard-{number}",
            "targetFramework": FRAMEWORK_NAME,
            "targetType": "CFItem",
        }
        for number in unit.get("standards", [])
    ]


def score_description_id(achievement_id: str) -> str:
    return f"{achievement_id}#knowledge-check-score"


def unit_achievement(unit: dict, issuer: Issuer) -> dict[str, Any]:
    """The `Achievement` a unit credential awards, also published at its own id."""
    achievement_id = issuer.achievement_url(unit["id"])
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": f"{QUALIFICATION_NAME}: {unit['title']}",
        "description": unit.get("summary") or unit["title"],
        "criteria": {"narrative": unit_criteria(unit)},
        "humanCode": unit["id"],
        "inLanguage": "en-GB",
        "version": str(unit.get("version", 1)),
        "alignment": standard_alignments(unit, issuer),
        "resultDescription": [
            {
                "id": score_description_id(achievement_id),
                "type": ["ResultDescription"],
                "name": "E-learning knowledge check score",
                "resultType": "Percent",
                "valueMin": "0",
                "valueMax": "100",
                "requiredValue": str(_pass_mark(unit)),
            }
        ],
        "tag": [QUALIFICATION_NAME, "Care Certificate"],
        "creator": issuer.profile(),
    }
    if unit.get("credits") is not None:
        achievement["creditsAvailable"] = float(unit["credits"])
    return achievement


def identity_object(email: str, salt: str) -> dict[str, Any]:
    """OB 3.0 `IdentityObject`: sha256 of the lower-cased email then the salt, hex, 'sha256$' prefix."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def email_matches(identity: dict[str, Any], email: str) -> bool:
    """Whether a hashed email identifier names this email (what an employer checks)."""
    expected = identity_object(email, str(identity.get("salt", "")))["identityHash"]
    return identity.get("identityHash") == expected


def _evidence(facts: AchievementFacts) -> list[dict[str, Any]]:
    assert facts.elearning is not None
    score = facts.elearning.score_percent
    score_text = f" with {score:g}%" if score is not None else ""
    evidence = [
        {
            "type": ["Evidence"],
            "name": "E-learning knowledge check",
            "genre": "Knowledge check",
            "narrative": (
                f"Passed the knowledge check of '{facts.unit['title']}'{score_text} on "
                f"{facts.elearning.completed_at:%d %B %Y} (attempt {facts.elearning.attempt_number})."
            ),
        }
    ]
    if facts.observation_required and facts.signoff is not None:
        outcomes = ", ".join(_observed_outcomes(facts.unit))
        evidence.append(
            {
                "type": ["Evidence"],
                "name": "Workplace observation signed off by an assessor",
                "genre": "Observation",
                "narrative": (
                    f"Observed at work on {facts.signoff.observed_on:%d %B %Y} and signed off by "
                    f"{facts.signoff.assessor_name or 'the assessor'} on {facts.signoff.signed_at:%d %B %Y}"
                    + (f" (learning outcomes {outcomes})" if outcomes else "")
                    + "."
                    + (f" Notes: {facts.signoff.evidence_notes}" if facts.signoff.evidence_notes else "")
                ),
            }
        )
    return evidence


def achievement_subject(facts: AchievementFacts, achievement: dict[str, Any], salt: str) -> dict[str, Any]:
    assert facts.elearning is not None
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if facts.learner.did:
        subject["id"] = facts.learner.did
    if facts.learner.email:
        subject["identifier"] = [identity_object(facts.learner.email, salt)]
    subject["achievement"] = achievement
    result: dict[str, Any] = {"type": ["Result"], "status": "Completed"}
    if facts.elearning.score_percent is not None:
        result["resultDescription"] = score_description_id(achievement["id"])
        result["value"] = f"{facts.elearning.score_percent:g}"
    subject["result"] = [result]
    subject["activityEndDate"] = xsd_datetime(facts.achieved_at)
    if "creditsAvailable" in achievement:
        subject["creditsEarned"] = achievement["creditsAvailable"]
    return subject


def unit_credential(
    facts: AchievementFacts,
    issuer: Issuer,
    *,
    credential_id: str,
    status_entry: dict[str, Any],
    salt: str,
    issued_at: datetime,
) -> dict[str, Any]:
    """The unsigned `OpenBadgeCredential` of one achieved unit."""
    if not facts.achieved:
        raise ValueError(f"unit {facts.unit_id} is not achieved: {'; '.join(facts.missing())}")
    if not facts.learner.email and not facts.learner.did:
        raise ValueError("the learner has neither an email nor a DID: the credential could not name them")
    achievement = unit_achievement(facts.unit, issuer)
    return {
        "@context": [VC_V2, OB_V3, OB_EXTENSIONS],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "description": f"{facts.learner.name or 'The learner'} achieved this unit of the "
        f"{QUALIFICATION_NAME}.",
        "issuer": issuer.profile(),
        "validFrom": xsd_datetime(issued_at),
        "awardedDate": xsd_datetime(facts.achieved_at),
        "credentialSubject": achievement_subject(facts, achievement, salt),
        "evidence": _evidence(facts),
        "credentialSchema": [{"id": OB_CREDENTIAL_SCHEMA, "type": SCHEMA_VALIDATOR}],
        "credentialStatus": status_entry,
    }
