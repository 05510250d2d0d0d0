"""Version and edition come from schemaversion, and from namespaces when it is missing or unknown."""

from __future__ import annotations

import pytest

from scorm.manifest import read_manifest
from tests.scorm.manifest.builders import manifest_xml


@pytest.mark.parametrize(
    ("schemaversion", "version", "edition"),
    [
        ("CAM 1.3", "2004", 2),
        ("2004 3rd Edition", "2004", 3),
        ("2004 4th Edition", "2004", 4),
        ("  2004   4th   edition ", "2004", 4),
        ("1.3", "2004", 2),
    ],
)
def test_2004_schemaversion_values_give_version_and_edition(schemaversion, version, edition):
    manifest = read_manifest(manifest_xml(schemaversion=schemaversion)).manifest
    assert (manifest.version, manifest.edition) == (version, edition)


def test_12_schemaversion_has_no_edition():
    manifest = read_manifest(manifest_xml(version="1.2", schemaversion="1.2")).manifest
    assert (manifest.version, manifest.edition) == ("1.2", None)


def test_missing_schemaversion_with_12_namespace_is_12():
    manifest = read_manifest(manifest_xml(version="1.2", schemaversion=None)).manifest
    assert manifest.version == "1.2"
    assert "adlcp_rootv1p2" in manifest.version_evidence


def test_missing_schemaversion_with_2004_namespaces_defaults_to_3rd_edition():
    manifest = read_manifest(manifest_xml(schemaversion=None)).manifest
    assert (manifest.version, manifest.edition) == ("2004", 3)
    assert "3rd Edition assumed" in manifest.version_evidence


def test_missing_schemaversion_with_shared_data_is_4th_edition():
    items = (
        '<item identifier="i1" identifierref="res1"><title>T</title>'
        '<adlcp:data><adlcp:map targetID="t1"/></adlcp:data></item>'
    )
    manifest = read_manifest(manifest_xml(schemaversion=None, items=items)).manifest
    assert (manifest.version, manifest.edition) == ("2004", 4)


def test_missing_schemaversion_with_threshold_text_is_3rd_edition():
    items = (
        '<item identifier="i1" identifierref="res1"><title>T</title>'
        "<adlcp:completionThreshold>0.6</adlcp:completionThreshold></item>"
    )
    manifest = read_manifest(manifest_xml(schemaversion=None, items=items)).manifest
    assert manifest.edition == 3
    assert "completionThreshold element text" in manifest.version_evidence


def test_unrecognised_schemaversion_falls_back_to_namespaces():
    manifest = read_manifest(manifest_xml(schemaversion="9.9 Custom")).manifest
    assert manifest.version == "2004"
    assert manifest.version_evidence.startswith("SCORM 2004 namespaces")


def test_no_schemaversion_and_no_scorm_namespace_is_unknown():
    xml = b'<manifest identifier="x"><organizations/><resources/></manifest>'
    manifest = read_manifest(xml).manifest
    assert manifest.version is None and manifest.edition is None
