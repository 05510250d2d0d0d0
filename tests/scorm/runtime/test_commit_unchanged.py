"""A commit re-sends the whole data model; only what differs from the stored state is checked again.

What the stored state holds passed its checks when it was stored, so a value sent again unchanged passes
without a fresh check; a changed value is checked as the content's SetValue would be, against everything
stored (uniqueness of identifiers, record order, write-once and read-only elements), in SCORM 1.2 and 2004.
"""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorm.runtime import Attempt, CommitCompat, launch_seed, validate_commit
from scorm.runtime.flatten import changed_leaves, flatten_data_model


def played_12() -> tuple[dict, dict]:
    """A 1.2 state after a first commit, and that commit (the body the browser keeps re-sending)."""
    state = Attempt.new("1.2", launch_seed("1.2", learner_id="l-1", learner_name="Ann")).to_json()
    body = {
        "cmi": {
            "core": {"lesson_location": "page-3", "lesson_status": "incomplete", "score": {"raw": "40"}},
            "suspend_data": "seen=1,2,3",
            "objectives": {"0": {"id": "obj-1", "status": "passed"}},
            "interactions": {
                "0": {"id": "q1", "type": "choice", "student_response": "b", "result": "correct"},
                "1": {"id": "q2", "type": "numeric", "student_response": "4", "result": "wrong"},
            },
        }
    }
    first = validate_commit("1.2", state, body)
    assert first.accepted, first.refusals
    return first.state, body


def played_2004() -> tuple[dict, dict]:
    state = Attempt.new("2004", launch_seed("2004", learner_id="l-1", learner_name="Ann")).to_json()
    body = {
        "cmi": {
            "location": "page-3",
            "completion_status": "incomplete",
            "score": {"scaled": "0.4"},
            "suspend_data": "seen=1,2,3",
            "objectives": {"0": {"id": "obj-1", "success_status": "passed"}, "1": {"id": "obj-2"}},
            "interactions": {
                "0": {"id": "q1", "type": "choice", "learner_response": "b", "result": "correct"},
                "1": {"id": "q2", "type": "numeric", "learner_response": "4", "result": "incorrect"},
            },
        }
    }
    first = validate_commit("2004", state, body)
    assert first.accepted, first.refusals
    return first.state, body


def refused(outcome) -> list[tuple[str, str]]:
    return [(refusal.element, refusal.code) for refusal in outcome.refusals]


# -- unchanged values pass ----------------------------------------------------------------------------------
def test_a_1_2_commit_that_repeats_the_stored_state_passes_and_changes_nothing() -> None:
    state, body = played_12()
    outcome = validate_commit("1.2", state, body, compat=CommitCompat.STRICT)
    assert outcome.accepted and outcome.changed == ()
    assert outcome.state["values"] == state["values"]


def test_a_2004_commit_that_repeats_the_stored_state_passes_and_changes_nothing() -> None:
    state, body = played_2004()
    outcome = validate_commit("2004", state, body, compat=CommitCompat.STRICT)
    assert outcome.accepted and outcome.changed == ()
    assert outcome.state["values"] == state["values"]


def test_a_value_stored_under_tolerance_sent_again_unchanged_passes() -> None:
    # scorm-again accepts an identifier with a space; it was stored (with a warning) and is re-sent as is.
    state, body = played_2004()
    body["cmi"]["interactions"]["2"] = {"id": "question 3", "type": "other"}
    first = validate_commit("2004", state, body)
    assert first.accepted and [w.element for w in first.warnings] == ["cmi.interactions.2.id"]
    body["cmi"]["location"] = "page-4"
    again = validate_commit("2004", first.state, body)
    assert again.accepted and again.changed == ("cmi.location",) and again.warnings == ()


# -- changed values are checked -----------------------------------------------------------------------------
def test_a_changed_bad_1_2_value_among_unchanged_ones_is_refused() -> None:
    state, body = played_12()
    body["cmi"]["core"]["score"]["raw"] = "140"
    outcome = validate_commit("1.2", state, body)
    assert refused(outcome) == [("cmi.core.score.raw", "405")]


