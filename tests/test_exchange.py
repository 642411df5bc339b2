"""The exchange, in one user's view: hand out, receive, hand in, collect, and what is refused.

The walls between Unix users are the operating system's: tests/test_hub.py proves them with
real users on a real JupyterHub. Here, one user plays every part to test the flow and the
checks (a pack naming somebody else, a profile copied from another folder, a hostile zip).
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.export.share import hand_out
from coachlib.model.errors import CoachError, InputError
from coachlib.notebook import ReflectionSession
from coachlib.store import exchange
from coachlib.store.collect import IMPORTED, REFUSED
from coachlib.store.journal import load_journal
from coachlib.store.workspace import Workspace

pytestmark = pytest.mark.slow
ADA = "Ada Lovelace"


def make_folder(root: Path, user: str, name: str, coach: str = "grace") -> Path:
    """One coachee's folder, as `coach_hub.py add-coachee` makes it (modes aside)."""
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


def test_out_and_back_through_the_exchange(hub, tmp_path, catalog):
    workspace, root = hub
    pack = hand_out(workspace, coachee="ada", framework="samman-ensemble", exchange=root)
    assert pack.coachee == ADA  # the journal's name for the user `ada`
    assert pack.path.parent == root / "ada" / "outbound"
    assert stat.S_IMODE(pack.path.stat().st_mode) == 0o640  # the pair group reads it

    home = tmp_path / "ada-home"
    [received] = exchange.receive(root, home / "packs", user="ada")
    assert (received / "reflection.ipynb").is_file()
    assert stat.S_IMODE(received.stat().st_mode) == 0o700
    assert exchange.receive(root, home / "packs", user="ada") == []  # once only
    fill_in(received, ADA, "Facilitated the whole retro, on my own.")
    (received / "drafts").mkdir(exist_ok=True)
    (received / "drafts" / "private.txt").write_text("not for the coach")

    handed = exchange.hand_in(received, root, user="ada")
    assert handed.parent == root / "ada" / "inbound"
    assert stat.S_IMODE(handed.stat().st_mode) == 0o640
    names = zipfile.ZipFile(handed).namelist()
    assert all(n.split("/", 1)[1] == "pack.yaml" or "/journal/" in n for n in names), names

    before = len(load_journal(workspace, coachee=ADA).reviews)
    report = exchange.collect_hand_ins(workspace, root, catalog=catalog)
    assert [o.status for o in report.outcomes].count(IMPORTED) == 1, report.outcomes
    # shown as whose hand-in it is and its name, not as a path into the exchange
    assert {o.source for o in report.outcomes} == {f"{ADA}'s hand-in {handed.name}"}
    assert len(load_journal(workspace, coachee=ADA).reviews) == before + 1
    again = exchange.collect_hand_ins(workspace, root, catalog=catalog)
    assert not [o for o in again.outcomes if o.status == IMPORTED]


def test_a_hand_in_naming_somebody_else_is_refused(hub, tmp_path, catalog):
    """Only `bo` can write into bo's inbound: a pack there naming Ada is not Ada's."""
    workspace, root = hub
    pack = hand_out(workspace, coachee=ADA, framework="samman-ensemble", exchange=root)
    [received] = exchange.receive(root, tmp_path / "packs", user="ada")
    fill_in(received, ADA, "Forged by Bo.")
    forged = exchange.hand_in(received, root, user="ada")
    forged.rename(root / "bo" / "inbound" / forged.name)
    hand_out(workspace, coachee="Bo Brandt", framework="samman-ensemble", exchange=root)
    before = load_journal(workspace, coachee=ADA).reviews
    report = exchange.collect_hand_ins(workspace, root, catalog=catalog)
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
    with pytest.raises(CoachError, match="leaves the pack"):
        exchange.receive(root, tmp_path / "packs", user="ada")
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
