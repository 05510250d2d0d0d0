"""Commit validation benchmark: `validate_commit` on realistic commit bodies, beside the bare JSON work any
endpoint does on the same body (parse the request, serialise the state to store), in the same run.

Bodies are shaped like scorm-again's JSON commits: a mid-course 2004 commit of about 6 KB (3 KB of
suspend_data, 5 interactions, 3 objectives), the same for 1.2, and a 2004 commit with 64,000 characters of
suspend_data. Prints the median CPU microseconds per commit (CPU time, so other work on the machine does
not blur it), commits per second on one core, and the ratio.

    .venv/bin/python bench/commit_validation.py [--repetitions N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from scorm.runtime import Attempt, launch_seed
from scorm.runtime.commit import validate_commit


def body_2004(suspend_chars: int) -> dict:
    interactions = {
        str(index): {
            "id": f"Scene1_Slide{index + 3}_MultiChoice_0_0",
            "type": "choice",
            "objectives": {"0": {"id": "obj-a"}},
            "timestamp": "2026-11-22T09:30:00.0Z",
            "correct_responses": {"0": {"pattern": "respect[,]dignity"}},
            "weighting": "1",
            "learner_response": "respect[,]dignity",
            "result": "correct",
            "latency": "PT12.4S",
            "description": "{lang=en-GB}Which values does person-centred care rest on?",
        }
        for index in range(5)
    }
    objectives = {
        str(index): {"id": f"obj-{name}", "success_status": "passed", "completion_status": "completed",
                     "progress_measure": "1", "description": "", "score": {"scaled": "0.9", "raw": "9",
                                                                          "min": "0", "max": "10"}}
        for index, name in enumerate("abc")
    }  # fmt: skip
    return {
        "cmi": {
            "completion_status": "incomplete",
            "success_status": "unknown",
            "location": "slide-12",
            "progress_measure": "0.6",
            "score": {"scaled": "0.8", "raw": "8", "min": "0", "max": "10"},
            "session_time": "PT14M3.5S",
            "suspend_data": "x" * suspend_chars,
            "learner_id": "learner-1",
            "credit": "credit",
            "mode": "normal",
            "interactions": interactions,
            "objectives": objectives,
        },
        "commitSequence": 7,
    }


def body_12() -> dict:
    interactions = {
        str(index): {"id": f"Scene1_Slide{index + 3}_MultiChoice_0_0", "type": "choice", "time": "09:30:00",
                     "weighting": "1", "student_response": "Speak_to_my_manager", "result": "correct",
                     "latency": "00:00:12.40", "objectives": {"0": {"id": "obj-a"}},
                     "correct_responses": {"0": {"pattern": "Speak_to_my_manager"}}}
        for index in range(5)
    }  # fmt: skip
    return {
        "cmi": {
            "core": {"lesson_status": "incomplete", "lesson_location": "slide-12", "session_time": "00:14:03",
                     "score": {"raw": "80", "min": "0", "max": "100"}, "student_id": "learner-1"},
            "suspend_data": "x" * 3_000,
            "interactions": interactions,
        },
        "commitSequence": 7,
    }  # fmt: skip


def median_seconds(work, repetitions: int) -> float:
    work()
    timings = []
    for _ in range(repetitions):
        start = time.process_time()
        work()
        timings.append(time.process_time() - start)
    return statistics.median(timings)


def measure(label: str, version: str, body: dict, repetitions: int, steady: bool) -> None:
    """steady: the server already holds this body's data but for the location and session time (a commit
    in the middle of a session); otherwise every value is new (the first commit of a session)."""
    previous = Attempt.new(version, launch_seed(version, learner_id="learner-1", objective_ids=("obj-a",)))
    state = previous.to_json()
    if steady:
        earlier = json.loads(json.dumps(body))
        core = earlier["cmi"].get("core", earlier["cmi"])
        core["lesson_location" if version == "1.2" else "location"] = "slide-11"
        core["session_time"] = "00:13:00" if version == "1.2" else "PT13M"
        state = validate_commit(version, state, earlier).state
    text = json.dumps(body)

    def ours() -> None:
        outcome = validate_commit(version, state, json.loads(text))
        assert outcome.accepted, outcome.refusals
        json.dumps(outcome.state)

    def baseline() -> None:
        json.dumps(json.loads(text))

    ours_s, base_s = median_seconds(ours, repetitions), median_seconds(baseline, repetitions)
    label = f"{label}, {'mid-session' if steady else 'first'}"
    print(
        f"{label:<46} {len(text):>7} B  validate {ours_s * 1e6:8.0f} us ({1 / ours_s:7.0f}/s)  "
        f"json only {base_s * 1e6:6.0f} us ({1 / base_s:7.0f}/s)  ratio {ours_s / base_s:5.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=300)
    repetitions = parser.parse_args().repetitions
    for steady in (False, True):
        measure("2004, ~6 KB, 5 interactions", "2004", body_2004(3_000), repetitions, steady)
        measure("1.2, ~5 KB, 5 interactions", "1.2", body_12(), repetitions, steady)
        measure("2004, 64,000-char suspend_data", "2004", body_2004(64_000), repetitions, steady)


if __name__ == "__main__":
    main()
