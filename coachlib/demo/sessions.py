"""The demo workspace's session log: coaching blocks over a year for two teams.

Each team has three coaching blocks of four weeks: learning hours (from the Samman
catalogue) and ensemble sessions, with a retrospective now and then and mentoring later
in the year. Who leads and in which role follows each coachee's demo trajectory, so the
evidence beside a milestone and the coach's recorded milestone tell one story, with the
log running a little ahead of the reviews now and then ("ready for a review?").
Deterministic for a given ``today`` and seed.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from ..model.block_summary import BlockSummary, new_block_summary
from ..model.catalogue import LearningHour
from ..model.sessionlog import LogEntry, new_entry

TEAMS = {"Payments": ("Ada Lovelace", "Björn Ångström"), "Search": ("Mei Chen", "Tomás O'Brien")}
LEARNING_HOUR_ROLE = {
    0: "took-part",
    1: "led-from-materials",
    2: "led-adapted",
    3: "designed",
    4: "series",
    5: "mentored-coach",
}
ENSEMBLE_ROLE = {
    0: "took-part",
    1: "typist",
    2: "facilitated",
    3: "facilitated",
    4: "designed",
    5: "mentored-coach",
}
WENT_WELL = [
    "Everyone typed at least once; rotations stayed at four minutes.",
    "The team asked for a follow-up session on the same topic.",
    "Quieter developers spoke up in the retrospective.",
    "The kata fitted the hour well; nobody was lost.",
    "The team used the new refactoring straight away in production code.",
]
CHALLENGES = [
    "Two people joined late and missed the introduction.",
    "The build was slow, which cost ten minutes of the ensemble.",
    "A production incident pulled half the team away.",
    "The discussion about mocks went round in circles.",
]
BUSINESS_VALUE = [
    "Fewer defects reported on the checkout flow this month.",
    "The team now pairs on risky changes without being asked.",
    "Lead time for small changes dropped from days to hours.",
    "New joiners get productive sooner in the ensemble.",
]
NEXT = [
    "Pick a legacy module for the next ensemble.",
    "Repeat the kata with a stricter time box.",
    "Plan the next block with the team lead.",
    "Let the coachee prepare the next learning hour.",
]


def demo_log(
    *, today: date, seed: int, catalogue: tuple[LearningHour, ...], trajectories: dict
) -> list[LogEntry]:
    """The demo teams' sessions over the year before ``today``.

    ``trajectories`` maps a coachee to (ensemble start, end, learning-hour start, end).
    """
    rng = random.Random(seed)
    entries: list[LogEntry] = []
    hours = [entry for entry in catalogue if entry.difficulty <= 3]
    for team_index, (team, people) in enumerate(TEAMS.items()):
        for block in range(3):
            start = today - timedelta(days=340 - block * 120 - team_index * 10)
            for week in range(4):
                for slot in range(4):  # two learning hours and two ensembles a week
                    day = start + timedelta(days=week * 7 + slot + (1 if slot >= 2 else 0))
                    if day >= today:
                        continue
                    year_part = 1 - (today - day).days / 365
                    kind = "learning-hour" if slot % 2 == 0 else "ensemble"
                    if kind == "ensemble" and week == 3 and slot == 3:
                        kind = "retrospective"
                    lead = people[(week + slot + block) % 2]
                    roles = []
                    for person in people:
                        ens_from, ens_to, lh_from, lh_to = trajectories[person]
                        level_now = (
                            ens_from + (ens_to - ens_from) * year_part
                            if kind != "learning-hour"
                            else lh_from + (lh_to - lh_from) * year_part
                        )
                        # the log runs a little ahead of the recorded milestones
                        level_now = min(5, round(level_now + 0.4))
                        if person != lead:
                            roles.append((person, "took-part"))
                        elif kind == "retrospective":
                            roles.append((person, "led-retro"))
                        elif kind == "learning-hour":
                            roles.append((person, LEARNING_HOUR_ROLE[level_now]))
                        else:
                            roles.append((person, ENSEMBLE_ROLE[level_now]))
                    hour = rng.choice(hours) if kind == "learning-hour" else None
                    entry = new_entry(
                        day=day,
                        kind=kind,
                        team=team,
                        people=roles,
                        author="Morgan Reyes",
                        material=hour.title
                        if hour
                        else rng.choice(
                            [
                                "Gilded Rose kata on the team's code",
                                "Legacy payments module",
                                "Approval tests for the search ranking",
                            ]
                        ),
                        learning_hour=hour.url if hour else "",
                        minutes=60
                        if kind == "learning-hour"
                        else 120
                        if kind == "ensemble"
                        else 45,
                        participants=rng.randint(4, 8),
                        status={
                            "went_well": rng.choice(WENT_WELL),
                            "challenges": rng.choice(CHALLENGES) if rng.random() < 0.6 else "",
                            "business_value": rng.choice(BUSINESS_VALUE) if slot == 3 else "",
                            "next_steps": rng.choice(NEXT),
                        },
                        today=today,
                    )
                    logged = datetime.combine(day, time(17, slot * 5), tzinfo=UTC)
                    entries.append(replace(entry, logged=logged))
            mentoring_day = start + timedelta(days=26)
            if block == 2 and mentoring_day < today:
                mentor = people[0]
                entry = new_entry(
                    day=mentoring_day,
                    kind="mentoring",
                    team=team,
                    people=[(mentor, "took-part")],
                    author="Morgan Reyes",
                    material="Planning a learning hour together",
                    minutes=45,
                    stage="we-do",
                    status={"went_well": "Planned the next session side by side."},
                    today=today,
                )
                entries.append(
                    replace(entry, logged=datetime.combine(mentoring_day, time(18), tzinfo=UTC))
                )
    return sorted(entries, key=lambda e: (e.day, e.logged))


SYNTHESES = {
    "Payments": "The team now starts risky changes with a test and pairs on them without "
    "being asked; lead time for small changes fell from days to hours. A slow build and "
    "late starts cost us time in the ensembles. Next block: the legacy payments module in "
    "the ensemble, and Ada prepares and leads a learning hour herself.",
    "Search": "Approval tests now cover the search ranking, and the team reaches for them "
    "before touching it. The discussion about mocks is not settled yet. Next block: test "
    "doubles in a short series of learning hours, and Mei takes over facilitating the "
    "ensemble.",
}


def demo_block_summaries(*, today: date) -> list[BlockSummary]:
    """The coach's synthesis of each team's latest finished block (the block report opens
    with it), written the day after the block ended."""
    out = []
    for team_index, team in enumerate(TEAMS):
        start = today - timedelta(days=340 - 2 * 120 - team_index * 10)
        end = start + timedelta(days=27)
        if end >= today:
            continue
        written = datetime.combine(end + timedelta(days=1), time(9), tzinfo=UTC)
        out.append(
            new_block_summary(
                team=team,
                start=start,
                end=end,
                author="Morgan Reyes",
                text=SYNTHESES[team],
                now=written,
            )
        )
    return out
