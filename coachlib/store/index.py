"""A level index: who was rated what, when, on which skill, without anyone's words.

The team overview needs levels and dates of every review in the workspace, never the
evidence or reflections. Parsing thousands of journal files for that on every run would
cost seconds, so the levels are kept in an index keyed on each file's identity and change
time (see ``coachlib.cache``): a changed, added or removed file is read again, and when no
file and no framework changed the index is used as it is.

The index lives in the user's own cache folder (``$XDG_CACHE_HOME/coachlib`` or
``~/.cache/coachlib``, private to the user), not in the workspace, and holds names, dates
and levels only. Deleting it is always safe: it is rebuilt from the journal.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..model.collector import collector_paused
from ..model.errors import CoachError, JournalError
from . import atomic, cache
from .journal import framework_problem, scan_records
from .records import read_record

if TYPE_CHECKING:
    from ..model.frameworks import Registry
    from .workspace import Workspace

VERSION = 5
COLUMNS = (
    "record_id",
    "coachee",
    "framework",
    "version",
    "role",
    "author",
    "when_ns",
    "part",
    "skill",
    "level",
    "mark",
)
# Columns with few distinct values are stored as {"categories": [...], "codes": [...]}: the
# file is several times smaller and a DataFrame is built from it without a Python loop.
CODED = (
    "record_id",
    "coachee",
    "framework",
    "version",
    "role",
    "author",
    "part",
    "skill",
    "level",
    "mark",
)
# In the file, the codes and the times are packed machine integers (base64 in the JSON):
# a JSON list of a quarter of a million numbers per column took longer to parse than the
# rest of the team overview's loading (0.6 s for 24,000 records); packed, they load at
# memory speed, as ``array`` values that index, slice and convert to numpy like lists.
PACKED = {"when_ns": "q"}
NUMBERS = ("version", "level")  # whole numbers or None
CODE_TYPES = ("B", "H", "I")  # the smallest that holds every code: 1, 2 or 4 bytes a row


def index_path(workspace: Workspace) -> Path:
    key = hashlib.sha256(str(workspace.journal_dir.resolve()).encode("utf-8")).hexdigest()
    return cache.user_cache_dir() / f"levels-{key[:24]}.json"


def registry_fingerprint(registry: Registry) -> str:
    """Changes when any framework file changes (a record valid before may not be now)."""
    digest = hashlib.sha256()
    for framework in registry.all_versions():
        digest.update(f"{framework.id}@{framework.version}".encode())
        if framework.path is not None:
            with contextlib.suppress(OSError):
                digest.update(framework.path.read_bytes())
    return digest.hexdigest()


@dataclass
class LevelLoad:
    """Every record's levels as columns (problems left out and reported)."""

    columns: dict[str, Any] = field(default_factory=lambda: {c: [] for c in COLUMNS})
    problems: list[JournalError] = field(default_factory=list)
    files: int = 0
    read: int = 0  # files parsed this time (not found unchanged in the index)


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
    stored = cache.recall(slot) or _read_index(index_file)
    fingerprint = registry_fingerprint(registry)
    same_registry = stored.get("registry") == fingerprint
    table = stored.get("files") or {"keys": [], "sigs": [], "spans": []}
    prefix = len(str(workspace.journal_dir)) + 1
    scan = scan_records(workspace)
    keys = [path[prefix:] for path, _stat in scan.files]
    # The files as flat lists (names; four numbers of identity and change time each),
    # compared with the index's in C: no dict of 24,000 entries to build or look up.
    sigs = [value for _path, info in scan.files for value in cache.signature(info)]

    if same_registry and keys == table["keys"] and sigs == table["sigs"]:
        # nothing changed: the index is the answer
        cache.remember(slot, stored)
        return LevelLoad(columns=stored["columns"], problems=list(scan.skipped), files=len(keys))

    known = {
        key: (
            tuple(table["sigs"][4 * n : 4 * n + 4]),
            table["spans"][2 * n],
            table["spans"][2 * n + 1],
        )
        for n, key in enumerate(table["keys"])
    }
    scanned = [
        (key, path, tuple(sigs[4 * n : 4 * n + 4]))
        for n, (key, (path, _stat)) in enumerate(zip(keys, scan.files, strict=True))
    ]
    result = LevelLoad(files=len(scanned), problems=list(scan.skipped))
    old_columns = {name: decode(column) for name, column in stored.get("columns", {}).items()}
    files: dict[str, list[Any]] = {}
    for key, path, sig in scanned:
        entry = known.get(key)
        start = len(result.columns["record_id"])
        if same_registry and entry is not None and entry[0] == sig:
            first, count = entry[1], entry[2]
            for name in COLUMNS:
                result.columns[name].extend(old_columns[name][first : first + count])
        else:
            result.read += 1
            problem = _read_into(result.columns, key, path, registry)
            if problem is not None:
                result.problems.append(problem)
                continue  # never indexed: read (and reported) again until it is fixed
        files[key] = [list(sig), start, len(result.columns["record_id"]) - start]
    encoded = {
        name: encode(values) if name in CODED else values for name, values in result.columns.items()
    }
    index = {
        "version": VERSION,
        "registry": fingerprint,
        "files": _table(files),
        "columns": encoded,
    }
    _write_index(index_file, index)
    cache.remember(slot, index)
    result.columns = encoded
    return result


