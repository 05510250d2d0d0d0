"""Instructions per commit, counted by valgrind: the figure that does not move with the machine's load.

    .venv/bin/python bench/commit_instructions.py [--requests 40]

On a shared 2-core VM the CPU time of a commit (bench/commit_cpu.py) swings by half from one minute to the
next. Counting instructions does not: the same code gives the same count within about 0.1%, so a change of
a few microseconds shows. Same setup and body as commit_cpu.py (SQLite, synchronous=FULL, Flask's test
client, one learner committing sequentially), run under ``valgrind --tool=callgrind`` with counting switched
on (``callgrind_control``) only around the timed requests; the no-op endpoint the same way. An instruction
is not a nanosecond: C code that valgrind runs without the CPU's special instructions (SHA-256 here) counts
more than it costs, and time in the kernel (fsync) is not counted at all. Needs valgrind (Debian package).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.commit import CORPUS_PACKAGE, SECRET, commit_body, prepare, wsgi_app  # noqa: E402

WARM_UP = 20


def count_in_child(kind: str, data_dir: Path, path: str, requests: int, first_sequence: int) -> None:
    """Runs under valgrind: warm up, then count `requests` requests to the commit or no-op endpoint."""
    os.environ.update(
        CARECERT_DATABASE_URL=f"sqlite:///{data_dir / 'bench.sqlite3'}",
        CARECERT_DATA_DIR=str(data_dir),
        CARECERT_SECRET_KEY=SECRET,
    )
    client = wsgi_app().test_client()
    target = "/bench/noop" if kind == "noop" else path
    for n in range(WARM_UP):
        client.post(target, data=commit_body(first_sequence + n), content_type="application/json")
    bodies = [commit_body(first_sequence + WARM_UP + n) for n in range(requests)]
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True, capture_output=True)
    for body in bodies:
        answer = client.post(target, data=body, content_type="application/json")
        if answer.status_code != 200:
            raise SystemExit(f"{target} answered {answer.status_code}: {answer.get_data(as_text=True)}")
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True, capture_output=True)


def instructions_per_request(kind: str, data_dir: Path, path: str, requests: int, first: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        kind,
        str(data_dir),
        path,
        str(requests),
        str(first),
    ]
    run = subprocess.run(command, capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", run.stderr)
    if run.returncode != 0 or found is None:
        sys.exit(f"valgrind run failed:\n{run.stderr[-3000:]}")
    return int(found.group(1)) // requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, data_dir, path, requests, first = args.child
        count_in_child(kind, Path(data_dir), path, int(requests), int(first))
        return
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    if not CORPUS_PACKAGE.exists():
        sys.exit(f"the corpus package {CORPUS_PACKAGE} is missing")
    data_dir = Path(tempfile.mkdtemp(prefix="bench-commit-instructions-"))
    (path,) = prepare(f"sqlite:///{data_dir / 'bench.sqlite3'}", data_dir, 1)
    noop = instructions_per_request("noop", data_dir, path, args.requests, 1)
    commit = instructions_per_request("commit", data_dir, path, args.requests, 1)
    print(f"{args.requests} sequential requests each, SQLite synchronous=FULL, counted by callgrind")
    print(f"  no-op endpoint : {noop / 1e6:6.3f} M instructions per request")
    ratio = commit / noop
    print(f"  commit endpoint: {commit / 1e6:6.3f} M instructions per commit ({ratio:.2f} x the no-op)")
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
