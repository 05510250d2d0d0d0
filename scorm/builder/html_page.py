"""Render the SCO's launch page: every content page as escaped HTML, the knowledge check's frame, and the
unit's data for the script.

Unit text is plain text from the catalogue and is escaped here, once, so a title such as
``<script>`` shows as those characters. The questions travel as JSON inside a non-executed script element;
``<``, ``>`` and ``&`` are written as JSON escapes so no text can close that element early.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

SCRIPT_FILES = ("lms.js", "quiz.js", "sco.js")
STYLE_FILE = "sco.css"
# No network at all: scripts, styles and images only from the package itself (WCAG-neutral, privacy: the
# package must never call out, see issue 6).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)


def _text(value: Any) -> str:
    return escape(str(value), quote=True)


def render_block(block: Mapping[str, Any]) -> str:
    kind = block["type"]
    if kind == "paragraph":
        return f"<p>{_text(block['text'])}</p>"
    if kind == "list":
        items = "".join(f"<li>{_text(item)}</li>" for item in block["items"])
        return f"<ul>{items}</ul>"
    if kind == "example":
        title = _text(block.get("title") or "Example")
        return (
            f'<section class="block example"><h3><span class="label">Example:</span> {title}</h3>'
            f"<p>{_text(block['text'])}</p></section>"
        )
    if kind == "tip":
        return f'<div class="block tip"><p><strong>Remember:</strong> {_text(block["text"])}</p></div>'
    if kind == "check_yourself":
        # A native disclosure: keyboard and screen readers get expand/collapse for free.
        return (
            f'<details class="block check-yourself"><summary>Check yourself: {_text(block["question"])}'
            f"</summary><p>{_text(block['answer'])}</p></details>"
        )
    raise ValueError(f"unknown block type {kind!r}")


def render_content_page(page: Mapping[str, Any], number: int, total: int) -> str:
    page_id = _text(page["id"])
    blocks = "\n".join(render_block(block) for block in page["blocks"])
    return (
        f'<section class="screen content-page" id="page-{page_id}" data-page="{number - 1}" '
        f'aria-labelledby="page-{page_id}-title" hidden>\n'
        f'<p class="progress">Page {number} of {total}</p>\n'
        f'<h2 id="page-{page_id}-title" tabindex="-1">{_text(page["title"])}</h2>\n'
        f"{blocks}\n</section>"
    )


def render_observation_note(unit: Mapping[str, Any]) -> str:
    """What the assessor must still see at work: the e-learning is only the knowledge part of the unit."""
    observation = unit.get("observation") or {}
    wanted = set(observation.get("outcomes") or [])
    if not observation.get("required") or not wanted:
        return ""
    items = "".join(
        f"<li>{_text(outcome['text'])}</li>"
        for outcome in unit["learning_outcomes"]
        if outcome["id"] in wanted
    )
    return (
        '<section class="block tip" id="observation-note" aria-labelledby="observation-title">'
        '<h3 id="observation-title">Still to do at work</h3>'
        "<p>Your assessor also needs to see you at work for these parts of the unit:</p>"
        f"<ul>{items}</ul></section>"
    )


def sco_data(unit: Mapping[str, Any], scorm_version: str) -> dict[str, Any]:
    """What the script needs: ids, the pass mark, the bank with its right answers and feedback."""
    assessment = unit["assessment"]
    return {
        "scormVersion": scorm_version,
        "unitId": unit["id"],
        "unitVersion": unit["version"],
        "passMark": assessment["pass_mark"],
        "questionsPerAttempt": assessment["questions_per_attempt"],
        "pageIds": [page["id"] for page in unit["pages"]],
        "outcomes": [{"id": o["id"], "text": o["text"]} for o in unit["learning_outcomes"]],
        "bank": [_question_data(question) for question in assessment["bank"]],
    }


def _question_data(question: Mapping[str, Any]) -> dict[str, Any]:
    options = question["options"]
    return {
        "id": question["id"],
        "type": "true-false" if question["type"] == "true-false" else "choice",
        "outcome": question["outcome"],
        "scenario": question.get("scenario") or "",
        "prompt": question["prompt"],
        "options": [{"id": option["id"], "text": option["text"]} for option in options],
        "correct": next(option["id"] for option in options if option.get("correct") is True),
        "feedback": {
            "correct": question["feedback"]["correct"],
            "incorrect": question["feedback"]["incorrect"],
        },
    }


def json_for_script_element(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_launch_page(unit: Mapping[str, Any], scorm_version: str) -> str:
    pages = unit["pages"]
    content = "\n".join(render_content_page(page, n, len(pages)) for n, page in enumerate(pages, start=1))
    assessment = unit["assessment"]
    scripts = "\n".join(f'<script src="{name}"></script>' for name in SCRIPT_FILES)
    return _PAGE.format(
        title=_text(unit["title"]),
        summary=_text(unit["summary"]),
        csp=_text(CONTENT_SECURITY_POLICY),
        style=STYLE_FILE,
        content_pages=content,
        question_count=int(assessment["questions_per_attempt"]),
        pass_mark=_text(_percent(assessment["pass_mark"])),
        observation_note=render_observation_note(unit),
        data=json_for_script_element(sco_data(unit, scorm_version)),
        scripts=scripts,
    )


def _percent(value: float) -> str:
    return f"{value:g}%"


_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{title}</title>
<link rel="stylesheet" href="{style}">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="unit-header">
<p class="kicker">Adult Social Care Certificate</p>
<h1 id="unit-title">{title}</h1>
<p class="summary" id="unit-summary">{summary}</p>
</header>
<main id="main" tabindex="-1">
<div id="notice" class="notice" role="status" aria-live="polite"></div>
<noscript><p class="notice">This unit needs JavaScript to show its pages and questions.</p></noscript>
<section class="screen" id="resume" aria-labelledby="resume-title" hidden>
<h2 id="resume-title" tabindex="-1">Welcome back</h2>
<p>Continue where you left off?</p>
<div class="actions">
<button type="button" class="button primary" id="resume-continue">Continue where I left off</button>
<button type="button" class="button" id="resume-restart">Start from the beginning</button>
</div>
</section>
{content_pages}
<section class="screen" id="check-intro" aria-labelledby="check-intro-title" hidden>
<h2 id="check-intro-title" tabindex="-1">Knowledge check</h2>
<p>There are {question_count} questions. Choose one answer for each and check it.
You need {pass_mark} to pass.</p>
<div class="actions">
<button type="button" class="button primary" id="check-start">Start the knowledge check</button>
</div>
</section>
<section class="screen" id="check" aria-labelledby="check-title" hidden>
<p class="progress" id="check-progress"></p>
<h2 id="check-title" class="visually-hidden">Knowledge check</h2>
<form id="question-form" novalidate>
<div id="question-slot"></div>
<div class="actions">
<button type="submit" class="button primary" id="check-answer">Check answer</button>
</div>
</form>
<div id="feedback" class="feedback" role="status" aria-live="polite"></div>
<div class="actions">
<button type="button" class="button primary" id="next-question" hidden>Next question</button>
</div>
</section>
<section class="screen" id="results" aria-labelledby="results-title" hidden>
<h2 id="results-title" tabindex="-1">Your result</h2>
<p id="results-score" class="result-score"></p>
<p id="results-verdict" class="result-verdict"></p>
{observation_note}
<div class="actions">
<button type="button" class="button primary" id="try-again" hidden>Try again</button>
<button type="button" class="button" id="review-pages">Look at the pages again</button>
</div>
<h3>Review your answers</h3>
<ol id="review-list" class="review-list"></ol>
</section>
<nav id="page-nav" class="page-nav" aria-label="Pages" hidden>
<button type="button" class="button" id="previous-page">Previous</button>
<button type="button" class="button primary" id="next-page">Next</button>
</nav>
</main>
<footer class="unit-footer">
<p id="save-status" class="save-status" role="status" aria-live="polite"></p>
</footer>
<script type="application/json" id="sco-data">{data}</script>
{scripts}
</body>
</html>
"""
