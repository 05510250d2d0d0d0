"""Rules about resources, launch files, file lists, identifiers and dependencies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from scorm.manifest.launch import is_external, package_path, resolve_href
from scorm.problems import Severity
from scorm.validation.context import ManifestContext
from scorm.validation.registry import Finding, rule

E, W = Severity.ERROR, Severity.WARNING


@rule("CP-038", W, "A launched resource has no adlcp:scormType; it is treated as an asset.")
def resource_without_scorm_type(ctx: ManifestContext) -> Iterator[Finding]:
    for resource in ctx.launched_resources():
        if resource.scorm_type is None:
            yield Finding(
                f"<resource> {resource.identifier!r} has no adlcp:scormType; it is treated as an asset "
                "(no run-time tracking).",
                ctx.at(resource.line),
            )


@rule("CP-039", E, "A <resource> has no identifier.")
def resource_without_identifier(ctx: ManifestContext) -> Iterator[Finding]:
    for resource in ctx.manifest.resources:
        if not resource.identifier:
            yield Finding("<resource> has no identifier attribute (required).", ctx.at(resource.line))


@rule("CP-040", E, "An item's identifierref names no resource.")
def item_resource_missing(ctx: ManifestContext) -> Iterator[Finding]:
    for item in ctx.all_items():
        if item.identifierref and ctx.resource_for(item) is None:
            yield Finding(
                f"<item> {item.identifier!r} refers to resource {item.identifierref!r}, which the manifest "
                "does not define.",
                ctx.at(item.line),
            )


@rule("CP-041", E, "A SCO, or a resource an item launches, has no href.")
def launch_href_missing(ctx: ManifestContext) -> Iterator[Finding]:
    launched = {r.identifier for r in ctx.launched_resources()}
    for resource in ctx.manifest.resources:
        if resource.href is None and (resource.is_sco or resource.identifier in launched):
            yield Finding(
                f"<resource> {resource.identifier!r} has no href, so there is nothing to launch.",
                ctx.at(resource.line),
            )


@rule("CP-042", E, "A launch file is not in the package.")
def launch_file_missing(ctx: ManifestContext) -> Iterator[Finding]:
    if ctx.is_manifest_only:
        return  # CP-052 explains instead
    for resource in ctx.launched_resources():
        path = _launch_path(resource.base, resource.href)
        if path is None or ctx.has_file(path):
            continue
        other_case = ctx.same_name_other_case(path)
        hint = f" (there is {other_case!r}: names are case-sensitive on the server)" if other_case else ""
        yield Finding(
            f"<resource> {resource.identifier!r} launches {path!r}, which is not in the package{hint}.",
            ctx.at(resource.line),
        )


@rule("CP-043", W, "A file listed in the manifest is not in the package (common in real exports).")
def listed_file_missing(ctx: ManifestContext) -> Iterator[Finding]:
    if ctx.is_manifest_only:
        return
    for resource in ctx.manifest.resources:
        for entry in resource.files:
            if entry.href and entry.path and not ctx.has_file(entry.path):
                yield Finding(
                    f"<file href={entry.href!r}> of resource {resource.identifier!r} is not in the package.",
                    ctx.at(entry.line),
                )


@rule("CP-044", E, "An identifier is used more than once in the manifest.")
def duplicate_identifiers(ctx: ManifestContext) -> Iterator[Finding]:
    m = ctx.manifest
    # IMS CP declares these identifiers as xs:ID: unique across the whole document.
    owners = [(m.identifier, m.line)] + [(o.identifier, o.line) for o in m.organizations if not o.synthesised]
    owners += [(i.identifier, i.line) for i in ctx.all_items()] + [
        (r.identifier, r.line) for r in m.resources
    ]
    owners += [(sub_id, None) for sub_id in m.sub_manifest_ids]
    counts = Counter(identifier for identifier, _ in owners if identifier)
    reported: set[str] = set()
    for identifier, line in owners:
        if counts[identifier] > 1 and identifier not in reported:
            reported.add(identifier)
            yield Finding(
                f"identifier {identifier!r} is used {counts[identifier]} times; it must be unique.",
                ctx.at(line),
            )


@rule("CP-045", W, "A <dependency> names no resource.")
def dependency_missing(ctx: ManifestContext) -> Iterator[Finding]:
    known = {r.identifier for r in ctx.manifest.resources}
    for resource in ctx.manifest.resources:
        for ref in resource.dependencies:
            if ref not in known:
                yield Finding(
                    f"<resource> {resource.identifier!r} depends on {ref!r}, "
                    "which the manifest does not define.",
                    ctx.at(resource.line),
                )


@rule("CP-048", E, "A launch href leaves the package (../ above the root, or an absolute path).")
def launch_outside_package(ctx: ManifestContext) -> Iterator[Finding]:
    for resource in ctx.launched_resources():
        if resource.href is None:
            continue
        url = resolve_href(resource.base, resource.href)
        if not is_external(url) and package_path(url) is None:
            yield Finding(
                f"<resource> {resource.identifier!r} launches {url!r}, which is outside the package.",
                ctx.at(resource.line),
            )


@rule("CP-049", W, "A launch href is an absolute URL on another site; it is not checked.")
def launch_external(ctx: ManifestContext) -> Iterator[Finding]:
    for resource in ctx.launched_resources():
        if resource.href and is_external(resolve_href(resource.base, resource.href)):
            yield Finding(
                f"<resource> {resource.identifier!r} launches {resource.href!r} on another site; "
                "it will only work if that site allows framing and stays online.",
                ctx.at(resource.line),
            )


@rule("CP-052", W, "The package holds only the manifest: launch files cannot be checked.")
def manifest_only_package(ctx: ManifestContext) -> Iterator[Finding]:
    if ctx.is_manifest_only and ctx.launched_resources():
        yield Finding(
            "the package contains only imsmanifest.xml (a manifest-only package, allowed by IMS CP); "
            "the content files must be added before learners can launch it.",
            ctx.manifest_name,
        )


def _launch_path(base: str, href: str | None) -> str | None:
    if not href:
        return None
    url = resolve_href(base, href)
    return None if is_external(url) else package_path(url)
