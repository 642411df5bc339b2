"""A page a coach hands over, as a value: what it says, not how it is drawn.

A page (a coachee's summary today) is built once, here in ``views``, from the journal and
the log, and then shown two ways that never run each other: the summary notebook displays
it in JupyterLab (``notebook.summary``), and ``coach export`` renders it with Jinja to one
self-contained HTML file, or prints that file to PDF (``export.render``). So what nbval
checks in the notebook is the very value the export renders, and the export starts no
notebook, no kernel and no nbconvert.

Every value is frozen and holds plain text (never HTML), except :class:`Markup`, which
holds a fragment made by ``views.html`` (where every piece of text is escaped): the
renderer escapes everything else itself. Nothing here displays, collects or writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Table:
    """An accessible table: a caption, column headers, rows whose first cell heads the row."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    header_row: bool = True  # False: a two-column "key: value" table without a header
    compact: bool = False  # many short rows: smaller type in print
    short_heads: bool = False  # row headers are dates or names: kept on one line
    print_columns: int = 1  # 2: a long narrow table flows in two columns on paper
    nowrap: tuple[int, ...] = ()  # columns (0: the row header) never broken over lines: dates


@dataclass(frozen=True)
class Chart:
    """A chart with its text alternative (``alt``, for a screen reader) and its visible
    ``caption``; ``details`` are the tables of its values, folded under the caption on
    screen (a heat map of 30 people says too much for one sentence)."""

    png: bytes
    alt: str
    caption: str
    details: tuple[Table, ...] = ()
    wide: bool = True  # False: half the width of a printed page is enough
    tall: bool = False  # taller than wide (a heat map of many skills): may fill a printed page


@dataclass(frozen=True)
class Rating:
    """One skill's row of a :class:`LevelGrid`: the latest level by coach and by self
    (None when not rated as a level) and, in words, why not (``waived``, ``not rated``)."""

    skill: str
    coach: int | None
    self_: int | None
    remark: str = ""


@dataclass(frozen=True)
class LevelGrid:
    """A dot plot of levels made of text: a row per skill with its name in full, a column
    per level, the coach's level a filled circle and the coachee's own an open square.

    The skills picture of a hand-over page. A radar stops being readable past a dozen
    spokes and a drawn chart must shrink long names; here names wrap like any text, a
    row is a line of print, the page reflows on any screen and prints sharp, and a screen
    reader hears each mark with its role and its level's name."""

    caption: str
    levels: tuple[tuple[int, str], ...]  # (level, name), lowest first
    rows: tuple[Rating, ...]


@dataclass(frozen=True)
class Note:
    """A paragraph of plain text. ``kind`` styles it: ``note``, ``privacy``,
    ``attribution`` (a source's credit line), ``version`` (a record made against an older
    text), ``problem`` (files left out), ``empty`` (nothing saved yet)."""

    text: str
    kind: str = "note"


def problems_note(count: int) -> Note:
    """How many files a page left out, without naming them: the names and paths are the
    coach's to read (the command prints them, as does coach doctor), not the sponsor's."""
    return Note(
        f"{count} file(s) of the journal or the session log could not be read and are left "
        "out (the command that made this page names them, as does coach doctor).",
        "problem",
    )


@dataclass(frozen=True)
class Remark:
    """One line people wrote, once, with the days they wrote it (oldest first): a line
    repeated in many daily notes is read once, with how often and when."""

    text: str
    days: tuple[date, ...]


@dataclass(frozen=True)
class Remarks:
    """What people said, as a list: each line once, with its count and dates."""

    items: tuple[Remark, ...]


@dataclass(frozen=True)
class Markup:
    """A fragment of HTML made by ``views.html`` (ladders, review texts, folded evidence),
    where every piece of text was escaped; the renderer inserts it as it is."""

    html: str


@dataclass(frozen=True)
class Section:
    """A titled part of a page; sections nest (``level`` 2 under the page, 3 under that)."""

    title: str
    blocks: tuple[Block, ...]
    level: int = 2


@dataclass(frozen=True)
class Folded:
    """Blocks one click away (``summary`` is the line to click): the rest of a list whose
    gist the page already says. On screen only; paper keeps the gist."""

    summary: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Beside:
    """Blocks side by side where the page is wide enough (a table and its chart), one
    under the other where it is not."""

    blocks: tuple[Block, ...]


Block = Table | Chart | LevelGrid | Note | Remarks | Markup | Section | Beside | Folded


@dataclass(frozen=True)
class Headline:
    """What a reader sees first: a line of facts (date, frameworks) and the coach's
    hand-over note (empty when there is none)."""

    facts: str
    handover_note: str = ""
    handover_by: str = ""  # who wrote the note, and when: "Morgan Reyes, 2026-11-04"
    handover_label: str = "From your coach"  # the words above the note
    handover_name: str = "Hand-over note"  # what a screen reader calls it


@dataclass(frozen=True)
class Source:
    """A framework the page shows, for the footer: its title, version and where from."""

    title: str
    version: int
    publisher: str = ""
    address: str = ""
    licence: str = ""
    made_against: str = ""  # which versions the reviews shown were made against, if older


@dataclass(frozen=True)
class Footer:
    """Printed on every page: who the page is about and as of when, and the texts it
    shows (framework, version and source), so a loose printed sheet still says so."""

    person: str
    as_of: date
    sources: tuple[Source, ...] = ()
    made_by: str = "coachlib"


@dataclass(frozen=True)
class Page:
    """A whole page: title, headline, sections, notes about the page itself, footer.

    ``file_stem`` is the page's usual file name without its suffix
    (``ada-lovelace-2026-06-30``), so the export needs nothing but this value.
    """

    title: str
    headline: Headline
    sections: tuple[Section, ...]
    footer: Footer
    file_stem: str
    notes: tuple[Note, ...] = field(default_factory=tuple)
    lang: str = "en"

    def charts(self) -> list[Chart]:
        """Every chart of the page, in reading order."""
        found: list[Chart] = []

        def walk(blocks) -> None:
            for block in blocks:
                if isinstance(block, Chart):
                    found.append(block)
                elif isinstance(block, Section | Beside | Folded):
                    walk(block.blocks)

        walk(self.sections)
        return found
