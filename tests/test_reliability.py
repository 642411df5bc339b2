"""Nothing lost: concurrent writers, writers killed mid-write, two kernels at once.

The figures (writers, records, trials, partial records) are printed: run with -s to see.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import random
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coachlib.model.review import Assessment, new_review
from coachlib.store.doctor import check
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import load_journal, record_paths, save_review
from coachlib.store.workspace import TEMP_PREFIX, Workspace

pytestmark = pytest.mark.slow
COACHEE = "Zoë Ağaoğlu"
FORK = multiprocessing.get_context("fork")
SIZE = 20_000  # characters of each text of a crash-test record (the limit): a write takes a while


def review(role: str, text: str, size: int = 0):
    return new_review(
        coachee=COACHEE,
        framework="samman-ensemble",
        author="Grace Hopper" if role == "coach" else COACHEE,
        role=role,
        assessments=[
            Assessment("ensemble-facilitation", 3, evidence=text, reflection="x" * size,
                       next_steps="y" * size, note="z" * size)
        ],
    )  # fmt: skip


def _writer(root: str, writer: int, count: int, barrier) -> None:
    workspace = Workspace(root)
    registry = registry_for(root)
    role = "coach" if writer % 2 == 0 else "self"
    barrier.wait()  # all writers start at the same moment
    for index in range(count):
        save_review(workspace, review(role, f"writer {writer} review {index}"), registry)


def test_four_writers_save_1000_reviews_for_one_coachee_at_once(tmp_path):
    root = tmp_path / "ws"
    Workspace.open(root, create=True)
    writers, each = 4, 250
    barrier = FORK.Barrier(writers)
    processes = [
        FORK.Process(target=_writer, args=(str(root), w, each, barrier)) for w in range(writers)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
        assert process.exitcode == 0
    seconds = time.perf_counter() - started
    workspace = Workspace(root)
    load = load_journal(workspace, registry=registry_for(root))
    texts = [r.assessments[0].evidence for r in load.reviews]
    expected = {f"writer {w} review {i}" for w in range(writers) for i in range(each)}
    print(
        f"\nconcurrent writers: {writers} x {each} = {len(texts)} records loaded, "
        f"{len(load.problems)} problems, {len(set(texts))} distinct, {seconds:.1f} s"
    )
    assert load.problems == []
    assert len(texts) == writers * each
    assert set(texts) == expected  # none lost, none merged into another
    assert len(record_paths(workspace)) == writers * each
    assert workspace.coachees() == {"zoe-agaoglu": COACHEE}  # one folder, claimed once
    assert list(root.rglob(TEMP_PREFIX + "*")) == []
    roles = {r.assessments[0].evidence.split()[1]: r.role for r in load.reviews}
    assert roles == {"0": "coach", "1": "self", "2": "coach", "3": "self"}


def _endless_writer(root: str, ready) -> None:
    workspace = Workspace(root)
    registry = registry_for(root)
    ready.send(True)
    index = 0
    while True:  # until killed
        save_review(workspace, review("coach", f"crash {index}", size=SIZE), registry)
        index += 1


def test_a_writer_killed_at_random_moments_never_leaves_a_half_record(tmp_path):
    root = tmp_path / "ws"
    Workspace.open(root, create=True)
    registry = registry_for(root)
    rng = random.Random(20261121)  # seeded: the same kill moments every run
    trials, partial, saved = 120, 0, 0
    for _ in range(trials):
        ready_out, ready_in = FORK.Pipe(duplex=False)
        process = FORK.Process(target=_endless_writer, args=(str(root), ready_in))
        process.start()
        ready_out.recv()
        time.sleep(rng.uniform(0, 0.15))
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        load = load_journal(Workspace(root), registry=registry)
        partial += len(load.problems)
        saved = len(load.reviews)
        assert all(len(r.assessments[0].reflection) == SIZE for r in load.reviews)
    leftovers = list(root.rglob(TEMP_PREFIX + "*"))
    print(
        f"\ncrash trials: {trials} SIGKILLs, {saved} whole records saved, "
        f"{partial} partial records seen, {len(leftovers)} temporary files left behind"
    )
    assert partial == 0
    assert saved > 0
    # The doctor removes what the killed writers left (once no write can still be going on).
    checkup = check(Workspace(root), now=time.time() + 3600)
    assert list(root.rglob(TEMP_PREFIX + "*")) == []
    assert checkup.count("fixed") == len(leftovers)
    assert not checkup.needs_a_person


def _collector(root: str, pack: str, ready) -> None:
    from coachlib.store.collect import collect

    workspace = Workspace(root)
    registry = registry_for(root)
    ready.send(True)
    collect(workspace, [Path(pack)], registry=registry)


def test_a_collect_killed_at_random_moments_leaves_whole_records_and_finishes_later(tmp_path):
    """kill -9 during a collect of 1,000 records: the journal holds whole records only, and
    collecting again brings in exactly the rest."""
    from datetime import timedelta

    from coachlib.model.pack import MANIFEST, Manifest
    from coachlib.model.safeyaml import dump
    from coachlib.store.collect import ALREADY, IMPORTED, collect

    root, pack = tmp_path / "ws", tmp_path / "pack"
    workspace, packed = Workspace.open(root, create=True), Workspace.open(pack, create=True)
    registry = registry_for(root)
    save_review(workspace, review("coach", "the coach's own"), registry)  # the coachee exists
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(1_000):
        save_review(packed, dataclasses.replace(
            review("self", f"reflection {index}"), when=start + timedelta(minutes=index)
        ), registry)  # fmt: skip
    manifest = Manifest(coachee=COACHEE, framework="samman-ensemble", made=start)
    (pack / MANIFEST).write_text(dump(manifest.to_dict()), encoding="utf-8")
    rng = random.Random(20261128)
    counts = []
    for _ in range(15):
        ready_out, ready_in = FORK.Pipe(duplex=False)
        process = FORK.Process(target=_collector, args=(str(root), str(pack), ready_in))
        process.start()
        ready_out.recv()
        time.sleep(rng.uniform(0, 0.5))  # a random moment to pull the plug, not a wait
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        load = load_journal(Workspace(root), registry=registry)
        assert load.problems == []  # never a half record
        counts.append(len(load.reviews))
    assert counts == sorted(counts)  # nothing lost between interruptions
    report = collect(workspace, [pack], registry=registry)
    assert report.count(IMPORTED) == 1_001 - counts[-1] and not report.refused
    assert len(load_journal(workspace).reviews) == 1_001
    assert collect(workspace, [pack], registry=registry).count(ALREADY) == 1_000
    print(f"\ncollect crash trials: 15 SIGKILLs, journal sizes {counts}")


def test_a_coach_kernel_and_a_self_kernel_save_at_the_same_moment(tmp_path):
    from jupyter_client.manager import start_new_kernel

    root = tmp_path / "ws"
    Workspace.open(root, create=True)
    code = """
