"""One coachee's summary as a :class:`~coachlib.views.page.Page` value.

The one place the summary's parameters are checked (the name, that the workspace knows
the coachee, the date) and its content chosen: the summary notebook displays the value
this returns, ``coach export`` renders it. A bad parameter is an ``InputError`` (one line
in the command, one clear message in the notebook), raised before any file is read.

Only the one coachee's journal and log are loaded: nothing of another coachee can reach
their summary. The page is made to be handed over and printed, so each picture is the
one that reads best on paper: a milestone track is a step chart over time; a skills
framework is a dot plot of levels per part, made of text, with every skill named in full
(a radar past a dozen spokes cannot be read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model import names
from ..model.frameworks import Framework
from ..model.params import parse_as_of
from ..model.rules import REVIEWER_ROLES
from ..store.frameworks import registry_for
from ..store.journal import load_journal
from ..store.sessionlog import load_log_light
from ..store.workspace import Workspace
from . import evidence, html, plots, ratings, standing
from .page import (
    Beside,
    Chart,
    Footer,
    Headline,
    LevelGrid,
    Markup,
    Note,
    Page,
    Rating,
    Section,
    Source,
    Table,
    problems_note,
)
from .values import missing

PRIVACY = (
    "This summary holds personal reflections. Share it only with the coachee and the "
    "people they agree to."
)


@dataclass(frozen=True)
class SummaryRequest:
    """The summary's parameters, checked: the coachee's exact name, the workspace, the
    date it is seen as of."""

    workspace: Workspace
    coachee: str
    slug: str
    as_of: date


def summary_request(
    workspace: Workspace | str | Path | None, coachee: str, as_of: str | date | None = None
) -> SummaryRequest:
    """Check the parameters once: InputError (or WorkspaceError) names the one that is
    wrong, before anything is loaded."""
    opened = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
    name = names.clean_name(coachee, "coachee name")
    slug = opened.require_coachee_slug(name)
    return SummaryRequest(opened, name, slug, parse_as_of(as_of))


def summary_page(
    workspace: Workspace | str | Path | None, coachee: str, as_of: str | date | None = None
) -> Page:
    """The summary of ``coachee`` as of ``as_of`` (default today), as a Page."""
    return SummaryBuilder(summary_request(workspace, coachee, as_of)).page()


class SummaryBuilder:
    """Loads one coachee's journal and log, then builds the page section by section."""

    def __init__(self, request: SummaryRequest) -> None:
        self.request = request
        self.workspace = request.workspace
        self.coachee = request.coachee
        self.as_of = request.as_of
        self.registry = registry_for(self.workspace.root)
        # Plain rows, not the history DataFrame: a page of one person needs no pandas, and
        # importing it would cost ``coach export`` more than building the page.
        load = load_journal(self.workspace, coachee=self.coachee, registry=self.registry)
        self.history = ratings.up_to(ratings.history_rows(load.reviews, self.registry), self.as_of)
        self.reviews = load.reviews  # each view below takes as_of itself
        self.log = load_log_light(self.workspace, coachee=self.coachee)
        self.problems = [*load.problems, *self.log.problems]

    def rows_of(self, framework: Framework) -> list[ratings.HistoryRow]:
        return [row for row in self.history if row.framework == framework.id]

    def frameworks(self) -> list[Framework]:
        """Frameworks this coachee has reviews on, in registry order."""
        used = {row.framework for row in self.history}
        return [framework for framework in self.registry if framework.id in used]

    # --- the page ---------------------------------------------------------------------------

    def page(self) -> Page:
        frameworks = self.frameworks()
        listed = ", ".join(f.title for f in frameworks) or "no reviews yet"
        notes = [Note(PRIVACY, "privacy")]
        if self.problems:
            notes.append(problems_note(len(self.problems)))
        sections = [self.framework_section(framework) for framework in frameworks]
        if not frameworks:
            notes.append(Note(f"No reviews saved for {self.coachee} yet.", "empty"))
        return Page(
            title=f"Coaching summary: {self.coachee}",
            headline=self.headline(f"As of {self.as_of.isoformat()} · {listed}"),
            sections=tuple(sections),
            notes=tuple(notes),
            footer=Footer(
                person=self.coachee,
                as_of=self.as_of,
                sources=tuple(
                    source_of(framework, self.made_against(framework)) for framework in frameworks
                ),
            ),
            file_stem=f"{self.request.slug}-{self.as_of.isoformat()}",
        )

    def made_against(self, framework: Framework) -> str:
        """Which versions of the text the reviews were made against: a working detail for
        the footer, not a column beside each review."""
        versions = sorted({r.version for r in self.rows_of(framework) if r.version is not None})
        if not versions:
            return ""
        made = " and ".join(f"version {v}" for v in versions)
        return f"reviews made against {made} of the text; the newest is version {framework.version}"

    def headline(self, facts: str) -> Headline:
        """The facts line, and the newest hand-over note a coach wrote on a review (the
        ``handover_note`` of a coach review; records made before it existed have none)."""
        seen = [r for r in self.reviews if r.when.date() <= self.as_of]
        for review in sorted(seen, key=lambda r: r.when, reverse=True):
            note = getattr(review, "handover_note", "") or ""
            if review.role == "coach" and note.strip():
                on = (
                    self.registry.get(review.framework).title
                    if (review.framework in self.registry)
                    else review.framework
                )
                by = f"{review.author}, {review.when.date().isoformat()} on {on}"
                return Headline(facts, handover_note=note.strip(), handover_by=by)
        return Headline(facts)

    def framework_section(self, framework: Framework) -> Section:
        if framework.is_milestone_track:
            blocks = self.milestone_blocks(framework)
        else:
            blocks = self.skills_blocks(framework)
        return Section(framework.title, tuple(blocks))

    # --- a milestone track ------------------------------------------------------------------

    def _standing(self, framework: Framework) -> standing.Standing:
        return standing.standing(
            self.reviews,
            coachee=self.coachee,
            framework=framework.id,
            skill=framework.track_skill.id,
            as_of=self.as_of,
            level_now=self.registry.record_level,
        )

    def milestone_blocks(self, framework: Framework) -> list:
        current = self._standing(framework)
        stands = Table(
            f"Where {self.coachee} stands on {framework.title}",
            ("", ""),
            tuple(html.standing_rows(framework, current, advice=False)),
            header_row=False,
        )
        series = standing.progress_series(
            self.reviews,
            coachee=self.coachee,
            framework=framework.id,
            skill=framework.track_skill.id,
            as_of=self.as_of,
            level_now=self.registry.record_level,
        )
        figure = plots.progress_chart(
            framework, series, title=f"Progress: {framework.title}", compact=True
        )
        # The caption counts; the text alternative states every value as well (on the
        # page the table of reviews below lists them, so paper need not say them twice).
        counts = {role: len(series.get(role) or []) for role in REVIEWER_ROLES}
        caption = (
            f"{framework.title}, level over time: {counts['coach']} coach review(s) and "
            f"{counts['self']} self-review(s), each a row of the table of reviews below."
        )
        alt = f"{caption} {plots.describe_progress(framework, series)}"
        blocks: list = [Beside((stands, Chart(plots.to_png(figure), alt, caption, wide=False)))]
        found = evidence.evidence_by_level(
            framework, self.log.entries, self.coachee, as_of=self.as_of
        )
        if found:
            flag = evidence.evidence_flag(current.coach_level, found)
            blocks.append(
                Section(
                    "Evidence from the session log",
                    (Markup(html.evidence_html(framework, found, self.coachee, flag=flag)),),
                    level=3,
                )
            )
        blocks.append(self.review_dates(framework))
        blocks.append(Note(html.attribution_text(framework), "attribution"))
        texts = []
        for role, title in (("coach", "Latest coach review"), ("self", "Latest self-review")):
            latest = standing.latest_review(
                self.reviews,
                coachee=self.coachee,
                framework=framework.id,
                role=role,
                as_of=self.as_of,
            )
            # each record in the words of the text it was made against (which text that
            # was is in the footer: a working note, not the coachee's concern)
            against = self.registry.of_record(latest) if latest else framework
            texts.append(Markup(html.texts_html(against, latest, title=title)))
        blocks.append(Beside(tuple(texts)))  # the coach's and the coachee's words, side by side
        blocks.extend(self.job_role(framework))
        return [block for block in blocks if not (isinstance(block, Note) and not block.text)]

    def job_role(self, framework: Framework) -> list:
        """The job-role reading across the tracks, as the source's current guidance says,
        under the last of the tracks this coachee has reviews on (shown once)."""
        shown = [f.id for f in self.frameworks() if f.is_milestone_track]
        out: list = []
        for guidance in self.registry.guidance:
            mine = [track for track in guidance.tracks if track in shown]
            if not mine or mine[-1] != framework.id:
                continue
            milestones = {}
            for track in guidance.tracks:
                if track not in self.registry:
                    continue
                current = self._standing(self.registry.get(track))
                if current.coach_level is not None:
                    milestones[track] = {self.coachee: current.coach_level}
            tracks = [self.registry.get(t) for t in guidance.tracks if t in self.registry]
            roles = ratings.job_role_readings(milestones, guidance, [self.coachee])
            rows = []
            for row in roles:
                levels = [
                    "—" if level is None else f"{level}"
                    for level in (row.levels[t.id] for t in tracks)
                ]
                rows.append((row.coachee, *levels, row.reading))
            blocks: list = [
                Table(
                    f"Job role across the tracks: {guidance.title}",
                    ("Coachee", *(f"{t.title} (coach's latest)" for t in tracks), "Job role"),
                    tuple(rows),
                    short_heads=True,
                )
            ]
            for decision in sorted({d for row in roles for d in row.decisions}):
                blocks.append(
                    Note(
                        f"Where the source leaves the case open, coachlib reads it "
                        f"this way: {decision}"
                    )
                )
            blocks.append(
                Note(
                    "Read from each person's latest milestones by the coach, as the guidance "
                    "says now (also for milestones recorded against an older text of a track); "
                    "a track with no review counts as not started."
                )
            )
            blocks.append(Note(html.attribution_text(guidance), "attribution"))
            out.extend(blocks)  # the table's caption names the reading
        return out

    def review_dates(self, framework: Framework) -> Table:
        """One row per day, role and author (a skills review saves one record per part)."""
        groups: dict[tuple[date, str, str], list[ratings.HistoryRow]] = {}
        for row in self.rows_of(framework):
            groups.setdefault((row.when.date(), row.role, row.author), []).append(row)
        out = []
        for (day, role, author), group in sorted(groups.items(), key=lambda item: item[0]):
            if framework.is_milestone_track:
                rated = group[-1].level_name or ""
            else:
                parts = list(dict.fromkeys(r.part for r in group if r.part is not None))
                labels = ", ".join(framework.group(p).label for p in parts) or "all parts"
                if len(parts) > 2:  # a catalogue's parts are many: say how many
                    labels = f"{len(parts)} parts"
                rated = f"{len(group)}: {labels}"
            out.append((day.isoformat(), role, author, rated))
        return Table(
            f"Reviews of {self.coachee} on {framework.title}",
            ("Date", "Role", "Author", "Level" if framework.is_milestone_track else "Skills rated"),
            tuple(out),
            compact=True,
            short_heads=True,
            print_columns=2,
        )

    # --- a skills framework -----------------------------------------------------------------

    def skills_blocks(self, framework: Framework) -> list:
        """Ratings per part; per rated part a dot plot of its levels (a LevelGrid); tier
        readiness (a catalogue); review dates; the latest notes."""
        table = ratings.latest_by_skill(
            self.history, coachee=self.coachee, framework=framework, as_of=self.as_of
        )
        blocks: list = self.parts_table(framework, table)
        by_skill = {row.skill: row for row in table}
        charts: list[LevelGrid | Chart] = []
        for group in framework.groups:
            ids = [skill.id for skill in group.all_skills()]
            rated = [by_skill[i] for i in ids if ratings.is_rated(by_skill[i])]
            if not rated:
                continue
            pieces = chunks(group, {row.skill for row in rated})
            for number, piece in enumerate(pieces, start=1):
                label = group.label + (f" ({number} of {len(pieces)})" if len(pieces) > 1 else "")
                shown = [row for row in rated if row.skill in piece]
                charts.append(self.part_grid(framework, label, shown, len(ids)))
        if framework.shape == "catalogue":
            charts.append(self.readiness(framework, table))
        blocks.append(Section("Latest ratings per part", tuple(charts), level=3))
        blocks.append(self.review_dates(framework))
        notes = self.skill_notes(framework)
        if notes is not None:
            blocks.append(notes)
        blocks.append(Note(html.attribution_text(framework), "attribution"))
        return [block for block in blocks if not (isinstance(block, Note) and not block.text)]

    def parts_table(self, framework: Framework, table: list[ratings.SkillLatest]) -> list:
        """A row per part with a rating; the parts nobody rated named in one line."""
        rows = [tuple(str(v) for v in row) for row in html.parts_rows(framework, table)]
        table_ = Table(
            f"{framework.title}: ratings per part",
            html.PARTS_HEADERS,
            tuple(row for row in rows if row[2] != "0" or row[3] != "0"),
        )
        unrated = [row[0] for row in rows if row[2] == "0" and row[3] == "0"]
        if not unrated:
            return [table_]
        return [table_, Note(f"Parts nobody rated yet: {', '.join(unrated)}.")]

    def part_grid(
        self, framework: Framework, label: str, rated: list[ratings.SkillLatest], skills: int
    ) -> LevelGrid:
        """The latest levels of one part's rated skills as a dot plot of text."""
        marks = {mark.id: mark.name.lower() for mark in framework.marks}
        rows = []
        for row in rated:
            said: dict[str, list[str]] = {}
            for role, level, mark in (
                ("coach", row.coach, row.coach_mark),
                ("self", row.self, row.self_mark),
            ):
                if isinstance(mark, str) and mark:
                    said.setdefault(marks.get(mark, mark), []).append(role)
                elif missing(level):
                    said.setdefault("not rated", []).append(role)
            remark = "; ".join(f"{what}: {', '.join(who)}" for what, who in said.items())
            rows.append(
                Rating(
                    row.skill_name,
                    row.coach,
                    row.self,
                    remark,
                )
            )
        return LevelGrid(
            f"{label}: {len(rated)} of {skills} skills rated",
            tuple((level.level, level.name) for level in framework.scale),
            tuple(rows),
        )

    def readiness(self, framework: Framework, table: list[ratings.SkillLatest]) -> Chart:
        """Tier readiness of the tiers with a rating (a tier nobody rated reads 0% and
        would say nothing but take a row; the caption names those tiers)."""
        top = framework.level(framework.max_level).name
        ready = {
            role: ratings.tier_readiness(framework, table, role=role) for role in REVIEWER_ROLES
        }
        some = [
            c.rated > 0 or s.rated > 0 for c, s in zip(ready["coach"], ready["self"], strict=True)
        ]
        unrated = [
            tier.tier_name for tier, kept in zip(ready["coach"], some, strict=True) if not kept
        ]
        ready = {
            role: [tier for tier, kept in zip(rows, some, strict=True) if kept]
            for role, rows in ready.items()
        }
        figure = plots.readiness_chart(
            ready, title=f"{self.coachee}: tier readiness", top_name=top, width=3.7
        )
        described = plots.describe_readiness(ready, top)
        if unrated:
            described += f" Not rated yet: {', '.join(unrated)}."
        return Chart(plots.to_png(figure), described, described, wide=False)

    def skill_notes(self, framework: Framework) -> Table | None:
        """Per skill with a note: the note of the latest rating by coach and by self. The
        levels are in the grids above, the ticked criteria in the review notebook: a
        hand-over page keeps to what was said, one line a skill where it can."""
        latest = ratings.latest_per_skill_and_role(self.rows_of(framework))
        out = []
        for skill in framework.skills:
            cells = []
            said = False
            for role in REVIEWER_ROLES:
                row = latest.get((skill.id, role))
                if row is None:
                    cells.append("")
                    continue
                note = str(row.note or "")
                said = said or bool(note)
                cells.append(note)
            if said:
                out.append((skill.name, *cells))
        if not out:
            return None
        return Table(
            f"Latest notes: {framework.title}",
            ("Skill", "Coach's note", "Own note"),
            tuple(out),
            compact=True,
        )


def source_of(framework: Framework, made_against: str = "") -> Source:
    source = framework.source or {}
    return Source(
        title=framework.title,
        version=framework.version,
        publisher=str(source.get("publisher") or ""),
        address=html._address(source.get("url")),
        licence=str(source.get("licence") or ""),
        made_against=made_against,
    )


MAX_ROWS = 30  # skills in one grid: one taller than a printed column is split


def chunks(group, rated: set[str]) -> list[list[str]]:
    """The rated skills of a part in pieces of at most MAX_ROWS, cut where a skill set
    ends when the part has skill sets (a printed column holds a piece, never half of one)."""
    runs = [[s.id for s in sub.all_skills() if s.id in rated] for sub in group.groups]
    runs = [run for run in runs if run] or [[s.id for s in group.all_skills() if s.id in rated]]
    pieces: list[list[str]] = [[]]
    for run in runs:
        while run:
            room = MAX_ROWS - len(pieces[-1])
            if room <= 0 or (pieces[-1] and len(run) > room):
                pieces.append([])
                continue
            pieces[-1].extend(run[:room])
            run = run[room:]
    return [piece for piece in pieces if piece]
