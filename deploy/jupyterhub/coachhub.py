"""The coaching hub's rules, for ``jupyterhub_config.py``: who is who, and who may share.

JupyterHub does the serving; this module only narrows what it allows, with its own
extension points (an Authenticator's groups and handlers, a pre-spawn hook):

- A person is a coach (Unix group ``coaches``) or a coachee (``coachees``), never both and
  never neither: anybody else is refused at login. The hub's groups follow the Unix ones
  at every login (``manage_groups``).
- Sharing a server (JupyterHub 5+) gives the receiver everything the owner has: their
  kernels, terminals and files. A coach's server holds every coachee's journal, so a coach
  can never share (their role has no ``shares`` scope, and the share handler refuses them
  too). A coachee may share their own server with their own coach and nobody else (the
  coach is the other member of the coachee's pair group ``coachlib-<coachee>``).
- Share codes are turned off: any user who gets hold of a code could accept it, whatever
  their role. Sharing with a group is turned off: it answers 200 but grants nothing.
- When a coachee's server starts, their new packs are unpacked into ``~/packs``
  (``coach receive``, run as the coachee, never as root).
"""

from __future__ import annotations

import asyncio
import grp
import pwd
import shutil

from jupyterhub.apihandlers.shares import ServerShareAPIHandler, ServerShareCodeAPIHandler
from jupyterhub.auth import PAMAuthenticator
from jupyterhub.handlers.base import BaseHandler
from tornado import web

COACHES, COACHEES = "coaches", "coachees"
RUNUSER = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin") or "runuser"
PAIR_PREFIX = "coachlib-"  # the Unix group of one coachee and their coach

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


def unix_members(group: str) -> set[str]:
    """The users of a Unix group: its listed members and those whose primary group it is."""
    try:
        entry = grp.getgrnam(group)
    except KeyError:
        return set()
    primary = {user.pw_name for user in pwd.getpwall() if user.pw_gid == entry.gr_gid}
    return set(entry.gr_mem) | primary


def kind_of(user: str) -> str | None:
    """``coaches`` or ``coachees`` for a person of the practice; None for anybody else (or
    for somebody in both groups, which the admin tool never makes)."""
    kinds = [group for group in (COACHES, COACHEES) if user in unix_members(group)]
    return kinds[0] if len(kinds) == 1 else None


def coach_of(coachee: str) -> str | None:
    """The coach of ``coachee``: the other member of their pair group, who is a coach."""
    others = unix_members(PAIR_PREFIX + coachee) - {coachee}
    coaches = [user for user in sorted(others) if kind_of(user) == COACHES]
    return coaches[0] if len(coaches) == 1 else None


class CoachShareHandler(ServerShareAPIHandler):
    """``POST /hub/api/shares/OWNER/SERVER``: only a coachee, only with their own coach."""

    async def post(self, user_name, server_name=None):
        if self.current_user is None:
            raise web.HTTPError(403, "Missing or invalid credentials.")
        model = self.get_json_body() or {}
        if model.get("group"):
            raise web.HTTPError(403, "sharing with a group is turned off: share with your coach")
        if kind_of(user_name) != COACHEES:
            raise web.HTTPError(403, "a coach's server is never shared: it holds every "
                                "coachee's journal")  # fmt: skip
        coach = coach_of(user_name)
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


class CoachingAuthenticator(PAMAuthenticator):
    """PAM, plus: coaches and coachees only, the hub's groups from the Unix groups, and the
    sharing rules above (an authenticator's handlers come before the hub's own)."""

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

    def get_handlers(self, app):
        return [
            *super().get_handlers(app),
            (r"/api/shares/([^/]+)/([^/]*)", CoachShareHandler),
            (r"/api/share-codes/([^/]+)", NoShareCodesHandler),
            (r"/api/share-codes/([^/]+)/([^/]*)", NoShareCodesHandler),
            (r"/accept-share", NoAcceptShareHandler),
        ]


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
