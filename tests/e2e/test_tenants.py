"""Two LMSs registered with one tool: what one LMS's instructor uploads never shows in the other's picker,
and cannot be added from there."""

from __future__ import annotations

from demo_lms.flow import parse_forms
from tests.e2e.conftest import body_attribute, refusal_code
from tests.e2e.test_deep_linking import SAMPLE_PACKAGE, unit_form_index


def unit_refs(page) -> list[str]:
    index = unit_form_index(page)
    return [] if index is None else parse_forms(page.text, page.url)[index].choices["unit"]


def upload_package(world, corpus) -> tuple[object, list[str]]:
    """The instructor uploads a package in the deep-linking picker; answers the driver and the new refs."""
    driver = world.driver()
    picker = driver.deep_link("instructor")
    before = set(unit_refs(picker))
    upload = next(form for form in parse_forms(picker.text, picker.url) if "upload" in form.action)
    with (corpus / SAMPLE_PACKAGE).open("rb") as package:
        after = driver.request("POST", upload.action, data=upload.fields, files={"package": package})
    assert after.status_code == 200, after.text[:1000]
    return driver, [ref for ref in unit_refs(after) if ref not in before]


def test_a_package_uploaded_in_one_lms_is_not_offered_in_another(world_factory, corpus):
    first = world_factory.make()
    second = world_factory.add_lms(first)
    _, uploaded = upload_package(first, corpus)
    assert uploaded, "the upload added a unit to the first LMS's picker"
    other_picker = second.driver().deep_link("instructor")
    assert other_picker.status_code == 200, other_picker.text[:1000]
    assert not set(uploaded) & set(unit_refs(other_picker))


def test_another_lms_cannot_add_a_package_it_does_not_own(world_factory, corpus):
    first = world_factory.make()
    second = world_factory.add_lms(first)
    _, uploaded = upload_package(first, corpus)
    driver = second.driver()
    picker = driver.deep_link("instructor")
    token = body_attribute(picker, "data-launch-token")
    answer = driver.request(
        "POST", second.tool_url + "/lti/deep-link/select", data={"lt": token, "unit": uploaded[0]}
    )
    assert refusal_code(answer) == "LTI-NOT-FOUND"
    assert second.platform.deep_link_responses == []
