"""What the built-in catalogue costs an app start, beside the same start without it, in the same run.

Each start is a fresh interpreter (like a gunicorn worker) timing only `create_app`; every figure has its
baseline: the same start with CATALOGUE_PROVISION_ON_START=false.
  first start   empty data folder: all 15 units built, checked by our importer and extracted
  later start   the same folder again: every package found, nothing built
  N workers     N processes starting together on an empty folder: one builds, the others wait and find

.venv/bin/python bench/catalogue_start.py [--repeat 3] [--workers 4] [--scorm 2004]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = """
import sys, time
sys.path.insert(0, {repo!r})
from lti_tool.app import create_app
started = time.perf_counter()
app = create_app({{"DATA_DIR": {data!r}, "SECRET_KEY": "bench", "LOG_LEVEL": "ERROR",
                  "CATALOGUE_PROVISION_ON_START": {on_start!r}, "CATALOGUE_SCORM_VERSION": {version!r}}})
print(time.perf_counter() - started)
"""


def start(data_dir: Path, on_start: bool, version: str) -> subprocess.Popen:
    code = CHILD.format(repo=str(REPO), data=str(data_dir), on_start=on_start, version=version)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def seconds(process: subprocess.Popen) -> float:
    out, _ = process.communicate(timeout=600)
    if process.returncode != 0:
        raise SystemExit(f"a start failed (exit {process.returncode})")
    return float(out.strip().splitlines()[-1])


def one_start(data_dir: Path, on_start: bool, version: str) -> float:
    return seconds(start(data_dir, on_start, version))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--scorm", choices=["2004", "1.2"], default="2004")
    args = parser.parse_args()
    cases = ("first start", "later start", f"{args.workers} workers (wall)")
    figures: dict[tuple[str, bool], list[float]] = {(case, on): [] for case in cases for on in (False, True)}
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(args.repeat):
            for on in (False, True):
                folder = Path(scratch) / f"run{run}-{on}"
                figures[(cases[0], on)].append(one_start(folder / "data", on, args.scorm))
                figures[(cases[1], on)].append(one_start(folder / "data", on, args.scorm))
                began = time.perf_counter()
                for process in [start(folder / "workers", on, args.scorm) for _ in range(args.workers)]:
                    seconds(process)
                figures[(cases[2], on)].append(time.perf_counter() - began)
    print(f"create_app, median of {args.repeat} runs (SCORM {args.scorm}); baseline: catalogue off")
    for case in cases:
        base, with_catalogue = (statistics.median(figures[(case, on)]) for on in (False, True))
        print(
            f"  {case:<20} baseline {base * 1000:7.0f} ms   with catalogue {with_catalogue * 1000:7.0f} ms"
            f"   {with_catalogue / base:5.2f} x"
        )


if __name__ == "__main__":
    main()
