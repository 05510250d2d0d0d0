"""Each manifest rule: the smallest manifest that breaks it gets exactly its code, at the right line."""

from __future__ import annotations

from scorm.manifest import read_manifest
from scorm.problems import Problem
from scorm.validation import validate
from tests.scorm.manifest.builders import manifest_xml

FILES = ["imsmanifest.xml", "index.html"]


def problems_of(xml: bytes, files: list[str] = FILES) -> list[Problem]:
    reading = read_manifest(xml)
    assert reading.manifest is not None, reading.problems
    return validate(reading.manifest, files)


def codes_of(xml: bytes, files: list[str] = FILES) -> list[str]:
    return sorted(p.code for p in problems_of(xml, files))


def test_a_sound_manifest_has_no_problems():
    assert problems_of(manifest_xml()) == []
    assert problems_of(manifest_xml(version="1.2")) == []


def test_unknown_version_is_cp020():
    xml = b'<manifest identifier="m"><organizations default="o"><organization identifier="o"><title>T</title>'
    xml += b'<item identifier="i" identifierref="r"><title>I</title></item></organization></organizations>'
    xml += b'<resources><resource identifier="r" type="webcontent" href="index.html"/></resources></manifest>'
    assert "CP-020" in codes_of(xml)


def test_missing_schemaversion_is_a_cp021_warning():
    (problem,) = problems_of(manifest_xml(schemaversion=None))
    assert (problem.code, problem.severity) == ("CP-021", "warning")


def test_unknown_schemaversion_is_cp022_and_contradiction_is_cp023():
    assert codes_of(manifest_xml(schemaversion="CAM 9")) == ["CP-022"]
    assert codes_of(manifest_xml(schemaversion="1.2")) == ["CP-023"]


def test_manifest_without_identifier_is_cp024():
    assert codes_of(manifest_xml().replace(b'identifier="m1" ', b"")) == ["CP-024"]


def test_no_organisation_is_synthesised_with_cp030():
    (problem,) = problems_of(manifest_xml(organizations="<organizations/>"))
    assert (problem.code, problem.severity) == ("CP-030", "warning")


def test_broken_default_is_an_error_in_2004_and_a_warning_in_12():
    broken_2004 = manifest_xml().replace(b'default="org1"', b'default="nowhere"')
    broken_12 = manifest_xml(version="1.2").replace(b'default="org1"', b'default="nowhere"')
    assert [(p.code, p.severity) for p in problems_of(broken_2004)] == [("CP-031", "error")]
    assert [(p.code, p.severity) for p in problems_of(broken_12)] == [("CP-032", "warning")]


def test_missing_default_attribute_is_reported_too():
    assert codes_of(manifest_xml().replace(b' default="org1"', b"")) == ["CP-031"]


def test_organisation_without_identifier_or_title():
    assert "CP-033" in codes_of(
        manifest_xml().replace(b'<organization identifier="org1">', b"<organization>")
    )
    assert codes_of(manifest_xml().replace(b"<title>Course</title>", b"")) == ["CP-034"]


def test_item_without_identifier_or_title():
    no_id = '<item identifierref="res1"><title>T</title></item>'
    no_title = '<item identifier="i1" identifierref="res1"/>'
    assert codes_of(manifest_xml(items=no_id)) == ["CP-035"]
    assert codes_of(manifest_xml(items=no_title)) == ["CP-036"]


def test_item_pointing_at_a_missing_resource_is_cp040_at_the_items_line():
    items = '<item identifier="i1" identifierref="res1"><title>T</title></item>\n'
    items += '<item identifier="i2" identifierref="ghost"><title>T</title></item>'
    (problem,) = problems_of(manifest_xml(items=items))
    assert problem.code == "CP-040" and "ghost" in problem.message
    assert problem.location == "imsmanifest.xml:5"


def test_sco_without_href_is_cp041():
    resources = '<resource identifier="res1" type="webcontent" adlcp:scormType="sco"/>'
    assert codes_of(manifest_xml(resources=resources)) == ["CP-041", "CP-046"]


def test_launch_file_missing_is_cp042_and_names_a_case_mismatch():
    problems = problems_of(manifest_xml(), ["imsmanifest.xml", "Index.html"])
    assert sorted(p.code for p in problems) == ["CP-042", "CP-043"]  # launched and listed
    problem = next(p for p in problems if p.code == "CP-042")
    assert "Index.html" in problem.message
    assert problem.severity == "error"


def test_launch_query_is_not_part_of_the_file_name():
    resources = (
        '<resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html?x=1#top"/>'
    )
    assert codes_of(manifest_xml(resources=resources)) == []