def _table(files: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The indexed files as the index keeps them: their names, then per file the four
    numbers of its signature and the rows it holds (first, count), in flat lists."""
    return {
        "keys": list(files),
        "sigs": [value for sig, _first, _count in files.values() for value in sig],
        "spans": [value for _sig, first, count in files.values() for value in (first, count)],
    }


def encode(values: list[Any]) -> dict[str, list[Any]]:
    """A column as its distinct values and, per row, the index of its value."""
    positions: dict[Any, int] = {}
    codes = [positions.setdefault(value, len(positions)) for value in values]
    return {"categories": list(positions), "codes": codes}


def decode(column: Any) -> list[Any]:
    """The values of a column, coded or not."""
    if isinstance(column, dict):
        categories = column["categories"]
        return [categories[code] for code in column["codes"]]
    return cast("list[Any]", column)  # plain values, as written


def _read_into(
    columns: dict[str, list[Any]], key: str, path: str, registry: Registry
) -> JournalError | None:
    try:
        review = read_record(Path(path))
    except JournalError as problem:
        return problem
    refused = framework_problem(review, registry)
    if refused is not None:
        return refused
    record_id = key.removesuffix(".yaml").replace(os.sep, "/")
    when_ns = int(review.when.timestamp() * 1_000_000) * 1000
    version = registry.made_against(review.framework, review.framework_version).version
    for assessment in review.assessments:
        # levels on the newest version's scale: progress is one line across versions
        level = registry.level_now(review.framework, version, assessment.level)
        for name, value in zip(
            COLUMNS,
            (
                record_id,
                review.coachee,
                review.framework,
                version,
                review.role,
                review.author,
                when_ns,
                review.part,
                assessment.skill,
                level,
                assessment.mark,
            ),
            strict=True,
        ):
            columns[name].append(value)
    return None


def _read_index(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    valid = (
        isinstance(data, dict)
        and data.get("version") == VERSION
        and data.get("byteorder") == sys.byteorder
        and isinstance(data.get("files"), dict)
        and _valid_table(data["files"])
        and isinstance(data.get("columns"), dict)
        and set(data["columns"]) == set(COLUMNS)
    )
    if not valid:
        return {}
    try:
        columns = {name: _unpacked(name, column) for name, column in data["columns"].items()}
    except (TypeError, ValueError, KeyError):  # a damaged index: rebuilt from the journal
        return {}
    rows = {len(c["codes"]) if isinstance(c, dict) else len(c) for c in columns.values()}
    if len(rows) > 1:
        return {}
    data["columns"] = columns
    return dict(data)


def _largest(codes: array[int]) -> int:
    """The largest code (unsigned, so the smallest is at least 0), in C: Python's max()
    took 5 ms a column of 240,000 rows."""
    import numpy as np

    return int(np.frombuffer(codes, dtype=np.dtype(codes.typecode)).max())


def _valid_table(table: dict[str, Any]) -> bool:
    keys, sigs, spans = table.get("keys"), table.get("sigs"), table.get("spans")
    return (
        isinstance(keys, list)
        and isinstance(sigs, list)
        and isinstance(spans, list)
        and len(sigs) == 4 * len(keys)
        and len(spans) == 2 * len(keys)
    )


def _write_index(path: Path, index: dict[str, Any]) -> None:
    """Atomically and privately; a failure only costs speed next time."""
    with contextlib.suppress(OSError, CoachError):
        atomic.make_folder(path.parent)
        columns = {name: _packed(name, column) for name, column in index["columns"].items()}
        packed = {**index, "byteorder": sys.byteorder, "columns": columns}
        text = json.dumps(packed, separators=(",", ":"), ensure_ascii=False)
        atomic.write_file(path, text)


def _pack(kind: str, values: Any) -> str:
    return base64.b64encode(array(kind, values).tobytes()).decode("ascii")


def _unpack(kind: str, text: str) -> array[int]:
    values = array(kind)
    values.frombytes(base64.b64decode(text, validate=True))
    return values


def _packed(name: str, column: Any) -> Any:
    """A column as the file holds it: codes and times packed, other values as they are."""
    if isinstance(column, dict):
        kind = next(
            k for k in CODE_TYPES if len(column["categories"]) <= 1 << 8 * array(k).itemsize
        )
        return {
            "categories": column["categories"],
            "type": kind,
            "codes": _pack(kind, column["codes"]),
        }
    if name in PACKED:
        return _pack(PACKED[name], column)
    return column


def _unpacked(name: str, column: Any) -> Any:
    """A column as :func:`_packed` wrote it, back in memory (ValueError if damaged)."""
    if name in CODED:
        if column["type"] not in CODE_TYPES:
            raise ValueError(f"damaged column {name}")
        categories, codes = column["categories"], _unpack(column["type"], column["codes"])
        if not isinstance(categories, list) or (codes and _largest(codes) >= len(categories)):
            raise ValueError(f"damaged column {name}")
        if name in NUMBERS and not all(v is None or type(v) is int for v in categories):
            raise ValueError(f"damaged column {name}")
        return {"categories": categories, "codes": codes}
    if name in PACKED:
        return _unpack(PACKED[name], column)
    if not isinstance(column, list):
        raise ValueError(f"damaged column {name}")
    return column
