"""CPU time of other processes on this machine, from /proc (Linux): the benchmarks' steadier figure beside
throughput, for servers they start (gunicorn workers, the demo LMS) or talk to (a local PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` so far (every thread); OSError when there is none."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: proc(5) 14, 15
