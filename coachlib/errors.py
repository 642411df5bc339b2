"""The package's own error types.

Every error a user can cause (a malformed framework, a hand-edited journal file, an odd
name, a missing workspace) is raised as a subclass of :class:`CoachError`, so that callers
(the ``coach`` command, a notebook cell) can catch one type and show one clear line.
Errors carry their location as data (file, line, field) rather than only in the message,
so the CLI, the notebook and ``coach doctor`` can each present it their own way.
"""

from __future__ import annotations

from pathlib import Path


class CoachError(Exception):
    """Base class: something the user can fix, described in one line."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"

    def __reduce__(self):  # keeps keyword-only data across pickling (multiprocessing)
        return (
            _rebuild,
            (type(self), self.message, self.file, self.line, self.field),
        )


def _rebuild(cls, message, file, line, field):
    return cls(message, file=file, line=line, field=field)


class FrameworkError(CoachError):
    """A framework file is missing, unreadable or does not match the schema."""


class UnknownFrameworkError(FrameworkError, LookupError):
    """A framework id that no framework file declares."""


class JournalError(CoachError):
    """A journal record is unreadable, malformed or refers to unknown things."""


class WorkspaceError(CoachError):
    """The workspace folder is missing or unusable."""


class InputError(CoachError, ValueError):
    """A value typed by a person (a name, a level, an option) cannot be used."""


class ExportError(CoachError):
    """Making a notebook or an HTML summary failed."""
