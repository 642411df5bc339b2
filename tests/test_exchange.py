"""The exchange, in one user's view: hand out, receive, hand in, collect, and what is refused.

The walls between Unix users are the operating system's: tests/test_hub.py proves them with
real users on a real JupyterHub. Here, one user plays every part to test the flow and the
checks (a pack naming somebody else, a profile copied from another folder, a hostile zip).
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import struct
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.export.share import hand_out, make_pack
from coachlib.model.errors import InputError
from coachlib.notebook import ReflectionSession
from coachlib.store import exchange
from coachlib.store.collect import IMPORTED, REFUSED, collect
from coachlib.store.journal import load_journal
from coachlib.store.workspace import Workspace

pytestmark = pytest.mark.slow
ADA = "Ada Lovelace"


def make_folder(root: Path, user: str, name: str, coach: str = "grace") -> Path:
    """One coachee's folder, as `hub_admin.py add-coachee` makes it (modes aside)."""
    folder = root / user
    (folder / "outbound").mkdir(parents=True)
    (folder / "inbound").mkdir()
    (folder / "coachee.yaml").write_text(f'user: {user}\nname: "{name}"\ncoach: {coach}\n')
    return folder


@pytest.fixture
def hub(tmp_path, demo_workspace, monkeypatch):
    root = tmp_path / "exchange"
    make_folder(root, "ada", ADA)
    make_folder(root, "bo", "Bo Brandt")
    monkeypatch.setenv(exchange.ENVIRONMENT, str(root))
    return demo_workspace, root


def fill_in(pack: Path, coachee: str, evidence: str) -> None:
    session = ReflectionSession(coachee=coachee, framework="samman-ensemble", workspace=pack)
    form = session.review_form()
    form.picker.value = 3
    form.evidence.value = evidence
    form.save_button.click()
    assert "Saved" in form.status.text


def test_out_and_back_through_the_exchange(hub, tmp_path, registry):
    workspace, root = hub
    pack = hand_out(workspace, coachee="ada", framework="samman-ensemble", exchange=root)
    assert pack.coachee == ADA  # the journal's name for the user `ada`
    assert pack.path.parent == root / "ada" / "outbound"
    assert stat.S_IMODE(pack.path.stat().st_mode) == 0o640  # the pair group reads it

    home = tmp_path / "ada-home"
    [received] = exchange.receive(root, home / "packs", user="ada").new
    assert (received / "reflection.ipynb").is_file()
    assert stat.S_IMODE(received.stat().st_mode) == 0o700
    assert exchange.receive(root, home / "packs", user="ada").new == []  # once only
    fill_in(received, ADA, "Facilitated the whole retro, on my own.")
    (received / "drafts").mkdir(exist_ok=True)
    (received / "drafts" / "private.txt").write_text("not for the coach")

    handed = exchange.hand_in(received, root, user="ada")
    assert handed.parent == root / "ada" / "inbound"
    assert stat.S_IMODE(handed.stat().st_mode) == 0o640
    names = zipfile.ZipFile(handed).namelist()
    assert all(n.split("/", 1)[1] == "pack.yaml" or "/journal/" in n for n in names), names

    before = len(load_journal(workspace, coachee=ADA).reviews)
    report = exchange.collect_hand_ins(workspace, root, registry=registry)
    assert [o.status for o in report.outcomes].count(IMPORTED) == 1, report.outcomes
    # shown as whose hand-in it is and its name, not as a path into the exchange
    assert {o.source for o in report.outcomes} == {f"{ADA}'s hand-in {handed.name}"}
    assert len(load_journal(workspace, coachee=ADA).reviews) == before + 1
    again = exchange.collect_hand_ins(workspace, root, registry=registry)
    assert not [o for o in again.outcomes if o.status == IMPORTED]


