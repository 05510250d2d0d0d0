"""The server's check on a browser's commit (issue 4): every value goes through the data model again.

The browser (scorm-again with ``dataCommitFormat: 'json'`` or ``'flattened'``) posts its whole data model.
Values that differ from the stored state are applied as the content's SetValue calls would be, in the order
SCORM requires (records in index order, id first, then type). Read-only values are never taken from the
browser: the ones the server computes (total_time, entry) are ignored, an empty one (a browser that was not
told) is ignored, any other one must equal the server's or the commit is refused. All or nothing: one
refusal and nothing of the commit is applied.

Compatibility (``compat``): the browser run-time, scorm-again 3.4.3, accepts some values the specification
refuses (identifiers with spaces, a numeric answer that is one number, timestamps after 2038, durations in
weeks, ...). The content got "true" for them, and a refused commit would stop every later save of the
learner's progress, so ``CommitCompat.SCORM_AGAIN`` (the default) tolerates exactly those that are harmless
to results and storage (scorm/cmi/tolerance.py), stores them as sent (durations and 1.2 words in their
specification form) and reports each as a :class:`CommitWarning`. ``CommitCompat.STRICT`` is the
specification. Both refuse the same for results (statuses, scores, progress), access, sizes and records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from scorm.cmi import Access, Ceilings, CmiError, ErrorKind, error_code
from scorm.cmi.common.limits import DEFAULT_CEILINGS
from scorm.cmi.common.model import DataModel, Leniency, SetContext
from scorm.cmi.tolerance import SCORM_AGAIN, Deviation, tolerate
from scorm.runtime.attempt import Attempt, SessionState
from scorm.runtime.flatten import ShapeError, application_order, changed_leaves
from scorm.runtime.result import AttemptResult
from scorm.runtime.session_end import end_session

# Read-only elements the server derives itself; the browser's copy is stale by design (scorm-again adds
# the session to total_time before a final commit) and is ignored.
SERVER_COMPUTED = frozenset(
    {
        "cmi._version",
        "cmi.total_time",
        "cmi.core.total_time",
        "cmi.entry",
        "cmi.core.entry",
        "adl.nav.request_valid.continue",
        "adl.nav.request_valid.previous",
        "adl.nav.request_valid.choice.{target}",
        "adl.nav.request_valid.jump.{target}",
    }
)
SHOWN_VALUE_CHARS = 80
# A hostile body of many tiny keys must not cost a long walk or a huge answer. A full data model within
# the ceilings (1,000 interactions of a dozen values) stays far below these.
MAX_COMMIT_VALUES = 50_000
MAX_REFUSALS_REPORTED = 50


@dataclass(frozen=True)
class Refusal:
    element: str
    value: str  # at most SHOWN_VALUE_CHARS characters of what was sent
    code: str  # the version's API error code, e.g. "407" or "405"
    reason: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


class CommitCompat(StrEnum):
    """How a commit's values are read: as the specification says, or as the browser run-time accepts them."""

    STRICT = "strict"  # SCORM 1.2 / 2004 exactly, as the Attempt API and the corpus vectors
    SCORM_AGAIN = "scorm-again"  # also the harmless forms scorm-again 3.4.3 accepts, each with a warning


@dataclass(frozen=True)
class CommitWarning:
    """A value accepted under CommitCompat.SCORM_AGAIN that the specification refuses (for an admin's log)."""

    element: str
    value: str  # at most SHOWN_VALUE_CHARS characters of what was sent
    code: str  # the error code the specification gives it (what STRICT refuses it with)
    deviation: str  # the kind, e.g. "identifier-form" (scorm/cmi/tolerance.py, DECISIONS.md)
    reason: str
    stored: str  # at most SHOWN_VALUE_CHARS characters of what was stored

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class CommitResult:
    accepted: bool
    state: dict[str, Any] | None  # the attempt state to store (Attempt.to_json()) when accepted
    result: AttemptResult | None  # completion, success, score, total time of the new state
    refusals: tuple[Refusal, ...] = ()
    changed: tuple[str, ...] = ()  # elements whose value this commit changed
    warnings: tuple[CommitWarning, ...] = ()  # values tolerated under CommitCompat.SCORM_AGAIN

    def to_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "result": self.result.to_dict() if self.result else None,
            "refusals": [refusal.to_dict() for refusal in self.refusals],
            "changed": list(self.changed),
            "warnings": [warning.to_dict() for warning in self.warnings],
        }


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 1] + "…"


def _refused(version: str, element: str, value: Any, error: CmiError) -> Refusal:
    return Refusal(element, _shown(value), error_code(version, error.kind, setting=True), error.diagnostic)