def test_listed_file_absent_is_only_a_warning():
    resources = (
        '<resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html">'
        '<file href="index.html"/><file href="gone.js"/></resource>'
    )
    (problem,) = problems_of(manifest_xml(resources=resources))
    assert (problem.code, problem.severity) == ("CP-043", "warning")


def test_duplicate_identifiers_are_cp044_once_each():
    items = '<item identifier="dup" identifierref="res1"><title>A</title></item>'
    items += '<item identifier="dup" identifierref="res1"><title>B</title></item>'
    assert codes_of(manifest_xml(items=items)) == ["CP-044"]
    assert codes_of(manifest_xml(items=items.replace('"dup"', '"res1"', 1).replace('"dup"', '"x"'))) == [
        "CP-044"
    ]


def test_dependency_pointing_nowhere_is_a_cp045_warning():
    resources = (
        '<resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html">'
        '<dependency identifierref="nothing"/></resource>'
    )
    assert codes_of(manifest_xml(resources=resources)) == ["CP-045"]


def test_resource_without_scorm_type_or_identifier():
    no_type = '<resource identifier="res1" type="webcontent" href="index.html"/>'
    assert codes_of(manifest_xml(resources=no_type)) == ["CP-038"]
    extra = '<resource type="webcontent" adlcp:scormType="asset" href="index.html"/>'
    assert codes_of(
        manifest_xml(resources=no_type.replace("<resource", '<resource adlcp:scormType="sco"') + extra)
    ) == ["CP-039"]


def test_launch_outside_the_package_is_cp048():
    resources = (
        '<resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="../../etc/passwd"/>'
    )
    assert codes_of(manifest_xml(resources=resources)) == ["CP-048"]


def test_external_launch_is_a_cp049_warning():
    resources = (
        '<resource identifier="res1" type="webcontent" adlcp:scormType="asset" href="https://x.test/a"/>'
    )
    assert codes_of(manifest_xml(resources=resources)) == ["CP-049"]


def test_manifest_only_package_is_cp052_instead_of_missing_files():
    assert codes_of(manifest_xml(), ["imsmanifest.xml", "imscp_v1p1.xsd"]) == ["CP-052"]


def test_2004_cluster_naming_a_resource_is_cp060():
    items = (
        '<item identifier="c" identifierref="res1"><title>C</title>'
        '<item identifier="i" identifierref="res1"><title>I</title></item></item>'
    )
    assert codes_of(manifest_xml(items=items)) == ["CP-060"]
    assert codes_of(manifest_xml(version="1.2", items=items)) == []


def test_nothing_launchable_is_cp046():
    items = '<item identifier="c"><title>C</title></item>'
    assert codes_of(manifest_xml(items=items)) == ["CP-046"]


def test_reading_notes_are_included():
    items = '<item identifier="i1" identifierref="res1" isvisible="sometimes"><title>T</title></item>'
    assert codes_of(manifest_xml(items=items)) == ["CP-070"]


def sequenced_item(sequencing: str) -> bytes:
    return manifest_xml(
        items=f'<item identifier="i1" identifierref="res1"><title>T</title>{sequencing}</item>'
    )


def test_rule_condition_on_an_undefined_objective_is_cp075():
    rule = (
        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition "
        'referencedObjective="{ref}" condition="satisfied"/></imsss:ruleConditions><imsss:ruleAction '
        'action="skip"/></imsss:preConditionRule></imsss:sequencingRules>'
    )
    objectives = '<imsss:objectives><imsss:primaryObjective objectiveID=" obj   one "/></imsss:objectives>'
    defined = sequenced_item(f"<imsss:sequencing>{rule.format(ref='obj one')}{objectives}</imsss:sequencing>")
    undefined = sequenced_item(f"<imsss:sequencing>{rule.format(ref='other')}{objectives}</imsss:sequencing>")
    assert codes_of(defined) == []  # anyURI whitespace is collapsed before comparing
    assert codes_of(undefined) == ["CP-075"]


def test_map_info_without_target_is_cp076():
    objectives = (
        '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p">'
        '<imsss:mapInfo readSatisfiedStatus="true"/></imsss:primaryObjective></imsss:objectives>'
        "</imsss:sequencing>"
    )
    assert codes_of(sequenced_item(objectives)) == ["CP-076"]


def test_extended_objective_without_its_imsss_objective_is_cp077():
    sequencing = (
        '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p"/></imsss:objectives>'
        '<adlseq:objectives><adlseq:objective objectiveID="{id}"><adlseq:mapInfo targetObjectiveID="g"/>'
        "</adlseq:objective></adlseq:objectives></imsss:sequencing>"
    )
    assert codes_of(sequenced_item(sequencing.format(id="p"))) == []
    assert codes_of(sequenced_item(sequencing.format(id="q"))) == ["CP-077"]
