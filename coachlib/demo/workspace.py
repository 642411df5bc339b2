"""A demo workspace: a small team with a year of reviews, notebooks and summaries.

The journal part is deterministic for a given seed and end date, so tests can build it in
a temporary folder and know what every view must show. The people are invented.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TypedDict

from ..export.new import (
    new_home_notebook,
    new_import_notebook,
    new_log_notebook,
    new_session_notebook,
)
from ..export.pool import export_all
from ..export.share import make_pack
from ..model.errors import ExportError, InputError
from ..model.frameworks import Registry
from ..model.review import Assessment, Review, new_review
from ..model.rules import REVIEWER_ROLES, WAIVED
from ..store.frameworks import registry_for
from ..store.journal import save_review
from ..store.sessionlog import load_catalogue, save_block_summary, save_entry
from ..store.workspace import Workspace
from .sessions import demo_block_summaries, demo_log

DEMO_MARKER = ".coach-demo"
COACH = "Morgan Reyes"


@dataclass(frozen=True)
class Trajectory:
    """How one coachee develops on one track over the demo year."""

    framework: str
    start: int
    end: int
    self_bias: int  # how the coachee tends to rate themselves against the coach


@dataclass(frozen=True)
class DemoCoachee:
    name: str
    tracks: tuple[Trajectory, ...]


TEAM = (
    DemoCoachee(
        "Ada Lovelace",
        (Trajectory("samman-ensemble", 1, 3, +1), Trajectory("samman-learning-hour", 0, 2, 0)),
    ),
    DemoCoachee(
        "Björn Ångström",
        (Trajectory("samman-ensemble", 2, 4, -1), Trajectory("samman-learning-hour", 1, 3, -1)),
    ),
    DemoCoachee(
        "Mei Chen",
        (Trajectory("samman-ensemble", 0, 2, 0), Trajectory("samman-learning-hour", 1, 2, +1)),
    ),
    DemoCoachee(
        "Tomás O'Brien",
        (Trajectory("samman-ensemble", 3, 4, 0), Trajectory("samman-learning-hour", 2, 3, +2)),
    ),
)

ACTIVITY = {
    "samman-ensemble": [
        "took the typist role and kept rotations flowing",
        "facilitated the retrospective and drew out three action points",
        "stepped in when two people disagreed about the design",
        "introduced a new team to the talker and typist roles",
        "used a teachable moment to show test-driven refactoring",
        "prepared the kata and the rotation timer before the session",
    ],
    "samman-learning-hour": [
        "ran the Gilded Rose learning hour from the existing plan",
        "adapted the refactoring session to the team's legacy code",
        "designed a new learning hour on approval testing",
        "planned a series of three sessions on hexagonal architecture",
        "presented a code demo live instead of using the video",
        "led the discussion after the exercise and kept everyone talking",
    ],
}
REFLECTION = [
    "Felt confident once the session got going; the start was shaky.",
    "I talked too much in the first half and noticed it late.",
    "The group engaged well; the quieter developers contributed more than last time.",
    "Time ran out before the retrospective, which I regret.",
    "It helped to prepare the exercise the day before.",
    "I was unsure how to handle the disagreement, but it worked out.",
]
NEXT_STEPS = [
    "Observe an experienced coach facilitating and take notes.",
    "Try a shorter rotation (4 minutes) next time.",
    "Prepare a learning hour on a topic the team asked for.",
    "Ask two participants for feedback after the session.",
    "Pair with another coach on planning the next series.",
    "Practise the code demo beforehand, twice.",
]


@dataclass(frozen=True)
class SkillsCoachee:
    """A coachee reviewed on the skills frameworks (Core Engineer Progression, OpenSesame)."""

    name: str
    base: int  # typical coach level at the start of the year, on a 0-5 scale
    self_bias: int


SKILLS_TEAM = (SkillsCoachee("Priya Natarajan", 2, +1), SkillsCoachee("Sam Okafor", 1, -1))
SKILLS_NOTES = [
    "Seen in the last incident review.",
    "Paired on this during the ensemble sessions.",
    "Led the discussion in the retrospective.",
    "Wants more practice before the next review.",
    "Good progress since the last review.",
    "",
    "",
]


@dataclass
class DemoResult:
    workspace: Workspace
    reviews: list[Review] = field(default_factory=list)
    notebooks: list[Path] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    inbox: list[Path] = field(default_factory=list)


def _clamp(level: int, low: int = 0, high: int = 5) -> int:
    return max(low, min(high, level))


def demo_reviews(*, today: date, seed: int = 7, team=TEAM) -> list[Review]:
    """The demo team's reviews over the year before ``today`` (deterministic)."""
    rng = random.Random(seed)
    reviews: list[Review] = []
    for person_index, person in enumerate(team):
        for track_index, track in enumerate(person.tracks):
            count = 8
            for k in range(count):
                offset = 355 - k * 46 - track_index * 9 - person_index * 3 - rng.randint(0, 4)
                day = today - timedelta(days=max(offset, 2 + person_index))
                progress = track.start + (track.end - track.start) * k / (count - 1)
                coach_level = _clamp(round(progress))
                when = datetime.combine(day, time(9 + person_index, 15 * track_index), tzinfo=UTC)
                reviews.append(
                    _review(rng, person.name, COACH, "coach", track.framework, coach_level, when)
                )
                if k % 2 == 1 or k == count - 1:  # the coachee reflects every other time
                    noise = rng.choice([0, 0, 0, 1, -1])
                    self_level = _clamp(coach_level + track.self_bias + noise)
                    when_self = when - timedelta(days=rng.randint(1, 3), hours=2)
                    reviews.append(
                        _review(
                            rng,
                            person.name,
                            person.name,
                            "self",
                            track.framework,
                            self_level,
                            when_self,
                        )
                    )
    reviews.extend(skills_reviews(today=today, seed=seed + 1))
    return sorted(reviews, key=lambda r: r.when)


