"""The shared corpus via inspect_package: real packages import; malformed ones are refused, with reasons."""

from __future__ import annotations

import pytest

from scorm.inspect import inspect_package

# file, version, edition, SCO count, launch of the first SCO (None when the package has no SCO)
PACKAGES = [
    ("golf12_ContentPackagingSingleSCO.zip", "1.2", None, 1, "shared/launchpage.html"),
    ("golf12_RuntimeBasicCalls.zip", "1.2", None, 1, "shared/launchpage.html"),
    ("golf12_ContentPackagingOneFilePerSCO_multiSCO.zip", "1.2", None, 0, None),
    ("golf2004e2_ContentPackagingSingleSCO.zip", "2004", 2, 1, "shared/launchpage.html"),
    ("golf2004e3_ContentPackagingMetadata.zip", "2004", 3, 1, "shared/launchpage.html"),
    ("golf2004e3_RunTimeAdvancedCalls.zip", "2004", 3, 1, "shared/launchpage.html"),
    ("golf2004e3_RuntimeBasicCalls.zip", "2004", 3, 1, "shared/launchpage.html"),
    ("golf2004e3_SequencingForcedSequential.zip", "2004", 3, 5, "shared/launchpage.html?content=playing"),
    ("golf2004e3_SequencingRandomTest.zip", "2004", 3, 8, "shared/launchpage.html?content=playing"),
    ("moodle_complexscorm_12.zip", "1.2", None, 7, "index.html"),
]

# file, the code that explains the refusal
REFUSED = [
    ("moodle_invalid_no_manifest.zip", "CP-001"),
    ("moodle_badscorm_manifest_in_subdir.zip", "CP-002"),
    ("moodle_validaicc_stub.zip", "CP-003"),
    ("parser_MalformedXml_SCORM12.zip", "CP-010"),
    ("adlcts_CM-01-broken-default-org.zip", "CP-031"),
    ("parser_InvalidMissingOrgIdentifier_SCORM20043rdEdition.zip", "CP-033"),
    ("parser_MissingRequiredFields_SCORM12.zip", "CP-034"),
    ("parser_ItemWithNonExistentResourceId_SCORM12.zip", "CP-040"),
    ("parser_MissingLaunchUrl_SCORM12.zip", "CP-041"),
]


@pytest.mark.parametrize(("name", "version", "edition", "sco_count", "first_launch"), PACKAGES)
def test_every_corpus_package_imports_with_its_facts(corpus, name, version, edition, sco_count, first_launch):
    report = inspect_package(corpus / "packages" / name, check_files=True)
    assert report.importable, report.problems
    assert (report.version, report.edition, len(report.scos)) == (version, edition, sco_count)
    assert (report.scos[0].launch if report.scos else None) == first_launch


def test_the_corpus_has_no_package_this_table_forgets(corpus):
    assert sorted(p.name for p in (corpus / "packages").glob("*.zip")) == sorted(row[0] for row in PACKAGES)
    listed = {row[0] for row in REFUSED} | {
        "parser_ContentPackagingNoSchemaVersion_SCORM20042ndEdition.zip",
        "moodle_singlescobasic_missingorg.zip",
    }
    assert sorted(p.name for p in (corpus / "malformed").glob("*.zip")) == sorted(listed)


@pytest.mark.parametrize(("name", "code"), REFUSED)
def test_every_malformed_package_is_refused_with_its_reason(corpus, name, code):
    report = inspect_package(corpus / "malformed" / name)
    assert report.importable is False
    assert code in [p.code for p in report.problems if p.is_error]


def test_an_aicc_course_is_named_as_aicc(corpus):
    (problem,) = inspect_package(corpus / "malformed" / "moodle_validaicc_stub.zip").problems
    assert problem.message.startswith("this is an AICC course")
    assert "not SCORM" in problem.message and problem.location == "moodle.cst"


def test_no_schemaversion_package_imports_as_2004_inferred_from_namespaces(corpus):
    report = inspect_package(
        corpus / "malformed" / "parser_ContentPackagingNoSchemaVersion_SCORM20042ndEdition.zip"
    )
    assert report.importable
    assert report.version == "2004"
    assert {p.code for p in report.problems} == {"CP-021", "CP-052"}


def test_missing_organisation_package_imports_with_one_item_per_sco(corpus):
    report = inspect_package(corpus / "malformed" / "moodle_singlescobasic_missingorg.zip")
    assert report.importable
    assert [p.code for p in report.problems] == ["CP-030"]
    assert [s.launch for s in report.scos] == ["sso/launchpage.html"]


def test_complex_12_package_with_a_broken_default_uses_the_first_organisation(corpus):
    report = inspect_package(corpus / "packages" / "moodle_complexscorm_12.zip")
    assert [(p.code, p.severity) for p in report.problems] == [("CP-032", "warning")]
    assert report.title == "The organization"
    assert report.counts["assets"] == 1
