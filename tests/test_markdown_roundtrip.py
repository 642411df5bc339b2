"""`coach frameworks export ID --markdown` writes what `coach frameworks import` reads back.

Back means: the title, the introduction, the scale (numbers and names; for milestones their
titles and descriptions), the groups, the skills and every criterion at its level, in
order. A property test holds it over generated frameworks; the shipped frameworks hold it
too. What Markdown has no place for (ids, descriptions, notes) stays in the YAML.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachlib.cli import main
from coachlib.ladders.importing import import_ladder, read_outline
from coachlib.ladders.shapes import UNPLACED, losses
from coachlib.model import safeyaml
from coachlib.model.frameworks import Framework, parse_framework
from coachlib.model.markdown_export import framework_markdown
from coachlib.model.names import slugify

# Plain prose: letters, digits and the punctuation careers ladders use. Markdown markup in
# a criterion (links, **bold**) is read back as Markdown, so it is outside the promise.
WORD = st.text(string.ascii_letters + string.digits + "'’éüñ", min_size=1, max_size=10)
PUNCT = st.sampled_from(["", ",", ".", ";", ":", "?", "!"])


@st.composite
def prose(draw, words: int = 8) -> str:
    parts = draw(st.lists(st.tuples(WORD, PUNCT), min_size=1, max_size=words))
    return " ".join(word + mark for word, mark in parts)


@st.composite
def names(draw, count: int) -> list[str]:
    """``count`` names whose slugs differ (the importer makes ids from names)."""
    found = draw(st.lists(prose(words=3), min_size=count, max_size=count,
                          unique_by=lambda n: slugify(n) or n))  # fmt: skip
    if any(not slugify(name) for name in found):
        from hypothesis import reject

        reject()
    return found


@st.composite
def matrices(draw) -> Framework:
    levels = draw(st.integers(2, 5))
    scale = [{"level": n, "name": name}
             for n, name in enumerate(draw(names(levels + 1)))]  # fmt: skip
    group_names = draw(names(draw(st.integers(1, 3))))
    skill_names = iter(draw(names(len(group_names) * 3)))
    groups = []
    for group_name in group_names:
        skills = []
        for _ in range(draw(st.integers(1, 3))):
            chosen = sorted(draw(st.sets(st.integers(0, levels), min_size=1)))
            criteria = [{"level": lv, "items": draw(st.lists(prose(), min_size=1, max_size=3))}
                        for lv in chosen]  # fmt: skip
            name = next(skill_names)
            skills.append({"id": slugify(name), "name": name, "criteria": criteria})
        groups.append({"id": "g-" + slugify(group_name), "name": group_name, "kind": "group",
                       "skills": skills})  # fmt: skip
    data = {
        "schema_version": 1, "id": "generated", "title": draw(prose(words=4)),
        "shape": "matrix", "introduction": draw(st.one_of(st.none(), prose(words=20))),
        "source": {"title": "Generated", "publisher": "Tests"}, "scale": scale,
        "groups": groups,
    }  # fmt: skip
    data = {key: value for key, value in data.items() if value is not None}
    return parse_framework(safeyaml.dump(data), "generated.yaml")


def matrix_content(framework: Framework):
    return (
        framework.title,
        framework.introduction,
        [(level.level, level.name) for level in framework.scale],
        [(group.name, [(skill.name, dict(skill.criteria)) for skill in group.skills])
         for top in framework.groups for group in top.walk() if group.skills],
    )  # fmt: skip


def milestone_content(framework: Framework):
    return (
        framework.title,
        framework.introduction,
        [(lv.level, lv.title, lv.description) for lv in framework.scale if lv.level > 0],
    )


def round_trip(framework: Framework) -> tuple[Framework, list]:
    """Exported, then imported as the command imports it: the outline, the suggested
    mapping, the placement (or the shape readers, where the suggestion says so)."""
    text = framework_markdown(framework)
    done = import_ladder(read_outline("exported.md", text), framework_id=framework.id)
    back = parse_framework(safeyaml.dump(done.result.data), "exported.yaml")
    return back, done.result.reports


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices())
def test_a_generated_matrix_comes_back_the_same(framework):
    back, reports = round_trip(framework)
    assert matrix_content(back) == matrix_content(framework)
    assert not [r for r in reports if r.code == UNPLACED and r.line]  # every line placed
    empty = {lv.level for lv in framework.scale
             if not any(lv.level in skill.criteria for skill in framework.skills)}  # fmt: skip
    text = framework_markdown(framework)
    lost = losses(import_ladder(read_outline("exported.md", text)).result, back)
    for report in lost:  # only the levels that had no criteria in the first place
        assert any(report.message.startswith(f"level {lv} ") for lv in empty), report


@settings(max_examples=40, deadline=None)
@given(
    title=prose(words=4),
    intro=st.one_of(st.none(), prose(words=15)),
    milestones=st.lists(st.tuples(prose(words=6), prose(words=20)), min_size=2, max_size=6),
)
def test_a_generated_milestone_track_comes_back_the_same(title, intro, milestones):
    scale = [{"level": 0, "name": "Not started", "description": "Not yet at milestone 1."}]
    scale += [{"level": n, "name": f"Milestone {n}", "title": t.rstrip(".") or "x",
               "description": d} for n, (t, d) in enumerate(milestones, start=1)]  # fmt: skip
    track = slugify(title) or "track"
    data = {
        "schema_version": 1, "id": "generated", "title": title, "shape": "milestones",
        "introduction": intro, "source": {"title": title, "publisher": "Tests"},
        "scale": scale, "groups": [{"id": f"{track}-track", "name": title, "kind": "track",
                                    "skills": [{"id": track, "name": title}]}],
    }  # fmt: skip
    data = {key: value for key, value in data.items() if value is not None}
    framework = parse_framework(safeyaml.dump(data), "generated.yaml")
    back, _reports = round_trip(framework)
    assert milestone_content(back) == milestone_content(framework)


@pytest.mark.parametrize(
    "framework_id", ["core-engineer-progression", "samman-ensemble", "samman-learning-hour"]
)
def test_the_shipped_frameworks_come_back_the_same(registry, framework_id):
    for framework in registry.versions[framework_id].values():
        back, reports = round_trip(framework)
        content = milestone_content if framework.is_milestone_track else matrix_content
        assert content(back) == content(framework), framework.version
        assert not [r for r in reports if r.code == UNPLACED]


def test_the_command_writes_a_file_and_refuses_what_it_cannot(tmp_path, capsys):
    target = tmp_path / "ladder.md"
    assert main(["frameworks", "export", "core-engineer-progression", "--markdown",
                 "-o", str(target)]) == 0  # fmt: skip
    assert target.read_text().startswith("# Core Engineer Progression\n")
    before = target.read_bytes()
    assert main(["frameworks", "export", "samman-ensemble", "--markdown", "-o",
                 str(target)]) == 2  # fmt: skip
    assert "exists" in capsys.readouterr().err
    assert target.read_bytes() == before
    assert main(["frameworks", "export", "opensesame-career-skills", "--markdown"]) == 2
    assert "no criteria per level" in capsys.readouterr().err
    assert main(["frameworks", "import", str(target), "--id", "ladder", "-o",
                 str(tmp_path / "ladder.yaml"), "--strict"]) == 0  # fmt: skip
