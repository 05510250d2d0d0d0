"""A built package: reproducible bytes, the files a single-SCO package needs, no way out to the network,
and unit text that stays text."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest
from lxml import etree

from scorm.builder import (
    SCORM_VERSIONS,
    build_package,
    build_package_bytes,
    package_filename,
    package_files,
    package_identifier,
)
from tests.scorm.builder.unit_fixture import make_unit

URL = re.compile(rb"https?://", re.IGNORECASE)


def entries(package: bytes) -> list[zipfile.ZipInfo]:
    return zipfile.ZipFile(io.BytesIO(package)).infolist()


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_the_same_unit_builds_to_byte_identical_zips(version):
    assert build_package_bytes(make_unit(), version) == build_package_bytes(make_unit(), version)


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_entries_are_sorted_with_a_fixed_timestamp_and_mode(version):
    infos = entries(build_package_bytes(make_unit(), version))
    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_a_content_change_changes_the_bytes():
    assert build_package_bytes(make_unit(), "2004") != build_package_bytes(make_unit(title="Other"), "2004")


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_the_package_holds_manifest_launch_page_and_sco_assets(version):
    names = {info.filename for info in entries(build_package_bytes(make_unit(), version))}
    assert names == {"imsmanifest.xml", "index.html", "lms.js", "quiz.js", "sco.js", "sco.css"}


def test_identifier_and_file_name_carry_unit_id_and_version():
    unit = make_unit()
    assert package_identifier(unit) == "carecert-u99-v3"
    assert package_filename(unit, "1.2") == "carecert-u99-v3-scorm12.zip"
    assert package_filename(unit, "2004") == "carecert-u99-v3-scorm2004.zip"


def test_build_package_writes_the_zip_into_a_new_folder(tmp_path):
    target = build_package(make_unit(), "2004", tmp_path / "new" / "folder")
    assert target == tmp_path / "new" / "folder" / "carecert-u99-v3-scorm2004.zip"
    assert target.read_bytes() == build_package_bytes(make_unit(), "2004")
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_an_unknown_scorm_version_is_refused():
    with pytest.raises(ValueError, match="scorm_version must be one of 1.2, 2004"):
        build_package_bytes(make_unit(), "1.3")


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_no_file_but_the_manifest_mentions_a_web_address(version):
    files = package_files(make_unit(), version)
    assert [
        name for name, content in files.items() if name != "imsmanifest.xml" and URL.search(content)
    ] == []


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_the_manifest_mentions_web_addresses_only_as_namespace_names(version):
    root = etree.fromstring(package_files(make_unit(), version)["imsmanifest.xml"])
    namespaces = set(root.nsmap.values())
    for element in root.iter():
        assert not URL.search((element.text or "").encode())
        for name, value in element.attrib.items():
            if name.endswith("schemaLocation"):
                tokens = value.split()
                assert set(tokens[0::2]) <= namespaces and not any(
                    URL.match(t.encode()) for t in tokens[1::2]
                )
            else:
                assert not URL.search(value.encode()), (name, value)


class MetaReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and "http-equiv" in attributes:
            self.meta[attributes["http-equiv"]] = attributes["content"]


def test_the_launch_page_declares_british_english_and_a_no_network_policy():
    page = package_files(make_unit(), "2004")["index.html"].decode()
    reader = MetaReader()
    reader.feed(page)
    assert '<html lang="en-GB">' in page
    assert reader.meta["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self';")


class ScriptCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.h1_text: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))
        self._in_h1 = tag == "h1"

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1_text.append(data)


HOSTILE = '<script>alert("x")</script> & </script><img src=x onerror=alert(1)>'


def hostile_unit():
    unit = make_unit(title=HOSTILE, summary=HOSTILE)
    unit["pages"][0]["title"] = HOSTILE
    unit["pages"][0]["blocks"].append({"type": "paragraph", "text": HOSTILE})
    unit["assessment"]["bank"][0]["prompt"] = HOSTILE
    unit["assessment"]["bank"][0]["feedback"]["correct"] = HOSTILE
    return unit


def test_hostile_unit_text_is_escaped_in_the_launch_page():
    page = package_files(hostile_unit(), "2004")["index.html"].decode()
    parser = ScriptCounter()
    parser.feed(page)
    # Only the data element and the three package scripts: no script or img smuggled in by the text.
    assert [s.get("src") for s in parser.scripts] == [None, "lms.js", "quiz.js", "sco.js"]
    assert "<img" not in page
    assert "".join(parser.h1_text) == HOSTILE


def test_hostile_question_text_survives_the_data_element_unchanged():
    page = package_files(hostile_unit(), "2004")["index.html"].decode()
    data_text = page.split('<script type="application/json" id="sco-data">', 1)[1].split("</script>", 1)[0]
    data = json.loads(data_text)
    assert data["bank"][0]["prompt"] == HOSTILE
    assert data["bank"][0]["feedback"]["correct"] == HOSTILE


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_hostile_text_in_the_manifest_is_escaped_xml(version):
    root = etree.fromstring(package_files(hostile_unit(), version)["imsmanifest.xml"])
    package_ns = root.nsmap[None]
    titles = [el.text for el in root.iter() if el.tag == f"{{{package_ns}}}title"]
    assert titles == [HOSTILE, HOSTILE]


def test_the_script_data_carries_the_assessment_rules():
    page = package_files(make_unit(), "1.2")["index.html"].decode()
    data = json.loads(page.split('id="sco-data">', 1)[1].split("</script>", 1)[0])
    assert (data["scormVersion"], data["passMark"], data["questionsPerAttempt"]) == ("1.2", 75, 4)
    assert data["pageIds"] == ["p01", "p02", "p03"]
    assert [(q["id"], q["type"], q["correct"]) for q in data["bank"]][:3] == [
        ("q01", "choice", "b"),
        ("q02", "true-false", "false"),
        ("q03", "choice", "b"),
    ]
    assert data["bank"][2]["scenario"].startswith("You have just emptied a commode")


def test_the_results_screen_names_the_outcomes_an_assessor_must_still_observe():
    page = package_files(make_unit(), "2004")["index.html"].decode()
    note = page.split('id="observation-note"', 1)[1].split("</section>", 1)[0]
    assert "Still to do at work" in note
    assert "<li>Know how to wash your hands well.</li>" in note
    assert "Know when to wash your hands." not in note


def test_no_observation_note_when_the_unit_needs_no_observation():
    unit = make_unit(observation={"required": False, "outcomes": [], "guidance": ""})
    assert 'id="observation-note"' not in package_files(unit, "2004")["index.html"].decode()
