"""The running Jupyter kernel, seen from a form: its event loop, for work done later.

Outside a kernel (plain Python: tests, scripts) there is no loop and callers do their work
at once.

A widget's change does not always arrive on the kernel's main thread: with JupyterLab 4.6,
ipywidgets 8 and ipykernel 7, comm messages are handled in a subshell thread with an event
loop of its own. A timer put straight onto the main loop from there is not seen until
something else wakes that loop (measured: a skills form's draft was not written for over
a minute after typing stopped). So every timer is armed and cancelled through the loop's
thread-safe ``add_callback``, and runs on the kernel's main thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..store.drafts import Handle, Scheduler


def kernel_scheduler() -> Scheduler | None:
    """Run callbacks later on the kernel's main event loop, from any thread; None outside
    a kernel."""
    from IPython import get_ipython

    loop: Any = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    if loop is None:
        return None
    return loop_scheduler(loop)


def loop_scheduler(loop: Any) -> Scheduler:
    """Run callbacks later on the tornado ``loop``, whichever thread asks."""

    def schedule(delay: float, action: Callable[[], object]) -> Handle:
        armed: dict[str, Any] = {}
        cancelled = threading.Event()

        def arm() -> None:  # on the loop's own thread
            if not cancelled.is_set():
                armed["handle"] = loop.call_later(delay, action)

        def disarm() -> None:
            if "handle" in armed:
                loop.remove_timeout(armed.pop("handle"))

        class _Cancel:
            def cancel(self) -> None:
                cancelled.set()
                loop.add_callback(disarm)

        loop.add_callback(arm)  # thread-safe: wakes the loop
        return _Cancel()

    return schedule


VOILA_VARIABLES = ("VOILA_BASE_URL", "VOILA_SERVER_URL", "VOILA_KERNEL_ID")


def on_page() -> bool:
    """Whether this kernel runs behind a Voilà page (``coach open``): a page without code
    or cells, where "run the cell" or "Run All" means nothing to the reader. Voilà gives
    its kernels these variables; JupyterLab and papermill do not."""
    import os

    return any(os.environ.get(name) for name in VOILA_VARIABLES)
