"""Play a built package in Chromium: a loopback server, an LMS page that provides the SCORM API with
scorm-again, and the SCO in an iframe, as in the tool's player.

The LMS page creates ``window.API`` (1.2) or ``window.API_1484_11`` (2004) before the SCO loads and, when the
test gives one, seeds it with saved state through scorm-again's ``loadFromJSON`` as the player does on resume.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
NODE_MODULES = REPO_ROOT / "node_modules"
SCORM_AGAIN = {
    "1.2": NODE_MODULES / "scorm-again" / "dist" / "scorm12.min.js",
    "2004": NODE_MODULES / "scorm-again" / "dist" / "scorm2004.min.js",
}
AXE = NODE_MODULES / "axe-core" / "axe.min.js"

_LMS_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Test LMS</title>
<link rel="icon" href="data:,">
<style>html, body {{ margin: 0; }} iframe {{ display: block; width: 100%; height: 100vh; border: 0; }}</style>
<script src="scorm-again.js"></script>
<script>
  (function () {{
    var api = new {api_class}({{ autocommit: false, lmsCommitUrl: false, logLevel: 5 }});
    if (window.HARNESS_SEED) {{
      api.loadFromJSON(window.HARNESS_SEED);
    }}
    window.harness = {{ calls: [] }};
    ["{commit}", "{finish}"].forEach(function (method) {{
      api.on(method, function () {{ window.harness.calls.push(method); }});
    }});
    window.{api_name} = api;
  }})();
</script>
</head>
<body>
<iframe id="sco" title="Unit" src="content/index.html"></iframe>
</body>
</html>
"""


def prepare_site(package: Path, scorm_version: str, folder: Path) -> Path:
    """Lay out the LMS page, scorm-again and the unpacked package in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder / "content")
    shutil.copyfile(SCORM_AGAIN[scorm_version], folder / "scorm-again.js")
    names = (
        {"api_class": "Scorm12API", "api_name": "API", "commit": "LMSCommit", "finish": "LMSFinish"}
        if scorm_version == "1.2"
        else {
            "api_class": "Scorm2004API",
            "api_name": "API_1484_11",
            "commit": "Commit",
            "finish": "Terminate",
        }
    )
    (folder / "lms.html").write_text(_LMS_PAGE.format(**names), encoding="utf-8")
    return folder


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) until the block ends; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def seed_script(seed: dict[str, Any] | None) -> str:
    return f"window.HARNESS_SEED = {json.dumps(seed)};" if seed else ""
