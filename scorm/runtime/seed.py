"""The LMS's side of a launch: what the data model holds before the content starts.

A seed has the same shape as the data model JSON (``{"cmi": {"learner_id": ..., "objectives": {"0":
{"id": ...}}}}`` or flattened names), as in the corpus's ``initialState`` and scorm-again's
``loadFromJSON``. :func:`launch_seed` builds one from a launch's facts.
"""

from __future__ import annotations

from typing import Any

from scorm.cmi.common.elements import Access
from scorm.cmi.common.errors import CmiError
from scorm.cmi.common.model import DataModel
from scorm.runtime.flatten import application_order, flatten_data_model


class SeedError(ValueError):
    """A launch seed the data model refuses (the server's own data is wrong, not the learner's)."""


def apply_seed(model: DataModel, seed: dict[str, Any]) -> None:
    problems: list[str] = []
    flags: list[tuple[str, Any]] = []
    for element, value in application_order(model, flatten_data_model(seed)):
        if value is None:
            continue
        if "#" in element:
            flags.append((element, value))
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            problems.append(f"{element}: {type(value).__name__} is not a value")
            continue
        try:
            model.seed(element, str(value))
        except CmiError as error:
            problems.append(f"{element}: {error.diagnostic}")
    for element, value in flags:
        _apply_flag(model, element, value, problems)
    if problems:
        raise SeedError("; ".join(problems))


# Values that belong to one attempt, not to the launch, even where the content cannot write them.
_PER_ATTEMPT = frozenset({"cmi.entry", "cmi.core.entry", "cmi.total_time", "cmi.core.total_time"})


def launch_facts(model: DataModel, seed: dict[str, Any]) -> dict[str, Any]:
    """The part of a seed a new attempt starts from again: what the LMS alone writes (learner, credit,
    mode, launch data, thresholds, shared data buckets) and the manifest's objective identifiers.
    Learner data (location, suspend_data, scores) and per-attempt values (entry, total_time) stay out."""
    facts: dict[str, Any] = {}
    for element, value in flatten_data_model(seed):
        if value is None or element in _PER_ATTEMPT:
            continue
        if "#" in element:
            facts[element] = value
            continue
        try:
            target = model.resolve(element)
        except CmiError:
            continue
        if target.pattern == "cmi.objectives.n.id" or model.definition(target).access is Access.READ_ONLY:
            facts[element] = value
    return facts


def _apply_flag(model: DataModel, element: str, value: Any, problems: list[str]) -> None:
    """LMS-only flags such as ``adl.data.0.#writable`` sit beside an existing record's values."""
    record, _, flag = element.rpartition(".")
    collection, _, index = record.rpartition(".")
    exists = index.isdigit() and int(index) < model.counts.get(collection, 0)
    if not exists or value not in ("true", "false", True, False):
        problems.append(f"{element}: a flag needs an existing record and true or false")
        return
    model.values[element] = str(value).lower()


def launch_seed(
    version: str,
    *,
    learner_id: str,
    learner_name: str = "",
    credit: bool = True,
    mode: str = "normal",
    launch_data: str | None = None,
    mastery_score: str | None = None,
    scaled_passing_score: str | None = None,
    completion_threshold: str | None = None,
    max_time_allowed: str | None = None,
    time_limit_action: str | None = None,
    objective_ids: tuple[str, ...] = (),
    shared_data: tuple[tuple[str, bool, bool], ...] = (),
) -> dict[str, Any]:
    """A seed for a first launch from the facts an LMS knows (manifest values as the manifest writes them).

    SCORM 1.2 takes ``mastery_score`` (adlcp:masteryscore, 0..100) and a CMITimespan ``max_time_allowed``;
    SCORM 2004 takes ``scaled_passing_score`` (-1..1), ``completion_threshold`` (0..1) and an ISO 8601
    ``max_time_allowed``. ``objective_ids`` are the SCO's objectives from the manifest. ``shared_data``
    (2004 4th edition ``adlcp:data``) lists ``(targetID, readSharedData, writeSharedData)``.
    """
    credit_word = "credit" if credit else "no-credit"
    objectives = {str(index): {"id": objective} for index, objective in enumerate(objective_ids)}
    if version == "1.2":
        cmi: dict[str, Any] = {
            "core": {
                "student_id": learner_id,
                "student_name": learner_name,
                "credit": credit_word,
                "lesson_mode": mode,
                "entry": "ab-initio",
            },
            "launch_data": launch_data,
            "student_data": {
                "mastery_score": mastery_score,
                "max_time_allowed": max_time_allowed,
                "time_limit_action": time_limit_action,
            },
            "objectives": objectives,
        }
    else:
        cmi = {
            "learner_id": learner_id,
            "learner_name": learner_name,
            "credit": credit_word,
            "mode": mode,
            "entry": "ab-initio",
            "launch_data": launch_data,
            "scaled_passing_score": scaled_passing_score,
            "completion_threshold": completion_threshold,
            "max_time_allowed": max_time_allowed,
            "time_limit_action": time_limit_action,
            "objectives": objectives,
        }
        buckets = {
            str(index): {"id": target, "#readable": readable, "#writable": writable}
            for index, (target, readable, writable) in enumerate(shared_data)
        }
        return {"cmi": cmi, "adl": {"data": buckets}}
    return {"cmi": cmi}
