"""Commit throughput of the player's commit endpoint under concurrent learners, beside a no-op endpoint of the
same app in the same run, on SQLite and PostgreSQL, with the databases' durability settings left on.

    .venv/bin/python bench/commit.py [--learners 50] [--seconds 12] [--rounds 3] [--workers 4] [--threads 4]
                                     [--pin-workers] [--client wrk|python] [--pause-ms 40]
    CARECERT_TEST_PG_URL=postgresql+psycopg://... adds the PostgreSQL run (`bash scripts/postgres start`).

The tool runs under gunicorn on loopback. Every learner has a real launch token, attempt and delivered SCO
(golf12_RuntimeBasicCalls from the corpus) and commits a ~6 KB SCORM 1.2 body (suspend_data and a few
interactions) with a rising commitSequence, as scorm-again does; the no-op endpoint gets the same bodies.
Load: `--learners` keep-alive connections, each with one request in flight, on the same 2-core machine.
With wrk (Debian's package, `scripts/install --test`; the default when it is installed) two wrk threads
hold the connections and take turns over ten times as many learners (wrk's script does not know its
connection), so a learner's previous commit is answered before its next; answers other than 200 are
counted by status. Without wrk, two Python processes of http.client threads, one learner per connection,
which take much of the CPU themselves.

The no-op and commit loads take turns (`--rounds`, `--seconds` in all for each), so a VM whose speed swings
from one minute to the next slows both alike; each round's ratio is printed too. Saturating runs keep every
connection queued, so their latency is the queue's (Little's law: 50 connections at 1,000 commits/s wait 50 ms
on average, however fast a commit is). The paced run (wrk) measures how long
answers take at about the aim's rate instead: each connection waits `--pause-ms` after an answer before its
next commit, so 50 learners pausing 40 ms send 1,000 commits/s while answers take 10 ms or less; it prints
the rate the load reached, which says whether the server kept up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS_PACKAGE = REPO.parent / "shared" / "corpus" / "packages" / "golf12_RuntimeBasicCalls.zip"
SECRET = "bench-secret-key"

from bench.commit_load import commit_body, first_commits, run_load, run_wrk  # noqa: E402
from bench.proc_cpu import process_cpu_seconds  # noqa: E402


def wsgi_app():  # type: ignore[no-untyped-def]
    """gunicorn 'bench.commit:wsgi_app()': the tool plus a no-op endpoint reading the body as commits do."""
    from flask import jsonify, request

    from lti_tool.app import create_app

    app = create_app()

    @app.post("/bench/noop")
    def noop():  # type: ignore[no-untyped-def]
        request.get_data(cache=False)
        return jsonify({"result": True, "errorCode": 0})

    return app


# -- setup ---------------------------------------------------------------------------------------------------
def prepare(database_url: str, data_dir: Path, learners: int) -> list[str]:
    """Migrate, import the package and give every learner a launch, an attempt and a delivered SCO."""
    from lti_tool.app import create_app
    from lti_tool.db.models import ResourceLink
    from lti_tool.packages import import_package
    from lti_tool.player.attempts import AttemptSettings, start_or_resume_attempt
    from lti_tool.player.course import load_course
    from lti_tool.player.delivery import deliver_item
    from lti_tool.repo import launches, people, registrations

    app = create_app({"DATABASE_URL": database_url, "DATA_DIR": str(data_dir), "SECRET_KEY": SECRET})
    db = app.extensions["carecert"].db
    paths: list[str] = []
    with db.session() as session, CORPUS_PACKAGE.open("rb") as stream:
        registration = registrations.add_registration(
            session,
            issuer="https://lms.bench.example",
            client_id="bench",
            auth_login_url="https://lms.bench.example/auth",
            auth_token_url="https://lms.bench.example/token",
            key_set_url="https://lms.bench.example/jwks",
        )
        deployment = registrations.add_deployment(session, registration, "dep-1")
        package = import_package(session, registration, data_dir, stream, "golf.zip", None).package
        assert package is not None
        course = load_course(data_dir / package.storage_path)
        link = ResourceLink(
            registration_id=registration.id,
            deployment_pk=deployment.id,
            resource_link_id="rl-1",
            unit_ref=f"package:{package.id}",
        )
        session.add(link)
        session.flush()
        for number in range(learners):
            user = people.record_user(
                session, registration, f"learner-{number}", {"name": f"Learner {number}"}
            )
            token, _ = launches.create_launch_session(
                session,
                registration,
                lifetime_seconds=86400,
                deployment_pk=deployment.id,
                user_pk=user.id,
                resource_link_pk=link.id,
                message_type="LtiResourceLinkRequest",
                role="learner",
                claims={},
            )
            attempt = start_or_resume_attempt(session, user, link, package, AttemptSettings()).attempt
            delivered = deliver_item(session, attempt, course, "item_1", user, review=False)
            paths.append(f"/player/commit?lt={token}&a={attempt.id}&i=item_1&d={delivered.delivery}")
    db.dispose()
    return paths


# -- the server ---------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PINNING_CONFIG = """
import os


