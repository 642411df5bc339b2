"""A real coaching JupyterHub for the tests: real Unix users, PAM, configurable-http-proxy.

``running_hub()`` does what deploy/jupyterhub/README.md tells an admin to do, with the same
tool (``hub_admin.py``): it installs the single-user environment (from this checkout, into
a folder of its own so a real deployment on the machine is not touched), adds one coach and
two coachees with random passwords, starts the hub on free loopback ports, waits until its
API answers, and afterwards removes the users through the tool while the hub runs (which
stops their servers through the hub), their homes, groups and exchange folders, then stops
the hub and removes the folders it made.

Each person's server is served at a host of its own, ``USER.hub.localhost`` (the hub's
``subdomain_host``). Chromium reaches any ``*.localhost`` name by itself; Python and
Playwright's request client use the system's resolver, so the test lists the names it uses
in /etc/hosts for its run (and takes them out again). ``COACHLIB_TEST_ONE_ORIGIN=1`` runs
the hub with every server on one origin, to watch the origin tests go red.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser_support import REPO, missing
from tests.lab_server import free_port

TOOL = REPO / "deploy" / "jupyterhub" / "hub_admin.py"
PROXY = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
NODE_BIN = REPO / "node_modules" / ".bin"  # holds `node`: Node.js 18, as Debian 12 has
TEST_ENV = Path(os.environ.get("COACHLIB_TEST_HUB_ENV", "/opt/coachlib-test/venv"))
SYSTEM_PYTHON = Path("/usr/bin/python3")
HOSTS = Path("/etc/hosts")
HUB_HOST = "hub.localhost"
ONE_ORIGIN = os.environ.get("COACHLIB_TEST_ONE_ORIGIN") == "1"  # the broken config, on purpose


@dataclass
class Person:
    user: str
    password: str
    name: str  # the journal's name for them

    @property
    def home(self) -> Path:
        return Path("/home") / self.user


@dataclass
class Hub:
    url: str
    root: Path  # /srv/coachlib-test-XXXX: the exchange and the hub's state
    env: dict[str, str]
    coach: Person
    coachees: list[Person] = field(default_factory=list)
    log: Path | None = None
    process: subprocess.Popen | None = None

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def port(self) -> str:
        return self.env["COACHLIB_HUB_PORT"]

    @property
    def api_url(self) -> str:
        """The hub's own REST API, as the admin tool and the test reach it (no proxy)."""
        return f"http://127.0.0.1:{self.env['COACHLIB_HUB_API_PORT']}/hub/api"

    def server_url(self, person: Person) -> str:
        """The address of ``person``'s server, on its own origin (ending in /)."""
        if ONE_ORIGIN:
            return f"{self.url}/user/{person.user}/"
        return f"http://{person.user}.{HUB_HOST}:{self.port}/user/{person.user}/"

    def start(self) -> None:
        """Start the hub (`hub_admin.py start`), until its API answers through the proxy."""
        assert self.log is not None
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([sys.executable, str(TOOL), "start"], env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)  # fmt: skip
        wait_until_up(self, self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None

    def call(self, method: str, path: str, token: str) -> int:
        """The hub's REST API with an API token; the HTTP status."""
        request = urllib.request.Request(f"{self.api_url}/{path}", method=method,
                                         headers={"Authorization": f"token {token}"})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def tool(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, str(TOOL), *args], env=self.env, input=stdin,
                                capture_output=True, text=True, timeout=900)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def as_user(self, person: Person, *args: str) -> subprocess.CompletedProcess:
        """The `coach` command run as ``person`` (their groups, their home), like their server."""
        command = [
            "runuser", "-u", person.user, "--", "env", f"HOME={person.home}",
            f"COACHLIB_EXCHANGE={self.exchange}", str(TEST_ENV / "bin" / "coach"), *args,
        ]  # fmt: skip
        result = subprocess.run(command, env=self.env, capture_output=True, text=True,
                                timeout=300, cwd="/")  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def ensure_handed_in(self) -> None:
        """Each coachee has received a pack and handed it in, and the coach has collected
        (the CLI way), unless the browser test already did it the notebook way."""
        for person in self.coachees:
            if not any((self.exchange / person.user / "outbound").iterdir()):
                self.as_user(self.coach, "share", "--coachee", person.name, "--framework",
                             "samman-ensemble", "--to-exchange", "--workspace",
                             str(self.coach.home / "coaching"))  # fmt: skip
            self.as_user(person, "receive")
            if not any((self.exchange / person.user / "inbound").iterdir()):
                pack = next((person.home / "packs").iterdir())
                self.as_user(person, "hand-in", str(pack))
        self.as_user(self.coach, "collect", "--from-exchange", "--workspace",
                     str(self.coach.home / "coaching"))  # fmt: skip


