"""Rows a hot path reads again and again (a launch's facts on every commit, a registration on every login),
kept a few seconds per process.

Each value is kept with a tag, and the cache's `still_good(tag)` is asked on every use: the launch's expiry,
or the count of registration status changes this process has made. A value is dropped once older than
`seconds` or once its tag no longer holds. Only rows found are kept: an unknown key is looked up every time,
so a row an admin adds works at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any


class KeptRows:
    def __init__(self, seconds: float, entries: int, still_good: Callable[[Any], bool]) -> None:
        self.seconds = seconds
        self.entries = entries
        self._still_good = still_good
        self._kept: dict[Hashable, tuple[Any, float, Any]] = {}
        self._lock = threading.Lock()

    def kept(self, key: Hashable) -> Any | None:
        """The value kept under `key`, or None: none kept, older than `seconds`, or its tag no longer good."""
        found = self._kept.get(key)
        if found is None:
            return None
        value, read_at, tag = found
        if time.monotonic() - read_at < self.seconds and self._still_good(tag):
            return value
        self._kept.pop(key, None)
        return None

    def keep(self, key: Hashable, value: Any, tag: Any) -> None:
        with self._lock:
            if len(self._kept) >= self.entries:
                self._kept.clear()  # a burst of new keys: start again rather than track ages
            self._kept[key] = (value, time.monotonic(), tag)

    def forget(self, key: Hashable) -> None:
        """Drop the value kept under `key`, if any (a user of it found it no longer true)."""
        self._kept.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
