"""Interaction response formats by interaction type (SCORM 2004 RTE 4.2.9.1 and 4.2.9.2).

``cmi.interactions.n.correct_responses.n.pattern`` and ``cmi.interactions.n.learner_response`` take a format
that depends on ``cmi.interactions.n.type``, which must therefore be set first (error 408).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from scorm.cmi.common.datatypes import is_identifier, parse_real, strip_lang
from scorm.cmi.common.errors import CmiError, ErrorKind
from scorm.cmi.common.model import SetContext

_FLAG = re.compile(r"\{(case_matters|order_matters)=([^{}]*)\}")
# Types whose correct_responses collection holds exactly one pattern (RTE 4.2.9.1 table).
SINGLE_PATTERN_TYPES = frozenset({"true-false", "likert", "numeric", "other"})


@dataclass(frozen=True)
class Form:
    """How strictly a response is read. ``STRICT`` is the specification; the browser run-time (scorm-again)
    is looser in a few ways, which the commit check may tolerate one at a time (scorm/cmi/tolerance.py)."""

    ids: Callable[[str], bool] = is_identifier  # a choice in a choice response (a long identifier)
    # an identifier in a matching, sequencing, likert or performance response (a short identifier)
    short_ids: Callable[[str], bool] = is_identifier
    text: Callable[[str], str | None] = strip_lang  # a localized text without its {lang=..}; None if bad
    ordered_step_ranges: bool = True  # a performance step's numeric range has min <= max
    flags_once: bool = True  # {case_matters=..}/{order_matters=..} at most once each
    # a numeric correct response that is one number (not a min[:]max range): which numbers pass, if any
    single_number: Callable[[str], bool] | None = None


STRICT = Form()


def _identifiers(text: str, unique: bool, ids: Callable[[str], bool]) -> bool:
    if text == "":
        return True
    items = text.split("[,]")
    if unique and len(set(items)) != len(items):
        return False
    return all(ids(item) for item in items)


def _strip_flags(text: str, allowed: set[str], form: Form = STRICT) -> str | None:
    """Remove leading {case_matters=..}/{order_matters=..} delimiters; None when one is malformed."""
    seen: set[str] = set()
    while text.startswith(("{case_matters=", "{order_matters=")):
        match = _FLAG.match(text)
        if not match or match.group(1) not in allowed or (form.flags_once and match.group(1) in seen):
            return None
        if match.group(2) not in ("true", "false"):
            return None
        seen.add(match.group(1))
        text = text[match.end() :]
    return text


def _localized_list(text: str, form: Form = STRICT) -> bool:
    return all(form.text(item) is not None for item in text.split("[,]"))


def _pairs(text: str, form: Form) -> bool:
    for pair in text.split("[,]"):
        source, dot, target = pair.partition("[.]")
        if not dot or not form.short_ids(source) or not form.short_ids(target):
            return False
    return True


def _steps(text: str, ranges: bool, form: Form) -> bool:
    for step in text.split("[,]"):
        name, dot, answer = step.partition("[.]")
        if not dot or (name == "" and answer == ""):
            return False
        if name and not form.short_ids(name):
            return False
        if ranges and "[:]" in answer and not _numeric_range(answer, form.ordered_step_ranges):
            return False
    return True


def _numeric_range(text: str, ordered: bool = True) -> bool:
    low_text, colon, high_text = text.partition("[:]")
    if not colon:
        return False
    low = parse_real(low_text) if low_text else None
    high = parse_real(high_text) if high_text else None
    if (low_text and low is None) or (high_text and high is None):
        return False
    return not ordered or low is None or high is None or low <= high


def pattern_ok(kind: str, text: str, form: Form = STRICT) -> bool:
    """Whether ``text`` is a correct-response pattern for an interaction of type ``kind``."""
    if kind == "true-false":
        return text in ("true", "false")
    if kind == "choice":
        return _identifiers(text, unique=True, ids=form.ids)
    if kind == "sequencing":
        return _identifiers(text, unique=False, ids=form.short_ids)
    if kind == "fill-in":
        rest = _strip_flags(text, {"case_matters", "order_matters"}, form)
        return rest is not None and _localized_list(rest, form)
    if kind == "long-fill-in":
        rest = _strip_flags(text, {"case_matters"}, form)
        return rest is not None and form.text(rest) is not None
    if kind == "likert":
        return form.short_ids(text)
    if kind == "matching":
        return _pairs(text, form)
    if kind == "performance":
        rest = _strip_flags(text, {"order_matters"}, form)
        return rest is not None and _steps(rest, ranges=True, form=form)
    if kind == "numeric":
        return _numeric_range(text) or bool(form.single_number and form.single_number(text))
    return True  # "other": any characterstring


def response_ok(kind: str, text: str, form: Form = STRICT) -> bool:
    """Whether ``text`` is a learner response for an interaction of type ``kind``."""
    if kind in ("true-false", "choice", "sequencing", "likert", "matching"):
        return pattern_ok(kind, text, form)
    if kind == "fill-in":
        return _localized_list(text, form)
    if kind == "long-fill-in":
        return form.text(text) is not None
    if kind == "performance":
        return _steps(text, ranges=False, form=form)
    if kind == "numeric":
        return parse_real(text) is not None
    return True


def _interaction_type(ctx: SetContext, element: str) -> str:
    kind = ctx.record_value(0, "type")
    if kind is None:
        raise CmiError(ErrorKind.DEPENDENCY, f"Set cmi.interactions.n.type before {element}.")
    return kind


def check_correct_pattern(value: str, ctx: SetContext, form: Form = STRICT) -> None:
    kind = _interaction_type(ctx, "a correct response pattern")
    index = ctx.target.levels[1].index
    if kind in SINGLE_PATTERN_TYPES and index > 0:
        raise CmiError(ErrorKind.SET_FAILURE, f"A {kind} interaction has exactly one correct response.")
    if not pattern_ok(kind, value, form):
        raise CmiError(
            ErrorKind.TYPE_MISMATCH, f"{value[:60]!r} is not a correct response for a {kind} interaction."
        )
    if kind == "choice":
        others = (ctx.model.values.get(f"{path}.pattern") for path in ctx.sibling_records(1))
        if value in others:
            raise CmiError(
                ErrorKind.SET_FAILURE, "Each correct response of a choice interaction must differ."
            )


def check_learner_response(value: str, ctx: SetContext, form: Form = STRICT) -> None:
    kind = _interaction_type(ctx, "cmi.interactions.n.learner_response")
    if not response_ok(kind, value, form):
        raise CmiError(ErrorKind.TYPE_MISMATCH, f"{value[:60]!r} is not a response to a {kind} interaction.")
