"""Every settings tree we build uses only keys and words that scorm-again 3.4's type definitions declare."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scorm.sequencing import build_sequencing_settings
from tests.scorm.sequencing.helpers import FORCED_SEQUENTIAL, RANDOM_TEST, corpus_settings, cts_manifest
from tests.scorm.sequencing.scorm_again_types import (
    TYPES,
    declared_keys,
    enum_words,
    hide_lms_ui_tokens,
)

pytestmark = pytest.mark.skipif(not TYPES.is_dir(), reason=f"scorm-again is not installed at {TYPES}")

# SN rollup conditions scorm-again's RollupConditionType lacks; it evaluates them as false (no time
# tracking in rollup), which is what we want, so they pass through under their SN names.
BEYOND_SCORM_AGAIN = frozenset({"timeLimitExceeded", "outsideAvailableTimeRange"})


def activities(activity: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield activity
    for kid in activity.get("children", []):
        yield from activities(kid)


class ShapeCheck:
    """Collects every key or word in a settings tree that scorm-again does not declare."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def keys(self, where: str, value: dict[str, Any], type_name: str) -> None:
        extra = set(value) - declared_keys(type_name)
        if extra:
            self.problems.append(f"{where}: {sorted(extra)} not in {type_name}")

    def word(self, where: str, word: str, allowed: frozenset[str]) -> None:
        if word not in allowed:
            self.problems.append(f"{where}: {word!r} not in {sorted(allowed)}")

    def activity(self, activity: dict[str, Any]) -> None:
        where = activity["id"]
        self.keys(where, activity, "ActivitySettings")
        self.keys(where, activity["sequencingControls"], "SequencingControlsSettings")
        self.keys(where, activity["deliveryControls"], "DeliveryControlsSettings")
        self.keys(where, activity["rollupConsiderations"], "AdlRollupConsiderationsSettings")
        timings = enum_words("sequencing_controls", "SelectionTiming")
        self.word(where, activity["sequencingControls"]["selectionTiming"], timings)
        self.word(where, activity["sequencingControls"]["randomizationTiming"], timings)
        for token in activity.get("hideLmsUi", []):
            self.word(where, token, hide_lms_ui_tokens())
        for objective in filter(None, [activity.get("primaryObjective"), *activity.get("objectives", [])]):
            self.keys(where, objective, "ObjectiveSettings")
            for map_info in objective["mapInfo"]:
                self.keys(where, map_info, "ObjectiveMapInfoSettings")
        self.sequencing_rules(where, activity["sequencingRules"])
        for rule in activity["rollupRules"]["rules"]:
            self.rollup_rule(where, rule)

    def sequencing_rules(self, where: str, rules: dict[str, Any]) -> None:
        self.keys(where, rules, "SequencingRulesSettings")
        for rule in [r for kind in rules.values() for r in kind]:
            self.keys(where, rule, "SequencingRuleSettings")
            self.word(where, rule["action"], enum_words("sequencing_rules", "RuleActionType"))
            for condition in rule["conditions"]:
                self.keys(where, condition, "RuleConditionSettings")
                self.word(where, condition["condition"], enum_words("sequencing_rules", "RuleConditionType"))
                self.word(where, condition.get("operator", "not"), frozenset({"not"}))

    def rollup_rule(self, where: str, rule: dict[str, Any]) -> None:
        self.keys(where, rule, "RollupRuleSettings")
        self.word(where, rule["action"], enum_words("rollup_rules", "RollupActionType"))
        self.word(where, rule["consideration"], enum_words("rollup_rules", "RollupConsiderationType"))
        self.word(
            where, rule["conditionCombination"], enum_words("rollup_rules", "RollupConditionCombination")
        )
        if not 0 <= rule["minimumPercent"] <= 100:
            self.problems.append(f"{where}: minimumPercent {rule['minimumPercent']} outside 0..100")
        for condition in rule["conditions"]:
            self.keys(where, condition, "RollupConditionSettings")
            words = enum_words("rollup_rules", "RollupConditionType") | BEYOND_SCORM_AGAIN
            self.word(where, condition["condition"], words)
            self.word(where, condition["operator"], enum_words("rollup_rules", "RollupConditionOperator"))


def shape_problems(settings: dict[str, Any]) -> list[str]:
    check = ShapeCheck()
    check.keys("settings", settings, "SequencingSettings")
    for activity in activities(settings["activityTree"]):
        check.activity(activity)
    return check.problems


@pytest.mark.parametrize("package", [FORCED_SEQUENTIAL, RANDOM_TEST])
def test_corpus_sequencing_packages_use_only_declared_keys_and_words(corpus: Path, package: str):
    settings = corpus_settings(corpus, package)

    assert shape_problems(settings) == []


def test_every_adl_cts_manifest_gives_settings_of_the_declared_shape(corpus: Path):
    names = sorted(p.name for p in (corpus / "adl_cts_manifests").glob("*.xml"))
    problems = {}
    for name in names:
        settings = build_sequencing_settings(cts_manifest(corpus, name))
        json.dumps(settings)  # plain JSON, as the player page embeds it
        if found := shape_problems(settings):
            problems[name] = found[:3]

    assert len(names) >= 180
    assert problems == {}
