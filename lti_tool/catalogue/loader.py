"""Read unit files, check them against the schema and against each other, and hand back plain dicts."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from lti_tool.catalogue.integrity import unit_integrity_problems

CATALOGUE_DIR = Path(__file__).resolve().parent
UNITS_DIR = CATALOGUE_DIR / "units"
SCHEMA_PATH = CATALOGUE_DIR / "unit.schema.json"
UNIT_ID = re.compile(r"^u[0-9]{2}$")
# libyaml's safe loader is about ten times faster than the pure-Python one; both refuse arbitrary objects.
YAML_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogueError(ValueError):
    """A unit file is missing, unreadable or invalid; the message names the file and the field."""


@cache
def _schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _field_path(path: Any) -> str:
    # jsonschema gives the path as a deque of keys and indexes: render it as assessment.bank[3].options
    rendered = ""
    for part in path:
        rendered += f"[{part}]" if isinstance(part, int) else f".{part}"
    return rendered.lstrip(".") or "(top level)"


def _read_yaml(file: Path) -> Any:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError(f"{file.name}: no such unit file in {file.parent}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{file.name}: cannot be read ({error})") from None
    try:
        return yaml.load(text, Loader=YAML_SAFE_LOADER)
    except yaml.YAMLError as error:
        raise CatalogueError(f"{file.name}: not valid YAML ({error})") from None


def validate_unit(unit: Any, source: str) -> dict:
    """Raise CatalogueError naming ``source`` and the first failing field, else return the unit."""
    errors = sorted(_schema_validator().iter_errors(unit), key=lambda error: list(error.absolute_path))
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise CatalogueError(f"{source}: field {_field_path(first.absolute_path)}: {first.message}{more}")
    problems = unit_integrity_problems(unit)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise CatalogueError(f"{source}: {problems[0]}{more}")
    return unit


def load_unit(unit_id: str, units_dir: Path | None = None) -> dict:
    """Load and validate one unit by its id (``u01`` … ``u15``)."""
    if not isinstance(unit_id, str) or not UNIT_ID.match(unit_id):
        raise CatalogueError(f"{unit_id!r} is not a unit id (expected u01, u02 …)")
    file = (units_dir or UNITS_DIR) / f"{unit_id}.yaml"
    unit = validate_unit(_read_yaml(file), file.name)
    if unit["id"] != unit_id:
        raise CatalogueError(
            f"{file.name}: field id: says {unit['id']!r} but the file is named for {unit_id!r}"
        )
    return unit


def load_catalogue(units_dir: Path | None = None) -> list[dict]:
    """Load and validate every unit file, in id order."""
    folder = units_dir or UNITS_DIR
    unit_ids = sorted(file.stem for file in folder.glob("u*.yaml") if UNIT_ID.match(file.stem))
    return [load_unit(unit_id, folder) for unit_id in unit_ids]
