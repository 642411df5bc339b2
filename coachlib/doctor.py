"""`coach doctor`: is this workspace healthy, and if not, what should a person do?

Checks every journal record (it loads, its framework is known, its levels are on the
scale), the workspace's own frameworks, the coachee folders, stray temporary files left by
writers that were killed (removed once they are old enough that no write can still be
going on), and file permissions (journals are private unless the workspace is shared).
Nothing that holds a person's words is ever changed or deleted here.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CoachError
from .frameworks import catalog_for
from .journal import Review, load_journal, stray_temp_files
from .workspace import NAME_MARKER, Workspace

STALE_TEMP_SECONDS = 600  # a write takes milliseconds; ten minutes old means its writer died
OK, FIXED, WARNING, PROBLEM = "ok", "fixed", "warning", "problem"


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    advice: str = ""

    def format(self) -> str:
        advice = f"\n    → {self.advice}" if self.advice else ""
        return f"{self.kind}: {self.message}{advice}"


@dataclass
class Checkup:
    workspace: Workspace
    findings: list[Finding] = field(default_factory=list)
    records: int = 0
    coachees: int = 0

    def add(self, kind: str, message: str, advice: str = "") -> None:
        self.findings.append(Finding(kind, message, advice))

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)

    @property
    def needs_a_person(self) -> bool:
        return self.count(PROBLEM) > 0

    def summary(self) -> str:
        verdict = (
            f"{self.count(PROBLEM)} problem(s) need a person"
            if self.needs_a_person
            else "nothing needs a person"
        )
        return (
            f"{self.workspace.root}: {self.records} record(s) of {self.coachees} coachee(s) "
            f"read; {verdict}; {self.count(WARNING)} warning(s); {self.count(FIXED)} fixed."
        )


def check(workspace: Workspace, *, now: float | None = None, clean: bool = True) -> Checkup:
    """Examine a workspace; with ``clean``, remove temporary files of dead writers."""
    checkup = Checkup(workspace)
    now = time.time() if now is None else now
    try:
        workspace.settings  # noqa: B018 - reading it validates workspace.yaml
    except CoachError as exc:
        checkup.add(PROBLEM, str(exc), "fix workspace.yaml (for example `shared: false`)")
    catalog = catalog_for(workspace.root)
    for problem in catalog.problems:
        checkup.add(
            PROBLEM,
            f"framework file does not load: {problem}",
            "fix it (`coach frameworks check FILE` says more) or move it out of frameworks/",
        )
    load = load_journal(workspace, catalog=catalog)
    checkup.records = len(load.reviews)
    checkup.coachees = len(workspace.coachees())
    for problem in load.problems:
        checkup.add(
            PROBLEM,
            f"journal file left out: {problem}",
            "correct it by hand, or move it out of journal/ (the other records are fine)",
        )
    _check_folders(workspace, checkup, load.reviews)
    _check_temp_files(workspace, checkup, now=now, clean=clean)
    _check_permissions(workspace, checkup)
    if not checkup.findings:
        checkup.add(OK, f"all {checkup.records} journal record(s) load and fit their framework")
    return checkup


def _check_folders(workspace: Workspace, checkup: Checkup, reviews: list[Review]) -> None:
    if not workspace.journal_dir.is_dir():
        return
    names_in: dict[Path, set[str]] = {}
    for review in reviews:
        if review.path is not None:
            names_in.setdefault(review.path.parent, set()).add(review.coachee)
    for folder in sorted(workspace.journal_dir.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        marker = folder / NAME_MARKER
        names = names_in.get(folder, set())
        if not marker.is_file():
            if names:
                checkup.add(
                    WARNING,
                    f"{folder}: no {NAME_MARKER} file (the folder was copied by hand?)",
                    f"it still works; `echo '{sorted(names)[0]}' > {marker}` makes it explicit",
                )
            continue
        owner = marker.read_text(encoding="utf-8").strip()
        strangers = sorted(names - {owner})
        if strangers:
            checkup.add(
                PROBLEM,
                f"{folder} belongs to {owner!r} but holds records of {', '.join(strangers)}",
                "move those records to their own coachee's folder",
            )


def _check_temp_files(workspace: Workspace, checkup: Checkup, *, now: float, clean: bool):
    for path in stray_temp_files(workspace):
        try:
            age = now - path.stat().st_mtime
        except FileNotFoundError:  # its writer finished meanwhile
            continue
        if age < STALE_TEMP_SECONDS:
            checkup.add(WARNING, f"{path}: a write may still be in progress ({age:.0f} s old)")
        elif clean:
            path.unlink(missing_ok=True)
            checkup.add(FIXED, f"removed {path}, left by a writer that stopped mid-write")
        else:
            checkup.add(WARNING, f"{path}: left by a writer that stopped mid-write")


def _check_permissions(workspace: Workspace, checkup: Checkup) -> None:
    if not workspace.journal_dir.is_dir():
        return
    shared = workspace.shared
    too_open: list[Path] = []
    unreadable: list[Path] = []
    for path in [workspace.journal_dir, *workspace.journal_dir.rglob("*")]:
        mode = path.stat().st_mode
        if not shared and mode & (stat.S_IRWXG | stat.S_IRWXO):
            too_open.append(path)
        if not os.access(path, os.R_OK):
            unreadable.append(path)
    if too_open:
        checkup.add(
            WARNING,
            f"{len(too_open)} journal file(s) or folder(s) can be read by other users "
            f"(first: {too_open[0]})",
            f"chmod -R go-rwx {workspace.journal_dir}  (or set `shared: true` in "
            "workspace.yaml if the workspace is meant to be shared)",
        )
    for path in unreadable:
        checkup.add(PROBLEM, f"{path} cannot be read by you", "ask its owner to fix its mode")