def test_a_hand_in_naming_somebody_else_is_refused(hub, tmp_path, registry):
    """Only `bo` can write into bo's inbound: a pack there naming Ada is not Ada's."""
    workspace, root = hub
    pack = hand_out(workspace, coachee=ADA, framework="samman-ensemble", exchange=root)
    [received] = exchange.receive(root, tmp_path / "packs", user="ada").new
    fill_in(received, ADA, "Forged by Bo.")
    forged = exchange.hand_in(received, root, user="ada")
    forged.rename(root / "bo" / "inbound" / forged.name)
    hand_out(workspace, coachee="Bo Brandt", framework="samman-ensemble", exchange=root)
    before = load_journal(workspace, coachee=ADA).reviews
    report = exchange.collect_hand_ins(workspace, root, registry=registry)
    [refused] = [o for o in report.outcomes if o.status == REFUSED]
    assert "handed in by 'Bo Brandt'" in refused.reason
    assert load_journal(workspace, coachee=ADA).reviews == before
    assert pack.path.exists()


def test_a_profile_copied_into_another_folder_is_not_trusted(hub):
    _workspace, root = hub
    (root / "mallory").mkdir()
    (root / "mallory" / "coachee.yaml").write_text((root / "ada" / "coachee.yaml").read_text())
    assert [f.user for f in exchange.folders(root)] == ["ada", "bo"]
    with pytest.raises(InputError, match="no exchange folder"):
        exchange.folder_for(root, "Nobody Here")


def test_a_hostile_pack_zip_is_not_unpacked_at_all(hub, tmp_path):
    _workspace, root = hub
    evil = root / "ada" / "outbound" / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("evil/pack.yaml", "format: x\n")
        archive.writestr("evil/../../escaped.txt", "out")
    receipt = exchange.receive(root, tmp_path / "packs", user="ada")
    [refused] = receipt.refused
    assert receipt.new == [] and "leaves the pack" in refused.one_line()
    assert not (tmp_path / "escaped.txt").exists()
    assert list((tmp_path / "packs").iterdir()) == []


def test_the_commands_refuse_without_an_exchange(demo_workspace, monkeypatch, capsys, tmp_path):
    monkeypatch.delenv(exchange.ENVIRONMENT, raising=False)
    ws = ["--workspace", str(demo_workspace.root)]
    before = sorted(p.relative_to(demo_workspace.root) for p in demo_workspace.root.rglob("*"))
    assert main(["share", "--coachee", ADA, "--framework", "samman-ensemble",
                 "--to-exchange", *ws]) == 2  # fmt: skip
    assert "no exchange" in capsys.readouterr().err
    assert main(["collect", *ws]) == 2
    assert "--from-exchange" in capsys.readouterr().err
    assert main(["hand-in", str(tmp_path)]) == 2
    after = sorted(p.relative_to(demo_workspace.root) for p in demo_workspace.root.rglob("*"))
    assert after == before


def test_the_commands_hand_out_and_collect(hub, capsys, tmp_path):
    workspace, _root = hub
    ws = ["--workspace", str(workspace.root)]
    assert main(["share", "--coachee", "Bo Brandt", "--framework", "samman-learning-hour",
                 "--to-exchange", *ws]) == 0  # fmt: skip
    assert "Handed out" in capsys.readouterr().out
    assert Workspace(workspace.root).coachee_slug("Bo Brandt") is not None
    assert main(["share", "--coachee", "Bo Brandt", "--framework", "samman-learning-hour",
                 "--to-exchange", *ws]) == 2  # fmt: skip
    assert "handed out today already" in capsys.readouterr().err
    assert main(["collect", "--from-exchange", *ws]) == 0
    assert "0 record(s) imported" in capsys.readouterr().out


