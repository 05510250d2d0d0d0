"""W3C Bitstring Status List v1.0: revocation bits for issued credentials.

One list holds LIST_SIZE bits (the spec's minimum of 16 KB, 131,072 entries, so a verifier cannot tell which
credential it is asking about from the list's size). Index 0 is the left-most bit of the first byte (§3.2).
`encodedList` is the multibase base64url (prefix 'u', no padding) of the GZIP-compressed bitstring.
"""

from __future__ import annotations

import base64
import gzip
import io
from datetime import datetime
from typing import Any

from lti_tool.records.issuer import Issuer
from lti_tool.records.jsonld import VC_V2
from lti_tool.records.ob3 import xsd_datetime

LIST_SIZE = 131_072
PURPOSE = "revocation"


class StatusListError(ValueError):
    """An encoded list or an entry that cannot be read."""


def encode_bits(revoked_indexes: set[int] | list[int], size: int = LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        if not 0 <= index < size:
            raise StatusListError(f"status index {index} is outside the list (0..{size - 1})")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same bytes (a stable list between publications)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_bits(encoded_list: str) -> bytes:
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url (starting with 'u')")
    body = encoded_list[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        # A list is at most a few MB uncompressed; refuse a decompression bomb.
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            bits = stream.read(16 * 1024 * 1024 + 1)
    except (ValueError, OSError, EOFError) as error:
        raise StatusListError(f"encodedList cannot be decoded: {error}") from None
    if len(bits) > 16 * 1024 * 1024:
        raise StatusListError("encodedList is larger than any list we accept")
    return bits


def bit_is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"status index {index} is outside the list of {len(bits) * 8} entries")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_entry(issuer: Issuer, list_number: int, index: int) -> dict[str, Any]:
    list_url = issuer.status_list_url(list_number)
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    issuer: Issuer, list_number: int, revoked_indexes: set[int], issued_at: datetime
) -> dict[str, Any]:
    """The unsigned `BitstringStatusListCredential` (signed by the caller like any credential)."""
    list_url = issuer.status_list_url(list_number)
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": xsd_datetime(issued_at),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode_bits(revoked_indexes),
        },
    }


def parse_entry(entry: Any) -> tuple[str, int]:
    """(status list URL, index) of a `BitstringStatusListEntry`."""
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        raise StatusListError("credentialStatus is not a BitstringStatusListEntry")
    url, index = entry.get("statusListCredential"), entry.get("statusListIndex")
    if not isinstance(url, str) or not isinstance(index, str) or not index.isdigit():
        raise StatusListError("credentialStatus has no list URL or no numeric index")
    return url, int(index)
