"""Learning Locker's statement service (npm `xapi-statements`, in memory) as a real LRS on a loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICE = REPO_ROOT / "node_modules" / "xapi-statements" / "dist" / "index.js"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningLrs:
    def __init__(self, port: int) -> None:
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}/xAPI/"
        self.process: subprocess.Popen | None = None

    def start(self, wait_seconds: float = 30.0) -> RunningLrs:
        if not SERVICE.exists():
            pytest.skip("xapi-statements is not installed: run `npm install` (package.json devDependencies)")
        node = shutil.which("node")
        if node is None:
            pytest.skip("node is not installed: the test LRS (xapi-statements) needs Node.js")
        environment = {
            **os.environ,
            "AUTH_REPO": "test",
            "EVENTS_REPO": "test",
            "MODELS_REPO": "memory",
            "STORAGE_REPO": "memory",
            "EXPRESS_PORT": str(self.port),
        }
        # `timeout` bounds the server's life even if the test process dies without cleaning up.
        command = ["timeout", "600", node, str(SERVICE)] if shutil.which("timeout") else [node, str(SERVICE)]
        self.process = subprocess.Popen(
            command,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=str(SERVICE.parents[1]),
        )
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            try:
                if requests.get(self.endpoint + "about", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the test LRS did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def statements(self, **params: str) -> list[dict]:
        answer = requests.get(
            self.endpoint + "statements",
            params=params,
            auth=("test", "test"),
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=5,
        )
        answer.raise_for_status()
        return answer.json()["statements"]
