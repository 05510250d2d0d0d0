"""Rules about SCORM 2004 sequencing references inside one activity."""

from __future__ import annotations

from collections.abc import Iterator

from scorm.manifest import Item
from scorm.manifest.sequencing_model import Sequencing
from scorm.problems import Severity
from scorm.validation.context import ManifestContext
from scorm.validation.registry import Finding, rule

W = Severity.WARNING


def _sequenced(ctx: ManifestContext) -> Iterator[tuple[str, Sequencing]]:
    """(name, effective sequencing) of every organisation and item that declares sequencing."""
    for org in ctx.manifest.organizations:
        if org.sequencing is not None and org.sequencing.declared:
            yield f"<organization> {org.identifier!r}", org.sequencing
        item: Item
        for item in org.all_items():
            if item.sequencing is not None and item.sequencing.declared:
                yield f"<item> {item.identifier!r}", item.sequencing


@rule("CP-075", W, "A sequencing rule condition refers to an objective the activity does not define.")
def unknown_referenced_objective(ctx: ManifestContext) -> Iterator[Finding]:
    # IMS SS: referencedObjective names one of the activity's own objectives (absent: the primary one).
    for owner, seq in _sequenced(ctx):
        known = {o.objective_id for o in seq.objectives if o.objective_id}
        rules = seq.sequencing_rules
        for seq_rule in rules.pre_condition + rules.exit_condition + rules.post_condition:
            for condition in seq_rule.conditions:
                ref = condition.referenced_objective
                if ref and ref not in known:
                    yield Finding(
                        f"{owner}: a rule condition refers to objective {ref!r}, which the activity does not "
                        "define; the condition cannot be evaluated as intended.",
                        ctx.at(seq_rule.line or seq.line),
                    )


@rule("CP-076", W, "An objective's mapInfo has no targetObjectiveID.")
def map_without_target(ctx: ManifestContext) -> Iterator[Finding]:
    for owner, seq in _sequenced(ctx):
        for objective in seq.objectives:
            if any(not m.target_objective_id for m in objective.map_info):
                yield Finding(
                    f"{owner}: objective {objective.objective_id or '(primary)'!r} has a <mapInfo> without "
                    "targetObjectiveID; it maps to nothing.",
                    ctx.at(objective.line or seq.line),
                )


@rule("CP-077", W, "An adlseq:objective names no objective of the activity (4th Ed. extended maps).")
def extended_objective_unknown(ctx: ManifestContext) -> Iterator[Finding]:
    # CAM 4th Ed.: each adlseq:objective extends the imsss objective with the same objectiveID.
    for owner, seq in _sequenced(ctx):
        known = {o.objective_id for o in seq.objectives if o.objective_id}
        for extended in seq.adl_objectives:
            if extended.objective_id not in known:
                yield Finding(
                    f"{owner}: <adlseq:objective> {extended.objective_id!r} extends no <imsss:objective> "
                    "of the activity; its maps are ignored.",
                    ctx.at(seq.line),
                )
