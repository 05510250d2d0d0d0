"""The manifests say what SCORM 1.2 and SCORM 2004 4th Edition require, validate against the schemas in the
shared corpus, and pass the project's own importer."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from scorm.builder import SCORM_VERSIONS, build_package, package_files
from scorm.builder.manifest import NS_12, NS_2004, SCHEMA_FILES_12, SCHEMA_FILES_2004
from tests.scorm.builder.unit_fixture import make_unit
from tests.scorm.builder.xsd_support import load_schema, schema_problems


def manifest(version: str, **changes) -> etree._Element:
    return etree.fromstring(package_files(make_unit(**changes), version)["imsmanifest.xml"])


def find(root: etree._Element, path: str, ns: dict) -> list:
    names = {prefix or "cp": uri for prefix, uri in ns.items()}
    return root.xpath(path, namespaces=names)


def test_scorm_12_manifest_uses_the_12_namespaces_and_schema_version():
    root = manifest("1.2")
    assert root.nsmap[None] == "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    assert root.nsmap["adlcp"] == "http://www.adlnet.org/xsd/adlcp_rootv1p2"
    assert find(root, "string(cp:metadata/cp:schemaversion)", NS_12) == "1.2"
    assert root.get("identifier") == "carecert-u99-v3"


def test_scorm_12_mastery_score_is_the_pass_mark():
    assert find(manifest("1.2"), "string(//cp:item/adlcp:masteryscore)", NS_12) == "75"


def test_scorm_12_mastery_score_rounds_a_fractional_pass_mark_up():
    unit = make_unit()
    unit["assessment"]["pass_mark"] = 66.7
    root = etree.fromstring(package_files(unit, "1.2")["imsmanifest.xml"])
    assert find(root, "string(//cp:item/adlcp:masteryscore)", NS_12) == "67"


def test_scorm_12_resource_is_one_sco_launching_index_html():
    resources = find(manifest("1.2"), "//cp:resource", NS_12)
    assert len(resources) == 1
    assert resources[0].get(f"{{{NS_12['adlcp']}}}scormtype") == "sco"
    assert resources[0].get("href") == "index.html"


def test_scorm_12_metadata_carries_title_and_description():
    root = manifest("1.2")
    general = "cp:metadata/imsmd:lom/imsmd:general"
    assert find(root, f"string({general}/imsmd:title/imsmd:langstring)", NS_12) == "Test unit: washing hands"
    assert find(root, f"string({general}/imsmd:description/imsmd:langstring)", NS_12).startswith(
        "You will know"
    )


def test_scorm_2004_manifest_declares_4th_edition_with_every_namespace_and_schema_location():
    root = manifest("2004")
    assert find(root, "string(cp:metadata/cp:schemaversion)", NS_2004) == "2004 4th Edition"
    locations = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    assert dict(zip(locations[0::2], locations[1::2], strict=True)) == SCHEMA_FILES_2004
    assert {"adlcp", "adlseq", "adlnav", "imsss"} <= set(root.nsmap)


def test_scorm_2004_primary_objective_is_satisfied_by_the_pass_mark():
    primary = find(
        manifest("2004"), "//cp:item/imsss:sequencing/imsss:objectives/imsss:primaryObjective", NS_2004
    )
    assert primary[0].get("satisfiedByMeasure") == "true"
    assert find(primary[0], "string(imsss:minNormalizedMeasure)", NS_2004) == "0.7500"


def test_scorm_2004_has_one_objective_per_learning_outcome():
    objectives = find(manifest("2004"), "//imsss:objectives/imsss:objective", NS_2004)
    assert [o.get("objectiveID") for o in objectives] == ["LO1", "LO2"]
    assert {find(o, "string(imsss:minNormalizedMeasure)", NS_2004) for o in objectives} == {"0.7500"}


def test_scorm_2004_content_sets_completion_and_success():
    controls = find(manifest("2004"), "//imsss:deliveryControls", NS_2004)[0]
    assert controls.get("completionSetByContent") == "true"
    assert controls.get("objectiveSetByContent") == "true"


def test_scorm_2004_metadata_carries_title_and_description_as_lom():
    general = find(manifest("2004"), "cp:metadata/lom:lom/lom:general", NS_2004)[0]
    assert find(general, "string(lom:title/lom:string)", NS_2004) == "Test unit: washing hands"
    assert find(general, "string(lom:description/lom:string)", NS_2004).startswith("You will know")
    assert find(general, "string(lom:identifier/lom:entry)", NS_2004) == "carecert-u99-v3"


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_every_package_file_but_the_manifest_is_listed_in_the_resource(version):
    files = package_files(make_unit(), version)
    ns = NS_12 if version == "1.2" else NS_2004
    listed = find(etree.fromstring(files["imsmanifest.xml"]), "//cp:resource/cp:file/@href", ns)
    assert sorted(listed) == sorted(set(files) - {"imsmanifest.xml"})


@pytest.fixture(scope="module")
def xsd_folder(corpus) -> Path:
    return corpus / "xsd"


def schema_for(xsd_folder: Path, schema_files: dict[str, str]) -> etree.XMLSchema:
    missing = sorted(name for name in schema_files.values() if not (xsd_folder / name).is_file())
    if missing:
        pytest.skip(f"the corpus schema folder has no {', '.join(missing)}")
    return load_schema(xsd_folder, schema_files)


def test_scorm_2004_manifest_validates_against_the_corpus_schemas(xsd_folder):
    schema = schema_for(xsd_folder, SCHEMA_FILES_2004)
    assert schema_problems(schema, package_files(make_unit(), "2004")["imsmanifest.xml"]) == []


def test_the_schema_check_catches_a_broken_manifest(xsd_folder):
    schema = schema_for(xsd_folder, SCHEMA_FILES_2004)
    broken = package_files(make_unit(), "2004")["imsmanifest.xml"].replace(b"0.7500", b"1.5")
    assert any("minNormalizedMeasure" in problem for problem in schema_problems(schema, broken))


def test_scorm_12_manifest_validates_against_the_corpus_schemas(xsd_folder):
    # The corpus holds no SCORM 1.2 schemas (imscp_rootv1p1p2.xsd, adlcp_rootv1p2.xsd) at the time of writing;
    # this test runs as soon as they are added.
    schema = schema_for(xsd_folder, {k: v for k, v in SCHEMA_FILES_12.items() if "imsmd" not in v})
    assert schema_problems(schema, package_files(make_unit(), "1.2")["imsmanifest.xml"]) == []


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_the_projects_importer_accepts_the_package_without_problems(version, tmp_path, xsd_folder):
    inspect = pytest.importorskip("scorm.inspect", reason="scorm.inspect is not available")
    report = inspect.inspect_package(
        build_package(make_unit(), version, tmp_path), strict=True, xsd_dir=xsd_folder, check_files=True
    )
    # The strict check says when it had to be skipped for want of schemas (SCORM 1.2 here): not a problem
    # with the package.
    problems = [p for p in report.problems if "strict check skipped" not in p.message]
    assert report.importable
    assert problems == []
    assert (report.version, report.title) == (version, "Test unit: washing hands")
