"""Whatever text a unit holds, the builder either refuses it with UnitError or builds a package whose manifest
parses and whose launch page carries the text unchanged."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from scorm.builder import UnitError, package_files
from tests.scorm.builder.unit_fixture import make_unit

any_text = st.text(min_size=0, max_size=60)


@settings(max_examples=150, deadline=None)
@given(title=any_text, prompt=any_text, option=any_text)
def test_any_text_builds_or_is_refused_cleanly(title, prompt, option):
    unit = make_unit(title=title)
    unit["assessment"]["bank"][0]["prompt"] = prompt
    unit["assessment"]["bank"][0]["options"][0]["text"] = option
    try:
        files = package_files(unit, "2004")
    except UnitError:
        return
    manifest = etree.fromstring(files["imsmanifest.xml"])
    assert manifest.findtext("{http://www.imsglobal.org/xsd/imscp_v1p1}organizations/*/*") == title
    page = files["index.html"].decode("utf-8")
    data = json.loads(page.split('id="sco-data">', 1)[1].split("</script>", 1)[0])
    assert (data["bank"][0]["prompt"], data["bank"][0]["options"][0]["text"]) == (prompt, option)
