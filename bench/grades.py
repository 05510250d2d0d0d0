"""Grade delivery benchmark: drain 10,000 queued AGS scores to a local platform, beside its no-op rate.

The platform is the demo LMS (lti1p3platform; it verifies every access token and applies every score to its
gradebook), served by gunicorn in several processes that share its gradebook and token log in a SQLite file
(demo_lms/shared.py), so that the platform is not the slower side. In the same run the script measures:

- no-op: POSTs of a score body to an endpoint of the same platform server that does nothing, with the same
  HTTP client set-up (keep-alive session, the worker's number of parallel sends): the ceiling that server and
  client allow;
- plain scores: the same client POSTing scores straight to the platform's AGS endpoint (the platform's rate);
- queueing: `queue_score_for_result` for 10,000 results (2,000 learners x 5 units, each a new pair);
- drain: `DeliveryWorker.run_until_idle()` over those 10,000 scores, from the first claim to the last recorded
  answer, database writes included;
- CPU milliseconds per operation of our process and of the platform's processes (steadier than rates on a
  busy machine), and the token requests the platform counted (aim: exactly one for the registration).

    .venv/bin/python bench/grades.py [--scores 10000] [--concurrency 8] [--database-url URL]
                                     [--platform-workers 4] [--profile drain|queue]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.proc_cpu import process_cpu_seconds  # noqa: E402

UNITS = 5
PER_TRANSACTION = 20  # a commit endpoint queues one per transaction; a few keep fsyncs out of the way


# -- the platform processes -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def save_platform_state(folder: str, tool_url: str, learners: int) -> dict:
    """The platform every gunicorn worker loads: key, course, learners, our tool, one line item per unit."""
    from demo_lms.platform import DemoPlatform
    from demo_lms.shared import SharedFile
    from demo_lms.state import save_platform

    port = free_port()
    platform = DemoPlatform(f"http://127.0.0.1:{port}", strict_scores=True)
    for n in range(learners):
        platform.add_user(f"b{n:05d}", f"Learner {n}")
    tool = platform.register_tool_at(tool_url)
    links = [
        platform.add_resource_link(f"Unit {u}", line_item={"label": f"Unit {u}", "scoreMaximum": 100})
        for u in range(UNITS + 1)  # the last one takes the direct score POSTs of the baseline
    ]
    state, store = Path(folder, "platform.json"), Path(folder, "platform.sqlite3")
    save_platform(platform, state)
    SharedFile(store).create()
    return {
        "url": platform.issuer,
        "port": port,
        "state": str(state),
        "store": str(store),
        "client_id": tool.client_id,
        "deployment_id": tool.deployment_id,
        "links": [link.id for link in links],
        "line_items": [platform.lineitem_url(platform.line_items[link.line_item_id]) for link in links],
    }


def start_platform(info: dict, workers: int, threads: int) -> subprocess.Popen:
    app = f"demo_lms.shared:create_shared_app(state={info['state']!r}, store={info['store']!r})"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-k",
        "gthread",
        "-w",
        str(workers),
        "--threads",
        str(threads),
    ]
    command += ["-b", f"127.0.0.1:{info['port']}", "--keep-alive", "30", "--log-level", "warning", app]
    process = subprocess.Popen(command, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(info["url"] + "/jwks", timeout=2).ok:
                return process
        except requests.RequestException:  # not listening yet, or its workers still booting
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the platform did not start")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes, from /proc (Linux)."""
    total = 0.0
    for pid in pids:
        try:
            total += process_cpu_seconds(pid)
        except OSError:  # ended meanwhile
            continue
    return total


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


@contextmanager
def cpu_meter(platform_pids: list[int]):  # type: ignore[no-untyped-def]
    """Wall seconds, our process's CPU seconds and the platform's, over the block."""
    figures: dict[str, float] = {}
    wall, ours, theirs = time.perf_counter(), time.process_time(), cpu_seconds(platform_pids)
    yield figures
    figures["wall"] = time.perf_counter() - wall
    figures["ours"] = time.process_time() - ours
    figures["platform"] = cpu_seconds(platform_pids) - theirs


# -- the benchmark process ------------------------------------------------------------------------------
def start_tool(database_url: str, data_dir: str):  # type: ignore[no-untyped-def]
    from demo_lms.server import serve_in_thread
    from lti_tool.app import create_app

    holder: dict = {}
    server = serve_in_thread(lambda environ, start: holder["app"](environ, start))
    holder["app"] = create_app(
        {
            "BASE_URL": server.url,
            "DATABASE_URL": database_url,
            "DATA_DIR": data_dir,
            "SECRET_KEY": "bench",
            "LOG_LEVEL": "WARNING",
        }
    )
    return server, holder["app"]


