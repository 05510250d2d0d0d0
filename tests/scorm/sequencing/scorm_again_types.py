"""What scorm-again 3.4 declares in its TypeScript definitions: setting keys and enum words.

Read from the installed package's dist/types, so a scorm-again upgrade that renames a key makes the
shape tests fail instead of the player silently ignoring a setting.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SCORM_AGAIN = REPO_ROOT / "node_modules" / "scorm-again"
TYPES = SCORM_AGAIN / "dist" / "types"
ESM_2004 = SCORM_AGAIN / "dist" / "esm" / "scorm2004.js"


@cache
def declared_keys(type_name: str) -> frozenset[str]:
    """The property names of `export type <type_name> = { ... }` in types/sequencing_types.d.ts."""
    text = (TYPES / "types" / "sequencing_types.d.ts").read_text(encoding="utf-8")
    found = re.search(rf"export type {type_name} = \{{(.*?)\n\}};", text, re.S)
    if found is None:
        raise LookupError(f"scorm-again declares no type {type_name}")
    return frozenset(re.findall(r"^\s{4}(\w+)\??:", found.group(1), re.M))


@cache
def enum_words(module: str, enum_name: str) -> frozenset[str]:
    """The string values of `export declare enum <enum_name>` in cmi/scorm2004/sequencing/<module>.d.ts."""
    text = (TYPES / "cmi" / "scorm2004" / "sequencing" / f"{module}.d.ts").read_text(encoding="utf-8")
    found = re.search(rf"export declare enum {enum_name} \{{(.*?)\}}", text, re.S)
    if found is None:
        raise LookupError(f"scorm-again declares no enum {enum_name} in {module}")
    return frozenset(re.findall(r'=\s*"([^"]+)"', found.group(1)))


def hide_lms_ui_tokens() -> frozenset[str]:
    text = (TYPES / "types" / "sequencing_types.d.ts").read_text(encoding="utf-8")
    found = re.search(r"HIDE_LMS_UI_TOKENS: readonly \[(.*?)\]", text)
    assert found is not None
    return frozenset(re.findall(r'"([^"]+)"', found.group(1)))
