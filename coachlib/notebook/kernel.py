"""The running Jupyter kernel, seen from a form: its event loop, for work done later.

Outside a kernel (plain Python: tests, scripts) there is no loop and callers do their work
at once.
"""

from __future__ import annotations

from collections.abc import Callable

from ..store.drafts import Handle, Scheduler


def kernel_scheduler() -> Scheduler | None:
    """Run callbacks later on the kernel's event loop; None outside a kernel."""
    from IPython import get_ipython

    loop = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    if loop is None:
        return None

    def schedule(delay: float, action: Callable[[], None]) -> Handle:
        handle = loop.call_later(delay, action)

        class _Cancel:
            def cancel(self) -> None:
                loop.remove_timeout(handle)

        return _Cancel()

    return schedule


VOILA_VARIABLES = ("VOILA_BASE_URL", "VOILA_SERVER_URL", "VOILA_KERNEL_ID")


def on_page() -> bool:
    """Whether this kernel runs behind a Voilà page (``coach open``): a page without code
    or cells, where "run the cell" or "Run All" means nothing to the reader. Voilà gives
    its kernels these variables; JupyterLab and papermill do not."""
    import os

    return any(os.environ.get(name) for name in VOILA_VARIABLES)
