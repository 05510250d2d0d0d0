"""Check a unit definition (a plain dict, see UNIT_FORMAT) for what the builder relies on.

The catalogue's JSON Schema is the full contract; this is the builder's own guard, so a unit handed to it by
any caller fails with every reason at once instead of producing a package that breaks in the browser.
Identifiers are held to patterns that are valid in both run-times: SCORM 2004 identifiers are
long_identifier_type (RTE 4.1.1) and SCORM 1.2 CMIIdentifier allows no spaces (RTE 3.4.2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

UNIT_ID = re.compile(r"^u[0-9]{2}$")
# Letters, digits, dot, dash and underscore: safe as an HTML id, a manifest identifier and a CMI identifier.
PLAIN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
BLOCK_FIELDS = {
    "paragraph": ("text",),
    "list": ("items",),
    "example": ("text",),
    "tip": ("text",),
    "check_yourself": ("question", "answer"),
}
QUESTION_TYPES = ("choice", "true-false", "scenario")
# Characters XML 1.0 cannot hold (section 2.2): C0 controls but tab/newline/return, surrogates, U+FFFE/U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class UnitError(ValueError):
    """The unit definition cannot be built; ``reasons`` lists every problem found, each with its place."""

    def __init__(self, unit_id: str, reasons: list[str]):
        self.unit_id = unit_id
        self.reasons = reasons
        super().__init__(f"unit {unit_id or '?'} cannot be built: " + "; ".join(reasons))


def check_unit(unit: Any) -> None:
    """Raise UnitError listing every problem that would stop the unit from building or playing correctly."""
    if not isinstance(unit, Mapping):
        raise UnitError("", ["a unit definition must be a mapping (dict)"])
    reasons: list[str] = []
    _check_characters(unit, "", reasons)
    _check_header(unit, reasons)
    outcome_ids = _check_outcomes(unit.get("learning_outcomes"), reasons)
    _check_observation(unit.get("observation"), outcome_ids, reasons)
    _check_pages(unit.get("pages"), outcome_ids, reasons)
    _check_assessment(unit.get("assessment"), outcome_ids, reasons)
    if reasons:
        raise UnitError(str(unit.get("id", "")), reasons)


def _check_characters(value: Any, where: str, reasons: list[str]) -> None:
    if isinstance(value, str):
        found = NOT_XML.search(value)
        if found:
            code = f"U+{ord(found.group()):04X}"
            reasons.append(
                f"{where or '(top level)'}: contains the control character {code}, which XML cannot hold"
            )
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_characters(item, f"{where}.{key}" if where else str(key), reasons)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_characters(item, f"{where}[{index}]", reasons)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_header(unit: Mapping, reasons: list[str]) -> None:
    if not isinstance(unit.get("id"), str) or not UNIT_ID.match(unit["id"]):
        reasons.append("id: must look like 'u01'")
    version = unit.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        reasons.append("version: must be a whole number of at least 1")
    for field in ("title", "summary"):
        if not _is_text(unit.get(field)):
            reasons.append(f"{field}: must be non-empty text")


def _check_outcomes(outcomes: Any, reasons: list[str]) -> set[str]:
    if not isinstance(outcomes, list) or not outcomes:
        reasons.append("learning_outcomes: must be a non-empty list")
        return set()
    seen: set[str] = set()
    for index, outcome in enumerate(outcomes):
        where = f"learning_outcomes[{index}]"
        if not isinstance(outcome, Mapping):
            reasons.append(f"{where}: must be a mapping with id and text")
            continue
        _check_id(outcome.get("id"), where, seen, reasons)
        if not _is_text(outcome.get("text")):
            reasons.append(f"{where}.text: must be non-empty text")
    return seen


def _check_observation(observation: Any, outcome_ids: set[str], reasons: list[str]) -> None:
    if observation is None:
        return  # optional for the builder: nothing to tell the learner about workplace observation
    if not isinstance(observation, Mapping):
        reasons.append("observation: must be a mapping")
        return
    outcomes = observation.get("outcomes") or []
    if not isinstance(outcomes, list):
        reasons.append("observation.outcomes: must be a list of learning outcome ids")
        return
    for outcome in outcomes:
        if outcome not in outcome_ids:
            reasons.append(f"observation.outcomes: {outcome!r} is not a learning outcome of this unit")


def _check_id(value: Any, where: str, seen: set[str], reasons: list[str]) -> None:
    if not isinstance(value, str) or not PLAIN_ID.match(value):
        reasons.append(f"{where}.id: must be 1-64 letters, digits, '.', '-' or '_', got {value!r}")
    elif value in seen:
        reasons.append(f"{where}.id: {value!r} is used twice")
    else:
        seen.add(value)


def _check_pages(pages: Any, outcome_ids: set[str], reasons: list[str]) -> None:
    if not isinstance(pages, list) or not pages:
        reasons.append("pages: must be a non-empty list")
        return
    seen: set[str] = set()
    for index, page in enumerate(pages):
        where = f"pages[{index}]"
        if not isinstance(page, Mapping):
            reasons.append(f"{where}: must be a mapping")
            continue
        _check_id(page.get("id"), where, seen, reasons)
        if not _is_text(page.get("title")):
            reasons.append(f"{where}.title: must be non-empty text")
        if page.get("outcome") is not None and page.get("outcome") not in outcome_ids:
            reasons.append(f"{where}.outcome: {page.get('outcome')!r} is not a learning outcome of this unit")
        blocks = page.get("blocks")
        if not isinstance(blocks, list) or not blocks:
            reasons.append(f"{where}.blocks: must be a non-empty list")
            continue
        for block_index, block in enumerate(blocks):
            _check_block(block, f"{where}.blocks[{block_index}]", reasons)


def _check_block(block: Any, where: str, reasons: list[str]) -> None:
    if not isinstance(block, Mapping) or block.get("type") not in BLOCK_FIELDS:
        kind = block.get("type") if isinstance(block, Mapping) else block
        reasons.append(f"{where}: unknown block type {kind!r} (expected one of {', '.join(BLOCK_FIELDS)})")
        return
    for field in BLOCK_FIELDS[block["type"]]:
        value = block.get(field)
        if field == "items":
            if not isinstance(value, list) or not value or not all(_is_text(item) for item in value):
                reasons.append(f"{where}.items: must be a non-empty list of text")
        elif not _is_text(value):
            reasons.append(f"{where}.{field}: must be non-empty text")
    if block["type"] == "example" and block.get("title") is not None and not _is_text(block["title"]):
        reasons.append(f"{where}.title: must be text when given")


def _check_assessment(assessment: Any, outcome_ids: set[str], reasons: list[str]) -> None:
    if not isinstance(assessment, Mapping):
        reasons.append("assessment: must be a mapping")
        return
    pass_mark = assessment.get("pass_mark")
    if not _is_number(pass_mark) or not 0 < pass_mark <= 100:
        reasons.append("assessment.pass_mark: must be a percentage above 0 and at most 100")
    bank = assessment.get("bank")
    if not isinstance(bank, list) or not bank:
        reasons.append("assessment.bank: must be a non-empty list of questions")
        bank = []
    per_attempt = assessment.get("questions_per_attempt")
    if not isinstance(per_attempt, int) or isinstance(per_attempt, bool) or per_attempt < 1:
        reasons.append("assessment.questions_per_attempt: must be a whole number of at least 1")
    elif bank and per_attempt > len(bank):
        reasons.append(
            f"assessment.questions_per_attempt: {per_attempt} is more than "
            f"the {len(bank)} questions in the bank"
        )
    seen: set[str] = set()
    for index, question in enumerate(bank):
        _check_question(question, f"assessment.bank[{index}]", outcome_ids, seen, reasons)


def _check_question(
    question: Any, where: str, outcome_ids: set[str], seen: set[str], reasons: list[str]
) -> None:
    if not isinstance(question, Mapping):
        reasons.append(f"{where}: must be a mapping")
        return
    _check_id(question.get("id"), where, seen, reasons)
    kind = question.get("type")
    if kind not in QUESTION_TYPES:
        reasons.append(f"{where}.type: must be one of {', '.join(QUESTION_TYPES)}, got {kind!r}")
    if question.get("outcome") not in outcome_ids:
        reasons.append(f"{where}.outcome: {question.get('outcome')!r} is not a learning outcome of this unit")
    if not _is_text(question.get("prompt")):
        reasons.append(f"{where}.prompt: must be non-empty text")
    if kind == "scenario" and not _is_text(question.get("scenario")):
        reasons.append(f"{where}.scenario: a scenario question needs the situation as text")
    feedback = question.get("feedback")
    if not isinstance(feedback, Mapping) or not all(
        _is_text(feedback.get(k)) for k in ("correct", "incorrect")
    ):
        reasons.append(f"{where}.feedback: needs non-empty 'correct' and 'incorrect' text")
    _check_options(question.get("options"), kind, where, reasons)


def _check_options(options: Any, kind: Any, where: str, reasons: list[str]) -> None:
    if not isinstance(options, list) or len(options) < 2:
        reasons.append(f"{where}.options: needs at least two options")
        return
    if len(options) > 26:
        reasons.append(f"{where}.options: at most 26 options (SCORM 1.2 answers are single letters)")
    seen: set[str] = set()
    for index, option in enumerate(options):
        if not isinstance(option, Mapping):
            reasons.append(f"{where}.options[{index}]: must be a mapping")
            return
        _check_id(option.get("id"), f"{where}.options[{index}]", seen, reasons)
        if not _is_text(option.get("text")):
            reasons.append(f"{where}.options[{index}].text: must be non-empty text")
    correct = [option for option in options if option.get("correct") is True]
    if len(correct) != 1:
        # Radio buttons: one answer per question, so exactly one option may be right.
        reasons.append(f"{where}.options: exactly one option must be marked correct, found {len(correct)}")
    if kind == "true-false" and sorted(seen) != ["false", "true"]:
        reasons.append(f"{where}.options: a true-false question has exactly the options 'true' and 'false'")
