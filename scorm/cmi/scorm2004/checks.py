"""SCORM 2004 rules that look beyond a single value: identifier uniqueness and immutability."""

from __future__ import annotations

from scorm.cmi.common.errors import CmiError, ErrorKind
from scorm.cmi.common.model import SetContext


def unique_id_in_collection(value: str, ctx: SetContext) -> None:
    """Objective identifiers are unique within their collection (RTE 4.2.17.1, 4.2.9.1); 351 otherwise."""
    depth = len(ctx.target.levels) - 1
    for record in ctx.sibling_records(depth):
        if ctx.model.values.get(f"{record}.id") == value:
            raise CmiError(
                ErrorKind.SET_FAILURE, f"The identifier {value[:60]!r} is already used in {record}."
            )


def id_fixed_once_set(value: str, ctx: SetContext) -> None:
    """An objective's identifier cannot change once set (4th edition RTE 4.2.17.1); 351 otherwise."""
    current = ctx.model.values.get(ctx.target.path)
    if current is not None and current != value:
        raise CmiError(
            ErrorKind.SET_FAILURE, f"{ctx.target.path} is already {current[:60]!r} and cannot change."
        )
