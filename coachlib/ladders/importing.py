"""The one entry into the ladder importer: a document's text in, an outline, a mapping and
a placed framework out. ``coach frameworks import`` and the notebook form both call
:func:`import_ladder`; neither holds importer logic of its own.

The package reads no disk (the store reads files within their limits and hands the text
in), so the same call serves a file, a folder and a notebook's upload.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..model.collector import without_collection
from ..model.errors import NOTE, WARNING, Diagnostic, FrameworkError, InputError
from ..model.names import slugify
from .limits import HOW_TO_WRITE, check_text_size
from .mapping import SHAPE, Mapping
from .outline import FILE, HEADING, Item, Outline
from .placer import LOST, OMITTED, Placement, place
from .shapes import (
    DECISION,
    UNPLACED,
    ImportResult,
    finish_import,
    import_markdown,
    imported_text,
)
from .suggest import suggest

SUFFIXES = (".md", ".markdown", ".html", ".htm", ".csv")
HOW_TO_STEER = "see what was read and the suggested options with --outline"


def _kind(name: str) -> str:
    suffix = PurePath(name).suffix.casefold()
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix == ".csv":
        return "csv"
    raise InputError(
        f"{suffix or 'a file without a suffix'} is not a ladder format coachlib reads "
        f"({', '.join(SUFFIXES)}): save the rendered page as HTML, or export the table as "
        "CSV, and import that",
        file=name,
    )


@without_collection
def read_outline(name: str, text: str) -> Outline:
    """The outline of one document, by its suffix (Markdown, HTML or CSV)."""
    kind = _kind(name)
    if kind == "csv":
        from .read_csv import read_csv

        outline = read_csv(text, name)
    else:
        check_text_size(text, name)
        if kind == "html":
            from .read_html import read_html

            outline, skipped = read_html(text, name)
            if skipped:
                outline.notes.append(
                    f"left out {skipped} script, style or navigation element(s) of the page"
                )
        else:
            from .read_markdown import read_markdown

            outline = read_markdown(text, name)
    outline.text = text
    return outline


def folder_outline(name: str, files: list[tuple[str, str]]) -> Outline:
    """A folder of ladders (a file per level) as one outline: each file opened by a FILE
    item carrying its name, then that file's items."""
    outline = Outline(source=name, fmt="folder")
    for file_name, text in files:
        inner = read_outline(file_name, text)
        stem = PurePath(file_name).stem
        outline.items.append(Item(FILE, stem, 1, file=PurePath(file_name).name))
        outline.items.extend(
            Item(
                it.kind,
                it.text,
                it.line,
                it.depth,
                it.rows,
                it.header_rows,
                it.data,
                file=PurePath(file_name).name,
            )
            for it in inner.items
        )
    return outline


@dataclass
class LadderImport:
    """What one import did: the outline read, the mapping used (and whether it was only
    suggested), the framework data with its reports, the placement of every item, and the
    option most likely to place what was lost."""

    outline: Outline
    mapping: Mapping
    suggested: bool
    result: ImportResult
    placement: Placement | None = None
    hint: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)


def title_of(outline: Outline) -> str:
    title = outline.title()
    if title:
        return title
    stem = PurePath(outline.source).stem
    return stem.replace("-", " ").replace("_", " ").strip().title() or "Imported framework"


def framework_id(outline: Outline, given: str | None = None) -> str:
    """The id an import will have: the one given, else the title's slug."""
    return given or slugify(title_of(outline))


@without_collection
def import_ladder(
    outline: Outline, mapping: Mapping | None = None, *, framework_id: str | None = None
) -> LadderImport:
    """Place a ladder by ``mapping`` (the suggestion when None). Raises FrameworkError
    (one line, with what to do) when nothing can be placed at all."""
    suggested = mapping is None
    mapping = mapping or suggest(outline)
    if mapping.levels.kind == SHAPE:
        if outline.fmt not in ("markdown", "html"):
            raise FrameworkError(
                "the shape readers read Markdown and HTML: give where the "
                "levels are (--levels rows or --levels columns)",
                file=outline.source,
            )
        text, numbers = outline.text, None
        if outline.fmt == "html":
            from .html_lines import html_as_markdown

            text, numbers = html_as_markdown(outline.text)
        try:
            result = import_markdown(
                text, source=outline.source, framework_id=framework_id, line_numbers=numbers
            )
        except FrameworkError as exc:
            raise _refusal(exc, outline) from None
        return LadderImport(outline, mapping, suggested, result)
    placement = place(outline, mapping, title=title_of(outline))
    reports = [
        Diagnostic(text, line=line, code=DECISION, severity=NOTE)
        for line, text in placement.decisions
    ]
    reports += [Diagnostic(text, code=DECISION, severity=NOTE) for text in outline.notes]
    left_out = Counter(a.where for a in placement.accounts if a.status == OMITTED)
    for why, count in left_out.items():
        lines = [a.line for a in placement.accounts if a.status == OMITTED and a.where == why]
        shown = ", ".join(map(str, lines[:8])) + (" …" if len(lines) > 8 else "")
        reports.append(
            Diagnostic(
                f"left out on purpose: {count} item(s), {why} (line(s) {shown})",
                code=DECISION,
                severity=NOTE,
            )
        )
    for account in placement.lost():
        where = f"in {account.section!r}: " if account.section else ""
        text = account.text.strip().splitlines()[0][:200] if account.text.strip() else ""
        if "code block" in account.where:
            text = f"in a code block: {text}"
        reports.append(
            Diagnostic(
                text,
                line=account.line,
                code=UNPLACED,
                severity=WARNING,
                hint=f"not placed, {where}{account.where}",
            )
        )
    data = placement.data
    if not any(group["skills"] for group in data["groups"]):
        raise FrameworkError(
            f"placed no skills with --levels {mapping.levels} --skills {mapping.skills}",
            file=outline.source,
            hint=f"{HOW_TO_STEER}, then give --levels and --skills; or {HOW_TO_WRITE}",
        )
    result = finish_import(
        data,
        shape=mapping.command_line(),
        reports=reports,
        source=outline.source,
        framework_id=framework_id,
        publisher=_publisher(outline),
    )
    result.level_of_line = placement.level_of_line
    done = LadderImport(outline, mapping, suggested, result, placement)
    done.hint = best_option(outline, mapping, placement)
    done.rows = placement_rows(placement)
    return done


