"""`coach live`: on a coaching JupyterHub, let your coach into your server for a session.

JupyterHub (5.0+) shares a server with another user: they get everything its owner has
(kernels, terminals, files). So only a coachee shares, only their own server, and only
with their own coach: the hub's rules refuse anything else (deploy/jupyterhub/coachhub.py),
and this command asks for nothing else. With jupyter-collaboration in the server's
environment, both then type in the same notebook and see the same form.

It runs inside the coachee's own server, where the hub has set ``JUPYTERHUB_API_URL``,
``JUPYTERHUB_USER`` and a token (``JUPYTERHUB_API_TOKEN``) allowed to share this user's
server (``c.Spawner.server_token_scopes`` in the hub's config). The pack notebooks are
trusted first: a collaborator sees widgets only in a notebook its server trusts.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..model.errors import InputError
from ..store import exchange
from .together import NOTEBOOK, trust

HUB_VARIABLES = ("JUPYTERHUB_API_URL", "JUPYTERHUB_API_TOKEN", "JUPYTERHUB_USER")


@dataclass(frozen=True)
class LiveSession:
    coach: str
    link: str  # what the coach opens: this server's own address (its origin, then /lab)
    open: bool
    unsigned: tuple[Path, ...] = ()  # notebooks not trusted: raw HTML in their Markdown


def _hub() -> dict[str, str]:
    values = {name: os.environ.get(name, "") for name in HUB_VARIABLES}
    if not all(values.values()):
        raise InputError(
            "not inside a server of a coaching JupyterHub",
            hint="on your own machine use `coach serve PACK --collaborate`",
        )
    return values


def _call(hub: dict[str, str], method: str, path: str, body: dict | None) -> dict:
    request = urllib.request.Request(
        f"{hub['JUPYTERHUB_API_URL'].rstrip('/')}/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Authorization": f"token {hub['JUPYTERHUB_API_TOKEN']}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read()).get("message", exc.reason)
        except ValueError:
            message = exc.reason
        raise InputError(f"the hub refused: {message}") from None
    except OSError as exc:
        raise InputError(f"the hub did not answer: {exc}") from None


def _own_origin() -> str:
    """This server's public URL, if it has an origin of its own (the hub's
    ``subdomain_host``); InputError if it shares one with the hub and every other server.

    Sharing lets the coach's browser load what this server serves, extensions and outputs
    included. On one origin a script of the coachee's could then read the coach's own
    server (same-origin windows) and run code as the coach: never share there."""
    public = os.environ.get("JUPYTERHUB_PUBLIC_URL", "")
    hub = os.environ.get("JUPYTERHUB_PUBLIC_HUB_URL", "")
    mine, theirs = urlsplit(public), urlsplit(hub)
    if not mine.netloc or (mine.scheme, mine.netloc) == (theirs.scheme, theirs.netloc):
        raise InputError(
            "not shared: this hub serves everybody's server from one origin, where what "
            "your server serves could act as your coach",
            hint="the hub's admin sets c.JupyterHub.subdomain_host (deploy/jupyterhub/README.md)",
        )
    return public


def share_with_coach(
    packs: list[Path], *, stop: bool = False, exchange_dir: str | None = None
) -> LiveSession:
    # ``packs``: the notebooks to trust first (cleared of saved outputs). The notebook's
    # own Work together button passes none: its notebook is open, and clearing it under
    # the coachee's eyes would take their form away.
    """Share (or with ``stop``, stop sharing) this server with the coachee's own coach."""
    hub = _hub()
    public = "" if stop else _own_origin()
    me = hub["JUPYTERHUB_USER"]
    coach = exchange.own_folder(exchange.exchange_root(exchange_dir), me).coach
    unsigned = []
    if not stop:
        for notebook in (pack / NOTEBOOK for pack in packs):
            if notebook.is_file() and not trust(notebook):
                unsigned.append(notebook)
    path = f"shares/{me}/"
    _call(hub, "PATCH" if stop else "POST", path, {"user": coach})
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/user/{me}/")
    return LiveSession(
        coach=coach,
        link=f"{public.rstrip('/')}/lab" if public else f"{prefix}lab",
        open=not stop,
        unsigned=tuple(unsigned),
    )


@dataclass(frozen=True)
class SharedServer:
    owner: str  # the coachee whose server it is
    link: str  # where the coach opens it


def shared_with_me() -> list[SharedServer]:
    """The servers shared with this person (a coach: their coachees' servers, each shared
    with `coach live` or the Work together button), for the coach's home notebook."""
    hub = _hub()
    answer = _call(hub, "GET", f"users/{hub['JUPYTERHUB_USER']}/shared", None)
    found = []
    for item in answer.get("items", []) if isinstance(answer, dict) else []:
        server = item.get("server") or {}
        owner = (server.get("user") or {}).get("name") or ""
        url = server.get("full_url") or server.get("url") or ""
        if owner and url:
            found.append(SharedServer(owner=owner, link=f"{url.rstrip('/')}/lab"))
    return sorted(found, key=lambda shared: shared.owner)
