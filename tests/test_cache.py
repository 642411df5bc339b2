"""The journal cache: unchanged files are not parsed again; a changed, added or deleted
file is always picked up (speed is measured in benchmarks/, not here)."""

from __future__ import annotations

import os
import time

import pytest

from coachlib.model.collector import collector_paused
from coachlib.store import cache
from coachlib.store.journal import load_journal, record_paths
from coachlib.views import history


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def levels(workspace, registry):
    frame = history.load_history(workspace, registry=registry).frame
    return dict(zip(frame["record_id"], frame["level"], strict=True))


def test_unchanged_files_are_not_parsed_again(demo_workspace, registry, monkeypatch):
    first = load_journal(demo_workspace, registry=registry)
    from coachlib.store import journal

    calls = []
    original = journal.read_record
    monkeypatch.setattr(journal, "read_record", lambda path: calls.append(path) or original(path))
    second = load_journal(demo_workspace, registry=registry)
    assert calls == []
    assert [r.id for r in second.reviews] == [r.id for r in first.reviews]
    assert all(a is b for a, b in zip(first.reviews, second.reviews, strict=True))


def test_a_changed_file_is_read_again(demo_workspace, registry):
    before = levels(demo_workspace, registry)
    path = record_paths(demo_workspace, "mei-chen")[0]
    record_id = f"mei-chen/{path.stem}"
    text = path.read_text()
    old = before[record_id]
    new = 5 if old != 5 else 4
    path.write_text(text.replace(f"level: {old}", f"level: {new}"))
    after = levels(demo_workspace, registry)
    assert after[record_id] == new
    assert {k: v for k, v in after.items() if k != record_id} == {
        k: v for k, v in before.items() if k != record_id
    }


def test_a_change_that_keeps_size_and_mtime_is_still_seen(demo_workspace, registry):
    path = record_paths(demo_workspace, "mei-chen")[0]
    record_id = f"mei-chen/{path.stem}"
    old = levels(demo_workspace, registry)[record_id]
    stat = path.stat()
    new = (old + 1) % 5
    replacement = path.with_name(".tmp-edit")
    replacement.write_text(path.read_text().replace(f"level: {old}", f"level: {new}"))
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replacement, path)  # same size, same mtime: a new inode and change time
    assert levels(demo_workspace, registry)[record_id] == new


def test_added_and_deleted_files_are_seen(demo_workspace, registry):
    before = levels(demo_workspace, registry)
    paths = record_paths(demo_workspace, "ada-lovelace")
    gone = paths[0]
    gone.unlink()
    copy = paths[1].with_name("20990101T000000.000000Z-samman-ensemble-coach.yaml")
    copy.write_text(paths[1].read_text())
    after = levels(demo_workspace, registry)
    assert f"ada-lovelace/{gone.stem}" in before and f"ada-lovelace/{gone.stem}" not in after
    assert f"ada-lovelace/{copy.stem}" in after
    assert len(after) == len(before)


def test_a_broken_file_stays_reported_and_is_reread_when_fixed(demo_workspace, registry):
    path = record_paths(demo_workspace, "ada-lovelace")[0]
    good = path.read_text()
    path.write_text("role: [")
    assert len(load_journal(demo_workspace, registry=registry).problems) == 1
    assert len(load_journal(demo_workspace, registry=registry).problems) == 1
    time.sleep(0.01)
    path.write_text(good)
    assert load_journal(demo_workspace, registry=registry).problems == []


def test_callers_cannot_alter_the_cached_frame(demo_workspace, registry):
    first = history.load_history(demo_workspace, registry=registry).frame
    first["level"] = 99
    first.iloc[0, first.columns.get_loc("coachee")] = "Someone else"
    second = history.load_history(demo_workspace, registry=registry).frame
    assert (second["level"] != 99).all()
    assert "Someone else" not in set(second["coachee"])


def team_levels(workspace, registry):
    frame = history.load_levels(workspace, registry=registry).frame
    return dict(
        zip(zip(frame["record_id"], frame["skill"], strict=True), frame["level"], strict=True)
    )


