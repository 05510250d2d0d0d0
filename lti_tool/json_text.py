"""JSON on the hot paths: a commit's body parsed and its stored state read and written, a launch's claims
written.

orjson does each in about a quarter of the standard library's time. What it refuses and the standard
library takes (a lone surrogate escape, which a JavaScript string may hold; NaN/Infinity; UTF-16/32 or a
BOM; integers beyond 64 bits when written) falls back to ``json``, so what is accepted and stored is the
same either way. Only the text differs: orjson writes non-ASCII characters as UTF-8 rather than ``\\u``
escapes, which every JSON reader of the column (SQLAlchemy's JSON type, PostgreSQL's json) reads the same.
One difference in reading is kept on purpose: orjson reads an integer beyond 64 bits as a float, and no
commit field takes one (commitSequence stops at 2**31 - 1, data model values are strings).
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson


def load_json(text: bytes | str) -> Any:
    """The JSON value of `text`; raises ValueError (json.JSONDecodeError, UnicodeDecodeError) as json does."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def dump_json(value: Any) -> str:
    """`value` as JSON text for a JSON column (a str: SQLite would store bytes as a BLOB)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate, a key that is not a str, a huge int
        return json.dumps(value)


def answer_json(value: Any) -> bytes:
    """`value` as the bytes of a JSON answer (the commit's, on every commit: orjson, a tenth of Flask's
    jsonify). A refusal may quote what was sent, lone surrogates included: those go through ``json``."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(value).encode()


def dump_result_json(result: dict[str, Any]) -> str:
    """A result's flat dict (str, float, None) as JSON text, as ``json`` writes it: orjson would write a
    non-finite float as null where ``json`` writes Infinity, so such a result still goes through ``json``."""
    if all(math.isfinite(value) for value in result.values() if type(value) is float):
        return dump_json(result)
    return json.dumps(result)
