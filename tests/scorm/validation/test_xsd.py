"""Strict mode validates against the schemas of a given folder, and never reads outside it."""

from __future__ import annotations

import shutil

from scorm.manifest import read_manifest
from scorm.validation import validate, validate_against_xsd
from tests.scorm.manifest.builders import manifest_xml


def test_a_valid_2004_manifest_passes_strict_validation(corpus):
    xml = manifest_xml()
    assert validate_against_xsd(xml, "2004", corpus / "xsd") == []


def test_a_schema_violation_is_cp050_with_its_line(corpus):
    xml = manifest_xml().replace(
        b'<organization identifier="org1">', b'<organization identifier="org1" colour="red">'
    )
    (problem,) = validate_against_xsd(xml, "2004", corpus / "xsd")
    assert problem.code == "CP-050" and "colour" in problem.message
    assert problem.location == "imsmanifest.xml:4"


def test_strict_runs_through_validate(corpus):
    xml = manifest_xml().replace(b"<title>Course</title>", b"<title>Course</title><oops/>")
    manifest = read_manifest(xml).manifest
    problems = validate(
        manifest, ["imsmanifest.xml", "index.html"], strict=True, xsd_dir=corpus / "xsd", manifest_xml=xml
    )
    assert [p.code for p in problems] == ["CP-050"]


def test_missing_schema_folder_is_a_cp051_warning(tmp_path):
    (problem,) = validate_against_xsd(manifest_xml(), "2004", tmp_path / "none")
    assert (problem.code, problem.severity) == ("CP-051", "warning")


def test_12_without_its_schemas_in_the_folder_is_cp051(corpus):
    (problem,) = validate_against_xsd(manifest_xml(version="1.2"), "1.2", corpus / "xsd")
    assert problem.code == "CP-051" and "imscp_rootv1p1p2.xsd" in problem.message


def test_schema_imports_outside_the_folder_are_not_served(corpus, tmp_path):
    folder = tmp_path / "xsd"
    shutil.copytree(corpus / "xsd", folder)
    outside = tmp_path / "outside.xsd"
    outside.write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>')
    imscp = folder / "imscp_v1p1.xsd"
    text = imscp.read_text()
    imscp.write_text(
        text.replace("<xsd:import", '<xsd:include schemaLocation="../outside.xsd"/><xsd:import', 1)
    )
    (problem,) = validate_against_xsd(manifest_xml(), "2004", folder)
    assert problem.code == "CP-051"
