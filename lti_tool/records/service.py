"""Use cases of the records feature, called by the web pages and the CLI alike: issue what a learner has
achieved (and revoke what they no longer have), build their passport, verify, revoke by hand."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.db.models import User
from lti_tool.records import providers, store
from lti_tool.records.facts import AchievementFacts
from lti_tool.records.issuer import Issuer
from lti_tool.records.issuing import issue_unit_credential
from lti_tool.records.models import IssuedRecord
from lti_tool.records.passport import UNITS_IN_QUALIFICATION, build_passport, certificate_credential
from lti_tool.records.queries import achievement_facts, learner_of
from lti_tool.records.verification import VerificationReport, verify_credential


def facts_key(facts: AchievementFacts) -> str:
    elearning = facts.elearning
    signed = facts.signoff.signed_at.isoformat() if facts.signoff and facts.observation_required else ""
    return f"{facts.unit_id}:{elearning.attempt_number if elearning else 0}:{signed}"


@dataclass
class LearnerRecords:
    facts: list[AchievementFacts]
    units: dict[str, IssuedRecord]  # unit id -> current credential
    certificate: IssuedRecord | None
    newly_issued: list[IssuedRecord]
    revoked: list[IssuedRecord]

    @property
    def complete(self) -> bool:
        return len(self.units) == UNITS_IN_QUALIFICATION


def _store_issued(session: Session, facts: AchievementFacts, issuer: Issuer) -> IssuedRecord:
    slot = store.allocate_status(session)
    issued = issue_unit_credential(facts, issuer, store.signing_keys(session, issuer), status=slot)
    record = IssuedRecord(
        registration_id=facts.learner.registration_id,
        credential_uuid=issued.credential_uuid,
        kind="unit",
        user_pk=facts.learner.user_pk,
        unit_id=facts.unit_id,
        title=issued.document["name"],
        status_list=slot.list_number,
        status_index=slot.index,
        document=issued.document,
        jwt=issued.jwt,
        facts_key=facts_key(facts),
        achieved_at=facts.achieved_at,
    )
    session.add(record)
    session.flush()
    return record


def sync_learner(session: Session, issuer: Issuer, registration_id: int, user_pk: int) -> LearnerRecords:
    """Issue a credential for every achieved unit that has none; revoke one whose unit is no longer achieved
    (an assessor undid the sign-off); issue the whole-certificate credential once all units are achieved.
    `issuer` is the installation's: what is issued names the registration's provider when it has a profile."""
    issuer = providers.issuer_for(session, issuer, registration_id)
    # One sync per learner at a time (PostgreSQL row lock; SQLite serialises writers), so two page loads
    # never issue the same unit twice.
    session.execute(select(User.id).where(User.id == user_pk).with_for_update())
    facts = achievement_facts(session, registration_id, user_pk)
    current = store.current_unit_records(session, registration_id, user_pk)
    issued, revoked = [], []
    for unit_facts in facts:
        record = current.get(unit_facts.unit_id)
        if unit_facts.achieved and record is None:
            current[unit_facts.unit_id] = record = _store_issued(session, unit_facts, issuer)
            issued.append(record)
        elif not unit_facts.achieved and record is not None:
            reason = "The unit is no longer achieved: " + "; ".join(unit_facts.missing())
            if store.revoke(session, record, "carecert (automatic)", reason):
                revoked.append(record)
            del current[unit_facts.unit_id]
    certificate = _sync_certificate(session, issuer, registration_id, user_pk, current)
    return LearnerRecords(facts, current, certificate, issued, revoked)


def _sync_certificate(
    session: Session, issuer: Issuer, registration_id: int, user_pk: int, units: dict[str, IssuedRecord]
) -> IssuedRecord | None:
    existing = [
        r for r in store.learner_records(session, registration_id, user_pk, "certificate") if not r.revoked_at
    ]
    if len(units) < UNITS_IN_QUALIFICATION:
        for record in existing:
            store.revoke(
                session, record, "carecert (automatic)", "A unit of the certificate is no longer achieved."
            )
        return None
    if existing:
        return existing[-1]
    learner = learner_of(session, registration_id, user_pk)
    achieved_at = max(r.achieved_at for r in units.values() if r.achieved_at)
    slot = store.allocate_status(session)
    document, token, credential_uuid = certificate_credential(
        learner,
        issuer,
        store.signing_keys(session, issuer),
        achieved_at=achieved_at,
        status=slot,
        salt=secrets.token_hex(8),
    )
    record = IssuedRecord(
        registration_id=registration_id,
        credential_uuid=credential_uuid,
        kind="certificate",
        user_pk=user_pk,
        title=document["name"],
        status_list=slot.list_number,
        status_index=slot.index,
        document=document,
        jwt=token,
        facts_key="certificate",
        achieved_at=achieved_at,
    )
    session.add(record)
    session.flush()
    return record


def passport(session: Session, issuer: Issuer, registration_id: int, user_pk: int) -> IssuedRecord:
    """The learner's passport over their current unit credentials (a new one only when they changed)."""
    records = sync_learner(session, issuer, registration_id, user_pk)
    issuer = providers.issuer_for(session, issuer, registration_id)
    if not records.units:
        raise LookupError("no unit is achieved yet, so there is no passport")
    members = sorted(records.units.values(), key=lambda r: r.unit_id)
    members_text = ",".join(r.credential_uuid for r in members) + (
        f"+{records.certificate.credential_uuid}" if records.certificate else ""
    )
    key = "passport:" + hashlib.sha256(members_text.encode()).hexdigest()
    for existing in store.learner_records(session, registration_id, user_pk, "passport"):
        if existing.facts_key == key and existing.revoked_at is None:
            return existing
    learner = learner_of(session, registration_id, user_pk)
    built = build_passport(
        learner,
        [r.document for r in members],
        issuer,
        store.signing_keys(session, issuer),
        salt=secrets.token_hex(8),
        certificate_credential=records.certificate.document if records.certificate else None,
    )
    record = IssuedRecord(
        registration_id=registration_id,
        credential_uuid=built.credential_uuid,
        kind="passport",
        user_pk=user_pk,
        title=built.document["name"],
        document=built.document,
        jwt=built.jwt,
        facts_key=key,
    )
    session.add(record)
    session.flush()
    return record


def verify(session: Session, issuer: Issuer, blob: object) -> VerificationReport:
    return verify_credential(blob, store.DatabaseTrust(session, issuer))