def test_live_refuses_outside_a_hub(monkeypatch, capsys):
    for name in ("JUPYTERHUB_API_URL", "JUPYTERHUB_API_TOKEN", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    assert main(["live"]) == 2
    assert "not inside a server of a coaching JupyterHub" in capsys.readouterr().err


def test_a_root_nobody_may_list_is_found_through_the_pair_groups(hub, monkeypatch):
    """On the hub the exchange root is 0711: a coach finds their coachees' folders by the
    pair groups they are in (``coachlib-<coachee>``), not by listing the root."""
    _workspace, root = hub
    monkeypatch.setattr(exchange, "_pair_group_users", lambda: iter(["bo"]))
    monkeypatch.setattr(exchange.os, "scandir", _refused)
    assert [folder.user for folder in exchange.folders(root)] == ["bo"]


def _refused(path):
    raise PermissionError(13, "Permission denied", str(path))


ONE_ORIGIN = {
    "JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api",
    "JUPYTERHUB_API_TOKEN": "not-used",
    "JUPYTERHUB_USER": "ada",
    "JUPYTERHUB_PUBLIC_HUB_URL": "https://hub.example.org/hub/",
}


@pytest.mark.parametrize("public_url", ["", "/user/ada/", "https://hub.example.org/user/ada/"])
def test_live_refuses_on_a_hub_that_serves_everybody_from_one_origin(
    monkeypatch, capsys, public_url
):
    """With one origin for all servers, what the coachee's server serves runs beside the
    coach's own server in the coach's browser: `coach live` shares nothing there."""
    for name, value in {**ONE_ORIGIN, "JUPYTERHUB_PUBLIC_URL": public_url}.items():
        monkeypatch.setenv(name, value)
    assert main(["live"]) == 2
    err = capsys.readouterr().err
    assert "one origin" in err and "subdomain_host" in err, err
    assert len(err.strip().splitlines()) <= 2, err


# --- what a coachee's receive and hand-in refuse -------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def coach(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """The `coach` command in its own process, bounded: a command that hangs (on a FIFO)
    fails the test instead of stopping it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "coachlib.cli", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)  # fmt: skip


