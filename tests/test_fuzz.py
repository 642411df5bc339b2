"""Property-based tests (hypothesis): generated framework and journal files, valid and
broken. Loading raises nothing but the package's own errors, and a valid file round-trips.

The number of examples is printed at the end of each test (run with -s to see it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from coachlib.model import safeyaml
from coachlib.model.errors import CoachError, FrameworkError, JournalError
from coachlib.model.frameworks import framework_to_dict, parse_framework
from coachlib.model.review import Assessment, Review
from coachlib.store.journal import load_journal, save_review
from coachlib.store.records import read_record
from coachlib.store.workspace import Workspace

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
    HealthCheck.function_scoped_fixture],
)  # fmt: skip

# Any text a person could type: every Unicode character (including control characters,
# line and paragraph separators, right-to-left marks, emoji), but no lone surrogates.
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
nonempty = text.filter(lambda t: t.strip() != "")
ident = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z")


@st.composite
def frameworks(draw):
    count = draw(st.integers(2, 7))
    start = draw(st.integers(0, 3))
    levels = list(range(start, start + count))
    scale = [
        {"level": lv, "name": draw(nonempty)}
        | ({"title": draw(nonempty)} if draw(st.booleans()) else {})
        for lv in levels
    ]
    ids = draw(st.lists(ident, min_size=1, max_size=8, unique=True))
    skills = []
    for skill_id in ids:
        skill = {"id": skill_id, "name": draw(nonempty)}
        if draw(st.booleans()):
            skill["description"] = draw(nonempty)
        chosen = draw(st.lists(st.sampled_from(levels), unique=True, max_size=count))
        if chosen:
            skill["criteria"] = [
                {"level": lv, "items": draw(st.lists(nonempty, min_size=1, max_size=3))}
                for lv in chosen
            ]
        if draw(st.booleans()):
            skill["see_also"] = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
        skills.append(skill)
    split = draw(st.integers(1, len(skills)))
    groups = [{"id": "g-one", "name": draw(nonempty), "skills": skills[:split]}]
    if skills[split:]:
        groups.append(
            {"id": "g-two", "name": draw(nonempty), "kind": "tier",
             "groups": [{"id": "g-two-set", "name": draw(nonempty), "kind": "skill-set",
                         "code": "SE", "skills": skills[split:]}]}
        )  # fmt: skip
    data = {
        "schema_version": 1,
        "id": draw(ident),
        "title": draw(nonempty),
        "shape": draw(st.sampled_from(["milestones", "matrix", "catalogue"])),
        "scale": scale,
        "groups": groups,
    }
    if draw(st.booleans()):
        data["marks"] = [{"id": "waived", "name": "Waived"}]
    if draw(st.booleans()):
        data["notes"] = draw(st.lists(nonempty, min_size=1, max_size=2))
    return data


def strip_path(framework):
    return dataclasses.replace(framework, path=None)


@SETTINGS
@given(data=frameworks())
def test_a_valid_framework_round_trips(data):
    text_one = safeyaml.dump(data)
    first = parse_framework(text_one, "generated.yaml")
    again = safeyaml.dump(framework_to_dict(first))
    second = parse_framework(again, "generated.yaml")
    assert strip_path(second) == strip_path(first)
    assert framework_to_dict(second) == framework_to_dict(first)


def mutate(draw, text_in: str) -> str:
    """Break a valid document the ways hands and disks do."""
    kind = draw(st.sampled_from(["cut", "delete", "insert", "replace", "retype", "tag", "bytes"]))
    if not text_in:
        return draw(text)
    at = draw(st.integers(0, len(text_in) - 1))
    if kind == "cut":
        return text_in[:at]
    if kind == "delete":
        return text_in[:at] + text_in[at + draw(st.integers(1, 40)) :]
    if kind == "insert":
        return text_in[:at] + draw(st.text(string.printable + "ü€\t", max_size=10)) + text_in[at:]
    if kind == "replace":
        return (
            text_in[:at]
            + draw(st.sampled_from([": ", "- ", "[", "{", "'", '"', "&a", "*a", "!!int ", "? "]))
            + text_in[at + 1 :]
        )
    if kind == "retype":
        old = draw(st.sampled_from(["level: ", "name: ", "id: ", "role: ", "when: "]))
        new = draw(st.sampled_from(["level: [1]", "name: {}", "id: 3", "role: ~", "when: 12"]))
        return text_in.replace(old, new, 1)
    if kind == "tag":
        return text_in[:at] + " !!python/object/apply:os.system ['echo pwned'] " + text_in[at:]
    return text_in[:at] + "\x00\ufffe\x1b" + text_in[at:]


@SETTINGS
@given(data=frameworks(), broken=st.data())
def test_a_broken_framework_gives_only_a_framework_error(data, broken):
    bad = mutate(broken.draw, safeyaml.dump(data))
    try:
        parse_framework(bad, "broken.yaml")
    except FrameworkError as exc:
        assert exc.file == "broken.yaml"
        assert str(exc).startswith("broken.yaml")


@st.composite
def reviews(draw):
    return Review(
        coachee=draw(nonempty).strip() or "x",
        framework="samman-ensemble",
        author=draw(nonempty).strip() or "y",
        role=draw(st.sampled_from(["coach", "self"])),
        when=draw(
            st.datetimes(
                min_value=datetime(2000, 1, 1),
                max_value=datetime(2100, 1, 1),
                timezones=st.just(UTC),
            )
        ),
        assessments=(
            Assessment(
                "ensemble-facilitation",
                draw(st.integers(0, 5)),
                evidence=draw(text),
                reflection=draw(text),
                next_steps=draw(text),
                note=draw(text),
            ),
        ),
        notes=draw(text),
    )


@SETTINGS
@given(review=reviews())
def test_a_saved_review_round_trips(tmp_path_factory, review):
    from coachlib.model.names import clean_name

    review = dataclasses.replace(
        review,
        coachee=_cleaned(clean_name, review.coachee),
        author=_cleaned(clean_name, review.author),
    )
    if review.coachee is None or review.author is None:
        return
    workspace = Workspace.open(tmp_path_factory.mktemp("fuzz") / "ws", create=True)
    saved = save_review(workspace, review)
    loaded = read_record(saved.path)
    assert loaded == review
    assert dataclasses.replace(loaded, path=None) == dataclasses.replace(saved, path=None)


def _cleaned(clean, name):
    try:
        return clean(name)
    except CoachError:
        return None


@SETTINGS
@given(review=reviews(), broken=st.data())
def test_a_broken_journal_file_gives_only_a_journal_error(tmp_path_factory, review, broken):
    data = review.to_dict()
    bad = mutate(broken.draw, safeyaml.dump(data))
    path: Path = tmp_path_factory.mktemp("broken") / "record.yaml"
    path.write_text(bad, encoding="utf-8", errors="surrogatepass")
    try:
        read_record(path)
    except JournalError as exc:
        assert exc.file == str(path)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("!!int ", "the value '' is not a valid !!int"),  # PyYAML: IndexError
        ("!!int +", "the value '+' is not a valid !!int"),
        ("!!float ", "the value '' is not a valid !!float"),
        ("!!bool maybe", "the value 'maybe' is not a valid !!bool"),  # KeyError
        ("!!timestamp x", "the value 'x' is not a valid !!timestamp"),  # AttributeError
        ("!!int five", "the value 'five' is not a valid !!int"),  # ValueError
    ],
)
def test_a_tagged_value_that_cannot_be_is_refused_with_its_line(value, said):
    """PyYAML's own constructors fail on some malformed tagged values with errors of
    their own: each is the file's error, naming the line, never a traceback."""
    with pytest.raises(JournalError) as caught:
        safeyaml.parse(f"level: 1\nnote: {value}\n", file="j.yaml", error=JournalError)
    assert caught.value.line == 2 and said in str(caught.value)


