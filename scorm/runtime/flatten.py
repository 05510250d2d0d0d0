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
    _walk(data, "", leaves, 0)
    return [(name, value) for name, value in leaves if name.partition(".")[0] in DATA_ROOTS]


def _walk(node: dict | list, prefix: str, leaves: list[tuple[str, Any]], depth: int) -> None:
    # A leaf is appended here rather than in a call of its own: a commit holds a hundred or more of them.
    if depth > _MAX_DEPTH:
        raise ShapeError(f"the data model is nested deeper than any SCORM element at {prefix[:80]!r}")
    items = node.items() if isinstance(node, dict) else ((str(i), item) for i, item in enumerate(node))
    for key, child in items:
        if not isinstance(key, str):  # pragma: no cover - JSON keys are always strings
            raise ShapeError("data model keys must be strings")
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(child, dict | list):
            _walk(child, name, leaves, depth + 1)
        elif depth + 1 > _MAX_DEPTH:
            raise ShapeError(f"the data model is nested deeper than any SCORM element at {name[:80]!r}")
        else:
            leaves.append((_BRACKET_INDEX.sub(r".\1", name) if "[" in name else name, child))


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