def zip_of(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytearray:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a name given twice: zipfile warns, and writes it
        with zipfile.ZipFile(buffer, "w", compression=method) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return bytearray(buffer.getvalue())


MANIFEST = b"format: coachlib.pack/1\ncoachee: Ada Lovelace\n" * 10
RECORD = b"format: coachlib.review/1\n" * 10


def _patch(data: bytearray, signature: bytes, offset: int, value: int) -> bytearray:
    """Set a 16- or 32-bit field of the first zip header with ``signature``."""
    at = data.index(signature) + offset
    struct.pack_into("<I" if offset in (14, 18, 20, 22, 24) else "<H", data, at, value)
    return data


def _bad_crc() -> bytearray:
    data = zip_of([("p/pack.yaml", MANIFEST)], zipfile.ZIP_STORED)
    return bytearray(bytes(data).replace(b"Ada Lovelace", b"Ada Lovelacf", 1))


def _size(value: int) -> bytearray:
    return _patch(zip_of([("p/pack.yaml", MANIFEST)]), b"PK\x01\x02", 24, value)


def _flag_and_method(flag: int, method: int) -> bytearray:
    data = zip_of([("p/pack.yaml", MANIFEST)])
    for signature, flag_at, method_at in ((b"PK\x01\x02", 8, 10), (b"PK\x03\x04", 6, 8)):
        _patch(data, signature, flag_at, flag | data[data.index(signature) + flag_at])
        _patch(data, signature, method_at, method or data[data.index(signature) + method_at])
    return data


DAMAGED = {
    "a bad CRC": (_bad_crc, "Bad CRC-32"),
    "a size that is smaller": (lambda: _size(5), "cannot read from the zip"),
    "a size that is larger": (lambda: _size(2_000), "where the zip says 2,000"),
    "an encrypted entry": (lambda: _flag_and_method(1, 0), "encrypted"),
    "an unknown compression method": (lambda: _flag_and_method(0, 99), "compression method 99"),
    "an empty zip": (lambda: zip_of([]), "no pack.yaml"),
    "a name given twice": (
        lambda: zip_of([("p/pack.yaml", MANIFEST), ("p/pack.yaml", b"format: x\n")]),
        "given twice",
    ),
    "a name too long to write": (
        lambda: zip_of([("p/pack.yaml", MANIFEST), ("p/" + "n" * 300, b"x")]),
        "longer than 255 bytes",
    ),
    "a file and a folder": (
        lambda: zip_of([("p/pack.yaml", MANIFEST), ("p/a", b"x"), ("p/a/b", b"y")]),
        "is both a file and a folder",
    ),
}


@pytest.fixture
def own(tmp_path, demo_workspace):
    """An exchange where the user running the tests is the coachee Ada, with one good pack
    handed out to her."""
    root = tmp_path / "exchange"
    user = exchange.current_user()
    make_folder(root, user, ADA)
    good = hand_out(demo_workspace, coachee=ADA, framework="samman-ensemble", exchange=root)
    return root, root / user, good.path


@pytest.mark.parametrize("case", DAMAGED, ids=lambda case: case.replace(" ", "-"))
def test_a_bad_zip_is_refused_in_one_line_and_the_other_packs_come(own, tmp_path, case):
    root, folder, good = own
    build, reason = DAMAGED[case]
    (folder / "outbound" / "a-bad.zip").write_bytes(bytes(build()))  # listed before the good
    dest = tmp_path / "packs"
    done = coach("receive", "--exchange", str(root), "--to", str(dest))
    assert done.returncode == 1, done.stderr
    [line] = done.stderr.splitlines()
    assert "a-bad.zip" in line and reason in line, line
    assert sorted(p.name for p in dest.iterdir()) == [good.stem]  # nothing of the bad one
    assert (dest / good.stem / "reflection.ipynb").is_file()


def test_a_fifo_named_like_a_zip_is_refused_at_once(own, tmp_path):
    root, folder, good = own
    os.mkfifo(folder / "outbound" / "a-fifo.zip")
    dest = tmp_path / "packs"
    done = coach("receive", "--exchange", str(root), "--to", str(dest), timeout=30)
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert "a-fifo.zip" in line and "not a regular file" in line, line
    assert sorted(p.name for p in dest.iterdir()) == [good.stem]


def test_a_killed_receive_leaves_nothing_the_next_one_does_not_clean(own, tmp_path):
    root, _folder, good = own
    dest = tmp_path / "packs"
    (dest / ".tmp-k1ll3d" / "pack" / "journal").mkdir(parents=True)
    (dest / ".tmp-k1ll3d" / "pack" / "pack.yaml").write_text("half")
    done = coach("receive", "--exchange", str(root), "--to", str(dest))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in dest.iterdir()) == [good.stem]


def unzipped(pack_zip: Path, tmp_path: Path, evidence: str) -> Path:
    """A handed-out pack as the coachee has it, with one self-review saved in it."""
    shutil.unpack_archive(pack_zip, tmp_path / "packs")
    [pack] = (tmp_path / "packs").iterdir()
    fill_in(pack, ADA, evidence)
    return pack


def received_pack(own, tmp_path) -> tuple[Path, Path]:
    root, _folder, good = own
    return root, unzipped(good, tmp_path, "Mine to hand in.")


@pytest.mark.parametrize("kind", ["manifest link", "journal link", "record link", "fifo",
                                  "sparse 2 GB"])  # fmt: skip
def test_hand_in_sends_plain_files_within_the_limits_only(own, tmp_path, kind):
    root, pack = received_pack(own, tmp_path)
    record_folder = next((pack / "journal").iterdir())
    outside = tmp_path / "outside"
    (outside / "ada-lovelace").mkdir(parents=True)
    (outside / "secret.yaml").write_text("secret: from outside the pack\n")
    (outside / "ada-lovelace" / "secret.yaml").write_text("secret: from outside\n")
    if kind == "manifest link":
        (pack / "pack.yaml").unlink()
        (pack / "pack.yaml").symlink_to("/etc/passwd")
    elif kind == "journal link":
        shutil.rmtree(pack / "journal")
        (pack / "journal").symlink_to(outside)
    elif kind == "record link":
        (record_folder / "zz.yaml").symlink_to(outside / "secret.yaml")
    elif kind == "fifo":
        os.mkfifo(record_folder / "zz.yaml")
    else:
        with open(record_folder / "zz.yaml", "wb") as sparse:
            sparse.truncate(2 * 1024**3)
    done = coach("hand-in", str(pack), "--exchange", str(root), timeout=30)
    assert done.returncode == 2, (done.stdout, done.stderr)
    [line] = done.stderr.splitlines()
    assert "nothing was handed in" in line and str(pack) in line, line
    assert list((own[1] / "inbound").iterdir()) == []