from coachlib.notebook import ReviewSession
session = ReviewSession(framework="samman-ensemble", coachee={coachee!r}, author={author!r},
                        role={role!r}, workspace={root!r})
form = session.review_form()
for index in range(40):
    form.picker.value = 2
    form.evidence.value = f"{role} kernel review {{index}}"
    form.save()  # what a click does, after its grace period for held-back updates
assert len(form.saved) == 40
"""
    kernels = [start_new_kernel(kernel_name="python3") for _ in range(2)]
    try:
        ids = []
        for (_manager, client), role in zip(kernels, ("coach", "self"), strict=True):
            author = "Grace Hopper" if role == "coach" else COACHEE
            source = code.format(coachee=COACHEE, author=author, role=role, root=str(root))
            ids.append(client.execute(source))
        for (_manager, client), msg_id in zip(kernels, ids, strict=True):
            reply = client.get_shell_msg(timeout=120)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = client.get_shell_msg(timeout=120)
            assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        for manager, client in kernels:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    load = load_journal(Workspace(root), registry=registry_for(root))
    texts = sorted(r.assessments[0].evidence for r in load.reviews)
    print(f"\ntwo kernels: {len(texts)} records, {len(load.problems)} problems")
    assert load.problems == []
    assert len(texts) == len(set(texts)) == 80
    assert {r.role for r in load.reviews} == {"coach", "self"}


def test_nothing_is_ever_overwritten_even_with_the_same_name(tmp_path, registry):
    workspace = Workspace.open(tmp_path / "ws", create=True)
    when = datetime(2026, 1, 1, tzinfo=UTC)
    paths = []
    for index in range(5):
        fixed = review("coach", f"same moment {index}")
        fixed = type(fixed)(**{**fixed.__dict__, "when": when})
        paths.append(save_review(workspace, fixed, registry).path)
    assert len(set(paths)) == 5
    assert [Path(p).read_text().count("same moment") for p in paths] == [1] * 5
