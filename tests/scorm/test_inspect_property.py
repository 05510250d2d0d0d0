"""Random packages through the whole inspection: a report every time, never an exception."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorm.inspect import inspect_package
from tests.scorm.manifest.test_property import SEED

NAMES = st.sampled_from(
    [
        "imsmanifest.xml",
        "IMSMANIFEST.XML",
        "index.html",
        "a/imsmanifest.xml",
        "x.crs",
        "cmi5.xml",
        "tincan.xml",
    ]
)


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    deadline=None,
)
@given(
    names=st.lists(NAMES, max_size=5, unique=True),
    cut=st.integers(0, len(SEED)),
    noise=st.binary(max_size=20),
)
def test_random_packages_always_give_a_report(tmp_path, names, cut, noise):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, SEED[:cut] + noise + SEED[cut:] if name.endswith(".xml") else b"x")
    path = tmp_path / "random.zip"
    path.write_bytes(buffer.getvalue())
    report = inspect_package(path, check_files=True)
    data = report.to_dict(include_manifest=True)
    assert isinstance(data["importable"], bool)
    assert report.importable == (not any(p["severity"] == "error" for p in data["problems"]))
