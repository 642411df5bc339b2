"""The running Jupyter kernel, seen from a form: its event loop, for work done later.

Outside a kernel (plain Python: tests, scripts) there is no loop and callers do their work
at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..store.drafts import Handle, Scheduler


def kernel_scheduler() -> Scheduler | None:
    """Run callbacks later on the kernel's event loop; None outside a kernel."""
    from IPython import get_ipython

    loop: Any = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    if loop is None:
        return None

    def schedule(delay: float, action: Callable[[], object]) -> Handle:
        handle = loop.call_later(delay, action)

        class _Cancel:
            def cancel(self) -> None:
                loop.remove_timeout(handle)

        return _Cancel()

    return schedule
