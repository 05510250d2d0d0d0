"""Turn a data model as JSON (nested like scorm-again's ``renderCMIToJSONObject`` or flattened into dotted
names) into ``(element, value)`` pairs, and order them so records are opened the way SCORM requires."""

from __future__ import annotations

import functools
import re
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
    if not isinstance(data, dict):
        raise ShapeError("the data model must be a JSON object")
    leaves: list[tuple[str, Any]] = []
    for key, child in data.items():
        if not isinstance(key, str):  # pragma: no cover - JSON keys are always strings
            raise ShapeError("data model keys must be strings")
        if not isinstance(child, _NESTED):
            if _root(key) in DATA_ROOTS:
                leaves.append((_BRACKET_INDEX.sub(r".\1", key) if "[" in key else key, child))
        elif key:
            # Every leaf below takes its root from this key ("[n]" becomes ".n" within a part, never across a
            # dot); the others' are walked for their shape only (too deep is refused wherever it is).
            _walk(child, key, leaves if _root(key) in DATA_ROOTS else [], 1)
        else:  # "" puts no dot before its children's names: they give the roots
            below: list[tuple[str, Any]] = []
            _walk(child, key, below, 1)
            leaves.extend(pair for pair in below if pair[0].partition(".")[0] in DATA_ROOTS)
    return leaves


def _root(key: str) -> str:
    return (_BRACKET_INDEX.sub(r".\1", key) if "[" in key else key).partition(".")[0]


_NESTED = (dict, list)


def _walk(node: dict | list, prefix: str, leaves: list[tuple[str, Any]], depth: int) -> None:
    # The hot loop of every commit (a hundred or more leaves): a leaf is appended here rather than in a call
    # of its own, and what is the same for every child of the node is worked out once.
    if depth > _MAX_DEPTH:
        raise ShapeError(f"the data model is nested deeper than any SCORM element at {prefix[:80]!r}")
    dotted = prefix + "." if prefix else ""
    leaves_too_deep = depth + 1 > _MAX_DEPTH
    append = leaves.append
    items = node.items() if isinstance(node, dict) else ((str(i), item) for i, item in enumerate(node))
    for key, child in items:
        if not isinstance(key, str):  # pragma: no cover - JSON keys are always strings
            raise ShapeError("data model keys must be strings")
        name = dotted + key
        if isinstance(child, _NESTED):
            _walk(child, name, leaves, depth + 1)
        elif leaves_too_deep:
            raise ShapeError(f"the data model is nested deeper than any SCORM element at {name[:80]!r}")
        elif "[" in name:
            append((_BRACKET_INDEX.sub(r".\1", name), child))
        else:
            append((name, child))


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