def seed(db, info: dict, learners: int) -> int:  # type: ignore[no-untyped-def]
    """Our side of the course: registration, learners, activities with the platform's line items."""
    from lti_tool.db.models import Context, Deployment, Registration, ResourceLink, User
    from lti_tool.grades.ags import SERVICE_SCOPES

    url = info["url"]
    with db.session() as session:
        registration = Registration(
            issuer=url,
            client_id=info["client_id"],
            auth_login_url=url + "/auth",
            auth_token_url=url + "/token",
            key_set_url=url + "/jwks",
            scopes=" ".join(SERVICE_SCOPES),
        )
        session.add(registration)
        session.flush()
        deployment = Deployment(registration_id=registration.id, deployment_id=info["deployment_id"])
        session.add(deployment)
        session.flush()
        context = Context(
            registration_id=registration.id, deployment_pk=deployment.id, context_id="CareCert-L2"
        )
        session.add(context)
        session.flush()
        session.add_all(
            ResourceLink(
                registration_id=registration.id,
                deployment_pk=deployment.id,
                context_pk=context.id,
                resource_link_id=link_id,
                title=link_id,
                unit_ref="package:1",
                lineitem_url=item,
            )
            for link_id, item in zip(info["links"][:UNITS], info["line_items"][:UNITS], strict=True)
        )
        session.add_all(User(registration_id=registration.id, sub=f"b{n:05d}") for n in range(learners))
        return registration.id


def queue_scores(db, registration_id: int, count: int) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from lti_tool.db.models import ResourceLink, User
    from lti_tool.grades import UnitScore, queue_score_for_result

    with db.session(readonly=True) as session:
        users = list(session.scalars(select(User.id).where(User.registration_id == registration_id)))
        links = list(
            session.scalars(select(ResourceLink.id).where(ResourceLink.registration_id == registration_id))
        )
    pairs = [(user, link) for link in links for user in users][:count]
    for start in range(0, len(pairs), PER_TRANSACTION):
        with db.session() as session:
            for n, (user, link) in enumerate(pairs[start : start + PER_TRANSACTION]):
                result = UnitScore("completed", "passed", ((start + n) % 100) / 100, 1)
                queue_score_for_result(
                    session,
                    registration_id=registration_id,
                    user_id=user,
                    resource_link_id=link,
                    unit_result=result,
                    produced_at=datetime.now(UTC),
                )


def _posts(http, url: str, bodies: list[str], headers: dict, concurrency: int, pids: list[int]) -> dict:  # type: ignore[no-untyped-def]
    def post(body: str) -> int:
        return http.urlopen("POST", url, body=body, headers=headers, timeout=30, retries=False).status

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(post, bodies[:100]))  # warm-up: connections open
        with cpu_meter(pids) as figures:
            statuses = list(pool.map(post, bodies[100:]))
    if set(statuses) != {200}:
        raise RuntimeError(f"the platform answered {sorted(set(statuses))}")
    figures["count"] = len(bodies) - 100
    return figures


def baseline_rates(
    db, registration_id: int, info: dict, count: int, concurrency: int, pids: list[int]
) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """The platform's own rates with a plain client: a no-op endpoint, and score POSTs straight to its AGS
    endpoint (a line item of their own, the worker's shared token: no extra token request)."""
    from lti_tool.db.models import Registration
    from lti_tool.grades.ags import SCORE_TYPE, TokenSource, pooled_http_session, scores_url, service_pool

    http = service_pool(concurrency)  # the worker's own client set-up
    with db.session(readonly=True) as session:
        registration = session.get(Registration, registration_id)
    token = TokenSource(db, registration, pooled_http_session(1), 30).token()
    headers = {"Content-Type": SCORE_TYPE, "Authorization": f"Bearer {token}"}
    moment = datetime.now(UTC).isoformat(timespec="milliseconds")
    learners = -(-count // UNITS)
    bodies = [  # one score per learner: each is the first of its (learner, line item), never a 409
        json.dumps(
            {
                "userId": f"b{n:05d}",
                "scoreGiven": 80,
                "scoreMaximum": 100,
                "activityProgress": "Completed",
                "gradingProgress": "FullyGraded",
                "timestamp": moment,
            }
        )
        for n in range(learners)
    ]
    noop = _posts(http, info["url"] + "/bench/noop", bodies, headers, concurrency, pids)
    direct = _posts(http, scores_url(info["line_items"][UNITS]), bodies, headers, concurrency, pids)
    http.clear()
    return noop, direct


@contextmanager
def maybe_profile(wanted: bool):  # type: ignore[no-untyped-def]
    if not wanted:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    yield
    profile.disable()
    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(30)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scores", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8, help="the worker's parallel sends")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--platform-workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--platform-threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument(
        "--database-url", default="", help="default: SQLite in a temporary folder; PostgreSQL: a new database"
    )
    parser.add_argument("--profile", choices=("drain", "queue"), help="print a profile of that phase")
    return parser.parse_args()


