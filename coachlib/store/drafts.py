"""Drafts: text typed into a review form but not saved yet survives a kernel restart or a
closed browser tab.

A form writes what it holds to ``drafts/<coachee-slug>/<key>-<started>.yaml`` a few seconds
after typing stops (debounced), and when the same notebook runs again (same coachee,
framework, role and author) the newest earlier draft is offered back. Save drops the
form's own draft and the one it restored. Drafts live outside ``journal/``: the draft
mechanism never reads, writes or deletes a saved record.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from ..model import names, safeyaml
from ..model.errors import CoachError
from .workspace import Workspace

FORMAT = "coachlib.draft/1"
DEBOUNCE_SECONDS = 3.0


class Handle(Protocol):
    def cancel(self) -> Any: ...


Scheduler = Callable[[float, Callable[[], object]], Handle]
"""Runs an action after a delay (the notebook passes the kernel's event loop)."""


class DraftKeeper:
    """Keeps one form's unsaved state as a draft file, and finds earlier drafts."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        coachee: str,
        framework: str,
        role: str,
        author: str,
        state: Callable[[], dict[str, Any]],
        scheduler: Scheduler | None = None,
        debounce: float = DEBOUNCE_SECONDS,
    ) -> None:
        self.workspace = workspace
        self.coachee = coachee
        self.key = f"{framework}-{role}-{names.slugify(author)}"
        self.meta = {"coachee": coachee, "framework": framework, "role": role, "author": author}
        self._state = state
        self._scheduler = scheduler
        self._debounce = debounce
        self._pending: Handle | None = None
        started = datetime.now(UTC)
        self.started = started
        self.path = self.folder / f"{self.key}-{started.strftime('%Y%m%dT%H%M%S.%fZ')}.yaml"
        self.restored_from: Path | None = None
        self.problems: list[CoachError] = []

    @property
    def folder(self) -> Path:
        slug = self.workspace.coachee_slug(self.coachee) or names.slugify(self.coachee)
        return self.workspace.drafts_dir / slug

    # -- writing -----------------------------------------------------------------------

    def touch(self) -> None:
        """Something changed: write the draft once typing has stopped for a moment."""
        if self._scheduler is None:
            return  # nothing schedules (not in a kernel): nothing to lose between saves
        if self._pending is not None:
            self._pending.cancel()
        self._pending = self._scheduler(self._debounce, self.flush)

    def flush(self) -> Path | None:
        """Write the draft now (or remove it, if the form holds nothing typed)."""
        self._pending = None
        state = self._state()
        if not _has_content(state):
            self.drop_own()
            return None
        data = {
            "format": FORMAT,
            **self.meta,
            "saved_at": datetime.now(UTC).isoformat(),
            "state": state,
        }
        try:
            return self.workspace.write_file(self.path, safeyaml.dump(data))
        except (
            OSError,
            CoachError,
        ) as exc:  # a draft is a safety net: failing to write one is not fatal
            self.problems.append(CoachError(f"could not keep a draft: {exc}", file=self.path))
            return None

    # -- reading -----------------------------------------------------------------------

    def earlier(self) -> tuple[Path, dict[str, Any]] | None:
        """The newest draft of an earlier run of the same notebook, if any."""
        if not self.folder.is_dir():
            return None
        for path in sorted(self.folder.glob(f"{self.key}-*.yaml"), reverse=True):
            if path == self.path:
                continue
            try:
                data = safeyaml.parse(path.read_text(encoding="utf-8"), file=path, error=CoachError)
            except (CoachError, OSError, UnicodeDecodeError) as exc:
                self.problems.append(CoachError(f"unreadable draft ignored: {exc}", file=path))
                continue
            if isinstance(data, dict) and data.get("format") == FORMAT and "state" in data:
                return path, data
        return None

    # -- dropping ----------------------------------------------------------------------

    def drop_own(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def drop(self, path: Path) -> None:
        """Remove one draft file (only ever a file in this coachee's drafts folder)."""
        if path.parent == self.folder and path.name.startswith(self.key):
            path.unlink(missing_ok=True)

    def saved(self) -> None:
        """The form was saved: its draft and the draft it restored are no longer needed."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self.drop_own()
        if self.restored_from is not None:
            self.drop(self.restored_from)
            self.restored_from = None


def _has_content(state: Any) -> bool:
    """True if anything in the state is more than empty strings, None or False."""
    if isinstance(state, dict):
        return any(_has_content(value) for value in state.values())
    if isinstance(state, list | tuple):
        return any(_has_content(value) for value in state)
    if isinstance(state, str):
        return bool(state.strip())
    return state is not None and state is not False
