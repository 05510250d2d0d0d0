"""The records tables as the domain needs them: keys, status slots, the verifier's trust, issued credentials.

Every function works inside the caller's session (a unit of work of `lti_tool.db.Database`).
"""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lti_tool.db.models import utcnow
from lti_tool.records import keys as key_material
from lti_tool.records import providers
from lti_tool.records.issuer import Issuer
from lti_tool.records.issuing import StatusSlot
from lti_tool.records.keys import SigningKeys
from lti_tool.records.models import CredentialKey, IssuedRecord, StatusList
from lti_tool.records.status_list import LIST_SIZE, decode_bits, encode_bits


class RecordNotFound(LookupError):
    """No credential with that id (in this tenant)."""


# -- keys --------------------------------------------------------------------------------------------------
def _newest_key(session: Session, kind: str) -> CredentialKey | None:
    return session.scalars(
        select(CredentialKey)
        .where(CredentialKey.kind == kind, CredentialKey.retired_at.is_(None))
        .order_by(CredentialKey.id.desc())
    ).first()


def _add_key(session: Session, kind: str) -> CredentialKey:
    if kind == "rsa":
        pem = key_material.new_rsa_pem()
        public = key_material.rsa_public_jwk(pem)
        name = public["kid"]
    else:
        pem = key_material.new_ed25519_pem()
        name = SigningKeys("", "", pem, "").ed25519_multikey
        public = {"publicKeyMultibase": name}
    row = CredentialKey(name=name, kind=kind, private_pem=pem, public=public)
    session.add(row)
    session.flush()
    return row


def signing_keys(session: Session, issuer: Issuer) -> SigningKeys:
    """The newest unretired RSA and Ed25519 keys; each is created on first use."""
    rsa_row = _newest_key(session, "rsa") or _add_key(session, "rsa")
    ed_row = _newest_key(session, "ed25519") or _add_key(session, "ed25519")
    return SigningKeys(
        rsa_row.private_pem, issuer.key_url(rsa_row.name), ed_row.private_pem, issuer.key_url(ed_row.name)
    )


def rotate_keys(session: Session) -> list[str]:
    """Retire the signing keys (they stay published) and make new ones; returns the new key names."""
    session.execute(
        update(CredentialKey).where(CredentialKey.retired_at.is_(None)).values(retired_at=utcnow())
    )
    return [_add_key(session, "rsa").name, _add_key(session, "ed25519").name]


def published_key(session: Session, issuer: Issuer, name: str) -> dict | None:
    """What `{BASE_URL}/records/keys/{name}` serves: a public JWK, or a Multikey verification method."""
    row = session.scalars(select(CredentialKey).where(CredentialKey.name == name)).first()
    if row is None:
        return None
    if row.kind == "rsa":
        return dict(row.public)
    return {
        "@context": "https://w3id.org/security/multikey/v1",
        "id": issuer.key_url(row.name),
        "type": "Multikey",
        "controller": issuer.id,
        "publicKeyMultibase": row.public["publicKeyMultibase"],
    }


def controller_document(session: Session, issuer: Issuer) -> dict:
    """Every key we ever signed with, as the issuer's controller document (and a JWKS for the RSA keys)."""
    rows = list(session.scalars(select(CredentialKey).order_by(CredentialKey.id)))
    methods = [published_key(session, issuer, row.name) for row in rows if row.kind == "ed25519"]
    return {
        "@context": ["https://www.w3.org/ns/cid/v1", "https://w3id.org/security/multikey/v1"],
        "id": issuer.id,
        "verificationMethod": [{k: v for k, v in m.items() if k != "@context"} for m in methods if m],
        "assertionMethod": [issuer.key_url(row.name) for row in rows if row.kind == "ed25519"],
        "jwks": {"keys": [dict(row.public) for row in rows if row.kind == "rsa"]},
    }


# -- status lists ------------------------------------------------------------------------------------------
def allocate_status(session: Session) -> StatusSlot:
    """The next free entry of the newest list (a new list when it is full)."""
    # FOR UPDATE: two issuers on PostgreSQL must not hand out the same entry (SQLite's BEGIN IMMEDIATE already
    # serialises writers).
    status_list = session.scalars(select(StatusList).order_by(StatusList.id.desc()).with_for_update()).first()
    if status_list is None or status_list.next_index >= LIST_SIZE:
        status_list = StatusList(next_index=0)
        session.add(status_list)
        session.flush()
    slot = StatusSlot(status_list.id, status_list.next_index)
    status_list.next_index += 1
    session.flush()
    return slot