def per_op(figures: dict, count: int) -> str:
    return (
        f"{count / figures['wall']:,.0f}/s; CPU per op: ours {figures['ours'] / count * 1000:.2f} ms, "
        f"platform {figures['platform'] / count * 1000:.2f} ms"
    )


@contextmanager
def bench_database(url: str, folder: str):  # type: ignore[no-untyped-def]
    """SQLite in the temporary folder, or on PostgreSQL a database of its own on the server the URL names,
    dropped afterwards (rows left by another run would be drained, or retried, with ours)."""
    if not url:
        yield f"sqlite:///{folder}/bench.sqlite3"
        return
    if not url.startswith("postgresql"):
        yield url
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    server = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = "bench_grades_" + uuid.uuid4().hex[:10]
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    args = parse_args()
    from lti_tool.grades.worker import DeliveryWorker

    learners = -(-args.scores // UNITS)
    with tempfile.TemporaryDirectory() as folder, bench_database(args.database_url, folder) as database_url:
        tool_server, app = start_tool(database_url, folder)
        db = app.extensions["carecert"].db
        info = save_platform_state(folder, tool_server.url, learners)
        platform = start_platform(info, args.platform_workers, args.platform_threads)
        try:
            pids = children_of(platform.pid)
            registration_id = seed(db, info, learners)
            with cpu_meter(pids) as queued, maybe_profile(args.profile == "queue"):
                queue_scores(db, registration_id, args.scores)
            noop, direct = baseline_rates(db, registration_id, info, args.scores, args.concurrency, pids)
            worker = DeliveryWorker(db, batch_size=args.batch_size, concurrency=args.concurrency)
            with cpu_meter(pids) as drained, maybe_profile(args.profile == "drain"):
                worker.run_until_idle()
            worker.close()
            stats = requests.get(info["url"] + "/bench/stats", timeout=30).json()
        finally:
            platform.terminate()
            platform.wait(30)
            tool_server.stop()
            db.engine.dispose()
    report(args, db.dialect, learners, queued, noop, direct, drained, stats)


def report(args, dialect, learners, queued, noop, direct, drained, stats) -> None:  # type: ignore[no-untyped-def]
    rate, noop_rate = args.scores / drained["wall"], noop["count"] / noop["wall"]
    direct_rate = direct["count"] / direct["wall"]
    print(
        f"database: {dialect}; scores: {args.scores} ({learners} learners x {UNITS} line items); "
        f"parallel sends: {args.concurrency}; batch: {args.batch_size}; platform: gunicorn "
        f"{args.platform_workers} processes x {args.platform_threads} threads; cores: {os.cpu_count()}; "
        f"load average before: {load_before}"
    )
    print(f"queue_score_for_result: {per_op(queued, args.scores)} ({PER_TRANSACTION} per transaction)")
    print(f"platform no-op POSTs:   {per_op(noop, noop['count'])} (same server, same client set-up)")
    print(f"platform score POSTs:   {per_op(direct, direct['count'])} (plain client to its AGS endpoint)")
    print(f"drain to the platform:  {per_op(drained, args.scores)}")
    print(
        f"drain rate: {rate / noop_rate:.0%} of the no-op rate, {rate / direct_rate:.0%} of the plain "
        f"score POST rate; load average after: {os.getloadavg()[0]:.2f}"
    )
    print(
        f"platform applied {stats['applied']} scores, refused {stats['refused']}; token requests: "
        f"{stats['token_requests']} ({stats['tokens']} granted; one registration)"
    )


load_before = f"{os.getloadavg()[0]:.2f}"

if __name__ == "__main__":
    main()
