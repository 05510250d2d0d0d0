"""Typed reading of attribute values, with a note (not an exception) when a value is not understood."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from scorm.manifest.xml_read import name_of
from scorm.problems import Problem, Severity

_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


@dataclass
class ParseNotes:
    """Problems met while reading a manifest that do not stop the reading (bad values, unknown words)."""

    source_name: str = "imsmanifest.xml"
    problems: list[Problem] = field(default_factory=list)

    def where(self, element: etree._Element | None) -> str:
        line = getattr(element, "sourceline", None)
        return f"{self.source_name}:{line}" if line else self.source_name

    def note(self, code: str, message: str, element: etree._Element | None, *, error: bool = False) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        self.problems.append(Problem(code, severity, message, self.where(element)))


def _describe(element: etree._Element, attribute: str) -> str:
    return f"<{name_of(element)[1]}> attribute {attribute}"


def read_bool(element: etree._Element, attribute: str, default: bool, notes: ParseNotes) -> bool:
    raw = element.get(attribute)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    notes.note(
        "CP-070", f"{_describe(element, attribute)}={raw!r} is not a boolean; using {default}.", element
    )
    return default


def read_float(
    element: etree._Element,
    attribute: str,
    default: float,
    notes: ParseNotes,
    low: float | None = None,
    high: float | None = None,
) -> float:
    raw = element.get(attribute)
    if raw is None:
        return default
    return parse_float_text(raw, default, notes, element, _describe(element, attribute), low, high)


def parse_float_text(
    raw: str,
    default: float,
    notes: ParseNotes,
    element: etree._Element,
    what: str,
    low: float | None = None,
    high: float | None = None,
) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        notes.note("CP-070", f"{what}={raw!r} is not a number; using {default}.", element)
        return default
    if value != value or (low is not None and value < low) or (high is not None and value > high):
        notes.note("CP-070", f"{what}={raw!r} is outside {low}..{high}; using {default}.", element)
        return default
    return value


def read_int(element: etree._Element, attribute: str, default: int | None, notes: ParseNotes) -> int | None:
    raw = element.get(attribute)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        notes.note(
            "CP-070",
            f"{_describe(element, attribute)}={raw!r} is not a whole number ≥ 0; using {default}.",
            element,
        )
        return default
    return value


def read_word(
    element: etree._Element, attribute: str, default: str, allowed: frozenset[str], notes: ParseNotes
) -> str:
    raw = element.get(attribute)
    if raw is None:
        return default
    value = raw.strip()
    if value not in allowed:
        notes.note(
            "CP-071",
            f"{_describe(element, attribute)}={raw!r} is not one of {', '.join(sorted(allowed))}; "
            f"using {default!r}.",
            element,
        )
        return default
    return value
