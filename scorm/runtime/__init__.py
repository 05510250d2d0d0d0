"""SCORM run-time on the server: the API state machine over a data model, launch seeds, session end rules,
results, and the re-validation of what a browser commits.

``Attempt.new(version, seed)`` starts a session; ``attempt.call("SetValue", element, value)`` (or the
snake_case methods) applies API calls; ``attempt.to_json()`` / ``Attempt.from_json()`` store and resume;
``attempt.browser_seed()`` is what the browser's ``loadFromJSON`` gets; ``validate_commit(version,
previous_state, committed, compat=...)`` checks a browser's commit all-or-nothing, tolerating (with warnings)
the harmless forms scorm-again accepts unless ``compat=CommitCompat.STRICT``. Decisions:
``scorm/cmi/DECISIONS.md``.
"""

from scorm.runtime.attempt import Attempt, SessionState
from scorm.runtime.commit import CommitCompat, CommitResult, CommitWarning, Refusal, validate_commit
from scorm.runtime.result import AttemptResult
from scorm.runtime.seed import SeedError, launch_seed

__all__ = [
    "Attempt",
    "AttemptResult",
    "CommitCompat",
    "CommitResult",
    "CommitWarning",
    "Refusal",
    "SeedError",
    "SessionState",
    "launch_seed",
    "validate_commit",
]
