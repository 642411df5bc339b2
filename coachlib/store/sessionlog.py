"""The session log on disk: ``log/<team-slug>/<date>-<kind>.yaml``, one file per session.

Written like journal records: checked first, then written once, whole, under a new name
(``store.atomic``), with the workspace's privacy; never rewritten. Reading looks at every
entry before opening it (regular files of at most 1 MB, as the journal does) and turns a
file that is not a valid entry into one :class:`JournalError` naming the file, the line
and the field; an unchanged file is not parsed again (``store.cache``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from ..model import safeyaml
from ..model.block_summary import BlockSummary, parse_block_summary
from ..model.catalogue import LearningHour, parse_catalogue
from ..model.errors import CoachError, InputError, JournalError
from ..model.resources import catalogue_path
from ..model.sessionlog import LogEntry, parse_entry
from . import atomic, cache
from .records import read_small_text, scan_folders
from .workspace import Workspace

CATALOGUE_FOLDER = "catalogue"
CATALOGUE_FILE = "learning_hours.csv"


@dataclass
class LogLoad:
    """Every logged session read (oldest first), and the files that could not be."""

    entries: list[LogEntry] = field(default_factory=list)
    problems: list[CoachError] = field(default_factory=list)


def entry_file_names(entry: LogEntry) -> Iterator[str]:
    base = f"{entry.day.isoformat()}-{entry.kind}"
    yield base + ".yaml"
    for number in range(2, 10_000):
        yield f"{base}-{number}.yaml"


def save_entry(workspace: Workspace, entry: LogEntry) -> LogEntry:
    """Write one logged session as a new file; return it with its path set."""
    from dataclasses import replace

    data = safeyaml.dump(entry.to_dict()).encode("utf-8")
    slug = workspace.team_slug(entry.team, create=True)
    assert slug is not None
    path = workspace.write_new_file(workspace.log_dir / slug, entry_file_names(entry), data)
    return replace(entry, path=path)


def read_entry(path: Path) -> LogEntry:
    """Read and validate one log file; JournalError naming file, line and field."""
    return parse_entry(read_small_text(path), file=path, path=path)


def _outcome(path: str) -> LogEntry | JournalError:
    try:
        return read_entry(Path(path))
    except JournalError as problem:
        return problem


def load_log(workspace: Workspace, *, team: str | None = None) -> LogLoad:
    """Every logged session of the workspace (or one team), oldest first."""
    root = workspace.log_dir
    if team is not None:
        slug = workspace.team_slug(team)
        if slug is None:
            return LogLoad()
        folders = [os.path.join(root, slug)]
    else:
        folders = _team_folders(workspace)
    result = LogLoad()
    scan = scan_folders(folders)
    result.problems.extend(scan.skipped)
    for path, stat in scan.files:
        outcome = cache.per_file(path, cache.signature(stat), partial(_outcome, path))
        if isinstance(outcome, JournalError):
            result.problems.append(outcome)
        else:
            result.entries.append(outcome)
    result.entries.sort(key=lambda entry: (entry.day, entry.logged, entry.id))
    return result


INDEX_VERSION = 1
LIGHT_FIELDS = (
    "format",
    "date",
    "kind",
    "team",
    "people",
    "author",
    "logged",
    "material",
    "learning_hour",
    "minutes",
    "participants",
    "stage",
)


def log_index_path(workspace: Workspace) -> Path:
    key = hashlib.sha256(str(workspace.log_dir.resolve()).encode("utf-8")).hexdigest()
    return cache.user_cache_dir() / f"log-{key[:24]}.json"


def load_log_light(workspace: Workspace, *, coachee: str | None = None) -> LogLoad:
    """Every logged session without its notes and daily-status texts: who, when, what
    kind, which role, the material. Enough for evidence and the form's list; read from an
    index in the user's cache for files unchanged since (the texts stay in the files), so
    a review notebook does not parse thousands of log files to count a few sessions.
    With ``coachee``, only the sessions that person took part in."""
    index_file = log_index_path(workspace)
    slot = ("log-index", str(index_file))
    stored = cache.recall(slot) or _read_log_index(index_file)
    known = stored.get("files", {})
    scan = scan_folders(_team_folders(workspace))
    result = LogLoad(problems=list(scan.skipped))
    prefix = len(str(workspace.log_dir)) + 1
    files: dict[str, list[Any]] = {}
    changed = False
    for path, stat in scan.files:
        key, sig = path[prefix:], list(cache.signature(stat))
        entry = known.get(key)
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == sig):
            changed = True
            outcome = _outcome(path)
            if isinstance(outcome, JournalError):
                result.problems.append(outcome)
                continue
            entry = [sig, _light(outcome)]
        files[key] = entry
        if coachee is not None and not _names(entry[1], coachee):
            continue  # not this person's: no object built at all
        try:
            light_entry = LogEntry.from_dict(entry[1], Path(path))
        except (KeyError, TypeError, ValueError):  # a damaged index: read the file again
            del files[key]
            outcome = _outcome(path)
            if isinstance(outcome, JournalError):
                result.problems.append(outcome)
                continue
            light_entry, changed = outcome, True
            files[key] = [sig, _light(outcome)]
        result.entries.append(light_entry)
    if changed or len(files) != len(known):
        stored = {"version": INDEX_VERSION, "files": files}
        with contextlib.suppress(OSError, CoachError):
            atomic.make_folder(index_file.parent)
            atomic.write_file(
                index_file, json.dumps(stored, separators=(",", ":"), ensure_ascii=False)
            )
    cache.remember(slot, stored)
    result.entries.sort(key=lambda entry: (entry.day, entry.logged, entry.id))
    return result


def _team_folders(workspace: Workspace) -> list[str]:
    """The team folders of the log (none if there is no log yet), sorted."""
    try:
        return sorted(
            e.path
            for e in os.scandir(workspace.log_dir)
            if e.is_dir(follow_symlinks=False) and e.name[0] != "."
        )
    except (FileNotFoundError, NotADirectoryError):
        return []


def _light(entry: LogEntry) -> dict[str, Any]:
    """What the index keeps of an entry: everything but its notes and status texts."""
    return {key: value for key, value in entry.to_dict().items() if key in LIGHT_FIELDS}


def _names(light: Any, coachee: str) -> bool:
    people = light.get("people") if isinstance(light, dict) else None
    return isinstance(people, list) and any(
        isinstance(p, dict) and p.get("coachee") == coachee for p in people
    )


def _read_log_index(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = (
        isinstance(data, dict)
        and data.get("version") == INDEX_VERSION
        and isinstance(data.get("files"), dict)
    )
    return data if ok else {}


def for_coachee(load: LogLoad, coachee: str) -> list[LogEntry]:
    """The sessions a coachee took part in, oldest first."""
    return [entry for entry in load.entries if entry.role_of(coachee) is not None]


# --- the learning-hour catalogue ---------------------------------------------------------------


def catalogue_file(workspace: Workspace | None) -> Path:
    """The workspace's refreshed catalogue if it has one, else the one shipped."""
    if workspace is not None:
        own = workspace.frameworks_dir / CATALOGUE_FOLDER / CATALOGUE_FILE
        if own.is_file():
            return own
    return catalogue_path()


