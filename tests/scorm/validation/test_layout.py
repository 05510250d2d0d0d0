"""Before the manifest: where it is, or what the package is instead, said in one specific problem."""

from __future__ import annotations

from scorm.validation import check_layout


def codes(names: list[str]) -> list[str]:
    return [p.code for p in check_layout(names).problems]


def test_root_manifest_is_found_without_problems():
    layout = check_layout(["imsmanifest.xml", "index.html"])
    assert (layout.manifest_name, layout.problems) == ("imsmanifest.xml", [])


def test_no_manifest_at_all_is_cp001():
    assert codes(["test.htm"]) == ["CP-001"]
    assert codes([]) == ["CP-001"]


def test_manifest_in_a_subfolder_is_cp002_naming_the_folder():
    (problem,) = check_layout(["course/imsmanifest.xml", "course/index.html"]).problems
    assert problem.code == "CP-002"
    assert "course/" in problem.message and problem.location == "course/imsmanifest.xml"


def test_shallowest_nested_manifest_is_named():
    (problem,) = check_layout(["a/b/imsmanifest.xml", "a/imsmanifest.xml"]).problems
    assert problem.location == "a/imsmanifest.xml"


def test_aicc_files_are_named_as_an_aicc_course():
    (problem,) = check_layout(["course.crs", "course.au", "course.des", "course.cst", "a.html"]).problems
    assert problem.code == "CP-003"
    assert "AICC" in problem.message and "course.crs" in problem.message


def test_cmi5_and_xapi_packages_are_named():
    assert codes(["cmi5.xml", "index.html"]) == ["CP-004"]
    assert codes(["tincan.xml", "index.html"]) == ["CP-005"]


def test_a_root_manifest_wins_over_aicc_files_in_dual_exports():
    assert codes(["imsmanifest.xml", "course.crs"]) == []


def test_upper_case_manifest_name_is_used_with_a_warning():
    layout = check_layout(["IMSManifest.xml"])
    assert layout.manifest_name == "IMSManifest.xml"
    assert [(p.code, p.severity) for p in layout.problems] == [("CP-006", "warning")]
