"""Rules a JSON Schema cannot say: unique ids, references that resolve, counts that agree.

Each rule is a small function returning a list of problems (plain sentences naming the field).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable


def _duplicates(ids: Iterable[str]) -> list[str]:
    return sorted(item for item, count in Counter(ids).items() if count > 1)


def _unique_ids(unit: dict) -> list[str]:
    problems = []
    for field, items in (
        ("learning_outcomes", unit["learning_outcomes"]),
        ("pages", unit["pages"]),
        ("assessment.bank", unit["assessment"]["bank"]),
    ):
        for duplicate in _duplicates(item["id"] for item in items):
            problems.append(f"field {field}: id {duplicate!r} is used more than once")
    for question in unit["assessment"]["bank"]:
        for duplicate in _duplicates(option["id"] for option in question["options"]):
            problems.append(f"field assessment.bank[{question['id']}].options: id {duplicate!r} repeats")
    return problems


def _outcome_references(unit: dict) -> list[str]:
    known = {outcome["id"] for outcome in unit["learning_outcomes"]}
    references = [(f"pages[{page['id']}].outcome", page.get("outcome")) for page in unit["pages"]]
    references += [(f"assessment.bank[{q['id']}].outcome", q["outcome"]) for q in unit["assessment"]["bank"]]
    references += [("observation.outcomes", outcome) for outcome in unit["observation"]["outcomes"]]
    return [
        f"field {field}: learning outcome {outcome!r} does not exist"
        for field, outcome in references
        if outcome is not None and outcome not in known
    ]


def _one_correct_option(unit: dict) -> list[str]:
    problems = []
    for question in unit["assessment"]["bank"]:
        correct = sum(option["correct"] for option in question["options"])
        if correct != 1:
            problems.append(
                f"field assessment.bank[{question['id']}].options: {correct} options are marked correct, "
                "exactly one must be"
            )
    return problems


def _true_false_options(unit: dict) -> list[str]:
    problems = []
    for question in unit["assessment"]["bank"]:
        ids = sorted(option["id"] for option in question["options"])
        if question["type"] == "true-false" and ids != ["false", "true"]:
            problems.append(
                f"field assessment.bank[{question['id']}].options: a true-false question needs the ids "
                f"'true' and 'false', not {ids}"
            )
    return problems


def _bank_size(unit: dict) -> list[str]:
    assessment = unit["assessment"]
    if len(assessment["bank"]) < assessment["questions_per_attempt"]:
        return [
            f"field assessment.questions_per_attempt: {assessment['questions_per_attempt']} questions "
            f"are drawn but the bank holds only {len(assessment['bank'])}"
        ]
    return []


def _every_outcome_assessed(unit: dict) -> list[str]:
    assessed = {question["outcome"] for question in unit["assessment"]["bank"]}
    return [
        f"field learning_outcomes: {outcome['id']} has no question in the bank"
        for outcome in unit["learning_outcomes"]
        if outcome["id"] not in assessed
    ]


def _no_repeated_wording(unit: dict) -> list[str]:
    # Two options with the same words cannot both be told apart by a learner or scored fairly.
    problems = []
    # Scenario questions may share a prompt ("What should you do?"): the situation is what differs.
    asked = (
        f"{question.get('scenario') or ''} {question['prompt']}" for question in unit["assessment"]["bank"]
    )
    for duplicate in _duplicates(text.strip().lower() for text in asked):
        problems.append(f"field assessment.bank: the question {duplicate!r} is asked more than once")
    for question in unit["assessment"]["bank"]:
        for duplicate in _duplicates(option["text"].strip().lower() for option in question["options"]):
            problems.append(
                f"field assessment.bank[{question['id']}].options: the text {duplicate!r} repeats"
            )
    return problems


INTEGRITY_RULES: tuple[Callable[[dict], list[str]], ...] = (
    _unique_ids,
    _outcome_references,
    _one_correct_option,
    _true_false_options,
    _bank_size,
    _every_outcome_assessed,
    _no_repeated_wording,
)


def unit_integrity_problems(unit: dict) -> list[str]:
    """Every cross-field problem in a unit that already passed the schema; empty when it is sound."""
    problems: list[str] = []
    for rule in INTEGRITY_RULES:
        problems.extend(rule(unit))
    return problems
