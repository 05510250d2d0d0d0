"""Every unit of the real catalogue plays in Chromium: resume mid-unit, fail with wrong answers, pass on the
next try, with interactions and objectives in the saved state; and its pages pass axe-core.

Each unit is played in one SCORM version, the versions taken in turn (half the units each): what differs
between the versions is the SCO's run-time wrapper, the same for every unit and played in both versions by
test_sco_reporting and test_sco_resume, while what differs between units (pages, questions, outcomes) is
the same in both builds. Playing all 15 units twice cost about four minutes of the suite for no new check."""

from __future__ import annotations

import pytest

from tests.scorm.builder.test_sco_resume import saved_state

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def catalogue_units() -> list[dict]:
    try:
        from lti_tool.catalogue import load_catalogue
    except ImportError:
        return []
    return load_catalogue()


UNITS = catalogue_units()
UNIT_IDS = [unit["id"] for unit in UNITS] or ["none"]
UNITS_AND_VERSIONS = [(unit_id, ("1.2", "2004")[n % 2]) for n, unit_id in enumerate(UNIT_IDS)]


def unit_by_id(unit_id: str) -> dict:
    if not UNITS:
        pytest.skip("the catalogue has no units yet")
    return next(unit for unit in UNITS if unit["id"] == unit_id)


@pytest.mark.parametrize(("unit_id", "version"), UNITS_AND_VERSIONS)
def test_unit_resumes_fails_then_passes(learner, unit_id, version):
    unit = unit_by_id(unit_id)
    first = learner(version, unit=unit)
    first.click("#next-page")
    first.leave()
    second = learner(version, unit=unit, seed=saved_state(first))
    second.click("#resume-continue")
    assert second.visible_heading() == unit["pages"][1]["title"]
    for _ in unit["pages"][1:]:
        second.click("#next-page")
    second.take_check(right=False)
    second.click("#try-again")
    for _ in range(unit["assessment"]["questions_per_attempt"]):
        second.answer(right=True)
        second.click("#next-question")
    cmi = second.cmi()
    status = cmi["core"]["lesson_status"] if version == "1.2" else cmi["success_status"]
    assert status == "passed"
    assert len(cmi["interactions"]) == 2 * unit["assessment"]["questions_per_attempt"]
    assert {o["id"] for o in cmi["objectives"].values()} == {o["id"] for o in unit["learning_outcomes"]}


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_unit_pages_and_questions_pass_axe(learner, unit_id):
    unit = unit_by_id(unit_id)
    session = learner("2004", unit=unit)
    violations = session.axe_violations()
    session.read_all_pages()
    session.click("#check-start")
    session.answer(right=False)
    assert violations + session.axe_violations() == []