def post_fork(server, worker):
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[worker.age % len(cpus)]})
"""


def start_gunicorn(
    database_url: str,
    data_dir: Path,
    port: int,
    workers: int,
    threads: int,
    pin_workers: bool = False,
    app: str = "bench.commit:wsgi_app()",
) -> subprocess.Popen:
    """gunicorn serving `app` (whose POST /bench/noop answers at once) on loopback, every worker warmed up."""
    env = {
        **os.environ,
        "CARECERT_DATABASE_URL": database_url,
        "CARECERT_DATA_DIR": str(data_dir),
        "CARECERT_SECRET_KEY": SECRET,
        "CARECERT_AUTO_MIGRATE": "false",
        "CARECERT_LOG_LEVEL": "WARNING",
        "CARECERT_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(REPO),
    }
    command = [
        str(REPO / ".venv" / "bin" / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--keep-alive",
        "120",  # learners' browsers keep their connection between commits
        "--log-level",
        "warning",
        *_pinning_config(data_dir, pin_workers),
        app,
    ]
    server = subprocess.Popen(command, env=env, cwd=REPO, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        raise RuntimeError("gunicorn did not start")
    _wait_for_every_worker(port, workers)
    return server


def _pinning_config(data_dir: Path, pin_workers: bool) -> list[str]:
    """--pin-workers: each worker on one CPU in turn, so that its threads pass the GIL on one core rather than
    waking each other on both (bench/commit_cpu.py --one-core shows what that costs in one process)."""
    if not pin_workers:
        return []
    config = data_dir / "gunicorn_pinning.py"
    config.write_text(PINNING_CONFIG)
    return ["--config", str(config)]


def _wait_for_every_worker(port: int, workers: int) -> None:
    """Each worker builds the app on start (seconds on this machine): wait until quick answers come back."""
    deadline = time.monotonic() + 120
    quick = 0
    while quick < 4 * workers and time.monotonic() < deadline:
        connection = HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        try:
            connection.request("POST", "/bench/noop", body=b"{}")
            connection.getresponse().read()
            quick = quick + 1 if time.perf_counter() - started < 0.2 else 0
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def resident_megabytes(server: subprocess.Popen) -> list[float]:
    sizes = []
    for pid in [server.pid, *worker_pids(server)]:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def workers_cpu_seconds(server: subprocess.Popen) -> float:
    """User and system CPU time of the gunicorn workers so far (every thread): beside the requests they
    answered, a steadier figure than throughput on a machine that other work loads."""
    return sum(process_cpu_seconds(pid) for pid in worker_pids(server))


def bench_engine(name: str, database_url: str, args: argparse.Namespace) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-commit-{name}-"))
    use_wrk = args.client == "wrk"
    learners = args.learners * (10 if use_wrk else 1)  # wrk: learners taken in turn, see the docstring
    paths = prepare(database_url, data_dir, learners)
    noop_paths = [f"/bench/noop?x={n}" for n in range(learners)]
    port = free_port()
    server = start_gunicorn(database_url, data_dir, port, args.workers, args.threads, args.pin_workers)

    def load(which: list[str], seconds: float, pause_ms: int = 0) -> dict:
        cpu_before = workers_cpu_seconds(server)
        if use_wrk:
            result = run_wrk(port, which, seconds, args.learners, pause_ms)
        else:
            result = run_load(port, which, seconds)
        answered = max(1.0, result["rate"] * seconds)
        cpu_seconds = workers_cpu_seconds(server) - cpu_before
        return {
            **result,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "cpu_ms": cpu_seconds / answered * 1000,
        }

    try:
        first_commits(port, paths)
        load(paths, 2.0)  # warm-up: imports, manifests parsed, connections opened
        load(noop_paths, 2.0)
        # No-op and commit loads take turns, so a VM whose speed swings between minutes slows both alike.
        phase = max(2.0, round(args.seconds / args.rounds))
        noop_rounds, commit_rounds = [], []
        for _ in range(args.rounds):
            noop_rounds.append(load(noop_paths, phase))
            commit_rounds.append(load(paths, phase))
        noop, commits = combined(noop_rounds), combined(commit_rounds)
        paced = load(paths, args.seconds, args.pause_ms) if use_wrk and args.pause_ms else None
        rss = resident_megabytes(server)
        load_average = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)  # the imported package
    client = "wrk, 2 threads" if use_wrk else "Python http.client, 2 processes"
    print(
        f"\n== {name}: {args.learners} concurrent learners ({learners} in all), {args.seconds:.0f} s each, "
        f"gunicorn {args.workers}x{args.threads}{' pinned' if args.pin_workers else ''}, load from {client}"
    )
    print(
        f"  no-op endpoint : {noop['rate']:8.0f} req/s  p50 {noop['p50_ms']:6.1f} ms  "
        f"p99 {noop['p99_ms']:6.1f} ms  {noop['cpu_ms']:5.2f} ms CPU  "
        f"errors {noop['errors']} {noop['error_codes']}"
    )
    print(
        f"  commit endpoint: {commits['rate']:8.0f} req/s  p50 {commits['p50_ms']:6.1f} ms  "
        f"p99 {commits['p99_ms']:6.1f} ms  {commits['cpu_ms']:5.2f} ms CPU  "
        f"errors {commits['errors']} {commits['error_codes']}"
    )
    ratios = [c["rate"] / n["rate"] for n, c in zip(noop_rounds, commit_rounds, strict=True)]
    print(
        f"  commits / no-op: {commits['rate'] / noop['rate']:.2f}"
        f"   (each round: {', '.join(f'{ratio:.2f}' for ratio in ratios)})"
    )
    if paced is not None:
        print(
            f"  paced commits  : {paced['rate']:8.0f} req/s  p50 {paced['p50_ms']:6.1f} ms  "
            f"p99 {paced['p99_ms']:6.1f} ms  {paced['cpu_ms']:5.2f} ms CPU  "
            f"errors {paced['errors']} {paced['error_codes']}   (each learner pausing {args.pause_ms} ms "
            "after an answer)"
        )
    print("  RSS per process (master first): " + ", ".join(f"{size:.0f} MB" for size in rss))
    print("  load average after the run: " + ", ".join(f"{value:.2f}" for value in load_average))


def combined(rounds: list[dict]) -> dict:
    """One figure for rounds of the same load: rates and CPU over all of them, the median round's p50 and
    the worst round's p99 (percentiles of separate runs do not merge exactly; the worst does not flatter)."""
    seconds = sum(part["seconds"] for part in rounds)
    answered = sum(part["rate"] * part["seconds"] for part in rounds)
    return {
        "rate": answered / seconds,
        "p50_ms": statistics.median(part["p50_ms"] for part in rounds),
        "p99_ms": max(part["p99_ms"] for part in rounds),
        "errors": sum(part["errors"] for part in rounds),
        "error_codes": [code for part in rounds for code in part["error_codes"]][:5],
        "cpu_ms": sum(part["cpu_seconds"] for part in rounds) / max(1.0, answered) * 1000,
    }


