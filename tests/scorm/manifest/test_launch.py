"""Launch URLs: xml:base joined outermost first, then item parameters appended as SCORM CAM says."""

from __future__ import annotations

import pytest

from scorm.manifest import read_manifest
from scorm.manifest.launch import join_bases, launch_url, package_path, resolve_href
from tests.scorm.manifest.builders import NS_2004


@pytest.mark.parametrize(
    ("url", "parameters", "expected"),
    [
        ("a.html", "?x=1", "a.html?x=1"),
        ("a.html", "x=1", "a.html?x=1"),
        ("a.html", "&x=1", "a.html?x=1"),
        ("a.html?y=2", "?x=1", "a.html?y=2&x=1"),
        ("a.html?y=2", "??&x=1", "a.html?y=2&x=1"),
        ("a.html", "#part", "a.html#part"),
        ("a.html#top", "#part", "a.html#top"),
        ("a.html#top", "x=1", "a.html?x=1#top"),
        ("a.html", "", "a.html"),
        ("a.html", None, "a.html"),
    ],
)
def test_parameters_are_appended_per_cam(url, parameters, expected):
    assert launch_url(url, parameters) == expected


def test_bases_are_folders_even_without_a_trailing_slash():
    assert join_bases("course/", None, "resources") == "course/resources/"


def test_an_absolute_base_restarts_the_chain():
    assert join_bases("course/", "http://cdn.example/x/") == "http://cdn.example/x/"


def test_href_is_normalised_and_query_kept():
    assert resolve_href("a/b/", "../c/./d.html?x=1#f") == "a/c/d.html?x=1#f"


@pytest.mark.parametrize(
    "url",
    [
        "../secret.html",
        "a/../../x.html",
        "/etc/passwd",
        "http://x.test/a.html",
        "C:/course/a.html",
        "c:\\a.html",
    ],
)
def test_paths_outside_the_package_have_no_package_path(url):
    assert package_path(resolve_href("", url)) is None


def test_package_path_is_percent_decoded_without_query():
    assert package_path("my%20course/index.html?x=1") == "my course/index.html"


def test_manifest_resources_and_resource_bases_all_apply():
    xml = f"""<manifest identifier="m" xml:base="course/" {NS_2004}>
      <metadata><schemaversion>2004 4th Edition</schemaversion></metadata>
      <organizations default="o"><organization identifier="o"><title>T</title>
        <item identifier="i" identifierref="r" parameters="?unit=3"><title>I</title></item>
      </organization></organizations>
      <resources xml:base="content">
        <resource identifier="r" type="webcontent" adlcp:scormType="sco" xml:base="unit3/"
            href="start.html?lang=en">
          <file href="start.html"/>
        </resource>
      </resources></manifest>""".encode()
    manifest = read_manifest(xml).manifest
    item = manifest.sco_items()[0]
    assert item.launch == "course/content/unit3/start.html?lang=en&unit=3"
    assert manifest.resources[0].files[0].path == "course/content/unit3/start.html"


def test_backslashes_in_hrefs_are_path_separators_as_in_browsers():
    assert resolve_href("content\\unit1\\", "page.html?x=1") == "content/unit1/page.html?x=1"
    assert package_path(resolve_href("", "content\\page.html")) == "content/page.html"