def _publisher(outline: Outline) -> str | None:
    author = outline.front.get("author") or outline.front.get("publisher")
    return str(author) if author else None


def _refusal(exc: FrameworkError, outline: Outline) -> FrameworkError:
    """A shape reader's refusal with the way to steer the import added."""
    hint = f"{exc.hint}; or {HOW_TO_STEER}" if exc.hint else HOW_TO_STEER
    return FrameworkError(exc.message, file=exc.file or outline.source, line=exc.line, hint=hint)


def best_option(outline: Outline, mapping: Mapping, placement: Placement) -> str | None:
    """The option most likely to place (or knowingly leave out) the lost lines."""
    lost = placement.lost()
    if not lost:
        return None
    votes: Counter[str] = Counter()
    for account in lost:
        if "--skills none" in account.where:
            votes["--skills none"] += 1
        elif "code block" in account.where:
            votes["--skip code"] += 1
        elif account.section:
            votes[f"--skip {_quoted(account.section)}"] += 1
        else:
            votes[f"--levels h{_shallowest(outline)}"] += 1
    option, _count = votes.most_common(1)[0]
    return option


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _shallowest(outline: Outline) -> int:
    depths = [it.depth for it in outline.items if it.kind == HEADING and it.depth > 1]
    return min(depths) if depths else 2


def placement_rows(placement: Placement) -> list[dict[str, Any]]:
    """Every content item's fate as rows (line, status, where or why, text): the table the
    notebook form shows and a report can list."""
    return [
        {
            "line": a.line,
            "status": a.status,
            "where": a.where,
            "section": a.section,
            "text": a.text[:80],
        }
        for a in placement.accounts
    ]


def lost_count(done: LadderImport) -> int:
    if done.placement is not None:
        return sum(1 for a in done.placement.accounts if a.status == LOST)
    return sum(1 for r in done.result.reports if r.code == UNPLACED)


_PATH_PART = re.compile(r"(\w+)\[(\d+)\]")
# a schema path in a message ("(also at groups[0].skills[0])"): the file's, not the ladder's
_SCHEMA_PATH = re.compile(r"\s*\((?:also )?at \w+\[\d+\][^)]*\)|\b\w+\[\d+\](?:\.\w+(?:\[\d+\])?)*")


@without_collection
def checked_text(done: LadderImport, *, file_name: str) -> tuple[str, Any]:
    """The framework's YAML text and the Framework it validates as. A validation error is
    said in the ladder's terms (the skill or level, the source line, what to do), never as
    the line of a YAML file that does not exist or a schema path."""
    try:
        return imported_text(done.result, file_name=file_name, source=done.outline.source)
    except FrameworkError as exc:
        what, line = _where_in_ladder(done, exc.field or "")
        message = _SCHEMA_PATH.sub("", exc.message).strip()
        raise FrameworkError(
            f"{what}: {message}",
            file=done.outline.source,
            line=line,
            hint="change that part of the ladder, or map it otherwise (see --outline)",
        ) from None


def _where_in_ladder(done: LadderImport, path: str) -> tuple[str, int | None]:
    """A schema path (``groups[0].skills[1].criteria[0].items[2]``) as the skill or level
    it names, and the first source line placed there."""
    node: Any = done.result.data
    named = "the ladder"
    for key, index in _PATH_PART.findall(path):
        try:
            node = node[key][int(index)]
        except (KeyError, IndexError, TypeError):
            break
        if key == "skills":
            named = f"skill {node.get('name')!r}"
        elif key == "scale":
            named = f"level {node.get('level')} ({node.get('name')})"
        elif key == "criteria" and isinstance(node, dict):
            named += f" at level {node.get('level')}"
        elif key == "groups" and named == "the ladder":
            named = f"group {node.get('name')!r}"
    line = None
    if done.placement is not None:
        probe = named.split(" at level")[0].replace("skill ", "skill ", 1)
        line = next((a.line for a in done.placement.accounts if probe in a.where), None)
    return named, line