def test_a_changed_bad_2004_value_among_unchanged_ones_is_refused() -> None:
    state, body = played_2004()
    body["cmi"]["interactions"]["1"]["result"] = "maybe"
    outcome = validate_commit("2004", state, body)
    assert refused(outcome) == [("cmi.interactions.1.result", "406")]


def test_a_changed_response_is_checked_against_the_unchanged_type() -> None:
    state, body = played_2004()
    body["cmi"]["interactions"]["1"]["learner_response"] = "not a number"
    outcome = validate_commit("2004", state, body)
    assert refused(outcome) == [("cmi.interactions.1.learner_response", "406")]


def test_a_value_added_to_a_stored_1_2_interaction_is_checked() -> None:
    state, body = played_12()
    body["cmi"]["interactions"]["1"]["latency"] = "twelve seconds"
    outcome = validate_commit("1.2", state, body)
    assert refused(outcome) == [("cmi.interactions.1.latency", "405")]


def test_a_changed_objective_id_may_not_repeat_an_unchanged_siblings() -> None:
    state, body = played_2004()
    body["cmi"]["objectives"]["2"] = {"id": "obj-1"}
    outcome = validate_commit("2004", state, body)
    assert refused(outcome) == [("cmi.objectives.2.id", "351")]


def test_a_stored_2004_objective_id_cannot_change() -> None:
    state, body = played_2004()
    body["cmi"]["objectives"]["1"]["id"] = "obj-renamed"
    outcome = validate_commit("2004", state, body)
    assert refused(outcome) == [("cmi.objectives.1.id", "351")]


def test_a_record_past_the_stored_count_is_refused_however_much_is_unchanged() -> None:
    state, body = played_12()
    body["cmi"]["interactions"]["3"] = {"id": "q4", "type": "choice"}
    outcome = validate_commit("1.2", state, body)
    assert ("cmi.interactions.3.id", "201") in refused(outcome)


def test_a_changed_read_only_value_is_refused_while_the_unchanged_ones_pass() -> None:
    state, body = played_12()
    body["cmi"]["core"]["student_name"] = "Ann"  # unchanged read-only: passes
    body["cmi"]["core"]["student_id"] = "someone-else"
    outcome = validate_commit("1.2", state, body)
    assert refused(outcome) == [("cmi.core.student_id", "403")]


def test_counts_sent_by_the_browser_are_not_taken() -> None:
    state, body = played_2004()
    body["cmi"]["interactions"]["_count"] = "7"
    outcome = validate_commit("2004", state, body)
    assert outcome.accepted and outcome.changed == ()
    assert outcome.state["counts"] == state["counts"]


# -- changed_leaves is flatten_data_model filtered by the stored values --------------------------------------
KEYS = st.sampled_from(
    ["cmi", "adl", "core", "score", "raw", "0", "1", "x[0]", "id", "", "cmi.core", "other"]
)
LEAVES = st.one_of(st.sampled_from(["a", "b", "40", ""]), st.none(), st.integers(0, 2), st.booleans())
TREES = st.recursive(
    st.dictionaries(KEYS, LEAVES, max_size=4),
    lambda children: st.one_of(st.dictionaries(KEYS, children, max_size=4), st.lists(children, max_size=3)),
    max_leaves=30,
)


def reference_leaves(data: dict) -> list[tuple[str, object]]:
    """flatten_data_model's documented result, written plainly: every leaf as (dotted name, value), a list's
    items named by position, "[n]" read as ".n", only names under cmi/adl; deeper than 12 is refused."""

    def walk(node, name: str, depth: int):
        if depth > 12:
            raise ValueError("too deep")
        items = node.items() if isinstance(node, dict) else ((str(i), v) for i, v in enumerate(node))
        for key, child in items:
            full = f"{name}.{key}" if name else key
            if isinstance(child, dict | list):
                yield from walk(child, full, depth + 1)
            elif depth + 1 > 12:
                raise ValueError("too deep")
            else:
                yield re.sub(r"\[(\d+)\]", r".\1", full), child

    if not isinstance(data, dict):
        raise ValueError("not an object")
    leaves = []
    for key, child in data.items():
        if isinstance(child, dict | list):
            leaves.extend(walk(child, key, 1))
        else:
            leaves.append((re.sub(r"\[(\d+)\]", r".\1", key), child))
    return [(name, value) for name, value in leaves if name.partition(".")[0] in ("cmi", "adl")]


