"""Issuing and verifying Open Badges 3.0 credentials: our figures beside the bare cryptography they rest on.

Run: .venv/bin/python bench/records.py [--count 20]
Prints per-credential times (median of `count`) for: issuing a unit credential (document, eddsa-rdfc-2022
proof, RS256 VC-JWT), our verifier on the JSON and on the JWT, and a 15-unit passport (build and verify); and
the baseline: one Ed25519 signature and one RS256 signature over the same bytes, without JSON-LD.
The gap between the two is RDF canonicalisation (pyld, pure Python), which Data Integrity requires.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402

from lti_tool.catalogue import load_unit  # noqa: E402
from lti_tool.records.facts import AchievementFacts, ElearningResult, Learner, Signoff  # noqa: E402
from lti_tool.records.issuer import Issuer  # noqa: E402
from lti_tool.records.issuing import StatusSlot, issue_unit_credential  # noqa: E402
from lti_tool.records.keys import SigningKeys, new_ed25519_pem, new_rsa_pem, rsa_public_jwk  # noqa: E402
from lti_tool.records.passport import build_passport  # noqa: E402
from lti_tool.records.status_list import decode_bits, encode_bits  # noqa: E402
from lti_tool.records.verification import StaticTrust, verify_credential  # noqa: E402


def median_ms(action, count: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def facts(unit_id: str) -> AchievementFacts:
    unit = load_unit(unit_id)
    return AchievementFacts(
        unit,
        Learner(1, 1, "sub", "Ann Smith", "ann@example.org"),
        ElearningResult(
            True, datetime(2026, 11, 2, tzinfo=UTC), 85.0, 1, "5f0c6a8e-3f59-4a43-8f43-3c8c3f0f2b11"
        ),
        Signoff(date(2026, 11, 9), "Assessor", "Observed.", datetime(2026, 11, 9, tzinfo=UTC)),
        True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20)
    count = parser.parse_args().count
    issuer = Issuer("https://tool.example.org", "Example Care Training")
    rsa_pem, ed_pem = new_rsa_pem(), new_ed25519_pem()
    draft = SigningKeys(rsa_pem, "", ed_pem, "")
    keys = SigningKeys(
        rsa_pem,
        issuer.key_url(rsa_public_jwk(rsa_pem)["kid"]),
        ed_pem,
        issuer.key_url(draft.ed25519_multikey),
    )
    trust = StaticTrust(
        issuer.id,
        {keys.rsa_kid: keys.rsa_public_jwk},
        {keys.ed25519_method: keys.ed25519_private.public_key()},
        {issuer.status_list_url(1): decode_bits(encode_bits(set()))},
    )
    unit = facts("u01")
    issued = issue_unit_credential(unit, issuer, keys, status=StatusSlot(1, 0))  # warm-up: caches, contexts
    body = json.dumps(issued.document).encode()
    rsa_key = serialization.load_pem_private_key(rsa_pem.encode(), None)
    ed_key = keys.ed25519_private
    rows = [
        ("baseline: Ed25519 signature", median_ms(lambda: ed_key.sign(body), count)),
        (
            "baseline: RS256 signature",
            median_ms(lambda: rsa_key.sign(body, padding.PKCS1v15(), hashes.SHA256()), count),
        ),
        (
            "issue a unit credential (both proofs)",
            median_ms(lambda: issue_unit_credential(unit, issuer, keys, status=StatusSlot(1, 1)), count),
        ),
        (
            "verify the JSON (Data Integrity)",
            median_ms(lambda: verify_credential(issued.document, trust), count),
        ),
        ("verify the VC-JWT", median_ms(lambda: verify_credential(issued.jwt, trust), count)),
    ]
    documents = [
        issue_unit_credential(facts(f"u{n:02d}"), issuer, keys, status=StatusSlot(1, n)).document
        for n in range(1, 16)
    ]
    few = max(1, count // 10)
    rows.append(
        (
            "build a 15-unit passport",
            median_ms(lambda: build_passport(unit.learner, documents, issuer, keys, salt="ab"), few),
        )
    )
    passport = build_passport(unit.learner, documents, issuer, keys, salt="ab")
    rows.append(
        (
            "verify a 15-unit passport (each unit too)",
            median_ms(lambda: verify_credential(passport.document, trust), few),
        )
    )
    # a verification that fails early is faster: the figures only count when every one succeeded
    for blob in (issued.document, issued.jwt, passport.document):
        if not verify_credential(blob, trust).valid:
            raise SystemExit("a verification failed: the figures above would not measure a full check")
    for name, figure in rows:
        print(f"{name:45} {figure:9.1f} ms")
    print(f"unit credential {len(body):,} bytes; passport {len(json.dumps(passport.document)):,} bytes")


if __name__ == "__main__":
    main()
