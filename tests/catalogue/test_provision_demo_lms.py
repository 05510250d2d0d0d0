"""The catalogue out of the box, end to end: two demo LMSs (lti1p3platform) register with a fresh tool, each
instructor adds a catalogue unit through deep linking, and a learner of each LMS opens it in the player."""

from __future__ import annotations

from demo_lms.flow import parse_forms
from tests.e2e.conftest import make_world, world_factory  # noqa: F401 - fixtures

TITLE_U14 = "Infection prevention and control"
CATALOGUE_REFS = [f"catalogue:u{number:02d}" for number in range(1, 16)]


def add_unit_through_deep_linking(world, unit_ref: str):  # type: ignore[no-untyped-def]
    driver = world.driver()
    picker = driver.deep_link("instructor")
    forms = parse_forms(picker.text, picker.url)
    index = next(position for position, form in enumerate(forms) if "unit" in form.choices)
    offered = forms[index].choices["unit"]
    links_before = set(world.platform.resource_links)
    answer = driver.submit_form(picker, {"unit": unit_ref}, form_index=index)
    assert answer.status_code == 200, answer.text[:1000]
    (link_id,) = set(world.platform.resource_links) - links_before
    return offered, world.platform.resource_links[link_id]


def test_every_lms_adds_a_catalogue_unit_and_its_learners_play_it(world_factory):  # noqa: F811
    first = world_factory.make()
    second = world_factory.add_lms(first)
    chosen = ((first, "catalogue:u03", "Duty of care"), (second, "catalogue:u14", TITLE_U14))
    for world, unit_ref, title in chosen:
        offered, link = add_unit_through_deep_linking(world, unit_ref)
        assert [ref for ref in offered if ref.startswith("catalogue:")] == CATALOGUE_REFS
        assert link.custom == {"unit": unit_ref} and link.title == title
        line_item = world.platform.line_items[link.line_item_id]
        assert line_item.resource_id == unit_ref and line_item.score_maximum == 100
        page = world.driver().launch("learner1", link.id)
        assert page.status_code == 200 and "/player?" in page.url, page.text[:1000]
        assert 'id="player-config"' in page.text and title in page.text
