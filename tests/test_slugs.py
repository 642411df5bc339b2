"""Coachee and team folders are found and claimed by one rule (``Workspace._slug``): the
name's slug, then ``-2``, ``-3``… past folders of others and files in the way; a free
place is claimed with a marker holding the exact name."""

from __future__ import annotations

import pytest

from coachlib.store.workspace import Workspace


@pytest.mark.parametrize("kind", ["coachee", "team"])
def test_one_rule_for_coachee_and_team_folders(workspace: Workspace, kind: str):
    slug_of = workspace.coachee_slug if kind == "coachee" else workspace.team_slug
    parent = workspace.journal_dir if kind == "coachee" else workspace.log_dir
    parent.mkdir(parents=True, exist_ok=True)
    (parent / "ada-lovelace").write_text("a file where a folder would go")
    (parent / "ada-lovelace-2").mkdir()  # a folder of nobody's (no marker, nothing in it)
    assert slug_of("Ada Lovelace") is None  # unknown, and nothing made
    assert slug_of("Ada Lovelace", create=True) == "ada-lovelace-2"
    assert slug_of("Ada Lovelace") == "ada-lovelace-2"
    assert slug_of("ada lovelace", create=True) == "ada-lovelace-3"  # another name
    assert (parent / "ada-lovelace").is_file()
