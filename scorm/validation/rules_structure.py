"""Rules about the version and the organisation/item structure."""

from __future__ import annotations

from collections.abc import Iterator

from scorm.manifest.version import from_namespaces
from scorm.problems import Severity
from scorm.validation.context import ManifestContext
from scorm.validation.registry import Finding, rule

E, W = Severity.ERROR, Severity.WARNING


@rule("CP-020", E, "The SCORM version cannot be determined (no known schemaversion or namespaces).")
def unknown_version(ctx: ManifestContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m.version is None:
        shown = f'schemaversion "{m.schemaversion}"' if m.schemaversion else "no schemaversion"
        yield Finding(
            f"unknown SCORM version: {shown} and no SCORM 1.2 or 2004 namespaces. "
            "Only SCORM 1.2 and SCORM 2004 (2nd, 3rd, 4th Edition) packages are supported.",
            ctx.at(m.line),
        )


@rule("CP-021", W, "No metadata/schemaversion: the version was inferred from the namespaces.")
def schemaversion_missing(ctx: ManifestContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m.version is not None and not m.schemaversion:
        edition = f" {_edition_words(m.edition)}" if m.edition else ""
        yield Finding(
            f"the manifest has no <schemaversion>; read as SCORM {m.version}{edition} "
            f"({m.version_evidence}).",
            ctx.at(m.line),
        )


@rule("CP-022", W, "schemaversion is not a known value: the version was inferred from the namespaces.")
def schemaversion_unrecognised(ctx: ManifestContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m.version is not None and m.schemaversion and not m.version_evidence.startswith("schemaversion"):
        yield Finding(
            f'<schemaversion> "{m.schemaversion}" is not a SCORM version; read as SCORM {m.version} '
            f"({m.version_evidence}).",
            ctx.at(m.line),
        )


@rule("CP-023", W, "schemaversion and the namespaces disagree; schemaversion is trusted.")
def schemaversion_contradicted(ctx: ManifestContext) -> Iterator[Finding]:
    m = ctx.manifest
    by_namespace = from_namespaces(set(m.namespaces))
    trusted_schemaversion = m.version_evidence.startswith("schemaversion")
    if trusted_schemaversion and by_namespace and by_namespace != m.version:
        yield Finding(
            f'<schemaversion> says "{m.schemaversion}" but the namespaces are SCORM {by_namespace}; '
            f"read as SCORM {m.version}.",
            ctx.at(m.line),
        )


@rule("CP-024", W, "The <manifest> element has no identifier attribute.")
def manifest_without_identifier(ctx: ManifestContext) -> Iterator[Finding]:
    if not ctx.manifest.identifier:
        yield Finding(
            "<manifest> has no identifier attribute (required by IMS CP).", ctx.at(ctx.manifest.line)
        )


@rule("CP-030", W, "No <organization>: one was built with an item per SCO (as Moodle does).")
def organisation_synthesised(ctx: ManifestContext) -> Iterator[Finding]:
    org = ctx.manifest.default_organization
    if org is not None and org.synthesised:
        yield Finding(
            f"the manifest has no <organization>; one was built with an item for each of the "
            f"{len(org.items)} SCO resource(s). Add an organisation to control titles and order.",
            ctx.at(ctx.manifest.organizations_line),
        )


@rule("CP-031", E, "SCORM 2004: organizations@default names no organisation.")
def default_organisation_broken_2004(ctx: ManifestContext) -> Iterator[Finding]:
    yield from _broken_default(ctx, "2004")


@rule("CP-032", W, "SCORM 1.2: organizations@default names no organisation; the first one is used.")
def default_organisation_broken_12(ctx: ManifestContext) -> Iterator[Finding]:
    yield from _broken_default(ctx, "1.2")


def _broken_default(ctx: ManifestContext, version: str) -> Iterator[Finding]:
    m = ctx.manifest
    if m.version != version or any(o.synthesised for o in m.organizations):
        return
    ids = {o.identifier for o in m.organizations}
    if m.default_organization_ref is None:
        why = "has no default attribute"
    elif m.default_organization_ref not in ids:
        why = f"has default={m.default_organization_ref!r}, which names no <organization>"
    else:
        return
    consequence = (
        "SCORM 2004 requires it to name the default organisation."
        if version == "2004"
        else "The first organisation is used, as SCORM 1.2 LMSs do."
    )
    yield Finding(f"<organizations> {why}. {consequence}", ctx.at(m.organizations_line))


@rule("CP-033", E, "An <organization> has no identifier.")
def organisation_without_identifier(ctx: ManifestContext) -> Iterator[Finding]:
    for org in ctx.manifest.organizations:
        if not org.identifier and not org.synthesised:
            yield Finding("<organization> has no identifier attribute (required).", ctx.at(org.line))


@rule("CP-034", E, "An <organization> has no <title>.")
def organisation_without_title(ctx: ManifestContext) -> Iterator[Finding]:
    for org in ctx.manifest.organizations:
        if not org.title and not org.synthesised:
            yield Finding(
                f"<organization> {org.identifier!r} has no <title> (required); "
                "learners would see no course name.",
                ctx.at(org.line),
            )


@rule("CP-035", E, "An <item> has no identifier.")
def item_without_identifier(ctx: ManifestContext) -> Iterator[Finding]:
    for item in ctx.all_items():
        if not item.identifier:
            yield Finding("<item> has no identifier attribute (required).", ctx.at(item.line))


@rule("CP-036", E, "An <item> has no <title>.")
def item_without_title(ctx: ManifestContext) -> Iterator[Finding]:
    for item in ctx.all_items():
        if not item.title:
            yield Finding(f"<item> {item.identifier!r} has no <title> (required).", ctx.at(item.line))


@rule("CP-046", E, "The default organisation has nothing a learner can launch.")
def nothing_to_launch(ctx: ManifestContext) -> Iterator[Finding]:
    org = ctx.manifest.default_organization
    if ctx.manifest.version is None:
        return
    if org is None or not ctx.manifest.launchable_items(org):
        where = ctx.at(org.line if org else ctx.manifest.organizations_line)
        yield Finding("no item of the default organisation launches a resource with an href.", where)


@rule("CP-060", W, "SCORM 2004: an item with child items also references a resource (it is not launched).")
def cluster_with_resource(ctx: ManifestContext) -> Iterator[Finding]:
    if ctx.manifest.version != "2004":
        return
    for item in ctx.all_items():
        if item.children and item.identifierref:
            yield Finding(
                f"<item> {item.identifier!r} has child items and identifierref={item.identifierref!r}; "
                "in SCORM 2004 only leaf items launch content, so the reference is ignored.",
                ctx.at(item.line),
            )


def _edition_words(edition: int) -> str:
    return {2: "2nd Edition", 3: "3rd Edition", 4: "4th Edition"}.get(edition, f"edition {edition}")
