"""LTI login + launch round trips with the tool served as it is deployed: gunicorn on loopback, real HTTP.

    .venv/bin/python bench/launch_served.py [--seconds 8] [--workers 1] [--threads 4] [--database-url URL]

bench/launch.py calls both apps in process, so its no-op is Flask's work alone; a deployed tool also pays for
the server: gunicorn reading and parsing each request, the socket, the answer written back. This script puts
the tool under gunicorn (the server `carecert serve` runs, the same gthread worker) and lets a browser of
ours talk HTTP/1.1 to it over one keep-alive connection, cookies carried as a browser carries them. The
platform (the demo LMS on lti1p3platform, independent of our code) stays in this process, as in launch.py;
its JWKS is served over HTTP for the tool's one fetch.

One round trip: platform launch -> tool /lti/login -> platform /auth (signs the id_token) -> tool
/lti/launch (every check, user/course/link recorded, launch session opened). Baseline: the same four
requests to no-op endpoints of the two apps. No-op and LTI round trips alternate in blocks of
`BLOCK_SECONDS`, so a machine whose speed swings slows both alike. Figures:

- the gunicorn workers' CPU per round trip (user + system, from /proc): what the server spends on one
  login + launch against two no-op requests, the steadiest figure and the server's capacity ratio;
- the wall time of the two tool requests as the browser sees them (the tool's share of a round trip);
- whole round trips per second, the in-process platform's work included.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.commit import free_port, postgres_schema, resident_megabytes, start_gunicorn, workers_cpu_seconds  # noqa: E402
from bench.launch import NewLearners, next_form, path_and_query, record_platform  # noqa: E402
from demo_lms.app import create_platform_app  # noqa: E402
from demo_lms.platform import DemoPlatform  # noqa: E402
from demo_lms.server import serve_in_thread  # noqa: E402

BLOCK_SECONDS = 0.5
NOOP_PATH = "/bench/noop"


def tool_app():  # type: ignore[no-untyped-def]
    """gunicorn 'bench.launch_served:tool_app()': the tool plus a no-op endpoint, as in bench/launch.py."""
    from lti_tool.app import create_app

    app = create_app()
    app.add_url_rule(NOOP_PATH, "bench_noop", lambda: "ok", methods=["GET", "POST"])
    return app


class Browser:
    """One keep-alive connection to the tool, and the cookies the tool set on it (name=value only)."""

    def __init__(self, port: int) -> None:
        self.connection = HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.wall_seconds = 0.0  # time from sending a request to the tool until its answer is read

    def request(
        self, method: str, target: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict, bytes]:
        headers = {"Host": self.connection.host + f":{self.connection.port}"}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        self.connection.request(method, target, body=body, headers=headers)
        answer = self.connection.getresponse()
        data = answer.read()
        self.wall_seconds += time.perf_counter() - started
        for cookie in answer.msg.get_all("Set-Cookie") or []:
            pair, *attributes = cookie.split(";")
            name, _, value = pair.partition("=")
            if any(attribute.strip().lower() == "max-age=0" for attribute in attributes):
                self.cookies.pop(name.strip(), None)  # expired by the tool, as a browser drops it
            else:
                self.cookies[name.strip()] = value.strip()
        return answer.status, dict(answer.getheaders()), data


def one_round_trip(  # type: ignore[no-untyped-def]
    platform_client, browser: Browser, tool_url: str, link_id: str, learner: str
) -> None:
    start = platform_client.get(f"/launch?user={learner}&rl={link_id}&target=window")
    if start.status_code in (301, 302, 303):
        status, headers, _ = browser.request("GET", path_and_query(start.headers["Location"]))
    else:
        form = next_form(start, tool_url)
        if form.method == "post":
            status, headers, _ = browser.request("POST", path_and_query(form.action), form.fields)
        else:
            status, headers, _ = browser.request(
                "GET", path_and_query(form.action) + "?" + urlencode(form.fields)
            )
    if status != 302:
        raise RuntimeError(f"tool login answered {status}")
    auth = platform_client.get(path_and_query(headers["Location"]))
    form = next_form(auth, tool_url)
    status, _, page = browser.request("POST", path_and_query(form.action), form.fields)
    if status != 200 or b"data-launch-token" not in page:
        raise RuntimeError(f"launch answered {status}: {page[:300]!r}")


def no_op_round_trip(platform_client, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        if platform_client.get("/bench-noop").status_code != 200:
            raise RuntimeError("the platform's no-op failed")
        if browser.request("GET", NOOP_PATH)[0] != 200:
            raise RuntimeError("the tool's no-op failed")


@dataclass
class Tally:
    round_trips: int = 0
    seconds: float = 0.0
    tool_wall_seconds: float = 0.0
    server_cpu_seconds: float = 0.0

    def per_second(self) -> float:
        return self.round_trips / self.seconds

    def tool_per_second(self) -> float:
        return self.round_trips / self.tool_wall_seconds

    def server_cpu_ms(self) -> float:
        return self.server_cpu_seconds / self.round_trips * 1000


def run_block(round_trip, browser: Browser, server, tally: Tally) -> None:  # type: ignore[no-untyped-def]
    cpu_before, wall_before = workers_cpu_seconds(server), browser.wall_seconds
    started = time.perf_counter()
    stop_at = started + BLOCK_SECONDS
    while time.perf_counter() < stop_at:
        round_trip()
        tally.round_trips += 1
    tally.seconds += time.perf_counter() - started
    tally.tool_wall_seconds += browser.wall_seconds - wall_before
    tally.server_cpu_seconds += workers_cpu_seconds(server) - cpu_before


def register(database_url: str, data_dir: Path, tool_url: str, platform: DemoPlatform, lms_url: str) -> str:
    """The platform and the tool registered with each other; the resource link's id."""
    from lti_tool.app import create_app

    registered = platform.register_tool_at(tool_url, client_id="bench-client", deployment_id="1")
    link = platform.add_resource_link("Unit 1: Understand your role")
    app = create_app({"DATABASE_URL": database_url, "DATA_DIR": str(data_dir), "LOG_LEVEL": "ERROR"})
    db = app.extensions["carecert"].db
    with app.app_context(), db.session() as session:
        record_platform(session, lms_url, registered)
    db.dispose()
    return link.id


