"""The journal cache: unchanged files are not parsed again; a changed, added or deleted
file is always picked up (speed is measured in benchmarks/, not here)."""

from __future__ import annotations

import os
import time

import pytest

from coachlib import analysis, cache
from coachlib.journal import load_journal, record_paths


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def levels(workspace, catalog):
    frame = analysis.load_history(workspace, catalog=catalog).frame
    return dict(zip(frame["record_id"], frame["level"], strict=True))


def test_unchanged_files_are_not_parsed_again(demo_workspace, catalog, monkeypatch):
    first = load_journal(demo_workspace, catalog=catalog)
    from coachlib import journal

    calls = []
    original = journal.read_record
    monkeypatch.setattr(journal, "read_record", lambda path: calls.append(path) or original(path))
    second = load_journal(demo_workspace, catalog=catalog)
    assert calls == []
    assert [r.id for r in second.reviews] == [r.id for r in first.reviews]
    assert all(a is b for a, b in zip(first.reviews, second.reviews, strict=True))


def test_a_changed_file_is_read_again(demo_workspace, catalog):
    before = levels(demo_workspace, catalog)
    path = record_paths(demo_workspace, "mei-chen")[0]
    record_id = f"mei-chen/{path.stem}"
    text = path.read_text()
    old = before[record_id]
    new = 5 if old != 5 else 4
    path.write_text(text.replace(f"level: {old}", f"level: {new}"))
    after = levels(demo_workspace, catalog)
    assert after[record_id] == new
    assert {k: v for k, v in after.items() if k != record_id} == {
        k: v for k, v in before.items() if k != record_id
    }


def test_a_change_that_keeps_size_and_mtime_is_still_seen(demo_workspace, catalog):
    path = record_paths(demo_workspace, "mei-chen")[0]
    record_id = f"mei-chen/{path.stem}"
    old = levels(demo_workspace, catalog)[record_id]
    stat = path.stat()
    new = (old + 1) % 5
    replacement = path.with_name(".tmp-edit")
    replacement.write_text(path.read_text().replace(f"level: {old}", f"level: {new}"))
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replacement, path)  # same size, same mtime: a new inode and change time
    assert levels(demo_workspace, catalog)[record_id] == new


def test_added_and_deleted_files_are_seen(demo_workspace, catalog):
    before = levels(demo_workspace, catalog)
    paths = record_paths(demo_workspace, "ada-lovelace")
    gone = paths[0]
    gone.unlink()
    copy = paths[1].with_name("20990101T000000.000000Z-samman-ensemble-coach.yaml")
    copy.write_text(paths[1].read_text())
    after = levels(demo_workspace, catalog)
    assert f"ada-lovelace/{gone.stem}" in before and f"ada-lovelace/{gone.stem}" not in after
    assert f"ada-lovelace/{copy.stem}" in after
    assert len(after) == len(before)


def test_a_broken_file_stays_reported_and_is_reread_when_fixed(demo_workspace, catalog):
    path = record_paths(demo_workspace, "ada-lovelace")[0]
    good = path.read_text()
    path.write_text("role: [")
    assert len(load_journal(demo_workspace, catalog=catalog).problems) == 1
    assert len(load_journal(demo_workspace, catalog=catalog).problems) == 1
    time.sleep(0.01)
    path.write_text(good)
    assert load_journal(demo_workspace, catalog=catalog).problems == []


def test_callers_cannot_alter_the_cached_frame(demo_workspace, catalog):
    first = analysis.load_history(demo_workspace, catalog=catalog).frame
    first["level"] = 99
    first.iloc[0, first.columns.get_loc("coachee")] = "Someone else"
    second = analysis.load_history(demo_workspace, catalog=catalog).frame
    assert (second["level"] != 99).all()
    assert "Someone else" not in set(second["coachee"])
