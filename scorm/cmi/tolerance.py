"""Value forms the browser run-time (scorm-again 3.4.3) accepts and the specifications do not, which a commit
may tolerate because they are harmless to results and storage.

The content's SetValue got "true" from scorm-again, so refusing the commit that carries such a value would
lose every later save of the learner's progress. Each :class:`Tolerance` is a relaxed check for one kind of
deviation, consulted only after the element's own check refused the value as a *type mismatch*; ranges,
sizes, access, record order and uniqueness are never relaxed. Result-bearing elements (completion,
success, lesson status, scores, progress measure) have no tolerance at all. Values the server computes
with (durations, 1.2's exit) are stored in their specification form; the others as sent. The list comes
from running the same SetValue calls through scorm-again and the data model (tests/scorm/runtime/browser/);
scorm/cmi/DECISIONS.md has the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from scorm.cmi.common.elements import Check
from scorm.cmi.common.errors import CmiError, ErrorKind
from scorm.cmi.common.model import SetContext
from scorm.cmi.common.timevalues import MAX_DURATION_SECONDS, format_iso_duration, format_timespan12
from scorm.cmi.scorm2004.checks import id_fixed_once_set, unique_id_in_collection
from scorm.cmi.scorm2004.responses import Form, check_correct_pattern, check_learner_response


@dataclass(frozen=True)
class Deviation:
    """A tolerated value: what kind of deviation, why it is harmless, and what is stored."""

    kind: str
    reason: str
    stored: str


@dataclass(frozen=True)
class Tolerance:
    kind: str  # stable name, e.g. "identifier-form", for logs and the DECISIONS.md table
    reason: str  # a sentence for an administrator
    check: Check  # the relaxed check: raises CmiError when even the relaxed form is refused
    normalise: Callable[[str], str] | None = None  # the specification form to store, when it is computed with


# -- relaxed forms (each one a subset of what scorm-again 3.4.3 accepts) ----------------------------------
# Not blank, no control character other than tab, no line break: scorm-again's long identifier is any
# line of 1-4,000 characters; blank or multi-line values stay refused (they identify nothing).
_LOOSE_ID_2004 = re.compile(r"(?=[\s\S]*\S)[^\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]{1,4000}")
# scorm-again's short identifier (matching, sequencing, likert, performance): URI-safe characters only, so
# beyond the specification it takes nothing but a malformed urn: (such as "urn:bad").
_LOOSE_SHORT_ID = re.compile(r"(?=.*\w)[\w\-()+.:=@;$!*'%/#]{1,250}")
# scorm-again's 1.2 CMIIdentifier: printable ASCII and spaces, at most 255 characters.
_LOOSE_ID_12 = re.compile(r"(?=.*\S)[\x20-\x7e\t]{1,255}")
# scorm-again's language tag: 1-8 letters (or i/x), then at most one subtag group of 2-8 characters.
_LOOSE_LANGUAGE = re.compile(r"(?:[A-Za-z]{1,8}|i|x)(?:-[A-Za-z0-9-]{2,8})?")
_LOOSE_LANG_DELIMITER = re.compile(r"\{lang=([^{}]*)\}")
# scorm-again's timestamp: years 1970-9999, day 01-31 in any month; otherwise the SCORM grammar.
_LOOSE_TIME = re.compile(
    r"(?:19[7-9]\d|[2-9]\d{3})(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])(?:T(?:[01]\d|2[0-3])"
    r"(?::[0-5]\d(?::[0-5]\d(?:\.\d{1,6}(?:(?:Z|[+-](?:[01]\d|2[0-3]))(?::[0-5]\d)?)?)?)?)?)?)?)?"
)
# scorm-again's duration: weeks, fractions in any unit (dot or comma), an optional or empty T part. Each
# number must be a number (scorm-again also takes "P..D", which means nothing).
_NUMBER = r"\d+(?:[.,]\d+)?"
_LOOSE_DURATION = re.compile(
    rf"P(?:(?P<Y>{_NUMBER})Y)?(?:(?P<Mo>{_NUMBER})M)?(?:(?P<W>{_NUMBER})W)?(?:(?P<D>{_NUMBER})D)?"
    rf"T?(?:(?P<H>{_NUMBER})H)?(?:(?P<Mi>{_NUMBER})M)?(?:(?P<S>\d+(?:\.\d{{1,2}})?)S)?"
)
# The same conventions as total_time (timevalues.py): a year is 365 days, a month 30.
_SECONDS_PER = {"Y": 365 * 86400, "Mo": 30 * 86400, "W": 7 * 86400, "D": 86400, "H": 3600, "Mi": 60, "S": 1}
# scorm-again's 1.2 CMITimespan: any number of hour digits, two-digit minutes and seconds up to 99.
_LOOSE_TIMESPAN_12 = re.compile(r"(?P<h>\d+):(?P<m>\d{2}):(?P<s>\d{2}(?:\.\d{1,2})?)")
MAX_TIMESPAN_12_SECONDS = Decimal(9999 * 3600 + 59 * 60) + Decimal("59.99")


def _mismatch(value: str, what: str) -> CmiError:
    return CmiError(ErrorKind.TYPE_MISMATCH, f"{value[:40]!r} is not {what}, even as the browser reads it.")


def is_loose_identifier(value: str) -> bool:
    return bool(_LOOSE_ID_2004.fullmatch(value))


def is_loose_short_identifier(value: str) -> bool:
    return bool(_LOOSE_SHORT_ID.fullmatch(value))


def strip_loose_lang(value: str) -> str | None:
    """Like datatypes.strip_lang, with scorm-again's looser language tag ({lang=english})."""
    if not value.startswith("{lang="):
        return value
    match = _LOOSE_LANG_DELIMITER.match(value)
    if not match or not _LOOSE_LANGUAGE.fullmatch(match.group(1)):
        return None
    return value[match.end() :]


