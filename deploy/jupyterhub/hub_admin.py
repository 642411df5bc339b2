#!/usr/bin/env python3
"""hub_admin.py: set up a coaching JupyterHub, add coaches and coachees, start it.

Run as root (it makes Unix users and groups, and the hub starts servers as other users).
Python's standard library only, so it runs before anything is installed::

    deploy/jupyterhub/hub_admin.py setup                      # once: groups, env, folders
    deploy/jupyterhub/hub_admin.py add-coach grace            # a coach, with ~/coaching
    deploy/jupyterhub/hub_admin.py add-coachee ada --coach grace --name "Ada Lovelace"
    deploy/jupyterhub/hub_admin.py start                      # the hub, in the foreground
    deploy/jupyterhub/hub_admin.py remove ada                 # the user, home and folders

``--password-stdin`` on add-coach and add-coachee sets the login password from one line
on standard input (else set it with ``passwd NAME``). Every check is made before anything
changes: a refused command changes nothing. The paths follow the environment variables of
``jupyterhub_config.py`` (COACHLIB_HUB_ENV, COACHLIB_HUB_STATE, COACHLIB_EXCHANGE).
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
ENV = Path(os.environ.get("COACHLIB_HUB_ENV", "/opt/coachlib/venv"))
STATE = Path(os.environ.get("COACHLIB_HUB_STATE", "/srv/coachlib/hub"))
EXCHANGE = Path(os.environ.get("COACHLIB_EXCHANGE", "/srv/coachlib/exchange"))
HUB_API = f"http://127.0.0.1:{os.environ.get('COACHLIB_HUB_API_PORT', '8081')}/hub/api"
ADMIN_TOKEN = STATE / "admin-service-token"  # jupyterhub_config.py's coach-hub-admin service
COACHES, COACHEES, PAIR_PREFIX = "coaches", "coachees", "coachlib-"
USER_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,30}$")
LOGIN_DEFS = Path("/etc/login.defs")
NO_NEWS = """{"@jupyterlab/apputils-extension:notification":
  {"fetchNews": "false", "checkForUpdates": false}}
