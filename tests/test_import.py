"""`coach frameworks import`: Markdown ladders become framework YAML, the seeds as curated."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.ladders.shapes import import_markdown
from coachlib.model import safeyaml as yamlio
from coachlib.model.frameworks import Framework, parse_framework
from coachlib.store.frameworks import load_framework_file, registry_for

SEEDS = Path(__file__).resolve().parent / "seeds"
LADDERS = Path(__file__).resolve().parent / "ladders"
SEED_FRAMEWORKS = {
    "000": "samman-ensemble",
    "001": "samman-learning-hour",
    "002": "core-engineer-progression",
    "003": "opensesame-career-skills",
}


def imported(seed: str) -> tuple[Framework, list]:
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    result = import_markdown(
        path.read_text("utf-8"), source=path.name, framework_id=SEED_FRAMEWORKS[seed]
    )
    return parse_framework(yamlio.dump(result.data), f"{seed}.yaml"), result.reports


def differences(mine: Framework, curated: Framework) -> list[str]:
    """What differs in levels, skills, criteria, exclusions and cross-references."""
    out = []
    for a, b in zip(mine.scale, curated.scale, strict=False):
        for name in ("level", "name", "title", "description"):
            if getattr(a, name) != getattr(b, name):
                out.append(f"scale[{b.level}].{name}")
    if len(mine.scale) != len(curated.scale):
        out.append("scale length")
    if [m.id for m in mine.marks] != [m.id for m in curated.marks]:
        out.append("marks")
    groups_a = {g.id: g for g in mine.all_groups()}
    groups_b = {g.id: g for g in curated.all_groups()}
    if list(groups_a) != list(groups_b):
        out.append(f"groups {sorted(set(groups_a) ^ set(groups_b))}")
    for group_id, group in groups_b.items():
        other = groups_a.get(group_id)
        if other is None:
            continue
        for name in ("name", "kind", "code", "description", "expectations"):
            if getattr(other, name) != getattr(group, name):
                out.append(f"group {group_id}.{name}")
    skills_a = {s.id: s for s in mine.skills}
    skills_b = {s.id: s for s in curated.skills}
    if list(skills_a) != list(skills_b):
        out.append(f"skills {sorted(set(skills_a) ^ set(skills_b))}")
    for skill_id, skill in skills_b.items():
        other = skills_a.get(skill_id)
        if other is None:
            continue
        for name in ("name", "description", "criteria", "excluded", "see_also", "group_ids"):
            if getattr(other, name) != getattr(skill, name):
                out.append(f"{skill_id}.{name}")
    return out


CURATION = {
    # The milestone tracks' one skill is named by the curator; the role readings and the
    # level-0 text are the curator's too.
    "000": [
        "scale[0].description",
        "groups ['competence-milestones-for-ensemble-track', 'ensemble-track']",
        "skills ['competence-milestones-for-ensemble', 'ensemble-facilitation']",
    ],
    "001": [
        "scale[0].description",
        "groups ['learning-hour-career-milestones-track', 'learning-hour-track']",
        "skills ['learning-hour-career-milestones', 'learning-hour-teaching']",
    ],
    "002": [],
    # The curator resolved three See also names to the skills they evidently mean, and
    # wrote descriptions for the levels (the document defines no scale).
    "003": [
        "scale[0].description",
        "scale[1].description",
        "scale[2].description",
        "scale[3].description",
        "campsite-rule.see_also",
        "understand-the-why.see_also",
        "engineering-partner.see_also",
    ],
}


@pytest.mark.parametrize("seed", sorted(SEED_FRAMEWORKS))
def test_importing_a_seed_gives_the_curated_framework(seed):
    mine, _reports = imported(seed)
    curated = registry_for(None).get(SEED_FRAMEWORKS[seed], 1)  # the seed text
    assert differences(mine, curated) == CURATION[seed]


def ladder(name: str):
    path = LADDERS / name
    result = import_markdown(path.read_text("utf-8"), source=name)
    return result, parse_framework(yamlio.dump(result.data), name)


def reports_of(result, kind):
    return [(r.line, r.message) for r in result.reports if r.code == kind]


def test_a_table_with_skills_as_rows_and_levels_as_columns():
    result, framework = ladder("platform-table.md")
    assert result.shape == "table"
    assert [(lv.level, lv.name) for lv in framework.scale] == [
        (0, "Not yet"),
        (1, "Apprentice"),
        (2, "Practitioner"),
        (3, "Expert"),
    ]
    assert [g.name for g in framework.groups] == ["Delivery", "Collaboration"]
    iac = framework.skill("infrastructure-as-code")
    assert iac.description == "Managing infrastructure through reviewed code."
    assert iac.criteria[1] == ("Changes existing modules", "Runs plans before applying")
    assert iac.criteria[2] == ("Writes new modules; Reviews others' changes",)  # ';' stays
    assert framework.skill("mentoring").description is None
    assert framework.introduction.startswith("A ladder for the platform team")
    assert reports_of(result, "unplaced") == []


def test_a_section_per_level_with_names_but_no_numbers():
    result, framework = ladder("named-levels.md")
    assert result.shape == "level-sections"
    assert [lv.name for lv in framework.scale] == ["Not yet", "Junior", "Mid-level", "Senior"]
    accessibility = framework.skill("accessibility")
    assert accessibility.criteria[1] == (
        "Uses semantic HTML elements",
        "Checks pages with a screen reader",
    )
    assert framework.skill("testing").criteria[2] == (  # one bullet, one criterion
        "Keeps the test suite fast; removes flaky tests",
    )
    decisions = reports_of(result, "decision")
    assert (5, "the levels have names but no numbers: numbered 1, 2, 3… in document order") in (
        decisions
    )
    assert reports_of(result, "unplaced") == [(24, "A paragraph that belongs to no skill.")]


def test_levels_as_sections_with_skill_subsections_at_other_heading_depths():
    result, framework = ladder("data-levels.md")
    assert [(lv.level, lv.name) for lv in framework.scale][1:] == [
        (1, "Associate"),
        (2, "Engineer"),
        (3, "Senior Engineer"),
    ]
    assert framework.title == "Data Team Progression"
    assert framework.skill("pipelines").criteria[2] == (
        "Builds a new pipeline end to end",
        "Adds data quality checks",
    )
    assert reports_of(result, "unplaced") == []


def test_milestones_with_front_matter_and_a_headline_on_its_own_line():
    result, framework = ladder("guild-milestones.md")
    assert result.shape == "milestones"
    assert framework.title == "Testing Guild Milestones"
    assert framework.level(2).title == "Help your team test well."
    assert framework.level(2).description == (
        "You review tests in code review and suggest better ones."
    )
    assert framework.source["status"] == "draft"


def test_a_catalogue_with_a_duplicate_name_and_an_unresolved_see_also():
    result, framework = ladder("support-catalogue.md")
    assert result.shape == "catalogue"
    assert [g.name for g in framework.groups] == ["Support Engineers", "Senior Support Engineers"]
    assert framework.group("customer-care").code == "SE1"
    assert framework.skill("clear-writing").excluded == (
        "Writing public documentation is a separate skill."
    )
    assert framework.skill("triage").see_also == ("empathy",)
    assert framework.skill("empathy-2").group_ids == ("senior-support-engineers", "escalations")
    decisions = [text for _line, text in reports_of(result, "decision")]
    assert any("See also 'Knowledge base' names no skill" in d for d in decisions)
    assert any("kept as empathy-2" in d for d in decisions)


def test_seed_imports_report_what_they_decided():
    _fw, reports = imported("002")
    assert (309, "'Security' appears twice, word for word: merged into one") in [
        (r.line, r.message) for r in reports
    ]
    _fw, reports = imported("003")
    texts = " ".join(r.message for r in reports)
    assert "See also 'Incremental design' names no skill" in texts
    assert "'A Higher Bar (Principal Eng)' introduces" in texts


def import_ladder(source: Path, output: Path, *options: str) -> int:
    """`coach frameworks import SOURCE -o OUTPUT [OPTIONS]` in this process: its exit status."""
    return main(["frameworks", "import", str(source), "-o", str(output), *options])


def test_command_writes_yaml_that_checks_and_strict_refuses(tmp_path, capsys):
    out = tmp_path / "platform.yaml"
    assert import_ladder(LADDERS / "platform-table.md", out, "--id", "platform") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(
        f"Wrote {out}: version 1 of platform, 4 skill(s), levels 0-3 (read as: --levels "
        "columns --skills rows)"
    )
    assert "platform-table.md: note: added level 0 'Not yet' below the first level [decision]" in (
        captured.err
    )
    assert out.read_text().startswith("# yaml-language-server: $schema=framework.schema.json")
    assert main(["frameworks", "check", str(out)]) == 0
    assert import_ladder(LADDERS / "platform-table.md", out) == 2
    assert "exists; use --force" in capsys.readouterr().err
    strict = tmp_path / "strict.yaml"
    assert import_ladder(LADDERS / "named-levels.md", strict, "--strict") == 1
    assert "named-levels.md:24: error: A paragraph that belongs to no skill. [unplaced]" in (
        capsys.readouterr().err
    )
    assert not strict.exists()


def test_a_document_without_skills_is_a_clear_error(tmp_path, capsys):
    empty = tmp_path / "empty.md"
    empty.write_text("# Nothing here\n\nJust prose.\n")
    assert import_ladder(empty, tmp_path / "x.yaml") == 2
    err = capsys.readouterr().err
    assert "empty.md: found neither milestones, a Level list, a table" in err


@pytest.mark.slow
def test_coach_new_works_with_an_imported_framework_in_the_workspace(tmp_path):
    import json
    import subprocess
    import sys

    workspace = tmp_path / "ws"
    (workspace / "frameworks").mkdir(parents=True)
    target = workspace / "frameworks" / "platform.yaml"
    assert import_ladder(LADDERS / "platform-table.md", target, "--id", "platform") == 0
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "coachlib.cli",
            "new",
            "--framework",
            "platform",
            "--coachee",
            "Ada",
            "--author",
            "Grace",
            "--workspace",
            str(workspace),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    notebook = tmp_path / made.stdout.splitlines()[0].removeprefix("Session notebook: ")
    outputs = json.dumps([c.get("outputs", []) for c in json.loads(notebook.read_text())["cells"]])
    assert "Platform Engineering Ladder: ratings per part" in outputs
    assert '"output_type": "error"' not in outputs


def test_a_lossy_import_exits_1_and_writes_nothing_unless_the_loss_is_accepted(tmp_path, capsys):
    """A paragraph inside a level's section says something the importer cannot place: a
    loss, never a success (and the report names the line)."""
    ladder = tmp_path / "lossy.md"
    ladder.write_text("# Lossy\n\n## 1 - Novice\n\n- **Testing:** writes a test\n\n"
                      "Also leads the weekly demo.\n\n## 2 - Expert\n\n"
                      "- **Testing:** writes tests first\n")  # fmt: skip
    out = tmp_path / "lossy.yaml"
    assert import_ladder(ladder, out) == 1
    err = capsys.readouterr().err
    assert "lossy.md:7: warning: Also leads the weekly demo. [unplaced]" in err
    assert "not placed, in '1 - Novice': no skill is named before it" in err
    assert "most likely to place the lost lines: --skills none" in err
    assert "not placed: line(s) 7 (level 1)" in err
    assert "1 loss(es)" in err and "--allow-loss" in err
    assert not out.exists()
    assert import_ladder(ladder, out, "--allow-loss") == 0
    assert out.exists()
    capsys.readouterr()
    assert import_ladder(ladder, tmp_path / "s.yaml", "--strict", "--allow-loss") == 1
    assert not (tmp_path / "s.yaml").exists()


# The shapes real ladders come in, each imported whole under --strict: (file, levels as
# (number, name), {skill: {level: criteria}}, where the skill's group, if not "Skills").
WHOLE = {
    "index-then-sections.md": (
        [(1, "Junior"), (2, "Mid"), (3, "Senior")],
        {"Delivery": {1: ["Ships small changes with help."], 2: ["Ships features on their own."],
                      3: ["Plans the work of the team."]}},
    ),
    "index-p-levels.md": (
        [(1, "P1"), (2, "P2"), (3, "P3")],
        {"Product": {1: ["Knows the main user journeys."],
                     2: ["Talks to users about their problems."],
                     3: ["Sets the area's goals with product."]}},
    ),
    "named-levels-ic.md": (
        [(1, "IC1"), (2, "IC2"), (3, "IC3")],
        {"Scope": {1: ["Works on well-defined tasks in one service."],
                   2: ["Owns a service end to end."],
                   3: ["Shapes the design of several services."]}},
    ),
    "engineer-roman.md": (
        [(1, "Engineer I"), (2, "Engineer II"), (3, "Senior Engineer")],
        {"Quality": {1: ["Adds checks to the jobs they write."],
                     2: ["Sets up monitoring for a pipeline."],
                     3: ["Defines the team's data contracts."]}},
    ),
    "grouped-sections.md": (
        [(1, "Foundation"), (2, "Practitioner")],
        {"Reviews": {1: ["Asks for reviews on every change."],
                     2: ["Reviews others' changes within a day."]}},
    ),
    "front-matter-comments.md": (
        [(1, "Starter"), (2, "Expert")],
        {"Accessibility": {1: ["Uses semantic HTML."],
                           2: ["Audits a page with a screen reader."]}},
    ),
    "semicolon-bullets.md": (
        [(1, "Agent"), (2, "Specialist")],
        {"Tickets": {1: ["Answers tickets in the queue; escalates what they cannot solve."],
                     2: ["Owns the hardest tickets; writes the runbook entries for them."]}},
    ),
    "category-rows.md": (
        [(1, "Associate"), (2, "Engineer"), (3, "Senior")],
        {"Communication": {1: ["Writes clear ticket updates"],
                           2: ["Explains a fault to a customer", "Keeps them informed"],
                           3: ["Handles escalations with customers"]},
         "Troubleshooting": {1: ["Follows the runbook"], 2: ["Finds the cause of new faults"],
                             3: ["Improves the runbooks; trains others"]}},
    ),
    "spreadsheet.csv": (
        [(1, "Junior"), (2, "Mid"), (3, "Senior")],
        {"Code review": {1: ["Asks for reviews", "Responds to comments"],
                         2: ["Reviews within a day"],
                         3: ["Sets the team's review norms; coaches reviewers"]}},
    ),
    "saved-page.html": (
        [(1, "Tester"), (2, "Test Engineer"), (3, "Test Lead")],
        {"Automation": {1: ["Fixes a broken end-to-end test."], 2: ["Adds tests to the pipeline."],
                        3: ["Owns the test strategy and its budget."]}},
    ),
    "pipes-and-code.md": (
        [(1, "Junior"), (2, "Senior")],
        {"Shell": {1: ["Uses `grep | sort` pipelines"],
                   2: ["Writes scripts with `set -euo pipefail`", "Reviews others' scripts"]},
         "Protocols": {1: ["Reads HTTP 200 | 404 answers"], 2: ["Designs the team's REST APIs"]}},
    ),
    "table-per-level.html": (
        [(1, "Analyst"), (2, "Engineer")],
        {"Incident handling": {1: ["Triages alerts with the runbook"],
                               2: ["Leads an incident", "Writes the report"]}},
    ),
    "inline-level-labels.md": (
        [(1, "Contributor"), (2, "Author"), (3, "Editor")],
        {"Presenting": {1: ["Demos their own work at the team demo."],
                        2: ["Gives a talk at the company meetup."],
                        3: ["Speaks at an outside conference."]}},
    ),
    "section-per-level-bullets.md": (
        [(1, "Novice"), (2, "Expert")],
        {"Testing": {1: ["writes a test when asked"], 2: ["writes tests first"]}},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_a_real_ladder_shape_imports_whole(tmp_path, capsys, name):
    from coachlib.store.frameworks import load_framework_file as load_framework

    out = tmp_path / "ladder.yaml"
    assert import_ladder(LADDERS / name, out, "--strict") == 0, capsys.readouterr().err
    assert "0 content line(s) not placed" in capsys.readouterr().err
    framework = load_framework(out)
    levels, skills = WHOLE[name]
    assert [(lv.level, lv.name) for lv in framework.scale if lv.level] == levels
    by_name = {skill.name: skill for skill in framework.skills}
    for skill, criteria in skills.items():
        assert {lv: list(items) for lv, items in by_name[skill].criteria.items()} == criteria


def test_groups_under_a_level_become_groups(tmp_path):
    from coachlib.store.frameworks import load_framework_file as load_framework

    out = tmp_path / "mobile.yaml"
    assert import_ladder(LADDERS / "grouped-sections.md", out, "--strict") == 0
    framework = load_framework(out)
    assert [(g.name, [s.name for s in g.skills]) for g in framework.groups] == [
        ("Craft", ["Swift", "Testing"]), ("Collaboration", ["Reviews"])]  # fmt: skip


def test_the_index_table_gives_the_levels_their_descriptions(tmp_path):
    from coachlib.store.frameworks import load_framework_file as load_framework

    out = tmp_path / "backend.yaml"
    assert import_ladder(LADDERS / "index-then-sections.md", out, "--strict") == 0
    assert load_framework(out).level(2).description == "Delivers features alone"


def test_strict_passes_on_a_faithful_import(tmp_path, capsys):
    """Adding the level 0 a scale needs is a decision to report, not a failure."""
    out = tmp_path / "platform.yaml"
    assert import_ladder(LADDERS / "platform-table.md", out, "--strict") == 0
    assert "note: added level 0 'Not yet' below the first level [decision]" in (
        capsys.readouterr().err
    )
    assert out.exists()


def test_an_import_that_places_no_criteria_is_never_a_success(tmp_path, capsys):
    ladder = tmp_path / "bare.md"
    ladder.write_text("# Bare\n\n| Skill | Description | 1 - Novice | 2 - Expert |\n"
                      "|---|---|---|---|\n| Testing | Writing tests | | |\n"
                      "| Design | Shaping code | | |\n")  # fmt: skip
    out = tmp_path / "bare.yaml"
    assert import_ladder(ladder, out, "--allow-loss") == 1
    assert "no criteria were placed: never a successful import" in capsys.readouterr().err
    assert not out.exists()


def test_a_title_underlined_with_equals_signs_is_the_title(tmp_path):
    """A setext heading is a heading (found by a CommonMark parser), not introduction."""
    from coachlib.ladders.shapes import import_markdown

    result = import_markdown((LADDERS / "setext-title.md").read_text(), source="s.md")
    assert result.data["id"] == "data-ladder" and result.data["title"] == "Data Ladder"
    assert result.data["introduction"] == "A ladder kept in the wiki."
    fenced = (
        "# Real\n\n```\nNot a title\n===========\n```\n\n"
        + ((LADDERS / "setext-title.md").read_text().split("\n", 3)[3])
    )
    assert import_markdown(fenced, source="f.md").data["title"] == "Real"


def test_competencies_without_levels_are_refused_with_how_to_write_them(tmp_path, capsys):
    assert import_ladder(LADDERS / "competencies-without-levels.md", tmp_path / "c.yaml") == 2
    err = capsys.readouterr().err
    assert "placed no skills with --levels h2 --skills none" in err and "--outline" in err
    assert "a section per level ('## 1 - Novice') with a bullet per skill" in err
    assert not (tmp_path / "c.yaml").exists()
    # the way the message shows imports whole
    out = tmp_path / "hinted.yaml"
    assert import_ladder(LADDERS / "section-per-level-bullets.md", out, "--strict") == 0
    framework = load_framework_file(out)
    assert framework.skill("testing").criteria == {1: ("writes a test when asked",),
                                                   2: ("writes tests first",)}  # fmt: skip


def test_category_rows_are_groups_and_spreadsheet_columns_say_the_group(tmp_path):
    from coachlib.store.frameworks import load_framework_file as load_framework

    for name, expected in (
        ("category-rows.md", [("Technical", ["Troubleshooting", "Tooling"]),
                              ("People", ["Communication"])]),
        ("spreadsheet.csv", [("Craft", ["Code review", "Testing"]),
                             ("Collaboration", ["Stakeholders"])]),
    ):  # fmt: skip
        out = tmp_path / f"{name}.yaml"
        assert import_ladder(LADDERS / name, out, "--strict") == 0
        framework = load_framework(out)
        assert [(g.name, [s.name for s in g.skills]) for g in framework.groups] == expected


def test_a_web_page_leaves_out_its_chrome_and_reports_by_the_pages_lines(tmp_path, capsys):
    page = (LADDERS / "saved-page.html").read_text()
    page = page.replace(  # after level 2's list: no skill names it
        "<h2>Level 3", "<p>Talks to the product owner.</p>\n<h2>Level 3"
    )
    broken = tmp_path / "page.html"
    broken.write_text(page)
    assert import_ladder(broken, tmp_path / "page.yaml") == 1
    err = capsys.readouterr().err
    line = page.splitlines().index("<p>Talks to the product owner.</p>") + 1
    assert f"page.html:{line}: warning: Talks to the product owner. [unplaced]" in err
    assert "Home" not in err and "analytics" not in err


def test_a_folder_imports_every_file_or_none(tmp_path, capsys):
    folder = tmp_path / "roles"
    folder.mkdir()
    for name in ("named-levels-ic.md", "spreadsheet.csv", "saved-page.html"):
        (folder / name).write_bytes((LADDERS / name).read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    assert main(["frameworks", "import", str(folder), "-o", str(out), "--strict"]) == 0
    assert sorted(p.name for p in out.iterdir() if ".import." not in p.name) == [
        "platform-engineering-levels.yaml",
        "qa-engineering-ladder.yaml",
        "spreadsheet.yaml",
    ]
    (folder / "lossy.md").write_text("# Lossy\n\n## 1 - A\n\n- **X:** y\n\nStray words.\n")
    again = tmp_path / "again"
    again.mkdir()
    assert main(["frameworks", "import", str(folder), "-o", str(again)]) == 1
    assert "nothing written" in capsys.readouterr().err
    assert list(again.iterdir()) == []


def test_a_code_block_is_never_a_heading_or_a_criterion_and_is_reported(tmp_path, capsys):
    ladder = tmp_path / "fenced.md"
    ladder.write_text("# Fenced\n\n## Level 1: Starter\n\n- **Shell:** Runs the build.\n\n"
                      "```\n## Level 9: not a level\n- **Shell:** not a criterion\n```\n\n"
                      "## Level 2: Expert\n\n- **Shell:** Writes the build.\n")  # fmt: skip
    out = tmp_path / "fenced.yaml"
    assert import_ladder(ladder, out) == 1
    err = capsys.readouterr().err
    assert "fenced.md:8: warning: in a code block: ## Level 9: not a level [unplaced]" in err
    assert "most likely to place the lost lines: --skip code" in err
    assert import_ladder(ladder, out, "--allow-loss") == 0
    from coachlib.store.frameworks import load_framework_file

    framework = load_framework_file(out)
    assert [lv.level for lv in framework.scale] == [0, 1, 2]
    assert framework.skill("shell").criteria == {1: ("Runs the build.",), 2: ("Writes the build.",)}


def test_comments_and_link_reference_definitions_are_found_by_the_parser(tmp_path, capsys):
    out = tmp_path / "frontend.yaml"
    assert import_ladder(LADDERS / "front-matter-comments.md", out, "--strict") == 0
    err = capsys.readouterr().err
    assert "[unplaced]" not in err
    assert "Draft" not in out.read_text() and "example.org/guild" not in out.read_text()


def test_a_plain_table_is_split_as_markdown_it_py_splits_it():
    """Tables without escapes, code or code-block indentation are split without the parser
    (its table rule was most of a large table's import): the cells must be the parser's."""
    import random

    from coachlib.ladders import shapes as importer

    def parsed(block: list[str]) -> list[list[str]]:
        rows: list[list[str]] = []
        for token in importer._block_parser().parse("\n".join(block)):
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline" and rows:
                rows[-1].append(token.content.strip())
        if len(rows) != len(block) - 1:
            return [importer._cells(row) for position, row in enumerate(block) if position != 1]
        return rows

    pieces = ["a", "b c", " ", "|", "||", "<br>", "*x*", "-", ":", "", "é", "**b**", "[l](u)"]
    rng = random.Random(7)

    def row(width: int) -> str:
        cells = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
                 for _ in range(width)]  # fmt: skip
        return rng.choice(["| ", "|", "  | ", "   |"]) + " | ".join(cells) + rng.choice([" |", ""])

    checked = 0
    for _ in range(3000):
        width = rng.randint(1, 5)
        columns = rng.choice([width, width, width + 1])
        rule = "|" + "|".join(rng.choice(["---", ":---:", " ---: "]) for _ in range(columns)) + "|"
        block = [row(width), rule] + [row(rng.randint(0, width + 2)) for _ in range(4)]
        fast = importer._plain_table(block)
        if fast is not None:
            checked += 1
            assert fast == parsed(block), block
    assert checked > 1000


def test_the_importers_yaml_writer_reads_back_as_the_data():
    """`dump_large` writes the import's YAML itself (PyYAML's emitter took seconds for a
    large ladder): whatever the text, what it writes reads back as the same data, and a
    value it cannot write safely is left to libyaml."""
    import random

    import yaml

    from coachlib.model.safeyaml import dump_large

    texts = ["", "3", "yes", "Null", "On", "a\nb", "a\rb", "x\u2028y", "é", " lead", "trail ",
             "- x", "#c", "a: b", "'q'", '"d"', "1.5", "~", "\t", "a\n\n", "a\n", "\na", "\x85z",
             "Level 2 (Mid)", "a  b", "x\x00y", "x\x1by", "a\n b\nc", "a\n\nb\n", "😀", "\ufeffb",
             "a #b", "It's", "&x", "*x", "|x", ">x", "---", "2026-01-02", "0x1f", "Zoë", "\x7f",
             "multi\nline with trailing \nspace", "x" * 150]  # fmt: skip
    rng = random.Random(11)

    def value(depth: int = 0):
        roll = rng.random()
        if depth > 3 or roll < 0.5:
            return rng.choice([*texts, 0, 7, -1, None, True, False])
        if roll < 0.75:
            return {rng.choice(["id", "name", "yes", "3", "a b", "", "x: y"]) + str(i):
                    value(depth + 1) for i in range(rng.randint(0, 4))}  # fmt: skip
        return [value(depth + 1) for _ in range(rng.randint(0, 4))]

    for _ in range(2000):
        data = {"top": value(), "items": [value() for _ in range(3)]}
        assert yaml.load(dump_large(data), Loader=yaml.SafeLoader) == data
    plain = {"groups": [{"id": "a", "skills": [{"name": "Testing", "text": "one\n\ntwo"}]}]}
    assert dump_large(plain) == (
        "groups:\n  - id: a\n    skills:\n      - name: Testing\n        text: |-\n"
        "          one\n\n          two\n"
    )


def test_a_document_is_read_the_same_whether_or_not_markdown_it_py_parses_it(monkeypatch):
    """A document with nothing the parser finds (no fence, comment, link reference or
    setext underline) is not parsed: reading every ladder and seed with the parse forced
    gives the same framework and the same reports."""
    import re

    from coachlib.ladders import shapes as importer

    documents = {path.name: path.read_text("utf-8")
                 for path in [*LADDERS.glob("*.md"), *SEEDS.glob("*.txt")]}  # fmt: skip
    documents["quoted-setext.md"] = (
        "# Ladder\n\n## 1 - Novice\n\n> Testing\n> -------\n\n- **Testing**: writes tests\n"
    )
    documents["reference.md"] = "# L\n\n## 1 - A\n\n- **T**: c [x]\n\n  [x]: https://x.org\n"

    def read_all() -> dict[str, object]:
        out: dict[str, object] = {}
        for name, text in documents.items():
            try:
                result = import_markdown(text, source=name)
                out[name] = (result.data, [report.format() for report in result.reports])
            except Exception as exc:  # the same refusal either way
                out[name] = repr(exc)
        return out

    gated = read_all()
    monkeypatch.setattr(importer, "_PARSER_TRIGGERS", re.compile(""))
    parsed = read_all()
    for name in documents:
        assert gated[name] == parsed[name], name
