"""SCORM 2004 ``adl.nav.*`` navigation requests (RTE 4.4) and 4th edition shared data ``adl.data``."""

from __future__ import annotations

import re

from scorm.cmi.common.datatypes import identifier, vocabulary
from scorm.cmi.common.elements import Collection, Element, Size, ro, rw
from scorm.cmi.common.errors import CmiError, ErrorKind
from scorm.cmi.common.model import SetContext

NAV_REQUEST = re.compile(
    r"continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_|\{target=[^{}\s]+\}(?:choice|jump)"
)
VALIDITY = vocabulary("true", "false", "unknown")
# Hidden per-record flags the LMS seeds from adlcp:data/@readSharedData and @writeSharedData (CAM 4th
# edition); "#" makes them names the API can never resolve.
READ_FLAG = "#readable"
WRITE_FLAG = "#writable"


def nav_request(value: str, ctx: SetContext) -> None:
    if not NAV_REQUEST.fullmatch(value):
        raise CmiError(
            ErrorKind.TYPE_MISMATCH,
            f"{value!r} is not a navigation request (continue, previous, {{target=ID}}choice, exit, ...).",
        )


def shared_data_writable(value: str, ctx: SetContext) -> None:
    if ctx.record_value(0, WRITE_FLAG) == "false":
        raise CmiError(ErrorKind.READ_ONLY, f"The manifest makes {ctx.target.path} read-only.")


def shared_data_readable(ctx: SetContext) -> None:
    if ctx.record_value(0, READ_FLAG) == "false":
        raise CmiError(ErrorKind.WRITE_ONLY, f"The manifest makes {ctx.target.path} write-only.")


ELEMENTS: dict[str, Element] = {
    "adl.nav.request": rw(nav_request, default="_none_"),
    # The sequencer's answers; the LMS seeds them before launch ("unknown" when it has not evaluated).
    "adl.nav.request_valid.continue": ro(VALIDITY, default="unknown"),
    "adl.nav.request_valid.previous": ro(VALIDITY, default="unknown"),
    "adl.nav.request_valid.choice.{target}": ro(VALIDITY, default="unknown"),
    "adl.nav.request_valid.jump.{target}": ro(VALIDITY, default="unknown"),
    "adl.data.n.id": ro(identifier(), size=Size.LONG),
    "adl.data.n.store": rw(
        shared_data_writable, size=Size.SUSPEND, spm=64000, read_guard=shared_data_readable
    ),
}

# Shared data buckets come from the manifest only: the content can never open one.
COLLECTIONS = {"adl.data": Collection("id,store", opened_by=frozenset())}