"""


class Refused(Exception):
    """A command that cannot be done as asked; nothing was changed."""


def run(*command: str, stdin: str | None = None) -> None:
    subprocess.run(command, check=True, input=stdin, text=True, stdout=subprocess.DEVNULL)


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def in_group(user: str, group: str) -> bool:
    return group_exists(group) and user in grp.getgrnam(group).gr_mem


def check_name(name: str) -> str:
    if not USER_NAME.match(name):
        raise Refused(f"{name!r} is not a user name here (lower-case letters, digits, - and _, "
                      "starting with a letter, at most 31)")  # fmt: skip
    return name


def private_home(name: str) -> Path:
    """Debian's useradd makes homes 0755: anybody could read a coachee's notebooks."""
    home = Path(pwd.getpwnam(name).pw_dir)
    os.chmod(home, 0o700)
    return home


# -- setup ----------------------------------------------------------------------------------


def setup(args: argparse.Namespace) -> None:
    python = Path(args.python)
    if not python.exists():
        raise Refused(f"no Python at {python} (Debian: apt-get install python3-venv)")
    for group in (COACHES, COACHEES):
        run("groupadd", "-f", group)
    homes_private()
    # the exchange root lets people through to their own folder, but lists nobody's (0711)
    for folder, mode in ((EXCHANGE, 0o711), (STATE, 0o700)):
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, 0, 0)
        os.chmod(folder, mode)
    if not ADMIN_TOKEN.exists():
        ADMIN_TOKEN.touch(mode=0o600)
        ADMIN_TOKEN.write_text(secrets.token_hex(32))
    install_environment(python, extras=args.extras)
    proxy = PROJECT / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        # the proxy only (package.json's dependencies), on the Node.js Debian 12 ships (18)
        run("npm", "ci", "--omit=dev", "--no-audit", "--no-fund", "--prefix", str(PROJECT))
    print(f"Ready: environment {ENV}, exchange {EXCHANGE}, hub state {STATE}.")
    print(f"Next: {sys.argv[0]} add-coach NAME, add-coachee NAME --coach NAME, start")


def homes_private() -> None:
    """HOME_MODE 0700 in /etc/login.defs, so every home useradd makes is owner-only."""
    text = LOGIN_DEFS.read_text() if LOGIN_DEFS.exists() else ""
    lines = [line for line in text.splitlines() if not re.match(r"\s*HOME_MODE\b", line)]
    LOGIN_DEFS.write_text("\n".join([*lines, "HOME_MODE\t0700"]) + "\n")


def install_environment(python: Path, *, extras: str) -> None:
    """The single-user environment: readable by every user (a venv made from a Python
    under /root cannot be started by anybody else), coachlib installed from this project."""
    if not (ENV / "bin" / "python").exists():
        run(str(python), "-m", "venv", str(ENV))
        run(str(ENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(str(ENV / "bin" / "python"), "-m", "pip", "install", "--quiet",
        f"{PROJECT}[{extras}]")  # fmt: skip
    # as in the Makefile: rfc3987-syntax adds seconds to every kernel and server start
    subprocess.run([str(ENV / "bin" / "python"), "-m", "pip", "uninstall", "--quiet", "--yes",
                    "rfc3987-syntax"], check=False)  # fmt: skip
    settings = ENV / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(NO_NEWS)
    run("chmod", "-R", "a+rX,go-w", str(ENV))


# -- people ---------------------------------------------------------------------------------


def add_user(name: str, group: str, password: str | None) -> Path:
    if user_exists(name):
        run("usermod", "-a", "-G", group, name)
    else:
        run("useradd", "--create-home", "--shell", "/bin/bash", "--groups", group, name)
    if password is not None:
        run("chpasswd", stdin=f"{name}:{password}\n")
    return private_home(name)


def read_password(args: argparse.Namespace) -> str | None:
    if not args.password_stdin:
        return None
    password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        raise Refused("a password of 8 characters or more, on one line of standard input")
    return password


def add_coach(args: argparse.Namespace) -> None:
    name = check_name(args.name)
    if in_group(name, COACHEES):
        raise Refused(f"{name} is a coachee: a person is a coach or a coachee, not both")
    require_setup()
    password = read_password(args)
    home = add_user(name, COACHES, password)
    run("runuser", "-u", name, "--", str(ENV / "bin" / "coach"), "init",
        str(home / "coaching"))  # fmt: skip
    print(f"Coach {name}: workspace {home / 'coaching'}, owner-only.")


def add_coachee(args: argparse.Namespace) -> None:
    name, coach = check_name(args.name), check_name(args.coach)
    shown = " ".join((args.display_name or name).split())
    if not in_group(coach, COACHES):
        raise Refused(f"{coach} is not a coach here: add-coach {coach} first")
    if in_group(name, COACHES):
        raise Refused(f"{name} is a coach: a person is a coach or a coachee, not both")
    folder = EXCHANGE / name
    if folder.exists():
        raise Refused(f"{name} has an exchange folder already ({folder}): remove {name} first")
    require_setup()
    password = read_password(args)
    add_user(name, COACHEES, password)
    pair = PAIR_PREFIX + name
    run("groupadd", "-f", pair)
    for member in (name, coach):
        run("usermod", "-a", "-G", pair, member)
    run("install", "-d", "-o", "root", "-g", pair, "-m", "0750", str(folder))
    profile = folder / "coachee.yaml"
    profile.write_text(f"user: {name}\nname: {quote(shown)}\ncoach: {coach}\n")
    os.chown(profile, 0, grp.getgrnam(pair).gr_gid)
    os.chmod(profile, 0o640)
    run("install", "-d", "-o", coach, "-g", pair, "-m", "2750", str(folder / "outbound"))
    run("install", "-d", "-o", name, "-g", pair, "-m", "2750", str(folder / "inbound"))
    print(f"Coachee {name} ({shown}), coached by {coach}: exchange folder {folder}.")
    print(f"If {coach}'s server is running, restart it (Hub Control Panel ▸ Stop My Server) "
          "so it can use the new folder: a server keeps the groups it started with.")  # fmt: skip


def quote(text: str) -> str:
    """A YAML double-quoted scalar (names may hold ':' or '#')."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def remove(args: argparse.Namespace) -> None:
    name = check_name(args.name)
    if not user_exists(name):
        raise Refused(f"no user {name}")
    if not (in_group(name, COACHES) or in_group(name, COACHEES)):
        raise Refused(f"{name} is neither a coach nor a coachee: not removed by this tool")
    in_hub = remove_from_hub(name)  # stops their server, revokes their tokens and cookies
    stop_processes(name)  # userdel refuses a user who still runs anything
    run("userdel", "--remove", name)
    if group_exists(PAIR_PREFIX + name):
        run("groupdel", PAIR_PREFIX + name)
    shutil.rmtree(EXCHANGE / name, ignore_errors=True)
    print(f"Removed {name}, their home and their exchange folder; {in_hub}.")