@settings(max_examples=300, deadline=None)
@given(TREES, st.data())
def test_changed_leaves_are_the_leaves_that_differ_from_the_stored(tree, data) -> None:
    try:
        everything = reference_leaves(tree)
    except ValueError:
        with pytest.raises(ValueError):
            changed_leaves(tree, {})
        return
    assert flatten_data_model(tree) == everything
    names = sorted({name for name, _ in everything}) or ["cmi.x"]
    stored = data.draw(st.dictionaries(st.sampled_from(names), LEAVES, max_size=len(names)))
    absent = object()
    expected = [(name, value) for name, value in everything if stored.get(name, absent) != value]
    assert changed_leaves(tree, stored) == (len(everything), expected)


def test_changed_leaves_read_bracket_indices_and_flattened_names() -> None:
    stored = {"cmi.objectives.0.id": "obj-1", "cmi.location": "p1"}
    committed = {"cmi.objectives[0].id": "obj-1", "cmi.location": "p2", "commitSequence": 3}
    assert changed_leaves(committed, stored) == (2, [("cmi.location", "p2")])


def test_the_stored_state_is_not_modified_by_a_commit_that_changes_it() -> None:
    state, body = played_12()
    before = copy.deepcopy(state)
    body["cmi"]["core"]["lesson_location"] = "page-9"
    assert validate_commit("1.2", state, body).accepted
    assert state == before


def nested(depth: int, bottom: object) -> dict:
    """{"cmi": {"g1": {... {"gN": bottom}}}}: `bottom` at `depth` levels below "cmi"."""
    tree: object = bottom
    for level in range(depth, 0, -1):
        tree = {f"g{level}": tree}
    return {"cmi": tree}


def test_leaves_at_the_deepest_level_are_read_and_any_deeper_are_refused() -> None:
    deepest = ".".join(["cmi", *(f"g{level}" for level in range(1, 12))])
    assert changed_leaves(nested(11, "v"), {}) == (1, [(deepest, "v")])
    assert changed_leaves(nested(11, {}), {}) == (0, [])
    for too_deep in (nested(12, "v"), nested(12, {"x": "v"}), nested(11, ["v"]), nested(20, {})):
        with pytest.raises(ValueError, match="nested deeper"):
            changed_leaves(too_deep, {})


# -- the names kept between commits -----------------------------------------------------------------------
def test_a_record_sent_again_with_its_keys_in_another_order_is_compared_by_name() -> None:
    stored = {"cmi.interactions.0.id": "q1", "cmi.interactions.0.result": "correct"}
    first = {"cmi": {"interactions": {"0": {"id": "q1", "result": "correct"}}}}
    assert changed_leaves(first, stored) == (2, [])
    reordered = {"cmi": {"interactions": {"0": {"result": "wrong", "id": "q1"}}}}
    assert changed_leaves(reordered, stored) == (2, [("cmi.interactions.0.result", "wrong")])
    with_another_key = {"cmi": {"interactions": {"0": {"id": "q1", "latency": "PT1S"}}}}
    assert changed_leaves(with_another_key, stored) == (2, [("cmi.interactions.0.latency", "PT1S")])


def test_a_value_missing_from_the_stored_state_counts_as_changed_even_when_null() -> None:
    stored = {"cmi.location": "p1"}
    assert changed_leaves({"cmi": {"location": "p1", "exit": None}}, stored) == (2, [("cmi.exit", None)])


def test_the_names_kept_from_browsers_bodies_are_bounded(monkeypatch) -> None:
    from scorm.runtime import flatten

    monkeypatch.setattr(flatten, "_NAMES_KEPT_LIMIT", 50)
    monkeypatch.setattr(flatten, "_names_kept", {})
    monkeypatch.setattr(flatten, "_names_kept_count", 0)
    for number in range(200):
        junk = {"cmi": {f"group{number}": {"a": "1", "b": "2"}}}
        assert changed_leaves(junk, {f"cmi.group{number}.a": "1"}) == (2, [(f"cmi.group{number}.b", "2")])
    assert sum(len(kept.names) for kept in flatten._names_kept.values()) <= 50
