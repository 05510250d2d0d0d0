"""Why a run-time call failed, independent of the SCORM version, and each version's error codes.

The data model raises :class:`CmiError` with an :class:`ErrorKind`; the API layer turns the kind into the
version's numeric code (SCORM 2004 RTE 3.1.7, SCORM 1.2 RTE 3.3.2), so one model serves both editions.
"""

from __future__ import annotations

from enum import Enum


class ErrorKind(Enum):
    EMPTY_ELEMENT = "empty element name"
    UNDEFINED = "undefined data model element"
    NOT_A_LEAF = "not a value-holding element"  # a known group, or an unknown leaf in a known group
    NO_CHILDREN = "element has no children"
    NO_COUNT = "element is not a collection"
    KEYWORD_SET = "keywords are read-only"
    READ_ONLY = "read-only element"
    WRITE_ONLY = "write-only element"
    TYPE_MISMATCH = "value has the wrong type or format"
    OUT_OF_RANGE = "value is out of range"
    NOT_INITIALIZED = "value not initialised"
    DEPENDENCY = "dependency not established"
    GET_OUT_OF_RANGE = "collection index out of range"
    SET_FAILURE = "value cannot be stored"
    TOO_LARGE = "value or attempt data exceeds the server's size ceiling"


class CmiError(Exception):
    """A refused data model request: what kind of failure and a sentence for a person."""

    def __init__(self, kind: ErrorKind, diagnostic: str):
        super().__init__(diagnostic)
        self.kind = kind
        self.diagnostic = diagnostic


# SCORM 2004 (3rd/4th edition) RTE table 3.1.7.6: every code the API may report.
SCORM2004_ERRORS: dict[str, str] = {
    "0": "No Error",
    "101": "General Exception",
    "102": "General Initialization Failure",
    "103": "Already Initialized",
    "104": "Content Instance Terminated",
    "111": "General Termination Failure",
    "112": "Termination Before Initialization",
    "113": "Termination After Termination",
    "122": "Retrieve Data Before Initialization",
    "123": "Retrieve Data After Termination",
    "132": "Store Data Before Initialization",
    "133": "Store Data After Termination",
    "142": "Commit Before Initialization",
    "143": "Commit After Termination",
    "201": "General Argument Error",
    "301": "General Get Failure",
    "351": "General Set Failure",
    "391": "General Commit Failure",
    "401": "Undefined Data Model Element",
    "402": "Unimplemented Data Model Element",
    "403": "Data Model Element Value Not Initialized",
    "404": "Data Model Element Is Read Only",
    "405": "Data Model Element Is Write Only",
    "406": "Data Model Element Type Mismatch",
    "407": "Data Model Element Value Out Of Range",
    "408": "Data Model Dependency Not Established",
}

# SCORM 1.2 RTE 3.3.2.
SCORM12_ERRORS: dict[str, str] = {
    "0": "No error",
    "101": "General exception",
    "201": "Invalid argument error",
    "202": "Element cannot have children",
    "203": "Element cannot have count",
    "301": "Not initialized",
    "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword",
    "403": "Element is read only",
    "404": "Element is write only",
    "405": "Incorrect data type",
}

# The same failure has different codes in the two versions; a get and a set of an empty or unknown
# element differ in 2004 (301 vs 351 for an empty name).
_GET_2004 = {
    ErrorKind.EMPTY_ELEMENT: "301",
    ErrorKind.NO_CHILDREN: "301",
    ErrorKind.NO_COUNT: "301",
    ErrorKind.GET_OUT_OF_RANGE: "301",
    ErrorKind.SET_FAILURE: "301",
}
_SET_2004 = {ErrorKind.EMPTY_ELEMENT: "351", ErrorKind.NO_CHILDREN: "351", ErrorKind.NO_COUNT: "351"}
_BOTH_2004 = {
    ErrorKind.UNDEFINED: "401",
    ErrorKind.NOT_A_LEAF: "401",
    ErrorKind.KEYWORD_SET: "404",
    ErrorKind.READ_ONLY: "404",
    ErrorKind.WRITE_ONLY: "405",
    ErrorKind.TYPE_MISMATCH: "406",
    ErrorKind.OUT_OF_RANGE: "407",
    ErrorKind.NOT_INITIALIZED: "403",
    ErrorKind.DEPENDENCY: "408",
    ErrorKind.GET_OUT_OF_RANGE: "351",
    ErrorKind.SET_FAILURE: "351",
    ErrorKind.TOO_LARGE: "351",
}
_BOTH_12 = {
    ErrorKind.EMPTY_ELEMENT: "201",
    ErrorKind.UNDEFINED: "401",
    ErrorKind.NOT_A_LEAF: "201",
    ErrorKind.NO_CHILDREN: "202",
    ErrorKind.NO_COUNT: "203",
    ErrorKind.KEYWORD_SET: "402",
    ErrorKind.READ_ONLY: "403",
    ErrorKind.WRITE_ONLY: "404",
    ErrorKind.TYPE_MISMATCH: "405",
    ErrorKind.OUT_OF_RANGE: "405",
    ErrorKind.NOT_INITIALIZED: "0",  # 1.2 has no such error: an unset element reads as ""
    ErrorKind.DEPENDENCY: "201",
    ErrorKind.GET_OUT_OF_RANGE: "201",
    ErrorKind.SET_FAILURE: "201",
    ErrorKind.TOO_LARGE: "405",
}


def error_code(version: str, kind: ErrorKind, *, setting: bool) -> str:
    """The numeric code (as the API's string) for a failure of a GetValue (setting=False) or SetValue."""
    if version == "1.2":
        return _BOTH_12[kind]
    specific = _SET_2004 if setting else _GET_2004
    return specific.get(kind) or _BOTH_2004[kind]
