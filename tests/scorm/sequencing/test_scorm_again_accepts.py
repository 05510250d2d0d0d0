"""The settings we build, fed to scorm-again's real Scorm2004API in Node (scorm_again_runner.mjs)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scorm.sequencing import activity_ids, build_sequencing_settings
from tests.scorm.sequencing.helpers import (
    FORCED_SEQUENTIAL,
    RANDOM_TEST,
    built_manifest,
    corpus_settings,
    cts_manifest,
    sco_resources,
)
from tests.scorm.sequencing.scorm_again_types import ESM_2004

RUNNER = Path(__file__).with_name("scorm_again_runner.mjs")
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not installed"),
    pytest.mark.skipif(not ESM_2004.is_file(), reason=f"scorm-again is not installed at {ESM_2004}"),
]

CTS_SAMPLE = ["CM-01.xml", "CM-07a.xml", "SX-04b.xml", "RU-12b.xml", "CO-03.xml", "OB-13a.xml"]
INITIALIZE = {"do": "initialize"}


def run_node(cases: Any) -> Any:
    done = subprocess.run(
        [str(NODE), str(RUNNER), str(ESM_2004)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def play(sequencing: dict[str, Any], *steps: dict[str, Any]) -> dict[str, Any]:
    outcome = run_node({"sequencing": sequencing, "steps": list(steps)})
    assert outcome["failure"] is None
    return outcome


def choose(target: str) -> dict[str, Any]:
    return {"do": "navigate", "request": "choice", "target": target}


def choice_valid(target: str) -> dict[str, Any]:
    return {"do": "valid", "request": "choice", "target": target}


def finish_current_sco_and(request: str) -> list[dict[str, Any]]:
    """What the SCO does in the ForcedSequential course: set its status, ask to move on, terminate."""
    return [
        {"do": "set", "element": "cmi.completion_status", "value": "completed"},
        {"do": "set", "element": "cmi.success_status", "value": "passed"},
        {"do": "set", "element": "adl.nav.request", "value": request},
        {"do": "terminate"},
    ]


def test_forced_sequential_tree_is_accepted_and_starts_at_the_first_sco(corpus: Path):
    settings = corpus_settings(corpus, FORCED_SEQUENTIAL)

    outcome = play(settings, INITIALIZE)

    assert outcome["tree"] == activity_ids(settings)
    assert outcome["steps"] == [{"result": "true", "error": "0", "current": "playing_item"}]


def test_forced_sequential_refuses_a_choice_beyond_an_unsatisfied_prerequisite(corpus: Path):
    settings = corpus_settings(corpus, FORCED_SEQUENTIAL)

    outcome = play(settings, INITIALIZE, choice_valid("handicapping_item"), choose("handicapping_item"))

    valid, chosen = outcome["steps"][1:]
    assert valid["result"] == "false"
    assert chosen["result"] is False
    assert chosen["current"] == "playing_item"


def test_forced_sequential_choice_is_refused_because_of_the_disabled_rule(corpus: Path):
    # The same tree without its pre-condition rules lets the learner jump ahead: the refusal above
    # comes from the manifest's rule, not from a tree scorm-again failed to understand.
    settings = corpus_settings(corpus, FORCED_SEQUENTIAL)
    unruled = copy.deepcopy(settings)
    for activity in unruled["activityTree"]["children"]:
        activity["sequencingRules"]["preConditionRules"] = []

    outcome = play(unruled, INITIALIZE, choose("handicapping_item"))

    assert outcome["steps"][1] == {"result": True, "error": "0", "current": "handicapping_item"}


def test_forced_sequential_continue_delivers_the_next_sco_in_order(corpus: Path):
    settings = corpus_settings(corpus, FORCED_SEQUENTIAL)

    outcome = play(settings, INITIALIZE, *finish_current_sco_and("continue"))

    assert outcome["steps"][-1]["result"] == "true"
    assert outcome["steps"][-1]["current"] == "etuqiette_item"


def test_forced_sequential_opens_only_the_next_sco_once_the_first_is_satisfied(corpus: Path):
    settings = corpus_settings(corpus, FORCED_SEQUENTIAL)

    outcome = play(
        settings,
        INITIALIZE,
        *finish_current_sco_and("continue"),
        {"do": "reset"},
        INITIALIZE,
        choice_valid("playing_item"),
        choice_valid("handicapping_item"),
    )

    back, ahead = outcome["steps"][-2:]
    assert (back["result"], ahead["result"]) == ("true", "false")


def test_random_test_tree_is_accepted_with_its_hidden_tests(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)

    outcome = play(settings, INITIALIZE)

    assert outcome["tree"] == activity_ids(settings)
    assert outcome["steps"][0]["result"] == "true"
    assert outcome["steps"][0]["current"] == "playing_item"


def test_random_test_post_test_is_locked_until_the_content_is_completed(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)

    outcome = play(settings, INITIALIZE, choice_valid("posttest_item"))

    assert outcome["steps"][1]["result"] == "false"


@pytest.mark.parametrize("name", CTS_SAMPLE)
def test_adl_cts_manifest_tree_is_accepted_by_scorm_again(corpus: Path, name: str):
    settings = build_sequencing_settings(cts_manifest(corpus, name))

    outcome = play(settings, INITIALIZE)

    assert outcome["tree"] == activity_ids(settings)
    assert outcome["steps"][0]["result"] == "true"
    assert not str(outcome["steps"][0]["result"]).startswith("threw")


def test_every_adl_cts_manifest_is_accepted_and_initializes(corpus: Path):
    names = sorted(p.name for p in (corpus / "adl_cts_manifests").glob("*.xml"))
    settings = [build_sequencing_settings(cts_manifest(corpus, name)) for name in names]

    outcomes = run_node([{"sequencing": s, "steps": [INITIALIZE]} for s in settings])

    refused = {
        name: outcome["failure"] or outcome["steps"][0]
        for name, outcome, sent in zip(names, outcomes, settings, strict=True)
        if outcome["failure"]
        or outcome["steps"][0]["result"] != "true"
        or outcome["tree"] != activity_ids(sent)
    }
    assert len(names) >= 180
    assert refused == {}


def next_sco_after(*statuses: tuple[str, str]) -> list[dict[str, Any]]:
    """The current SCO sets these elements, asks to continue and ends; the player loads the next."""
    sets = [{"do": "set", "element": element, "value": value} for element, value in statuses]
    return [
        *sets,
        {"do": "set", "element": "adl.nav.request", "value": "continue"},
        {"do": "terminate"},
        {"do": "reset"},
        INITIALIZE,
    ]


CONTENT_DONE = [next_sco_after(("cmi.completion_status", "completed")) for _ in range(4)]
TESTS = {"test_1", "test_2", "test_3", "test_4"}


def test_random_test_delivers_a_hidden_test_once_the_content_is_completed(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)

    outcome = play(settings, INITIALIZE, *[step for sco in CONTENT_DONE for step in sco])

    assert outcome["steps"][-1]["current"] in TESTS


def take_post_test(verdict: str) -> list[dict[str, Any]]:
    return [
        {"do": "set", "element": "cmi.completion_status", "value": "completed"},
        {"do": "set", "element": "cmi.success_status", "value": verdict},
        {"do": "set", "element": "adl.nav.request", "value": "continue"},
        {"do": "terminate"},
    ]


def test_random_test_retries_the_post_test_with_another_test_after_a_fail(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)

    outcome = play(
        settings, INITIALIZE, *[step for sco in CONTENT_DONE for step in sco], *take_post_test("failed")
    )

    assert outcome["steps"][-1]["result"] == "true"
    assert outcome["steps"][-1]["current"] in TESTS  # post-condition retry delivered a test again


def test_random_test_ends_the_course_after_a_passed_test(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)

    outcome = play(
        settings, INITIALIZE, *[step for sco in CONTENT_DONE for step in sco], *take_post_test("passed")
    )

    assert outcome["steps"][-1]["result"] == "true"
    assert outcome["steps"][-1]["current"] is None  # post-condition exitAll ended the session


def test_package_without_sequencing_starts_nowhere_and_is_navigated_by_choice():
    # SN defaults: flow is false, choice is true, so the start request delivers nothing and the
    # player must offer its table of contents; continue stays invalid.
    items = "".join(f'<item identifier="{i}" identifierref="{i}"><title>{i}</title></item>' for i in "ab")
    settings = build_sequencing_settings(built_manifest(items=items, resources=sco_resources("a", "b")))

    outcome = play(settings, INITIALIZE, {"do": "valid", "request": "continue"}, choose("b"))

    started, can_continue, chosen = outcome["steps"]
    assert (started["result"], started["current"]) == ("true", None)
    assert can_continue["result"] == "false"
    assert (chosen["result"], chosen["current"]) == (True, "b")
