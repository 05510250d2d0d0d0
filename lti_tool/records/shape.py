"""The required-field rules of OB 3.0 and CLR 2.0 as JSON Schemas (`schemas/`, written from the
specifications' data-model tables, since 1EdTech's own schemas ship in no installable package). Used by the
verifier to say plainly which field is missing, and by the tests as the rule the builders must meet."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource


@cache
def _schemas() -> dict[str, dict]:
    folder = resources.files("lti_tool.records.schemas")
    return {
        name: json.loads(folder.joinpath(f"{name}.schema.json").read_text(encoding="utf-8"))
        for name in ("ob3_credential", "clr_credential")
    }


@cache
def _validator(name: str) -> Draft202012Validator:
    schemas = _schemas()
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    return Draft202012Validator(schemas[name], registry=registry)


def _where(path: Any) -> str:
    return (
        "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
        or "top level"
    )


def shape_problems(document: Any, kind: str) -> list[str]:
    """Problems of an OpenBadgeCredential ('ob3_credential') or ClrCredential ('clr_credential'), plainly."""
    errors = sorted(_validator(kind).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{_where(error.absolute_path)}: {error.message}" for error in errors[:10]]
