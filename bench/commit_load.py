"""The load side of bench/commit.py: the commit body, and learners posting it as fast as answers come back.

`run_wrk` drives wrk with bench/commit_wrk.lua (light on the CPU); `run_load` is the fallback of Python
http.client threads in two processes. Both return rate, p50/p99 and the answers other than 200.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import statistics
import subprocess
import tempfile
import threading
import time
from http.client import HTTPConnection, HTTPException
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def commit_body(sequence: int) -> bytes:
    interactions = {
        str(n): {
            "id": f"urn:carecert:u01:q{n}",
            "type": "choice",
            "student_response": "b",
            "result": "correct",
            "weighting": "1",
            "latency": "0000:00:12.50",
            "time": f"10:15:{n:02d}",
        }
        for n in range(12)
    }
    body = {
        "cmi": {
            "core": {
                "lesson_location": f"page-{sequence % 40}",
                "lesson_status": "incomplete",
                "score": {"raw": "80", "min": "0", "max": "100"},
                "session_time": "0000:01:00",
                "exit": "suspend",
            },
            "suspend_data": json.dumps({"v": 1, "seen": list(range(600)), "page": sequence % 40})[:4000],
            "interactions": interactions,
        },
        "commitSequence": sequence,
    }
    return json.dumps(body).encode()


# -- load ---------------------------------------------------------------------------------------------------
def _learner_loop(port: int, path: str, stop_at: float, latencies: list[float], errors: list[int]) -> None:
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    sequence = int(time.time() * 1000) % 1_000_000_000  # rises across runs that share a learner
    while time.monotonic() < stop_at:
        sequence += 1
        body = commit_body(sequence)
        started = time.perf_counter()
        try:
            connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
        except (OSError, HTTPException):
            errors.append(0)  # a dropped connection: counted, then a fresh one
            connection.close()
            connection = HTTPConnection("127.0.0.1", port, timeout=120)
            continue
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            errors.append(response.status)
    connection.close()


def _client_process(port: int, paths: list[str], seconds: float, start_at: float, queue) -> None:  # type: ignore[no-untyped-def]
    time.sleep(max(0.0, start_at - time.time()))
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    errors: list[int] = []
    threads = [
        threading.Thread(target=_learner_loop, args=(port, path, stop_at, latencies, errors))
        for path in paths
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors))


def run_load(port: int, paths: list[str], seconds: float, clients: int = 2) -> dict:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    start_at = time.time() + 0.5
    shares = [paths[i::clients] for i in range(clients)]
    processes = [
        multiprocessing.Process(target=_client_process, args=(port, share, seconds, start_at, queue))
        for share in shares
    ]
    for process in processes:
        process.start()
    latencies: list[float] = []
    errors: list[int] = []
    for _ in processes:
        got_latencies, got_errors = queue.get()
        latencies += got_latencies
        errors += got_errors
    for process in processes:
        process.join()
    latencies.sort()
    if not latencies:
        raise RuntimeError(f"no request was answered in {seconds} s ({len(errors)} errors)")
    return {
        "rate": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": len(errors),
        "error_codes": sorted(set(errors))[:5],
    }


def first_commits(port: int, paths: list[str]) -> None:
    """Every learner's first commit (sequence 1), before the measured runs: it moves the unit result from
    "not attempted" and queues a grade, once per attempt; the measured commits are page turns."""

    def commit_share(share: list[str]) -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=120)
        for path in share:
            connection.request(
                "POST", path, body=commit_body(1), headers={"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"a first commit was answered {response.status}")
        connection.close()

    threads = [threading.Thread(target=commit_share, args=(paths[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_wrk(port: int, paths: list[str], seconds: float, connections: int, pause_ms: int = 0) -> dict:
    """The same figures as run_load, from wrk and bench/commit_wrk.lua; with `pause_ms`, each connection waits
    that long after an answer before its next request (bench/commit_wrk_paced.lua)."""
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder_name:
        folder = Path(folder_name)
        (folder / "learners").write_text("\n".join(paths) + "\n")
        prefixes = [commit_body(page).decode().rsplit('"commitSequence": ', 1)[0] for page in range(40)]
        (folder / "bodies").write_text("\n".join(p + '"commitSequence": ' for p in prefixes) + "\n")
        output = _wrk(port, folder, seconds, connections, pause_ms)
    found = re.search(r"WRK-RESULT (\{.*\})", output)
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    result = json.loads(found.group(1))
    refused = sum(result["statuses"].values())
    return {
        "rate": (result["requests"] - refused) / result["seconds"],
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": refused + result["socket_errors"],
        "error_codes": sorted(result["statuses"].items())[:5],
    }


def _wrk(port: int, folder: Path, seconds: float, connections: int, pause_ms: int) -> str:
    threads = 2
    script = "commit_wrk_paced.lua" if pause_ms else "commit_wrk.lua"
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:.0f}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / script),
        f"http://127.0.0.1:{port}",
        "--",
        str(folder / "learners"),
        str(folder / "bodies"),
        str(threads),
        *([str(pause_ms)] if pause_ms else []),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout
