"""Commits rendered by the real browser run-time (scorm-again, run in Node) pass the server's validation.

The browser is seeded with ``Attempt.browser_seed()``, plays a session like a real export would, and its
commit body goes through ``validate_commit``. Skipped when Node or node_modules/scorm-again is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from scorm.runtime import Attempt, CommitCompat, launch_seed
from scorm.runtime.commit import validate_commit

REPO = Path(__file__).resolve().parents[3]
NODE_MODULES = REPO / "node_modules"
HARNESS = Path(__file__).parent / "browser" / "scorm_again_session.js"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (NODE_MODULES / "scorm-again").is_dir(),
    reason="needs node and node_modules/scorm-again (npm ci)",
)


def browser_session(version: str, attempt: Attempt, calls: list, *, terminate=False, format="json") -> dict:
    request = {"version": version, "seed": attempt.browser_seed(), "calls": calls, "terminate": terminate,
               "format": format}  # fmt: skip
    completed = subprocess.run(
        ["node", str(HARNESS), str(NODE_MODULES)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    played = json.loads(completed.stdout)
    assert played["errors"] == [], "scorm-again refused a call the test meant to be valid"
    return played["commit"]


STORYLINE_STATE = "".join(chr(48 + (index * 7) % 75) for index in range(64_000))


def storyline_12_calls() -> list:
    calls = [
        ["cmi.core.lesson_status", "incomplete"],
        ["cmi.core.lesson_location", "6bh8vqMfYbq"],
        ["cmi.suspend_data", STORYLINE_STATE],
    ]
    for index in range(3):
        prefix = f"cmi.interactions.{index}"
        calls += [
            [f"{prefix}.id", f"Scene1_QuestionDraw01_Slide{index + 3}_MultiChoice_0_0"],
            [f"{prefix}.type", "choice"],
            [f"{prefix}.student_response", "Speak_to_my_manager_and_record_it"],
            [f"{prefix}.result", "correct" if index else "wrong"],
            [f"{prefix}.weighting", "1"],
            [f"{prefix}.latency", "00:00:12.40"],
            [f"{prefix}.time", f"09:3{index}:00"],
        ]
    return calls + [
        ["cmi.core.score.raw", "90"],
        ["cmi.core.score.min", "0"],
        ["cmi.core.score.max", "100"],
        ["cmi.core.lesson_status", "passed"],
        ["cmi.core.session_time", "0000:12:30.00"],
        ["cmi.core.exit", "suspend"],
    ]


def test_a_storyline_like_1_2_session_with_64k_suspend_data_is_accepted() -> None:
    attempt = Attempt.new(
        "1.2", launch_seed("1.2", learner_id="learner-1", learner_name="Ann", mastery_score="80")
    )
    commit = browser_session("1.2", attempt, storyline_12_calls(), terminate=True)
    outcome = validate_commit("1.2", attempt.to_json(), commit, terminate=True)
    assert outcome.accepted, outcome.refusals
    assert (outcome.result.completion, outcome.result.success, outcome.result.score_scaled) == (
        "completed",
        "passed",
        0.9,
    )
    assert outcome.result.total_time_seconds == 750
    resumed = Attempt.from_json(outcome.state).next_session()
    resumed.call("LMSInitialize", "")
    assert resumed.call("LMSGetValue", "cmi.suspend_data") == STORYLINE_STATE
    assert resumed.call("LMSGetValue", "cmi.core.entry") == "resume"


def test_a_resumed_1_2_session_commits_cleanly_over_the_stored_state() -> None:
    attempt = Attempt.new("1.2", launch_seed("1.2", learner_id="learner-1"))
    first = validate_commit(
        "1.2", attempt.to_json(), browser_session("1.2", attempt, storyline_12_calls()), terminate=True
    )
    resumed = Attempt.from_json(first.state).next_session()
    commit = browser_session("1.2", resumed, [["cmi.core.lesson_location", "slide-9"]])
    outcome = validate_commit("1.2", resumed.to_json(), commit)
    assert outcome.accepted, outcome.refusals
    # scorm-again also reports its running session time; everything it was seeded with is unchanged
    assert set(outcome.changed) == {"cmi.core.lesson_location", "cmi.core.session_time"}


def advanced_2004_calls() -> list:
    return [
        ["cmi.location", "page-5"],
        ["cmi.suspend_data", STORYLINE_STATE],
        ["cmi.progress_measure", "0.9"],
        ["cmi.objectives.0.success_status", "passed"],
        ["cmi.objectives.0.score.scaled", "0.8"],
        ["cmi.objectives.2.id", "urn:carecert:u05:extra"],
        ["cmi.interactions.0.id", "q1"],
        ["cmi.interactions.0.type", "fill-in"],
        ["cmi.interactions.0.objectives.0.id", "obj-a"],
        ["cmi.interactions.0.correct_responses.0.pattern", "{case_matters=false}dignity"],
        ["cmi.interactions.0.learner_response", "Dignity"],
        ["cmi.interactions.0.result", "correct"],
        ["cmi.interactions.0.timestamp", "2026-11-22T09:30:00.0Z"],
        ["cmi.interactions.0.description", "{lang=en-GB}" + "Which value means respecting privacy? " * 30],
        ["cmi.interactions.1.id", "q2"],
        ["cmi.interactions.1.type", "matching"],
        ["cmi.interactions.1.correct_responses.0.pattern", "1[.]a[,]2[.]b"],
        ["cmi.interactions.1.learner_response", "1[.]b[,]2[.]a"],
        ["cmi.interactions.1.result", "incorrect"],
        ["cmi.interactions.1.latency", "PT45S"],
        ["cmi.score.scaled", "0.75"],
        ["cmi.comments_from_learner.0.comment", "Clear and useful"],
        ["cmi.session_time", "PT20M"],
        ["cmi.exit", "suspend"],
    ]


@pytest.mark.parametrize("format", ["json", "flattened"])
def test_a_2004_session_with_objectives_and_interactions_is_accepted(format: str) -> None:
    seed = launch_seed("2004", learner_id="learner-1", completion_threshold="0.8", scaled_passing_score="0.7",
                       objective_ids=("obj-a", "obj-b"))  # fmt: skip
    attempt = Attempt.new("2004", seed)
    commit = browser_session("2004", attempt, advanced_2004_calls(), terminate=True, format=format)
    outcome = validate_commit("2004", attempt.to_json(), commit, terminate=True)
    assert outcome.accepted, outcome.refusals
    assert (outcome.result.completion, outcome.result.success, outcome.result.score_scaled) == (
        "completed",
        "passed",
        0.75,
    )
    assert outcome.result.total_time == "PT20M"


def test_a_tampered_scorm_again_commit_is_refused_whole() -> None:
    attempt = Attempt.new("2004", launch_seed("2004", learner_id="learner-1"))
    commit = browser_session("2004", attempt, [["cmi.location", "p2"], ["cmi.score.scaled", "0.5"]])
    commit["cmi"]["score"]["scaled"] = "1.5"
    commit["cmi"]["learner_id"] = "learner-2"
    outcome = validate_commit("2004", attempt.to_json(), commit)
    assert not outcome.accepted
    assert {(r.element, r.code) for r in outcome.refusals} == {
        ("cmi.score.scaled", "407"),
        ("cmi.learner_id", "404"),
    }


def question_1_2004_calls() -> list:
    """A hand-written 2004 quiz as scorm-again lets it through: ids with spaces, a numeric answer that is
    one number, a timestamp in 2039, a latency in weeks."""
    return [
        ["cmi.location", "Question 2"],
        ["cmi.objectives.0.id", "Learning outcome 1"],
        ["cmi.objectives.0.success_status", "passed"],
        ["cmi.interactions.0.id", "Question 1"],
        ["cmi.interactions.0.type", "choice"],
        ["cmi.interactions.0.objectives.0.id", "Learning outcome 1"],
        ["cmi.interactions.0.correct_responses.0.pattern", "Speak to my manager[,]Record it"],
        ["cmi.interactions.0.learner_response", "Speak to my manager[,]Record it"],
        ["cmi.interactions.0.result", "correct"],
        ["cmi.interactions.0.timestamp", "2039-01-01T09:30:00.0Z"],
        ["cmi.interactions.1.id", "Question 2"],
        ["cmi.interactions.1.type", "numeric"],
        ["cmi.interactions.1.correct_responses.0.pattern", "42"],
        ["cmi.interactions.1.learner_response", "41"],
        ["cmi.interactions.1.result", "incorrect"],
        ["cmi.interactions.1.latency", "P1W"],
        ["cmi.score.scaled", "0.5"],
        ["cmi.completion_status", "incomplete"],
        ["cmi.suspend_data", STORYLINE_STATE[:4000]],
        ["cmi.session_time", "PT12M"],
        ["cmi.exit", "suspend"],
    ]


@pytest.mark.parametrize("format", ["json", "flattened"])
def test_a_2004_commit_with_question_1_ids_is_accepted_with_warnings(format: str) -> None:
    attempt = Attempt.new("2004", launch_seed("2004", learner_id="learner-1"))
    commit = browser_session("2004", attempt, question_1_2004_calls(), terminate=True, format=format)

    outcome = validate_commit(
        "2004", attempt.to_json(), commit, terminate=True, compat=CommitCompat.SCORM_AGAIN
    )

    assert outcome.accepted, outcome.refusals
    assert {(w.element, w.deviation) for w in outcome.warnings} == {
        ("cmi.objectives.0.id", "identifier-form"),
        ("cmi.interactions.0.id", "identifier-form"),
        ("cmi.interactions.0.objectives.0.id", "identifier-form"),
        ("cmi.interactions.0.correct_responses.0.pattern", "response-identifier-form"),
        ("cmi.interactions.0.learner_response", "response-identifier-form"),
        ("cmi.interactions.0.timestamp", "timestamp-form"),
        ("cmi.interactions.1.id", "identifier-form"),
        ("cmi.interactions.1.correct_responses.0.pattern", "numeric-single-value"),
        ("cmi.interactions.1.latency", "duration-form"),
    }
    assert (outcome.result.completion, outcome.result.score_scaled) == ("incomplete", 0.5)
    resumed = Attempt.from_json(outcome.state).next_session()
    resumed.call("Initialize", "")
    assert resumed.call("GetValue", "cmi.suspend_data") == STORYLINE_STATE[:4000]
    assert resumed.call("GetValue", "cmi.interactions.0.id") == "Question 1"
    assert resumed.call("GetValue", "cmi.interactions.1.latency") == "PT168H"


def test_the_same_commit_is_refused_under_strict_compatibility() -> None:
    attempt = Attempt.new("2004", launch_seed("2004", learner_id="learner-1"))
    commit = browser_session("2004", attempt, question_1_2004_calls())

    outcome = validate_commit("2004", attempt.to_json(), commit, compat=CommitCompat.STRICT)

    assert not outcome.accepted
    assert ("cmi.interactions.0.id", "406") in {(r.element, r.code) for r in outcome.refusals}


def test_a_1_2_commit_with_question_1_ids_is_accepted_with_warnings() -> None:
    calls = [
        ["cmi.core.lesson_location", "slide 4"],
        ["cmi.objectives.0.id", "Learning outcome 1"],
        ["cmi.objectives.0.status", "passed"],
        ["cmi.interactions.0.id", "Question 1"],
        ["cmi.interactions.0.type", "choice"],
        ["cmi.interactions.0.student_response", "Speak to my manager"],
        ["cmi.interactions.0.result", "correct"],
        ["cmi.interactions.0.latency", "0:00:12"],
        ["cmi.core.score.raw", "80"],
        ["cmi.core.lesson_status", "passed"],
        ["cmi.core.session_time", "0:05:00"],
    ]
    attempt = Attempt.new("1.2", launch_seed("1.2", learner_id="learner-1"))
    commit = browser_session("1.2", attempt, calls, terminate=True)

    outcome = validate_commit("1.2", attempt.to_json(), commit, terminate=True)

    assert outcome.accepted, outcome.refusals
    # scorm-again itself writes the 1.2 timespans of its commit as HH:MM:SS ("0:05:00" -> "00:05:00")
    assert {(w.element, w.deviation) for w in outcome.warnings} == {
        ("cmi.objectives.0.id", "identifier-form"),
        ("cmi.interactions.0.id", "identifier-form"),
    }
    assert outcome.result.success == "passed" and outcome.result.total_time_seconds == 300


SHARED = (("urn:carecert:shared", True, True), ("urn:carecert:read-only", True, False))


@pytest.mark.parametrize("format", ["json", "flattened"])
def test_shared_data_written_by_the_sco_reaches_the_server_in_the_commit(format: str) -> None:
    attempt = Attempt.new("2004", launch_seed("2004", learner_id="learner-1", shared_data=SHARED))
    commit = browser_session("2004", attempt, [["adl.data.0.store", "from the SCO"]], format=format)

    outcome = validate_commit("2004", attempt.to_json(), commit)

    assert outcome.accepted, outcome.refusals
    assert "adl.data.0.store" in outcome.changed  # beside scorm-again's running session_time
    assert outcome.state["values"]["adl.data.0.store"] == "from the SCO"


def test_a_write_scorm_again_lets_through_to_a_read_only_bucket_is_refused() -> None:
    # Without sharedDataMaps in its activity tree, scorm-again treats every seeded bucket as writable.
    attempt = Attempt.new("2004", launch_seed("2004", learner_id="learner-1", shared_data=SHARED))
    commit = browser_session("2004", attempt, [["adl.data.1.store", "overwritten"]])

    outcome = validate_commit("2004", attempt.to_json(), commit)

    assert [(r.element, r.code) for r in outcome.refusals] == [("adl.data.1.store", "404")]


def test_scorm_again_commits_never_carry_the_navigation_request() -> None:
    attempt = Attempt.new("2004", launch_seed("2004", learner_id="learner-1"))
    commit = browser_session("2004", attempt, [["adl.nav.request", "suspendAll"]], terminate=True)

    assert "nav" not in commit.get("adl", {})
    outcome = validate_commit("2004", attempt.to_json(), commit, terminate=True)
    assert outcome.accepted and "adl.nav.request" not in outcome.state["values"]