def test_the_level_index_matches_the_journal_and_follows_every_change(demo_workspace, registry):
    from coachlib.store.index import index_path

    full = history.load_history(demo_workspace, registry=registry).frame
    expected = dict(
        zip(zip(full["record_id"], full["skill"], strict=True), full["level"], strict=True)
    )
    assert team_levels(demo_workspace, registry) == expected
    assert index_path(demo_workspace).is_file()
    assert index_path(demo_workspace).stat().st_mode & 0o077 == 0
    assert b"reflection" not in index_path(demo_workspace).read_bytes()

    paths = record_paths(demo_workspace, "mei-chen")
    changed, gone = paths[0], paths[1]
    old = next(v for (rid, _s), v in expected.items() if rid == f"mei-chen/{changed.stem}")
    new = (old + 1) % 5
    changed.write_text(changed.read_text().replace(f"level: {old}", f"level: {new}"))
    gone.unlink()
    added = paths[2].with_name("20990101T000000.000000Z-samman-ensemble-coach.yaml")
    added.write_text(paths[2].read_text())
    cache.clear()  # a new process: only the index on disk is left
    after = team_levels(demo_workspace, registry)
    assert [level for (rid, _s), level in after.items() if rid == f"mei-chen/{changed.stem}"] == [
        new
    ]
    assert not any(rid == f"mei-chen/{gone.stem}" for rid, _s in after)
    assert any(rid == f"mei-chen/{added.stem}" for rid, _s in after)


def test_a_changed_framework_rechecks_indexed_records(demo_workspace):
    from coachlib.model.resources import builtin_frameworks_dir
    from coachlib.model.review import milestone_review
    from coachlib.store.frameworks import registry_for
    from coachlib.store.journal import save_review

    local = demo_workspace.frameworks_dir
    local.mkdir()
    text = (builtin_frameworks_dir() / "samman-ensemble.yaml").read_text()
    own = text.replace("id: samman-ensemble\n", "id: team-ensemble\n")
    (local / "team-ensemble.yaml").write_text(own)
    registry = registry_for(demo_workspace.root)
    framework = registry.get("team-ensemble")
    save_review(
        demo_workspace,
        milestone_review(framework, coachee="Mei Chen", author="Coach", role="coach", level=4),
        registry,
    )
    assert history.load_levels(demo_workspace, registry=registry).problems == []
    # The workspace's framework is edited to stop at milestone 3: the record at 4 no
    # longer fits, though the journal file itself did not change.
    cut = own[: own.index("  - level: 4")] + own[own.index("groups:") :]
    (local / "team-ensemble.yaml").write_text(cut)
    narrower = registry_for(demo_workspace.root)
    problems = history.load_levels(demo_workspace, registry=narrower).problems
    expected = load_journal(demo_workspace, registry=narrower).problems
    assert {p.file for p in problems} == {p.file for p in expected}
    assert len(problems) == 1 and "not on the scale" in str(problems[0])


def test_an_unreadable_index_is_rebuilt(demo_workspace, registry):
    from coachlib.store.index import index_path

    before = team_levels(demo_workspace, registry)
    index_path(demo_workspace).write_text("{not json")
    cache.clear()
    assert team_levels(demo_workspace, registry) == before


def test_the_level_frame_is_in_the_history_order(demo_workspace, registry):
    """Oldest first, by time then record, rows of one record in their order: the levels
    of the index (sorted on its codes) line up with the full history row for row."""
    import pandas as pd

    full = history.load_history(demo_workspace, registry=registry).frame
    fast = history.load_levels(demo_workspace, registry=registry).frame
    assert len(fast) == len(full) > 1000
    assert list(fast.index) == list(range(len(fast)))

    def rows(frame):
        return [
            (record, skill, when.value, None if pd.isna(level) else int(level))
            for record, skill, when, level in zip(
                frame["record_id"], frame["skill"], frame["when"].dt.as_unit("ns"),
                frame["level"], strict=True,
            )
        ]  # fmt: skip

    assert rows(fast) == rows(full)


def test_the_level_frame_texts_are_sorted_categories_of_the_same_values(demo_workspace, registry):
    """The level frame's texts come straight from the index's codes as categoricals (the
    team views group and compare on codes): the same values as the full history, row for
    row, missing where it is missing, and the categories sorted, so a sort or a group-by
    on a column orders the rows as it did on the strings."""
    import pandas as pd

    full = history.load_history(demo_workspace, registry=registry).frame
    fast = history.load_levels(demo_workspace, registry=registry).frame
    for name in ("record_id", "coachee", "framework", "role", "author", "part", "skill", "mark"):
        column = fast[name]
        assert isinstance(column.dtype, pd.CategoricalDtype), name
        categories = list(column.cat.categories)
        assert categories == sorted(categories), name
        expected = [None if pd.isna(v) or v is None else v for v in full[name]]
        assert [None if pd.isna(v) else v for v in column] == expected, name
    assert fast["mark"].isna().any() and fast["mark"].notna().any()


