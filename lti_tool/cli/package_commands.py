"""`carecert package …`: look at a SCORM package before importing it."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from scorm.inspect import PackageReport, inspect_package

# Above this size a progress line is shown even when stderr is not a terminal (CI logs, pipes).
LARGE_PACKAGE_BYTES = 50 * 1024 * 1024
EDITION_WORDS = {2: "2nd Edition", 3: "3rd Edition", 4: "4th Edition"}


@click.group()
def package() -> None:
    """Inspect SCORM packages."""


@package.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option("--strict", is_flag=True, help="Also validate imsmanifest.xml against the IMS/ADL XML schemas.")
@click.option(
    "--xsd-dir",
    type=click.Path(file_okay=False),
    envvar="CARECERT_XSD_DIR",
    help="Folder holding the IMS/ADL schemas for --strict (default: $CARECERT_XSD_DIR).",
)
@click.option("--quick", is_flag=True, help="Do not read every file back (skips the integrity check).")
def inspect(path: str, as_json: bool, strict: bool, xsd_dir: str | None, quick: bool) -> None:
    """Show a package's version, structure and problems; exit 1 if it would be refused."""
    progress = _Progress(os.path.getsize(path) if os.path.isfile(path) else 0)
    try:
        report = inspect_package(
            path, strict=strict, xsd_dir=xsd_dir, check_files=not quick, on_progress=progress
        )
    finally:
        progress.finish()
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(report))
    sys.exit(0 if report.importable else 1)


class _Progress:
    """A progress bar on stderr: a live bar on a terminal, a line per 10% for large packages elsewhere."""

    def __init__(self, package_bytes: int):
        self.is_tty = sys.stderr.isatty()
        self.enabled = self.is_tty or package_bytes >= LARGE_PACKAGE_BYTES
        self.bar: Any = None
        self.shown = 0
        self.next_step = 10

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if self.is_tty:
            if self.bar is None:
                self.bar = click.progressbar(length=total, label="Checking files", file=sys.stderr)
                self.bar.__enter__()
            self.bar.update(done - self.shown)
            self.shown = done
            return
        percent = done * 100 // total
        while percent >= self.next_step:
            click.echo(f"checked {self.next_step}% of {total / 1024**2:.1f} MB", err=True)
            self.next_step += 10

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def render_text(report: PackageReport) -> str:
    lines = [f"Package: {report.source}"]
    if report.manifest is not None:
        lines += _describe_manifest(report)
    lines += _describe_problems(report)
    verdict = "importable" if report.importable else f"REFUSED ({report.counts['errors']} error(s))"
    lines.append(f"Result: {verdict}")
    return "\n".join(lines)


def _describe_manifest(report: PackageReport) -> list[str]:
    m = report.manifest
    assert m is not None
    version = f"SCORM {m.version}" if m.version else "unknown SCORM version"
    if m.edition:
        version += f" {EDITION_WORDS.get(m.edition, m.edition)}"
    lines = [f"Version: {version} ({m.version_evidence})", f"Title: {report.title}", "Organisations:"]
    default = m.default_organization
    for org in m.organizations:
        marks = [
            mark for mark, on in (("default", org is default), ("built from SCOs", org.synthesised)) if on
        ]
        suffix = f" ({', '.join(marks)})" if marks else ""
        lines.append(f"  {org.identifier or '(no identifier)'}: {org.title or '(no title)'}{suffix}")
        for item in org.items:
            lines += _describe_item(item, depth=2)
    c = report.counts
    lines.append(
        f"Counts: {c['organizations']} organisation(s), {c['items']} item(s), {c['scos']} SCO(s), "
        f"{c['assets']} launchable asset(s), {c['resources']} resource(s), {c['files']} file(s), "
        f"{c['bytes'] / 1024**2:.1f} MB; sequencing: {'yes' if m.has_sequencing else 'no'}"
    )
    return lines


def _describe_item(item: Any, depth: int) -> list[str]:
    indent = "  " * depth
    hidden = " (hidden)" if not item.isvisible else ""
    launch = f"  [{item.resource_scorm_type}] {item.launch}" if item.launch else ""
    lines = [f"{indent}- {item.identifier}: {item.title or '(no title)'}{hidden}{launch}"]
    for kid in item.children:
        lines += _describe_item(kid, depth + 1)
    return lines


def _describe_problems(report: PackageReport) -> list[str]:
    if not report.problems:
        return ["Problems: none"]
    lines = [f"Problems ({len(report.problems)}):"]
    for p in sorted(report.problems, key=lambda p: (not p.is_error, p.code)):
        where = f" at {p.location}" if p.location else ""
        lines.append(f"  {p.severity:<7} {p.code}{where}: {p.message}")
    return lines
