"""A level index: who was rated what, when, on which skill, without anyone's words.

The team overview needs levels and dates of every review in the workspace, never the
evidence or reflections. Parsing thousands of journal files for that on every run would
cost seconds, so the levels are kept in an index keyed on each file's identity and change
time (see ``coachlib.cache``): a changed, added or removed file is read again, and when no
file and no framework changed the index is used as it is.

The index lives in the user's own cache folder (``$XDG_CACHE_HOME/coachlib`` or
``~/.cache/coachlib``, private to the user), not in the workspace, and holds names, dates
and levels only. Deleting it is always safe: it is rebuilt from the journal.

What a record says once (who, which framework and version, the role, the author, the
time, the part) is held once per file; only the skill, level and mark are held per rating.
The file is a line of JSON (the distinct names and the sizes) and then packed machine
integers, read straight into numpy arrays: a team of 500 people has 24,000 records and
240,000 ratings, and JSON lists of them took longer to parse than the rest of the team
overview's loading. Anything that does not hold together is read as no index at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.collector import collector_paused
from ..model.errors import CoachError, JournalError
from . import atomic, cache
from .journal import coachee_folders, framework_problem
from .records import RECORD_SUFFIX, read_record, scan_signatures

if TYPE_CHECKING:
    import numpy as np

    from ..model.frameworks import Registry
    from .workspace import Workspace

    # Whole numbers per row: Python's while an index is built, numpy's as read from a file.
    Numbers = Sequence[int] | np.ndarray[Any, Any]

VERSION = 6
MAGIC = b"coachlib level index 6\n"
# Coded columns: distinct values, and per file (or per rating) the index of its value.
FILE_COLUMNS = ("coachee", "framework", "version", "role", "author", "part")
ROW_COLUMNS = ("skill", "level", "mark")
NUMBERS = ("version", "level")  # whole numbers or None; the other columns texts or None
CODE_TYPES = ("B", "H", "I")  # the smallest that holds every code: 1, 2 or 4 bytes a row
SIG_BYTES = 32  # a file's signature: four 8-byte numbers (``cache.signature``)


@dataclass(frozen=True)
class Coded:
    """A column as its distinct values and, per row, the index of its value."""

    categories: list[Any]
    codes: Numbers

    def values(self) -> list[Any]:
        categories = self.categories
        return [categories[code] for code in self.codes]


@dataclass
class LevelLoad:
    """Every indexed record's levels, and the files left out (with why).

    Per file, in ``ids`` order (record ids, sorted): its ratings' count, its time
    (``when_ns``) and the :data:`FILE_COLUMNS`. Per rating, the files' ratings one after
    another: the :data:`ROW_COLUMNS`."""

    ids: list[str] = field(default_factory=list)
    counts: Numbers = field(default_factory=list)
    when_ns: Numbers = field(default_factory=list)
    files: dict[str, Coded] = field(default_factory=dict)
    rows: dict[str, Coded] = field(default_factory=dict)
    problems: list[JournalError] = field(default_factory=list)
    read: int = 0  # files parsed this time (not found unchanged in the index)


@dataclass
class _Stored:
    """An index as read from (or written to) its file, and what it is compared on."""

    registry: str
    id_bytes: bytes  # the record ids, NUL-separated (no file name holds a NUL)
    sig_bytes: bytes  # four numbers per file
    load: LevelLoad


def index_path(workspace: Workspace) -> Path:
    key = hashlib.sha256(str(workspace.journal_dir.resolve()).encode("utf-8")).hexdigest()
    return cache.user_cache_dir() / f"levels-{key[:24]}.bin"


def registry_fingerprint(registry: Registry) -> str:
    """Changes when any framework file changes (a record valid before may not be now)."""
    digest = hashlib.sha256()
    for framework in registry.all_versions():
        digest.update(f"{framework.id}@{framework.version}".encode())
        if framework.path is not None:
            with contextlib.suppress(OSError):
                digest.update(framework.path.read_bytes())
    return digest.hexdigest()


def read_level_index(workspace: Workspace, registry: Registry) -> LevelLoad:
    """Levels of every record: from the index for unchanged files, read for the others.

    Python's cyclic garbage collector is paused meanwhile: the check makes a few objects
    per journal file (its name, its stat, a tuple), which live only until the answer is
    known and hold no cycles, but 24,000 of them set off collections that walk every
    object the process holds, most often a full one. Counted references free them all
    the same."""
    with collector_paused():
        return _read_level_index(workspace, registry)


def _read_level_index(workspace: Workspace, registry: Registry) -> LevelLoad:
    index_file = index_path(workspace)
    slot = ("level-index", str(index_file))
    fingerprint = registry_fingerprint(registry)
    folders, stray = coachee_folders(workspace)
    scan = scan_signatures(folders)
    problems = [*stray, *scan.skipped]
    id_bytes = _joined(scan.ids)
    sig_bytes = _packed_signatures(scan.sigs)
    stored = cache.recall(slot) or _read_index(index_file)
    if (
        stored is not None
        and stored.registry == fingerprint
        and stored.id_bytes == id_bytes
        and stored.sig_bytes == sig_bytes
    ):  # nothing changed: the index is the answer
        cache.remember(slot, stored)
        return replace(stored.load, problems=problems, read=0)
    same = stored if stored is not None and stored.registry == fingerprint else None
    built = _rebuild(workspace, registry, scan.ids, sig_bytes, same)
    built.load.problems[:0] = problems
    built.registry = fingerprint
    _write_index(index_file, built)
    cache.remember(slot, built)
    return built.load


def _rebuild(
    workspace: Workspace,
    registry: Registry,
    ids: list[str],
    sig_bytes: bytes,
    old: _Stored | None,
) -> _Stored:
    """The index for the files ``ids``: each unchanged file's levels taken from ``old``,
    every other file read (a file that cannot be read is reported, and never indexed: it
    is read, and reported, again until it is fixed)."""
    if old is not None:
        was = old.load
        at = {record_id: n for n, record_id in enumerate(was.ids)}
        old_files = {name: column.values() for name, column in was.files.items()}
        old_rows = {name: column.values() for name, column in was.rows.items()}
        old_counts = [int(count) for count in was.counts]
        old_when = [int(when) for when in was.when_ns]
        starts = [0]
        for count in old_counts:
            starts.append(starts[-1] + count)
        old_sigs = old.sig_bytes
    else:
        at, old_sigs = {}, b""
    kept: list[str] = []
    kept_sigs: list[bytes] = []
    counts: list[int] = []
    when_ns: list[int] = []
    files: dict[str, list[Any]] = {name: [] for name in FILE_COLUMNS}
    rows: dict[str, list[Any]] = {name: [] for name in ROW_COLUMNS}
    problems: list[JournalError] = []
    read = 0
    journal = workspace.journal_dir
    for n, record_id in enumerate(ids):
        sig = sig_bytes[SIG_BYTES * n : SIG_BYTES * (n + 1)]
        m = at.get(record_id, -1)
        if m >= 0 and old_sigs[SIG_BYTES * m : SIG_BYTES * (m + 1)] == sig:
            for name in FILE_COLUMNS:
                files[name].append(old_files[name][m])
            when_ns.append(old_when[m])
            first, count = starts[m], old_counts[m]
            for name in ROW_COLUMNS:
                rows[name].extend(old_rows[name][first : first + count])
            counts.append(count)
        else:
            read += 1
            outcome = _read_file(journal / (record_id + RECORD_SUFFIX), registry)
            if isinstance(outcome, JournalError):
                problems.append(outcome)
                continue
            values, when, ratings = outcome
            for name, value in zip(FILE_COLUMNS, values, strict=True):
                files[name].append(value)
            when_ns.append(when)
            for skill, level, mark in ratings:
                rows["skill"].append(skill)
                rows["level"].append(level)
                rows["mark"].append(mark)
            counts.append(len(ratings))
        kept.append(record_id)
        kept_sigs.append(sig)
    load = LevelLoad(
        ids=kept,
        counts=counts,
        when_ns=when_ns,
        files={name: encode(values) for name, values in files.items()},
        rows={name: encode(values) for name, values in rows.items()},
        problems=problems,
        read=read,
    )
    return _Stored("", _joined(kept), b"".join(kept_sigs), load)


def _read_file(
    path: Path, registry: Registry
) -> JournalError | tuple[tuple[Any, ...], int, list[tuple[Any, Any, Any]]]:
    """One record's own values (:data:`FILE_COLUMNS`), its time and its ratings, or why
    it is left out."""
    try:
        review = read_record(path)
    except JournalError as problem:
        return problem
    refused = framework_problem(review, registry)
    if refused is not None:
        return refused
    version = registry.made_against(review.framework, review.framework_version).version
    values = (review.coachee, review.framework, version, review.role, review.author, review.part)
    when_ns = int(review.when.timestamp() * 1_000_000) * 1000
    # levels on the newest version's scale: progress is one line across versions
    ratings = [
        (a.skill, registry.level_now(review.framework, version, a.level), a.mark)
        for a in review.assessments
    ]
    return values, when_ns, ratings


def encode(values: list[Any]) -> Coded:
    """A column as its distinct values and, per row, the index of its value."""
    positions: dict[Any, int] = {}
    codes = [positions.setdefault(value, len(positions)) for value in values]
    return Coded(list(positions), codes)


def _joined(ids: list[str]) -> bytes:
    return "\0".join(ids).encode("utf-8", "surrogateescape")


def _packed_signatures(sigs: list[int]) -> bytes:
    """Signatures as packed 8-byte numbers (an inode past 2**63, as some file systems
    give, is taken modulo 2**64: the same file gives the same bytes)."""
    try:
        return array("q", sigs).tobytes()
    except OverflowError:
        return array("Q", [value & 0xFFFF_FFFF_FFFF_FFFF for value in sigs]).tobytes()


# --- the file -------------------------------------------------------------------------------
# MAGIC, one line of JSON (padded to 8 bytes), then each part's bytes, each padded to 8.


def _parts(load: LevelLoad, id_bytes: bytes, sig_bytes: bytes) -> list[tuple[str, str, bytes]]:
    """(name, type, bytes) of every packed part, in the file's order."""
    parts = [
        ("ids", "", id_bytes),
        ("sigs", "", sig_bytes),
        ("counts", "I", array("I", load.counts).tobytes()),
        ("when_ns", "q", array("q", load.when_ns).tobytes()),
    ]
    for name, column in (load.files | load.rows).items():
        kind = next(k for k in CODE_TYPES if len(column.categories) <= 1 << 8 * array(k).itemsize)
        parts.append((name, kind, array(kind, column.codes).tobytes()))
    return parts


