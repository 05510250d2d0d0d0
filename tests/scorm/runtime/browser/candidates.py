"""Candidate SetValue calls per data type and element, to compare the browser run-time with the server.

Each :class:`Case` is one SetValue (``element`` = ``value``) after ``setup`` calls that are valid in both
(opening the record, setting the interaction type). The values are the forms real content writes, the
forms the specifications allow, and the near misses on either side: spaces in identifiers, numbers in
other notations, timestamps and durations off the SCORM grammar, results outside their ranges, values
above a size. ``compare.py`` runs them through scorm-again and through ``validate_commit``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    version: str
    family: str  # the data type or rule the case probes
    element: str
    value: str
    setup: tuple[tuple[str, str], ...] = field(default=())

    def to_probe(self) -> dict:
        return {"version": self.version, "setup": [list(pair) for pair in self.setup],
                "element": self.element, "value": self.value}  # fmt: skip

    def label(self) -> str:
        shown = self.value if len(self.value) <= 40 else f"{self.value[:20]}…({len(self.value)} chars)"
        return f"{self.version} {self.element}={shown!r}"


INTERACTION_2004 = (("cmi.interactions.0.id", "q1"),)
INTERACTION_12 = (("cmi.interactions.0.id", "q1"),)
SECOND_PATTERN = "cmi.interactions.0.correct_responses.1.pattern"

# -- SCORM 2004 -----------------------------------------------------------------------------------------
IDENTIFIERS = [
    "q1", "Question 1", "Question_1", " q1", "q1 ", "a\tb", "", " ", "urn:carecert:u05:q1", "urn:",
    "urn:a", "urn:a:", "urn:a b:c", "urn:x:y z", "a[,]b", "a[.]b", "a[:]b", "a{b}", "{lang=en}q", "a<b>",
    'a"b', "a\\b", "a^b", "a|b", "a`b", "é1", "q\n1", "q\r1", "a\x01b", "问题1", "http://example.org/q?id=1#f",
    "a%20b", "(q)", "*", "_",
    "-", ".", "#q", "q'1", "q;1", "q!1", "q~1", "q&1", "q,1", "q@1", "Scene1_Slide3_MultiChoice_0_0",
    "x" * 250, "x" * 251, "x" * 4000, "x" * 4001, "Q 1 " * 70,
]  # fmt: skip
TIMESTAMPS = [
    "2026-11-22T09:30:00", "2026-11-22T09:30:00.0Z", "2026-11-22T09:30:00.123Z",
    "2026-11-22T09:30:00.1234567Z",
    "2039-01-01", "2038-12-31T23:59:59", "2100-01-01T00:00:00.0Z", "9999-12-31", "1969-12-31", "1970-01-01",
    "2026-02-30", "2026-04-31", "2026-02-29", "2024-02-29", "2026-13-01", "2026-00-01", "2026-11-22T24:00:00",
    "2026-11-22T09:60:00", "2026-11-22T09:30:00Z", "2026-11-22T09:30", "2026-11-22T09", "2026-11-22 09:30:00",
    "2026", "2026-11", "26-11-22", "2026-11-22T09:30:00.0+01", "2026-11-22T09:30:00.0+01:00",
    "2026-11-22T09:30:00.0+0100", "2026-11-22T09:30:00.0+24:00", "2026-11-22T09:30:00.0-05:30", "",
    "2026-11-22T09:30:00.", "2026-11-22t09:30:00", "Sun Nov 22 2026", "1764000000",
]  # fmt: skip
DURATIONS = [
    "PT1H", "PT1H30M5.55S", "P1D", "P1Y2M", "P1W", "P2W", "P2W3D", "P1WT1H", "PT", "P", "P1DT", "PT0S",
    "PT1.5H", "P1H", "P1.5W", "PT1.5H30M",
    "P0.5D", "PT1,5S", "PT1,5H", "PT1.123S", "PT-1S", "1H", "PT1H1H", "P.D", "P1.2.3D", "P..Y", "", "p1d",
    "PT36H", "P1M", "PT01H059M020S", "PT1M60S", "PT0.5M", "P1Y0.5M", "PT10000000H", "P1DT1",
]  # fmt: skip
REALS = [
    "0.5", "1", "-1", "0", "1.0000001", "-1.5", "2", ".5", "5.", "+1", "1e2", "1E-1", "", " 1", "1 ", "0x10",
    "NaN",
    "Infinity", "-0", "12345678901", "0.12345678901234567890", "-", ".", "1,5", "150", "-100", "100", "99.5",
]  # fmt: skip
STATUS_WORDS = [
    "completed", "incomplete", "not attempted", "unknown", "passed", "failed", "browsed", "Completed",
    "complete",
    "passed ", "", "true", "1",
]  # fmt: skip
LOCALIZED = [
    "text", "{lang=en}x", "{lang=english}x", "{lang=}x", "{lang=en-GB}x", "{lang=en}", "{x}y", "a{b",
    "{lang=en",
    "{lang=zh-Hant-TW}x", "{lang=en_GB}x", "{lang=123}x", "{lang=e}x", "text\nmore", "x" * 251, "x" * 4001,
]  # fmt: skip
LANGUAGES = ["en", "en-GB", "english", "", "e", "123", "en_GB", "zh-Hant-TW", "i-klingon", "x-private", "EN"]

# Per interaction type: correct-response patterns and learner responses worth asking about.
RESPONSES = {
    "true-false": ["true", "false", "True", "1", "t", ""],
    "choice": ["a", "a[,]b", "Question 1", "Question 1[,]Question 2", "a[,]a", "", "a[,]", "[,]b", "a b[,]c",
               "urn:bad", "urn:ok:x", "{a}", "a[.]b", "Speak to my manager and record it"],
    "fill-in": ["dignity", "{case_matters=true}x", "{order_matters=false}x[,]y", "{case_matters=maybe}x",
                "{lang=english}x", "{lang=en}x", "x[,]x", "{order_matters=true}{case_matters=true}x",
                "{case_matters=true}{case_matters=true}x", "", "two words"],
    "long-fill-in": ["text with spaces", "{case_matters=true}x", "{order_matters=true}x", "{lang=english}x",
                     ""],
    "matching": ["1[.]a", "1[.]a[,]2[.]b", "1", "42", "Item 1[.]Target A", "1[.]", "[.]a", "a[.]b[.]c", ""],
    "performance": ["step1[.]answer", "[.]answer", "step1[.]", "step 1[.]answer",
                    "{order_matters=true}s[.]1[:]5",
                    "s[.]5[:]1", "42", "s[.]a b", "[.]", ""],
    "sequencing": ["a[,]b[,]c", "a[,]a", "Step 1[,]Step 2", "a", ""],
    "likert": ["agree", "strongly agree", "likert_1", "1", ""],
    "numeric": ["1[:]5", "42", "4.2", "5[:]1", "[:]5", "1[:]", "-1.5[:]2", "abc", "1e2", ".5[:]1", ".5", "",
                "1[:]5[:]9"],
    "other": ["anything at all", "", "{lang=en}x"],
}  # fmt: skip


def _interaction(kind: str) -> tuple[tuple[str, str], ...]:
    return (*INTERACTION_2004, ("cmi.interactions.0.type", kind))


def cases_2004() -> Iterator[Case]:
    v = "2004"
    for element, setup in [
        ("cmi.interactions.0.id", ()),
        ("cmi.objectives.0.id", ()),
        ("cmi.interactions.0.objectives.0.id", INTERACTION_2004),
    ]:
        for value in IDENTIFIERS:
            yield Case(v, "identifier", element, value, setup)
    for element, setup in [
        ("cmi.interactions.0.timestamp", INTERACTION_2004),
        ("cmi.comments_from_learner.0.timestamp", ()),
    ]:
        for value in TIMESTAMPS:
            yield Case(v, "timestamp", element, value, setup)
    for element, setup in [("cmi.session_time", ()), ("cmi.interactions.0.latency", INTERACTION_2004)]:
        for value in DURATIONS:
            yield Case(v, "duration", element, value, setup)
    for element, setup in [
        ("cmi.score.scaled", ()),
        ("cmi.score.raw", ()),
        ("cmi.score.max", ()),
        ("cmi.progress_measure", ()),
        ("cmi.objectives.0.score.scaled", (("cmi.objectives.0.id", "o1"),)),
        ("cmi.objectives.0.progress_measure", (("cmi.objectives.0.id", "o1"),)),
        ("cmi.interactions.0.weighting", INTERACTION_2004),
        ("cmi.learner_preference.audio_level", ()),
    ]:
        for value in REALS:
            yield Case(v, "real", element, value, setup)
    for element, setup in [
        ("cmi.completion_status", ()),
        ("cmi.success_status", ()),
        ("cmi.objectives.0.completion_status", (("cmi.objectives.0.id", "o1"),)),
        ("cmi.objectives.0.success_status", (("cmi.objectives.0.id", "o1"),)),
    ]:
        for value in STATUS_WORDS:
            yield Case(v, "status", element, value, setup)
    vocabularies = {
        "cmi.exit": ["suspend", "normal", "logout", "time-out", "", "Suspend", "exit"],
        "cmi.interactions.0.result": ["correct", "incorrect", "wrong", "neutral", "0.5", "-3", "1e2",
                                      "100000", ""],
        "cmi.learner_preference.audio_captioning": ["-1", "0", "1", "2", "true", ""],
        "adl.nav.request": ["continue", "previous", "exitAll", "suspendAll", "_none_", "{target=sco-2}choice",
                            "choice", "jump", "{target=sco 2}choice", "start", "retry", "Continue", ""],
    }  # fmt: skip
    for element, values in vocabularies.items():
        setup = INTERACTION_2004 if "interactions" in element else ()
        for value in values:
            yield Case(v, "vocabulary", element, value, setup)
    for element, setup in [
        ("cmi.interactions.0.description", INTERACTION_2004),
        ("cmi.comments_from_learner.0.comment", ()),
    ]:
        for value in LOCALIZED:
            yield Case(v, "localized string", element, value, setup)
    for value in LANGUAGES:
        yield Case(v, "language", "cmi.learner_preference.language", value)
    yield from _responses_2004()
    yield from _access_and_records_2004()
    for element, size in [("cmi.location", 1000), ("cmi.suspend_data", 64000)]:
        for value in ["page-5", "", "x" * size, "x" * (size + 1), "x" * 262_145]:
            yield Case(v, "size", element, value)


def _responses_2004() -> Iterator[Case]:
    for kind, values in RESPONSES.items():
        for value in values:
            yield Case("2004", f"{kind} pattern", "cmi.interactions.0.correct_responses.0.pattern", value,
                       _interaction(kind))  # fmt: skip
            yield Case("2004", f"{kind} response", "cmi.interactions.0.learner_response", value,
                       _interaction(kind))  # fmt: skip
        first = values[0]
        with_first = (*_interaction(kind), ("cmi.interactions.0.correct_responses.0.pattern", first))
        yield Case("2004", "second pattern", SECOND_PATTERN, values[1], with_first)
        yield Case("2004", "repeated pattern", SECOND_PATTERN, first, with_first)


def _access_and_records_2004() -> Iterator[Case]:
    v = "2004"
    for element, value in [
        ("cmi.learner_id", "someone-else"), ("cmi.credit", "no-credit"), ("cmi.total_time", "PT1H"),
        ("cmi.completion_threshold", "0.5"), ("cmi._version", "2.0"), ("cmi.entry", "resume"),
        ("cmi.mode", "review"), ("cmi.scaled_passing_score", "0.1"), ("cmi.launch_data", "x"),
        ("cmi.max_time_allowed", "PT1H"), ("cmi.comments_from_lms.0.comment", "x"),
        ("adl.nav.request_valid.continue", "true"),
    ]:  # fmt: skip
        yield Case(v, "read-only", element, value)
    for element, value, setup in [
        ("cmi.interactions.2.id", "q3", ()),
        ("cmi.interactions.0.type", "choice", ()),
        ("cmi.objectives.1.id", "o2", ()),
        ("cmi.interactions.0.correct_responses.0.pattern", "a", INTERACTION_2004),
        ("cmi.interactions.0.correct_responses.3.pattern", "a", _interaction("choice")),
        ("cmi.interactions._count", "3", ()),
        ("cmi.interactions._children", "id", ()),
        ("cmi.objectives.0.id", "o1", (("cmi.objectives.0.id", "o2"),)),
        ("cmi.objectives.1.id", "o1", (("cmi.objectives.0.id", "o1"),)),
    ]:
        yield Case(v, "records", element, value, setup)
    unknown = ["cmi.bogus", "cmi.core.lesson_status", "cmi.score.bogus", "cmi.interactions.0.bogus", "adl.x"]
    for element in unknown:
        yield Case(v, "unknown element", element, "1", INTERACTION_2004 if "interactions" in element else ())


# -- SCORM 1.2 --------------------------------------------------------------------------------------------
IDENTIFIERS_12 = [
    "q1", "Question 1", "Question_1", " q1", "q1 ", "a\tb", "", " ", "a[,]b", "a{b}", "é1", "q\n1",
    "~!@#$%^&*()", "a\x01b", "Q 1 " * 70,
    "Scene1_QuestionDraw01_Slide3_MultiChoice_0_0", "x" * 255, "x" * 256, "x" * 4097,
]  # fmt: skip
TIMES_12 = ["09:30:00", "9:30:00", "09:30", "24:00:00", "09:60:00", "09:30:00.5", "09:30:00.123",
            "2026-11-22T09:30:00", "", "23:59:59.99"]  # fmt: skip
TIMESPANS_12 = [
    "0000:05:00", "00:05:00", "0:05:00", "00001:00:00", "00:75:00", "00:00:75", "00:05:00.123", "PT5M",
    "05:00", "99999:00:00", "9999:59:59.99", "", "00:05:00.5", "-00:05:00",
]  # fmt: skip
DECIMALS_12 = ["50", "0", "100", "150", "-5", "", "-", ".", "5.", ".5", "1e2", "+5", "100.0", "100.01", "abc",
               "1,5", " 5"]  # fmt: skip


def cases_12() -> Iterator[Case]:
    v = "1.2"
    for element, setup in [
        ("cmi.interactions.0.id", ()),
        ("cmi.objectives.0.id", ()),
        ("cmi.interactions.0.objectives.0.id", INTERACTION_12),
    ]:
        for value in IDENTIFIERS_12:
            yield Case(v, "identifier", element, value, setup)
    for value in TIMES_12:
        yield Case(v, "time", "cmi.interactions.0.time", value, INTERACTION_12)
    for element, setup in [("cmi.core.session_time", ()), ("cmi.interactions.0.latency", INTERACTION_12)]:
        for value in TIMESPANS_12:
            yield Case(v, "timespan", element, value, setup)
    for element, setup in [
        ("cmi.core.score.raw", ()),
        ("cmi.core.score.min", ()),
        ("cmi.core.score.max", ()),
        ("cmi.objectives.0.score.raw", (("cmi.objectives.0.id", "o1"),)),
        ("cmi.interactions.0.weighting", INTERACTION_12),
    ]:
        for value in DECIMALS_12:
            yield Case(v, "decimal", element, value, setup)
    for element, values in {
        "cmi.student_preference.audio": ["-1", "0", "100", "101", "-2", "50.5", "", "abc"],
        "cmi.student_preference.speed": ["-100", "100", "101", "0", ""],
        "cmi.student_preference.text": ["-1", "0", "1", "2", ""],
    }.items():
        for value in values:
            yield Case(v, "integer", element, value)
    for element, values in {
        "cmi.core.lesson_status": STATUS_WORDS,
        "cmi.objectives.0.status": STATUS_WORDS,
        "cmi.core.exit": ["suspend", "logout", "time-out", "", "normal", "Suspend"],
        "cmi.interactions.0.type": ["choice", "true-false", "long-fill-in", "other", "Choice", ""],
        "cmi.interactions.0.result": ["correct", "wrong", "incorrect", "neutral", "0.5", "1000", "-1", ""],
    }.items():
        setup = {"cmi.objectives.0.status": (("cmi.objectives.0.id", "o1"),),
                 "cmi.interactions.0.type": INTERACTION_12,
                 "cmi.interactions.0.result": INTERACTION_12}.get(element, ())  # fmt: skip
        for value in values:
            yield Case(v, "vocabulary", element, value, setup)
    for element, value in [
        ("cmi.core.student_id", "someone-else"), ("cmi.core.student_name", "X"),
        ("cmi.core.credit", "no-credit"), ("cmi.core.entry", "resume"), ("cmi.core.total_time", "0001:00:00"),
        ("cmi.core.lesson_mode", "review"),
        ("cmi.student_data.mastery_score", "10"), ("cmi.launch_data", "x"), ("cmi.comments_from_lms", "x"),
    ]:  # fmt: skip
        yield Case(v, "read-only", element, value)
    for element in ["cmi.core.bogus", "cmi.bogus", "cmi.interactions.0.bogus", "cmi.core._count"]:
        yield Case(v, "unknown element", element, "1", INTERACTION_12 if "interactions" in element else ())
    yield Case(v, "records", "cmi.interactions.2.id", "q3")
    yield Case(v, "records", "cmi.objectives.3.id", "o3")
    sizes = [("cmi.core.lesson_location", 255), ("cmi.suspend_data", 4096), ("cmi.comments", 4096)]
    for element, size in sizes:
        for value in ["page-5", "", "x" * size, "x" * (size + 1), "x" * 262_145]:
            yield Case(v, "size", element, value)
    for value in ["Speak to my manager", "a,b", "1.a", "x" * 256, "x" * 65_537, "{lang=en}x", ""]:
        yield Case(v, "feedback", "cmi.interactions.0.student_response", value, INTERACTION_12)
        yield Case(v, "feedback", "cmi.interactions.0.correct_responses.0.pattern", value, INTERACTION_12)
    for value in ["en", "English (UK)", "", "x" * 256]:
        yield Case(v, "string", "cmi.student_preference.language", value)


def all_cases() -> list[Case]:
    return [*cases_2004(), *cases_12()]
