"""`carecert serve`: gunicorn with several workers, migrations applied first, the tool answering."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_several_workers_that_answer(tmp_path: Path):
    port = free_port()
    env = dict(os.environ, CARECERT_DATA_DIR=str(tmp_path), CARECERT_BASE_URL=f"http://127.0.0.1:{port}")
    carecert = Path(sys.executable).parent / "carecert"
    process = subprocess.Popen(
        [str(carecert), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline, answer = time.monotonic() + 90, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/lti/jwks", timeout=15)
                break
            except requests.RequestException:  # not listening yet, or a worker still booting
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 200, "the server did not answer"
        assert answer.json()["keys"][0]["kty"] == "RSA"
        refused = requests.post(f"http://127.0.0.1:{port}/lti/launch", json={"x": 1}, timeout=10)
        assert refused.status_code == 400 and 'data-error-code="LTI-MISSING-ID-TOKEN"' in refused.text
        assert (tmp_path / "carecert.sqlite3").exists()
        secret = "lt-" + "s" * 40
        requests.get(f"http://127.0.0.1:{port}/player", params={"lt": secret}, timeout=10)
        long_state = requests.get(
            f"http://127.0.0.1:{port}/lti/login/again", params={"state": "x" * 6000}, timeout=10
        )
        assert 'data-error-code="LTI-STATE-UNKNOWN"' in long_state.text  # read by the tool, not gunicorn
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode(errors="replace")
    assert output.count("Booting worker") >= 2
    assert '"GET /player HTTP/1.1"' in output and secret not in output  # logged without its launch token
