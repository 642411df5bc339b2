"""JupyterHub for a coaching practice: one server per person, walls between people.

Run by ``hub_admin.py start`` (as root: the hub starts each person's server as that Unix
user). Every path and port can be changed with an environment variable, so one machine can
run a try-out next to a test:

    COACHLIB_HUB_ENV       the single-user environment (coachlib, JupyterLab, jupyterhub),
                           world-readable                            /opt/coachlib/venv
    COACHLIB_HUB_STATE     the hub's database and cookie secret      /srv/coachlib/hub
    COACHLIB_EXCHANGE      the exchange folders (hub_admin.py makes them)
                                                                     /srv/coachlib/exchange
    COACHLIB_HUB_IP, COACHLIB_HUB_PORT       where people connect    127.0.0.1, 8000
    COACHLIB_HUB_URL       the hub's address as people's browsers see it; each person's
                           server is served at a host of its own, NAME.HOST
                                                  http://hub.localhost:COACHLIB_HUB_PORT
    COACHLIB_HUB_API_PORT, COACHLIB_PROXY_API_PORT                   8081, 8001
    COACHLIB_PROXY         configurable-http-proxy (npm)   node_modules/.bin/ of the project
    COACHLIB_SHARE_CACHE   seconds a revoked share may keep working (the single-user
                           server's cache of the hub's answers)     10

Put TLS in front of it (or ``c.JupyterHub.ssl_cert``/``ssl_key``) before people log in over
a network: PAM passwords travel in the login form.

Each person's server has an origin of its own (``subdomain_host``): with one origin for
all, a script a coachee serves (a JupyterLab extension in their own data folder) runs in
their coach's browser with the coach's own server at the same origin, and can read it.
``*.localhost`` reaches this machine in Chromium and Firefox; a real deployment needs a
wildcard DNS record (``*.HOST``) and a wildcard TLS certificate.
"""

import os
import secrets
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import coachhub  # noqa: E402  (beside this file)

c = get_config()  # noqa: F821  (JupyterHub provides it)

ENV = Path(os.environ.get("COACHLIB_HUB_ENV", "/opt/coachlib/venv"))
STATE = Path(os.environ.get("COACHLIB_HUB_STATE", "/srv/coachlib/hub"))
EXCHANGE = os.environ.get("COACHLIB_EXCHANGE", "/srv/coachlib/exchange")
PROXY = os.environ.get(
    "COACHLIB_PROXY", str(HERE.parents[1] / "node_modules" / ".bin" / "configurable-http-proxy")
)

# -- where it listens, and where it keeps its state --------------------------------------
c.JupyterHub.ip = os.environ.get("COACHLIB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("COACHLIB_HUB_PORT", "8000"))
# every server at NAME.HOST: one origin per person (see the docstring), and behind TLS,
# cookies that a person's server cannot set for the hub (`__Host-` cookies, JupyterHub's
# answer to cookie tossing; they must be Secure, so browsers refuse them over plain http)
c.JupyterHub.subdomain_host = os.environ.get(
    "COACHLIB_HUB_URL", f"http://hub.localhost:{c.JupyterHub.port}"
)
c.JupyterHub.cookie_host_prefix_enabled = c.JupyterHub.subdomain_host.startswith("https://")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COACHLIB_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('COACHLIB_PROXY_API_PORT', '8001')}"
)
c.ConfigurableHTTPProxy.command = [PROXY]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
# stopping or restarting the hub leaves people's servers and kernels running: the hub finds
# them again when it starts (a restart used to stop every server, and took a minute)
c.JupyterHub.cleanup_servers = False

# -- who may log in: coaches and coachees, by their Unix groups ---------------------------
c.JupyterHub.authenticator_class = coachhub.CoachingAuthenticator
c.Authenticator.manage_groups = True  # the hub's groups follow the Unix ones at each login
c.LocalAuthenticator.allowed_groups = {coachhub.COACHES, coachhub.COACHEES}
c.Authenticator.admin_users = set()  # an admin could open anybody's server: nobody is one
c.LocalAuthenticator.create_system_users = False  # hub_admin.py makes people, not the hub
# a person removed while the hub was down leaves no hub record, token or cookie behind
c.Authenticator.delete_invalid_users = True

# -- sharing: a coachee with their own coach, never a coach (see coachhub.py) -------------
c.JupyterHub.load_roles = [*coachhub.ROLES, coachhub.ADMIN_ROLE]

# -- the admin tool's service: `hub_admin.py remove` deletes a person's hub record --------
ADMIN_TOKEN = STATE / "admin-service-token"  # root only; hub_admin.py setup makes it
if not ADMIN_TOKEN.exists():
    STATE.mkdir(parents=True, exist_ok=True)
    ADMIN_TOKEN.touch(mode=0o600)
    ADMIN_TOKEN.write_text(secrets.token_hex(32))
c.JupyterHub.services = [
    {"name": coachhub.ADMIN_SERVICE, "api_token": ADMIN_TOKEN.read_text().strip()},
]

# -- each person's server: their own Unix user, the coaching environment ------------------
c.JupyterHub.spawner_class = coachhub.CoachingSpawner  # LocalProcessSpawner, zombie-aware
c.Spawner.cmd = [str(ENV / "bin" / "jupyterhub-singleuser")]
# coachlib's JupyterLab settings (coachlib/serve/lab_settings.py): no Jupyter news pop-up,
# no folded code or cell numbers on show; read from the single-user environment's coachlib
LAB_ARGUMENTS, LAB_ENVIRONMENT = coachhub.lab_settings(ENV / "bin" / "python")
c.Spawner.environment = {
    "COACHLIB_EXCHANGE": EXCHANGE,
    "PATH": f"{ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    **LAB_ENVIRONMENT,
}
c.Spawner.args = [
    # a revoked share stops working within this many seconds (JupyterHub's default is 300)
    f"--HubOAuth.cache_max_age={int(os.environ.get('COACHLIB_SHARE_CACHE', '10'))}",
    *LAB_ARGUMENTS,
]
# the server's own token may share the server (JupyterHub grants only the scopes the user
# holds: a coach holds none of these, and the hub's rules still apply): `coach live`; and
# list what is shared with its user (a coach's home notebook: whose server is shared)
c.Spawner.server_token_scopes = [
    "users:activity!user", "access:servers!server", "shares!user",
    "read:users:name!group=coaches", "read:users:shares!user",
]  # fmt: skip
c.Spawner.pre_spawn_hook = coachhub.pre_spawn(str(ENV / "bin" / "coach"), EXCHANGE)
# Stopping a server: Jupyter answers SIGINT with "Shut down this server (y/[n])?", which
# nobody can answer here, and then goes on running, so JupyterHub's default of 30 s after
# SIGINT was wasted at every stop; SIGTERM stops it cleanly (kernels shut down first).
c.LocalProcessSpawner.interrupt_timeout = 1
c.LocalProcessSpawner.term_timeout = 20
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
