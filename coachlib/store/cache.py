"""Remember parsed journal files and history frames while their files are unchanged.

A notebook reads the journal again after every save, and a team view reads thousands of
files: parsing YAML is the cost. Each file is keyed on its identity and change time
(inode, size, modification and change time in nanoseconds), so a file that is changed,
added or removed is read again and nothing stale is ever returned. Journal files are
written once and never rewritten, so in practice each is parsed once per process.

The cache lives in memory only: nothing is written to the workspace (a cache file there
would be one more copy of people's reflections, and one more thing to trust).
"""

from __future__ import annotations

import operator
import os
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar, cast

T = TypeVar("T")
Signature = tuple[int, int, int, int]

_lock = threading.Lock()
_files: dict[str, tuple[Signature, Any]] = {}
_results: dict[Hashable, tuple[Hashable, Any]] = {}
_memo: dict[Hashable, Any] = {}


def user_cache_dir() -> Path:
    """The user's own cache folder for coachlib (``$XDG_CACHE_HOME/coachlib``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "coachlib"


# A file's identity and change time, taken in C (a Python function call per file was a
# tenth of checking 24,000 journal files for changes).
signature = cast(
    "Callable[[os.stat_result], Signature]",
    operator.attrgetter("st_ino", "st_size", "st_mtime_ns", "st_ctime_ns"),
)


def per_file(path: str, sig: Signature, compute: Callable[[], T]) -> T:
    """``compute()`` for this file, or what it gave last time for the same file identity."""
    return _kept(_files, path, sig, compute)


def forget_missing(prefix: str, present: set[str]) -> None:
    """Drop cached files under ``prefix`` that are no longer there (keeps memory bounded)."""
    with _lock:
        for path in [p for p in _files if p.startswith(prefix) and p not in present]:
            del _files[path]


def derived(slot: Hashable, fingerprint: Hashable, compute: Callable[[], T]) -> T:
    """A result computed from many files (a DataFrame), kept while their fingerprint holds."""
    return _kept(_results, slot, fingerprint, compute)


def _kept(store: dict[Any, Any], slot: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
    """What ``store`` holds for ``slot`` if it was computed for ``key``, else ``compute()``,
    kept for next time."""
    cached = store.get(slot)
    if cached is not None and cached[0] == key:
        return cast(T, cached[1])
    value = compute()
    with _lock:
        store[slot] = (key, value)
    return value


def recall(slot: Hashable) -> Any:
    """A value kept with :func:`remember` (None if none)."""
    return _memo.get(slot)


def remember(slot: Hashable, value: Any) -> None:
    with _lock:
        _memo[slot] = value


def clear() -> None:
    with _lock:
        _files.clear()
        _results.clear()
        _memo.clear()
