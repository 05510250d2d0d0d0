"""Refusals: every way a request can be turned away, with a stable code, words for a person and for an admin.

A refusal is raised as `LtiRefusal(code, detail=...)`; the web layer turns it into an HTML page with
id="lti-error" data-error-code="<code>" and a log line. Codes are stable: support and tests rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RefusalKind:
    status: int
    title: str  # what happened, for the person in front of the browser
    advice: str  # what they (or their LMS admin) can do


REFUSALS: dict[str, RefusalKind] = {
    "LTI-BAD-REQUEST": RefusalKind(
        400, "This request could not be read", "Start again from your course page."
    ),
    "LTI-LOGIN-MISSING-PARAM": RefusalKind(
        400,
        "The LMS started the login without a required value",
        "Start the activity again from your course; if it keeps happening, tell your LMS administrator.",
    ),
    "LTI-ISSUER-UNKNOWN": RefusalKind(
        400,
        "This LMS is not registered with the tool",
        "Your LMS administrator needs to register the tool (dynamic registration or the manual form).",
    ),
    "LTI-CLIENT-UNKNOWN": RefusalKind(
        400,
        "This LMS's client id is not registered with the tool",
        "Your LMS administrator should check the client id in the tool's registration.",
    ),
    "LTI-REGISTRATION-PENDING": RefusalKind(
        403,
        "This LMS's registration is waiting for approval",
        "The tool's administrator must activate the registration before anyone can launch.",
    ),
    "LTI-REGISTRATION-DISABLED": RefusalKind(
        403, "This LMS's registration is disabled", "Ask the tool's administrator to enable it again."
    ),
    "LTI-MISSING-ID-TOKEN": RefusalKind(
        400, "The launch arrived without its id_token", "Start the activity again from your course."
    ),
    "LTI-MISSING-STATE": RefusalKind(
        400, "The launch arrived without its state", "Start the activity again from your course."
    ),
    "LTI-STATE-UNKNOWN": RefusalKind(
        400,
        "This launch does not match a login started here, or it took too long",
        "Start the activity again from your course page.",
    ),
    "LTI-STATE-COOKIE-MISSING": RefusalKind(
        401,
        "Your browser blocked the cookie this launch needs",
        "Open the activity in a new window to continue.",
    ),
    "LTI-STATE-MISMATCH": RefusalKind(
        400,
        "This launch belongs to a different browser session",
        "Start the activity again from your course.",
    ),
    "LTI-JWT-MALFORMED": RefusalKind(
        400, "The launch message is not a valid signed token", "Start again; tell your LMS administrator."
    ),
    "LTI-KID-MISSING": RefusalKind(
        400, "The launch message does not say which key signed it", "Tell your LMS administrator."
    ),
    "LTI-KID-UNKNOWN": RefusalKind(
        400,
        "The launch was signed with a key the LMS does not publish",
        "Try again in a minute; if it persists the LMS administrator should check the key set URL.",
    ),
    "LTI-ALG-UNSUPPORTED": RefusalKind(
        400, "The launch message is signed with an unsupported algorithm", "Tell your LMS administrator."
    ),
    "LTI-SIGNATURE-INVALID": RefusalKind(
        400, "The launch message's signature is not valid", "Tell your LMS administrator."
    ),
    "LTI-PLATFORM-KEYS-UNAVAILABLE": RefusalKind(
        502,
        "The tool could not fetch the LMS's public keys",
        "Try again shortly; the administrator should check the LMS's key set URL.",
    ),
    "LTI-TOKEN-EXPIRED": RefusalKind(
        400,
        "The launch message has expired",
        "Start the activity again. If it keeps happening, the LMS server's clock may be wrong.",
    ),
    "LTI-TOKEN-FUTURE": RefusalKind(
        400,
        "The launch message is dated in the future",
        "The LMS server's clock is ahead of real time; its administrator should correct it.",
    ),
    "LTI-AUDIENCE-MISMATCH": RefusalKind(
        400, "The launch message was meant for another tool", "Tell your LMS administrator."
    ),
    "LTI-NONCE-MISMATCH": RefusalKind(
        400, "The launch message does not belong to this login", "Start the activity again from your course."
    ),
    "LTI-NONCE-REPLAYED": RefusalKind(
        400,
        "This launch has already been used",
        "Each launch works once. Start the activity again from your course page.",
    ),
    "LTI-DEPLOYMENT-MISSING": RefusalKind(
        400, "The launch message does not name its deployment", "Tell your LMS administrator."
    ),
    "LTI-DEPLOYMENT-UNKNOWN": RefusalKind(
        403,
        "This deployment of the tool is not known",
        "The tool's administrator must add this deployment id to the registration.",
    ),
    "LTI-VERSION": RefusalKind(400, "The launch is not LTI 1.3.0", "Tell your LMS administrator."),
    "LTI-MESSAGE-TYPE": RefusalKind(
        400, "The launch message type is missing or not supported here", "Tell your LMS administrator."
    ),
    "LTI-ROLES-MISSING": RefusalKind(
        400, "The launch message does not carry the user's roles", "Tell your LMS administrator."
    ),
    "LTI-SUBJECT-MISSING": RefusalKind(
        400, "The launch message does not say who you are", "Make sure you are logged in to your LMS."
    ),
    "LTI-RESOURCE-LINK-MISSING": RefusalKind(
        400, "The launch message does not name the activity", "Tell your LMS administrator."
    ),
    "LTI-DEEP-LINKING-SETTINGS": RefusalKind(
        400,
        "The LMS asked to add content but did not say where to send it",
        "Tell your LMS administrator.",
    ),
    "LTI-CLAIM-INVALID": RefusalKind(
        400, "A value in the launch message is not valid", "Tell your LMS admin."
    ),
    "LTI-TARGET-LINK-MISMATCH": RefusalKind(
        400, "The launch was aimed at another tool address", "Tell your LMS administrator."
    ),
    "LTI-LAUNCH-TOKEN-INVALID": RefusalKind(
        401,
        "Your session with this activity has ended",
        "Open the activity again from your course page.",
    ),
    "LTI-ROLE-FORBIDDEN": RefusalKind(
        403, "Your role in this course cannot do this", "Ask your instructor if you need access."
    ),
    "LTI-NOT-FOUND": RefusalKind(
        404, "There is nothing here", "Check the address, or start from your course."
    ),
    "LTI-METHOD-NOT-ALLOWED": RefusalKind(
        405, "This address does not accept that kind of request", "Go back."
    ),
    "LTI-TOO-LARGE": RefusalKind(413, "What you sent is too large", "Send something smaller."),
    "LTI-UNSUPPORTED-MEDIA": RefusalKind(415, "This request's content type is not accepted", "Go back."),
    "LTI-REGISTRATION-FAILED": RefusalKind(
        502,
        "The registration with the LMS did not complete",
        "Check the details below, then start the registration again from the LMS.",
    ),
    "LTI-PACKAGE-REFUSED": RefusalKind(
        422, "This package cannot be used", "Fix the problems listed, then upload it again."
    ),
    "ADMIN-AUTH-REQUIRED": RefusalKind(
        401,
        "Administrator sign-in required",
        "Sign in with an admin token (run `carecert admin token` on the server).",
    ),
    "LTI-INTERNAL": RefusalKind(
        500,
        "Something went wrong on our side",
        "Try again; if it keeps happening tell the tool's administrator.",
    ),
}


class LtiRefusal(Exception):
    """A request turned away. `detail` says which claim and what was expected, for the page and the log."""

    def __init__(
        self, code: str, detail: str = "", *, status: int | None = None, context: dict | None = None
    ):
        if code not in REFUSALS:
            raise ValueError(f"unknown refusal code {code}")
        self.code = code
        self.kind = REFUSALS[code]
        self.detail = detail
        self.status = status or self.kind.status
        self.context = context or {}  # e.g. {"new_window_url": ...} for the page
        super().__init__(f"{code}: {detail}" if detail else code)