def check_can_run() -> None:
    """Skip with the reason where a hub cannot run (fail in CI, where it must)."""
    if os.geteuid() != 0:
        missing("the hub test makes Unix users and starts servers as them: run it as root")
    for tool in ("useradd", "runuser", "chpasswd", "npm"):
        if shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") is None:
            missing(f"no {tool} on this machine")
    if not PROXY.exists() or not (NODE_BIN / "node").exists():
        missing(f"no configurable-http-proxy or node in {NODE_BIN} (npm ci installs them)")
    if not SYSTEM_PYTHON.exists():
        missing(f"no {SYSTEM_PYTHON}: the single-user environment needs a Python every user "
                "may run")  # fmt: skip


@contextlib.contextmanager
def running_hub(log_dir: Path, coachees: int = 2) -> Iterator[Hub]:
    """A hub with one coach and ``coachees`` coachees (Ada, Bo, then Coachee 03, ...)."""
    check_can_run()
    tag = "ct" + secrets.token_hex(2)
    root = Path(f"/srv/coachlib-test-{tag}")
    ports = [free_port() for _ in range(3)]
    env = {
        **os.environ,
        # the proxy on Node.js 18, Debian 12's (package.json's devDependencies install it)
        "PATH": f"{NODE_BIN}:" + os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin",
        "COACHLIB_HUB_ENV": str(TEST_ENV),
        "COACHLIB_HUB_STATE": str(root / "hub"),
        "COACHLIB_EXCHANGE": str(root / "exchange"),
        "COACHLIB_HUB_PORT": str(ports[0]),
        "COACHLIB_HUB_API_PORT": str(ports[1]),
        "COACHLIB_PROXY_API_PORT": str(ports[2]),
        "COACHLIB_SHARE_CACHE": "5",
        "COACHLIB_HUB_URL": "" if ONE_ORIGIN else f"http://{HUB_HOST}:{ports[0]}",
    }
    coach = Person(f"{tag}-coach", secrets.token_urlsafe(12), f"{tag}-coach")
    people = [Person(f"{tag}-ada", secrets.token_urlsafe(12), "Ada Lovelace"),
              Person(f"{tag}-bo", secrets.token_urlsafe(12), "Bo Brandt")]  # fmt: skip
    people += [Person(f"{tag}-c{n:02d}", secrets.token_urlsafe(12), f"Coachee {n:02d}")
               for n in range(3, coachees + 1)]  # fmt: skip
    people = people[:coachees]
    host = "127.0.0.1" if ONE_ORIGIN else HUB_HOST
    hub = Hub(url=f"http://{host}:{ports[0]}", root=root, env=env, coach=coach,
              coachees=people, log=log_dir / "jupyterhub.log")  # fmt: skip
    marker = f"# coachlib hub test {tag}"
    try:
        names = [HUB_HOST, *(f"{p.user}.{HUB_HOST}" for p in [coach, *people])]
        text = HOSTS.read_text()
        with HOSTS.open("a") as hosts:  # in place: /etc/hosts may be a mount
            hosts.write(("" if text.endswith("\n") or not text else "\n")
                        + f"127.0.0.1 {' '.join(names)} {marker}\n")  # fmt: skip
        hub.tool("setup", "--python", str(SYSTEM_PYTHON))
        hub.tool("add-coach", coach.user, "--password-stdin", stdin=coach.password + "\n")
        for person in people:
            hub.tool("add-coachee", person.user, "--coach", coach.user, "--name", person.name,
                     "--password-stdin", stdin=person.password + "\n")  # fmt: skip
        log_dir.mkdir(parents=True, exist_ok=True)
        hub.start()
        yield hub
    finally:
        left = []
        for person in [*people, coach]:  # while the hub runs: it stops their servers
            gone = subprocess.run([sys.executable, str(TOOL), "remove", person.user], env=env,
                                  capture_output=True, text=True, check=False)  # fmt: skip
            if gone.returncode != 0 and "no user" not in gone.stderr:
                left.append(f"{person.user}: {gone.stderr.strip()}")
        hub.stop()
        shutil.rmtree(root, ignore_errors=True)
        lines = HOSTS.read_text().splitlines(keepends=True)
        with HOSTS.open("w") as hosts:
            hosts.writelines(line for line in lines if marker not in line)
        if left:  # the test made them, the test must take them away
            raise RuntimeError("users left behind: " + "; ".join(left))


def wait_until_up(hub: Hub, process: subprocess.Popen, timeout: float = 90) -> None:
    """Until the hub's API answers through the proxy (the proxy says 404 before the hub has
    added its route), or the hub has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the hub stopped (exit {process.returncode}): see {hub.log}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling the event (the API answering), not a fixed wait
    raise RuntimeError(f"the hub did not answer in {timeout:.0f} s: see {hub.log}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM: the hub stops the servers it started, then itself; SIGKILL what is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
