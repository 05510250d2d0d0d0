"""Issuing from what the player and the assessor recorded: achieved means passed AND signed off where the unit
needs observation; an undone sign-off revokes; all 15 units bring the certificate and a complete passport."""

from __future__ import annotations

import pytest

from lti_tool.records import service, store
from lti_tool.records.issuer import Issuer
from lti_tool.records.queries import achievement_facts
from tests.records.world import UNIT_IDS, make_world

ISSUER = Issuer("https://tool.example.org", "Example Care Training")


@pytest.fixture
def world(database_url):
    world = make_world(database_url)
    world.add_learner("Ann Smith")
    yield world
    world.db.dispose()


def _sync(world, learner="Ann Smith"):
    with world.db.session() as session:
        return service.sync_learner(session, ISSUER, world.registration_id, world.learners[learner])


def test_a_passed_unit_that_needs_observation_waits_for_the_signoff(world):
    world.attempt("Ann Smith", "u01")
    with world.db.session() as session:
        facts = achievement_facts(session, world.registration_id, world.learners["Ann Smith"])[0]
    assert facts.observation_required and not facts.achieved
    assert facts.missing() == ["an assessor has not yet signed off the observation at work"]
    assert _sync(world).units == {}


def test_a_signed_off_pass_issues_one_credential_once(world):
    world.achieve("Ann Smith", "u01")
    first = _sync(world)
    second = _sync(world)
    assert list(first.units) == ["u01"] and len(first.newly_issued) == 1
    assert (
        second.newly_issued == []
        and second.units["u01"].credential_uuid == first.units["u01"].credential_uuid
    )


def test_a_failed_attempt_issues_nothing(world):
    world.attempt("Ann Smith", "u02", success="failed", score=0.4)
    world.sign_off("Ann Smith", "u02")
    assert _sync(world).units == {}


def test_undoing_the_signoff_revokes_the_credential_and_verification_says_so(world):
    world.attempt("Ann Smith", "u01")
    signoff = world.sign_off("Ann Smith", "u01")
    record = _sync(world).units["u01"]
    world.undo_sign_off(signoff)
    after = _sync(world)
    assert after.units == {} and [r.credential_uuid for r in after.revoked] == [record.credential_uuid]
    with world.db.session() as session:
        report = service.verify(session, ISSUER, record.document)
    assert report.revoked and not report.valid


def test_the_issued_credential_verifies_against_the_published_keys(world):
    world.achieve("Ann Smith", "u03")
    record = _sync(world).units["u03"]
    with world.db.session() as session:
        assert service.verify(session, ISSUER, record.jwt).valid
        assert service.verify(session, ISSUER, record.document).valid


def test_credentials_survive_a_key_rotation(world):
    world.achieve("Ann Smith", "u03")
    record = _sync(world).units["u03"]
    with world.db.session() as session:
        store.rotate_keys(session)
    world.achieve("Ann Smith", "u04")
    newer = _sync(world).units["u04"]
    with world.db.session() as session:
        assert service.verify(session, ISSUER, record.document).valid
        assert service.verify(session, ISSUER, newer.jwt).valid
    assert record.document["proof"]["verificationMethod"] != newer.document["proof"]["verificationMethod"]


def test_all_fifteen_units_bring_the_certificate_and_a_complete_passport(world):
    for unit_id in UNIT_IDS:
        world.achieve("Ann Smith", unit_id)
    records = _sync(world)
    assert records.complete and records.certificate is not None
    with world.db.session() as session:
        passport = service.passport(session, ISSUER, world.registration_id, world.learners["Ann Smith"])
        report = service.verify(session, ISSUER, passport.document)
    assert passport.document["partial"] is False
    assert report.valid and len(report.units) == 16


def test_the_passport_is_rebuilt_only_when_the_units_change(world):
    world.achieve("Ann Smith", "u01")
    with world.db.session() as session:
        first = service.passport(session, ISSUER, world.registration_id, world.learners["Ann Smith"])
        again = service.passport(session, ISSUER, world.registration_id, world.learners["Ann Smith"])
    world.achieve("Ann Smith", "u02")
    with world.db.session() as session:
        grown = service.passport(session, ISSUER, world.registration_id, world.learners["Ann Smith"])
    assert first.credential_uuid == again.credential_uuid != grown.credential_uuid
    assert len(grown.document["credentialSubject"]["verifiableCredential"]) == 2


def test_another_lms_cannot_see_or_issue_for_this_learner(world, tmp_path):
    world.achieve("Ann Smith", "u01")
    with world.db.session() as session, pytest.raises(LookupError):
        service.sync_learner(session, ISSUER, world.registration_id + 1, world.learners["Ann Smith"])


def test_the_assessors_own_signoff_and_undo_drive_issue_and_revocation(world):
    from datetime import date

    from lti_tool.assessor.operations import Actor, sign_off, undo_sign_off

    assessor = world.add_learner("Bola Assessor")
    actor = Actor(world.registration_id, world.context_pk, assessor, "Bola Assessor", "assessor")
    world.attempt("Ann Smith", "u05")  # u05 needs an observed sign-off
    with world.db.session() as session:
        signoff = sign_off(
            session,
            actor,
            learner_pk=world.learners["Ann Smith"],
            link_pk=world.links["u05"],
            observed_on=date(2026, 11, 9),
            evidence="Raised a concern correctly at handover.",
        )
        signoff_id = signoff.id
    record = _sync(world).units["u05"]
    assert "Bola Assessor" in record.document["evidence"][1]["narrative"]
    with world.db.session() as session:
        undo_sign_off(session, actor, signoff_id=signoff_id, reason="Signed off the wrong learner.")
    assert [r.credential_uuid for r in _sync(world).revoked] == [record.credential_uuid]