def hub_call(method: str, path: str) -> int:
    """The hub's REST API, as the admin tool's service; the HTTP status (0: no hub)."""
    token = ADMIN_TOKEN.read_text().strip() if ADMIN_TOKEN.exists() else ""
    request = urllib.request.Request(f"{HUB_API}/{path}", method=method,
                                     headers={"Authorization": f"token {token}"})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def remove_from_hub(name: str, timeout: float = 120) -> str:
    """Delete the person's hub record: the hub stops their server (and reaps it, so no
    zombie is left), and their API tokens, OAuth tokens and login cookies stop working.
    A hub that is not running deletes the record itself when it next starts
    (``delete_invalid_users``), before anybody can use it."""
    deadline = time.monotonic() + timeout
    while True:
        status = hub_call("DELETE", f"users/{name}")
        if status in (204, 404):
            return "their hub record, tokens and cookies deleted" if status == 204 else (
                "they had no hub record")  # fmt: skip
        if status == 0:
            return "the hub is not running: it deletes their record when it starts"
        if status != 400 or time.monotonic() > deadline:  # 400: their server is stopping
            raise Refused(f"the hub refused to delete {name} (HTTP {status}): nothing removed")
        time.sleep(0.5)  # polling: the hub finishing the server's stop


def stop_processes(name: str, timeout: float = 15) -> None:
    """Kill every process of ``name`` and wait until none is left (a zombie is not a
    process that runs: its parent reaps it, and it holds nothing of the user's)."""
    subprocess.run(["pkill", "-KILL", "-u", name], check=False)
    deadline = time.monotonic() + timeout
    while running_processes(name):
        if time.monotonic() > deadline:
            raise Refused(f"{name} still runs processes after {timeout:.0f} s: not removed")
        time.sleep(0.1)  # polling for the processes to be gone


def running_processes(name: str) -> list[str]:
    """The pids of ``name``'s processes that are not zombies."""
    listing = subprocess.run(["ps", "-u", name, "-o", "pid=,stat="], capture_output=True,
                             text=True, check=False).stdout  # fmt: skip
    return [pid for pid, _, stat in (line.strip().partition(" ") for line in
            listing.splitlines()) if pid and not stat.strip().startswith("Z")]  # fmt: skip


def require_setup() -> None:
    if not (ENV / "bin" / "coach").exists() or not EXCHANGE.is_dir():
        raise Refused(f"run `{sys.argv[0]} setup` first (no environment at {ENV} or no "
                      f"exchange at {EXCHANGE})")  # fmt: skip


def start(_args: argparse.Namespace) -> None:
    require_setup()
    STATE.mkdir(parents=True, exist_ok=True)
    os.chdir(STATE)
    hub = ENV / "bin" / "jupyterhub"
    os.execv(hub, [str(hub), "-f", str(HERE / "jupyterhub_config.py")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hub_admin.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    set_up = commands.add_parser("setup", help="groups, the environment, the folders (once)")
    set_up.add_argument("--python", default="/usr/bin/python3",
                        help="a Python every user may run (default: /usr/bin/python3)")  # fmt: skip
    set_up.add_argument("--extras", default="hub,collaborate",
                        help="coachlib's extras to install (default: hub,collaborate)")  # fmt: skip
    set_up.set_defaults(run=setup)
    coach = commands.add_parser("add-coach", help="a coach: user, group, workspace")
    coach.add_argument("name")
    coach.add_argument("--password-stdin", action="store_true")
    coach.set_defaults(run=add_coach)
    coachee = commands.add_parser("add-coachee", help="a coachee: user, groups, exchange")
    coachee.add_argument("name")
    coachee.add_argument("--coach", required=True, help="their coach's user name")
    coachee.add_argument(
        "--name", dest="display_name",
        help="the name the coach's journal uses (default: the user name)",
    )  # fmt: skip
    coachee.add_argument("--password-stdin", action="store_true")
    coachee.set_defaults(run=add_coachee)
    gone = commands.add_parser("remove", help="a coach or coachee, their home and folders")
    gone.add_argument("name")
    gone.set_defaults(run=remove)
    commands.add_parser("start", help="run the hub (foreground)").set_defaults(run=start)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("hub_admin.py: run it as root (it makes users and starts their servers)",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        args.run(args)
    except Refused as exc:
        print(f"hub_admin.py: refused: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"hub_admin.py: {' '.join(exc.cmd)} failed (exit {exc.returncode})",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
