"""coachlib's part of the hub's configuration on Zero to JupyterHub (chart 4.4.0).

Passed as ``hub.extraConfig.coachlib`` with ``helm --set-file`` (values.yaml says how). The
chart's ``jupyterhub_config.py`` runs it last, with ``exec`` in its own namespace: ``c`` is
the hub's configuration, already holding ``hub.config`` and the roles the chart built (the
idle culler's and ``hub.loadRoles``), and ``get_config`` is the chart's lookup of a value
(``get_config("hub.config", default)``), not traitlets'.

It does only what values cannot say:

- the login class the values name, wrapped with the sharing rules
  (``coachhub.with_coaching_rules``: its handlers come before the hub's own);
- the single-user server's own token scopes, as on one machine.

It never assigns ``c.JupyterHub.load_roles``: the chart's list holds the culler's role.
"""

# ruff: noqa: F821  (`c` comes from the chart's jupyterhub_config.py, which runs this file)

from importlib.metadata import entry_points

import coachhub  # deploy/jupyterhub/coachhub.py, mounted by hub.extraFiles.coachhub
from traitlets.utils.importstring import import_item

# The chart's default login, `dummy`, takes any password: never wrap it.
REFUSED_AUTHENTICATORS = {"dummy", "jupyterhub.auth.dummyauthenticator"}


def configured_authenticator(value):
    """The class ``JupyterHub.authenticator_class`` names, resolved as JupyterHub does: an
    entry point of ``jupyterhub.authenticators`` by its name (any case), else a dotted
    import path; a class is taken as it is."""
    if isinstance(value, type):
        return value
    if not isinstance(value, str) or not value:
        raise SystemExit("coachlib: set hub.config.JupyterHub.authenticator_class (your login)")
    if value.lower() in REFUSED_AUTHENTICATORS:
        raise SystemExit(f"coachlib: authenticator_class {value!r} lets anybody in: set your login")
    for entry_point in entry_points(group="jupyterhub.authenticators"):
        if entry_point.name.lower() == value.lower():
            return entry_point.load()
    return import_item(value)


c.JupyterHub.authenticator_class = coachhub.with_coaching_rules(
    configured_authenticator(c.JupyterHub.get("authenticator_class"))
)

# The server's own token may share the server (`coach live`); JupyterHub grants only the
# scopes the user holds, and the hub's rules still apply. Same as jupyterhub_config.py.
c.Spawner.server_token_scopes = [
    "users:activity!user", "access:servers!server", "shares!user",
    "read:users:name!group=coaches",
    "read:users:shares!user",
]  # fmt: skip