def loose_duration_seconds(value: str) -> Decimal | None:
    match = _LOOSE_DURATION.fullmatch(value)
    if not match:
        return None
    parts = {unit: text for unit, text in match.groupdict().items() if text}
    seconds = sum(
        (Decimal(text.replace(",", ".")) * _SECONDS_PER[unit] for unit, text in parts.items()), Decimal(0)
    )
    return seconds if seconds <= MAX_DURATION_SECONDS else None


def loose_timespan12_seconds(value: str) -> Decimal | None:
    match = _LOOSE_TIMESPAN_12.fullmatch(value)
    if not match:
        return None
    seconds = int(match["h"]) * 3600 + int(match["m"]) * 60 + Decimal(match["s"])
    return seconds if seconds <= MAX_TIMESPAN_12_SECONDS else None


# -- relaxed checks ------------------------------------------------------------------------------------------
def _loose_id_2004(value: str, ctx: SetContext) -> None:
    if not is_loose_identifier(value):
        raise _mismatch(value, "an identifier")


def _loose_id_12(value: str, ctx: SetContext) -> None:
    if not _LOOSE_ID_12.fullmatch(value):
        raise _mismatch(value, "an identifier")


def _all(*checks: Check) -> Check:
    def check(value: str, ctx: SetContext) -> None:
        for each in checks:
            each(value, ctx)

    return check


def _with_form(response_check: Callable[[str, SetContext, Form], None], form: Form) -> Check:
    return lambda value, ctx: response_check(value, ctx, form)


def _loose_localized(value: str, ctx: SetContext) -> None:
    if strip_loose_lang(value) is None:
        raise _mismatch(value, "a text with a {lang=...} delimiter")


def _loose_language(value: str, ctx: SetContext) -> None:
    if not _LOOSE_LANGUAGE.fullmatch(value):
        raise _mismatch(value, "a language code")


def _loose_time(value: str, ctx: SetContext) -> None:
    if not _LOOSE_TIME.fullmatch(value):
        raise _mismatch(value, "a timestamp")


def _loose_duration(value: str, ctx: SetContext) -> None:
    if loose_duration_seconds(value) is None:
        raise _mismatch(value, "a duration")


def _loose_timespan12(value: str, ctx: SetContext) -> None:
    if loose_timespan12_seconds(value) is None:
        raise _mismatch(value, "a CMITimespan of at most 9999 hours")


def _word(words: dict[str, str]) -> Check:
    def check(value: str, ctx: SetContext) -> None:
        if value not in words:
            raise _mismatch(value, f"one of {', '.join(words)}")

    return check


# -- the tolerances, by version and element ----------------------------------------------------------------
_ID = "identifier-form"
_ID_REASON = "An identifier with spaces or characters a URI does not hold; stored as sent."
ID_2004 = Tolerance(_ID, _ID_REASON, _loose_id_2004)
OBJECTIVE_ID_2004 = Tolerance(
    _ID, _ID_REASON, _all(_loose_id_2004, unique_id_in_collection, id_fixed_once_set)
)
INTERACTION_OBJECTIVE_ID_2004 = Tolerance(_ID, _ID_REASON, _all(_loose_id_2004, unique_id_in_collection))
ID_12 = Tolerance(_ID, _ID_REASON, _loose_id_12)

