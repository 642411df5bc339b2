"""`coach doctor`: is this workspace healthy, and if not, what should a person do?

Checks the settings (a broken ``workspace.yaml`` or an unknown setting such as a typo of
``shared``), every journal record (it loads, its framework is known, its levels are on the
scale, it sits in its own coachee's folder), every entry of the journal that is not read
(a link, a folder, a FIFO, an oversized file), the session log as the journal (each
file, its team folder and the folder's ``.team`` marker), the workspace's own frameworks,
stray temporary files and folders left by writers that were killed, a receive that
unpacked part of a pack among them (removed once they are old enough that no write can
still be going on), and file permissions (journals are private unless the
workspace is shared). A problem found never stops the other checks.

Nothing that holds a person's words is ever changed or deleted here.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..model.errors import ERROR, FIXED, OK, WARNING, CoachError, Diagnostic
from ..model.frameworks import Registry
from ..model.review import Review
from ..model.sessionlog import LogEntry
from .frameworks import FRAMEWORK_SUFFIXES, registry_for
from .journal import load_journal
from .records import NAME_MARKER, stray_temp_files
from .sessionlog import block_summary_problems, load_log
from .workspace import BLOCKS, TEAM_MARKER, Workspace, read_marker, team_marker_problem

STALE_TEMP_SECONDS = 600  # a write takes milliseconds; ten minutes old means its writer died


@dataclass
class Checkup:
    workspace: Workspace
    findings: list[Diagnostic] = field(default_factory=list)
    records: int = 0
    coachees: int = 0
    sessions: int = 0

    def add(
        self,
        severity: str,
        message: str,
        hint: str = "",
        *,
        file: str | None = None,
        field: str | None = None,
    ) -> None:
        self.findings.append(
            Diagnostic(message, severity=severity, hint=hint or None, file=file, field=field)
        )

    def add_error(self, error: CoachError, hint: str) -> None:
        """A problem that an error describes: its file, line and field, and what to do."""
        self.findings.append(
            Diagnostic(
                error.message,
                file=error.file,
                line=error.line,
                field=error.field,
                hint=error.hint or hint,
                severity=ERROR,
            )
        )

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def needs_a_person(self) -> bool:
        return self.count(ERROR) > 0

    def summary(self) -> str:
        verdict = (
            f"{self.count(ERROR)} problem(s) need a person"
            if self.needs_a_person
            else "nothing needs a person"
        )
        return (
            f"{self.workspace.root}: {self.records} record(s) of {self.coachees} coachee(s) "
            f"and {self.sessions} logged session(s) read; {verdict}; "
            f"{self.count(WARNING)} warning(s); {self.count(FIXED)} fixed."
        )


def check(workspace: Workspace, *, now: float | None = None, clean: bool = True) -> Checkup:
    """Examine a workspace; with ``clean``, remove temporary files of dead writers."""
    checkup = Checkup(workspace)
    now = time.time() if now is None else now
    shared = _check_settings(workspace, checkup)
    registry = registry_for(workspace.root)
    for problem in registry.problems:
        checkup.add_error(
            problem,
            "fix it (`coach frameworks check FILE` says more) or move it out of frameworks/",
        )
    _check_frameworks_folder(workspace, checkup)
    load = load_journal(workspace, registry=registry)
    checkup.records = len(load.reviews)
    checkup.coachees = len(workspace.coachees())
    for error in load.problems:
        checkup.add_error(
            error,
            "correct it by hand, or move it out of journal/ (the other records are fine)",
        )
    _check_framework_texts(registry, checkup, load.reviews)
    _check_log(workspace, checkup)
    _check_folders(workspace, checkup, load.reviews)
    _check_temp_files(workspace, checkup, now=now, clean=clean)
    _check_permissions(workspace, checkup, shared=shared)
    if not checkup.findings:
        checkup.add(OK, f"all {checkup.records} journal record(s) load and fit their framework")
    return checkup


def _check_framework_texts(registry: Registry, checkup: Checkup, reviews: list[Review]) -> None:
    """Records whose framework text changed after they were saved: each record keeps a
    short hash of the text it was made against; a framework file edited in place (rather
    than given a new version) no longer matches it."""
    changed: dict[tuple[str, int], list[Review]] = {}
    for review in reviews:
        if not review.framework_hash:
            continue
        text = registry.of_record(review)
        if review.framework_hash != text.digest:
            changed.setdefault((text.id, text.version), []).append(review)
    for (framework_id, version), found in sorted(changed.items()):
        text = registry.get(framework_id, version)
        hashes = sorted({review.framework_hash or "" for review in found})
        checkup.add(
            WARNING,
            f"{len(found)} record(s) were made against {framework_id} version {version}, "
            f"whose text changed after they were saved (saved against {', '.join(hashes)}; "
            f"the file now gives {text.digest}); first: {found[0].path}",
            "if the edit changed what a level means, restore the file, and save the new "
            f"text as `version: {max(registry.versions[framework_id]) + 1}` beside it",
            file=str(text.path) if text.path else None,
            field="version",
        )


def _check_settings(workspace: Workspace, checkup: Checkup) -> bool:
    """Report a broken ``workspace.yaml`` and unknown settings; go on as a private
    workspace when the settings cannot be read (the safe assumption)."""
    try:
        shared = workspace.shared
    except CoachError as exc:
        checkup.add_error(exc, "fix workspace.yaml (for example `shared: false`)")
        return False
    for warning in workspace.warnings:
        checkup.findings.append(
            Diagnostic(
                warning.message,
                file=warning.file,
                line=warning.line,
                hint=warning.hint,
                severity=ERROR,
            )
        )
    return shared


def _check_frameworks_folder(workspace: Workspace, checkup: Checkup) -> None:
    """What would keep a framework in ``frameworks/`` from being read without any loader
    seeing it: ``frameworks`` being a file (an import once wrote one there, with a
    built-in's id), or a framework file named ``.YAML``/``.YML`` (only ``.yaml``/``.yml``
    are read)."""
    folder = workspace.frameworks_dir
    if folder.exists() and not folder.is_dir():
        checkup.add(
            ERROR,
            "is not a folder: the workspace's own frameworks are not read",
            "move it away; frameworks go in frameworks/ID.yaml",
            file=str(folder),
        )
        return
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if (
            path.suffix.casefold() in FRAMEWORK_SUFFIXES
            and path.suffix not in FRAMEWORK_SUFFIXES
            and not path.name.startswith(".")
        ):
            checkup.add(
                WARNING,
                "not read: framework files end in .yaml or .yml (lower case)",
                f"rename it to {path.stem}.yaml",
                file=str(path),
            )


def _check_folders(workspace: Workspace, checkup: Checkup, reviews: list[Review]) -> None:
    """Records filed in another coachee's folder, by file; folders without a marker."""
    if not workspace.journal_dir.is_dir():
        return
    by_folder: dict[Path, list[Review]] = {}
    for review in reviews:
        if review.path is not None:
            by_folder.setdefault(review.path.parent, []).append(review)
    for folder in sorted(workspace.journal_dir.iterdir()):
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        marker = folder / NAME_MARKER
        records = by_folder.get(folder, [])
        owner = read_marker(marker)
        if owner is None:
            if records:
                checkup.add(
                    WARNING,
                    f"no {NAME_MARKER} file (the folder was copied by hand?)",
                    f"it still works; `echo '{records[0].coachee}' > {marker}` makes it explicit",
                    file=str(folder),
                )
            continue
        for review in records:
            if review.coachee != owner:
                checkup.add(
                    ERROR,
                    f"a record of {review.coachee!r} in the folder of {owner!r}",
                    "move it to its own coachee's folder",
                    file=str(review.path),
                    field="coachee",
                )


