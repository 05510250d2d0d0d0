"""`carecert demo`: the tool and a small demo LMS side by side on loopback ports, registered with each other.

A demo and test aid, kept apart from the tool's code: the tool runs as `carecert serve` in a child process,
configured only through its CARECERT_* variables; the LMS (demo_lms, built on lti1p3platform) runs in this
process and registers the tool through LTI Dynamic Registration, as an LMS admin would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import requests

TOOL_START_SECONDS = 90


def _tool_environment(base_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CARECERT_BASE_URL": base_url,
            "CARECERT_DATA_DIR": str(data_dir),
            "CARECERT_REGISTRATION_AUTO_ACTIVATE": "true",  # the demo LMS is trusted: no admin approval step
            # Plain http on loopback: browsers drop Secure cookies there (the demo LMS is on the same site).
            "CARECERT_COOKIE_SECURE": "false",
        }
    )
    return env


def _start_tool(host: str, port: int, data_dir: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", "from lti_tool.cli import main; main()"]
    command += ["serve", "--bind", f"{host}:{port}", "--workers", "2"]
    return subprocess.Popen(command, env=_tool_environment(f"http://{host}:{port}", data_dir))


def _wait_for_tool(tool_url: str, tool: subprocess.Popen) -> None:
    deadline = time.monotonic() + TOOL_START_SECONDS
    while time.monotonic() < deadline:
        if tool.poll() is not None:
            raise click.ClickException(f"the tool stopped while starting (exit code {tool.returncode})")
        try:
            if requests.get(tool_url + "/lti/jwks", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise click.ClickException(f"the tool did not answer at {tool_url} within {TOOL_START_SECONDS} s")


def _tool_knows(platform, tool_url: str) -> bool:  # type: ignore[no-untyped-def]
    """Does the tool still hold the saved registration? (Its data folder may have been cleared.)"""
    tool = platform.tool
    params = {
        "iss": platform.issuer,
        "client_id": tool.client_id,
        "lti_deployment_id": tool.deployment_id,
        "login_hint": "instructor",
        "lti_message_hint": "registration-check",
        "target_link_uri": tool.target_link_uri,
    }
    answer = requests.get(tool_url + "/lti/login", params=params, allow_redirects=False, timeout=10)
    return answer.is_redirect


def _demo_platform(state_path: Path, issuer: str, tool_url: str):  # type: ignore[no-untyped-def]
    from demo_lms.platform import DemoPlatform
    from demo_lms.state import load_platform

    saved = load_platform(state_path, issuer)
    if saved is not None and saved.tools and _tool_knows(saved, tool_url):
        click.echo(f"Demo LMS: continuing the course saved in {state_path}", err=True)
        return saved
    # Moodle's stricter grade rules, so the demo gradebook shows what a real LMS would keep.
    return DemoPlatform(issuer, strict_scores=True)


def _register(platform, tool_url: str) -> None:  # type: ignore[no-untyped-def]
    answer = requests.get(platform.registration_start_url(tool_url + "/lti/register"), timeout=60)
    if answer.status_code != 200 or not platform.tools:
        raise click.ClickException(f"dynamic registration failed ({answer.status_code}): {answer.text[:500]}")


def _stop(tool: subprocess.Popen) -> None:
    if tool.poll() is None:
        tool.send_signal(signal.SIGTERM)  # gunicorn stops gracefully on TERM
        try:
            tool.wait(timeout=15)
        except subprocess.TimeoutExpired:
            tool.kill()
            tool.wait()


def _print_welcome(course_url: str, tool_url: str) -> None:
    click.echo(
        "\n".join(
            [
                "",
                "carecert-lti demo is running.",
                f"  Open the demo LMS course: {course_url}",
                "  1. Press 'Add an activity as Ines Instructor' and pick a unit in the tool (deep linking).",
                "  2. Press 'Launch as Lena Learner' on the new activity to take it as a learner.",
                f"  (The tool runs at {tool_url}; its log lines appear below.)",
                "Press Ctrl+C to stop.",
                "",
            ]
        )
    )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback address for both servers.")
@click.option("--tool-port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--lms-port", default=8001, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--data-dir",
    default=".data/demo",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the tool keeps its database and packages for the demo.",
)
@click.option("--stop-after", type=float, default=None, hidden=True, help="Stop after N seconds (tests).")
def demo(host: str, tool_port: int, lms_port: int, data_dir: Path, stop_after: float | None) -> None:
    """Try the tool without an LMS: start it beside a demo LMS and print the one URL to open."""
    from demo_lms.server import serve_platform
    from demo_lms.state import save_platform

    if tool_port == lms_port:
        raise click.BadParameter("the tool and the demo LMS need different ports", param_hint="--lms-port")
    data_dir.mkdir(parents=True, exist_ok=True)
    state_path = data_dir / "lms-state.json"
    tool_url = f"http://{host}:{tool_port}"
    tool = _start_tool(host, tool_port, data_dir.resolve() / "tool")
    stop = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())
    lms = None
    try:
        _wait_for_tool(tool_url, tool)
        platform = _demo_platform(state_path, f"http://{host}:{lms_port}", tool_url)
        try:
            lms = serve_platform(platform, host, lms_port, quiet=False)
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {host}:{lms_port} for the demo LMS: {exc}") from exc
        if not platform.tools:
            _register(platform, tool_url)
        platform.on_change = lambda: save_platform(platform, state_path)
        save_platform(platform, state_path)
        _print_welcome(lms.url + "/course", tool_url)
        deadline = None if stop_after is None else time.monotonic() + stop_after
        while not stop.wait(0.5):
            if tool.poll() is not None:
                raise click.ClickException(f"the tool stopped (exit code {tool.returncode})")
            if deadline is not None and time.monotonic() > deadline:
                break
    finally:
        _stop(tool)
        if lms is not None:
            lms.stop()
            save_platform(platform, state_path)
    click.echo("Demo stopped.")
