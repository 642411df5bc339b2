"""HTML fragments for notebooks and exported summaries. Every piece of text is escaped.

User text (names, evidence, reflections) and framework text alike go through :func:`esc`,
so ``<script>`` shows as those characters. Containers of user text carry the classes
MathJax skips (``tex2jax_ignore mathjax_ignore``), so a ``$...$`` in a reflection is shown
as typed, never typeset. Nothing here reads files or computes levels: it formats what
``views.history`` found.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, cast

from ..model.errors import CoachError
from ..model.frameworks import Framework
from ..model.guidance import Guidance
from ..model.review import Review
from ..model.rules import REVIEWER_ROLES, gap_text, role_text, short_gap
from ..model.session_words import KINDS, SESSION_ROLES
from .evidence import LevelEvidence
from .standing import Standing
from .values import missing

if TYPE_CHECKING:
    import pandas as pd

    from .ratings import SkillLatest

NO_MATH = "tex2jax_ignore mathjax_ignore"
# JupyterLab right-aligns table cells; text reads better left-aligned. Inline styles
# survive both JupyterLab's sanitizer and the exported page's CSP.
LEFT = ' style="text-align:left;vertical-align:top"'


def esc(text: object) -> str:
    """Escape text for HTML, keeping line breaks visible."""
    return html.escape("" if text is None else str(text), quote=True).replace("\n", "<br>\n")


def rich(text: object) -> str:
    """Framework text with the source's Markdown emphasis kept: escaped first, then only
    ``**bold**`` and ``*italic*`` become tags, so nothing else can turn into HTML."""
    out = esc(text)
    out = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])", r"<em>\1</em>", out)


def _day(value: datetime | date | None) -> str:
    if value is None or missing(value):
        return "—"
    if isinstance(value, datetime):  # a pandas Timestamp is one too
        value = value.date()
    return value.isoformat()


def level_text(framework: Framework, level: int | None) -> str:
    if level is None:
        return "not assessed yet"
    entry = framework.level(level)
    return f"{entry.name}: {entry.title}" if entry.title else f"{level} · {entry.name}"


def standing_rows(
    framework: Framework, standing: Standing, *, advice: bool = True
) -> list[tuple[str, str]]:
    """'Where the coachee stands' as (label, text) rows: both latest levels, the gap, the
    days since the last review, how many reviews (plain text, for a table or a page).
    ``advice=False`` (the coachee's summary) leaves the coach's advice out of the gap."""
    return [
        (
            "Coach's latest",
            level_text(framework, standing.coach_level)
            + (
                f" ({_day(standing.coach_when)}, by {standing.coach_author})"
                if standing.coach_when
                else ""
            ),
        ),
        (
            "Own latest (self)",
            level_text(framework, standing.self_level)
            + (f" ({_day(standing.self_when)})" if standing.self_when else ""),
        ),
        ("Coach and self", gap_text(standing.gap, advice=advice)),
        (
            "Last review",
            f"{standing.days_since_last_review} days ago ({_day(standing.last_review)})"
            if standing.last_review
            else "never reviewed",
        ),
        ("Reviews saved", str(standing.reviews)),
    ]


def standing_html(
    framework: Framework,
    standing: Standing,
    *,
    coachee: str,
    skill_name: str | None = None,
    advice: bool = True,
) -> str:
    """'Where the coachee stands': both latest levels, the gap, days since last review
    (with the coach's advice on the gap unless ``advice=False``)."""
    caption = f"Where {coachee} stands on {framework.title}"
    if skill_name and not framework.is_milestone_track:
        caption += f": {skill_name}"
    rows = standing_rows(framework, standing, advice=advice)
    return table_html(caption, ["", ""], rows, header_row=False)


def own_standing_html(framework: Framework, standing: Standing, coach_view=None) -> str:
    """'Where you stand', for a coachee's own notebook: their latest review, how many,
    when, and the coach's latest level and next steps when the pack carries them."""
    rows = [
        (
            "Your latest review",
            level_text(framework, standing.self_level)
            + (f" ({_day(standing.self_when)})" if standing.self_when else ""),
        ),
        ("Reviews you saved", str(standing.reviews)),
        (
            "Last saved",
            f"{standing.days_since_last_review} days ago ({_day(standing.last_review)})"
            if standing.last_review
            else "not yet",
        ),
    ]
    if coach_view is not None:
        rows.append(
            (
                "Your coach's latest",
                level_text(framework, coach_view.level) + f" ({_day(coach_view.when)})",
            )
        )
        if coach_view.next_steps:
            rows.append(("Next steps from your coach", coach_view.next_steps))
    return table_html(f"Where you stand on {framework.title}", ["", ""], rows, header_row=False)


def table_html(
    caption: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    header_row: bool = True,
    css_class: str = "coach-table",
) -> str:
    """A small accessible table: caption, header cells with scope, escaped cells."""
    out = [
        f'<table class="{css_class} {NO_MATH}">',
        f"<caption{LEFT}>{esc(caption)}</caption>",
    ]
    if header_row:
        cells = "".join(f'<th scope="col"{LEFT}>{esc(h)}</th>' for h in header)
        out.append(f"<thead><tr>{cells}</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        first, *rest = row
        cells = f'<th scope="row"{LEFT}>{esc(first)}</th>' + "".join(
            f"<td{LEFT}>{esc(c)}</td>" for c in rest
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def ladder_html(
    framework: Framework,
    *,
    coach_level: int | None,
    self_level: int | None,
    evidence: dict[int, LevelEvidence] | None = None,
) -> str:
    """The milestones top to bottom, with the coach's and the coachee's own level marked,
    and with ``evidence`` how many logged sessions count for each and the latest one."""
    rows = []
    for level in reversed(framework.scale):
        marks = []
        if level.level == coach_level:
            marks.append("◀ coach")
        if level.level == self_level:
            marks.append("◀ self")
        current = ' class="coach-current"' if marks else ""
        mark_text = ", ".join(marks)
        logged = ""
        if evidence is not None:
            found = evidence.get(level.level)
            logged = f"<td{LEFT}>{esc(_sessions_text(found))}</td>"
        rows.append(
            f'<tr{current}><th scope="row"{LEFT}>{esc(level.name)}</th>'
            f"<td{LEFT}>{esc(level.title or level.description or '')}</td>"
            f"{logged}<td{LEFT}><strong>{esc(mark_text)}</strong></td></tr>"
        )
    logged_head = f'<th scope="col"{LEFT}>Logged evidence</th>' if evidence is not None else ""
    return (
        f'<table class="coach-table coach-ladder {NO_MATH}">'
        f"<caption{LEFT}>Ladder of {esc(framework.title)}</caption>"
        f'<thead><tr><th scope="col"{LEFT}>Level</th><th scope="col"{LEFT}>Milestone</th>'
        f'{logged_head}<th scope="col"{LEFT}>Current</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _sessions_text(found: LevelEvidence | None) -> str:
    if found is None:
        return "—"
    if not found.count or found.latest is None:
        return "none logged"
    plural = "s" if found.count != 1 else ""
    return f"{found.count} session{plural}, latest {found.latest.isoformat()}"


def evidence_html(
    framework: Framework, evidence: dict[int, LevelEvidence], coachee: str, *, flag: str = ""
) -> str:
    """The logged sessions behind each milestone, folded (opened on demand): date, kind,
    team, the person's own role and the material. Nothing of the other people in the
    session, and none of the session's notes: they may speak of others."""
    out = [f'<section class="coach-evidence {NO_MATH}">']
    if flag:
        out.append(f"<p><strong>{esc(flag[:1].upper() + flag[1:])}</strong></p>")
    shown = False
    for level in framework.scale:
        found = evidence.get(level.level)
        if found is None or not found.count:
            continue
        shown = True
        out.append(
            f"<details><summary>{esc(level.name)}: {esc(_sessions_text(found))}</summary><ul>"
        )
        for entry in reversed(found.entries):
            material = entry.material or entry.learning_hour
            out.append(
                "<li>"
                + esc(session_words(entry, coachee))
                + (f": {esc(material)}" if material else "")
                + "</li>"
            )
        out.append("</ul></details>")
    if not shown:
        out.append(
            f"<p>No logged session of {esc(coachee)} counts as evidence for a "
            "milestone yet (`coach log`, or the session log notebook).</p>"
        )
    out.append("</section>")
    return "\n".join(out)


def framework_html(framework: Framework) -> str:
    """A milestone track in full: introduction, every milestone with its text and role."""
    out = [f'<div class="coach-framework {NO_MATH}">', f"<h3>{esc(framework.title)}</h3>"]
    source = framework.source
    if source:
        status = f" ({source['status']})" if source.get("status") else ""
        out.append(f"<p><em>Source: {esc(source.get('publisher'))}{esc(status)}.</em></p>")
    if framework.introduction:
        out.append(f"<p>{esc(framework.introduction)}</p>")
    for level in framework.scale:
        heading = level.name + (f": {level.title}" if level.title else "")
        out.append(f"<h4>{esc(heading)}</h4>")
        if level.description:
            out.append(f"<p>{esc(level.description)}</p>")
        if level.coaching_role:
            out.append(f"<p><em>Job role: {esc(role_text(level.coaching_role))}</em></p>")
    if source.get("status_note"):
        out.append(f"<p><em>Note: {esc(source['status_note'])}</em></p>")
    out.append(attribution_html(framework))
    out.append("</div>")
    return "\n".join(out)


def _address(url: str | None) -> str:
    """'sammancoaching.org/…': the address as text, not a link. Summaries are offline
    pages that fetch and link nothing; a reader can still find the source."""
    return (url or "").removeprefix("https://").removeprefix("http://")


def attribution_text(source_of: Framework | Guidance) -> str:
    """The credit line a page showing a framework's (or a guidance's) text carries: the
    source and its version, the licence, the attribution the licence asks for ("" when
    the text has no source). Plain text: escape it where it goes."""
    source = source_of.source
    if not source:
        return ""
    cited = [
        source.get("publisher"),
        f"“{source.get('title') or source_of.title}”",
        _address(source.get("url")),
    ]
    if isinstance(source_of, Framework):
        cited.append(
            f"version {source_of.version}"
            + (f" of {source_of.released}" if source_of.released else "")
        )
    parts = ["Source: " + ", ".join(part for part in cited if part) + "."]
    if source.get("attribution"):
        parts.append(source["attribution"])
    if source.get("licence"):
        licence = source["licence"]
        if source.get("licence_url"):
            licence += f" ({_address(source['licence_url'])})"
        parts.append(f"Licence: {licence}.")
    return " ".join(parts)


def attribution_html(source_of: Framework | Guidance) -> str:
    """:func:`attribution_text` as a small paragraph."""
    text = attribution_text(source_of)
    if not text:
        return ""
    return f'<p class="coach-attribution {NO_MATH}"><small>{esc(text)}</small></p>'


def version_note_text(against: Framework, newest: Framework) -> str:
    """Under a record made against an older text: that it was, and how to see what changed
    since ("" when it was made against the newest)."""
    if against.version >= newest.version:
        return ""
    return (
        f"Made against {against.version_label} of this framework ({against.title}), shown "
        f"in that text's words. {newest.version_label.capitalize()} is newer: "
        f"coach frameworks diff {newest.id} {against.version} {newest.version} shows what "
        "changed."
    )


def version_note_html(against: Framework, newest: Framework) -> str:
    """Under a record made against an older text: that it was, and where to see what
    changed since."""
    if against.version >= newest.version:
        return ""
    return (
        f'<p class="coach-version-note {NO_MATH}"><em>Made against {esc(against.version_label)}'
        f" of this framework ({esc(against.title)}), shown in that text's words. "
        f"{esc(newest.version_label).capitalize()} is newer: "
        f"<code>coach frameworks diff {esc(newest.id)} {against.version} {newest.version}</code> "
        "shows what changed.</em></p>"
    )


def job_roles_html(guidance: Guidance, tracks: Sequence[Framework], roles: pd.DataFrame) -> str:
    """Each person's job-role reading across the tracks, with coachlib's decisions on the
    cases the source leaves open and the source's credit."""
    rows = []
    columns = [roles[name].tolist() for name in ("coachee", *(t.id for t in tracks), "reading")]
    for coachee, *levels, reading in zip(*columns, strict=True):  # columns, not a dict a row
        rows.append((coachee, *("—" if missing(lv) else f"{int(lv)}" for lv in levels), reading))
    header = ["Coachee", *(f"{track.title} (coach's latest)" for track in tracks), "Job role"]
    out = [
        table_html(
            f"Job role across the tracks: {guidance.title}",
            header,
            rows,
            css_class="coach-table coach-keys",
        )
    ]  # names on one line
    decisions = sorted({d for ds in roles["decisions"] for d in ds})
    if decisions:
        out.append(
            f'<div class="{NO_MATH}"><p><strong>Where the source leaves the case '
            "open, coachlib reads it this way:</strong></p><ul>"
            + "".join(f"<li>{esc(d)}</li>" for d in decisions)
            + "</ul></div>"
        )
    out.append(
        paragraph(
            "Read from each person's latest milestones by the coach, as the guidance says "
            "now (also for milestones recorded against an older text of a track); a track "
            "with no review counts as not started."
        )
    )
    out.append(attribution_html(guidance))
    return "\n".join(out)


def texts_html(framework: Framework, review: Review | None, *, title: str) -> str:
    """Evidence, reflection and next steps of one review, one block per skill."""
    if review is None:
        return f'<p class="coach-empty">{esc(title)}: nothing saved yet.</p>'
    out = [
        f'<section class="coach-texts {NO_MATH}">',
        f"<h3>{esc(title)} ({esc(_day(review.when.astimezone(UTC)))}, by "
        f"{esc(review.author)})</h3>",
    ]
    marks = {mark.id: mark.name for mark in framework.marks}
    for assessment in review.assessments:
        if len(review.assessments) > 1:
            skill = framework.skill(assessment.skill).name
            level = (
                framework.level_name(assessment.level)
                if assessment.level is not None
                else marks.get(assessment.mark or "", assessment.mark)
            )
            out.append(f"<h4>{esc(skill)}: {esc(level)}</h4>")
        out.append("<dl>")
        for label, field in (
            ("Evidence", "evidence"),
            ("Reflection", "reflection"),
            ("Next steps", "next_steps"),
            ("Note", "note"),
        ):
            if getattr(assessment, field):
                out.append(f"<dt>{label}</dt><dd>{esc(getattr(assessment, field))}</dd>")
        out.append("</dl>")
    if review.sessions:
        listed = "; ".join(_session_words(sid) for sid in review.sessions)
        out.append(f"<p><strong>Logged sessions attached as evidence:</strong> {esc(listed)}</p>")
    if review.notes:
        out.append(f"<p><strong>Session notes:</strong> {esc(review.notes)}</p>")
    out.append("</section>")
    return "\n".join(out)


def handover_html(review: Review | None, framework: Framework | None = None) -> str:
    """The coach's latest hand-over note, which the coachee's summary opens with: the
    coach's own words on where the coachee stands, what changed and what's next, dated and
    signed. Only the hand-over note: a review's private note is never shown anywhere."""
    if review is None or not review.handover_note:
        return ""
    on = f" on {esc(framework.title)}" if framework is not None else ""
    return (
        f'<section class="coach-handover {NO_MATH}" aria-labelledby="coach-handover">'
        f'<h2 id="coach-handover">From your coach</h2>'
        f"<p>{esc(review.handover_note)}</p>"
        f"<p><em>{esc(review.author)}, {esc(_day(review.when.astimezone(UTC)))}{on}.</em></p>"
        "</section>"
    )


def session_words(entry, coachee: str) -> str:
    """'2026-09-06 · learning hour · Payments · designed it new': a logged session as one
    person took part in it (nothing of the others)."""
    role = SESSION_ROLES.get(entry.role_of(coachee) or "", "")
    parts = [entry.day.isoformat(), KINDS[entry.kind], entry.team, role]
    return " · ".join(part for part in parts if part)


def _session_words(session_id: str) -> str:
    """'2026-09-06, learning hour (payments)' from a logged session's id."""
    team, _, stem = session_id.partition("/")
    day, kind = stem[:10], stem[11:].rstrip("0123456789").rstrip("-")
    return f"{day}, {KINDS.get(kind, kind)} ({team})"


def problems_html(problems: Sequence[CoachError], *, named: bool = True) -> str:
    """Files that could not be read, each with file, line and what is wrong; or, in a page
    made to be handed over (``named=False``), only how many: a sponsor's copy must not
    carry the coach's folders, and the command that made it names each file itself."""
    if not problems:
        return ""
    if not named:
        return (
            f'<div class="coach-problems {NO_MATH}" role="alert"><p><strong>'
            f"{len(problems)} file(s) of the journal or the session log could not be read "
            "and are left out</strong> (the command that made this page names them, as "
            "does <code>coach doctor</code>).</p></div>"
        )
    items = "".join(f"<li><code>{esc(str(p))}</code></li>" for p in problems)
    return (
        f'<div class="coach-problems {NO_MATH}" role="alert"><p><strong>'
        f"{len(problems)} file(s) could not be read and are left out:</strong></p>"
        f"<ul>{items}</ul></div>"
    )


PHONE_WIDTH = "37.5em"  # 600 px at the browser's default font: a phone held upright


def figure_html(
    png: bytes, description: str, *, details: str | None = None, narrow: bytes | None = None
) -> str:
    """A chart as an <img> with its text alternative, and the same text as a visible caption.

    HTML, not an image output: JupyterLab shows a PNG output without any alt text, so the
    chart and its words travel together in notebooks, exported pages and Voilà alike.
    ``details`` (HTML, e.g. a table of the values) replaces the caption for charts with too
    many values for a sentence: it goes in a <details> element a reader can open.
    ``narrow`` (PNG) is the same chart drawn for a phone: the browser shows it instead on a
    screen narrower than PHONE_WIDTH, where the wide one would shrink its labels to specks.
    """
    data = base64.b64encode(png).decode("ascii")
    source = ""
    if narrow is not None:
        small = base64.b64encode(narrow).decode("ascii")
        source = (
            f'<source media="(max-width: {PHONE_WIDTH})" srcset="data:image/png;base64,{small}">'
        )
    figure = (
        f'<figure class="coach-figure {NO_MATH}" tabindex="0">'
        + (f"<picture>{source}" if source else "")
        + f'<img src="data:image/png;base64,{data}" alt="{html.escape(description, quote=True)}"'
        + (' style="max-width:100%;height:auto">' if source else ">")
        + ("</picture>" if source else "")
        + "</figure>"
    )
    if details is None:
        caption = f'<p class="coach-caption {NO_MATH}">{esc(description)}</p>'
    else:
        caption = (
            f'<details class="coach-caption {NO_MATH}"><summary>'
            f"{esc(description)} Show the values as a table.</summary>{details}</details>"
        )
    return figure + "\n" + caption


def paragraph(text: str) -> str:
    return f'<p class="{NO_MATH}">{esc(text)}</p>'


def rating_text(framework: Framework, level: object, mark: object = None) -> str:
    """'3 Practice', 'Waived' or 'not rated'."""
    if isinstance(mark, str) and mark:
        names = {m.id: m.name for m in framework.marks}
        return names.get(str(mark), str(mark))
    if missing(level):
        return "not rated"
    number = int(cast(float, level))
    return f"{number} {framework.level_name(number)}"


PARTS_HEADERS = (
    "Part",
    "Skills",
    "Rated by coach",
    "Rated by self",
    "Agree",
    "Differ by 1",
    "Differ by 2+",
)


def parts_rows(framework: Framework, table: Sequence[SkillLatest]) -> list[tuple[str | int, ...]]:
    """One row per top-level group (``PARTS_HEADERS``): how many skills, how many coach and
    self rated, and how many of the gaps are 0, 1 and 2 or more (``table``: the rows of
    ``views.ratings.latest_by_skill``)."""
    by_skill = {row.skill: row for row in table}
    rows: list[tuple[str | int, ...]] = []
    for group in framework.groups:
        ids = [skill.id for skill in group.all_skills()]
        if not ids:
            continue
        part = [by_skill[skill] for skill in ids]
        gaps = [abs(row.gap) for row in part if row.gap is not None and not missing(row.gap)]
        rows.append(
            (
                group.label,
                len(ids),
                sum(row.coach is not None for row in part)
                + sum(row.coach_mark is not None for row in part),
                sum(row.self is not None for row in part)
                + sum(row.self_mark is not None for row in part),
                sum(gap == 0 for gap in gaps),
                sum(gap == 1 for gap in gaps),
                sum(gap >= 2 for gap in gaps),
            )
        )
    return rows


def parts_summary_html(framework: Framework, table: Sequence[SkillLatest]) -> str:
    """One row per top-level group: how many skills coach and self rated, and the gaps."""
    return table_html(
        f"{framework.title}: ratings per part",
        list(PARTS_HEADERS),
        parts_rows(framework, table),
    )


def skills_table_html(
    framework: Framework, group, table: pd.DataFrame, *, advice: bool = True
) -> str:
    """Latest coach and self rating of each skill of one part (``advice=False``, for the
    coachee's summary: the gap without the coach's advice on it)."""
    by_skill = table.set_index("skill")
    rows = []
    for skill in group.all_skills():
        row = by_skill.loc[skill.id]
        rows.append(
            (
                skill.name,
                rating_text(framework, row["coach"], row["coach_mark"]),
                rating_text(framework, row["self"], row["self_mark"]),
                short_gap(None if missing(row["gap"]) else int(row["gap"]), advice=advice),
            )
        )
    return table_html(
        f"Latest ratings: {group.label}", ["Skill", "Coach", "Self", "Coach and self"], rows
    )


def skill_notes_html(framework: Framework, history: pd.DataFrame) -> str:
    """The latest rating of each skill by coach and self, with its note and ticked criteria."""
    rows = history[history["framework"] == framework.id]
    latest = rows.drop_duplicates(subset=["skill", "role"], keep="last").set_index(
        ["skill", "role"]
    )
    out = []
    for skill in framework.skills:
        cells = []
        for role in REVIEWER_ROLES:
            if (skill.id, role) not in latest.index:
                cells.append("")
                continue
            row = latest.loc[(skill.id, role)]
            text = rating_text(framework, row["level"], row["mark"])
            text += f" ({row['when'].date()})"
            if row["note"]:
                text += f"\n{row['note']}"
            if row["criteria_met"]:
                text += "\nEvidence ticked: " + "; ".join(row["criteria_met"])
            cells.append(text)
        if any(cells):
            out.append((skill.name, *cells))
    if not out:
        return ""
    return table_html(
        f"Latest ratings with notes: {framework.title}", ["Skill", "Coach", "Self"], out
    )


def matrix_html(caption: str, matrix: pd.DataFrame) -> str:
    """A coachee x column matrix of levels as an accessible table ('–' where not rated)."""

    def cell(value: float) -> str:
        if missing(value):
            return "–"
        return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"

    rows = [(index, *(cell(v) for v in values)) for index, values in matrix.iterrows()]
    return table_html(caption, ["Coachee", *map(str, matrix.columns)], rows)
