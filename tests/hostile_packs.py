"""Returned packs that must be refused, each with the reason (for tests/test_packs.py).

Each case builds a pack (a folder or a zip) from a good one and names what the refusal
must say. A case may refuse the whole pack or only the bad record; either way nothing
bad reaches the journal and the command says why, in one line, naming the file.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RECORD = "journal/ada-lovelace"


@dataclass(frozen=True)
class HostilePack:
    name: str
    reason: str  # a piece of the refusal message
    build: Callable[[Path, Path], Path]  # (good pack folder, scratch folder) -> bad pack


def _copy(good: Path, scratch: Path, name: str) -> Path:
    bad = scratch / name
    shutil.copytree(good, bad, symlinks=True)
    return bad


def _a_record(pack: Path) -> Path:
    return sorted((pack / RECORD).glob("*.yaml"))[0]


def _edit_record(change: Callable[[str], str]):
    def build(good: Path, scratch: Path) -> Path:
        bad = _copy(good, scratch, "pack")
        record = _a_record(bad)
        text = record.read_text(encoding="utf-8")
        new = record.with_name("29990101T000000.000000Z-samman-ensemble-self.yaml")
        new.write_text(change(text), encoding="utf-8")
        return bad

    return build


def _write(name: str, data: bytes | str):
    def build(good: Path, scratch: Path) -> Path:
        bad = _copy(good, scratch, "pack")
        target = bad / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
        return bad

    return build


def _manifest(change: Callable[[str], str]):
    def build(good: Path, scratch: Path) -> Path:
        bad = _copy(good, scratch, "pack")
        manifest = bad / "pack.yaml"
        manifest.write_text(change(manifest.read_text(encoding="utf-8")), encoding="utf-8")
        return bad

    return build


def _zip(entries: Callable[[Path], list[tuple[zipfile.ZipInfo | str, bytes]]]):
    def build(good: Path, scratch: Path) -> Path:
        target = scratch / "pack.zip"
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(good.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(good).as_posix())
            with warnings.catch_warnings():  # a name given twice is the point of one case
                warnings.simplefilter("ignore", UserWarning)
                for info, data in entries(good):
                    archive.writestr(info, data)
        return target

    return build


def _symlinked(good: Path, scratch: Path) -> Path:
    bad = _copy(good, scratch, "pack")
    (bad / RECORD / "20990101T000000.000000Z-link-self.yaml").symlink_to("/etc/passwd")
    return bad


def _fifo(good: Path, scratch: Path) -> Path:
    bad = _copy(good, scratch, "pack")
    os.mkfifo(bad / RECORD / "20990101T000000.000000Z-fifo-self.yaml")
    return bad


def _linked_journal(good: Path, scratch: Path) -> Path:
    bad = _copy(good, scratch, "pack")
    (bad / "journal" / "elsewhere").symlink_to(scratch.parent)
    return bad


def _many_records(good: Path, scratch: Path) -> Path:
    bad = _copy(good, scratch, "pack")
    text = _a_record(bad).read_text(encoding="utf-8")
    for index in range(1_001):
        stamp = f"2026010{index % 9 + 1}T{index // 3600 % 24:02d}{index // 60 % 60:02d}"
        (bad / RECORD / f"{stamp}{index % 60:02d}.{index:06d}Z-x-self.yaml").write_text(text)
    return bad


def _symlink_entry(good: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    info = zipfile.ZipInfo(f"{RECORD}/20990101T000000.000000Z-link-self.yaml")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return [(info, b"/etc/passwd")]


def _bomb(good: Path) -> list[tuple[str, bytes]]:
    return [(f"{RECORD}/20990101T000000.000000Z-bomb-self.yaml", b"a" * 900_000)]


def _too_big(good: Path) -> list[tuple[str, bytes]]:
    return [(f"{RECORD}/20990101T000000.000000Z-big-self.yaml", os.urandom(1_200_000))]


CORPUS = [
    HostilePack("a coach's review", "self-reviews only",
                _edit_record(lambda t: t.replace("role: self", "role: coach"))),
    HostilePack("another coachee's record", "in the pack of",
                _edit_record(lambda t: t.replace("coachee: Ada Lovelace", "coachee: Mei Chen"))),
    HostilePack("written by someone else", "written by the coachee",
                _edit_record(lambda t: t.replace("author: Ada Lovelace", "author: Morgan Reyes"))),
    HostilePack("another framework", "not the pack's",
                _edit_record(lambda t: t.replace("framework: samman-ensemble",
                                                 "framework: samman-learning-hour"))),
    HostilePack("unknown framework", "framework",
                _edit_record(lambda t: t.replace("framework: samman-ensemble",
                                                 "framework: no-such-framework"))),
    HostilePack("a level off the scale", "not on the scale",
                _edit_record(lambda t: t.replace("level: ", "level: 9 #", 1))),
    HostilePack("an unknown skill", "unknown skill",
                _edit_record(lambda t: t.replace("skill: ensemble-facilitation",
                                                 "skill: hacking"))),
    HostilePack("a date in the future", "in the future",
                _edit_record(lambda t: re.sub(r"when: '\d{4}", "when: '2099", t))),
    HostilePack("a date out of range", "outside the years",
                _edit_record(lambda t: re.sub(r"when: '\d{4}", "when: '3026", t))),
    HostilePack("a python tag", "not plain YAML",
                _edit_record(lambda t: t + "x: !!python/object/apply:os.system ['true']\n")),
    HostilePack("a key given twice", "given twice",
                _edit_record(lambda t: t + "role: self\n")),
    HostilePack("an alias bomb", "aliases",
                _edit_record(lambda t: "a: &a [x, x]\nb: [*a, *a]\n" + t)),
    HostilePack("nested too deep", "nested",
                _edit_record(lambda t: t + "deep: " + "[" * 500 + "]" * 500 + "\n")),
    HostilePack("a text over the limit", "20,000",
                _edit_record(lambda t: t.replace("reflection: ",
                                                 "reflection: " + "x" * 25_000, 1))),
    HostilePack("an unknown field", "unknown field",
                _edit_record(lambda t: t + "sneaky: true\n")),
    HostilePack("not UTF-8", "not UTF-8",
                _write(f"{RECORD}/20990101T000000.000000Z-latin1-self.yaml",
                       "coachee: Zo\xeb\n".encode("latin-1"))),
    HostilePack("not YAML", "YAML syntax error",
                _write(f"{RECORD}/20990101T000000.000000Z-junk-self.yaml", "coachee: [\n")),
    HostilePack("a symbolic link to a system file", "symbolic link", _symlinked),
    HostilePack("a symbolic link to a folder", "symbolic link", _linked_journal),
    HostilePack("a FIFO", "not a regular file", _fifo),
    HostilePack("more than 1,000 records", "more than 1,000", _many_records),
    HostilePack("no manifest", "no pack.yaml",
                lambda good, scratch: (_copy(good, scratch, "pack") / "pack.yaml").unlink()
                or scratch / "pack"),
    HostilePack("a stranger's pack", "not a coachee of this workspace",
                _manifest(lambda t: t.replace("coachee: Ada Lovelace", "coachee: Eve Stranger"))),
    HostilePack("a manifest of another format", "not a coachlib pack",
                _manifest(lambda t: t.replace("coachlib.pack/1", "something/9"))),
    HostilePack("a manifest with a framework nobody knows", "unknown framework",
                _manifest(lambda t: t.replace("framework: samman-ensemble",
                                              "framework: no-such-track"))),
    HostilePack("zip: a name that climbs out", "leaves the pack",
                _zip(lambda good: [("journal/ada-lovelace/../../../etc/x.yaml", b"x: 1\n")])),
    HostilePack("zip: an absolute name", "absolute name",
                _zip(lambda good: [("/tmp/evil.yaml", b"x: 1\n")])),
    HostilePack("zip: a symbolic link entry", "symbolic link", _zip(_symlink_entry)),
    HostilePack("zip: a bomb", "zip bomb", _zip(_bomb)),
    HostilePack("zip: a record over 1 MB", "over the limit", _zip(_too_big)),
    HostilePack("zip: a name given twice", "given twice",
                _zip(lambda good: [(f"{RECORD}/{_a_record(good).name}", b"x: 1\n")])),
    HostilePack("not a pack at all", "neither a pack folder nor a zip",
                lambda good, scratch: (scratch / "notes.txt").write_text("hello")
                and scratch / "notes.txt"),
]  # fmt: skip


# --- skills packs (Core Engineer Progression, for Priya Natarajan) ----------------------------

SKILLS_RECORD = "journal/priya-natarajan"


def _skills_record(pack: Path) -> Path:
    """A record of the part ``customer``: customer-focus-and-value, business-value, strategy."""
    return next(p for p in sorted((pack / SKILLS_RECORD).glob("*.yaml"))
                if "part: customer\n" in p.read_text(encoding="utf-8"))  # fmt: skip


def _edit_skills(change: Callable[[str], str]):
    def build(good: Path, scratch: Path) -> Path:
        bad = _copy(good, scratch, "pack")
        text = _skills_record(bad).read_text(encoding="utf-8")
        new = bad / SKILLS_RECORD / "20260101T000000.000000Z-core-engineer-progression-self.yaml"
        new.write_text(change(text), encoding="utf-8")
        return bad

    return build


def _first_assessment(text: str, extra: str) -> str:
    """The record with ``extra`` lines added to its first assessment."""
    return text.replace("  - skill: customer-focus-and-value\n",
                        "  - skill: customer-focus-and-value\n" + extra, 1)  # fmt: skip


SKILLS_CORPUS = [
    HostilePack("skills: a coach's review", "self-reviews only",
                _edit_skills(lambda t: t.replace("role: self", "role: coach"))),
    HostilePack("skills: a level off the scale", "not on the scale",
                _edit_skills(lambda t: re.sub(r"level: \d", "level: 9", t, count=1))),
    HostilePack("skills: an unknown skill", "unknown skill",
                _edit_skills(lambda t: t.replace("skill: business-value", "skill: hacking"))),
    HostilePack("skills: a skill given twice", "assessed twice",
                _edit_skills(lambda t: t.replace("skill: business-value",
                                                 "skill: customer-focus-and-value"))),
    HostilePack("skills: a criterion not under its level", "criterion not under this level",
                _edit_skills(lambda t: t.replace("criteria_met:\n",
                                                 "criteria_met:\n      - I run the company\n", 1))),
    HostilePack("skills: an unknown mark", "unknown mark",
                _edit_skills(lambda t: _first_assessment(t, "    mark: bribed\n").replace(
                    "level: 5", "level: null", 1))),
    HostilePack("skills: an unknown part", "unknown part",
                _edit_skills(lambda t: t.replace("part: customer", "part: secret-part"))),
    HostilePack("skills: a skill outside its part", "is not in the part",
                _edit_skills(lambda t: t.replace("part: customer", "part: people-culture"))),
    HostilePack("skills: a version nobody has", "framework_version",
                _edit_skills(lambda t: t.replace("framework_version: 1", "framework_version: 7"))),
    HostilePack("skills: a changed framework text", "differs from the one installed",
                _edit_skills(lambda t: re.sub(r"framework_hash: \w+",
                                              "framework_hash: 0badc0ffee00", t))),
    HostilePack("skills: a milestone record in a skills pack", "not the pack's",
                _edit_skills(lambda t: t.replace("framework: core-engineer-progression",
                                                 "framework: samman-ensemble"))),
    HostilePack("skills: the coach's private note", "private note",
                _edit_skills(lambda t: t.replace("assessments:\n",
                                                 "private_note: planted\nassessments:\n"))),
    HostilePack("skills: another coachee's record", "in the pack of",
                _edit_skills(lambda t: t.replace("coachee: Priya Natarajan",
                                                 "coachee: Sam Okafor"))),
    HostilePack("skills: a manifest naming a framework nobody has", "unknown framework",
                _manifest(lambda t: t.replace("framework: core-engineer-progression",
                                              "framework: no-such-matrix"))),
    HostilePack("skills: a manifest naming a milestone track", "not the pack's",
                lambda good, scratch: _manifest(lambda t: t.replace(
                    "framework: core-engineer-progression", "framework: samman-ensemble"))(
                    good, scratch)),
]  # fmt: skip
