"""`coach frameworks check`: errors, warnings and documented defects, each with its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.model.resources import builtin_frameworks_dir
from coachlib.store.frameworks import check_file

CEP = builtin_frameworks_dir() / "core-engineer-progression.yaml"
OS = builtin_frameworks_dir() / "opensesame-career-skills.yaml"


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    lines = path.read_text("utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


def by_code(findings, code):
    return [f for f in findings if f.code == code]


def test_known_defects_of_seed_002_are_reported_with_their_lines():
    findings = check_file(CEP)
    assert not [f for f in findings if f.severity == "error"]
    [copied] = [f for f in by_code(findings, "copied-criteria") if f.subject == "automation"]
    assert "levels 3, 4, 5 repeat Primary Programming Language (OO or FP) levels 2, 3, 4" in (
        copied.message
    )
    assert copied.line == line_of(CEP, "- level: 3", after="id: automation")
    assert copied.documented
    [typo] = by_code(findings, "lower-case-start")
    assert typo.subject == "performance-testing-in-continuous-deployment"
    assert typo.line == line_of(CEP, "- utomation is a 1st class concern")
    missing = {f.subject: f.line for f in by_code(findings, "missing-description")}
    assert missing == {
        "requirements-gathering": line_of(CEP, "- id: requirements-gathering"),
        "industry-insight": line_of(CEP, "- id: industry-insight"),
    }
    placeholders = {f.subject for f in by_code(findings, "placeholder")}
    assert {"good-coding-practice-design-patterns-solid-principles", "community"} <= placeholders
    [security] = by_code(findings, "documented-duplicate")
    assert security.severity == "note" and security.subject == "security"
    assert security.line == line_of(CEP, "- kind: duplicate", after="id: security")
    gaps = {f.subject for f in by_code(findings, "level-without-criteria")}
    assert gaps == {"technical-decision-making", "technology-strategy"}
    # Deliberate boilerplate (the same closing criteria under many skills) is not flagged.
    assert not [f for f in by_code(findings, "copied-criteria") if f.subject == "testing"]


def test_seed_003_see_also_resolves_and_documented_references_are_listed():
    findings = check_file(OS)
    assert by_code(findings, "see-also-unresolved") == []
    documented = by_code(findings, "documented-unresolved-reference")
    assert {f.subject for f in documented} == {
        "campsite-rule", "vertical-slices", "understand-the-why", "engineering-partner",
    }  # fmt: skip
    assert all(f.line and f.file.endswith("opensesame-career-skills.yaml") for f in documented)


def test_undetected_problems_are_found_in_a_hand_made_file(tmp_path):
    text = CEP.read_text("utf-8")
    text = text.replace("id: security\n", "id: security-again\n", 1)  # no longer the same id
    text = text.replace(
        "        name: Unix\n",
        "        name: Unix\n        see_also: [nowhere]\n",
    )
    text = text.replace("- id: security-again\n        name: Security\n",
                        "- id: security-again\n        name: Testing\n")  # fmt: skip
    path = tmp_path / "cep.yaml"
    path.write_text(text, encoding="utf-8")
    findings = check_file(path)
    [unresolved] = by_code(findings, "see-also-unresolved")
    assert unresolved.line == line_of(path, "see_also: [nowhere]")
    assert "Unix: See also 'nowhere' is no skill or group" in unresolved.message
    [duplicate] = [f for f in by_code(findings, "duplicate-skill") if "Testing" in f.message]
    assert "a skill of the same name comes earlier (Testing)" in duplicate.message


def test_schema_error_is_an_error_with_exit_status_1(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text(CEP.read_text("utf-8").replace("shape: matrix", "shape: pyramid"))
    assert main(["frameworks", "check", str(broken), str(CEP)]) == 1
    out = capsys.readouterr().out
    from coachlib.cli.commands import display_path

    line = line_of(broken, "shape: pyramid")
    assert f"{display_path(broken)}:{line}: error: shape: 'pyramid' is not one of" in out
    assert out.strip().splitlines()[-1].startswith("2 file(s) checked: 1 error(s)")


def test_warnings_only_exit_0_and_json_for_tools(capsys):
    assert main(["frameworks", "check", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["errors"] == 0
    assert report["summary"]["warnings"] > 5
    assert len(report["files"]) == 6  # both Samman tracks have two versions
    finding = report["findings"][0]
    assert set(finding) == {
        "severity", "code", "message", "file", "line", "field", "hint", "documented",
        "subject",
    }  # fmt: skip


@pytest.mark.parametrize("name", ["samman-ensemble.yaml", "samman-learning-hour.yaml"])
def test_the_samman_tracks_are_clean(name):
    assert check_file(builtin_frameworks_dir() / name) == []