def postgres_schema(base_url: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = "bench_" + uuid.uuid4().hex[:10]
    engine = create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return (
        make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    )


def postgres_durability(url: str) -> str:
    """The server's own durability settings, printed as they are: a test server may run with fsync off."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = {
            name: connection.execute(text(f"SHOW {name}")).scalar()
            for name in ("fsync", "synchronous_commit", "full_page_writes")
        }
    engine.dispose()
    return ", ".join(f"{name}={value}" for name, value in found.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=12.0, help="measuring time of each load, in all")
    parser.add_argument("--rounds", type=int, default=3, help="no-op and commit loads take turns this often")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pin-workers", action="store_true", help="each gunicorn worker on one CPU in turn")
    parser.add_argument(
        "--pause-ms",
        type=int,
        default=40,
        help="the paced run (wrk only; 0: none): each connection waits this long after an answer",
    )
    parser.add_argument(
        "--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python"
    )
    parser.add_argument(
        "--only", choices=("sqlite", "postgresql"), help="one engine (default: SQLite, PostgreSQL if set)"
    )
    args = parser.parse_args()
    if args.client == "python" and not shutil.which("wrk"):
        print("wrk is not installed (scripts/install --test): load from Python clients, which share the CPU")
    if not CORPUS_PACKAGE.exists():
        sys.exit(f"the corpus package {CORPUS_PACKAGE} is missing")
    print(f"commit body: {len(commit_body(1))} bytes (SCORM 1.2, suspend_data + 12 interactions)")
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory(prefix="bench-commit-db-") as sqlite_dir:
            database = f"sqlite:///{Path(sqlite_dir) / 'bench.sqlite3'}"
            bench_engine("SQLite (WAL, synchronous=FULL)", database, args)
    pg_url = os.environ.get("CARECERT_TEST_PG_URL")
    if args.only == "sqlite":
        return
    if pg_url:
        bench_engine(f"PostgreSQL ({postgres_durability(pg_url)})", postgres_schema(pg_url), args)
    else:
        print("\nPostgreSQL run skipped: set CARECERT_TEST_PG_URL (bash scripts/postgres start prints one)")


if __name__ == "__main__":
    main()