def _damage(data: bytes, how: str) -> bytes:
    """The index file ``data``, damaged ``how``: its header line edited (and padded again,
    as the writer pads it), or its bytes cut."""
    import json

    from coachlib.store.index import MAGIC

    end = data.index(b"\n", len(MAGIC))
    header, body = json.loads(data[len(MAGIC) : end]), data[end + 1 :]
    if how == "codes beyond the categories":
        header["categories"]["skill"] = header["categories"]["skill"][:1]
    elif how == "a level that is not a number":
        header["categories"]["level"] = ["four", *header["categories"]["level"][1:]]
    elif how == "a file cut short":
        body = body[:-64]
    elif how == "an unknown code type":
        next(part for part in header["parts"] if part[0] == "skill")[1] = "d"
    elif how == "another byte order":
        header["byteorder"] = "big" if header["byteorder"] == "little" else "little"
    elif how == "a ratings count that does not add up":
        offset = 0
        for name, _kind, length in header["parts"]:
            if name == "counts":
                break
            offset += length + (-length % 8)
        body = body[:offset] + bytes([body[offset] + 1]) + body[offset + 1 :]
    elif how == "not an index":
        return b"{not json"
    line = json.dumps(header).encode()
    line += b" " * (-(len(MAGIC) + len(line) + 1) % 8) + b"\n"
    return MAGIC + line + body


@pytest.mark.parametrize(
    "how",
    [
        "codes beyond the categories",
        "a level that is not a number",
        "a file cut short",
        "an unknown code type",
        "another byte order",
        "a ratings count that does not add up",
        "not an index",
    ],
)
def test_a_damaged_index_is_rebuilt(demo_workspace, registry, how):
    """An index that parses but does not hold together is read as no index: rebuilt from
    the journal (every file read again), the same levels, no traceback."""
    from coachlib.store.index import index_path, read_level_index

    before = team_levels(demo_workspace, registry)
    files = len(record_paths(demo_workspace))
    cache.clear()
    assert read_level_index(demo_workspace, registry).read == 0  # the index, as it was
    path = index_path(demo_workspace)
    path.write_bytes(_damage(path.read_bytes(), how))
    cache.clear()
    assert read_level_index(demo_workspace, registry).read == files
    cache.clear()
    assert team_levels(demo_workspace, registry) == before
    cache.clear()
    assert read_level_index(demo_workspace, registry).read == 0  # the rebuilt one reads back


def test_the_level_index_pauses_the_collector_and_gives_it_back(demo_workspace, registry):
    """The collector is off while the index is checked (tens of thousands of short-lived
    objects), on again afterwards; a collector that was off stays off."""
    import gc

    from coachlib.store import index

    seen = []
    real = index._read_level_index

    def spy(*args):
        seen.append(gc.isenabled())
        return real(*args)

    assert gc.isenabled()
    try:
        index._read_level_index = spy
        index.read_level_index(demo_workspace, registry)
        assert seen == [False] and gc.isenabled()
        with collector_paused():  # nested: on again only when the last one leaves
            index.read_level_index(demo_workspace, registry)
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        index.read_level_index(demo_workspace, registry)
        assert not gc.isenabled()
    finally:
        index._read_level_index = real
        gc.enable()


def test_record_ids_in_the_level_frame_keep_string_order(workspace, registry):
    """The index lists a folder's files by name without ``.yaml`` and the folders by name
    with a ``/`` after it, so record ids come in string order with no sort of them all:
    two reviews saved in the same second (``…-coach.yaml`` and ``…-coach-2.yaml``, whose
    file names sort the other way) and a coachee whose folder name begins with another's
    (``ann``, ``ann-b``) keep the full history's order, row for row."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from coachlib.model.review import milestone_review
    from coachlib.store.journal import save_review

    framework = registry.get("samman-ensemble")
    when = datetime(2026, 3, 1, 9, tzinfo=UTC)
    for coachee in ("Ann B", "Ann"):
        for level in (2, 3, 1):
            review = milestone_review(
                framework, coachee=coachee, author="Coach", role="coach", level=level
            )
            save_review(workspace, replace(review, when=when), registry)
    names = sorted(path.name for path in (workspace.journal_dir / "ann").glob("*.yaml"))
    assert names[0].endswith("-coach-2.yaml")  # the file names' order is not the ids'
    full = history.load_history(workspace, registry=registry).frame
    fast = history.load_levels(workspace, registry=registry).frame
    ids = list(fast["record_id"].cat.categories)
    assert ids == sorted(ids) and ids[0].startswith("ann-b/") and ids[-1].startswith("ann/")
    assert list(fast["record_id"]) == list(full["record_id"])
    assert list(fast["level"]) == list(full["level"])


def test_the_json_index_of_earlier_versions_is_removed_when_the_new_one_is_written(
    demo_workspace, registry
):
    """Format 6 replaced the JSON index (12 MB for a team of 500): the old file is not
    left behind in the user's cache."""
    from coachlib.store.index import index_path, read_level_index

    old = index_path(demo_workspace).with_suffix(".json")
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text('{"version": 5}')
    read_level_index(demo_workspace, registry)
    assert index_path(demo_workspace).is_file() and not old.exists()