_RESPONSE_IDS = "response-identifier-form"
_RESPONSE_IDS_REASON = (
    "A response naming choices with spaces or characters a URI does not hold; stored as sent."
)
_RESPONSE_LANG = "language-code-form"
_LANG_REASON = "A {lang=...} or language code that is not ISO 639 (such as 'english'); stored as sent."
# scorm-again's decimal: digits before any point (".5" is refused there).
_BROWSER_DECIMAL = re.compile(r"-?\d{1,10}(?:\.\d{1,18})?")
_LOOSE_IDS = Form(ids=is_loose_identifier, short_ids=is_loose_short_identifier)
PATTERN_FORMS = {
    _RESPONSE_IDS: (_RESPONSE_IDS_REASON, _LOOSE_IDS),
    "numeric-single-value": (
        "A numeric correct response written as one number, not a min[:]max range; stored as sent.",
        Form(single_number=lambda text: bool(_BROWSER_DECIMAL.fullmatch(text))),
    ),
    "range-order": (
        "A performance step's numeric range whose minimum exceeds its maximum; stored as sent.",
        Form(ordered_step_ranges=False),
    ),
    "repeated-flag": (
        "A {case_matters=..}/{order_matters=..} given twice; stored as sent.",
        Form(flags_once=False),
    ),
}
# scorm-again checks a fill-in pattern's {lang=...} strictly but a learner response's loosely.
RESPONSE_FORMS = {
    _RESPONSE_IDS: (_RESPONSE_IDS_REASON, _LOOSE_IDS),
    _RESPONSE_LANG: (_LANG_REASON, Form(text=strip_loose_lang)),
}


def _response_tolerances(
    response_check: Callable[[str, SetContext, Form], None], forms: dict[str, tuple[str, Form]]
) -> tuple[Tolerance, ...]:
    return tuple(
        Tolerance(kind, reason, _with_form(response_check, form)) for kind, (reason, form) in forms.items()
    )


LOCALIZED = Tolerance(_RESPONSE_LANG, _LANG_REASON, _loose_localized)
TIMESTAMP = Tolerance(
    "timestamp-form",
    "A timestamp after 2038 or on a day its month does not have; stored as sent.",
    _loose_time,
)
DURATION = Tolerance(
    "duration-form",
    "A duration in weeks, with a fraction in a unit above seconds, or empty (P, PT); stored as the same "
    "length in SCORM's form (a week is 7 days; hundredths of a second kept).",
    _loose_duration,
    normalise=lambda value: format_iso_duration(loose_duration_seconds(value) or Decimal(0)),
)
TIMESPAN_12 = Tolerance(
    "timespan-form",
    "A CMITimespan with 1 or more than 4 hour digits, or minutes/seconds above 59; stored as the same length "
    "in HHHH:MM:SS.SS.",
    _loose_timespan12,
    normalise=lambda value: format_timespan12(loose_timespan12_seconds(value) or Decimal(0)),
)
_2004_WORDS_IN_12 = "A SCORM 2004 word scorm-again takes in 1.2; stored as its 1.2 equivalent."
EXIT_12 = Tolerance("2004-word", _2004_WORDS_IN_12, _word({"normal": ""}), normalise={"normal": ""}.get)
RESULT_12 = Tolerance(
    "2004-word", _2004_WORDS_IN_12, _word({"incorrect": "wrong"}), normalise={"incorrect": "wrong"}.get
)
SCORM_AGAIN: dict[str, dict[str, tuple[Tolerance, ...]]] = {
    "2004": {
        "cmi.interactions.n.id": (ID_2004,),
        "cmi.objectives.n.id": (OBJECTIVE_ID_2004,),
        "cmi.interactions.n.objectives.n.id": (INTERACTION_OBJECTIVE_ID_2004,),
        "cmi.interactions.n.correct_responses.n.pattern": _response_tolerances(
            check_correct_pattern, PATTERN_FORMS
        ),
        "cmi.interactions.n.learner_response": _response_tolerances(check_learner_response, RESPONSE_FORMS),
        "cmi.interactions.n.description": (LOCALIZED,),
        "cmi.objectives.n.description": (LOCALIZED,),
        "cmi.comments_from_learner.n.comment": (LOCALIZED,),
        "cmi.learner_preference.language": (Tolerance(_RESPONSE_LANG, _LANG_REASON, _loose_language),),
        "cmi.interactions.n.timestamp": (TIMESTAMP,),
        "cmi.comments_from_learner.n.timestamp": (TIMESTAMP,),
        "cmi.session_time": (DURATION,),
        "cmi.interactions.n.latency": (DURATION,),
    },
    "1.2": {
        "cmi.interactions.n.id": (ID_12,),
        "cmi.objectives.n.id": (ID_12,),
        "cmi.interactions.n.objectives.n.id": (ID_12,),
        "cmi.core.session_time": (TIMESPAN_12,),
        "cmi.interactions.n.latency": (TIMESPAN_12,),
        "cmi.core.exit": (EXIT_12,),
        "cmi.interactions.n.result": (RESULT_12,),
    },
}


def tolerate(tolerances: tuple[Tolerance, ...], value: str, ctx: SetContext, refused: CmiError) -> Deviation:
    """The first tolerance whose relaxed check passes; a non-format refusal from one (a repeated objective
    id) is raised, and when none passes the original refusal stands."""
    for tolerance in tolerances:
        try:
            tolerance.check(value, ctx)
        except CmiError as error:
            if error.kind is ErrorKind.TYPE_MISMATCH:
                continue
            raise
        stored = tolerance.normalise(value) if tolerance.normalise else value
        return Deviation(tolerance.kind, tolerance.reason, stored)
    raise refused
