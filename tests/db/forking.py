"""Running a check in a forked child, as gunicorn forks its workers after the app is built."""

from __future__ import annotations

import os
from collections.abc import Callable


def passes_in_a_forked_child(check: Callable[[], bool]) -> bool:
    """Whether `check()` answers True in a child forked now; the child reports by its exit status only, and
    leaves at once (os._exit), so nothing of the parent's (its connections, atexit handlers) runs there."""
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        status = 1
        try:
            status = 0 if check() else 2
        finally:
            os._exit(status)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status) == 0
