"""Deep linking round trip: the instructor picks a unit in the tool; the platform receives a signed
LtiDeepLinkingResponse, adds the activity and its gradebook column; a learner then launches it."""

from __future__ import annotations

import pytest

from demo_lms.flow import LaunchDriver, parse_forms
from tests.e2e.conftest import body_attribute, refusal_code

SAMPLE_PACKAGE = "packages/golf12_ContentPackagingSingleSCO.zip"


def unit_form_index(page) -> int | None:
    forms = parse_forms(page.text, page.url)
    return next((index for index, form in enumerate(forms) if "unit" in form.choices), None)


def picker_with_units(driver: LaunchDriver, corpus):
    """The tool's picker; when this LMS has no unit yet, the instructor uploads one from the corpus first."""
    picker = driver.deep_link("instructor")
    assert picker.status_code == 200, picker.text[:1000]
    if unit_form_index(picker) is None:
        upload = next(form for form in parse_forms(picker.text, picker.url) if "upload" in form.action)
        with (corpus / SAMPLE_PACKAGE).open("rb") as package:
            picker = driver.request("POST", upload.action, data=upload.fields, files={"package": package})
        assert picker.status_code == 200, picker.text[:1000]
    return picker


@pytest.fixture
def pick_first_unit(world, corpus):
    def pick():
        driver = world.driver()
        picker = picker_with_units(driver, corpus)
        index = unit_form_index(picker)
        chosen = parse_forms(picker.text, picker.url)[index].choices["unit"][0]
        return chosen, driver.submit_form(picker, {"unit": chosen}, form_index=index)

    return pick


def test_the_instructor_sees_the_tools_unit_picker(world, corpus):
    picker = picker_with_units(world.driver(), corpus)
    assert body_attribute(picker, "data-role") == "instructor"
    assert unit_form_index(picker) is not None


def test_a_picked_unit_comes_back_as_a_resource_link_with_a_line_item(world, pick_first_unit):
    links_before = set(world.platform.resource_links)
    chosen, result = pick_first_unit()
    assert result.status_code == 200, result.text[:1000]
    assert result.url.startswith(world.lms.url + "/deep_link_return")
    added = [link for link_id, link in world.platform.resource_links.items() if link_id not in links_before]
    assert len(added) == 1
    link = added[0]
    assert link.title and link.custom, (
        "the content item names the unit and identifies it in a custom parameter"
    )
    item = world.platform.line_items[link.line_item_id]
    assert item.score_maximum == 100
    assert item.label and item.resource_id and item.tag


def test_a_learner_launches_the_unit_the_instructor_added(world, pick_first_unit):
    links_before = set(world.platform.resource_links)
    pick_first_unit()
    (link_id,) = set(world.platform.resource_links) - links_before
    page = world.driver().launch("learner2", link_id)
    assert page.status_code == 200, page.text[:1000]
    assert body_attribute(page, "data-role") == "learner"
    assert world.platform.resource_links[link_id].title in page.text


def test_the_deep_linking_response_is_signed_with_a_key_of_the_tools_jwks(world, pick_first_unit):
    pick_first_unit()
    (claims,) = world.platform.deep_link_responses
    assert claims["iss"] == world.registration.client_id
    assert claims["aud"] in (world.lms.url, [world.lms.url])


def test_a_learner_in_a_deep_linking_launch_cannot_add_a_unit(world):
    driver = world.driver()
    page = driver.deep_link("learner1")
    assert "upload" not in page.text.lower() or page.status_code >= 400
    if page.status_code == 200:
        token = body_attribute(page, "data-launch-token")
        page = driver.request(
            "POST", world.tool_url + "/lti/deep-link/select", data={"lt": token, "unit": "package:1"}
        )
    assert refusal_code(page) == "LTI-ROLE-FORBIDDEN"
