"""Generated career ladders of a given size, for `benchmarks/run.py --only import`.

Deterministic text in the shapes `coach frameworks import` reads and a real ladder has
(a section per level with group and skill headings and a bullet per criterion; a table of
skills x levels; a CSV grid), repeated until the file reaches the size asked for: what a
very large company's ladder would look like, far beyond a real one.
"""

from __future__ import annotations

LEVELS = ("Novice", "Junior", "Mid", "Senior", "Staff")


def level_sections(size: int) -> str:
    """``## Level N: Name``, ``### Group``, ``#### Skill`` and criteria bullets."""
    skills = max(1, size // (len(LEVELS) * 117))
    out = ["# Generated engineering ladder", "", "Expectations per level.", ""]
    for number, name in enumerate(LEVELS, start=1):
        out += [f"## Level {number}: {name}", ""]
        for skill in range(skills):
            if skill % 20 == 0:
                out += [f"### Group {skill // 20}", ""]
            out += [f"#### Skill {skill}",
                    f"- applies practice {skill} at level {number} without being asked to",
                    f"- explains practice {skill} to others, level {number}", ""]  # fmt: skip
    return "\n".join(out) + "\n"


def table(size: int) -> str:
    """A table with a row per skill, a column per level, a category row per 50 skills."""
    rows = max(1, size // 160)
    out = ["# Generated engineering ladder", "",
           "| Skill | " + " | ".join(f"{n} - {name}" for n, name in enumerate(LEVELS, 1)) + " |",
           "|---" * (len(LEVELS) + 1) + "|"]  # fmt: skip
    for skill in range(rows):
        if skill % 50 == 0:
            out.append(f"| Area {skill // 50} |" + " |" * len(LEVELS))
        cells = [f"does {skill} at {n}<br>and more" for n in range(1, len(LEVELS) + 1)]
        out.append(f"| Skill {skill} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def spreadsheet(size: int) -> str:
    """A CSV grid: skill, group, then a column per level."""
    rows = max(1, size // 120)
    out = ["Skill,Group," + ",".join(f"{n} - {name}" for n, name in enumerate(LEVELS, 1))]
    for skill in range(rows):
        out.append(f"Skill {skill},Group {skill // 50}," + ",".join(
            f"does {skill} at level {n}" for n in range(1, len(LEVELS) + 1)))  # fmt: skip
    return "\n".join(out) + "\n"


SHAPES = {"level-sections": (level_sections, ".md"), "table": (table, ".md"),
          "csv": (spreadsheet, ".csv")}  # fmt: skip
