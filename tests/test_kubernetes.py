"""The Kubernetes values (deploy/kubernetes/) against the Zero to JupyterHub chart they name.

Nothing here talks to a cluster. The values are merged with the chart's defaults and the
``--set-file`` files as ``helm`` does and validated against the chart's vendored schema
(``jsonschema``, which jupyter-events brings into the environment); then the chart's own
``jupyterhub_config.py`` (vendored byte for byte) runs on them with stand-ins for what only
exists in the hub's image, and the configuration it leaves is audited.

coachhub.py imports JupyterHub, which this environment does not have: a stand-in module
``coachhub`` with ``with_coaching_rules`` is put in ``sys.modules`` for the run only (the
real one is run by tests/hub/test_hub.py, in the hub's environment).
"""

from __future__ import annotations

import ast
import copy
import importlib.metadata
import re
import sys
import types
from pathlib import Path

import jsonschema
import pytest
import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
KUBE = ROOT / "deploy" / "kubernetes"
CHART = KUBE / "chart-schema"
VALUES = KUBE / "values.yaml"
EXTRA_CONFIG = KUBE / "extra_config.py"
COACHHUB = ROOT / "deploy" / "jupyterhub" / "coachhub.py"
HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PLAN = ROOT / "deploy" / "kubernetes.md"
CHART_VERSION = "4.4.0"
# helm --set-file KEY=PATH: values.yaml and kubernetes.md give this command
SET_FILES = {
    "hub.extraFiles.coachhub.stringData": "deploy/jupyterhub/coachhub.py",
    "hub.extraConfig.coachlib": "deploy/kubernetes/extra_config.py",
}
MAX_SHARE_CACHE = 10  # seconds a revoked share may keep working
CULLER_ROLE = "jupyterhub-idle-culler"


# -- the values as helm sees them --------------------------------------------------------


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def helm_merge(defaults: dict, override: dict) -> dict:
    """Helm's coalescing of a chart's defaults with user values: maps merge key by key,
    anything else (lists too) is replaced, and a null removes the default."""
    merged = copy.deepcopy(defaults)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def set_path(values: dict, dotted: str, value: object) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        values = values.setdefault(key, {})
    values[last] = value


def effective_values(values: dict, *, set_files: bool = True) -> dict:
    """The chart's defaults, then ``values``, then the ``--set-file`` contents."""
    merged = helm_merge(load_yaml(CHART / "values.yaml"), values)
    if set_files:
        for key, path in SET_FILES.items():
            set_path(merged, key, (ROOT / path).read_text(encoding="utf-8"))
    return merged


def schema_errors(values: dict) -> list[str]:
    schema = load_yaml(CHART / "values.schema.yaml")
    validator = jsonschema.Draft7Validator(schema)
    return sorted(
        f"{'.'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(values)
    )


# -- the chart's jupyterhub_config.py, run on them ----------------------------------------


class GenericOAuthenticator:
    """Stands in for oauthenticator's class (entry point ``generic-oauth``)."""


def with_coaching_rules(authenticator_class: type) -> type:
    """Stands in for coachhub.with_coaching_rules: a subclass that remembers its base."""
    return type(f"Coaching{authenticator_class.__name__}", (authenticator_class,),
                {"coaching_rules_over": authenticator_class})  # fmt: skip


def stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the hub's image has and this environment does not, for the run only."""
    fake_oauth = types.ModuleType("fake_oauthenticator")
    fake_oauth.GenericOAuthenticator = GenericOAuthenticator
    coachhub = types.ModuleType("coachhub")
    coachhub.with_coaching_rules = with_coaching_rules
    jupyterhub = types.ModuleType("jupyterhub")
    jupyterhub.utils = types.ModuleType("jupyterhub.utils")
    jupyterhub.utils.url_path_join = lambda *parts: "/".join(p.strip("/") for p in parts)
    kubernetes = types.ModuleType("kubernetes_asyncio")
    kubernetes.client = types.SimpleNamespace(
        V1Container=types.SimpleNamespace, V1SecurityContext=types.SimpleNamespace,
        V1Capabilities=types.SimpleNamespace,
    )  # fmt: skip
    httpclient = types.ModuleType("tornado.httpclient")
    httpclient.AsyncHTTPClient = types.SimpleNamespace(configure=lambda *args, **kwargs: None)
    for name, module in {
        "fake_oauthenticator": fake_oauth, "coachhub": coachhub, "jupyterhub": jupyterhub,
        "jupyterhub.utils": jupyterhub.utils, "kubernetes_asyncio": kubernetes,
        "tornado.httpclient": httpclient,
    }.items():  # fmt: skip
        monkeypatch.setitem(sys.modules, name, module)
    real_entry_points = importlib.metadata.entry_points

    def entry_points(**selection):
        if selection.get("group") == "jupyterhub.authenticators":
            return [importlib.metadata.EntryPoint(
                "generic-oauth", "fake_oauthenticator:GenericOAuthenticator",
                "jupyterhub.authenticators")]  # fmt: skip
        return real_entry_points(**selection)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the chart puts its folder first


