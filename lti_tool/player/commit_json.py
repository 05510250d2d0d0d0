"""JSON on the commit path: the body parsed, the stored state read and written, on every commit.

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
