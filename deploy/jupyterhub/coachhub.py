"""The coaching hub's rules, for ``jupyterhub_config.py``: who is who, and who may share.

JupyterHub does the serving; this module only narrows what it allows, with its own
extension points (an Authenticator's handlers and groups, a pre-spawn hook):

- A person is a coach (group ``coaches``) or a coachee (``coachees``), never both and never
  neither: anybody else is refused at login here, and may not share anywhere.
- Sharing a server (JupyterHub 5+) gives the receiver everything the owner has: their
  kernels, terminals and files. A coach's server holds every coachee's journal, so a coach
  can never share (their role has no ``shares`` scope, and the share handler refuses them
  too). A coachee may share their own server with their own coach and nobody else (the
  coach is the other member of the coachee's pair group ``coachlib-<coachee>``).
- Share codes are turned off: any user who gets hold of a code could accept it, whatever
  their role. Sharing with a group is turned off: it answers 200 but grants nothing.
- When a coachee's server starts, their new packs are unpacked into ``~/packs``
  (``coach receive``, run as the coachee, never as root).

The sharing rules hold with any login: ``with_coaching_rules(AnyAuthenticator)`` puts them
in front of the hub's own handlers. Who is in which group is read from the hub's own groups
(``hub.loadGroups`` on Kubernetes, or an identity provider's groups); on one machine,
``CoachingAuthenticator`` reads the Unix groups instead, which ``hub_admin.py`` keeps.
"""

from __future__ import annotations

import asyncio
import grp
import importlib
import os
import pwd
import shutil
from importlib.metadata import entry_points

from jupyterhub import orm
from jupyterhub.apihandlers.shares import ServerShareAPIHandler, ServerShareCodeAPIHandler
from jupyterhub.auth import Authenticator, PAMAuthenticator
from jupyterhub.handlers.base import BaseHandler
from jupyterhub.spawner import LocalProcessSpawner
from tornado import web

COACHES, COACHEES = "coaches", "coachees"
RUNUSER = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin") or "runuser"
PAIR_PREFIX = "coachlib-"  # the group of one coachee and their coach

# A coachee may share their own server with coaches only (the handler narrows it to their
# own coach); a coach gets no sharing scope at all.
ROLES = [
    {
        "name": "coachee-sharing",
        "description": "A coachee may share their own server with their coach",
        "scopes": ["shares!user", "read:users:name!group=coaches"],
        "groups": [COACHEES],
    },
]

# The admin tool's service (``hub_admin.py remove``): it deletes a person's hub record, which
# stops their server and revokes their tokens and cookies. It can do that to coaches and
# coachees only, and nothing else.
ADMIN_SERVICE = "coach-hub-admin"
ADMIN_ROLE = {
    "name": ADMIN_SERVICE,
    "description": "hub_admin.py: remove a coach or a coachee from the hub",
    "scopes": [f"admin:users!group={COACHES}", f"admin:users!group={COACHEES}"],
    "services": [ADMIN_SERVICE],
}


def unix_members(group: str) -> set[str]:
    """The users of a Unix group: its listed members and those whose primary group it is."""
    try:
        entry = grp.getgrnam(group)
    except KeyError:
        return set()
    primary = {user.pw_name for user in pwd.getpwall() if user.pw_gid == entry.gr_gid}
    return set(entry.gr_mem) | primary


def one_kind(user: str, members) -> str | None:
    """``coaches`` or ``coachees`` for a person of the practice; None for anybody else (or
    for somebody in both groups, which the admin tool never makes)."""
    kinds = [group for group in (COACHES, COACHEES) if user in members(group)]
    return kinds[0] if len(kinds) == 1 else None


def kind_of(user: str) -> str | None:
    """A person's kind from the Unix groups (one machine)."""
    return one_kind(user, unix_members)


