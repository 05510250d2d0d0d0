"""Property tests: random API call sequences and random commits give only specification error codes,
never an exception, and the state always serialises and round-trips."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorm.cmi import ERROR_STRINGS, TABLES
from scorm.runtime import Attempt
from scorm.runtime.commit import validate_commit

VERSIONS = st.sampled_from(["1.2", "2004"])
WORDS = [
    "true", "false", "choice", "other", "numeric", "fill-in", "matching", "completed", "passed", "failed",
    "incomplete", "unknown", "not attempted", "suspend", "normal", "continue", "{target=a}choice", "correct",
    "wrong", "1", "0", "-1", "0.5", "100", "150", "1e3", "PT1M", "P1DT2H", "00:01:00", "13:00:00",
    "2026-11-22T09:30:00.5Z", "a[,]b", "1[.]a", "1[:]2", "{lang=en}hi", "{case_matters=true}x", "obj 1", "",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.text(max_size=40),
    st.decimals(allow_nan=False).map(str),
)


def element_names(version: str) -> st.SearchStrategy[str]:
    patterns = sorted(TABLES[version].elements) + sorted(TABLES[version].collections)
    table_names = st.builds(
        lambda pattern, indices, keyword: _fill(pattern, indices) + keyword,
        st.sampled_from(patterns),
        st.lists(st.integers(0, 1), min_size=2, max_size=2),
        st.sampled_from([""] * 8 + ["._count", "._children", "._version"]),
    )
    junk = st.one_of(
        st.text(max_size=30),
        st.sampled_from(["", ".", "cmi.", "cmi..x", "cmi.0", "adl.nav.request_valid.choice"]),
    )
    return st.one_of(table_names, table_names, table_names, table_names, junk)


def _fill(pattern: str, indices: list[int]) -> str:
    for index in indices:
        pattern = pattern.replace(".n.", f".{index}.", 1)
    return pattern.replace("{target}", "{target=sco-1}").removesuffix(".n")


@st.composite
def call_sequences(draw) -> tuple[str, list]:
    version = draw(VERSIONS)
    names = element_names(version)
    setting = st.tuples(st.just("SetValue"), names, VALUES)
    call = st.one_of(
        setting,
        setting,
        setting,
        setting,
        st.tuples(st.just("GetValue"), names),
        st.tuples(st.just("GetValue"), names),
        st.tuples(
            st.sampled_from(["Initialize", "Commit", "Commit", "Terminate"]), st.sampled_from(["", "", "x"])
        ),
        st.tuples(
            st.sampled_from(["GetErrorString", "GetDiagnostic"]), st.sampled_from(["", "0", "201", "999"])
        ),
        st.tuples(st.just("GetLastError")),
    )
    calls = draw(st.lists(call, max_size=60))
    return version, [("Initialize", "")] + calls


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(call_sequences())
def test_random_api_calls_give_only_specification_codes_and_state_serialises(sequence) -> None:
    version, calls = sequence
    attempt = Attempt.new(version)
    for method, *arguments in calls:
        returned = attempt.call(method, *arguments)
        assert isinstance(returned, str)
        error = attempt.get_last_error()
        assert error in ERROR_STRINGS[version]
        if method in ("SetValue", "Initialize", "Commit", "Terminate"):
            assert returned in ("true", "false")
            assert (returned == "true") == (error == "0")
    state = json.loads(json.dumps(attempt.to_json()))
    restored = Attempt.from_json(state)
    assert restored.model.values == attempt.model.values
    assert restored.model.counts == attempt.model.counts
    attempt.result()


def json_values(version: str):
    leaf = st.one_of(VALUES, st.integers(), st.none(), st.booleans())
    names = element_names(version)
    return st.dictionaries(names, leaf, max_size=15)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_commits_are_accepted_or_refused_cleanly(data) -> None:
    version = data.draw(VERSIONS)
    committed = data.draw(json_values(version))
    outcome = validate_commit(version, Attempt.new(version).to_json(), committed)
    if outcome.accepted:
        json.dumps(outcome.state)
        assert outcome.result is not None
    else:
        assert outcome.state is None
        assert all(refusal.code in ERROR_STRINGS[version] for refusal in outcome.refusals)
