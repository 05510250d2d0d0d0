"""Turn a data model as JSON (nested like scorm-again's ``renderCMIToJSONObject`` or flattened into dotted
names) into ``(element, value)`` pairs, and order them so records are opened the way SCORM requires."""

from __future__ import annotations

import functools
import operator
import re
import threading
from typing import Any

from scorm.cmi.common.elements import Table
from scorm.cmi.common.errors import CmiError
from scorm.cmi.common.model import DataModel

_BRACKET_INDEX = re.compile(r"\[(\d+)\]")
DATA_ROOTS = ("cmi", "adl")
_MAX_DEPTH = 12  # deeper than any element name (cmi.interactions.n.correct_responses.n.pattern is 6)


class ShapeError(ValueError):
    """The JSON is not a data model: nested too deep or keyed by something other than names."""


def flatten_data_model(data: Any) -> list[tuple[str, Any]]:
    """Every leaf under the ``cmi``/``adl`` roots as (dotted name, value); other keys are left out.

    Collections may be objects keyed by index (scorm-again's JSON), lists, or already-flattened names;
    ``prop[0]`` bracket indices are read as ``prop.0``. Empty objects and lists hold nothing.
    """
    return _flatten(data, None)[1]


def changed_leaves(data: Any, stored: dict[str, Any]) -> tuple[int, list[tuple[str, Any]]]:
    """How many leaves :func:`flatten_data_model` finds in ``data``, and those of them whose value is not
    ``stored``'s for the name (a name ``stored`` lacks counts as changed), in the same order.

    A browser's commit re-sends the whole data model and mostly repeats what is stored; comparing as the
    walk goes saves building the full list only to drop most of it. Raises ShapeError as flattening does.
    """
    return _flatten(data, stored)


def _flatten(data: Any, stored: dict[str, Any] | None) -> tuple[int, list[tuple[str, Any]]]:
    if not isinstance(data, dict):
        raise ShapeError("the data model must be a JSON object")
    leaves: list[tuple[str, Any]] = []
    count = 0
    for key, child in data.items():
        if not isinstance(key, str):  # pragma: no cover - JSON keys are always strings
            raise ShapeError("data model keys must be strings")
        if not isinstance(child, _NESTED):
            if _root(key) in DATA_ROOTS:
                count += 1
                name = _BRACKET_INDEX.sub(r".\1", key) if "[" in key else key
                if stored is None or stored.get(name, _ABSENT) != child:
                    leaves.append((name, child))
        elif key:
            # Every leaf below takes its root from this key ("[n]" becomes ".n" within a part, never across a
            # dot); the others' are walked for their shape only (too deep is refused wherever it is).
            if _root(key) in DATA_ROOTS:
                count += _walk(child, key, leaves, 1, stored)
            else:
                _walk(child, key, [], 1, None)
        else:  # "" puts no dot before its children's names: they give the roots
            below: list[tuple[str, Any]] = []
            _walk(child, key, below, 1, None)
            for name, value in below:
                if name.partition(".")[0] in DATA_ROOTS:
                    count += 1
                    if stored is None or stored.get(name, _ABSENT) != value:
                        leaves.append((name, value))
    return count, leaves


def _root(key: str) -> str:
    return (_BRACKET_INDEX.sub(r".\1", key) if "[" in key else key).partition(".")[0]


_NESTED = (dict, list)
_ABSENT = object()


def _walk(
    node: dict | list, prefix: str, leaves: list[tuple[str, Any]], depth: int, stored: dict[str, Any] | None
) -> int:
    """Append the leaves below `node` (those whose value differs from `stored`'s, when given) and answer
    how many leaves there are in all."""
    # The hot path of every commit: a hundred or more leaves, nearly all as stored. Making each dotted name
    # and hashing it cost most of the walk, so the names below a node are kept (_KeptNames), and a node
    # whose children all equal their stored values is checked in C alone (itemgetter, tuple ==). A group is
    # never equal to a stored value (those are strings), so a node holding one always takes the loop.
    if depth > _MAX_DEPTH:
        raise ShapeError(f"the data model is nested deeper than any SCORM element at {prefix[:80]!r}")
    if not node:
        return 0
    is_dict = isinstance(node, dict)
    kept = _kept_names(prefix, tuple(node) if is_dict else len(node))
    names = kept.names
    if depth + 1 > _MAX_DEPTH:  # any child, leaf or group, would be nested too deep
        raise ShapeError(f"the data model is nested deeper than any SCORM element at {names[0][:80]!r}")
    children: Any = node.values() if is_dict else node
    if stored is not None and kept.stored_values(stored) == tuple(children):
        return len(names)
    count = len(names)
    known = stored.get if stored is not None else _nothing_stored
    absent = _ABSENT
    for name, child in zip(names, children):  # noqa: B905 - one name per child
        if type(child) is not str and isinstance(child, _NESTED):
            count += _walk(child, name, leaves, depth + 1, stored) - 1  # its leaves, not itself
        elif known(name, absent) != child:
            leaves.append((name, child))
    return count


