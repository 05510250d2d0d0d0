"""Hostile manifests: entity bombs and external entities are refused without expansion or network."""

from __future__ import annotations

import http.server
import threading

import pytest

from scorm.manifest import read_manifest

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<manifest identifier="bomb"><organizations><organization identifier="o"><title>&lol9;</title>
</organization></organizations><resources/></manifest>"""


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        _CountingHandler.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY x "pwned">')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server():
    _CountingHandler.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_billion_laughs_is_refused_without_expanding():
    reading = read_manifest(BILLION_LAUGHS)
    assert reading.manifest is None
    assert [p.code for p in reading.problems] == ["CP-011"]


def test_billion_laughs_in_utf16_is_refused_too():
    reading = read_manifest(
        BILLION_LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    )
    assert [p.code for p in reading.problems] == ["CP-011"]


def test_external_file_entity_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = f"""<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file://{secret}">]>
    <manifest identifier="m"><organizations><organization identifier="o"><title>&xxe;</title></organization>
    </organizations><resources/></manifest>""".encode()
    reading = read_manifest(xml)
    assert reading.manifest is None
    assert [p.code for p in reading.problems] == ["CP-011"]
    assert "TOP-SECRET" not in str(reading.problems)


def test_network_entity_is_refused_without_a_request(local_server):
    xml = f"""<?xml version="1.0"?>
      <!DOCTYPE manifest [<!ENTITY % remote SYSTEM "{local_server}/evil.dtd"> %remote;]>
    <manifest identifier="m"/>""".encode()
    reading = read_manifest(xml)
    assert [p.code for p in reading.problems] == ["CP-011"]
    assert _CountingHandler.requests == []


def test_external_dtd_without_entities_is_not_fetched(local_server):
    xml = f"""<?xml version="1.0"?><!DOCTYPE manifest SYSTEM "{local_server}/manifest.dtd">
    <manifest identifier="m" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
    <organizations/><resources/></manifest>""".encode()
    reading = read_manifest(xml)
    assert reading.manifest is not None
    assert _CountingHandler.requests == []


def test_syntax_error_names_the_line():
    reading = read_manifest(b'<?xml version="1.0"?>\n<manifest>\n<organizations>\n</manifest>')
    (problem,) = reading.problems
    assert problem.code == "CP-010" and problem.location == "imsmanifest.xml:4"


def test_a_root_that_is_not_manifest_is_refused():
    reading = read_manifest(b"<html><body/></html>")
    assert [p.code for p in reading.problems] == ["CP-012"]


def test_empty_and_binary_data_are_problems():
    assert [p.code for p in read_manifest(b"").problems] == ["CP-010"]
    assert [p.code for p in read_manifest(b"\x89PNG\r\n\x1a\n\x00\x00").problems] == ["CP-010"]
