"""Python's cycle collector paused while many short-lived objects are made.

A collection walks every object of the process, and tens of thousands of new ones set off
several: checking 24,000 journal files for the level index, or reading a 1 MB ladder into
130,000 parser tokens and 60,000 outline items, none of them in a reference cycle. The
collections took a third of such a job's time. References still free every object; what
little cyclic garbage a paused job leaves is collected once the collector runs again.

One pause for the whole package (the level index in ``store`` and the ladder import in
``ladders`` both use it), so nested and threaded uses are counted together.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_pauses: list[int | bool] = [0, False]  # callers inside collector_paused; was gc enabled


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside. Nested and threaded uses are counted: the collector
    runs again when the last one leaves, if it ran before the first."""
    with _lock:
        if _pauses[0] == 0:
            _pauses[1] = gc.isenabled()
            gc.disable()
        _pauses[0] += 1
    try:
        yield
    finally:
        with _lock:
            _pauses[0] -= 1
            if _pauses[0] == 0 and _pauses[1]:
                gc.enable()


def without_collection(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the collector paused."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)

    return paused
