"""Frameworks: the Samman tracks load at full fidelity; broken files give one clear error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from coachlib.model.errors import FrameworkError, UnknownFrameworkError
from coachlib.model.frameworks import parse_framework
from coachlib.model.resources import builtin_frameworks_dir, framework_schema_path
from coachlib.store.frameworks import load_framework_file, load_registry

SEEDS = Path(__file__).resolve().parent / "seeds"
SAMMAN = {
    "samman-ensemble": "000_e5d6748ff6adfaba.txt",
    "samman-learning-hour": "001_5230c55850c2e018.txt",
}
LIVE = {  # the Society's published text (tests/seeds/samman-live, a copy of shared/)
    "samman-ensemble": "samman-live/ensemble_milestones.md",
    "samman-learning-hour": "samman-live/learning_hour_milestones.md",
}


def seed_milestones(seed: str) -> list[tuple[int, str, str]]:
    """(number, headline, text) of each numbered milestone in a Samman seed document."""
    text = (SEEDS / seed).read_text(encoding="utf-8")
    found = []
    pattern = re.compile(
        r"^(\d)\. \*\*(.+?)\*\*\s*(.*?)(?=^\d\. \*\*|^_Note|^Achieving|\Z)", re.M | re.S
    )
    for match in pattern.finditer(text):
        found.append((int(match[1]), match[2].strip(), " ".join(match[3].split())))
    return found


def test_the_two_samman_tracks_load(registry):
    assert {"samman-ensemble", "samman-learning-hour"} <= set(registry.frameworks)
    assert registry.problems == []


def assert_milestones_as_in(framework, document: str) -> None:
    """Every numbered milestone of the document: its number, headline and full text."""
    milestones = seed_milestones(document)
    assert [m[0] for m in milestones] == [1, 2, 3, 4, 5]
    for number, headline, text in milestones:
        level = framework.level(number)
        assert level.title == headline
        assert " ".join(level.description.split()) == text


@pytest.mark.parametrize("framework_id", sorted(SAMMAN))
def test_every_milestone_has_the_seed_number_headline_and_full_text(registry, framework_id):
    # version 1 keeps the seed text exactly
    assert_milestones_as_in(registry.get(framework_id, 1), SAMMAN[framework_id])


@pytest.mark.parametrize("framework_id", sorted(LIVE))
def test_the_newest_version_is_the_published_text_word_for_word(registry, framework_id):
    framework = registry.get(framework_id)
    assert framework.version == 2
    assert_milestones_as_in(framework, LIVE[framework_id])
    # no percentages: the job role has its own page
    assert all(level.coaching_role is None for level in framework.scale)
    heading = re.search(r"^# (.+)$", (SEEDS / LIVE[framework_id]).read_text(), re.M)[1]
    assert framework.title == heading.strip()
    assert framework.source["licence"] == "CC-BY-SA-4.0"
    assert "sammancoaching.org" in framework.attribution
    assert framework.supersedes.version == 1
    assert framework.supersedes.levels == {n: n for n in range(6)}


@pytest.mark.parametrize("framework_id", sorted(SAMMAN))
def test_track_metadata(registry, framework_id):
    framework = registry.get(framework_id, 1)
    assert framework.shape == "milestones"
    assert framework.level(0).name == "Not started"
    assert framework.source["publisher"] == "Samman Society"
    assert framework.source["status"] == "draft"
    assert "still in draft" in framework.source["status_note"]
    other = ({"samman-ensemble", "samman-learning-hour"} - {framework_id}).pop()
    assert [r["id"] for r in framework.related] == [other]
    assert "similar track" in framework.introduction
    assert "{%" not in framework.introduction
    shares = {lv.level: lv.coaching_role.share for lv in framework.scale}
    assert shares[3] == "around 20%"
    assert shares[4] == "around 50%"
    assert shares[5] == "main role"
    assert shares[1] is None and shares[2] is None
    assert len(framework.skills) == 1


def test_every_builtin_file_validates_against_the_published_schema():
    schema = json.loads(framework_schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    files = sorted(builtin_frameworks_dir().glob("*.yaml"))
    assert files
    for path in files:
        jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(path.read_text()))
        assert path.read_text().startswith("# yaml-language-server: $schema=framework.schema.json")


def _broken_copy(tmp_path: Path, old: str, new: str, name="samman-ensemble.yaml") -> Path:
    text = (builtin_frameworks_dir() / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_wrong_type_names_file_line_and_field(tmp_path):
    path = _broken_copy(
        tmp_path, "  - level: 2\n    name: Milestone 2", "  - level: 2\n    name: 7"
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    error = caught.value
    assert error.file == str(path)
    assert error.line == _line_of(path, "name: 7")
    assert error.field == "scale[2].name"
    assert "expected text, got 7" in str(error)
    assert str(error).startswith(f"{path}:{error.line}: scale[2].name: ")


def test_unknown_field_is_named(tmp_path):
    path = _broken_copy(
        tmp_path, "    name: Milestone 3\n", "    name: Milestone 3\n    titel: x\n"
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    assert "unknown field 'titel' (allowed: level, name, title," in str(caught.value)
    assert caught.value.line == _line_of(path, "titel: x")
    assert caught.value.field == "scale[3].titel"


def test_missing_required_field(tmp_path):
    path = _broken_copy(tmp_path, "title: Competence Milestones for Ensemble\n", "")
    with pytest.raises(FrameworkError, match="the field 'title' is missing"):
        load_framework_file(path)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = _broken_copy(tmp_path, "shape: milestones", "shape: [milestones")
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    assert "YAML syntax error" in str(caught.value)
    assert caught.value.line is not None and caught.value.line > _line_of(path, "shape:")


def test_semantic_errors_are_located(tmp_path):
    path = _broken_copy(tmp_path, "  - level: 4\n", "  - level: 2\n")
    with pytest.raises(FrameworkError, match="levels must increase: 2 follows 3") as caught:
        load_framework_file(path)
    assert caught.value.field == "scale[4].level"
    assert caught.value.line == _line_of(path, "name: Milestone 4") - 1


def test_criteria_for_a_level_off_the_scale(tmp_path):
    text = (builtin_frameworks_dir() / "samman-ensemble.yaml").read_text()
    text = text.replace(
        "        name: Ensemble facilitation\n",
        "        name: Ensemble facilitation\n        criteria:\n          - level: 9\n"
        "            items: [x]\n",
    )
    with pytest.raises(FrameworkError, match="level 9, which is not on the scale") as caught:
        parse_framework(text, "x.yaml")
    assert caught.value.field == "groups[0].skills[0].criteria[0].level"


def test_python_tags_are_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(
        f"id: !!python/object/apply:os.system ['touch {marker}']\ntitle: x\n", encoding="utf-8"
    )
    with pytest.raises(FrameworkError, match=r"refused: the tag !!python/object/apply:os.system"):
        load_framework_file(path)
    assert not marker.exists()


def test_a_broken_file_does_not_hide_the_others(tmp_path):
    for name in ("samman-ensemble.yaml", "samman-learning-hour.yaml"):
        (tmp_path / name).write_text((builtin_frameworks_dir() / name).read_text())
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [\n")
    registry = load_registry([tmp_path])
    assert set(registry.frameworks) == {"samman-ensemble", "samman-learning-hour"}
    assert len(registry.problems) == 1
    assert registry.problems[0].file == str(tmp_path / "broken.yaml")


def test_workspace_frameworks_extend_the_builtin_ones(tmp_path):
    local = tmp_path / "frameworks"
    local.mkdir()
    text = (builtin_frameworks_dir() / "samman-ensemble.yaml").read_text()
    (local / "mine.yaml").write_text(text.replace("id: samman-ensemble", "id: my-track"))
    from coachlib.store.frameworks import registry_for

    registry = registry_for(tmp_path)
    assert "my-track" in registry and "samman-ensemble" in registry


def test_unknown_framework_lists_the_known_ones(registry):
    with pytest.raises(UnknownFrameworkError, match=r"known: .*samman-ensemble"):
        registry.get("nope")


def test_a_framework_key_given_twice_is_refused_with_both_lines(tmp_path):
    text = (builtin_frameworks_dir() / "samman-ensemble.yaml").read_text()
    twice = text.replace("shape: milestones\n", "shape: milestones\nshape: matrix\n")
    lines = twice.splitlines()
    with pytest.raises(FrameworkError) as caught:
        parse_framework(twice, "twice.yaml")
    assert caught.value.line == lines.index("shape: matrix") + 1
    assert f"first on line {lines.index('shape: milestones') + 1}" in caught.value.message


@pytest.fixture
def fresh_trust(tmp_path, monkeypatch):
    """An empty user cache, and the schemas' memory of valid texts as in a new process."""
    from coachlib.model import schema
    from coachlib.store import frameworks

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def new_process():
        frameworks._trust_validated.cache_clear()
        frameworks._parse_cached.cache_clear()
        for kept in (schema.FRAMEWORK, schema.GUIDANCE):
            kept.trusted.clear()
            kept.validated.clear()

    new_process()
    yield new_process
    new_process()


