"""The same SetValue calls through real scorm-again 3.4.3 (Node) and through the server's commit check.

Over every candidate of browser/candidates.py: CommitCompat.SCORM_AGAIN accepts nothing that neither
scorm-again nor the specification accepts; every value scorm-again accepts and the specification refuses is
either tolerated (with a warning) or refused for a reason DECISIONS.md gives; result-bearing elements are
judged the same in both modes. ``python -m tests.scorm.runtime.browser.compare`` prints the disagreements.
"""

from __future__ import annotations

import re

import pytest

from scorm.cmi import CmiError, new_model
from tests.scorm.runtime.browser.compare import Verdict, compare, node_available

pytestmark = pytest.mark.skipif(
    not node_available(), reason="needs node and node_modules/scorm-again (npm ci)"
)

RESULT_BEARING = re.compile(
    r"cmi\.(core\.)?(completion_status|success_status|lesson_status|progress_measure|score\..*)"
    r"|cmi\.objectives\.n\.(completion_status|success_status|status|progress_measure|score\..*)"
)

# What scorm-again accepts and both modes still refuse (the commit is refused whole): DECISIONS.md's table.
STILL_REFUSED = {
    "duration whose amount is not a number ('P.D', 'P1.2.3D')": lambda case: (
        case.family == "duration"
        and any(
            not re.fullmatch(r"\d+(?:[.,]\d+)?", amount)
            for amount in re.split("[PYMWDTHS]", case.value)
            if amount
        )
    ),
    "1.2 identifier that is blank or holds a line break": lambda case: (
        case.version == "1.2"
        and case.family == "identifier"
        and (case.value.strip() == "" or "\n" in case.value)
    ),
    "1.2 CMITimespan beyond 9999 hours": lambda case: (
        case.family == "timespan" and case.value.startswith("99999")
    ),
    "value above the server's size ceiling": lambda case: len(case.value) > 65_536,
    "navigation request SCORM does not define (bare choice, start, retry)": lambda case: (
        case.element == "adl.nav.request"
    ),
}


def pattern_of(verdict: Verdict) -> str:
    try:
        return new_model(verdict.case.version).resolve(verdict.case.element).pattern
    except CmiError:
        return verdict.case.element  # not an element at all


@pytest.fixture(scope="module")
def verdicts() -> list[Verdict]:
    return compare()


def test_the_comparison_covers_over_a_thousand_calls_of_both_versions(verdicts) -> None:
    versions = {verdict.case.version for verdict in verdicts}
    assert len(verdicts) > 1_000 and versions == {"1.2", "2004"}


def test_scorm_again_mode_accepts_only_what_the_browser_or_the_specification_accepts(verdicts) -> None:
    beyond = [
        v.case.label()
        for v in verdicts
        if v.lenient.accepted and not (v.strict.accepted or v.browser_accepts)
    ]
    assert beyond == []


def test_every_warning_is_for_a_value_the_browser_accepted(verdicts) -> None:
    warned = [v for v in verdicts if v.lenient.warnings]
    assert warned and all(v.browser_accepts and not v.strict.accepted for v in warned)


def test_every_value_the_browser_accepts_is_tolerated_or_refused_for_a_documented_reason(verdicts) -> None:
    undocumented = []
    reasons_used = set()
    for verdict in verdicts:
        if not verdict.browser_accepts or verdict.strict.accepted:
            continue
        if verdict.lenient.accepted:
            continue
        reasons = [name for name, applies in STILL_REFUSED.items() if applies(verdict.case)]
        reasons_used.update(reasons)
        if len(reasons) != 1:
            undocumented.append(verdict.case.label())
    assert undocumented == []
    assert reasons_used == set(STILL_REFUSED), "a documented refusal no candidate exercises"


def test_result_bearing_elements_are_judged_alike_in_both_modes(verdicts) -> None:
    results = [v for v in verdicts if RESULT_BEARING.fullmatch(pattern_of(v))]
    assert len(results) > 100
    assert [v.case.label() for v in results if v.lenient.accepted != v.strict.accepted] == []


def test_strict_mode_never_warns(verdicts) -> None:
    assert all(v.strict.warnings == () for v in verdicts)
