"""Random and mutated manifests never crash the reader or the validator: they only produce Problems."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorm.manifest import read_manifest
from scorm.problems import Problem
from scorm.validation import validate
from tests.scorm.manifest.builders import manifest_xml
from tests.scorm.manifest.test_sequencing import FULL

SEED = manifest_xml(
    items=f'<item identifier="i1" identifierref="res1" parameters="?a=1"><title>T</title>{FULL}</item>'
    '<item identifier="i2"><title>C</title>'
    '<item identifier="i3" identifierref="res1"><title>X</title></item></item>',
    extra='<imsss:sequencingCollection><imsss:sequencing ID="c"><imsss:controlMode flow="true"/>'
    "</imsss:sequencing></imsss:sequencingCollection>",
)
ATTRIBUTE_VALUES = st.sampled_from(
    [
        "",
        "true",
        "-1",
        "1e309",
        "nan",
        "../../x",
        "res1",
        "i1",
        "?#&",
        "\u0000x",
        "x" * 300,
        "2004 3rd Edition",
    ]
)


def check_never_raises(data: bytes) -> None:
    reading = read_manifest(data)
    problems = list(reading.problems)
    if reading.manifest is not None:
        problems += validate(reading.manifest, ["imsmanifest.xml", "index.html"])
        reading.manifest.to_dict()
    assert all(isinstance(p, Problem) for p in problems)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_only_give_problems(data):
    check_never_raises(data)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(cut=st.integers(0, len(SEED)), length=st.integers(0, 40), insert=st.binary(max_size=30))
def test_byte_mutations_of_a_rich_manifest_only_give_problems(cut, length, insert):
    check_never_raises(SEED[:cut] + insert + SEED[cut + length :])


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_attribute_value_mutations_only_give_problems(data):
    text = SEED.decode()
    positions = [i for i in range(len(text)) if text.startswith('="', i)]
    for _ in range(data.draw(st.integers(1, 6))):
        start = data.draw(st.sampled_from(positions)) + 2
        end = text.index('"', start)
        value = data.draw(ATTRIBUTE_VALUES).replace('"', "").replace("<", "").replace("&", "&amp;")
        text = text[:start] + value + text[end:]
        positions = [i for i in range(len(text)) if text.startswith('="', i)]
    check_never_raises(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.sampled_from(["item", "organization", "resource", "file", "dependency", "title"]), max_size=8)
)
def test_deleting_elements_only_gives_problems(tags):
    text = SEED.decode()
    for tag in tags:
        start = text.find(f"<{tag} ")
        if start < 0:
            start = text.find(f"<{tag}>")
        if start >= 0:
            end = text.find(">", start)
            text = text[:start] + text[end + 1 :]
    check_never_raises(text.encode())