def validate_commit(
    version: str,
    previous_state: dict[str, Any],
    committed: Any,
    *,
    terminate: bool = False,
    ceilings: Ceilings = DEFAULT_CEILINGS,
    compat: CommitCompat = CommitCompat.SCORM_AGAIN,
) -> CommitResult:
    """Re-apply a browser's commit to ``previous_state`` (from ``Attempt.to_json()``).

    ``committed`` is scorm-again's JSON body: nested (``{"cmi": {...}}``), flattened (``{"cmi.x": ...}``) or
    wrapped by ``renderCommonCommitFields`` (``{"runtimeData": {...}}``); keys outside ``cmi``/``adl`` (such
    as ``commitSequence``) are the endpoint's business and are ignored here. With ``terminate`` the session
    ends as at Terminate/LMSFinish: session time joins total time, 1.2's status rules apply. ``compat``
    says which value forms are accepted (see the module's docstring); tolerated ones come back as warnings.
    """
    attempt = Attempt.from_json(previous_state, ceilings)
    if attempt.version != version:
        raise ValueError(f"the stored attempt is SCORM {attempt.version}, not {version}")
    if attempt.state is SessionState.TERMINATED:
        code = "143" if version == "2004" else "301"
        return _refusal_only(Refusal("", "", code, "This session has ended; a new launch is needed."))
    if isinstance(committed, dict) and isinstance(committed.get("runtimeData"), dict):
        committed = committed["runtimeData"]
    try:
        # Most of a mid-session commit repeats what is stored exactly; only the values that differ need
        # ordering and checks, as the content's SetValue calls that set them had.
        count, news = changed_leaves(committed, attempt.model.values)
    except ShapeError as error:
        return _refusal_only(Refusal("", "", "201", f"The commit is not a data model: {error}."))
    if count > MAX_COMMIT_VALUES:
        reason = f"The commit holds {count} values; at most {MAX_COMMIT_VALUES} are accepted."
        return _refusal_only(Refusal("", "", "201", reason))

    refusals: list[Refusal] = []
    changed: list[str] = []
    warnings: list[CommitWarning] = []
    deviations: list[Deviation] = []
    leniency = _leniency(SCORM_AGAIN[version], deviations) if compat is CommitCompat.SCORM_AGAIN else None
    for element, value in application_order(attempt.model, news):
        try:
            if _apply(attempt.model, element, value, leniency):
                changed.append(element)
            if deviations:
                warnings.append(_warning(version, element, value, deviations.pop()))
        except CmiError as error:
            deviations.clear()
            refusals.append(_refused(version, element, value, error))
            if len(refusals) == MAX_REFUSALS_REPORTED:
                break  # enough to say what is wrong; nothing is applied anyway
    if refusals:
        return _refusal_only(*refusals)
    if terminate:
        end_session(attempt.model)
        attempt.state = SessionState.TERMINATED
    else:
        attempt.state = SessionState.RUNNING
    return CommitResult(True, attempt.to_json(), attempt.result(), (), tuple(changed), tuple(warnings))


def _leniency(tolerances: dict, deviations: list[Deviation]) -> Leniency:
    def lenient(pattern: str, value: str, context: SetContext, refused: CmiError) -> str:
        if pattern not in tolerances:
            raise refused
        deviation = tolerate(tolerances[pattern], value, context, refused)
        deviations.append(deviation)
        return deviation.stored

    return lenient


def _warning(version: str, element: str, value: str, deviation: Deviation) -> CommitWarning:
    code = error_code(version, ErrorKind.TYPE_MISMATCH, setting=True)
    return CommitWarning(
        element, _shown(value), code, deviation.kind, deviation.reason, _shown(deviation.stored)
    )


def _refusal_only(*refusals: Refusal) -> CommitResult:
    return CommitResult(False, None, None, tuple(refusals), ())


def _apply(model: DataModel, element: str, value: Any, leniency: Leniency | None = None) -> bool:
    """Apply one committed value; True when it changed the state. Raises CmiError when refused."""
    if value is None or value == {} or value == []:
        return False  # an empty collection, or a value the browser does not have
    if isinstance(value, bool) or not isinstance(value, str):
        raise CmiError(ErrorKind.TYPE_MISMATCH, "Data model values are strings.")
    target = model.resolve(element)
    if target.keyword:
        return False  # _count and _children describe the data; the server counts for itself
    definition = model.definition(target)
    current = model.stored(target.path, target.pattern) or ""
    if value == current:
        return False
    if definition.access is Access.READ_ONLY:
        if target.pattern in SERVER_COMPUTED or value == "":
            return False
        raise CmiError(ErrorKind.READ_ONLY, f"{element} is read-only; the server holds {_shown(current)!r}.")
    model.set(element, value, leniency)
    return True
