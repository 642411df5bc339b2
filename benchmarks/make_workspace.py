"""Make a synthetic but realistic workspace for the benchmarks (deterministic, seeded).

    python benchmarks/make_workspace.py --coachees 500 --months 24 DIR

Every coachee is reviewed once a month by the coach and by themselves, on one of the three
frameworks in turn (the two Samman tracks and the 28 skills of the Core Engineer
Progression), with text of realistic length in evidence, reflection and next steps.
500 coachees x 24 months x 2 roles = 24,000 review files.

Files are written with the journal's own format and names, but without its per-file
fsync (a generator, not a coach at work: 24,000 fsyncs would only measure the disk).
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coachlib.model import safeyaml
from coachlib.model.review import Assessment, new_review
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import record_file_names
from coachlib.store.workspace import NAME_MARKER, Workspace

FRAMEWORKS = ("samman-ensemble", "samman-learning-hour", "core-engineer-progression")
FIRST = [
    "Ada",
    "Björn",
    "Chen",
    "Dana",
    "Emeka",
    "Fatima",
    "Grace",
    "Hiro",
    "Inès",
    "Jonas",
    "Kwame",
    "Lena",
    "Mateo",
    "Noor",
    "Olga",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomás",
]
LAST = ["Lovelace", "Ångström", "Wei", "Okafor", "Natarajan", "García", "Müller", "Kowalski",
        "O'Brien", "Haddad", "Sato", "Dubois", "Rossi", "Novak", "Silva", "Eriksen"]  # fmt: skip
WORDS = [
    "the",
    "team",
    "ensemble",
    "rotation",
    "typist",
    "talker",
    "retrospective",
    "refactoring",
    "tests",
    "design",
    "facilitated",
    "learning",
    "hour",
    "kata",
    "session",
    "developers",
    "code",
    "review",
    "pairing",
    "feedback",
    "showed",
    "clearly",
    "improved",
    "confidence",
    "quieter",
    "people",
    "contributed",
    "approval",
    "testing",
    "legacy",
    "module",
    "deployment",
    "pipeline",
    "mentoring",
    "coaching",
    "goals",
    "next",
    "time",
    "practice",
]


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, characters: int) -> str:
    out = ""
    while len(out) < characters:
        out += sentence(rng, 6, 16) + (" " if rng.random() < 0.8 else "\n")
    return out.strip()


def coachee_name(index: int) -> str:
    return f"{FIRST[index % len(FIRST)]} {LAST[index // len(FIRST) % len(LAST)]} {index:03d}"


def make(root: Path, coachees: int, months: int, seed: int = 42, end: date | None = None) -> int:
    rng = random.Random(seed)
    workspace = Workspace.open(root, create=True)
    registry = registry_for(None)
    end = end or date(2026, 6, 30)
    written = 0
    for index in range(coachees):
        name = coachee_name(index)
        slug = workspace.coachee_slug(name, create=True)
        folder = workspace.journal_dir / slug
        assert (folder / NAME_MARKER).is_file()
        base = rng.randint(0, 2)
        for month in range(months):
            framework = registry.get(FRAMEWORKS[(index + month) % len(FRAMEWORKS)])
            day = end - timedelta(days=30 * (months - month) - rng.randint(0, 20))
            for role in ("coach", "self"):
                when = datetime.combine(day, time(9 + rng.randint(0, 8)), tzinfo=UTC)
                if role == "self":
                    when -= timedelta(days=rng.randint(1, 4))
                level = min(framework.max_level, base + month // 6 + rng.choice([0, 0, 1]))
                if framework.is_milestone_track:
                    assessments = [
                        Assessment(
                            framework.track_skill.id,
                            level,
                            evidence=paragraph(rng, rng.randint(200, 600)),
                            reflection=paragraph(rng, rng.randint(200, 500)),
                            next_steps=paragraph(rng, rng.randint(100, 300)),
                        )
                    ]
                else:
                    assessments = [
                        Assessment(
                            skill.id,
                            max(0, min(5, level + rng.choice([-1, 0, 0, 1]))),
                            evidence=paragraph(rng, rng.randint(40, 160)),
                            reflection=paragraph(rng, rng.randint(0, 120))
                            if rng.random() < 0.4
                            else "",
                            next_steps=paragraph(rng, rng.randint(0, 100))
                            if rng.random() < 0.3
                            else "",
                        )
                        for skill in framework.skills
                    ]
                review = new_review(
                    coachee=name, framework=framework.id, role=role, when=when,
                    author="Morgan Reyes" if role == "coach" else name,
                    assessments=assessments, notes=sentence(rng, 4, 12),
                )  # fmt: skip
                path = folder / next(record_file_names(review))
                path.write_text(safeyaml.dump(review.to_dict()), encoding="utf-8")
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--coachees", type=int, default=500)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if args.dir.exists() and any(args.dir.iterdir()):
        parser.error(f"{args.dir} is not empty")
    count = make(args.dir, args.coachees, args.months, args.seed)
    print(f"{count} review files in {args.dir}")


if __name__ == "__main__":
    main()
