"""A unit's result from its SCOs' results: the SCO's own for one SCO, SCORM 2004 rollup for a
multi-SCO 2004 package, and a documented LMS rule for multi-SCO SCORM 1.2 (which defines none)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from scorm.cmi.common.timevalues import format_iso_duration
from scorm.manifest.model import Item, Manifest
from scorm.runtime.result import AttemptResult
from scorm.sequencing.activity_tree import find_organization
from scorm.sequencing.rollup import RollupInputs, rollup_tree

COMPLETIONS = ("completed", "incomplete", "not attempted", "unknown")
SUCCESSES = ("passed", "failed", "unknown")


@dataclass(frozen=True)
class UnitResult:
    completion: str  # one of COMPLETIONS
    success: str  # one of SUCCESSES
    score_scaled: float | None  # -1..1
    total_time_seconds: float
    total_time: str  # ISO 8601 duration
    rule: str  # how it was decided: "single-sco", "scorm2004-rollup", "scorm12-lms-rule"
    activities: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> completion, success

    def to_dict(self) -> dict:
        return asdict(self)


def _duration(seconds: float) -> str:
    return format_iso_duration(Decimal(repr(float(seconds))))


def tracked_items(manifest: Manifest, organization_id: str | None = None) -> list[Item]:
    """The items that carry results: SCOs, or for a package of assets only, the launchable assets
    (their result is the one the player records on launch)."""
    organization = find_organization(manifest, organization_id)
    scos = manifest.sco_items(organization)
    return scos or manifest.launchable_items(organization)


def rollup_unit_result(
    manifest: Manifest,
    sco_results: Mapping[str, AttemptResult],
    *,
    organization_id: str | None = None,
    ended: Collection[str] = (),
    suspended: Collection[str] = (),
    attempt_counts: Mapping[str, int] | None = None,
    unavailable: Collection[str] = (),
) -> UnitResult:
    """The unit's result. Results for identifiers that are not tracked items are ignored; the
    keyword arguments are those of RollupInputs (SCORM 2004 only)."""
    items = tracked_items(manifest, organization_id)
    wanted = {item.identifier for item in items}
    results = {key: value for key, value in sco_results.items() if key in wanted}
    seconds = sum(r.total_time_seconds for r in results.values())
    if len(items) == 1:
        return _single(items[0].identifier, results.get(items[0].identifier), seconds)
    if manifest.version == "2004":
        inputs = RollupInputs(
            results,
            frozenset(ended),
            frozenset(suspended),
            dict(attempt_counts or {}),
            frozenset(unavailable),
        )
        return _from_rollup(manifest, organization_id, inputs, seconds)
    return _scorm12_rule(items, results, seconds)


def _single(identifier: str, result: AttemptResult | None, seconds: float) -> UnitResult:
    if result is None:
        return UnitResult("not attempted", "unknown", None, 0.0, _duration(0.0), "single-sco")
    activities = {identifier: {"completion": result.completion, "success": result.success}}
    return UnitResult(
        result.completion,
        result.success,
        result.score_scaled,
        seconds,
        _duration(seconds),
        "single-sco",
        activities,
    )


def _from_rollup(
    manifest: Manifest, organization_id: str | None, inputs: RollupInputs, seconds: float
) -> UnitResult:
    organization = find_organization(manifest, organization_id)
    states = rollup_tree(organization, inputs)
    root = states[organization.identifier]
    # An attempted unit whose rollup has not decided completion yet (some SCOs unvisited) is
    # "incomplete" to the learner and the LMS; the activities keep the SN's "unknown".
    completion = "incomplete" if root.completion == "unknown" else root.completion
    return UnitResult(
        completion=completion,
        success=root.success,
        score_scaled=root.measure if root.measure_known else None,
        total_time_seconds=seconds,
        total_time=_duration(seconds),
        rule="scorm2004-rollup",
        activities={key: {"completion": s.completion, "success": s.success} for key, s in states.items()},
    )


def _scorm12_rule(items: list[Item], results: Mapping[str, AttemptResult], seconds: float) -> UnitResult:
    """Our rule for multi-SCO SCORM 1.2 (the specification leaves it to the LMS):

    - completion: "completed" when every tracked item is completed (lesson_status completed,
      passed or failed); "not attempted" when none has a result; otherwise "incomplete".
    - success: decided by the SCOs with a mastery score when there are any, else by every SCO
      that reports passed/failed: "failed" if one failed; "passed" if all that decide passed
      (with mastery scores) or, without them, if at least one passed and the unit is completed;
      otherwise "unknown".
    - score: the mean scaled score of the SCOs that have one.
    """
    completions = [results[i.identifier].completion if i.identifier in results else None for i in items]
    if not results:
        completion = "not attempted"
    elif all(c == "completed" for c in completions):
        completion = "completed"
    else:
        completion = "incomplete"
    success = _scorm12_success(items, results, completion)
    scores = [r.score_scaled for r in results.values() if r.score_scaled is not None]
    return UnitResult(
        completion=completion,
        success=success,
        score_scaled=sum(scores) / len(scores) if scores else None,
        total_time_seconds=seconds,
        total_time=_duration(seconds),
        rule="scorm12-lms-rule",
        activities={key: {"completion": r.completion, "success": r.success} for key, r in results.items()},
    )


def _scorm12_success(items: list[Item], results: Mapping[str, AttemptResult], completion: str) -> str:
    mastered = [i for i in items if i.mastery_score is not None]
    judged = mastered or [i for i in items if i.identifier in results]
    verdicts = [results[i.identifier].success if i.identifier in results else "unknown" for i in judged]
    if "failed" in verdicts:
        return "failed"
    if mastered:
        return "passed" if all(v == "passed" for v in verdicts) else "unknown"
    return "passed" if "passed" in verdicts and completion == "completed" else "unknown"
