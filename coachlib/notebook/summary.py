"""The content of one coachee's summary, shown by ``workbooks/summary.ipynb``.

The export runs that notebook (papermill) and converts it (nbconvert), so the summary a
coach hands over is exactly what the notebook shows. Only the one coachee's journal is
loaded: nothing of another coachee can reach their summary.

The page is the coachee's (and their sponsor's): it opens with the coach's latest hand-over
note, in the coach's own words, and leaves out the coach's working notes ('talk briefly',
'discuss at length', which text a review was made against: the versions and the source
are in the page's footer). A review's private note is never read here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from IPython.display import HTML, display

from ..model import names
from ..model.frameworks import Framework
from ..model.params import parse_as_of
from ..model.review import Review
from ..store.frameworks import catalog_for
from ..store.sessionlog import load_log_light
from ..store.workspace import Workspace
from ..views import evidence, plots, team
from ..views import history as analysis
from ..views import html as render
from ..views import standing as one_track
from .display import (
    RADAR_MAX_SKILLS,
    show_chart,
    show_framework_radar,
    show_part_charts,
    show_readiness,
)


class CoacheeSummary:
    """Per framework: where the coachee stands, progress, review dates, latest texts."""

    def __init__(
        self, *, coachee: str, workspace: str | Path | None = None, as_of: str | date | None = None
    ) -> None:
        self.workspace = Workspace.open(workspace)
        self.coachee = names.clean_name(coachee, "coachee name")
        self.workspace.require_coachee_slug(self.coachee)
        self.catalog = catalog_for(self.workspace.root)
        self.as_of = parse_as_of(as_of)
        history = analysis.load_history(self.workspace, coachee=self.coachee, catalog=self.catalog)
        frame = history.frame
        self.history = frame[frame["when"].dt.date <= self.as_of] if not frame.empty else frame
        self.reviews = history.load.reviews
        log = load_log_light(self.workspace, coachee=self.coachee)
        self.log = log
        self.problems = [*history.problems, *log.problems]

    def frameworks(self) -> list[Framework]:
        """Frameworks this coachee has reviews on, in catalog order."""
        used = set(self.history["framework"].unique())
        return [framework for framework in self.catalog if framework.id in used]

    def show_header(self) -> HTML:
        frameworks = ", ".join(f.title for f in self.frameworks()) or "no reviews yet"
        return HTML(
            f'<header class="coach-header {render.NO_MATH}">'
            f"<h1>Coaching summary: {render.esc(self.coachee)}</h1>"
            f"<p>As of {self.as_of.isoformat()} · {render.esc(frameworks)}</p>"
            "<p class='coach-privacy'>This summary holds personal reflections. "
            "Share it only with the coachee and the people they agree to.</p>"
            f"{render.problems_html(self.problems, named=False)}</header>"
        )

    def show_all(self) -> None:
        """The coach's latest hand-over note, one section per framework, the footer."""
        self.show_handover()
        frameworks = self.frameworks()
        if not frameworks:
            display(HTML(render.paragraph(f"No reviews saved for {self.coachee} yet.")))
        for framework in frameworks:
            self.show_framework(framework)
        if frameworks:
            display(HTML(self.footer_html()))

    def latest_handover(self) -> Review | None:
        """The newest coach's review up to the as-of date that has a hand-over note, on any
        framework: the coach's latest word on where the coachee stands."""
        found = [
            r for r in self.reviews
            if r.role == "coach" and r.handover_note and r.coachee == self.coachee
            and r.when.date() <= self.as_of
        ]  # fmt: skip
        return max(found, key=lambda r: r.when) if found else None

    def show_handover(self) -> None:
        """The summary opens with the coach's latest hand-over note (nothing if none)."""
        latest = self.latest_handover()
        if latest is None:
            return
        framework = self.catalog.get(latest.framework) if latest.framework in self.catalog else None
        display(HTML(render.handover_html(latest, framework)))

    def footer_html(self) -> str:
        """The page's footer: per framework, the versions of its text the reviews were made
        against, and its source and licence. Which text a review was made against is the
        coach's working detail: it stays here, not beside each review."""
        out = [f'<footer class="coach-footer {render.NO_MATH}">']
        for framework in self.frameworks():
            rows = self.history[self.history["framework"] == framework.id]
            versions = sorted({int(v) for v in rows["version"] if not render.missing(v)})
            made = " and ".join(f"version {v}" for v in versions) or "the oldest version"
            out.append(
                render.paragraph(
                    f"{framework.title}: reviews made against {made} of the text; the "
                    f"newest is version {framework.version}."
                )
                + render.attribution_html(framework)
            )
        out.append("</footer>")
        return "\n".join(out)

    def show_framework(self, framework: Framework) -> None:
        display(HTML(f'<h2 class="{render.NO_MATH}">{render.esc(framework.title)}</h2>'))
        if framework.is_milestone_track:
            self.show_milestones(framework)
            display(HTML(self.review_dates_html(framework)))
            for role, title in (("coach", "Latest coach review"), ("self", "Latest self-review")):
                latest = one_track.latest_review(
                    self.reviews, coachee=self.coachee, framework=framework.id, role=role,
                    as_of=self.as_of,
                )  # fmt: skip
                # each record with the words of the text it was made against (which text
                # that was is in the footer: a working note, not the coachee's concern)
                against = self.catalog.of_record(latest) if latest else framework
                display(HTML(render.texts_html(against, latest, title=title)))
            self.show_job_role(framework)
        else:
            self.show_skills(framework)
            display(HTML(self.review_dates_html(framework)))
            display(HTML(render.skill_notes_html(framework, self.history)))

    def show_job_role(self, framework: Framework) -> None:
        """The job-role reading across the tracks, as the source's current guidance says,
        under the last of the tracks this coachee has reviews on (shown once)."""
        shown = [f.id for f in self.frameworks() if f.is_milestone_track]
        for guidance in self.catalog.guidance:
            mine = [track for track in guidance.tracks if track in shown]
            if not mine or mine[-1] != framework.id:
                continue
            milestones = {}
            for track in guidance.tracks:
                if track not in self.catalog:
                    continue
                current = self._standing(self.catalog.get(track))
                if current.coach_level is not None:
                    milestones[track] = {self.coachee: current.coach_level}
            tracks = [self.catalog.get(t) for t in guidance.tracks if t in self.catalog]
            roles = team.job_roles(milestones, guidance, [self.coachee])
            display(HTML(render.job_roles_html(guidance, tracks, roles)))

    def _standing(self, framework: Framework) -> one_track.Standing:
        return one_track.standing(
            self.reviews, coachee=self.coachee, framework=framework.id,
            skill=framework.track_skill.id, as_of=self.as_of,
            level_now=self.catalog.record_level,
        )  # fmt: skip

    def show_milestones(self, framework: Framework) -> None:
        skill = framework.track_skill
        current = self._standing(framework)
        display(HTML(render.standing_html(framework, current, coachee=self.coachee,
                                          advice=False)))  # fmt: skip
        found = evidence.evidence_by_level(framework, self.log.entries, self.coachee,
                                           as_of=self.as_of)  # fmt: skip
        if found:
            display(HTML(
                f'<h3 class="{render.NO_MATH}">Evidence from the session log</h3>'
                + render.evidence_html(framework, found, self.coachee,
                                       flag=evidence.evidence_flag(current.coach_level, found))
            ))  # fmt: skip
        series = one_track.progress_series(
            self.reviews, coachee=self.coachee, framework=framework.id, skill=skill.id,
            as_of=self.as_of, level_now=self.catalog.record_level,
        )  # fmt: skip
        figure = plots.progress_chart(framework, series, title=f"Progress: {framework.title}")
        show_chart(figure, plots.describe_progress(framework, series))

    def show_skills(self, framework: Framework) -> None:
        """Ratings per part; per part with ratings a table and a chart; tier readiness.

        A matrix gets a radar per group; a catalogue a table per skill set and one bar
        chart per tier (a radar per skill set would repeat the tables at great length).
        """
        table = analysis.latest_by_skill(
            self.history, coachee=self.coachee, framework=framework, as_of=self.as_of
        )
        display(HTML(render.parts_summary_html(framework, table)))
        rated = set(
            table.loc[
                table["coach"].notna() | table["self"].notna()
                | table["coach_mark"].notna() | table["self_mark"].notna(),
                "skill",
            ]
        )  # fmt: skip
        if framework.shape != "catalogue" and len(framework.skills) <= RADAR_MAX_SKILLS:
            # One radar of every skill (at most 30 stay readable), then a table per group.
            show_framework_radar(framework, table, coachee=self.coachee)
        for group in framework.groups:
            if not rated & {skill.id for skill in group.all_skills()}:
                continue
            display(HTML(f'<h3 class="{render.NO_MATH}">{render.esc(group.label)}</h3>'))
            if framework.shape == "catalogue":
                for skill_set in group.groups:
                    if rated & {skill.id for skill in skill_set.all_skills()}:
                        shown = render.skills_table_html(framework, skill_set, table,
                                                         advice=False)  # fmt: skip
                        display(HTML(shown))
                show_part_charts(framework, table, group.id, coachee=self.coachee, radar=False)
            else:
                display(HTML(render.skills_table_html(framework, group, table, advice=False)))
                if len(framework.skills) > RADAR_MAX_SKILLS:
                    show_part_charts(framework, table, group.id, coachee=self.coachee, bars=False)
        if framework.shape == "catalogue":
            show_readiness(framework, table, coachee=self.coachee)

    def review_dates_html(self, framework: Framework) -> str:
        """One row per day, role and author (a skills review saves one record per part).
        No 'made against' column: the versions are in the footer (``footer_html``)."""
        rows = self.history[self.history["framework"] == framework.id]
        rows = rows.assign(day=rows["when"].dt.date)
        out = []
        for (day, role, author), group in rows.groupby(["day", "role", "author"], sort=True):
            if framework.is_milestone_track:
                rated = group.iloc[-1]["level_name"]
            else:
                parts = group["part"].dropna().unique()
                labels = ", ".join(framework.group(p).label for p in parts) or "all parts"
                rated = f"{len(group)} skill(s): {labels}"
            out.append((day.isoformat(), role, author, rated))
        return render.table_html(
            f"Reviews of {self.coachee} on {framework.title}",
            ["Date", "Role", "Author", "Level" if framework.is_milestone_track else "Rated"],
            out,
        )