def test_a_text_found_valid_is_not_checked_again_and_an_edit_is(tmp_path, fresh_trust,
                                                                 monkeypatch):  # fmt: skip
    """The registry remembers (by digest, in the user's cache) which framework texts passed
    the schema, so the next process need not compile it; an edited text is a new text."""
    from coachlib.model import schema

    folder = tmp_path / "frameworks"
    folder.mkdir()
    text = (builtin_frameworks_dir() / "samman-ensemble.yaml").read_text()
    own = folder / "team.yaml"
    own.write_text(text.replace("id: samman-ensemble\n", "id: team-ensemble\n"))
    load_registry([builtin_frameworks_dir(), folder])
    assert (tmp_path / "cache" / "coachlib" / "valid-texts.json").is_file()

    fresh_trust()
    checked = []
    real = schema.Schema.problem

    def counted(self, data):
        checked.append(data.get("id"))
        return real(self, data)

    monkeypatch.setattr(schema.Schema, "problem", counted)
    registry = load_registry([builtin_frameworks_dir(), folder])
    assert "team-ensemble" in registry and not registry.problems
    assert checked == []  # every text was seen valid before

    fresh_trust()
    own.write_text(own.read_text() + "bogus: 1\n")  # no longer valid
    registry = load_registry([builtin_frameworks_dir(), folder])
    assert "team-ensemble" not in registry
    assert [str(p.file) for p in registry.problems] == [str(own)]
    assert checked == ["team-ensemble"]


def test_a_changed_schema_checks_every_text_again(tmp_path, fresh_trust):
    """A digest covers the schema files: a text valid against yesterday's schema is checked
    against today's."""
    from coachlib.model import schema

    text = (builtin_frameworks_dir() / "samman-ensemble.yaml").read_text()
    before = schema.FRAMEWORK.digest(text)
    copy = tmp_path / "schemas"
    copy.mkdir()
    for path in framework_schema_path().parent.glob("*.schema.json"):
        (copy / path.name).write_text(path.read_text() + "\n")
    moved = schema.Schema(lambda: copy / "framework.schema.json", remembers=True)
    assert moved.digest(text) != before
