"""Activity trees built straight from the manifest model, for rollup tests that state one rule each."""

from __future__ import annotations

from dataclasses import replace

from scorm.manifest import Item, Manifest, Organization
from scorm.manifest import sequencing_model as sm
from scorm.runtime.result import AttemptResult


def seq(**changes) -> sm.Sequencing:
    """A declared sequencing definition with the given top-level parts replaced."""
    return replace(sm.Sequencing(declared=True), **changes)


def weight(value: float, **rollup) -> sm.Sequencing:
    return seq(rollup_rules=sm.RollupRules(objective_measure_weight=value, **rollup))


def sco(identifier: str, sequencing: sm.Sequencing | None = None, mastery: float | None = None) -> Item:
    return Item(
        identifier,
        title=identifier,
        identifierref="res",
        launch=f"{identifier}.html",
        resource_scorm_type="sco",
        sequencing=sequencing,
        mastery_score=mastery,
    )


def cluster(identifier: str, *kids: Item, sequencing: sm.Sequencing | None = None) -> Item:
    return Item(identifier, title=identifier, children=list(kids), sequencing=sequencing)


def course(*items: Item, sequencing: sm.Sequencing | None = None, version: str = "2004") -> Manifest:
    organization = Organization("root", "Course", items=list(items), sequencing=sequencing)
    return Manifest(
        "m",
        version=version,
        edition=4 if version == "2004" else None,
        organizations=[organization],
        default_organization_ref="root",
    )


def result(
    completion: str = "completed",
    success: str = "unknown",
    scaled: float | None = None,
    seconds: float = 60.0,
) -> AttemptResult:
    return AttemptResult(completion, success, scaled, None, None, None, seconds, "")


def rule(action: str, child_set: str, *conditions: str, combination: str = "any", **numbers) -> sm.RollupRule:
    """A rollup rule; a condition written "not satisfied" gets the not operator."""
    parsed = [
        sm.RollupCondition(word.split()[-1], "not" if word.startswith("not ") else "noOp")
        for word in conditions
    ]
    return sm.RollupRule(action, child_set, condition_combination=combination, conditions=parsed, **numbers)


def rules(*rollup_rules: sm.RollupRule, **flags) -> sm.Sequencing:
    return seq(rollup_rules=sm.RollupRules(rules=list(rollup_rules), **flags))
