"""Manifests for the sequencing tests: corpus packages, ADL CTS manifests, and small built ones."""

from __future__ import annotations

import zipfile
from pathlib import Path

from scorm.manifest import Manifest, read_manifest
from tests.scorm.manifest.builders import manifest_xml


def corpus_package_manifest(corpus: Path, name: str) -> Manifest:
    with zipfile.ZipFile(corpus / "packages" / name) as archive:
        return _read(archive.read("imsmanifest.xml"))


def cts_manifest(corpus: Path, name: str) -> Manifest:
    return _read((corpus / "adl_cts_manifests" / name).read_bytes())


def built_manifest(**parts: str) -> Manifest:
    """A SCORM 2004 4th Edition manifest from fragments (see tests.scorm.manifest.builders)."""
    return _read(manifest_xml(**parts))


def sco_resources(*identifiers: str) -> str:
    return "".join(
        f'<resource identifier="{i}" type="webcontent" adlcp:scormType="sco" href="{i}.html">'
        f'<file href="{i}.html"/></resource>'
        for i in identifiers
    )


def _read(data: bytes) -> Manifest:
    reading = read_manifest(data)
    assert reading.manifest is not None, reading.problems
    return reading.manifest


FORCED_SEQUENTIAL = "golf2004e3_SequencingForcedSequential.zip"
RANDOM_TEST = "golf2004e3_SequencingRandomTest.zip"


def corpus_settings(corpus: Path, name: str) -> dict:
    from scorm.sequencing import build_sequencing_settings

    return build_sequencing_settings(corpus_package_manifest(corpus, name))
