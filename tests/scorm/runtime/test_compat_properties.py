"""Properties of the commit compatibility policy over random values of every element.

CommitCompat.SCORM_AGAIN never raises; where STRICT accepts, it gives the same state without warnings; it
differs from STRICT only by tolerating a type mismatch of an element that has a tolerance; and for
result-bearing elements (statuses, scores, progress), read-only elements and values above a ceiling it
judges exactly as STRICT does.
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorm.cmi import TABLES, Access
from scorm.cmi.tolerance import SCORM_AGAIN
from scorm.runtime import Attempt, CommitCompat, validate_commit
from tests.scorm.runtime.test_properties import VALUES, VERSIONS, json_values

RESULT_BEARING = re.compile(
    r"cmi\.(core\.)?(completion_status|success_status|lesson_status|progress_measure|score\.\w+)"
    r"|cmi\.objectives\.n\.(completion_status|success_status|status|progress_measure|score\.\w+)"
)
DEVIANT = [
    "Question 1", " q1 ", "urn:bad", "a{b}", "Q 1[,]Q 2", "2039-01-01", "2026-02-30", "P1W", "PT", "P.D",
    "PT1.5H", "0:05:00", "00:75:00", "99999:00:00", "normal", "incorrect", "{lang=english}x", "english", "42",
    "s[.]5[:]1", "choice", "start", "complete", "Passed", "not attempted", "1e2", ".5", "150", "-1.5", " ",
    "x" * 70_000, "q\n1",
]  # fmt: skip
VALUE = st.one_of(VALUES, st.sampled_from(DEVIANT), st.sampled_from(DEVIANT))


def setup_for(pattern: str) -> dict[str, str]:
    """Valid values that open the records ``pattern`` lives in (index 0 everywhere)."""
    setup = {}
    if pattern.startswith("cmi.interactions.n."):
        setup = {"cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "choice"}
    elif pattern.startswith("cmi.objectives.n."):
        setup = {"cmi.objectives.0.id": "o1"}
    if pattern.startswith("cmi.interactions.n.objectives.n."):
        setup["cmi.interactions.0.objectives.0.id"] = "o1"
    return setup


@st.composite
def single_values(draw) -> tuple[str, str, dict[str, str]]:
    version = draw(VERSIONS)
    patterns = sorted(
        p for p in TABLES[version].elements if "{target}" not in p and not p.startswith("adl.data")
    )
    pattern = draw(st.sampled_from(patterns))
    element = pattern.replace(".n.", ".0.")
    committed = {**setup_for(pattern), element: draw(VALUE)}
    if pattern == "cmi.interactions.n.id":
        del committed["cmi.interactions.0.type"]  # a refused id would refuse the type after it too
    return version, pattern, committed


def both(version: str, committed: dict):
    state = Attempt.new(version).to_json()
    strict = validate_commit(version, state, committed, compat=CommitCompat.STRICT)
    lenient = validate_commit(version, state, committed, compat=CommitCompat.SCORM_AGAIN)
    return strict, lenient


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(single_values())
def test_scorm_again_mode_differs_from_strict_only_by_a_tolerated_type_mismatch(drawn) -> None:
    version, pattern, committed = drawn
    strict, lenient = both(version, committed)
    element = pattern.replace(".n.", ".0.")
    definition = TABLES[version].elements[pattern]
    value = committed[element]
    if strict.accepted:
        assert lenient.accepted and lenient.warnings == () and lenient.state == strict.state
    elif lenient.accepted:
        assert pattern in SCORM_AGAIN[version]
        assert [(r.element, r.code) for r in strict.refusals] == [
            (element, "405" if version == "1.2" else "406")
        ]
        assert [w.element for w in lenient.warnings] == [element]
        json.dumps(lenient.state)
    else:
        assert lenient.refusals == strict.refusals
    if RESULT_BEARING.fullmatch(pattern) or definition.access is Access.READ_ONLY or len(value) > 65_536:
        assert (lenient.accepted, lenient.refusals, lenient.warnings) == (
            strict.accepted,
            strict.refusals,
            (),
        )


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_scorm_again_mode_never_raises_on_any_commit(data) -> None:
    version = data.draw(VERSIONS)
    committed = data.draw(json_values(version))
    strict, lenient = both(version, committed)
    if strict.accepted:
        assert lenient.accepted and lenient.state == strict.state and lenient.warnings == ()
    if lenient.accepted:
        json.dumps(lenient.to_dict())
        assert all(w.code in ("405", "406") for w in lenient.warnings)
