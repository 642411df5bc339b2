"""Framework versions: texts side by side, every record names the one it was made against,
old journals read unchanged, edited texts are found, and levels map across versions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.model.resources import builtin_frameworks_dir
from coachlib.model.review import Assessment, new_review
from coachlib.store import doctor
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import load_journal, save_review
from coachlib.views import history

EN = "samman-ensemble"
LADDERS = Path(__file__).resolve().parent / "ladders"

# A record exactly as coachlib 0.1 (before versions) wrote it: no framework_version.
RELEASED_RECORD = """\
format: coachlib.review/1
coachee: Ada Lovelace
framework: samman-ensemble
author: Morgan Reyes
role: coach
when: '2026-01-10T10:00:00+00:00'
assessments:
- skill: ensemble-facilitation
  level: 4
  evidence: Led the retrospective.
"""


def files_of(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*.yaml"))
    }


@pytest.fixture
def released_journal(workspace):
    folder = workspace.journal_dir / "ada-lovelace"
    folder.mkdir(parents=True)
    (folder / ".name").write_text("Ada Lovelace\n")
    (folder / "20260110T100000.000000Z-samman-ensemble-coach.yaml").write_text(RELEASED_RECORD)
    return workspace


def test_a_journal_of_todays_release_reads_as_the_seed_text_and_is_never_rewritten(
    released_journal, tmp_path
):
    workspace = released_journal
    before = files_of(workspace.root)
    registry = registry_for(workspace.root)
    [review] = load_journal(workspace, registry=registry).reviews
    assert review.framework_version is None
    against = registry.of_record(review)
    assert (against.version, against.title) == (1, "Competence Milestones for Ensemble")
    frame = history.load_history(workspace, registry=registry).frame
    assert list(frame["version"]) == [1]
    assert list(frame["level_name"]) == ["Milestone 4"]
    assert list(history.load_levels(workspace, registry=registry).frame["version"]) == [1]
    assert doctor.check(workspace).count("error") == 0
    assert main(["export", "--coachee", "Ada Lovelace", "--workspace", str(workspace.root),
                 "-o", str(tmp_path / "ada.html"), "--as-of", "2026-06-30"]) == 0  # fmt: skip
    page = (tmp_path / "ada.html").read_text(encoding="utf-8")
    # the coachee's page names the text in its footer, and that a newer text exists; the
    # coach's working hint (`coach frameworks diff`) stays on the coach's review notebook
    assert "reviews made against version 1 of the text; the newest is version 2" in page
    assert "Made against" not in page and "coach frameworks diff" not in page
    assert files_of(workspace.root) == before


def test_a_new_review_is_made_against_the_newest_text_unless_one_is_named(workspace):
    from coachlib.notebook import ReviewSession

    registry = registry_for(workspace.root)
    newest = registry.get(EN)
    assert newest.version == 2
    for ref, version in ((EN, 2), (f"{EN}@1", 1)):
        session = ReviewSession(framework=ref, coachee="Ada", author="Morgan",
                                workspace=workspace.root)  # fmt: skip
        assert session.framework.version == version
        assert f"version {version}" in session.show_title().data
        form = session.review_form()
        form.picker.value = 2
        form.save_button.click()
        assert "Saved" in form.status.text, form.status.text
    saved = sorted(load_journal(workspace).reviews, key=lambda r: r.framework_version)
    assert [r.framework_version for r in saved] == [1, 2]
    assert [r.framework_hash for r in saved] == [registry.get(EN, 1).digest, newest.digest]
    assert (
        "older text"
        in ReviewSession(
            framework=f"{EN}@1", coachee="Ada", author="Morgan", workspace=workspace.root
        )
        .show_title()
        .data
    )


@pytest.mark.parametrize("ref", [f"{EN}@9", f"{EN}@x", "nope@1"])
def test_naming_a_version_that_is_not_installed_is_one_clear_line(workspace, capsys, ref):
    args = ["new", "--framework", ref, "--coachee", "A", "--author", "B", "--no-execute"]
    assert main([*args, "--workspace", str(workspace.root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("version" in err or "unknown framework" in err)


def own_framework(workspace, text: str | None = None, name="team-ensemble.yaml") -> Path:
    """A workspace framework of its own id, copied from the seed text."""
    source = (builtin_frameworks_dir() / "samman-ensemble.yaml").read_text(encoding="utf-8")
    text = text or source.replace("id: samman-ensemble\n", "id: team-ensemble\n")
    workspace.frameworks_dir.mkdir(exist_ok=True)
    path = workspace.frameworks_dir / name
    path.write_text(text, encoding="utf-8")
    return path


def save_level(workspace, framework_id: str, level: int, *, day=(2026, 5, 1)) -> None:
    registry = registry_for(workspace.root)
    framework = registry.get(framework_id)
    save_review(workspace, new_review(
        coachee="Ada", framework=framework_id, author="Morgan", role="coach",
        when=datetime(*day, 10, tzinfo=UTC),
        assessments=[Assessment(framework.track_skill.id, level)],
    ), registry)  # fmt: skip


def test_doctor_finds_a_framework_text_edited_after_records_were_saved(workspace):
    path = own_framework(workspace)
    save_level(workspace, "team-ensemble", 3)
    assert doctor.check(workspace).count("warning") == 0
    path.write_text(path.read_text() + "# a comment changes no text\n")
    assert doctor.check(workspace).count("warning") == 0
    path.write_text(path.read_text().replace("lead their retrospective", "lead a retro", 1)
                    .replace("Senior developers can join", "Developers can join", 1))  # fmt: skip
    found = [f for f in doctor.check(workspace).findings if f.severity == "warning"]
    assert len(found) == 1
    assert "1 record(s) were made against team-ensemble version 1, whose text changed" in (
        found[0].message
    )
    assert found[0].file == str(path) and "version: 2" in found[0].hint


def test_a_workspace_copy_of_a_builtin_text_is_never_a_silent_replacement(workspace, capsys):
    source = (builtin_frameworks_dir() / "samman-ensemble-2026.yaml").read_text(encoding="utf-8")
    own_framework(workspace, source, name="copy.yaml")  # the very same text: no conflict
    assert registry_for(workspace.root).problems == []
    edited = source.replace("At this level people can join", "People can join", 1)
    own_framework(workspace, edited, name="copy.yaml")
    registry = registry_for(workspace.root)
    [problem] = registry.problems
    assert problem.field == "version" and problem.file.endswith("copy.yaml")
    assert "'samman-ensemble' version 2 is already installed" in problem.message
    assert "`version: 3`" in problem.message
    assert registry.get(EN).path.name == "samman-ensemble-2026.yaml"  # the built-in stays
    assert main(["frameworks", "--workspace", str(workspace.root)]) == 1
    assert "already installed" in capsys.readouterr().err
    own_framework(workspace, edited.replace("\nversion: 2\n", "\nversion: 3\n").replace(
        "supersedes:\n  version: 1", "supersedes:\n  version: 2"), name="copy.yaml")  # fmt: skip
    registry = registry_for(workspace.root)
    assert registry.problems == [] and registry.get(EN).version == 3


def renumbered(workspace) -> None:
    """Version 3 of the ensemble track: milestones 4 and 5 merged into one, level 4."""
    text = (builtin_frameworks_dir() / "samman-ensemble-2026.yaml").read_text(encoding="utf-8")
    text = text.replace("\nversion: 2\n", "\nversion: 3\n")
    mapping = text[text.index("supersedes:") : text.index("  note:", text.index("supersedes:"))]
    text = text.replace(
        mapping,
        "supersedes:\n  version: 2\n  levels:\n"
        + "".join(f"    - {{from: {n}, to: {n}}}\n" for n in range(5))
        + "    - {from: 5, to: 4, note: milestones 4 and 5 are one now}\n",
    )
    cut = text.index("  - level: 5")
    text = text[:cut] + text[text.index("groups:", cut):]  # fmt: skip
    own_framework(workspace, text, name="samman-ensemble-v3.yaml")


def test_progress_stays_one_line_when_a_version_renumbers_levels(workspace):
    save_level(workspace, EN, 5, day=(2026, 4, 1))  # against version 2 (0-5)
    renumbered(workspace)
    registry = registry_for(workspace.root)
    assert registry.problems == [] and registry.get(EN).max_level == 4
    save_level(workspace, EN, 4, day=(2026, 6, 1))  # against version 3 (0-4)
    frame = history.load_history(workspace, registry=registry).frame
    assert list(frame["version"]) == [2, 3]
    assert list(frame["level"]) == [4, 4]  # one line on today's scale
    assert list(frame["level_name"]) == ["Milestone 5", "Milestone 4"]  # each in its words
    levels = history.load_levels(workspace, registry=registry).frame
    assert list(levels["level"]) == [4, 4]
    from coachlib.views import standing

    series = standing.progress_series(
        load_journal(workspace, registry=registry).reviews, coachee="Ada", framework=EN,
        skill="ensemble-facilitation", level_now=registry.record_level,
    )  # fmt: skip
    assert [point.level for point in series["coach"]] == [4, 4]
    assert main(["frameworks", "check", "--workspace", str(workspace.root)]) == 0


def test_check_refuses_a_mapping_that_drops_a_level(workspace, capsys):
    renumbered(workspace)
    path = workspace.frameworks_dir / "samman-ensemble-v3.yaml"
    path.write_text(path.read_text().replace(
        "    - {from: 5, to: 4, note: milestones 4 and 5 are one now}\n", ""))  # fmt: skip
    assert main(["frameworks", "check", str(path), "--workspace", str(workspace.root)]) == 1
    out = capsys.readouterr().out
    assert "supersedes.levels: level 5 (Milestone 5) of version 2 is not mapped" in out


def test_diff_shows_each_level_readably(capsys):
    assert main(["frameworks", "diff", EN]) == 0
    out = capsys.readouterr().out
    assert out.startswith("samman-ensemble: version 1 → version 2 (2026-03-12)\n")
    assert "title: Competence Milestones for Ensemble\n   now: Competence Milestones for " \
        "Ensemble Facilitation" in out  # fmt: skip
    section = out[out.index("4 · Milestone 4") : out.index("5 · Milestone 5")]
    assert "[-Senior developers now have a part-time coaching role of around 50%" in section
    assert "{+At this level, people+}" in " ".join(section.split())
    assert "job role: Part-time coaching role alongside development work (around 50%)" in section
    assert max(len(line) for line in out.splitlines()) <= 100
    assert main(["frameworks", "diff", EN, "2", "1"]) == 0  # either way round
    assert main(["frameworks", "diff", "core-engineer-progression"]) == 2
    assert "one version installed" in capsys.readouterr().err


def test_a_record_against_a_version_not_installed_is_reported(workspace):
    save_level(workspace, EN, 2)
    [path] = list((workspace.journal_dir / "ada").glob("*.yaml"))
    path.write_text(path.read_text().replace("framework_version: 2", "framework_version: 7"))
    load = load_journal(workspace, registry=registry_for(workspace.root))
    [problem] = load.problems
    assert problem.field == "framework_version" and problem.line is not None
    assert "version 7 of 'samman-ensemble', which is not installed (installed: 1, 2)" in (
        problem.message
    )


def test_importing_a_changed_ladder_again_makes_a_new_version_beside_it(tmp_path, capsys):
    target = tmp_path / "platform.yaml"
    args = ["frameworks", "import", "--id", "platform", "-o", str(target)]
    assert main([*args[:2], str(LADDERS / "platform-table.md"), *args[2:]]) == 0
    assert "version 1 of platform" in capsys.readouterr().out
    first = target.read_bytes()
    assert main([*args[:2], str(LADDERS / "platform-table.md"), *args[2:]]) == 0
    assert "Unchanged" in capsys.readouterr().out
    changed = tmp_path / "changed.md"
    changed.write_text((LADDERS / "platform-table.md").read_text().replace(
        "Reads dashboards", "Reads dashboards and logs"))  # fmt: skip
    assert main([*args[:2], str(changed), *args[2:]]) == 0
    assert "version 2 of platform beside version 1" in capsys.readouterr().out
    assert target.read_bytes() == first  # the old version is kept as it was
    newer = tmp_path / "platform-v2.yaml"
    assert main(["frameworks", "check", str(target), str(newer)]) == 0
    registry = registry_for(None)
    from coachlib.store.frameworks import load_registry

    both = load_registry([tmp_path])
    assert sorted(both.versions["platform"]) == [1, 2] and both.problems == []
    assert both.get("platform").supersedes.levels == {n: n for n in range(4)}
    assert "platform" not in registry


def test_every_builtin_url_is_a_page_of_todays_site():
    """The Samman sources point at pages that exist at the website commit the live text
    was taken from (the learning-hour seed's `training/` path is gone)."""
    registry = registry_for(None)
    live = {"society/ensemble_milestones.html", "society/learning_hour_milestones.html",
            "society/milestones_job_role.html"}  # fmt: skip
    urls = [f.source["url"] for f in registry.all_versions() if f.source.get("url")]
    urls += [g.source["url"] for g in registry.guidance]
    assert len(urls) == 5
    for url in urls:
        assert url.removeprefix("https://sammancoaching.org/") in live, url


def test_the_demo_spans_the_rewrite(demo_journal_master):
    """Demo reviews are made against the text current on their day."""
    from coachlib.store.workspace import Workspace

    registry = registry_for(demo_journal_master)
    loaded = load_journal(Workspace(demo_journal_master), registry=registry).reviews
    samman = [r for r in loaded if r.framework == EN]
    assert {r.framework_version for r in samman} == {1, 2}
    released = registry.get(EN).released
    for review in samman:
        expected = 2 if review.when.date().isoformat() >= released else 1
        assert review.framework_version == expected


def test_check_asks_every_file_for_its_version_and_licence(tmp_path, capsys):
    text = (builtin_frameworks_dir() / "samman-ensemble.yaml").read_text(encoding="utf-8")
    bare = text.replace("\nversion: 1\n", "\n").replace("  licence: CC-BY-SA-4.0\n", "")
    bare = bare.replace("id: samman-ensemble\n", "id: bare-track\n")
    path = tmp_path / "bare.yaml"
    path.write_text(bare, encoding="utf-8")
    assert main(["frameworks", "check", str(path)]) == 0  # warnings only
    out = capsys.readouterr().out
    assert "warning: id: the file says no `version` (read as version 1)" in out
    assert "warning: source: the source's licence is not recorded" in out
    for name in ("samman-ensemble.yaml", "core-engineer-progression.yaml"):
        assert main(["frameworks", "check", str(builtin_frameworks_dir() / name)]) == 0
        out = capsys.readouterr().out
        assert "no-version" not in out and "no-licence" not in out
