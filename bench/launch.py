"""LTI login + launch round trips per second, beside a no-op baseline measured in the same run.

The platform is the demo LMS (lti1p3platform, independent of our code), in process; the tool is our app with
its default embedded database (SQLite, WAL, synchronous=FULL) or --database-url. One round trip is what a
browser does: platform launch button -> tool /lti/login -> platform /auth (signs the id_token) -> tool
/lti/launch (every check, user/course/link recorded, launch session opened). The baseline is the same four
requests to no-op Flask endpoints on the same two apps, so the ratio says what the LTI work costs beyond the
framework itself.

In process, no-op and LTI round trips alternate for the measuring time, so a machine whose speed swings slows
both alike. Each figure also gives the tool's CPU milliseconds per round trip (and, inside the app, the lowest
decile of the round trips, the figure other work on the machine disturbs least) and the SQL statements it
ran per round trip (transaction control such as BEGIN/PRAGMA/SET not counted). PostgreSQL is measured too with
--database-url or when CARECERT_TEST_PG_URL is set.

.venv/bin/python bench/launch.py [--seconds 8] [--database-url URL] [--served]

--served adds the figures of bench/launch_served.py: the tool under gunicorn as deployed, over real HTTP.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from demo_lms.app import create_platform_app  # noqa: E402
from demo_lms.flow import parse_forms  # noqa: E402
from demo_lms.platform import DemoPlatform  # noqa: E402
from demo_lms.server import serve_in_thread  # noqa: E402
from lti_tool.app import create_app, services  # noqa: E402
from lti_tool.repo import registrations as registration_repo  # noqa: E402

TOOL_URL = "http://tool.bench"
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SET ")
POOL_PINGS = ("SELECT 1", ";")  # the pool's liveness check (pool_pre_ping), counted apart


class StatementCounter:
    """Counts the SQL statements the tool's database driver is sent (not transaction control, not the pool's
    liveness pings): SQLAlchemy's, and those the launch runs on the DBAPI cursor (lti_tool.db.driver), which
    SQLAlchemy's events never see."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.count = 0
        self.pings = 0
        self._sqlite = engine.dialect.name == "sqlite"
        event.listen(engine, "connect", self._hook)
        engine.dispose()  # connections opened before now are reopened, with the hook

    def _hook(self, dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        if self._sqlite:
            dbapi_connection.set_trace_callback(self._seen)
        else:
            import psycopg

            seen = self._seen

            class CountingCursor(psycopg.Cursor):
                def execute(self, query, params=None, **kwargs):  # type: ignore[no-untyped-def]
                    seen(query if isinstance(query, str) else str(query))
                    return super().execute(query, params, **kwargs)

            dbapi_connection.cursor_factory = CountingCursor

    def _seen(self, statement: str) -> None:
        text = statement.strip()
        if text in POOL_PINGS:
            self.pings += 1
        elif not text.upper().startswith(TRANSACTION_CONTROL):
            self.count += 1


def path_and_query(url: str) -> str:
    """What a request line names of `url`: its path and query."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def next_form(response, base_url: str):  # type: ignore[no-untyped-def]
    """The first form of a test client's `response` (the page a browser would submit next)."""
    forms = parse_forms(response.get_data(as_text=True), base_url)
    if not forms:
        raise RuntimeError(f"no form in HTTP {response.status_code}: {response.get_data(as_text=True)[:300]}")
    return forms[0]


class Timer:
    """Adds up the time spent inside the tool's requests, apart from the platform's."""

    def __init__(self) -> None:
        self.tool_seconds = 0.0
        self.tool_cpu_seconds = 0.0  # CPU time: the figure that survives a machine busy with other work

    def tool(self, call, *args, **kwargs):  # type: ignore[no-untyped-def]
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            return call(*args, **kwargs)
        finally:
            self.tool_seconds += time.perf_counter() - started
            self.tool_cpu_seconds += time.process_time() - started_cpu


def one_round_trip(
    platform_client, tool_client, link_id: str, timer: Timer, learner: str = "learner1"
) -> None:
    start = platform_client.get(f"/launch?user={learner}&rl={link_id}&target=window")
    if start.status_code in (301, 302, 303):
        login = timer.tool(tool_client.get, path_and_query(start.headers["Location"]))
    else:
        form = next_form(start, TOOL_URL)
        if form.method == "post":
            login = timer.tool(tool_client.post, path_and_query(form.action), data=form.fields)
        else:
            login = timer.tool(tool_client.get, path_and_query(form.action), query_string=form.fields)
    if login.status_code != 302:
        raise RuntimeError(f"tool login answered {login.status_code}: {login.get_data(as_text=True)[:500]}")
    auth = platform_client.get(path_and_query(login.headers["Location"]))
    form = next_form(auth, TOOL_URL)
    launch = timer.tool(tool_client.post, path_and_query(form.action), data=form.fields)
    if launch.status_code != 200 or b"data-launch-token" not in launch.data:
        raise RuntimeError(f"launch answered {launch.status_code}: {launch.get_data(as_text=True)[:500]}")


def no_op_round_trip(platform_client, tool_client, timer: Timer) -> None:
    for client in (platform_client, tool_client, platform_client, tool_client):
        response = (
            timer.tool(client.get, "/bench-noop") if client is tool_client else client.get("/bench-noop")
        )
        if response.status_code != 200:
            raise RuntimeError("no-op endpoint failed")


class ServerCpu:
    """CPU time inside the tool's WSGI app only: what a server does, without the test client's own work
    (building the browser's request, its cookie jar, reading the answer), which the Timer counts too."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.seconds = 0.0
        self._inner = app.wsgi_app
        app.wsgi_app = self

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        started = time.process_time()
        try:
            return self._inner(environ, start_response)
        finally:
            self.seconds += time.process_time() - started


@dataclass
class Figures:
    round_trips_per_second: float
    tool_round_trips_per_second: float  # counting only the time inside the tool's two requests
    tool_cpu_round_trips_per_second: float  # the same, by CPU time
    statements_per_round_trip: float = float("nan")
    pings_per_round_trip: float = float("nan")  # the pool's liveness checks (PostgreSQL's pool_pre_ping)
    server_cpu_ms: float = float("nan")  # CPU inside the tool's WSGI app per round trip
    server_cpu_low_ms: float = float("nan")  # its lowest decile: least touched by other work on the machine


def _lowest_decile(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 10] if ordered else float("nan")


def measure_interleaved(
    noop_action, lti_action, seconds: float, counter: StatementCounter, server: ServerCpu
) -> tuple[Figures, Figures]:
    """No-op and LTI round trips one after the other for `seconds`, so a machine whose speed swings (a shared
    VM) slows both alike; each figure also gets the lowest decile of its round trips' CPU inside the app."""
    timers, counts, totals = (Timer(), Timer()), [0, 0], [0.0, 0.0]
    in_app: tuple[list[float], list[float]] = ([], [])
    statements = pings = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for index, action in enumerate((noop_action, lti_action)):
            server_before, counted_before = server.seconds, (counter.count, counter.pings)
            started = time.perf_counter()
            action(timers[index])
            totals[index] += time.perf_counter() - started
            counts[index] += 1
            in_app[index].append(server.seconds - server_before)
            statements += (counter.count - counted_before[0]) if index else 0
            pings += (counter.pings - counted_before[1]) if index else 0
    noop, lti = (
        Figures(
            counts[i] / totals[i],
            counts[i] / timers[i].tool_seconds,
            counts[i] / timers[i].tool_cpu_seconds,
            server_cpu_ms=sum(in_app[i]) * 1000 / counts[i],
            server_cpu_low_ms=_lowest_decile(in_app[i]) * 1000,
        )
        for i in (0, 1)
    )
    lti.statements_per_round_trip, lti.pings_per_round_trip = statements / counts[1], pings / counts[1]
    return noop, lti


def build(database_url: str | None, data_dir: Path, synchronous: str = "FULL"):
    platform = DemoPlatform()
    platform_app = create_platform_app(platform)
    platform_app.add_url_rule("/bench-noop", "bench_noop", lambda: "ok")
    server = serve_in_thread(platform_app)  # the tool fetches the platform's JWKS over real HTTP
    platform.issuer = server.url
    tool_registration = platform.register_tool_at(TOOL_URL, client_id="bench-client", deployment_id="1")
    link = platform.add_resource_link("Unit 1: Understand your role")
    config = {
        "BASE_URL": TOOL_URL,
        "DATA_DIR": str(data_dir),
        "COOKIE_SECURE": False,
        "LOG_LEVEL": "ERROR",
        "SQLITE_SYNCHRONOUS": synchronous,
    }
    if database_url:
        config["DATABASE_URL"] = database_url
    tool_app = create_app(config)
    tool_app.add_url_rule("/bench-noop", "bench_noop", lambda: "ok")
    with tool_app.app_context(), services().db.session() as session:
        record_platform(session, server.url, tool_registration)
    return server, platform_app, tool_app, link


def record_platform(session, lms_url: str, registered) -> None:  # type: ignore[no-untyped-def]
    """The demo LMS at `lms_url` recorded in the tool's database as `registered` with it (its client id and
    deployment), as an admin's manual registration would; kept when a database holds it already."""
    registration = registration_repo.find_registration(session, lms_url, registered.client_id)
    if registration is None:
        registration = registration_repo.add_registration(
            session,
            issuer=lms_url,
            client_id=registered.client_id,
            auth_login_url=lms_url + "/auth",
            auth_token_url=lms_url + "/token",
            key_set_url=lms_url + "/jwks",
        )
    registration_repo.add_deployment(session, registration, registered.deployment_id)


class NewLearners:
    """A learner the tool has never seen for each round trip (the user's row always written), all in the
    same course and activity: a class opening a unit, rather than one learner relaunching it."""

    def __init__(self, platform: DemoPlatform) -> None:
        self._platform, self._count = platform, 0

    def __call__(self) -> str:
        self._count += 1
        user_id = f"bench-learner-{self._count}"
        self._platform.add_user(user_id, f"Bench Learner {self._count}")
        return user_id


def run(
    label: str, seconds: float, database_url: str | None, synchronous: str, new_learners: bool = False
) -> tuple[str, Figures, Figures]:
    with tempfile.TemporaryDirectory() as data_dir:
        server, platform_app, tool_app, link = build(database_url, Path(data_dir), synchronous)
        platform_client, tool_client = platform_app.test_client(), tool_app.test_client()
        learner = (
            NewLearners(platform_app.extensions["demo_platform"]) if new_learners else lambda: "learner1"
        )
        counter = StatementCounter(tool_app.extensions["carecert"].db.engine)
        inside_tool = ServerCpu(tool_app)
        try:
            for _ in range(10):  # warm up: JWKS fetched and cached, code paths loaded
                one_round_trip(platform_client, tool_client, link.id, Timer())
                no_op_round_trip(platform_client, tool_client, Timer())
            noop, lti = measure_interleaved(
                lambda timer: no_op_round_trip(platform_client, tool_client, timer),
                lambda timer: one_round_trip(platform_client, tool_client, link.id, timer, learner()),
                seconds,
                counter,
                inside_tool,
            )
        finally:
            server.stop()
            tool_app.extensions["carecert"].db.dispose()
    return label, noop, lti


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time for each figure")
    parser.add_argument("--database-url", default=None, help="also measure on this database (PostgreSQL)")
    parser.add_argument(
        "--served", action="store_true", help="also measure the tool under gunicorn (bench/launch_served.py)"
    )
    args = parser.parse_args()
    args.database_url = args.database_url or os.environ.get("CARECERT_TEST_PG_URL")
    runs = [
        run("SQLite WAL synchronous=FULL (default)", args.seconds, None, "FULL"),
        run("SQLite FULL, a new learner each round trip", args.seconds, None, "FULL", new_learners=True),
        run("SQLite WAL synchronous=NORMAL", args.seconds, None, "NORMAL"),
    ]
    if args.database_url:
        runs.append(run("PostgreSQL", args.seconds, args.database_url, "FULL"))
    print(f"one process, in-process WSGI clients; {args.seconds:.0f} s per database, no-op and LTI in turn")
    print(
        "round trip = platform launch -> tool login -> platform auth (signs) -> tool launch;"
        " no-op = 4 no-op GETs"
    )
    for label, noop, lti in runs:
        print(f"\n{label}")
        print(
            f"  whole round trip:  no-op {noop.round_trips_per_second:8.1f}/s"
            f"   LTI {lti.round_trips_per_second:7.1f}/s"
            f"   ratio {lti.round_trips_per_second / noop.round_trips_per_second:.3f}"
        )
        print(
            f"  tool's share only: no-op {noop.tool_round_trips_per_second:8.1f}/s"
            f"   LTI {lti.tool_round_trips_per_second:7.1f}/s"
            f"   ratio {lti.tool_round_trips_per_second / noop.tool_round_trips_per_second:.3f}"
            "   (aim: >= 0.33)"
        )
        print(
            f"  tool's share, CPU: no-op {noop.tool_cpu_round_trips_per_second:8.1f}/s"
            f"   LTI {lti.tool_cpu_round_trips_per_second:7.1f}/s"
            f"   ratio {lti.tool_cpu_round_trips_per_second / noop.tool_cpu_round_trips_per_second:.3f}"
        )
        print(
            f"  per login+launch:  tool CPU {1000 / lti.tool_cpu_round_trips_per_second:6.2f} ms"
            f" (no-op pair {1000 / noop.tool_cpu_round_trips_per_second:5.2f} ms),"
            f"   SQL statements {lti.statements_per_round_trip:4.1f}"
            f" (+ {lti.pings_per_round_trip:3.1f} pool pings)"
        )
        print(
            f"  inside the tool's WSGI app only, CPU: no-op pair {noop.server_cpu_ms:5.2f} ms,"
            f" login+launch {lti.server_cpu_ms:5.2f} ms,"
            f"   ratio {noop.server_cpu_ms / lti.server_cpu_ms:.3f}"
        )
        print(
            f"  the same, lowest decile of the round trips: no-op pair {noop.server_cpu_low_ms:5.2f} ms,"
            f" login+launch {lti.server_cpu_low_ms:5.2f} ms,"
            f"   ratio {noop.server_cpu_low_ms / lti.server_cpu_low_ms:.3f}"
        )

    if args.served:
        from bench import launch_served

        database = ["--database-url", args.database_url] if args.database_url else []
        launch_served.main(["--seconds", str(args.seconds), *database])
        launch_served.main(["--seconds", str(args.seconds), "--new-learners"])


if __name__ == "__main__":
    main()
