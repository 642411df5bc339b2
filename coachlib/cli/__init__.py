"""The ``coach`` command: a thin layer over the library (parsing and messages only)."""

from .commands import main

__all__ = ["main"]
