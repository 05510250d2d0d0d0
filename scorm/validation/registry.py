"""The rule registry: each check is one small function with a stable code and a fixed severity.

A rule yields `Finding`s (message and place); the registry turns them into Problems carrying the
rule's code and severity, so a code always means one thing and always weighs the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scorm.problems import Problem, Severity
from scorm.validation.context import ManifestContext


@dataclass(frozen=True)
class Finding:
    message: str
    location: str = ""


Check = Callable[[ManifestContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str  # one line for CODES.md and `carecert package codes`
    check: Check

    def run(self, context: ManifestContext) -> list[Problem]:
        return [Problem(self.code, self.severity, f.message, f.location) for f in self.check(context)]


MANIFEST_RULES: list[Rule] = []


def rule(code: str, severity: Severity, summary: str) -> Callable[[Check], Check]:
    """Register a manifest rule. Codes must be unique: a second registration is a programming error."""

    def register(check: Check) -> Check:
        if any(existing.code == code for existing in MANIFEST_RULES):
            raise ValueError(f"validation code {code} registered twice")
        MANIFEST_RULES.append(Rule(code, severity, summary, check))
        return check

    return register