def _write_index(path: Path, stored: _Stored) -> None:
    """Atomically and privately; a failure only costs speed next time."""
    with contextlib.suppress(OSError, CoachError):
        load = stored.load
        parts = _parts(load, stored.id_bytes, stored.sig_bytes)
        header = {
            "version": VERSION,
            "byteorder": sys.byteorder,
            "registry": stored.registry,
            "files": len(load.ids),
            "rows": len(load.rows["skill"].codes),
            "parts": [[name, kind, len(data)] for name, kind, data in parts],
            "categories": {
                name: column.categories
                for name, column in [*load.files.items(), *load.rows.items()]
            },
        }
        line = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        line += b" " * (-(len(MAGIC) + len(line) + 1) % 8) + b"\n"
        chunks = [MAGIC, line]
        for _name, _kind, data in parts:
            chunks += [data, bytes(-len(data) % 8)]
        atomic.make_folder(path.parent)
        atomic.write_file(path, b"".join(chunks))
        with contextlib.suppress(OSError):  # the JSON index of coachlib before 0.9
            path.with_suffix(".json").unlink()


def _read_index(path: Path) -> _Stored | None:
    """The index at ``path``, or None if there is none or it does not hold together (a
    damaged index is rebuilt from the journal)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    try:
        end = data.index(b"\n", len(MAGIC))
        header = json.loads(data[len(MAGIC) : end])
        return _unpacked(data, end + 1, header)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


def _unpacked(data: bytes, offset: int, header: dict[str, Any]) -> _Stored | None:
    import numpy as np

    if (
        header["version"] != VERSION
        or header["byteorder"] != sys.byteorder
        or not isinstance(header["registry"], str)
    ):
        return None
    files, rows = header["files"], header["rows"]
    sizes = {"ids": None, "sigs": SIG_BYTES * files, "counts": files, "when_ns": files}
    sizes |= {name: files for name in FILE_COLUMNS} | {name: rows for name in ROW_COLUMNS}
    if [part[0] for part in header["parts"]] != list(sizes) or offset % 8:
        return None
    arrays: dict[str, Any] = {}
    for name, kind, length in header["parts"]:
        if not isinstance(length, int) or length < 0 or offset + length > len(data):
            return None
        if kind:
            if kind not in (*CODE_TYPES, "q") or length != sizes[name] * array(kind).itemsize:
                return None
            arrays[name] = np.frombuffer(data, np.dtype(kind), sizes[name], offset)
        elif sizes[name] is not None and length != sizes[name]:
            return None
        else:
            arrays[name] = data[offset : offset + length]
        offset += length + (-length % 8)
    if offset != len(data) or int(np.sum(arrays["counts"], dtype=np.uint64)) != rows:
        return None
    id_bytes = arrays["ids"]
    ids = id_bytes.decode("utf-8", "surrogateescape").split("\0") if id_bytes else []
    if len(ids) != files:
        return None
    columns = {}
    for name in (*FILE_COLUMNS, *ROW_COLUMNS):
        column = _checked(name, header["categories"][name], arrays[name])
        if column is None:
            return None
        columns[name] = column
    load = LevelLoad(
        ids=ids,
        counts=arrays["counts"],
        when_ns=arrays["when_ns"],
        files={name: columns[name] for name in FILE_COLUMNS},
        rows={name: columns[name] for name in ROW_COLUMNS},
    )
    return _Stored(header["registry"], id_bytes, arrays["sigs"], load)


def _checked(name: str, categories: Any, codes: np.ndarray) -> Coded | None:
    """The column, if its codes are within its values and its values of its kind."""
    kinds: tuple[type, ...] = (int, type(None)) if name in NUMBERS else (str, type(None))
    if not isinstance(categories, list) or any(type(value) not in kinds for value in categories):
        return None
    if len(codes) and int(codes.max()) >= len(categories):
        return None
    return Coded(categories, codes)
