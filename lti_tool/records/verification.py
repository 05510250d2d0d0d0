"""Our own verifier, for the /verify page, its JSON API and `carecert records verify`.

It answers, in plain words, for a unit credential (VC-JWT or JSON with an embedded proof) or a passport
(ClrCredential with its unit credentials inside): is it well formed, does the signature hold, is it ours,
are its dates current, has it been revoked — and for a passport, the same for each unit.

Trust: only keys this tool publishes, only this tool's issuer id (`Trust`). A credential from another
issuer is reported as not verifiable here rather than trusted on the strength of a key it names itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric import ed25519
from pyld import jsonld

from lti_tool.records import data_integrity, vc_jwt
from lti_tool.records.jsonld import BUNDLED_CONTEXTS, offline_loader
from lti_tool.records.shape import shape_problems
from lti_tool.records.status_list import StatusListError, bit_is_set, parse_entry

CLOCK_LEEWAY = timedelta(minutes=5)
MAX_BLOB_CHARS = 2_000_000


class Trust(Protocol):
    def knows_issuer(self, issuer_id: str, key_url: str) -> bool:
        """Whether `issuer_id` is one we trust, and the key that signed (`key_url`) is one of its keys."""
        ...

    def rsa_jwk(self, kid: str) -> dict | None: ...

    def ed25519_key(self, method: str) -> ed25519.Ed25519PublicKey | None: ...

    def status_bits(self, list_url: str) -> bytes | None: ...


@dataclass
class StaticTrust:
    """Trust from plain values (tests, the CLI with an exported key file)."""

    issuer_id: str
    rsa_keys: dict[str, dict] = field(default_factory=dict)
    ed25519_keys: dict[str, ed25519.Ed25519PublicKey] = field(default_factory=dict)
    status_lists: dict[str, bytes] = field(default_factory=dict)

    def knows_issuer(self, issuer_id: str, key_url: str) -> bool:
        return issuer_id == self.issuer_id and (key_url in self.rsa_keys or key_url in self.ed25519_keys)

    def rsa_jwk(self, kid: str) -> dict | None:
        return self.rsa_keys.get(kid)

    def ed25519_key(self, method: str) -> ed25519.Ed25519PublicKey | None:
        return self.ed25519_keys.get(method)

    def status_bits(self, list_url: str) -> bytes | None:
        return self.status_lists.get(list_url)


@dataclass(frozen=True)
class Check:
    name: str  # format | signature | issuer | dates | revocation | units
    passed: bool
    message: str


@dataclass
class VerificationReport:
    kind: str = ""  # OpenBadgeCredential | ClrCredential | unknown
    title: str = ""
    credential_id: str = ""
    proof_format: str = ""  # VC-JWT | Data Integrity (eddsa-rdfc-2022)
    checks: list[Check] = field(default_factory=list)
    units: list[VerificationReport] = field(default_factory=list)
    revoked: bool = False
    document: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks) and all(u.valid for u in self.units)

    @property
    def summary(self) -> str:
        if self.valid:
            what = "passport" if self.kind == "ClrCredential" else "credential"
            return f"This {what} is genuine, current and has not been revoked."
        if self.revoked:
            return "This credential was issued by us but has been revoked: do not rely on it."
        failed = [c.message for c in self.checks if not c.passed]
        if not failed and self.units:
            return "The passport itself holds, but at least one unit inside it does not (see each unit)."
        return failed[0] if failed else "This could not be verified."

    def fail(self, name: str, message: str) -> VerificationReport:
        self.checks.append(Check(name, False, message))
        return self

    def ok(self, name: str, message: str) -> None:
        self.checks.append(Check(name, True, message))

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "summary": self.summary,
            "kind": self.kind,
            "title": self.title,
            "credential_id": self.credential_id,
            "proof_format": self.proof_format,
            "revoked": self.revoked,
            "checks": [c.__dict__ for c in self.checks],
            "units": [u.to_dict() for u in self.units],
        }


def verify_credential(blob: Any, trust: Trust, now: datetime | None = None) -> VerificationReport:
    """Verify a pasted or uploaded credential: a VC-JWT, a JSON credential with its proof, or a passport."""
    now = now or datetime.now(UTC)
    if isinstance(blob, bytes):
        try:
            blob = blob.decode("utf-8")
        except UnicodeDecodeError:
            return VerificationReport(kind="unknown").fail(
                "format", "The file is not text: upload the JSON or JWT."
            )
    if isinstance(blob, str):
        text = blob.strip()
        if len(text) > MAX_BLOB_CHARS:
            return VerificationReport(kind="unknown").fail(
                "format", "This is far larger than any credential."
            )
        if text.count(".") == 2 and not text.startswith("{"):
            return _verify_jwt(text, trust, now)
        try:
            blob = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than any credential
            return VerificationReport(kind="unknown").fail(
                "format", "This is neither a credential (JSON) nor a signed token (JWT)."
            )
    if not isinstance(blob, dict):
        return VerificationReport(kind="unknown").fail(
            "format", "A credential is a JSON object; this is not."
        )
    if _is_passport(blob):
        return _verify_passport(blob, trust, now)
    return _verify_document(blob, trust, now)


def _is_passport(document: dict[str, Any]) -> bool:
    types = document.get("type") if isinstance(document.get("type"), list) else [document.get("type")]
    return "ClrCredential" in types


def _title(document: dict[str, Any]) -> str:
    name = document.get("name")
    return name if isinstance(name, str) else ""


def _start(report: VerificationReport, document: dict[str, Any], kind: str) -> bool:
    report.document = document
    report.title = _title(document)
    report.credential_id = str(document.get("id", ""))
    contexts = document.get("@context")
    if not isinstance(contexts, list) or any(
        not isinstance(c, str) or c not in BUNDLED_CONTEXTS for c in contexts
    ):
        report.fail(
            "format", "The credential's @context is not the standard one for Open Badges 3.0 / CLR 2.0."
        )
        return False
    try:
        problems = shape_problems(document, "clr_credential" if kind == "ClrCredential" else "ob3_credential")
    except RecursionError:
        problems = ["it is nested deeper than any credential"]
    if problems:
        report.fail("format", f"The credential is not complete: {problems[0]}")
        return False
    report.ok("format", f"It is a well-formed {kind}.")
    return True


def _verify_jwt(token: str, trust: Trust, now: datetime) -> VerificationReport:
    report = VerificationReport(kind="OpenBadgeCredential", proof_format="VC-JWT")
    try:
        header, payload = vc_jwt.unverified_parts(token)
    except vc_jwt.JwtError as error:
        return report.fail("format", f"The token cannot be read: {error}.")
    if _is_passport(payload):
        report.kind = "ClrCredential"
    if not _start(report, payload, report.kind):
        return report
    if header.get("alg") != vc_jwt.ALGORITHM:
        return report.fail("signature", f"The token is signed with {header.get('alg')!r}, not RS256.")
    kid = header.get("kid")
    public = trust.rsa_jwk(kid) if isinstance(kid, str) else None
    if public is None:
        return report.fail("issuer", "The token was not signed with any key this provider publishes.")
    try:
        vc_jwt.verify_signature(token, public)
    except vc_jwt.JwtError:
        return report.fail(
            "signature", "The signature does not match: the credential was changed after issue."
        )
    problems = vc_jwt.claims_problems(payload)
    if problems:
        return report.fail("signature", f"The token is inconsistent: {problems[0]}.")
    report.ok("signature", "The signature holds: nothing was changed since it was issued.")
    _finish(report, payload, trust, now, signed_by=kid)
    if report.kind == "ClrCredential":
        _verify_units(report, payload, trust, now)
    return report


def _signed_fields_only(document: dict[str, Any]) -> bool:
    """Whether every member of the JSON is covered by the RDF the proof signs. A member no context defines is
    dropped by JSON-LD expansion (and a relative IRI by the RDF conversion), so a forger could add one without
    breaking the signature: count the values on both sides, and require every IRI to be absolute."""
    try:
        expanded = jsonld.expand(document, {"documentLoader": offline_loader})
    except Exception:  # noqa: BLE001 - pyld raises many types for hostile JSON-LD
        return False
    json_values = _count_json_values(document)
    rdf_values, relative = _count_expanded_values(expanded)
    return json_values == rdf_values and not relative


def _count_json_values(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_count_json_values(v) for k, v in value.items() if k != "@context")
    if isinstance(value, list):
        return sum(_count_json_values(v) for v in value)
    return 0 if value is None else 1


def _count_expanded_values(value: Any) -> tuple[int, bool]:
    count, relative = 0, False
    if isinstance(value, list):
        for item in value:
            found, bad = _count_expanded_values(item)
            count, relative = count + found, relative or bad
    elif isinstance(value, dict) and "@value" in value:
        count += 1  # a literal; its @type is the datatype, not a member of the JSON
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in ("@id", "@type"):
                iris = item if isinstance(item, list) else [item]
                count += len(iris)
                relative = relative or any(not isinstance(i, str) or ":" not in i for i in iris)
            else:
                found, bad = _count_expanded_values(item)
                count, relative = count + found, relative or bad
    return count, relative


def _verify_data_integrity(report: VerificationReport, document: dict[str, Any], trust: Trust) -> bool:
    report.proof_format = "Data Integrity (eddsa-rdfc-2022)"
    try:
        proof = data_integrity.read_proof(document)
    except data_integrity.ProofError as error:
        report.fail("signature", f"{str(error).capitalize()}.")
        return False
    public = trust.ed25519_key(proof.verification_method)
    if public is None:
        report.fail("issuer", "The proof names a key that this provider does not publish.")
        return False
    try:
        data_integrity.verify_proof(document, public)
    except data_integrity.ProofError:
        report.fail("signature", "The signature does not match: the credential was changed after issue.")
        return False
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if not _signed_fields_only(unsecured):
        report.fail("signature", "The credential carries fields its signature does not cover.")
        return False
    report.ok("signature", "The signature holds: nothing was changed since it was issued.")
    return True


def _verify_document(document: dict[str, Any], trust: Trust, now: datetime) -> VerificationReport:
    report = VerificationReport(kind="OpenBadgeCredential")
    if not _start(report, document, "OpenBadgeCredential"):
        return report
    if not _verify_data_integrity(report, document, trust):
        return report
    return _finish(report, document, trust, now)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _finish(
    report: VerificationReport, document: dict[str, Any], trust: Trust, now: datetime, signed_by: str = ""
) -> VerificationReport:
    """The checks after the signature. `signed_by`: the key URL (the JWT's kid; else the proof's method)."""
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    proof = document.get("proof")
    signed_by = signed_by or (str(proof.get("verificationMethod", "")) if isinstance(proof, dict) else "")
    if not isinstance(issuer_id, str) or not trust.knows_issuer(issuer_id, signed_by):
        return report.fail("issuer", "It names a different issuer from the key that signed it.")
    issuer_name = issuer.get("name", "") if isinstance(issuer, dict) else ""
    report.ok("issuer", f"Issued by {issuer_name or issuer_id}.")
    valid_from, valid_until = _parse_time(document.get("validFrom")), _parse_time(document.get("validUntil"))
    if valid_from is None or valid_from > now + CLOCK_LEEWAY:
        return report.fail("dates", "It is not valid yet (its start date is in the future or unreadable).")
    if document.get("validUntil") is not None and (valid_until is None or valid_until < now - CLOCK_LEEWAY):
        return report.fail("dates", "It has expired.")
    report.ok(
        "dates",
        f"Valid since {valid_from:%d %B %Y}" + (f", until {valid_until:%d %B %Y}." if valid_until else "."),
    )
    _check_status(report, document, trust)
    return report


def _check_status(report: VerificationReport, document: dict[str, Any], trust: Trust) -> None:
    entry = document.get("credentialStatus")
    if entry is None:
        report.ok("revocation", "It carries no revocation status (it cannot be revoked).")
        return
    try:
        list_url, index = parse_entry(entry)
        bits = trust.status_bits(list_url)
        if bits is None:
            report.fail("revocation", "Its revocation list is not one this provider publishes.")
            return
        revoked = bit_is_set(bits, index)
    except StatusListError as error:
        report.fail("revocation", f"Its revocation status cannot be read: {error}.")
        return
    if revoked:
        report.revoked = True
        report.fail("revocation", "It has been revoked by the issuer.")
    else:
        report.ok("revocation", "It has not been revoked.")


def _verify_passport(document: dict[str, Any], trust: Trust, now: datetime) -> VerificationReport:
    report = VerificationReport(kind="ClrCredential")
    if not _start(report, document, "ClrCredential"):
        return report
    if not _verify_data_integrity(report, document, trust):
        return report
    _finish(report, document, trust, now)
    _verify_units(report, document, trust, now)
    return report


def _verify_units(report: VerificationReport, document: dict[str, Any], trust: Trust, now: datetime) -> None:
    inner = (document.get("credentialSubject") or {}).get("verifiableCredential") or []
    for credential in inner if isinstance(inner, list) else []:
        report.units.append(verify_credential(credential, trust, now))
