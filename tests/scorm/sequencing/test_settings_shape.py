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


def shape_problems(settings: dict[str, Any]) -> list[str]:
    problems = []

    def check(what: str, value: dict[str, Any], type_name: str) -> None:
        extra = set(value) - declared_keys(type_name)
        if extra:
            problems.append(f"{what}: {sorted(extra)} not in {type_name}")

    def check_word(what: str, word: str, allowed: frozenset[str]) -> None:
        if word not in allowed:
            problems.append(f"{what}: {word!r} not in {sorted(allowed)}")

    check("settings", settings, "SequencingSettings")
    for activity in activities(settings["activityTree"]):
        where = activity["id"]
        check(where, activity, "ActivitySettings")
        check(where, activity["sequencingControls"], "SequencingControlsSettings")
        check(where, activity["deliveryControls"], "DeliveryControlsSettings")
        check(where, activity["rollupConsiderations"], "AdlRollupConsiderationsSettings")
        controls = activity["sequencingControls"]
        timings = enum_words("sequencing_controls", "SelectionTiming")
        check_word(where, controls["selectionTiming"], timings)
        check_word(where, controls["randomizationTiming"], timings)
        for word in activity.get("hideLmsUi", []):
            check_word(where, word, hide_lms_ui_tokens())
        objectives = [activity.get("primaryObjective")] + activity.get("objectives", [])
        for objective in filter(None, objectives):
            check(where, objective, "ObjectiveSettings")
            for map_info in objective["mapInfo"]:
                check(where, map_info, "ObjectiveMapInfoSettings")
        for kind, rules in activity["sequencingRules"].items():
            check(where, {kind: rules}, "SequencingRulesSettings")
            for rule in rules:
                check(where, rule, "SequencingRuleSettings")
                check_word(where, rule["action"], enum_words("sequencing_rules", "RuleActionType"))
                for condition in rule["conditions"]:
                    check(where, condition, "RuleConditionSettings")
                    words = enum_words("sequencing_rules", "RuleConditionType")
                    check_word(where, condition["condition"], words)
                    if "operator" in condition:
                        check_word(where, condition["operator"], frozenset({"not"}))
        for rule in activity["rollupRules"]["rules"]:
            check(where, rule, "RollupRuleSettings")
            check_word(where, rule["action"], enum_words("rollup_rules", "RollupActionType"))
            check_word(where, rule["consideration"], enum_words("rollup_rules", "RollupConsiderationType"))
            combinations = enum_words("rollup_rules", "RollupConditionCombination")
            check_word(where, rule["conditionCombination"], combinations)
            if not 0 <= rule["minimumPercent"] <= 100:
                problems.append(f"{where}: minimumPercent {rule['minimumPercent']} outside 0..100")
            for condition in rule["conditions"]:
                check(where, condition, "RollupConditionSettings")
                words = enum_words("rollup_rules", "RollupConditionType") | BEYOND_SCORM_AGAIN
                check_word(where, condition["condition"], words)
                operators = enum_words("rollup_rules", "RollupConditionOperator")
                check_word(where, condition["operator"], operators)
    return problems


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