def test_a_hand_in_sends_only_what_collect_reads(own, tmp_path):
    root, pack = received_pack(own, tmp_path)
    with open(pack / "journal" / "big.bin", "wb") as sparse:
        sparse.truncate(2 * 1024**3)  # not a record: stays with the coachee, never read
    handed = exchange.hand_in(pack, root)
    names = zipfile.ZipFile(handed).namelist()
    assert f"{pack.name}/pack.yaml" in names and not [n for n in names if "big" in n]
    assert all(n.endswith(".yaml") for n in names)


def test_a_folder_named_like_a_zip_in_inbound_is_not_a_hand_in(hub, tmp_path, registry):
    workspace, root = hub
    good = hand_out(workspace, coachee=ADA, framework="samman-ensemble", exchange=root)
    pack = unzipped(good.path, tmp_path, "Handed in as a folder.")
    shutil.copytree(pack, root / "ada" / "inbound" / "x.zip")
    before = load_journal(workspace, coachee=ADA).reviews
    report = exchange.collect_hand_ins(workspace, root, registry=registry)
    assert report.count(IMPORTED) == 0
    [refused] = [o for o in report.outcomes if o.status == REFUSED]
    assert refused.source.endswith("x.zip") and "not a regular zip file" in refused.reason
    assert load_journal(workspace, coachee=ADA).reviews == before


def test_nothing_typed_but_not_saved_goes_back(hub, tmp_path, registry):
    """A draft (and collaboration state) in the pack never leaves it: not in the zip
    `coach hand-in --zip` writes for a coachee off the hub, and collect ignores them if a
    whole folder comes back anyway."""
    workspace, _root = hub
    pack = make_pack(workspace, coachee=ADA, framework="samman-ensemble",
                     to=tmp_path / "ada").path  # fmt: skip
    fill_in(pack, ADA, "Saved: facilitated the retro.")
    session = ReflectionSession(coachee=ADA, framework="samman-ensemble", workspace=pack)
    form = session.review_form()
    form.evidence.value = "UNSAVED-MARKER typed, never saved"
    assert form.drafts.flush() is not None  # the draft the kernel writes when typing stops
    (pack / ".jupyter_ystore.db").write_text("UNSAVED-MARKER edit history")
    assert "UNSAVED-MARKER" in "".join(
        p.read_text(errors="replace") for p in pack.rglob("*") if p.is_file()
    )
    out = tmp_path / "back.zip"
    assert main(["hand-in", str(pack), "--zip", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert all(n.split("/", 1)[1] == "pack.yaml" or "/journal/" in n for n in names), names
        assert not [n for n in names if b"UNSAVED-MARKER" in archive.read(n)]
    assert main(["hand-in", str(pack), "--zip", str(out)]) == 2  # never over a file

    before = len(load_journal(workspace, coachee=ADA).reviews)
    report = collect(workspace, [pack], registry=registry)  # the whole folder, drafts and all
    assert [o.status for o in report.outcomes].count(IMPORTED) == 1, report.outcomes
    assert not [o for o in report.outcomes if "draft" in o.file or "ystore" in o.file]
    assert len(load_journal(workspace, coachee=ADA).reviews) == before + 1
    journal = workspace.journal_dir
    assert not [p for p in journal.rglob("*.yaml") if "UNSAVED-MARKER" in p.read_text()]
