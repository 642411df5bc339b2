"""The importer pauses Python's cycle collector while it reads and places a ladder (a third
of a 1 MB import's time went to it); the collector must be back as it was after, whether
the import succeeds or is refused, and an outer pause must be kept."""

from __future__ import annotations

import gc

import pytest

from benchmarks.make_ladder import SHAPES
from coachlib.ladders.importing import import_ladder, read_outline
from coachlib.model.errors import CoachError

LADDER = "# Ladder\n\n## Level 1\n\n### Skill\n\n- ships small changes\n"


def test_no_collection_runs_while_a_ladder_is_read_and_placed():
    text = SHAPES["level-sections"][0](100_000)
    runs = []

    def count(phase: str, info: dict) -> None:
        runs.append(phase)

    gc.callbacks.append(count)
    try:
        import_ladder(read_outline("ladder.md", text))
    finally:
        gc.callbacks.remove(count)
    # one run as each phase hands back (the objects it counted while paused), where
    # about 90 ran without the pause
    assert runs.count("start") <= 2 and gc.isenabled()


def test_a_refused_import_leaves_the_collector_on():
    with pytest.raises(CoachError):
        read_outline("ladder.txt", LADDER)
    assert gc.isenabled()


def test_an_outer_pause_is_kept():
    gc.disable()
    try:
        read_outline("ladder.md", LADDER)
        assert not gc.isenabled()
    finally:
        gc.enable()