def measure(label: str, database_url: str | None, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-launch-served-") as folder:
        data_dir = Path(folder)
        database_url = database_url or f"sqlite:///{data_dir / 'tool.sqlite3'}"
        platform = DemoPlatform()
        platform_app = create_platform_app(platform)
        platform_app.add_url_rule("/bench-noop", "bench_noop", lambda: "ok")
        lms = serve_in_thread(platform_app)  # the tool fetches the platform's JWKS over real HTTP
        platform.issuer = lms.url
        port = free_port()
        tool_url = f"http://127.0.0.1:{port}"
        link_id = register(database_url, data_dir, tool_url, platform, lms.url)
        os.environ.update(CARECERT_COOKIE_SECURE="false", CARECERT_SQLITE_SYNCHRONOUS=args.synchronous)
        server = start_gunicorn(
            database_url, data_dir, port, args.workers, args.threads, app="bench.launch_served:tool_app()"
        )
        try:
            platform_client = platform_app.test_client()
            browser = Browser(port)
            learner = NewLearners(platform) if args.new_learners else lambda: "learner1"
            lti = lambda: one_round_trip(platform_client, browser, tool_url, link_id, learner())  # noqa: E731
            noop = lambda: no_op_round_trip(platform_client, browser)  # noqa: E731
            for _ in range(20):  # warm up: the JWKS fetched and kept, code paths loaded
                lti()
                noop()
            noop_tally, lti_tally = Tally(), Tally()
            deadline = time.perf_counter() + args.seconds * 2
            while time.perf_counter() < deadline:
                run_block(noop, browser, server, noop_tally)
                run_block(lti, browser, server, lti_tally)
            resident = max(resident_megabytes(server)[1:] or [0.0])
        finally:
            server.terminate()
            server.wait(timeout=30)
            lms.stop()
    report(label, noop_tally, lti_tally, resident, args)


def report(label: str, noop: Tally, lti: Tally, resident: float, args: argparse.Namespace) -> None:
    who = "a new learner each round trip" if args.new_learners else "the same learner relaunching"
    print(f"\n{label}: gunicorn {args.workers}x{args.threads} (gthread), one keep-alive browser, {who}")
    print(
        f"  whole round trip:   no-op {noop.per_second():7.1f}/s   LTI {lti.per_second():6.1f}/s"
        f"   ratio {lti.per_second() / noop.per_second():.3f}"
    )
    print(
        f"  tool's share, wall: no-op {noop.tool_per_second():7.1f}/s   LTI {lti.tool_per_second():6.1f}/s"
        f"   ratio {lti.tool_per_second() / noop.tool_per_second():.3f}   (aim: >= 0.33)"
    )
    print(
        f"  server CPU per round trip: no-op pair {noop.server_cpu_ms():5.2f} ms,"
        f" login+launch {lti.server_cpu_ms():5.2f} ms,"
        f"   ratio {noop.server_cpu_ms() / lti.server_cpu_ms():.3f}"
    )
    print(f"  largest worker's resident memory: {resident:.0f} MB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time for each of no-op and LTI")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--synchronous", default="FULL", help="SQLite's synchronous setting (default FULL)")
    parser.add_argument("--database-url", default=None, help="also measure on this database (PostgreSQL)")
    parser.add_argument(
        "--new-learners", action="store_true", help="a new learner each round trip, not one relaunching"
    )
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    measure(f"SQLite WAL synchronous={args.synchronous}", None, args)
    database_url = args.database_url or os.environ.get("CARECERT_TEST_PG_URL")
    if database_url:
        measure("PostgreSQL", postgres_schema(database_url), args)


if __name__ == "__main__":
    main()
