"""Server-side SCORM 2004 rollup over a whole activity tree, global objectives included.

The browser's sequencer rolls up as the learner goes; the server recomputes the same from the
stored SCO results so the unit's result never depends on what a browser claims (issue 4 item 3).
Status flows up (RB.1.5) and sideways through shared global objectives (SN 4.5.3 objective maps):
an activity writes its primary objective to the globals it maps with write*, and reads them back
with read*, the global winning when it is known. Because a read may depend on a write elsewhere
in the tree, the tree is evaluated again until the globals stop changing (bounded by its size).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from scorm.manifest.model import Item, Organization
from scorm.manifest.sequencing_model import Sequencing
from scorm.runtime.result import AttemptResult
from scorm.sequencing.rollup_rules import Child, cluster_state
from scorm.sequencing.tracking import ActivityState, leaf_state, objective_by_measure

Globals = dict[str, ActivityState]  # global objective ID -> its objective fields


@dataclass(frozen=True)
class RollupInputs:
    """What the server knows about an attempt on a unit.

    results: the stored result of each SCO (item identifier -> AttemptResult). When several
      activities write the same global objective, the one later in this mapping wins, so pass
      results in the order their sessions ended.
    ended: SCOs whose last session has terminated (UP.4 End Attempt defaults apply to them).
    suspended: activities left suspended (rollup considerations "ifNotSuspended").
    attempt_counts: attempts per activity when the player knows them (default: 1 with a result).
    unavailable: activities the sequencer did not select for this attempt (SN 3.10 selection):
      rollup looks only at a cluster's available children.
    """

    results: Mapping[str, AttemptResult]
    ended: frozenset[str] = frozenset()
    suspended: frozenset[str] = frozenset()
    attempt_counts: Mapping[str, int] = field(default_factory=dict)
    unavailable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Node:
    identifier: str
    seq: Sequencing
    children: tuple[_Node, ...]
    rank: int  # write precedence among global-objective writers


def rollup_tree(organization: Organization, inputs: RollupInputs) -> dict[str, ActivityState]:
    """Every activity's rolled-up status, keyed by identifier (the organisation is the root)."""
    order = {identifier: index for index, identifier in enumerate(inputs.results)}
    root = _node(organization.identifier, organization.sequencing, organization.items, order)
    known: Globals = {}
    states: dict[str, ActivityState] = {}
    for _ in range(_size(root) + 1):
        states = {}
        writes: list[tuple[int, str, ActivityState, bool, bool]] = []
        _evaluate(root, inputs, known, states, writes)
        written = _apply_writes(writes)
        if written == known:
            break
        known = written
    return states


def _node(identifier: str, seq: Sequencing | None, items: list[Item], order: dict[str, int]) -> _Node:
    kids = tuple(_node(i.identifier, i.sequencing, i.children, order) for i in items)
    rank = max([order.get(identifier, -1), *(k.rank for k in kids)])
    return _Node(identifier, seq or Sequencing(), kids, rank)


def _size(node: _Node) -> int:
    return 1 + sum(_size(kid) for kid in node.children)


def _evaluate(
    node: _Node,
    inputs: RollupInputs,
    known: Globals,
    states: dict[str, ActivityState],
    writes: list[tuple[int, str, ActivityState, bool, bool]],
) -> ActivityState:
    count = inputs.attempt_counts.get(node.identifier)
    suspended = node.identifier in inputs.suspended
    if node.children:
        kids = [
            Child(
                kid.seq, _evaluate(kid, inputs, known, states, writes), _objective_lookup(kid, states, known)
            )
            for kid in node.children
            if kid.identifier not in inputs.unavailable
        ]
        state = cluster_state(node.seq, kids, count, suspended)
    else:
        state = leaf_state(
            inputs.results.get(node.identifier),
            node.seq,
            attempt_count=count,
            ended=node.identifier in inputs.ended,
            suspended=suspended,
        )
    state = _read_globals(state, node.seq, known)
    states[node.identifier] = state
    primary = node.seq.primary_objective
    for info in primary.map_info if primary else []:
        writes.append(
            (
                node.rank,
                info.target_objective_id,
                state,
                info.write_satisfied_status,
                info.write_normalized_measure,
            )
        )
    return state


def _read_globals(state: ActivityState, seq: Sequencing, known: Globals) -> ActivityState:
    primary = seq.primary_objective
    for info in primary.map_info if primary else []:
        shared = known.get(info.target_objective_id)
        if shared is None:
            continue
        if info.read_satisfied_status and shared.objective_known:
            state = replace(state, objective_known=True, satisfied=shared.satisfied)
        if info.read_normalized_measure and shared.measure_known:
            state = objective_by_measure(replace(state, measure_known=True, measure=shared.measure), seq)
    return state


def _objective_lookup(node: _Node, states: dict[str, ActivityState], known: Globals):
    """A referenced objective of node: its primary is its own status; another objective has a
    status only through a read map of a known global (the server keeps no cmi.objectives)."""

    def lookup(objective_id: str) -> ActivityState | None:
        for objective in node.seq.objectives:
            if objective.objective_id != objective_id:
                continue
            if objective.is_primary:
                return states.get(node.identifier)
            for info in objective.map_info:
                shared = known.get(info.target_objective_id)
                if shared is not None and info.read_satisfied_status and shared.objective_known:
                    return shared
        return None

    return lookup


def _apply_writes(writes: list[tuple[int, str, ActivityState, bool, bool]]) -> Globals:
    written: Globals = {}
    for _rank, target, state, write_satisfied, write_measure in sorted(writes, key=lambda w: w[0]):
        shared = written.get(target, ActivityState())
        if write_satisfied and state.objective_known:
            shared = replace(shared, objective_known=True, satisfied=state.satisfied)
        if write_measure and state.measure_known:
            shared = replace(shared, measure_known=True, measure=state.measure)
        written[target] = shared
    return written