def the_coach(coachee: str, members) -> str | None:
    """The coach of ``coachee``: the one other member of their pair group, a coach."""
    others = members(PAIR_PREFIX + coachee) - {coachee}
    coaches = [user for user in sorted(others) if one_kind(user, members) == COACHES]
    return coaches[0] if len(coaches) == 1 else None


def coach_of(coachee: str) -> str | None:
    """A coachee's coach from the Unix groups (one machine)."""
    return the_coach(coachee, unix_members)


class CoachingRules:
    """A mixin for any JupyterHub Authenticator: the sharing rules' handlers come first.

    ``members(handler, group)`` says who is in a group: the hub's own groups by default.
    """

    def members(self, handler: BaseHandler, group: str) -> set[str]:
        found = orm.Group.find(handler.db, group)
        return {user.name for user in found.users} if found is not None else set()

    def get_handlers(self, app):
        return [
            (r"/api/shares/([^/]+)/([^/]*)", CoachShareHandler),
            (r"/api/share-codes/([^/]+)", NoShareCodesHandler),
            (r"/api/share-codes/([^/]+)/([^/]*)", NoShareCodesHandler),
            (r"/accept-share", NoAcceptShareHandler),
            *super().get_handlers(app),  # type: ignore[misc]
        ]


class CoachShareHandler(ServerShareAPIHandler):
    """``POST /hub/api/shares/OWNER/SERVER``: only a coachee, only with their own coach."""

    async def post(self, user_name, server_name=None):
        if self.current_user is None:
            raise web.HTTPError(403, "Missing or invalid credentials.")
        rules = self.authenticator
        if not isinstance(rules, CoachingRules):  # registered only by CoachingRules
            raise web.HTTPError(403, "sharing is turned off: the coaching rules are not loaded")
        model = self.get_json_body() or {}
        if model.get("group"):
            raise web.HTTPError(403, "sharing with a group is turned off: share with your coach")
        members = lambda group: rules.members(self, group)  # noqa: E731
        if one_kind(user_name, members) != COACHEES:
            raise web.HTTPError(403, "a coach's server is never shared: it holds every "
                                "coachee's journal")  # fmt: skip
        coach = the_coach(user_name, members)
        if not coach or model.get("user") != coach:
            raise web.HTTPError(403, f"{user_name} may share their server with their coach "
                                f"({coach or 'none yet'}) only")  # fmt: skip
        return await super().post(user_name, server_name)


class NoShareCodesHandler(ServerShareCodeAPIHandler):
    """Share codes are off: anybody holding one could accept it, whatever their role."""

    def post(self, *args, **kwargs):
        raise web.HTTPError(403, "share codes are turned off here: share with your coach by name")


class NoAcceptShareHandler(BaseHandler):
    def get(self, *args, **kwargs):
        raise web.HTTPError(403, "share codes are turned off here")

    post = get


def resolve_authenticator(name_or_class) -> type[Authenticator]:
    """An Authenticator class from a class, an entry-point name (``"github"``, as the
    Zero to JupyterHub chart writes it) or a dotted import path."""
    if isinstance(name_or_class, type):
        return name_or_class
    name = str(name_or_class)
    for point in entry_points(group="jupyterhub.authenticators"):
        if point.name == name:
            return point.load()
    module, _, attribute = name.rpartition(".")
    if not module:
        raise ValueError(f"no JupyterHub authenticator called {name!r}")
    return getattr(importlib.import_module(module), attribute)


def with_coaching_rules(authenticator) -> type[Authenticator]:
    """``authenticator`` (a class or its name) with the sharing rules in front of the hub's
    own handlers, so that swapping the login for another keeps the walls."""
    base = resolve_authenticator(authenticator)
    if issubclass(base, CoachingRules):
        return base
    return type(f"Coaching{base.__name__}", (CoachingRules, base), {})