def test_python_tags_never_run_through_any_loader(tmp_path):
    marker = tmp_path / "ran"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n"
    for loader in (yaml.safe_load, lambda t: safeyaml.parse(t, file="x", error=CoachError)):
        with contextlib.suppress(yaml.YAMLError, CoachError):
            loader(text)
    assert not marker.exists()


def test_only_safe_yaml_loading_anywhere_in_the_package():
    import re

    package = Path(__file__).resolve().parent.parent / "coachlib"
    unsafe = re.compile(
        r"yaml\.(unsafe_load|full_load|load_all|Loader\b|FullLoader|UnsafeLoader|CLoader\b)"
        r"|yaml\.load\((?![^)]*Loader=_PlainLoader)"
    )
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in package.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if unsafe.search(line)
    ]
    assert found == []


COMMAND_SETTINGS = settings(
    max_examples=3, deadline=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large],
)  # fmt: skip
PEOPLE = ("Ada Fuzz", "Bo Fuzz", "Cy Fuzz")


@pytest.mark.slow
@COMMAND_SETTINGS
@given(records=st.lists(reviews(), min_size=6, max_size=6), broken=st.data())
def test_fuzzed_journal_files_go_through_every_command(tmp_path_factory, records, broken):
    """Valid records and broken copies of them side by side, through doctor, export --csv,
    team and export --all: every command finishes with its own exit status, one line per
    problem, no traceback, and the valid records come out."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from coachlib.cli import main

    root = tmp_path_factory.mktemp("fuzz-commands") / "ws"
    workspace = Workspace.open(root, create=True)
    for index, review in enumerate(records):
        person = PEOPLE[index % len(PEOPLE)]
        review = dataclasses.replace(review, coachee=person, author="Fuzz Coach")
        saved = save_review(workspace, review)
        bad = mutate(broken.draw, safeyaml.dump(review.to_dict()))
        (saved.path.parent / f"broken-{index}.yaml").write_text(
            bad, encoding="utf-8", errors="surrogatepass"
        )
    outcomes = {}
    for name, args in {
        "doctor": ["doctor", "--no-clean"],
        "csv": ["export", "--csv", "-o", str(root.parent / "j.csv")],
        "team": ["team", "-o", str(root.parent / "team.html")],
        "all": ["export", "--all", "-o", str(root.parent / "all")],
    }.items():
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = main([*args, "--workspace", str(root)])
        outcomes[name] = (status, out.getvalue(), err.getvalue())
        assert "Traceback" not in out.getvalue() + err.getvalue(), name
    assert outcomes["doctor"][0] in (0, 1)
    problems = load_journal(workspace).problems
    for problem in problems:  # every file left out is named by doctor
        assert problem.file in outcomes["doctor"][1]
    assert outcomes["csv"][0] in (0, 1) and (root.parent / "j.csv").is_file()
    # the page is written; the files it left out are the coach's to mend (exit 1, each named)
    assert outcomes["team"][0] == (1 if problems else 0), outcomes["team"][2]
    assert (root.parent / "team.html").is_file()
    for problem in problems:
        assert Path(problem.file).name in outcomes["team"][2]
    assert outcomes["all"][0] == 0, outcomes["all"][2]
    assert len(list((root.parent / "all").glob("*.html"))) == len(PEOPLE)