def revoked_indexes(session: Session, list_number: int) -> set[int]:
    return set(
        session.scalars(
            select(IssuedRecord.status_index).where(
                IssuedRecord.status_list == list_number, IssuedRecord.revoked_at.is_not(None)
            )
        )
    )


def status_list_exists(session: Session, list_number: int) -> bool:
    return session.get(StatusList, list_number) is not None


class DatabaseTrust:
    """The verifier's trust: our issuers (the installation's and each provider profile's), our published
    keys under any of them, our status lists (read from the database)."""

    def __init__(self, session: Session, issuer: Issuer) -> None:
        self.session, self.installation = session, issuer.installation()
        self.issuer_id = self.installation.id

    def _issuer_of(self, url: str) -> Issuer | None:
        """The issuer whose URL space `url` is in: a provider's (with a profile) or the installation's."""
        provider = self.installation.provider_of(url)
        if provider is None:
            return self.installation
        return providers.provider_issuer(self.session, self.installation, provider)

    def knows_issuer(self, issuer_id: str, key_url: str) -> bool:
        # the key must be published under the same issuer: one provider's URLs never vouch for another's
        issuer = self._issuer_of(issuer_id)
        return issuer is not None and issuer.id == issuer_id and key_url.startswith(issuer.key_url(""))

    def _key_named(self, url: str, kind: str) -> CredentialKey | None:
        issuer = self._issuer_of(url)
        prefix = issuer.key_url("") if issuer else ""
        if not prefix or not url.startswith(prefix):
            return None
        row = self.session.scalars(
            select(CredentialKey).where(CredentialKey.name == url[len(prefix) :])
        ).first()
        return row if row is not None and row.kind == kind else None

    def rsa_jwk(self, kid: str) -> dict | None:
        row = self._key_named(kid, "rsa")
        return dict(row.public) if row else None

    def ed25519_key(self, method: str) -> ed25519.Ed25519PublicKey | None:
        row = self._key_named(method, "ed25519")
        return key_material.ed25519_from_multikey(row.public["publicKeyMultibase"]) if row else None

    def status_bits(self, list_url: str) -> bytes | None:
        prefix = self.installation.status_list_url(0)[:-1]
        number = list_url[len(prefix) :] if list_url.startswith(prefix) else ""
        if not number.isdigit() or not status_list_exists(self.session, int(number)):
            return None
        return decode_bits(encode_bits(revoked_indexes(self.session, int(number))))


# -- issued credentials ------------------------------------------------------------------------------------
def find_record(session: Session, credential_uuid: str, registration_id: int | None = None) -> IssuedRecord:
    query = select(IssuedRecord).where(IssuedRecord.credential_uuid == credential_uuid)
    if registration_id is not None:
        query = query.where(IssuedRecord.registration_id == registration_id)
    record = session.scalars(query).first()
    if record is None:
        raise RecordNotFound(f"no credential {credential_uuid}")
    return record


def learner_records(session: Session, registration_id: int, user_pk: int, kind: str | None = None) -> list:
    query = select(IssuedRecord).where(
        IssuedRecord.registration_id == registration_id, IssuedRecord.user_pk == user_pk
    )
    if kind:
        query = query.where(IssuedRecord.kind == kind)
    return list(session.scalars(query.order_by(IssuedRecord.unit_id, IssuedRecord.id)))


def current_unit_records(session: Session, registration_id: int, user_pk: int) -> dict[str, IssuedRecord]:
    """The newest unrevoked unit credential per unit id."""
    found: dict[str, IssuedRecord] = {}
    for record in learner_records(session, registration_id, user_pk, "unit"):
        if record.revoked_at is None:
            found[record.unit_id] = record
    return found


def revoke(session: Session, record: IssuedRecord, by: str, reason: str, at: datetime | None = None) -> bool:
    """Flip the record's status bit; False when it was already revoked (or cannot be revoked)."""
    if record.revoked_at is not None or record.status_list is None:
        return False
    record.revoked_at = at or utcnow()
    record.revoked_by, record.revoke_reason = by[:255], reason
    session.flush()
    return True