def skills_reviews(*, today: date, seed: int, team=SKILLS_TEAM) -> list[Review]:
    """Quarterly Core Engineer Progression and half-yearly OpenSesame reviews, per part."""

    registry = registry_for(None)
    cep = registry.get("core-engineer-progression")
    opensesame = registry.get("opensesame-career-skills")
    rng = random.Random(seed)
    reviews: list[Review] = []
    for index, person in enumerate(team):
        base = {s.id: _clamp(person.base + rng.choice([-1, 0, 0, 1])) for s in cep.skills}
        for quarter in range(4):
            day = today - timedelta(days=330 - quarter * 91 - index * 5)
            for role in REVIEWER_ROLES:
                when = datetime.combine(day, time(13, 0), tzinfo=UTC)
                if role == "self":
                    when -= timedelta(days=2)
                author = COACH if role == "coach" else person.name
                for group in cep.groups:
                    assessments = []
                    for skill in group.skills:
                        level = _clamp(base[skill.id] + (quarter + rng.randint(0, 1)) // 2)
                        if role == "self":
                            level = _clamp(level + person.self_bias + rng.choice([0, 0, 0, 1, -1]))
                        criteria = skill.criteria.get(level, ())
                        ticked = tuple(criteria[: rng.randint(0, min(2, len(criteria)))])
                        assessments.append(
                            Assessment(
                                skill.id, level, note=rng.choice(SKILLS_NOTES), criteria_met=ticked
                            )
                        )
                    reviews.append(
                        new_review(
                            coachee=person.name,
                            framework=cep.id,
                            author=author,
                            role=role,
                            when=when,
                            assessments=assessments,
                            part=group.id,
                            notes=f"Quarterly review, {group.name}.",
                            **(_skills_coach_notes(person.name) if role == "coach" else {}),
                        )
                    )
        tiers = opensesame.groups[:3]  # All Engineers, Software and Senior Software Engineers
        for half in range(2):
            day = today - timedelta(days=200 - half * 182 - index * 4)
            for role in REVIEWER_ROLES:
                when = datetime.combine(day, time(15, 0), tzinfo=UTC)
                author = COACH if role == "coach" else person.name
                for tier in tiers:
                    for skill_set in tier.groups:
                        assessments = []
                        for skill in skill_set.skills:
                            if skill.id in ("in-person-attendance", "opensesame-qualified"):
                                assessments.append(Assessment(skill.id, None, mark=WAIVED))
                                continue
                            top = 3 - tiers.index(tier)
                            level = min(3, max(0, rng.randint(top - 2, top) + half))
                            if role == "self":
                                level = min(3, max(0, level + rng.choice([0, 0, 1, -1])))
                            assessments.append(Assessment(skill.id, level))
                        reviews.append(
                            new_review(
                                coachee=person.name,
                                framework=opensesame.id,
                                author=author,
                                role=role,
                                when=when,
                                assessments=assessments,
                                part=skill_set.id,
                                notes="Career skills check-in.",
                            )
                        )
    return reviews


class _CoachNotes(TypedDict, total=False):
    """The coach's notes a demo review carries (keyword arguments of ``new_review``)."""

    handover_note: str
    private_note: str


def _skills_coach_notes(name: str) -> _CoachNotes:
    first = name.split()[0]
    return {
        "handover_note": f"{first} grew steadily this quarter, most in the parts practised "
        "in the ensemble. What's next: pick one skill to practise before the next review.",
        "private_note": f"PRIVATE demo note on {first}: asked about a move to another "
        "team; not to be mentioned yet.",
    }


def _review(
    rng: random.Random,
    coachee: str,
    author: str,
    role: str,
    framework: str,
    level: int,
    when: datetime,
) -> Review:
    skill = "ensemble-facilitation" if framework == "samman-ensemble" else "learning-hour-teaching"
    first = coachee.split()[0]
    who = "I" if role == "self" else first
    activity = rng.choice(ACTIVITY[framework])
    evidence = f"{who} {activity}."
    if rng.random() < 0.5:
        evidence += f"\nAlso: {rng.choice(ACTIVITY[framework])}."
    reflection, next_steps = rng.choice(REFLECTION), rng.choice(NEXT_STEPS)
    return new_review(
        coachee=coachee,
        framework=framework,
        author=author,
        role=role,
        when=when,
        assessments=[
            Assessment(
                skill=skill,
                level=level,
                evidence=evidence,
                reflection=reflection,
                next_steps=next_steps,
            )
        ],
        notes=f"Session {when.date().isoformat()}.",
        **(_coach_notes(first, level, activity, next_steps) if role == "coach" else {}),
    )


def _coach_notes(first: str, level: int, activity: str, next_steps: str) -> _CoachNotes:
    """The coach's hand-over and private notes on a demo review (no random draws, so the
    rest of the demo stays as it was). The private note says it is one, so a person
    trying the demo can check that no page, pack or export shows it."""
    return {
        "handover_note": f"{first} stands at milestone {level} on this track. What changed: "
        f"{first} {activity}. What's next: {next_steps[:1].lower()}{next_steps[1:]}",
        "private_note": f"PRIVATE demo note on {first}: stretched by on-call this month; "
        "ask how it went before pushing the next step.",
    }


def build_demo_journal(
    root: str | Path, *, today: date | None = None, seed: int = 7, registry: Registry | None = None
) -> DemoResult:
    """Create a workspace at ``root`` holding the demo journal (no notebooks)."""
    workspace = Workspace.open(root, create=True)
    workspace.write_file(workspace.root / DEMO_MARKER, "made by `coach demo`\n")
    registry = registry or registry_for(workspace.root)
    result = DemoResult(workspace=workspace)
    today = today or date.today()
    for review in demo_reviews(today=today, seed=seed):
        # made against the text that was current that day: a year of reviews spans the
        # Samman rewrite of March 2026
        text = registry.current_on(review.framework, review.when.date().isoformat())
        review = replace(review, framework_version=text.version, framework_hash=text.digest)
        result.reviews.append(save_review(workspace, review, registry))
    trajectories = {
        person.name: (
            person.tracks[0].start,
            person.tracks[0].end,
            person.tracks[1].start,
            person.tracks[1].end,
        )
        for person in TEAM
    }
    for entry in demo_log(
        today=today, seed=seed, catalogue=load_catalogue(None), trajectories=trajectories
    ):
        save_entry(workspace, entry)
    for summary in demo_block_summaries(today=today):
        save_block_summary(workspace, summary)
    return result


def returned_pack(workspace: Workspace, person: DemoCoachee, today: date) -> Path:
    """A pack as it comes back: made for ``person``, and the self-review they saved in it
    (so a new user can try `coach collect` at once)."""
    framework = person.tracks[0].framework
    inbox = workspace.make_folder(workspace.inbox_dir)
    pack = make_pack(
        workspace,
        coachee=person.name,
        framework=framework,
        to=inbox / f"{person.name.split()[0].lower()}-{framework}",
    )
    registry = registry_for(pack.path)
    skill = registry.get(framework).track_skill.id
    written = datetime.combine(today, time(8, 30), tzinfo=UTC)
    save_review(
        Workspace(pack.path),
        new_review(
            coachee=person.name,
            framework=framework,
            author=person.name,
            role="self",
            when=written,
            notes="Written in my reflection pack.",
            assessments=[
                Assessment(
                    skill,
                    person.tracks[0].end,
                    evidence="Facilitated two ensembles with the new team this month.",
                    reflection="I waited longer before stepping in; it helped.",
                    next_steps="Ask the team to run the retrospective themselves.",
                )
            ],
        ),
        registry,
    )
    return pack.path


def build_demo(
    root: str | Path,
    *,
    today: date | None = None,
    seed: int = 7,
    replace: bool = False,
    progress: Callable[[str], None] = lambda _message: None,
) -> DemoResult:
    """The full demo: journal, one session notebook per coachee, and HTML summaries."""

    root = Path(root)
    if root.exists() and any(root.iterdir()):
        if not replace:
            raise InputError(f"{root} already exists; pick another folder or use --replace")
        if not (root / DEMO_MARKER).is_file():
            raise InputError(f"{root} is not a demo workspace; refusing to replace it")
        shutil.rmtree(root)
    today = today or date.today()
    progress(f"Writing a year of reviews for {len(TEAM)} coachees…")
    result = build_demo_journal(root, today=today, seed=seed)
    # the workspace's own frameworks go here (`coach frameworks import LADDER -o frameworks/`)
    result.workspace.make_folder(result.workspace.frameworks_dir)
    for person in TEAM:
        track = person.tracks[0].framework
        progress(f"Making {person.name}'s session notebook ({track})…")
        made = new_session_notebook(
            result.workspace, framework=track, coachee=person.name, author=COACH, on=today
        )
        result.notebooks.append(made.path)
    for skilled, framework in zip(
        SKILLS_TEAM, ("core-engineer-progression", "opensesame-career-skills"), strict=True
    ):
        progress(f"Making {skilled.name}'s session notebook ({framework})…")
        made = new_session_notebook(
            result.workspace, framework=framework, coachee=skilled.name, author=COACH, on=today
        )
        result.notebooks.append(made.path)
    first = TEAM[0]
    progress(f"Making a self-review notebook for {first.name}…")
    made = new_session_notebook(
        result.workspace,
        framework=first.tracks[0].framework,
        coachee=first.name,
        author=first.name,
        role="self",
        on=today,
    )
    result.notebooks.append(made.path)
    progress(f"Making a reflection pack for {first.name}, returned with a new self-review…")
    result.inbox.append(returned_pack(result.workspace, first, today))
    progress("Making the home notebook…")
    result.notebooks.insert(0, new_home_notebook(result.workspace))
    result.notebooks.insert(1, new_log_notebook(result.workspace))
    result.notebooks.insert(2, new_import_notebook(result.workspace))
    progress(f"Exporting the HTML summaries of {len(TEAM) + len(SKILLS_TEAM)} coachees…")
    exported = export_all(result.workspace, as_of=today)
    if exported.failed:
        coachee, reason = exported.failed[0]
        raise ExportError(f"the summary of {coachee} failed: {reason}")
    result.reports.extend(exported.written)
    return result