def _nothing_stored(name: str, default: Any) -> Any:
    return default


class _KeptNames:
    """The dotted names of a node's children ("[n]" read as ".n"), and a getter of their stored values."""

    __slots__ = ("keys", "names", "_getter")

    def __init__(self, keys: tuple[str, ...] | int, names: list[str]) -> None:
        self.keys = keys  # the node's keys, or a list's length
        self.names = names
        getter = operator.itemgetter(*names)
        self._getter = getter if len(names) > 1 else lambda values: (getter(values),)

    def stored_values(self, stored: dict[str, Any]) -> tuple | None:
        """The stored values of the names, in order; None when one is not stored."""
        try:
            return self._getter(stored)
        except KeyError:
            return None


# The names below a node, by the node's own name: the same few hundred names come in every commit of every
# learner, and kept names carry their hash, so looking them up in a state costs no hashing. Bounded, since
# the keys come from browsers: past _NAMES_KEPT_LIMIT names the lot is dropped.
_NAMES_KEPT_LIMIT = 200_000
_names_kept: dict[str, _KeptNames] = {}
_names_kept_count = 0
_names_lock = threading.Lock()


def _kept_names(prefix: str, keys: tuple[str, ...] | int) -> _KeptNames:
    kept = _names_kept.get(prefix)
    if kept is not None and kept.keys == keys:
        return kept
    dotted = prefix + "." if prefix else ""
    try:
        names = [dotted + key for key in (keys if isinstance(keys, tuple) else map(str, range(keys)))]
    except TypeError as error:  # pragma: no cover - JSON keys are always strings
        raise ShapeError("data model keys must be strings") from error
    names = [_BRACKET_INDEX.sub(r".\1", name) if "[" in name else name for name in names]
    for name in names:
        hash(name)  # computed once, kept with the string
    made = _KeptNames(keys, names)
    _keep(prefix, made)
    return made


def _keep(prefix: str, made: _KeptNames) -> None:
    global _names_kept_count
    with _names_lock:
        replaced = _names_kept.pop(prefix, None)
        if replaced is not None:
            _names_kept_count -= len(replaced.names)
        if _names_kept_count + len(made.names) > _NAMES_KEPT_LIMIT:
            _names_kept.clear()
            _names_kept_count = 0
        if len(made.names) <= _NAMES_KEPT_LIMIT:
            _names_kept[prefix] = made
            _names_kept_count += len(made.names)


@functools.cache
def _declaration_rank(table: Table) -> dict[str, int]:
    return {pattern: position for position, pattern in enumerate(table.elements)}


def application_order(model: DataModel, pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Records in index order, and within a record the table's order (id first, then type, ...)."""
    rank = _declaration_rank(model.table)

    def key(pair: tuple[str, Any]) -> tuple[tuple[int, ...], int]:
        try:
            target = model.resolve(pair[0])
        except CmiError:
            return ((), -1)
        return (tuple(level.index for level in target.levels), rank.get(target.pattern, -1))

    return sorted(pairs, key=key)


def nest_values(values: dict[str, str]) -> dict[str, Any]:
    """Dotted names back into nested JSON, collections as objects keyed by index (scorm-again's shape)."""
    nested: dict[str, Any] = {}
    for name, value in values.items():
        *groups, leaf = name.split(".")
        node = nested
        for group in groups:
            node = node.setdefault(group, {})
        node[leaf] = value
    return nested
