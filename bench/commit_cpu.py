"""CPU time of one commit, in process: the steadier figure when the machine is loaded by other work.

    .venv/bin/python bench/commit_cpu.py [--commits 500] [--learners 16] [--one-core] [--profile]
        [--profile-sort tottime] [--database-url postgresql+psycopg://...]

The same setup and body as bench/commit.py (golf12_RuntimeBasicCalls, a ~5 KB SCORM 1.2 commit with a rising
commitSequence), sent one after another through Flask's test client to a SQLite database with
synchronous=FULL, or with --database-url to a new schema of that PostgreSQL database (the database server's
own CPU is not counted). Process CPU time (every thread) per commit is printed beside the same app's no-op
endpoint with the same bodies, measured in the same run. Waiting for the disk's fsync is not CPU time and is
not counted. A second figure has `--learners` threads commit at once, each as its own learner, so the group
committer's batches form as under load (their transaction's cost is shared). ``--one-core`` keeps the
process on one CPU: the threads then pass the GIL on one core instead of waking each other on both, which
is most of what concurrency costs here (see bench/README.md). ``--profile`` adds a cProfile of sequential
commits: with nobody else writing, a commit's batch runs on its own request's thread, which cProfile sees.
On PostgreSQL on this machine, the CPU of the server processes serving this process's connections (found by
their application_name, read from /proc) is printed per commit too: a round trip costs CPU there as well.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.commit import CORPUS_PACKAGE, SECRET, commit_body, postgres_schema, prepare, wsgi_app  # noqa: E402
from bench.proc_cpu import process_cpu_seconds  # noqa: E402


def cpu_ms_per_request(client, path: str, first_sequence: int, count: int) -> float:  # type: ignore[no-untyped-def]
    bodies = [commit_body(first_sequence + n) for n in range(count)]
    started = time.process_time()
    for body in bodies:
        answer = client.post(path, data=body, content_type="application/json")
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}: {answer.get_data(as_text=True)}")
    return (time.process_time() - started) / count * 1000


class ServerCpu:
    """CPU seconds of the PostgreSQL server processes this process is connected to (application_name), when
    the server runs on this machine; None otherwise."""

    def __init__(self, database_url: str | None) -> None:
        self._url = database_url
        self.name = f"bench-commit-cpu-{os.getpid()}"
        if database_url:
            os.environ["PGAPPNAME"] = self.name  # libpq names every connection the app makes

    def seconds(self) -> float | None:
        if not self._url:
            return None
        from sqlalchemy import create_engine, text

        engine = create_engine(self._url)
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.name},
            )
            pids = [row[0] for row in found]
        engine.dispose()
        try:
            return sum(process_cpu_seconds(pid) for pid in pids)
        except OSError:
            return None  # not on this machine


def server_ms(before: float | None, after: float | None, count: int) -> str:
    if before is None or after is None:
        return ""
    return f", PostgreSQL server {(after - before) / count * 1000:.2f} ms"


def concurrent_cpu_ms(app, paths: list[str], first_sequence: int, count: int) -> float:  # type: ignore[no-untyped-def]
    """CPU ms per request with one thread per path, `count` requests in all."""
    per_thread = max(1, count // len(paths))
    failures: list[BaseException] = []

    def commit_in_turn(path: str) -> None:
        try:
            cpu_ms_per_request(app.test_client(), path, first_sequence, per_thread)
        except BaseException as error:  # noqa: BLE001 - reported by the caller
            failures.append(error)

    threads = [threading.Thread(target=commit_in_turn, args=(path,)) for path in paths]
    started = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return (time.process_time() - started) / (per_thread * len(paths)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--learners", type=int, default=16)
    parser.add_argument("--one-core", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-sort", default="cumulative", help="pstats order: cumulative, tottime...")
    parser.add_argument("--database-url", help="PostgreSQL (say) instead of SQLite in a temp folder")
    args = parser.parse_args()
    if args.one_core:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if not CORPUS_PACKAGE.exists():
        sys.exit(f"the corpus package {CORPUS_PACKAGE} is missing")
    server = ServerCpu(args.database_url)
    data_dir = Path(tempfile.mkdtemp(prefix="bench-commit-cpu-"))
    database_url = (
        postgres_schema(args.database_url) if args.database_url else f"sqlite:///{data_dir / 'bench.sqlite3'}"
    )
    paths = prepare(database_url, data_dir, args.learners)
    path = paths[0]
    os.environ.update(
        CARECERT_DATABASE_URL=database_url, CARECERT_DATA_DIR=str(data_dir), CARECERT_SECRET_KEY=SECRET
    )
    app = wsgi_app()
    client = app.test_client()
    cpu_ms_per_request(client, path, 1, 50)  # warm-up: imports, the manifest parsed, connections opened
    cpu_ms_per_request(client, "/bench/noop", 1, 50)
    noop = cpu_ms_per_request(client, "/bench/noop", 1, args.commits)
    server_before = server.seconds()
    commit = cpu_ms_per_request(client, path, 100, args.commits)
    server_after = server.seconds()
    engine = "PostgreSQL (its server's settings)" if args.database_url else "SQLite synchronous=FULL"
    print(f"{args.commits} sequential commits, {engine}")
    print(f"  no-op endpoint : {noop:6.2f} ms CPU per request")
    print(
        f"  commit endpoint: {commit:6.2f} ms CPU per commit ({commit - noop:.2f} ms above the no-op"
        f"{server_ms(server_before, server_after, args.commits)})"
    )
    noop_paths = [f"/bench/noop?x={n}" for n in range(args.learners)]
    concurrent_noop = concurrent_cpu_ms(app, noop_paths, 1, args.commits)
    concurrent_cpu_ms(app, paths[1:], 1, 5 * len(paths))  # the other learners' first commits, not counted
    server_before = server.seconds()
    concurrent = concurrent_cpu_ms(app, paths, 100 + args.commits, args.commits)
    server_after = server.seconds()
    print(f"{args.learners} learners committing at once, {args.commits} commits")
    print(f"  no-op endpoint : {concurrent_noop:6.2f} ms CPU per request")
    print(
        f"  commit endpoint: {concurrent:6.2f} ms CPU per commit "
        f"({concurrent - concurrent_noop:.2f} ms above the no-op"
        f"{server_ms(server_before, server_after, args.commits)})"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        cpu_ms_per_request(client, path, 100 + 3 * args.commits, args.commits)  # after the concurrent run's
        profile.disable()
        pstats.Stats(profile).sort_stats(args.profile_sort).print_stats(40)


if __name__ == "__main__":
    main()
