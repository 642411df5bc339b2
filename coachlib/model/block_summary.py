"""The coach's synthesis of a coaching block: outcomes and what's next, in a few sentences.

The block report opens with it (``views.block_page``). It is the coach's word on the
block, for the people who sponsor the coaching, so it is written by the coach (``coach
block --summary TEXT``, or the form in the block-report notebook) and kept beside the
team's session log, one file per save (``store.sessionlog``): the notebook and the
command read the same file, and an edit is a new file, never a rewrite.

A synthesis belongs to the block that starts on its ``from`` day: a report of the team
from that day shows it (the latest saved), and so does one over days that include that
start when none was written for its own first day (of several blocks, the latest
block's), whatever the report's end, so a report from a few days earlier or
running a week longer keeps it. Checked here, without a disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from . import names
from .dates import check_day
from .errors import InputError, JournalError, quote

FORMAT = "coachlib.block-summary/1"
MAX_SUMMARY_CHARS = 5_000  # a few sentences; a page of print at most
FIELDS = ("format", "team", "from", "to", "author", "written", "summary")


@dataclass(frozen=True)
class BlockSummary:
    """The coach's synthesis of one team's block, as saved."""

    team: str
    start: date
    end: date
    author: str
    written: datetime
    text: str
    path: Path | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "team": self.team,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "author": self.author,
            "written": self.written.isoformat(),
            "summary": self.text,
        }


def new_block_summary(
    *, team: str, start: date, end: date, author: str, text: str, now: datetime | None = None
) -> BlockSummary:
    """A synthesis ready to save, every value checked (InputError naming the field)."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise InputError(
            "the synthesis is empty: write the block's outcomes and what's next", field="summary"
        )
    if len(cleaned) > MAX_SUMMARY_CHARS:
        raise InputError(
            f"the synthesis has {len(cleaned):,} characters; at most "
            f"{MAX_SUMMARY_CHARS:,} (a few sentences)",
            field="summary",
        )
    if end < start:
        raise InputError(f"the block ends ({end}) before it starts ({start})", field="to")
    return BlockSummary(
        team=names.clean_name(team, "team name"),
        start=check_day(start, field="from"),
        end=check_day(end, field="to"),
        author=names.clean_name(author, "author name"),
        written=now or datetime.now(UTC),
        text=cleaned,
    )


def parse_block_summary(text: str, *, file: str | Path, path: Path | None = None) -> BlockSummary:
    """A saved synthesis from its YAML text (JournalError naming file, line and field)."""
    from .safeyaml import line_of, parse

    data = parse(text, file=file, error=JournalError)
    if not isinstance(data, dict):
        raise JournalError("not a block synthesis (expected a mapping)", file=file, line=1)

    def wrong(key: str, message: str) -> JournalError:
        return JournalError(message, file=file, line=line_of(text, [key]), field=key)

    if data.get("format") != FORMAT:
        raise wrong("format", f"not a block synthesis: format must be {FORMAT!r}")
    for key in data:
        if key not in FIELDS:
            raise wrong(str(key), f"unknown field {quote(str(key))}")
    for key in ("from", "to", "written"):  # an unquoted date typed by hand
        if isinstance(data.get(key), date | datetime):
            data[key] = data[key].isoformat()
    for key in FIELDS[1:]:
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise wrong(key, f"{key}: missing, or not a text")
    try:
        start, end = date.fromisoformat(data["from"]), date.fromisoformat(data["to"])
    except ValueError:
        raise wrong("from", "from and to must be dates (YYYY-MM-DD)") from None
    try:
        written = datetime.fromisoformat(data["written"])
    except ValueError:
        raise wrong("written", f"not a date and time: {quote(data['written'])}") from None
    if written.tzinfo is None:  # typed by hand without a zone: read as UTC
        written = written.replace(tzinfo=UTC)
    if len(data["summary"]) > MAX_SUMMARY_CHARS:
        raise wrong("summary", f"longer than {MAX_SUMMARY_CHARS:,} characters")
    try:
        team = names.clean_name(data["team"], "team name")
        author = names.clean_name(data["author"], "author name")
    except InputError as exc:
        raise wrong(exc.field or "team", exc.message) from None
    if end < start:
        raise wrong("to", "the block ends before it starts")
    return BlockSummary(team, start, end, author, written, data["summary"].strip(), path)
