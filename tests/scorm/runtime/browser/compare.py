"""Run the candidate SetValue calls through scorm-again (Node) and through the server's commit check.

``python -m tests.scorm.runtime.browser.compare`` prints every case where they disagree, as a Markdown
table (the source of the divergence table in scorm/cmi/DECISIONS.md). The tests use :func:`compare`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from scorm.runtime import Attempt
from scorm.runtime.commit import CommitCompat, CommitResult, validate_commit
from tests.scorm.runtime.browser.candidates import Case, all_cases

REPO = Path(__file__).resolve().parents[4]
NODE_MODULES = REPO / "node_modules"
PROBE = Path(__file__).parent / "scorm_again_probe.js"


def node_available() -> bool:
    return shutil.which("node") is not None and (NODE_MODULES / "scorm-again").is_dir()


@dataclass(frozen=True)
class Verdict:
    case: Case
    browser_code: str  # "0" when scorm-again's SetValue answered "true"
    strict: CommitResult
    lenient: CommitResult  # CommitCompat.SCORM_AGAIN

    @property
    def browser_accepts(self) -> bool:
        return self.browser_code == "0"

    @property
    def strict_code(self) -> str:
        return self.strict.refusals[0].code if self.strict.refusals else "0"

    @property
    def disagrees(self) -> bool:
        return self.browser_accepts != self.strict.accepted


def ask_scorm_again(cases: list[Case]) -> list[dict]:
    """scorm-again's answer per case; a case whose setup it refused is a broken case, not a finding."""
    completed = subprocess.run(
        ["node", str(PROBE), str(NODE_MODULES)],
        input=json.dumps([case.to_probe() for case in cases]),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    answers = json.loads(completed.stdout)
    pairs = zip(cases, answers, strict=True)
    broken = [(case.label(), answer["setup"]) for case, answer in pairs if answer["setup"]]
    if broken:
        raise AssertionError(f"scorm-again refused the setup of {broken[:5]}")
    return answers


def server_commit(case: Case, compat: CommitCompat) -> CommitResult:
    """The commit a browser would send after these calls, checked from a fresh first launch."""
    attempt = Attempt.new(case.version)
    committed = {**dict(case.setup), case.element: case.value}
    return validate_commit(case.version, attempt.to_json(), committed, compat=compat)


def compare(cases: list[Case] | None = None) -> list[Verdict]:
    cases = all_cases() if cases is None else cases
    answers = ask_scorm_again(cases)
    return [
        Verdict(
            case,
            answer["code"] if answer["result"] in ("true", "false") else "throws",
            server_commit(case, CommitCompat.STRICT),
            server_commit(case, CommitCompat.SCORM_AGAIN),
        )
        for case, answer in zip(cases, answers, strict=True)
    ]


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def markdown(verdicts: list[Verdict]) -> str:
    rows = ["| case | scorm-again | STRICT | SCORM_AGAIN |", "|---|---|---|---|"]
    for verdict in verdicts:
        if not verdict.disagrees:
            continue
        lenient = (
            "accepts, " + ", ".join(w.deviation for w in verdict.lenient.warnings)
            if (verdict.lenient.accepted)
            else f"refuses {verdict.lenient.refusals[0].code}"
        )
        browser = "accepts" if verdict.browser_accepts else verdict.browser_code
        strict = "accepts" if verdict.strict.accepted else verdict.strict_code
        rows.append(f"| `{_escape(verdict.case.label())}` | {browser} | {strict} | {lenient} |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover - a report for people
    found = compare()
    print(markdown(found))
    disagreeing = sum(verdict.disagrees for verdict in found)
    print(f"\n{len(found)} cases, {disagreeing} disagreements", file=sys.stderr)