class CoachingAuthenticator(CoachingRules, PAMAuthenticator):
    """PAM on one machine, plus: coaches and coachees only, the hub's groups from the Unix
    groups at each login, and the sharing rules (read from the Unix groups, which
    ``hub_admin.py`` keeps, so a new coachee's pair counts before anybody logs in again)."""

    def members(self, handler: BaseHandler, group: str) -> set[str]:
        return unix_members(group)

    async def authenticate(self, handler, data):
        result = await super().authenticate(handler, data)
        name = result.get("name") if isinstance(result, dict) else result
        if not name:
            return None
        kind = kind_of(name)
        if kind is None:
            self.log.warning("%s is neither a coach nor a coachee: refused", name)
            return None
        return {"name": name, "groups": [kind]}


class CoachingSpawner(LocalProcessSpawner):
    """Each person's server as their own Unix user, where a stopped server counts as
    stopped even when it lingers as a zombie.

    A server started before a hub restart is no longer the hub's child: once it exits, it
    waits as a zombie for whichever process adopted it to reap it, and an init that does
    not reap (as in some containers and VMs) leaves it there. ``os.kill(pid, 0)`` still
    succeeds on a zombie, so JupyterHub waited a minute for it and then said it "never
    died", and removing the person waited with it."""

    async def _signal(self, sig):
        alive = await super()._signal(sig)
        return alive and not zombie(self.pid)


def zombie(pid: int) -> bool:
    """Whether ``pid`` has exited and waits to be reaped (state ``Z`` in /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            stat = file.read()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def pre_spawn(coach_command: str, exchange: str):
    """The hook that starts each person where their work is, and hands coachees their packs."""

    async def hook(spawner) -> None:
        user = spawner.user.name
        kind = kind_of(user)
        if kind == COACHES:
            spawner.default_url = "/lab/tree/coaching/home.ipynb"
            return
        spawner.default_url = "/lab/tree/packs"
        try:  # as the coachee: root never writes into a person's home
            process = await asyncio.create_subprocess_exec(
                RUNUSER, "-u", user, "--", coach_command, "receive", "--exchange", exchange,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
                cwd="/", env={"HOME": pwd.getpwnam(user).pw_dir, "PATH": "/usr/bin:/bin"},
            )  # fmt: skip
            output, _ = await process.communicate()
        except OSError as exc:  # the server still starts; the packs wait for the next start
            spawner.log.error("coach receive for %s could not run: %s", user, exc)
            return
        spawner.log.info("coach receive for %s (exit %s): %s", user, process.returncode,
                         output.decode(errors="replace").strip())  # fmt: skip

    return hook


def lab_settings(python: str | os.PathLike) -> tuple[list[str], dict]:
    """coachlib's JupyterLab options and environment (``coachlib.serve.lab_settings``) for
    each person's server, as the single-user environment's own coachlib has them: asked of
    its Python, because the hub may run from another environment. The person's own Jupyter
    config folder (in their home) stays on the config path. Without coachlib's answer,
    JupyterLab's defaults stand."""
    import json
    import subprocess

    ask = ("import json; from coachlib.serve import lab_settings as s; "
           "print(json.dumps([s.lab_arguments(), str(s.CONFIG)]))")  # fmt: skip
    try:
        answer = subprocess.run([str(python), "-c", ask], capture_output=True, text=True,
                                timeout=60, check=True)  # fmt: skip
        arguments, config = json.loads(answer.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        print(f"coachhub: coachlib's JupyterLab settings not found ({exc}): defaults used")
        return [], {}

    def own(*parts: str):
        return lambda spawner: os.path.join(_home(spawner.user.name), ".jupyter", *parts)

    return arguments, {
        "JUPYTER_CONFIG_DIR": config,
        "JUPYTER_CONFIG_PATH": own(),
        "JUPYTERLAB_SETTINGS_DIR": own("lab", "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": own("lab", "workspaces"),
    }


def _home(user: str) -> str:
    return pwd.getpwnam(user).pw_dir
