"""One SCO session's run-time API: the calls a SCO makes, with the specification's return values and codes.

The same object serves SCORM 1.2 (``LMSInitialize`` ...; RTE 3.3) and SCORM 2004 (``Initialize`` ...;
RTE 3.1). Every call returns a string, as the JavaScript API does, and sets the last error; nothing raises.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from scorm.cmi import ERROR_STRINGS, Ceilings, CmiError, DataModel, ErrorKind, error_code, new_model
from scorm.cmi.common.limits import DEFAULT_CEILINGS
from scorm.runtime.flatten import nest_values
from scorm.runtime.result import AttemptResult, compute_result
from scorm.runtime.seed import apply_seed, launch_facts
from scorm.runtime.session_end import end_session

STATE_FORMAT = 1


class SessionState(StrEnum):
    NOT_INITIALIZED = "not_initialized"
    RUNNING = "running"
    TERMINATED = "terminated"


# Codes for calls in the wrong state, per version: (before initialisation, after termination).
_STATE_CODES = {
    "2004": {
        "Initialize": ("", ""),
        "Terminate": ("112", "113"),
        "GetValue": ("122", "123"),
        "SetValue": ("132", "133"),
        "Commit": ("142", "143"),
    },
    "1.2": {name: ("301", "301") for name in ("Initialize", "Terminate", "GetValue", "SetValue", "Commit")},
}


class Attempt:
    """A SCO's data model plus the API state machine (not initialised -> running -> terminated)."""

    def __init__(self, version: str, model: DataModel, launch: dict[str, Any] | None = None):
        self.version = version
        self.model = model
        self.launch = launch or {}
        self.state = SessionState.NOT_INITIALIZED
        self.last_error = "0"
        self.last_diagnostic = ""

    @classmethod
    def new(
        cls, version: str, seed: dict[str, Any] | None = None, ceilings: Ceilings = DEFAULT_CEILINGS
    ) -> Attempt:
        """A session seeded by the LMS (see :func:`scorm.runtime.seed.launch_seed`); without an entry in
        the seed it is a first launch ("ab-initio"). The seed's launch facts (the read-only values and
        the manifest's objectives) are kept to start a new attempt after this one ends."""
        model = new_model(version, ceilings)
        entry = "cmi.core.entry" if version == "1.2" else "cmi.entry"
        model.seed(entry, "ab-initio")
        apply_seed(model, seed or {})
        return cls(version, model, launch_facts(model, seed or {}))

    # -- the API ---------------------------------------------------------------------------------------
    def initialize(self, parameter: str = "") -> str:
        if parameter != "":
            return self._fail("201", "Initialize takes only an empty string.")
        if self.state is not SessionState.NOT_INITIALIZED:
            if self.version == "1.2":
                return self._fail("101", "LMSInitialize was already called in this session.")
            running = self.state is SessionState.RUNNING
            return self._fail("103" if running else "104", "The session was already initialised.")
        self.state = SessionState.RUNNING
        return self._succeed("true")

    def terminate(self, parameter: str = "") -> str:
        if parameter != "":
            return self._fail("201", "Terminate takes only an empty string.")
        if not self._running("Terminate"):
            return "false"
        end_session(self.model)
        self.state = SessionState.TERMINATED
        return self._succeed("true")

    def commit(self, parameter: str = "") -> str:
        if parameter != "":
            return self._fail("201", "Commit takes only an empty string.")
        if not self._running("Commit"):
            return "false"
        return self._succeed("true")

    def get_value(self, element: str) -> str:
        if not self._running("GetValue"):
            return ""
        try:
            value = self.model.get(str(element))
        except CmiError as error:
            code = error_code(self.version, error.kind, setting=False)
            if code == "0":  # SCORM 1.2 reads an unset element as "" without an error
                return self._succeed("")
            self._fail(code, error.diagnostic)
            return ""
        return self._succeed(value)

    def set_value(self, element: str, value: Any) -> str:
        if not self._running("SetValue"):
            return "false"
        if not isinstance(value, str):
            kind = ErrorKind.TYPE_MISMATCH
            return self._fail(error_code(self.version, kind, setting=True), "SetValue takes a string value.")
        try:
            self.model.set(str(element), value)
        except CmiError as error:
            return self._fail(error_code(self.version, error.kind, setting=True), error.diagnostic)
        return self._succeed("true")

    def get_last_error(self) -> str:
        return self.last_error

    def get_error_string(self, code: str) -> str:
        return ERROR_STRINGS[self.version].get(str(code), "")

    def get_diagnostic(self, code: str = "") -> str:
        code = str(code)
        if code == "":
            detail = self.last_diagnostic or ERROR_STRINGS[self.version][self.last_error]
            return detail[:255]
        return ERROR_STRINGS[self.version].get(code, "")

    def call(self, method: str, *arguments: Any) -> str:
        """Dispatch by the JavaScript name of either version ("LMSGetValue" or "GetValue")."""
        name = method.removeprefix("LMS").replace("Finish", "Terminate")
        handler = _HANDLERS.get(name)
        if handler is None:
            raise AttributeError(f"no SCORM API method {method!r}")
        return handler(self, *arguments)

    # -- outcome and persistence ---------------------------------------------------------------------
    def result(self) -> AttemptResult:
        return compute_result(self.model)

    @property
    def exit_value(self) -> str:
        return self.model.values.get("cmi.core.exit" if self.version == "1.2" else "cmi.exit", "")

    @property
    def nav_request(self) -> str:
        """The navigation request the SCO left (SCORM 2004 adl.nav.request), "_none_" otherwise."""
        return self.model.values.get("adl.nav.request", "_none_") if self.version == "2004" else "_none_"

    def next_session(self) -> Attempt:
        """The state the next launch starts from, after this session ended.

        A suspended exit (or a suspendAll request) resumes: cmi.entry "resume", location and suspend_data
        kept. In 2004 any other
        exit ends the learner attempt, so the next launch is a new attempt from the launch seed
        ("ab-initio"); in 1.2 the data carries on with cmi.core.entry "" (RTE 3.4.4).
        """
        # A suspendAll navigation request suspends the whole activity tree, this SCO included (2004 SN).
        suspended = self.exit_value == "suspend" or self.nav_request == "suspendAll"
        if self.version == "2004" and not suspended:
            return Attempt.new(self.version, self.launch, self.model.ceilings)
        model = new_model(self.version, self.model.ceilings)
        model.load_data(self.model.to_data())
        for transient in (
            "cmi.exit",
            "cmi.core.exit",
            "cmi.session_time",
            "cmi.core.session_time",
            "adl.nav.request",
        ):
            model.values.pop(transient, None)
        model.values["cmi.core.entry" if self.version == "1.2" else "cmi.entry"] = (
            "resume" if suspended else ""
        )
        return Attempt(self.version, model, self.launch)

    def browser_seed(self) -> dict[str, Any]:
        """The data model as nested JSON for the browser's ``loadFromJSON`` before the content starts.

        Everything stored goes, so the browser's later commits agree with the server record by record;
        values of a session that ended (exit, session_time) and the LMS-only flags (``#...``) do not.
        """
        transient = {"cmi.exit", "cmi.core.exit", "cmi.session_time", "cmi.core.session_time"}
        kept = {
            name: value
            for name, value in self.model.values.items()
            if name not in transient and "#" not in name and not name.startswith("adl.nav.")
        }
        return nest_values(kept)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": STATE_FORMAT,
            "version": self.version,
            "state": str(self.state),
            "launch": self.launch,  # never modified after the first launch, so shared, not copied
            **self.model.to_data(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], ceilings: Ceilings = DEFAULT_CEILINGS) -> Attempt:
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise ValueError("not an attempt state written by Attempt.to_json()")
        attempt = cls(data["version"], new_model(data["version"], ceilings), data.get("launch") or {})
        attempt.model.load_data(data)
        attempt.state = SessionState(data.get("state", SessionState.NOT_INITIALIZED))
        return attempt

    # -- internals -------------------------------------------------------------------------------------
    def _running(self, call: str) -> bool:
        if self.state is SessionState.RUNNING:
            return True
        before, after = _STATE_CODES[self.version][call]
        if self.state is SessionState.NOT_INITIALIZED:
            self._fail(before, f"{call} before Initialize.")
        else:
            self._fail(after, f"{call} after the session was terminated.")
        return False

    def _fail(self, code: str, diagnostic: str) -> str:
        self.last_error = code
        self.last_diagnostic = diagnostic
        return "false"

    def _succeed(self, value: str) -> str:
        self.last_error = "0"
        self.last_diagnostic = ""
        return value


_HANDLERS = {
    "Initialize": Attempt.initialize,
    "Terminate": Attempt.terminate,
    "Commit": Attempt.commit,
    "GetValue": Attempt.get_value,
    "SetValue": Attempt.set_value,
    "GetLastError": Attempt.get_last_error,
    "GetErrorString": Attempt.get_error_string,
    "GetDiagnostic": Attempt.get_diagnostic,
}
