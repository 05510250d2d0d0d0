"""The declarative pieces a data model table is made of: elements, collections and groups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scorm.cmi.common.model import SetContext

# A check receives the value (already within its size ceiling) and where it is being stored; it raises
# CmiError (TYPE_MISMATCH, OUT_OF_RANGE, DEPENDENCY, SET_FAILURE) when the value is refused.
Check = Callable[[str, "SetContext"], None]


class Access(StrEnum):
    READ_ONLY = "RO"
    WRITE_ONLY = "WO"
    READ_WRITE = "RW"


class Size(StrEnum):
    """Which ceiling of :class:`scorm.cmi.common.limits.Ceilings` bounds the element's values."""

    SHORT = "short_text"
    LONG = "long_text"
    SUSPEND = "suspend_data"


@dataclass(frozen=True)
class Element:
    access: Access
    check: Check | None = None
    # None: the element has no value until the LMS seeds it or the SCO sets it (2004 GetValue -> 403).
    default: str | None = None
    size: Size = Size.SHORT
    spm: int | None = None  # the specification's smallest permitted maximum, for the record
    # Runs before a read; raises CmiError when the LMS has withheld the value (4th ed. adl.data).
    read_guard: Callable[[SetContext], None] | None = None


@dataclass(frozen=True)
class Collection:
    children: str | None  # the _children answer; None where the specification defines none
    # The elements that may open a new record (SCORM 2004: the id must be set first, RTE 4.2.x);
    # None when any child may (SCORM 1.2 and comments).
    opened_by: frozenset[str] | None = None
    nested: bool = False  # a collection inside a record (interaction objectives, correct responses)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one table per version
class Table:
    """One version's data model: the single source of truth for names, access, types and keywords."""

    version: str  # "1.2" or "2004"
    # pattern ("cmi.interactions.n.id") -> element; the order is the order a commit applies values in
    elements: dict[str, Element]
    collections: dict[str, Collection]  # pattern of the collection ("cmi.interactions.n.objectives")
    groups: dict[str, str] = field(default_factory=dict)  # group pattern -> _children answer
    known_prefixes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        prefixes: set[str] = set()
        for pattern in [*self.elements, *self.collections, *self.groups]:
            parts = pattern.split(".")
            prefixes.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
        object.__setattr__(self, "known_prefixes", frozenset(prefixes))


def ro(check: Check | None = None, default: str | None = None, **kw) -> Element:
    return Element(Access.READ_ONLY, check, default, **kw)


def wo(check: Check | None = None, **kw) -> Element:
    return Element(Access.WRITE_ONLY, check, **kw)


def rw(check: Check | None = None, default: str | None = None, **kw) -> Element:
    return Element(Access.READ_WRITE, check, default, **kw)
