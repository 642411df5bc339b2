"""The journal: saved reviews, one YAML file each, written once and never rewritten.

Saving checks the review first (``model.review``: against its framework, its limits and
its dates), so nothing invalid is written, then hands one whole file to the atomic writer,
which links it into place under a name nobody has used: two writers at the same moment
never overwrite each other and a crash leaves the whole record or nothing.

Loading never stops at a bad file: each one becomes a
:class:`~coachlib.model.errors.JournalError` (file, line, field, what is wrong) in
:attr:`JournalLoad.problems`, and the rest load. A record filed in another coachee's
folder is a problem too, and is never shown as that coachee's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import names, safeyaml
from ..model.errors import JournalError
from ..model.review import Review, check_against_framework, check_new_review
from . import atomic, cache
from .records import (
    RECORD_SUFFIX,
    FolderScan,
    is_record_name,
    read_record,
    read_small_text,
    scan_folders,
)
from .workspace import Workspace

if TYPE_CHECKING:
    from ..model.frameworks import Registry


def record_file_names(review: Review) -> Iterator[str]:
    """Candidate file names, most readable first; the writer takes the first free one."""
    stamp = review.when.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    base = f"{stamp}-{review.framework}-{review.role}"
    yield base + RECORD_SUFFIX
    for number in range(2, 10_000):
        yield f"{base}-{number}{RECORD_SUFFIX}"


def save_review(workspace: Workspace, review: Review, registry: Registry | None = None) -> Review:
    """Write one review as a new journal file; return it with its path set.

    Checks first (against ``registry``'s framework when given), so nothing invalid is
    written. Raises InputError for a review that does not fit, StorageError for a disk
    problem; in either case nothing already saved is touched.
    """
    framework = None
    if registry is not None:
        framework = registry.get(review.framework, review.framework_version)
        if review.framework_version is None or not review.framework_hash:
            # the text the review is made against is part of the record
            review = replace(
                review, framework_version=framework.version, framework_hash=framework.digest or None
            )
    data = check_new_review(review, framework)
    encoded = safeyaml.dump(data).encode("utf-8")
    slug = workspace.coachee_slug(review.coachee, create=True)
    assert slug is not None
    path = workspace.write_new_file(
        workspace.journal_dir / slug, record_file_names(review), encoded
    )
    return replace(review, path=path)


def save_received(workspace: Workspace, received: list[tuple[Review, bytes]]) -> list[Review]:
    """Write records received from elsewhere (a returned pack) as the very bytes they came
    in, after each was read and checked as its review (``model.review.parse_record`` and
    the checks of ``store.collect``): nothing is re-written, and nothing unchecked. One
    flush to disk per coachee's folder, each record whole or not there."""
    slugs: dict[str, str] = {}
    for review, _data in received:
        if review.coachee not in slugs:
            slug = workspace.coachee_slug(review.coachee, create=True)
            assert slug is not None
            slugs[review.coachee] = slug
    paths = atomic.write_new_files(
        [
            (workspace.journal_dir / slugs[review.coachee], record_file_names(review), data)
            for review, data in received
        ],
        modes=workspace.modes,
    )
    return [replace(review, path=path) for (review, _), path in zip(received, paths, strict=True)]


# --- loading -------------------------------------------------------------------------------


@dataclass
class JournalLoad:
    """Reviews that loaded, oldest first, and one problem per file that did not."""

    reviews: list[Review] = field(default_factory=list)
    problems: list[JournalError] = field(default_factory=list)
    # (path, signature) of every file read: changes with any file
    fingerprint: tuple[object, ...] = ()


def scan_records(workspace: Workspace, coachee_slug: str | None = None) -> FolderScan:
    """Every journal file of the workspace (or one coachee's folder), and what was skipped."""
    if coachee_slug:
        return scan_folders([os.path.join(workspace.journal_dir, coachee_slug)])
    folders, stray = coachee_folders(workspace)
    scan = scan_folders(folders)
    scan.skipped[:0] = stray
    return scan


def coachee_folders(workspace: Workspace) -> tuple[list[str], list[JournalError]]:
    """The coachees' folders of the journal, sorted by name, and what lies beside them
    that is never read (a link, a journal file outside any coachee's folder)."""
    root = workspace.journal_dir
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    folders, stray = [], []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            folders.append(entry.path)
        elif entry.is_symlink():
            stray.append(JournalError("a symbolic link in journal/: not read", file=entry.path))
        elif is_record_name(entry.name):
            stray.append(
                JournalError(
                    "a journal file outside any coachee's folder: not read",
                    file=entry.path,
                    hint="move it into journal/<coachee-slug>/",
                )
            )
    return folders, stray


def record_paths(workspace: Workspace, coachee_slug: str | None = None) -> list[Path]:
    """Every journal file (temporary files and markers skipped), sorted by path."""
    return [Path(path) for path, _stat in scan_records(workspace, coachee_slug).files]


def load_journal(
    workspace: Workspace,
    *,
    coachee: str | None = None,
    registry: Registry | None = None,
) -> JournalLoad:
    """Load every review of a workspace (or one coachee), reporting bad files as problems.

    With a ``registry``, reviews on unknown frameworks or with skills or levels that are
    not in their framework are reported too and left out, so views never mis-read them.
    Files already read and unchanged since are not parsed again (see ``store.cache``).
    """
    slug = None
    if coachee is not None:
        coachee = names.clean_name(coachee, "coachee name")
        slug = workspace.coachee_slug(coachee)
        if slug is None:
            return JournalLoad()
    result = JournalLoad()
    scan = scan_records(workspace, slug)
    result.problems.extend(scan.skipped)
    for path, stat in scan.files:
        outcome = cache.per_file(path, cache.signature(stat), partial(_read_outcome, path))
        if isinstance(outcome, JournalError):
            result.problems.append(outcome)
            continue
        problem = misfiled(outcome, coachee) or (
            framework_problem(outcome, registry) if registry is not None else None
        )
        if problem is not None:
            result.problems.append(problem)
            continue
        result.reviews.append(outcome)
    if slug is None:
        cache.forget_missing(str(workspace.journal_dir), {path for path, _ in scan.files})
    result.reviews.sort(key=lambda review: (review.when, review.id))
    result.fingerprint = tuple((path, cache.signature(stat)) for path, stat in scan.files)
    return result


def _read_outcome(path: str) -> Review | JournalError:
    try:
        return read_record(Path(path))
    except JournalError as problem:
        return problem


def misfiled(review: Review, coachee: str | None) -> JournalError | None:
    """A record in this coachee's folder that names someone else (moved by hand?)."""
    if coachee is None or review.coachee == coachee:
        return None
    return JournalError(
        f"a record of {review.coachee!r} in the folder of {coachee!r}: left out",
        file=review.path,
        field="coachee",
        hint="move it to its own coachee's folder",
    )


def framework_problem(review: Review, registry: Registry) -> JournalError | None:
    """Why a loaded record does not fit the frameworks the workspace knows, if it does not."""
    assert review.path is not None
    if review.framework not in registry:
        return JournalError(
            f"unknown framework {review.framework!r}", file=review.path, field="framework"
        )
    if (
        review.framework_version is not None
        and review.framework_version not in (registry.versions[review.framework])
    ):
        installed = ", ".join(str(v) for v in sorted(registry.versions[review.framework]))
        try:
            line = safeyaml.line_of(read_small_text(review.path), ["framework_version"])
        except JournalError:
            line = None
        return JournalError(
            f"made against version {review.framework_version} of {review.framework!r}, "
            f"which is not installed (installed: {installed})",
            file=review.path,
            line=line,
            field="framework_version",
            hint="install that version's framework file in the workspace's frameworks/",
        )
    framework = registry.made_against(review.framework, review.framework_version)
    problems = check_against_framework(review, framework)
    if not problems:
        return None
    index, name, message = problems[0]
    try:
        line = safeyaml.line_of(read_small_text(review.path), ["assessments", index, name])
    except JournalError:
        line = None
    return JournalError(message, file=review.path, line=line, field=f"assessments[{index}].{name}")
