"""Property: any activity tree with any sequencing and any SCO statuses rolls up without error, to
words of the vocabulary and a score within -1..1."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scorm.manifest import Item
from scorm.manifest import sequencing_model as sm
from scorm.runtime.result import AttemptResult
from scorm.sequencing import rollup_unit_result, tracked_items
from scorm.sequencing.unit_result import COMPLETIONS, SUCCESSES
from tests.scorm.sequencing.trees import cluster, course, sco

ROLLUP_WORDS = [
    "satisfied",
    "objectiveStatusKnown",
    "objectiveMeasureKnown",
    "completed",
    "activityProgressKnown",
    "attempted",
    "attemptLimitExceeded",
    "timeLimitExceeded",
]
REQUIRED = st.sampled_from(["always", "ifAttempted", "ifNotSkipped", "ifNotSuspended"])

rollup_rule = st.builds(
    sm.RollupRule,
    action=st.sampled_from(["satisfied", "notSatisfied", "completed", "incomplete"]),
    child_activity_set=st.sampled_from(["all", "any", "none", "atLeastCount", "atLeastPercent"]),
    minimum_count=st.integers(0, 4),
    minimum_percent=st.floats(0, 1),
    condition_combination=st.sampled_from(["all", "any"]),
    conditions=st.lists(
        st.builds(sm.RollupCondition, st.sampled_from(ROLLUP_WORDS), st.sampled_from(["noOp", "not"])),
        max_size=3,
    ),
)
skip_rule = st.builds(
    sm.SequencingRule,
    action=st.just("skip"),
    conditions=st.lists(
        st.builds(
            sm.RuleCondition, st.sampled_from([*ROLLUP_WORDS, "always"]), st.sampled_from([None, "p", "o"])
        ),
        max_size=2,
    ),
)
map_info = st.builds(
    sm.MapInfo, st.sampled_from(["g1", "g2"]), st.booleans(), st.booleans(), st.booleans(), st.booleans()
)
sequencing = st.builds(
    sm.Sequencing,
    declared=st.just(True),
    rollup_rules=st.builds(
        sm.RollupRules,
        rollup_objective_satisfied=st.booleans(),
        rollup_progress_completion=st.booleans(),
        objective_measure_weight=st.floats(0, 1),
        rules=st.lists(rollup_rule, max_size=3),
    ),
    sequencing_rules=st.builds(sm.SequencingRules, pre_condition=st.lists(skip_rule, max_size=1)),
    objectives=st.lists(
        st.builds(
            sm.Objective,
            st.sampled_from(["p", "o"]),
            is_primary=st.booleans(),
            satisfied_by_measure=st.booleans(),
            min_normalized_measure=st.floats(-1, 1),
            map_info=st.lists(map_info, max_size=2),
        ),
        max_size=2,
    ),
    limit_conditions=st.builds(sm.LimitConditions, attempt_limit=st.integers(0, 3)),
    delivery_controls=st.builds(sm.DeliveryControls, st.booleans(), st.booleans(), st.booleans()),
    rollup_considerations=st.builds(
        sm.RollupConsiderations, REQUIRED, REQUIRED, REQUIRED, REQUIRED, st.booleans()
    ),
)
names = iter(range(10**9))


def tree(depth: int = 0) -> st.SearchStrategy[Item]:
    leaf = st.builds(lambda s: sco(f"s{next(names)}", s), st.none() | sequencing)
    if depth >= 3:
        return leaf
    node = st.builds(
        lambda kids, s: cluster(f"c{next(names)}", *kids, sequencing=s),
        st.lists(st.deferred(lambda: tree(depth + 1)), min_size=1, max_size=3),
        st.none() | sequencing,
    )
    return leaf | node


attempt_result = st.builds(
    AttemptResult,
    completion=st.sampled_from(COMPLETIONS),
    success=st.sampled_from(SUCCESSES),
    score_scaled=st.none() | st.floats(-1, 1),
    score_raw=st.none(),
    score_min=st.none(),
    score_max=st.none(),
    total_time_seconds=st.floats(0, 10**6),
    total_time=st.just(""),
)


@settings(max_examples=150, deadline=None)
@given(
    items=st.lists(tree(), min_size=1, max_size=4),
    root=st.none() | sequencing,
    statuses=st.lists(st.none() | attempt_result, max_size=40),
    flags=st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 3)), max_size=40),
)
def test_any_tree_rolls_up_to_the_vocabulary(items, root, statuses, flags):
    manifest = course(*items, sequencing=root)
    scos = [item.identifier for item in tracked_items(manifest)]
    results = {s: r for s, r in zip(scos, statuses, strict=False) if r is not None}
    ended = {s for s, (end, _, _) in zip(scos, flags, strict=False) if end}
    suspended = {s for s, (_, held, _) in zip(scos, flags, strict=False) if held}
    counts = {s: count for s, (_, _, count) in zip(scos, flags, strict=False)}

    found = rollup_unit_result(manifest, results, ended=ended, suspended=suspended, attempt_counts=counts)

    assert found.completion in COMPLETIONS
    assert found.success in SUCCESSES
    assert found.score_scaled is None or -1.0 <= found.score_scaled <= 1.0
    assert all(
        a["completion"] in COMPLETIONS and a["success"] in SUCCESSES for a in found.activities.values()
    )
