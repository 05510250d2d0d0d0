"""Entry names: nothing may lead outside the package, whatever the spelling."""

from __future__ import annotations

import pytest

from scorm.package import Limits
from tests.scorm.package.opening import opened, refusal_codes
from tests.scorm.package.zip_builder import files

TRAVERSALS = [
    "../evil.html",
    "a/../../evil.html",
    "a/b/../../../evil.html",
    "..",
    "a/..",
    "..\\evil.html",
    "a\\..\\..\\evil.html",
    "a/..\\..\\evil.html",
    "./../evil.html",
    ".. /evil.html",  # Windows drops trailing spaces: ".. " is ".."
    "../.../evil.html",
    "a/.../evil.html",  # Windows drops trailing dots: "..." is ".."
    ". ./evil.html",
]


@pytest.mark.parametrize("name", TRAVERSALS)
def test_parent_segment_in_any_spelling_is_refused(make_zip, name):
    assert refusal_codes(make_zip(files("imsmanifest.xml", name))) == ["PKG-003"]


@pytest.mark.parametrize("name", ["/etc/passwd", "\\etc\\passwd", "/index.html"])
def test_absolute_path_is_refused(make_zip, name):
    assert refusal_codes(make_zip(files(name))) == ["PKG-004"]


@pytest.mark.parametrize("name", ["C:/evil.html", "C:\\Windows\\evil.dll", "c:evil.html", "Z:..\\evil"])
def test_drive_letter_is_refused(make_zip, name):
    assert refusal_codes(make_zip(files(name))) == ["PKG-005"]


@pytest.mark.parametrize("name", ["\\\\server\\share\\x.html", "//server/share/x.html", "\\\\?\\C:\\x.html"])
def test_network_path_is_refused(make_zip, name):
    assert refusal_codes(make_zip(files(name))) == ["PKG-006"]


@pytest.mark.parametrize(
    "name", ["index.html\x00.txt", "a\nb.html", "tab\there.js", "del\x7f.css", "\u202elmth.exe"]
)
def test_nul_and_control_characters_are_refused(make_zip, name):
    assert refusal_codes(make_zip(files(name))) == ["PKG-008"]


def test_decomposed_unicode_name_is_refused(make_zip):
    assert refusal_codes(make_zip(files("cafe\u0301.html"))) == ["PKG-009"]


@pytest.mark.parametrize(
    "name",
    [
        "\uff0e\uff0e/evil.html",  # fullwidth full stops become ".."
        "\u2024\u2024/evil.html",  # one-dot leaders
        "a\uff0f..\uff0fevil.html",  # fullwidth solidus becomes "/"
        "a\uff3cevil.html",  # fullwidth reverse solidus becomes "\"
        "\uff23\uff1a/evil.html",  # fullwidth "C:"
    ],
)
def test_lookalike_characters_that_normalise_to_path_syntax_are_refused(make_zip, name):
    assert refusal_codes(make_zip(files(name))) == ["PKG-010"]


def test_accented_name_in_composed_form_is_accepted(make_zip):
    with opened(make_zip(files("caf\u00e9.html", "日本語/テスト.js"))) as package:
        assert package.names() == ["caf\u00e9.html", "日本語/テスト.js"]


def test_url_escapes_are_literal_names_not_traversal(make_zip):
    # zip tools never decode %2e; such a name is an odd but harmless folder inside the package
    with opened(make_zip(files("%2e%2e/evil.html"))) as package:
        assert package.names() == ["%2e%2e/evil.html"]


def test_backslash_separators_are_read_as_folders_with_a_warning(make_zip):
    with opened(make_zip(files("content\\pages\\index.html"))) as package:
        assert package.names() == ["content/pages/index.html"]
        assert package.read("content/pages/index.html") == b"data of content\\pages\\index.html"
        assert [warning.code for warning in package.warnings()] == ["PKG-007"]


def test_dot_and_empty_segments_are_normalised_away(make_zip):
    with opened(make_zip(files("./imsmanifest.xml", "a//b/./c.html"))) as package:
        assert package.names() == ["imsmanifest.xml", "a/b/c.html"]


def test_file_entry_with_empty_name_is_refused(make_zip):
    assert refusal_codes(make_zip(files("./."))) == ["PKG-011"]


def test_path_longer_than_limit_is_refused(make_zip):
    name = "/".join(["folder"] * 20) + "/index.html"
    assert refusal_codes(make_zip(files(name)), Limits(max_path_bytes=100)) == ["PKG-012"]


def test_segment_longer_than_file_systems_allow_is_refused(make_zip):
    assert refusal_codes(make_zip(files("a" * 256 + ".html"))) == ["PKG-013"]


def test_segment_length_counts_utf8_bytes(make_zip):
    assert refusal_codes(make_zip(files("é" * 128 + ".html"))) == ["PKG-013"]


def test_path_deeper_than_limit_is_refused(make_zip):
    name = "/".join(["d"] * 40) + "/index.html"
    assert refusal_codes(make_zip(files(name))) == ["PKG-014"]


def test_every_bad_name_is_reported_not_just_the_first(make_zip):
    codes = refusal_codes(make_zip(files("../a", "ok.html", "/b", "C:/c", "d\x00")))
    assert codes == ["PKG-003", "PKG-004", "PKG-005", "PKG-008"]
