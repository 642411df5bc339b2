"""One error family and one diagnostic type for everything a person may need to act on.

A :class:`Diagnostic` is what the package tells a person: a message, where (file, line,
field), how serious (error, warning, note, fixed, ok), and what to do (``hint``). Framework
checks, journal loading, ``coach doctor``, the Markdown importer and the CLI all speak in
diagnostics, so each can be printed, listed in a notebook or written as JSON the same way.

Every error a user can cause (a malformed framework, a hand-edited journal file, an odd
name, a missing workspace, a full disk) is raised as a subclass of :class:`CoachError`,
which carries its diagnostic as data, so callers (the ``coach`` command, a notebook cell)
catch one type and show one clear line.

Values quoted in messages are cut (:func:`quote`): a 5 MB field in a broken file must not
become a 5 MB line on a terminal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ERROR, WARNING, NOTE, FIXED, OK = "error", "warning", "note", "fixed", "ok"
SEVERITIES = (ERROR, WARNING, NOTE, FIXED, OK)
MAX_MESSAGE = 600  # characters of a message before it is cut
MAX_QUOTED = 80  # characters of a quoted value


def quote(value: object, limit: int = MAX_QUOTED) -> str:
    """``repr(value)``, cut to ``limit`` characters with a count of what was left out."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def cut(text: str, limit: int = MAX_MESSAGE) -> str:
    """A message cut to ``limit`` characters (one line stays one readable line)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


@dataclass(frozen=True)
class Diagnostic:
    """One finding for a person: what, where, how serious, and what to do.

    ``code`` names the kind of finding for tools (``schema``, ``duplicate-skill``,
    ``unplaced``...); ``subject`` is the id of the skill or group it is about and
    ``documented`` says the file itself documents it as a known defect of its source.
    """

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    hint: str | None = None
    severity: str = ERROR
    code: str | None = None
    subject: str | None = None
    documented: bool = False

    @property
    def where(self) -> str:
        """``file:line``, ``file`` or '' (as editors and terminals link them)."""
        if not self.file:
            return ""
        return self.file + (f":{self.line}" if self.line else "")

    def text(self) -> str:
        """'file:line: field: message' without severity or hint (the body of an error)."""
        where = f"{self.where}: " if self.where else ""
        field = f"{self.field}: " if self.field else ""
        return cut(f"{where}{field}{self.message}")

    def format(self, *, hint_on_own_line: bool = True) -> str:
        """'file:line: severity: field: message [code]' and the hint (a report line)."""
        where = f"{self.where}: " if self.where else ""
        field = f"{self.field}: " if self.field else ""
        code = f" [{self.code}]" if self.code else ""
        documented = " (documented in the file)" if self.documented else ""
        out = cut(f"{where}{self.severity}: {field}{self.message}") + code + documented
        if self.hint:
            out += f"\n    → {self.hint}" if hint_on_own_line else f" ({self.hint})"
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class CoachError(Exception):
    """Base class: something the user can fix, described in one line.

    Errors carry their location as data (file, line, field) and a hint, rather than only
    in the message, so the CLI, the notebook and ``coach doctor`` can each present them.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(self.__str__())

    @property
    def diagnostic(self) -> Diagnostic:
        return Diagnostic(
            self.message, file=self.file, line=self.line, field=self.field, hint=self.hint
        )

    def __str__(self) -> str:
        return self.diagnostic.text()

    def one_line(self) -> str:
        """The message and, in brackets, what to do: for a terminal's single error line."""
        return self.diagnostic.text() + (f" ({self.hint})" if self.hint else "")

    def __reduce__(self) -> tuple[Any, ...]:  # keeps keyword-only data across pickling
        return (_rebuild, (type(self), self.message, self.file, self.line, self.field, self.hint))


def _rebuild(
    cls: type[CoachError],
    message: str,
    file: str | None,
    line: int | None,
    field: str | None,
    hint: str | None,
) -> CoachError:
    return cls(message, file=file, line=line, field=field, hint=hint)


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


class StorageError(CoachError):
    """Reading or writing a file failed (a full disk, a read-only folder, a missing one).

    Raised with the path and what to do; nothing already saved is touched.
    """


class ExportError(CoachError):
    """Making a notebook or an HTML summary failed."""