def _check_log(workspace: Workspace, checkup: Checkup) -> None:
    """The session log as the journal is checked: every file loads (else its file, line
    and field), so does every synthesis of a block (and names its folder's team), every
    team folder is a folder with a ``.team`` marker naming the team its sessions name, and
    every session sits in its own team's folder."""
    if not workspace.log_dir.is_dir():
        return
    load = load_log(workspace)
    checkup.sessions = len(load.entries)
    for error in load.problems:
        checkup.add_error(
            error, "correct it by hand, or move it out of log/ (the other sessions are fine)"
        )
    by_folder: dict[Path, list[LogEntry]] = {}
    for entry in load.entries:
        if entry.path is not None:
            by_folder.setdefault(entry.path.parent, []).append(entry)
    for folder in sorted(workspace.log_dir.iterdir()):
        if folder.name.startswith("."):
            continue
        if folder.is_symlink() or not folder.is_dir():
            checkup.add(
                ERROR,
                "not a team folder (a link, or a file): not read",
                "move it out of log/",
                file=str(folder),
            )
            continue
        owner = workspace.team_owner(folder)
        marked, problem = team_marker_problem(folder)
        marker = folder / TEAM_MARKER
        mend = f"printf '%s\\n' '{owner}' > {marker}" if owner else ""
        if problem and marked is None and not os.path.lexists(marker):
            checkup.add(
                WARNING,
                f"{problem}; the team is {owner!r}, from its sessions"
                if owner
                else f"{problem}, and no session to say whose it is",
                f"it still works; `{mend}` makes it explicit"
                if owner
                else "remove the folder if it is not needed",
                file=str(folder),
            )
        elif problem:
            found = f"; the team is {owner!r}, from its sessions" if owner else ""
            checkup.add(
                ERROR,
                problem + found,
                f"replace it with a plain file holding the team's name: {mend}"
                if owner
                else "remove it",
                file=str(marker),
            )
        elif owner is not None and marked != owner:
            checkup.add(
                ERROR,
                f"names the team {marked!r}, but the sessions in its folder are of {owner!r}",
                f"correct it: {mend}",
                file=str(marker),
                field="team",
            )
        for unreadable in block_summary_problems(folder / BLOCKS, owner):
            checkup.add_error(
                unreadable,
                "correct it by hand, or move it out of log/ (the "
                "report shows the latest readable synthesis)",
            )
        for entry in by_folder.get(folder, []):
            if owner is not None and entry.team != owner:
                checkup.add(
                    ERROR,
                    f"a session of {entry.team!r} in the folder of {owner!r}",
                    "move it to its own team's folder",
                    file=str(entry.path),
                    field="team",
                )


