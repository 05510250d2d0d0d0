"""SCORM 1.2 ``adlcp:prerequisites`` (type "aicc_script"): parse and evaluate.

SCORM 1.2 CAM 2.3.2.5 borrows the AICC CMI001 script: item identifiers joined by ``&`` (and),
``|`` (or), ``~`` (not) and parentheses; ``id = status`` / ``id <> status`` compare an item's
lesson_status (full word or AICC letter: p, c, f, i, b, n; quoted or not); ``n*{a,b,c}`` holds
when at least n of the set hold. A bare identifier holds when its item is "passed" or
"completed". ``~`` binds tightest, then ``&``, then ``|``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

MAX_LENGTH = 4096  # a manifest value, not a program: longer scripts are refused, not evaluated
MAX_DEPTH = 64

STATUS_WORDS = {
    "p": "passed",
    "passed": "passed",
    "c": "completed",
    "completed": "completed",
    "f": "failed",
    "failed": "failed",
    "i": "incomplete",
    "incomplete": "incomplete",
    "b": "browsed",
    "browsed": "browsed",
    "n": "not attempted",
    "not attempted": "not attempted",
}
MET = frozenset({"passed", "completed"})

_TOKEN = re.compile(r'\s*(?:(<>|[&|~=(){},*])|"([^"]*)"|([^\s&|~=<>(){},*"]+))')


class PrerequisiteSyntaxError(ValueError):
    """A prerequisites script we cannot read, with where it went wrong."""


@dataclass(frozen=True)
class ItemMet:
    identifier: str


@dataclass(frozen=True)
class Compare:
    identifier: str
    equal: bool
    status: str


@dataclass(frozen=True)
class Not:
    operand: Expression


@dataclass(frozen=True)
class AllOf:
    operands: tuple[Expression, ...]


@dataclass(frozen=True)
class AnyOf:
    operands: tuple[Expression, ...]


@dataclass(frozen=True)
class AtLeast:
    count: int
    members: tuple[Expression, ...]


Expression = ItemMet | Compare | Not | AllOf | AnyOf | AtLeast


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind is "op", "quoted" or "word"."""
    found, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None:
            raise PrerequisiteSyntaxError(f"unexpected {text[position:].strip()[:1]!r} at {position}")
        op, quoted, word = match.groups()
        found.append(("op", op) if op else ("quoted", quoted) if quoted is not None else ("word", word))
        position = match.end()
    return found


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (op is not None and token != ("op", op)):
            wanted = repr(op) if op else "more"
            raise PrerequisiteSyntaxError(f"expected {wanted} at token {self.at + 1}")
        self.at += 1
        return token

    def either(self) -> Expression:
        operands = [self.both()]
        while self.peek() == ("op", "|"):
            self.take("|")
            operands.append(self.both())
        return operands[0] if len(operands) == 1 else AnyOf(tuple(operands))

    def both(self) -> Expression:
        operands = [self.unary()]
        while self.peek() == ("op", "&"):
            self.take("&")
            operands.append(self.unary())
        return operands[0] if len(operands) == 1 else AllOf(tuple(operands))

    def unary(self) -> Expression:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise PrerequisiteSyntaxError("nested too deeply")
        try:
            if self.peek() == ("op", "~"):
                self.take("~")
                return Not(self.unary())
            if self.peek() == ("op", "("):
                self.take("(")
                inner = self.either()
                self.take(")")
                return inner
            return self.operand()
        finally:
            self.depth -= 1

    def operand(self) -> Expression:
        kind, text = self.take()
        if kind == "word" and text.isdigit() and self.peek() == ("op", "*"):
            self.take("*")
            return AtLeast(int(text), self.members())
        if kind == "op" and text == "{":
            self.at -= 1
            members = self.members()
            return AtLeast(len(members), members)
        if kind == "op":
            raise PrerequisiteSyntaxError(f"unexpected {text!r} at token {self.at}")
        if self.peek() in (("op", "="), ("op", "<>")):
            equal = self.take()[1] == "="
            return Compare(text, equal, self.status())
        return ItemMet(text)

    def members(self) -> tuple[Expression, ...]:
        self.take("{")
        found = [self.either()]
        while self.peek() == ("op", ","):
            self.take(",")
            found.append(self.either())
        self.take("}")
        return tuple(found)

    def status(self) -> str:
        kind, text = self.take()
        if kind == "op":
            raise PrerequisiteSyntaxError(f"expected a status after a comparison, got {text!r}")
        word = text.strip().lower()
        if kind == "word" and word == "not" and self.peek() == ("word", "attempted"):
            self.take()
            word = "not attempted"
        if word not in STATUS_WORDS:
            raise PrerequisiteSyntaxError(f"{text!r} is not a lesson_status")
        return STATUS_WORDS[word]


def parse_prerequisites(text: str) -> Expression:
    """The script as an expression tree; PrerequisiteSyntaxError when it cannot be read."""
    if len(text) > MAX_LENGTH:
        raise PrerequisiteSyntaxError(f"longer than {MAX_LENGTH} characters")
    tokens = _tokens(text)
    if not tokens:
        raise PrerequisiteSyntaxError("empty")
    parser = _Parser(tokens)
    expression = parser.either()
    if parser.peek() is not None:
        raise PrerequisiteSyntaxError(f"unexpected {parser.peek()[1]!r} at token {parser.at + 1}")
    return expression


def identifiers_in(expression: Expression) -> set[str]:
    if isinstance(expression, ItemMet | Compare):
        return {expression.identifier}
    if isinstance(expression, Not):
        return identifiers_in(expression.operand)
    parts = expression.operands if isinstance(expression, AllOf | AnyOf) else expression.members
    return set().union(*(identifiers_in(p) for p in parts))


def evaluate(
    expression: Expression, statuses: Mapping[str, str], known_items: Collection[str] | None = None
) -> bool:
    """Whether the expression holds for these lesson_status values (missing: "not attempted").

    An identifier the package does not have (when ``known_items`` is given) can never be
    attempted, so a test on it is treated as met: an authoring slip must not lock learners out.
    """
    if isinstance(expression, ItemMet | Compare):
        if known_items is not None and expression.identifier not in known_items:
            return True
        status = statuses.get(expression.identifier, "not attempted")
        if isinstance(expression, ItemMet):
            return status in MET
        return (status == expression.status) == expression.equal
    if isinstance(expression, Not):
        return not evaluate(expression.operand, statuses, known_items)
    if isinstance(expression, AllOf):
        return all(evaluate(p, statuses, known_items) for p in expression.operands)
    if isinstance(expression, AnyOf):
        return any(evaluate(p, statuses, known_items) for p in expression.operands)
    held = sum(1 for m in expression.members if evaluate(m, statuses, known_items))
    return held >= expression.count


def prerequisites_met(
    script: str | None, statuses: Mapping[str, str], known_items: Collection[str] | None = None
) -> bool:
    """True when an item may be launched. No script, or one we cannot read, restricts nothing
    (SCORM 1.2 leaves enforcement to the LMS; the validator reports the unreadable script)."""
    if not script or not script.strip():
        return True
    try:
        expression = parse_prerequisites(script)
    except PrerequisiteSyntaxError:
        return True
    return evaluate(expression, statuses, known_items)
