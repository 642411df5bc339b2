"""The one atomic writer: a reader never sees a 0-byte or partial file, on every path a
filesystem allows (hard links; renameat2 without replacing; a claim file), and two
writers never take the same name."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from coachlib.model.errors import StorageError
from coachlib.store import atomic

PAYLOAD = b"x" * 200_000  # big enough that a write takes a moment


def no_hard_links(monkeypatch) -> None:
    """A filesystem without hard links (some network and FAT filesystems): os.link fails
    as it does there."""

    def refuse(*_args, **_kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "link", refuse)


def race(folder: Path, writers: int = 6, names: int = 3) -> tuple[list[Path], list[str]]:
    """Writers compete for the same few names while a reader watches the folder; returns
    the files written and anything odd the reader saw."""
    seen_bad: list[str] = []
    written: list[Path] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for entry in os.scandir(folder):
                if entry.name.startswith("."):
                    continue
                size = entry.stat().st_size
                if size != len(PAYLOAD):
                    seen_bad.append(f"{entry.name}: {size} bytes")

    def write(number: int) -> None:
        candidates = [f"record-{n}.yaml" for n in range(names * writers)]
        written.append(atomic.write_new_file(folder, candidates, PAYLOAD))

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join()
    return written, seen_bad


def check(folder: Path, written: list[Path], seen_bad: list[str]) -> None:
    assert seen_bad == []
    assert len(set(written)) == len(written) == 6  # never the same name twice
    assert all(path.read_bytes() == PAYLOAD for path in written)
    assert [p for p in folder.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_with_hard_links(tmp_path):
    check(tmp_path, *race(tmp_path))


def test_without_hard_links_renameat2_claims_the_name(tmp_path, monkeypatch):
    if atomic._libc_renameat2() is None:
        pytest.skip("this C library has no renameat2")
    no_hard_links(monkeypatch)
    check(tmp_path, *race(tmp_path))


def test_without_hard_links_or_renameat2_a_claim_file_decides(tmp_path, monkeypatch):
    no_hard_links(monkeypatch)
    monkeypatch.setattr(atomic, "_libc_renameat2", lambda: None)
    check(tmp_path, *race(tmp_path))


def test_replace_writes_a_whole_new_file_with_the_modes(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    old = os.umask(0o077)
    try:
        atomic.write_file(target, "new", modes=atomic.SHARED)
    finally:
        os.umask(old)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o660  # whatever the umask says


def test_a_special_file_is_written_into_never_replaced(tmp_path):
    """A target that is not a regular file (a FIFO here; /dev/stdout for a person) is
    written into, never renamed over: our own FIFO, so that a test running as root never
    touches the system's devices."""
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    atomic.write_file(fifo, "through the pipe")
    reader.join(timeout=30)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_folder_in_the_way_is_a_clear_error(tmp_path):
    with pytest.raises(StorageError, match="is a folder, not a file"):
        atomic.write_file(tmp_path, "x")


def test_many_files_at_once_are_whole_or_absent(tmp_path):
    """The batch writer (collect): a reader watching the folders sees every file complete,
    never partly written, and the names are taken as with one file at a time."""
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
        (folder / "record-0.yaml").write_bytes(PAYLOAD)  # a name already taken
    seen_bad: list[str] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for folder in folders:
                for entry in os.scandir(folder):
                    if not entry.name.startswith(".") and entry.stat().st_size != len(PAYLOAD):
                        seen_bad.append(entry.name)

    watcher = threading.Thread(target=watch)
    watcher.start()
    items = [(folders[n % 2], [f"record-{k}.yaml" for k in range(10)], PAYLOAD) for n in range(8)]
    written = atomic.write_new_files(items)
    done.set()
    watcher.join()
    assert seen_bad == []
    assert len(set(written)) == 8 and all(p.read_bytes() == PAYLOAD for p in written)
    assert all(p.name != "record-0.yaml" for p in written)
    assert [p for f in folders for p in f.iterdir() if p.name.startswith(".")] == []