def _check_temp_files(workspace: Workspace, checkup: Checkup, *, now: float, clean: bool) -> None:
    for path in stray_temp_files(workspace.root):
        try:
            age = now - path.lstat().st_mtime
        except FileNotFoundError:  # its writer finished meanwhile
            continue
        if age < STALE_TEMP_SECONDS:
            checkup.add(
                WARNING, f"a write may still be in progress ({age:.0f} s old)", file=str(path)
            )
        elif clean:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            checkup.add(FIXED, f"removed {path}, left by a writer that stopped mid-write")
        else:
            checkup.add(WARNING, "left by a writer that stopped mid-write", file=str(path))


def _check_permissions(workspace: Workspace, checkup: Checkup, *, shared: bool) -> None:
    """Files others can read (unless shared), files you cannot read; links not followed.
    The session log is checked as the journal is: its notes are people's words too."""
    for top, what in ((workspace.journal_dir, "journal"), (workspace.log_dir, "session log")):
        if top.is_dir():
            _check_folder_permissions(top, what, checkup, shared=shared)


def _check_folder_permissions(top: Path, what: str, checkup: Checkup, *, shared: bool) -> None:
    too_open: list[Path] = []
    unreadable: list[Path] = []
    for folder, dirs, files in os.walk(top):
        for name in [*dirs, *files, *([""] if folder == str(top) else [])]:
            path = Path(folder, name) if name else Path(folder)
            try:
                info = path.lstat()
            except OSError:
                continue  # gone meanwhile
            if stat.S_ISLNK(info.st_mode):
                continue  # reported where it matters (a link is never read)
            if not shared and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                too_open.append(path)
            if not os.access(path, os.R_OK):
                unreadable.append(path)
    if too_open:
        checkup.add(
            WARNING,
            f"{len(too_open)} {what} file(s) or folder(s) can be read by other users "
            f"(first: {too_open[0]})",
            f"chmod -R go-rwx {top}  (or set `shared: true` in "
            "workspace.yaml if the workspace is meant to be shared)",
        )
    for path in unreadable:
        checkup.add(ERROR, "cannot be read by you", "ask its owner to fix its mode", file=str(path))