def load_catalogue(workspace: Workspace | None = None) -> tuple[LearningHour, ...]:
    path = catalogue_file(workspace)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the learning-hour catalogue: {exc}", file=path) from None
    return _catalogue_cached(str(path), text)


@lru_cache(maxsize=2)
def _catalogue_cached(path: str, text: str) -> tuple[LearningHour, ...]:
    """Keyed on the text itself, as framework files are: an edited CSV is checked again."""
    return parse_catalogue(text, path)


def refresh_catalogue(workspace: Workspace, source: Path) -> tuple[Path, int]:
    """Check a newer catalogue CSV, then install it in the workspace (nothing is written
    if any row is wrong); returns where it went and how many learning hours it lists."""
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {source}: {exc}") from None
    entries = parse_catalogue(text, source)
    target = workspace.frameworks_dir / CATALOGUE_FOLDER / CATALOGUE_FILE
    workspace.make_folder(target.parent)
    atomic.write_file(target, text, modes=workspace.modes)
    return target, len(entries)


# --- the coach's syntheses of coaching blocks --------------------------------------------------


def _summary_file_names(summary: BlockSummary) -> Iterator[str]:
    base = f"{summary.start.isoformat()}-summary"
    yield base + ".yaml"
    for number in range(2, 10_000):
        yield f"{base}-{number}.yaml"


def save_block_summary(workspace: Workspace, summary: BlockSummary) -> BlockSummary:
    """Write the coach's synthesis of a block as a new file (``log/<team>/blocks/``); an
    edit is another file, the latest wins. The team must have a log (InputError)."""
    from dataclasses import replace

    slug = workspace.require_team_slug(summary.team)
    data = safeyaml.dump(summary.to_dict()).encode("utf-8")
    folder = workspace.block_summaries_folder(slug)
    path = workspace.write_new_file(folder, _summary_file_names(summary), data)
    return replace(summary, path=path)


@dataclass
class SummaryLoad:
    """The latest synthesis of a block (None if none was saved), and the files of that
    block that could not be read."""

    latest: BlockSummary | None = None
    problems: list[CoachError] = field(default_factory=list)


def latest_block_summary(
    workspace: Workspace, *, team: str, start: date, end: date | None = None
) -> SummaryLoad:
    """The synthesis a report of ``team`` from ``start`` to ``end`` opens with, as last
    saved: the one written for a block starting on ``start``, else, of the blocks that
    start within those days, the latest block's (a report that starts a little before its
    block, or runs past its end, still finds it). Without ``end``, only the block that
    starts on ``start``."""
    last = end or start
    slug = workspace.team_slug(team)
    result = SummaryLoad()
    if slug is None:
        return result
    scan = scan_folders([str(workspace.block_summaries_folder(slug))])
    result.problems.extend(scan.skipped)
    found: list[BlockSummary] = []
    for path, _stat in scan.files:
        named = Path(path).name[:10]  # the block's first day: files of other blocks unread
        if len(named) == 10 and not start.isoformat() <= named <= last.isoformat():
            continue
        try:
            summary = parse_block_summary(read_small_text(Path(path)), file=path, path=Path(path))
        except JournalError as problem:
            result.problems.append(problem)
            continue
        if summary.team == team and start <= summary.start <= last:
            found.append(summary)
    if found:
        own = [s for s in found if s.start == start] or found  # written for this report
        result.latest = max(own, key=lambda s: (s.start, s.written, str(s.path)))
    return result


def block_summary_problems(folder: Path, team: str | None) -> list[CoachError]:
    """Every synthesis file of a team's ``blocks/`` folder that cannot be read, or that
    names another team (``coach doctor``)."""
    scan = scan_folders([str(folder)])
    found: list[CoachError] = list(scan.skipped)
    for path, _stat in scan.files:
        try:
            summary = parse_block_summary(read_small_text(Path(path)), file=path, path=Path(path))
        except JournalError as problem:
            found.append(problem)
            continue
        if team is not None and summary.team != team:
            found.append(
                JournalError(
                    f"a synthesis of {summary.team!r} in the folder of {team!r}",
                    file=path,
                    field="team",
                )
            )
    return found
