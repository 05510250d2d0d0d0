"""Grade delivery benchmark: drain 10,000 queued AGS scores to a local platform, beside its no-op rate.

The platform is the demo LMS (lti1p3platform; it verifies every access token and applies every score to its
gradebook) in its own process, so it and the worker each have a core. In the same run the script measures:

- no-op: POSTs of a score body to an endpoint of the same platform server that does nothing, with the same
  HTTP client set-up (keep-alive session, the worker's number of parallel sends): the ceiling that server and
  client allow;
- drain: `DeliveryWorker.run_until_idle()` over 10,000 queued scores (2,000 learners x 5 units, each a new
  (learner, line item) pair), from the first claim to the last recorded answer, database writes included;
- token requests counted by the platform (aim: exactly one for the registration).

    .venv/bin/python bench/grades.py [--scores 10000] [--concurrency 8] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

UNITS = 5
PER_TRANSACTION = 20  # a commit endpoint queues one per transaction; a few keep fsyncs out of the way


# -- the platform process ------------------------------------------------------------------------------
def serve_keep_alive(app):  # type: ignore[no-untyped-def]
    """The demo LMS on werkzeug's threaded server speaking HTTP/1.1, so clients keep their connections (its
    default HTTP/1.0 opens a TCP connection per request, which would make every figure a connect figure)."""
    import threading

    from werkzeug.serving import make_server

    from demo_lms.server import QuietRequestHandler, RunningServer

    class KeepAliveHandler(QuietRequestHandler):
        protocol_version = "HTTP/1.1"

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=KeepAliveHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return RunningServer(f"http://127.0.0.1:{server.port}", "127.0.0.1", server.port, server, thread)


def serve_platform(tool_url: str, learners: int) -> None:
    import flask

    from demo_lms.app import create_platform_app
    from demo_lms.platform import DemoPlatform

    platform = DemoPlatform(strict_scores=True)
    for n in range(learners):
        platform.add_user(f"b{n:05d}", f"Learner {n}")
    app = create_platform_app(platform)
    app.add_url_rule("/bench/noop", "noop", lambda: flask.jsonify({}), methods=["POST"])
    app.add_url_rule(
        "/bench/stats",
        "stats",
        lambda: flask.jsonify(
            tokens=platform.tokens_issued,
            applied=sum(1 for r in platform.gradebook.score_log if r.status == 200),
            refused=sum(1 for r in platform.gradebook.score_log if r.status != 200),
        ),
    )
    server = serve_keep_alive(app)
    platform.issuer = server.url
    tool = platform.register_tool_at(tool_url)
    links = [
        platform.add_resource_link(f"Unit {u}", line_item={"label": f"Unit {u}", "scoreMaximum": 100})
        for u in range(UNITS + 1)  # the last one takes the direct score POSTs of the baseline
    ]
    line_items = [platform.lineitem_url(platform.line_items[link.line_item_id]) for link in links]
    print(
        json.dumps(
            {
                "url": server.url,
                "client_id": tool.client_id,
                "deployment_id": tool.deployment_id,
                "links": [link.id for link in links],
                "line_items": line_items,
            }
        ),
        flush=True,
    )
    sys.stdin.read()  # until the benchmark closes our stdin


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


def queue_scores(db, registration_id: int, count: int) -> float:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from lti_tool.db.models import ResourceLink, User
    from lti_tool.grades import UnitScore, queue_score_for_result

    with db.session(readonly=True) as session:
        users = list(session.scalars(select(User.id).where(User.registration_id == registration_id)))
        links = list(
            session.scalars(select(ResourceLink.id).where(ResourceLink.registration_id == registration_id))
        )
    pairs = [(user, link) for link in links for user in users][:count]
    started = time.perf_counter()
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
    return time.perf_counter() - started


def _rate(http, url: str, bodies: list[str], headers: dict, concurrency: int) -> float:  # type: ignore[no-untyped-def]
    def post(body: str) -> int:
        return http.post(url, data=body, headers=headers, timeout=30).status_code

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(post, bodies[:100]))  # warm-up: connections open
        started = time.perf_counter()
        statuses = list(pool.map(post, bodies[100:]))
        elapsed = time.perf_counter() - started
    assert set(statuses) == {200}, set(statuses)
    return len(bodies[100:]) / elapsed


def baseline_rates(db, registration_id: int, info: dict, count: int, concurrency: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The platform's own rates with a plain client: a no-op endpoint, and score POSTs straight to its AGS
    endpoint (a line item of their own, the worker's shared token: no extra token request)."""
    from lti_tool.db.models import Registration
    from lti_tool.grades.ags import SCORE_TYPE, TokenSource, pooled_http_session, scores_url

    http = pooled_http_session(concurrency)
    with db.session(readonly=True) as session:
        registration = session.get(Registration, registration_id)
    token = TokenSource(db, registration, http, 30).token()
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
    noop = _rate(http, info["url"] + "/bench/noop", bodies, headers, concurrency)
    direct = _rate(http, scores_url(info["line_items"][UNITS]), bodies, headers, concurrency)
    return noop, direct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scores", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temporary folder")
    parser.add_argument("--serve-platform", nargs=2, metavar=("TOOL_URL", "LEARNERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_platform:
        serve_platform(args.serve_platform[0], int(args.serve_platform[1]))
        return

    from lti_tool.grades.worker import DeliveryWorker

    learners = -(-args.scores // UNITS)
    with tempfile.TemporaryDirectory() as folder:
        database_url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        tool_server, app = start_tool(database_url, folder)
        db = app.extensions["carecert"].db
        platform = subprocess.Popen(
            [sys.executable, __file__, "--serve-platform", tool_server.url, str(learners)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            info = json.loads(platform.stdout.readline())
            registration_id = seed(db, info, learners)
            queued_seconds = queue_scores(db, registration_id, args.scores)
            noop, direct = baseline_rates(db, registration_id, info, args.scores, args.concurrency)
            worker = DeliveryWorker(db, batch_size=args.batch_size, concurrency=args.concurrency)
            started = time.perf_counter()
            worker.run_until_idle()
            drained = time.perf_counter() - started
            worker.close()
            stats = requests.get(info["url"] + "/bench/stats", timeout=30).json()
        finally:
            platform.stdin.close()
            platform.wait(10)
            tool_server.stop()
    rate = args.scores / drained
    print(
        f"database: {db.dialect}; scores: {args.scores} ({learners} learners x {UNITS} line items); "
        f"parallel sends: {args.concurrency}; batch: {args.batch_size}"
    )
    queue_rate = args.scores / queued_seconds
    print(f"queue_score_for_result: {queue_rate:,.0f} scores/s ({PER_TRANSACTION} per transaction)")
    print(f"platform no-op POSTs:   {noop:,.0f} requests/s (same server, same client set-up)")
    print(f"platform score POSTs:   {direct:,.0f} scores/s (plain client straight to its AGS endpoint)")
    print(
        f"drain to the platform:  {rate:,.0f} scores/s ({drained:.2f} s): {rate / noop:.0%} of no-op, "
        f"{rate / direct:.0%} of the plain score POST rate"
    )
    print(
        f"platform applied {stats['applied']} scores, refused {stats['refused']}; "
        f"token requests: {stats['tokens']} (one registration)"
    )


if __name__ == "__main__":
    main()