def run_chart_config(values: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Config:
    """The chart's jupyterhub_config.py on ``values`` (the effective ones), with its z2jh
    module reading them instead of the Secret the chart mounts; returns the hub's ``c``."""
    stand_ins(monkeypatch)
    z2jh = types.ModuleType("z2jh")
    source = (CHART / "z2jh.py.txt").read_text(encoding="utf-8")
    exec(compile(source, "z2jh.py", "exec"), z2jh.__dict__)
    values = copy.deepcopy(values)  # the chart pops keys out of what it reads
    z2jh._load_config = lambda: values
    z2jh.get_name = lambda name: f"coaching-{name}"
    z2jh.get_name_env = lambda name, suffix="": "8081"
    secrets = {
        "hub.config.JupyterHub.cookie_secret": "0" * 64,
        "hub.config.CryptKeeper.keys": "a;b",
    }
    z2jh.get_secret_value = lambda key, default=None: secrets.get(key, default)
    monkeypatch.setitem(sys.modules, "z2jh", z2jh)
    config = Config()
    namespace = {"__file__": str(tmp_path / "jupyterhub_config.py"), "__name__": "__config__",
                 "get_config": lambda: config}  # fmt: skip
    source = (CHART / "jupyterhub_config.py.txt").read_text(encoding="utf-8")
    exec(compile(source, "jupyterhub_config.py", "exec"), namespace)
    return namespace["c"]


# -- what the audit found, checked --------------------------------------------------------


def coachhub_roles() -> list[dict]:
    """coachhub.ROLES, read from its source (coachhub imports JupyterHub)."""
    tree = ast.parse(COACHHUB.read_text(encoding="utf-8"))
    wanted, names = {"COACHES", "COACHEES", "ROLES"}, {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        target = node.targets[0]
        targets = target.elts if isinstance(target, ast.Tuple) else [target]
        if all(isinstance(t, ast.Name) and t.id in wanted for t in targets):
            value = eval(compile(ast.Expression(node.value), "coachhub.py", "eval"), {}, names)
            values = value if isinstance(target, ast.Tuple) else [value]
            names.update(zip((t.id for t in targets), values, strict=True))
    return names["ROLES"]


def assigned_attributes(source: str) -> set[str]:
    """Every ``x.y.NAME = ...`` (or ``+=``) target's NAME in ``source``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        found |= {t.attr for t in targets if isinstance(t, ast.Attribute)}
    return found


def audit(values: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Every way the deployment would fail the issue's audit; empty when it passes."""
    problems = []
    hub_values = values["hub"]
    if "load_roles" in assigned_attributes(hub_values["extraConfig"]["coachlib"]):
        problems.append("extraConfig assigns load_roles (the culler's role is lost)")
    hub_config = hub_values["config"]
    if "load_roles" in hub_config.get("JupyterHub", {}):
        problems.append("hub.config sets load_roles (the culler's role is lost)")
    roles = [{"name": name, **role} for name, role in hub_values.get("loadRoles", {}).items()]
    if roles != coachhub_roles():
        problems.append("hub.loadRoles is not coachhub.ROLES")
    try:
        c = run_chart_config(values, monkeypatch, tmp_path)
    except BaseException as exc:  # SystemExit included: the hub would not start
        return [*problems, f"the hub's configuration fails: {exc!r}"]
    loaded = {role["name"]: role for role in c.JupyterHub.load_roles}
    if CULLER_ROLE not in loaded:
        problems.append("the idle culler has no role")
    if any(role["name"] not in loaded for role in coachhub_roles()):
        problems.append("the coachee-sharing role is not loaded")
    authenticator = c.JupyterHub.authenticator_class
    if getattr(authenticator, "coaching_rules_over", None) is not GenericOAuthenticator:
        problems.append(f"the login is not the configured one with the rules: {authenticator}")
    if not re.fullmatch(r"https://[a-z0-9.-]+\.[a-z]+", c.JupyterHub.get("subdomain_host", "")):
        problems.append("no subdomain_host (https://HOST): servers share one origin")
    if c.JupyterHub.get("cookie_host_prefix_enabled") is not True:
        problems.append("cookie_host_prefix_enabled is not true")
    command = [*c.Spawner.get("cmd", []), *c.Spawner.get("args", [])]
    caches = [arg for arg in command if str(arg).startswith("--HubOAuth.cache_max_age=")]
    if len(caches) != 1 or int(caches[0].partition("=")[2]) > MAX_SHARE_CACHE:
        problems.append(f"the share cache is not set once to <= {MAX_SHARE_CACHE} s: {caches}")
    hook = c.KubeSpawner.get("lifecycle_hooks", {}).get("postStart", {})
    if not re.search(r"\bcoach receive\b", " ".join(hook.get("exec", {}).get("command", []))):
        problems.append("no postStart hook runs `coach receive`")
    if c.Spawner.get("server_token_scopes") != hub_token_scopes():
        problems.append("server_token_scopes differ from jupyterhub_config.py's")
    if c.Authenticator.get("manage_groups") and c.JupyterHub.get("load_groups"):
        problems.append("load_groups with manage_groups: the hub refuses to start")
    problems += pair_problems(c.JupyterHub.get("load_groups", {}))
    return problems


def hub_token_scopes() -> list[str]:
    """The one machine's ``c.Spawner.server_token_scopes``, from jupyterhub_config.py."""
    for node in ast.walk(ast.parse(HUB_CONFIG.read_text(encoding="utf-8"))):
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(target, ast.Attribute) and target.attr == "server_token_scopes":
            return ast.literal_eval(node.value)
    raise AssertionError("jupyterhub_config.py sets no server_token_scopes")


def pair_problems(groups: dict) -> list[str]:
    """The groups coachhub's rules read: coaches, coachees, and one pair group per coachee
    holding them and one coach."""
    members = {name: set(group.get("users", [])) for name, group in groups.items()}
    coaches, coachees = members.get("coaches", set()), members.get("coachees", set())
    problems = [f"{person} is both a coach and a coachee" for person in coaches & coachees]
    for coachee in sorted(coachees):
        others = members.get(f"coachlib-{coachee}", set()) - {coachee}
        if len(others) != 1 or not others <= coaches:
            problems.append(f"coachlib-{coachee} does not hold {coachee} and one coach")
    return problems


# -- the tests ----------------------------------------------------------------------------


def test_the_values_validate_against_the_chart_schema():
    values = load_yaml(VALUES)
    assert schema_errors(effective_values(values)) == []
    assert schema_errors(effective_values(values, set_files=False)) == []  # the placeholders


@pytest.mark.parametrize(
    ("dotted", "value", "error"),
    [
        ("singleuser.args", ["--HubOAuth.cache_max_age=10"], "'args' was unexpected"),
        ("hub.loadGroups", {"coaches": {"users": ["grace"]}}, "'loadGroups' was unexpected"),
        ("hub.config.loadRoles", {}, "'loadRoles' does not match any of the regexes"),
        ("singleuser.lifecycleHooks.onStart", {}, "'onStart' was unexpected"),
        ("cull.enabled", "yes", "'yes' is not of type 'boolean'"),
    ],
)
def test_a_wrong_key_fails_the_schema(dotted, value, error):
    broken = load_yaml(VALUES)
    set_path(broken, dotted, value)
    errors = schema_errors(effective_values(broken))
    assert any(error in message for message in errors), errors


def test_the_deployment_passes_the_audit(monkeypatch, tmp_path):
    assert audit(effective_values(load_yaml(VALUES)), monkeypatch, tmp_path) == []


def test_the_chart_keeps_the_culler_and_adds_the_coachee_role(monkeypatch, tmp_path):
    c = run_chart_config(effective_values(load_yaml(VALUES)), monkeypatch, tmp_path)
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    assert set(roles) == {CULLER_ROLE, "coachee-sharing"}
    assert "delete:servers" in roles[CULLER_ROLE]["scopes"]
    assert roles["coachee-sharing"]["groups"] == ["coachees"]
    assert c.JupyterHub.cleanup_servers is False  # a hub restart leaves servers running
    assert c.KubeSpawner.mem_guarantee == "256M" and c.KubeSpawner.mem_limit == "1G"


@pytest.mark.parametrize(
    "name", ["generic-oauth", "Generic-OAuth", "fake_oauthenticator.GenericOAuthenticator"]
)
def test_the_login_is_resolved_as_jupyterhub_does(name, monkeypatch, tmp_path):
    values = effective_values(load_yaml(VALUES))
    set_path(values, "hub.config.JupyterHub.authenticator_class", name)
    c = run_chart_config(values, monkeypatch, tmp_path)
    assert c.JupyterHub.authenticator_class.coaching_rules_over is GenericOAuthenticator


def test_a_coach_cannot_share_by_role():
    (role,) = coachhub_roles()
    assert role["groups"] == ["coachees"] and "shares!user" in role["scopes"]


EXTRA = "hub.extraConfig.coachlib"
REPLACE_ROLES = "\nc.JupyterHub.load_roles = [{'name': 'coachee-sharing', 'scopes': []}]\n"
SINGLEUSER = "jupyterhub-singleuser"
BREAKAGES = {
    "load_roles assigned in extraConfig": (
        lambda v: set_path(v, EXTRA, v["hub"]["extraConfig"]["coachlib"] + REPLACE_ROLES),
        ["extraConfig assigns load_roles", "the idle culler has no role"],
    ),
    "roles not in hub.loadRoles": (
        lambda v: v["hub"].pop("loadRoles"),
        ["hub.loadRoles is not coachhub.ROLES", "the coachee-sharing role is not loaded"],
    ),
    "the chart's dummy login": (
        lambda v: set_path(v, "hub.config.JupyterHub.authenticator_class", "dummy"),
        ["the hub's configuration fails: SystemExit"],
    ),
    "the placeholder extraConfig (no --set-file)": (
        lambda v: set_path(v, EXTRA, load_yaml(VALUES)["hub"]["extraConfig"]["coachlib"]),
        ["the hub's configuration fails: SystemExit('hub.extraConfig.coachlib was not passed"],
    ),
    "no subdomain_host": (
        lambda v: v["hub"]["config"]["JupyterHub"].pop("subdomain_host"),
        ["no subdomain_host"],
    ),
    "no __Host- cookies": (
        lambda v: set_path(v, "hub.config.JupyterHub.cookie_host_prefix_enabled", False),
        ["cookie_host_prefix_enabled is not true"],
    ),
    "the share cache left at 300 s": (
        lambda v: set_path(v, "singleuser.cmd", SINGLEUSER),
        ["the share cache is not set once"],
    ),
    "a share cache of 60 s": (
        lambda v: set_path(v, "singleuser.cmd", [SINGLEUSER, "--HubOAuth.cache_max_age=60"]),
        ["the share cache is not set once"],
    ),
    "no postStart hook": (
        lambda v: set_path(v, "singleuser.lifecycleHooks", {}),
        ["no postStart hook runs `coach receive`"],
    ),
    "load_groups with manage_groups": (
        lambda v: set_path(v, "hub.config.Authenticator.manage_groups", True),
        ["load_groups with manage_groups"],
    ),
    "a coachee without a pair group": (
        lambda v: v["hub"]["config"]["JupyterHub"]["load_groups"].pop("coachlib-bo"),
        ["coachlib-bo does not hold bo and one coach"],
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_each_audit_check_can_fail(breakage, monkeypatch, tmp_path):
    values = effective_values(load_yaml(VALUES))
    breaking, expected = BREAKAGES[breakage]
    breaking(values)
    problems = audit(values, monkeypatch, tmp_path)
    for problem in expected:
        assert any(found.startswith(problem) for found in problems), problems


def test_the_embedded_python_compiles_and_the_placeholders_stop_the_hub():
    values = load_yaml(VALUES)
    compile(EXTRA_CONFIG.read_text(encoding="utf-8"), "extra_config.py", "exec")
    with pytest.raises(SystemExit, match="--set-file"):
        exec(values["hub"]["extraConfig"]["coachlib"], {})
    with pytest.raises(ImportError, match="--set-file"):
        exec(values["hub"]["extraFiles"]["coachhub"]["stringData"], {})


def test_the_install_command_is_the_one_documented():
    for text in (VALUES.read_text(encoding="utf-8"), PLAN.read_text(encoding="utf-8")):
        assert f"--version {CHART_VERSION}" in text
        for key, path in SET_FILES.items():
            assert f"--set-file {key}={path}" in text
            assert (ROOT / path).is_file()
    chart_readme = (CHART / "README.md").read_text(encoding="utf-8")
    assert f"{CHART_VERSION}" in chart_readme and "jupyterhub/values.schema.yaml" in chart_readme
