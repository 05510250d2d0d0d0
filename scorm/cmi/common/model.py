"""A data model instance: resolves element names against a version's table, reads and writes values.

Values live in one flat mapping from concrete element name (``cmi.interactions.0.id``) to string, and the
record counts of collections in another, so the whole state is plain data that serialises as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from scorm.cmi.common.elements import Access, Element, Table
from scorm.cmi.common.errors import CmiError, ErrorKind
from scorm.cmi.common.limits import DEFAULT_CEILINGS, Ceilings

_INDEX = re.compile(r"0|[1-9][0-9]*")
# Name resolution depends only on the table, and a commit names the same elements again and again: cache
# the names that resolve, per table, bounded so a stream of junk names from a browser cannot grow it.
_RESOLVED_CACHE_LIMIT = 100_000
_resolved_cache: dict[tuple[str, str], Resolved] = {}
_TARGET = re.compile(r"\{target=([^{}]+)\}")
KEYWORDS = ("_children", "_count")


@dataclass(frozen=True)
class Level:
    """One collection on the way to an element: ``cmi.interactions`` with index 2, child ``id``."""

    collection_path: str
    collection_pattern: str
    index: int
    child: str  # the first name after the index

    @property
    def record_path(self) -> str:
        return f"{self.collection_path}.{self.index}"


@dataclass(frozen=True)
class Resolved:
    path: str  # concrete name without a keyword
    pattern: str  # table name, indices replaced by "n"
    keyword: str | None  # "_children", "_count" or None for a value
    levels: tuple[Level, ...]


@dataclass
class SetContext:
    """What a check may look at: where the value goes and the values already stored."""

    model: DataModel
    target: Resolved

    def record_value(self, depth: int, child: str) -> str | None:
        """The stored value of ``child`` in the enclosing record at collection depth ``depth`` (0 = outer)."""
        return self.model.values.get(f"{self.target.levels[depth].record_path}.{child}")

    def sibling_records(self, depth: int) -> list[str]:
        """Paths of the other records of the collection at ``depth`` (not the one being written)."""
        level = self.target.levels[depth]
        count = self.model.counts.get(level.collection_path, 0)
        return [f"{level.collection_path}.{i}" for i in range(count) if i != level.index]


Derivation = Callable[[Callable[[str], str | None]], str | None]
# Consulted when a value's own check refused it as a type mismatch: (element pattern, value, context, the
# refusal) -> the value to store instead, or raises (the refusal itself when nothing is tolerated).
# The commit check passes one to tolerate what the browser run-time accepts (scorm/cmi/tolerance.py).
Leniency = Callable[[str, str, SetContext, CmiError], str]


class DataModel:
    def __init__(
        self,
        table: Table,
        ceilings: Ceilings = DEFAULT_CEILINGS,
        derived: dict[str, Derivation] | None = None,
    ):
        self.table = table
        self.ceilings = ceilings
        self.derived = derived or {}
        self.values: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self._stored_chars = 0

    # -- names ---------------------------------------------------------------------------------------
    def resolve(self, element: str) -> Resolved:
        key = (self.table.version, element)
        cached = _resolved_cache.get(key)
        if cached is not None:
            return cached
        resolved = self._resolve_uncached(element)
        if len(_resolved_cache) >= _RESOLVED_CACHE_LIMIT:
            _resolved_cache.clear()
        _resolved_cache[key] = resolved
        return resolved

    def _resolve_uncached(self, element: str) -> Resolved:
        if element == "":
            raise CmiError(ErrorKind.EMPTY_ELEMENT, "The element name is empty.")
        targeted = self._resolve_targeted(element)
        if targeted:
            return targeted
        parts = element.split(".")
        keyword = parts.pop() if parts[-1] in KEYWORDS else None
        pattern_parts: list[str] = []
        levels: list[Level] = []
        for position, part in enumerate(parts):
            prefix = ".".join(pattern_parts)
            if prefix in self.table.collections and _INDEX.fullmatch(part):
                child = parts[position + 1] if position + 1 < len(parts) else ""
                levels.append(Level(".".join(parts[:position]), prefix, int(part), child))
                pattern_parts.append("n")
            elif prefix in self.table.collections:
                # "cmi.objectives.n.id" spelled literally would otherwise match the pattern itself: a record
                # of a collection is only ever named by its number.
                named = f"{element}: {part!r} is not a record number of {prefix}."
                raise CmiError(ErrorKind.UNDEFINED, named)
            else:
                pattern_parts.append(part)
        pattern = ".".join(pattern_parts)
        self._check_known(element, pattern, keyword)
        path = ".".join(parts)
        return Resolved(path, pattern, keyword, tuple(levels))

    def _resolve_targeted(self, element: str) -> Resolved | None:
        # adl.nav.request_valid.choice.{target=ID}: the identifier may itself contain dots.
        for prefix in ("adl.nav.request_valid.choice.", "adl.nav.request_valid.jump."):
            if element.startswith(prefix) and f"{prefix}{{target}}" in self.table.elements:
                if not _TARGET.fullmatch(element[len(prefix) :]):
                    raise CmiError(
                        ErrorKind.UNDEFINED, f"{element} needs one {{target=ID}} after the request."
                    )
                return Resolved(element, f"{prefix}{{target}}", None, ())
        return None

    def _check_known(self, element: str, pattern: str, keyword: str | None) -> None:
        table = self.table
        known = pattern in table.known_prefixes
        if keyword == "_children":
            collection = table.collections.get(pattern)
            if pattern in table.groups or (collection and collection.children is not None):
                return
            if known:
                raise CmiError(ErrorKind.NO_CHILDREN, f"{pattern} has no _children.")
        elif keyword == "_count":
            if pattern in table.collections:
                return
            if known:
                raise CmiError(ErrorKind.NO_COUNT, f"{pattern} is not a collection and has no _count.")
        elif pattern in table.elements:
            return
        elif known:
            raise CmiError(ErrorKind.NOT_A_LEAF, f"{element} is a group, not an element holding a value.")
        else:
            parent = pattern.rpartition(".")[0]
            if "." in parent and parent in table.known_prefixes:
                raise CmiError(ErrorKind.NOT_A_LEAF, f"{parent} has no element {pattern.rpartition('.')[2]}.")
        raise CmiError(ErrorKind.UNDEFINED, f"{element} is not a SCORM {table.version} data model element.")

    def definition(self, target: Resolved) -> Element:
        return self.table.elements[target.pattern]

    # -- reading -------------------------------------------------------------------------------------
    def get(self, element: str) -> str:
        target = self.resolve(element)
        if target.keyword is None and self.definition(target).access is Access.WRITE_ONLY:
            # Write-only whatever the index: 1.2 interactions can never be read back.
            raise CmiError(ErrorKind.WRITE_ONLY, f"{element} is write-only.")
        self._require_records(target.levels)
        if target.keyword == "_children":
            collection = self.table.collections.get(target.pattern)
            return collection.children if collection else self.table.groups[target.pattern]
        if target.keyword == "_count":
            return str(self.counts.get(target.path, 0))
        definition = self.definition(target)
        if definition.read_guard:
            definition.read_guard(SetContext(self, target))
        value = self.current(target.path, target.pattern)
        if value is None:
            raise CmiError(ErrorKind.NOT_INITIALIZED, f"{element} has not been set.")
        return value

    def current(self, path: str, pattern: str | None = None) -> str | None:
        """The value a read returns, derivations applied (2004 completion/success status)."""
        pattern = pattern or self.resolve(path).pattern
        derive = self.derived.get(pattern)
        if derive:
            derived = derive(self.stored)
            if derived is not None:
                return derived
        return self.stored(path, pattern)

    def stored(self, path: str, pattern: str | None = None) -> str | None:
        """The value stored or seeded, else the element's default, without derivation."""
        if path in self.values:
            return self.values[path]
        pattern = pattern or self.resolve(path).pattern
        return self.table.elements[pattern].default

    def _require_records(self, levels: tuple[Level, ...]) -> None:
        for level in levels:
            if level.index >= self.counts.get(level.collection_path, 0):
                raise CmiError(
                    ErrorKind.GET_OUT_OF_RANGE,
                    f"{level.collection_path} has no record {level.index} "
                    f"(it holds {self.counts.get(level.collection_path, 0)}).",
                )

    # -- writing -------------------------------------------------------------------------------------
    def set(self, element: str, value: str, leniency: Leniency | None = None) -> None:
        """A write by the content (SCO): access, order, type, range and size are all checked; with a
        ``leniency``, a value of the wrong form may be stored as it decides (never one out of range)."""
        target = self._resolve_for_set(element)
        if target.keyword:
            raise CmiError(ErrorKind.KEYWORD_SET, f"{target.keyword} is a keyword and cannot be set.")
        definition = self.definition(target)
        if definition.access is Access.READ_ONLY:
            raise CmiError(ErrorKind.READ_ONLY, f"{element} is read-only.")
        self._store(target, definition, value, by_lms=False, leniency=leniency)

    def seed(self, element: str, value: str) -> None:
        """A write by the LMS (launch data, resume state): types are checked, access is not."""
        target = self._resolve_for_set(element)
        if target.keyword:
            raise CmiError(ErrorKind.KEYWORD_SET, f"{target.keyword} is a keyword and cannot be set.")
        self._store(target, self.definition(target), value, by_lms=True)

    def _resolve_for_set(self, element: str) -> Resolved:
        try:
            return self.resolve(element)
        except CmiError as error:
            # Setting _children/_count is setting a keyword, whether or not the element has one.
            if error.kind in (ErrorKind.NO_CHILDREN, ErrorKind.NO_COUNT):
                raise CmiError(
                    ErrorKind.KEYWORD_SET, "_children and _count are keywords and cannot be set."
                ) from None
            raise

    def _store(
        self,
        target: Resolved,
        definition: Element,
        value: str,
        by_lms: bool,
        leniency: Leniency | None = None,
    ) -> None:
        ceiling = getattr(self.ceilings, definition.size.value)
        if len(value) > ceiling:
            if definition.check and len(value) <= self.ceilings.long_text:
                # A long value of the wrong form (a vocabulary word, a number) is a type error first.
                definition.check(value, SetContext(self, target))
            raise CmiError(
                ErrorKind.TOO_LARGE,
                f"{target.path} is {len(value)} characters; this server stores at most {ceiling}.",
            )
        opened = self._records_to_open(target, by_lms)
        if definition.check:
            context = SetContext(self, target)
            try:
                definition.check(value, context)
            except CmiError as error:
                if leniency is None or error.kind is not ErrorKind.TYPE_MISMATCH:
                    raise
                value = leniency(target.pattern, value, context, error)
                if len(value) > ceiling:  # pragma: no cover - normalised forms are shorter than any ceiling
                    raise error from None
        growth = len(value) - len(self.values.get(target.path, ""))
        if self._stored_chars + growth > self.ceilings.attempt_chars:
            raise CmiError(
                ErrorKind.TOO_LARGE,
                f"The attempt's data would exceed {self.ceilings.attempt_chars} characters in total.",
            )
        for level in opened:
            self.counts[level.collection_path] = level.index + 1
        self.values[target.path] = value
        self._stored_chars += growth

    def _records_to_open(self, target: Resolved, by_lms: bool) -> list[Level]:
        opened: list[Level] = []
        for depth, level in enumerate(target.levels):
            count = self.counts.get(level.collection_path, 0)
            if level.index < count:
                continue
            if level.index > count:
                raise CmiError(
                    ErrorKind.SET_FAILURE,
                    f"{level.collection_path} holds {count} records; the next one is {count}, "
                    f"not {level.index}.",
                )
            collection = self.table.collections[level.collection_pattern]
            opener_ok = collection.opened_by is None or (
                level.child in collection.opened_by and depth == len(target.levels) - 1
            )
            if not (opener_ok or by_lms):
                first = "/".join(sorted(collection.opened_by or ()))
                raise CmiError(
                    ErrorKind.DEPENDENCY,
                    f"Set {level.record_path}.{first} before any other element of that record.",
                )
            limit = self.ceilings.nested_records if collection.nested else self.ceilings.records
            if count >= limit:
                raise CmiError(ErrorKind.TOO_LARGE, f"{level.collection_path} is limited to {limit} records.")
            opened.append(level)
        return opened

    # -- plain data ----------------------------------------------------------------------------------
    def to_data(self) -> dict:
        return {"values": dict(self.values), "counts": dict(self.counts)}

    def load_data(self, data: dict) -> None:
        values = dict(data.get("values", {}))
        try:
            # Every commit loads a state, which JSON gives as strings only: joining checks that at C speed
            # (a TypeError otherwise) and counts the characters the attempt's ceiling needs in one pass.
            "".join(values)
            stored_chars = len("".join(values.values()))
        except TypeError:
            values = {str(k): str(v) for k, v in values.items()}
            stored_chars = sum(map(len, values.values()))
        self.values = values
        self.counts = {str(k): int(v) for k, v in data.get("counts", {}).items()}
        self._stored_chars = stored_chars
