"""What a coaching server costs, measured here: the exchange, and a real JupyterHub.

* exchange (any machine): hand-out to 50 coachees through the exchange against making the
  same 50 packs as zips without it (the exchange's own cost is the difference), and
  collecting 50 hand-ins of 10 records from the exchange against collecting the same zips
  named one by one. One user plays every part: Unix permissions cost nothing measurable.
* hub (root, npm, Debian's Python): a real hub (tests/hub/hub_server.py) with one coach and
  20 coachees.
  - memory of the coach's server with a review notebook open and run (kernel included),
    against the same server before any notebook was opened;
  - 20 coachee servers started at once (logged in over HTTP, as 20 browsers would): the
    time until all are ready, against one server started alone, and their memory.
  Memory is PSS (/proc/PID/smaps_rollup), summed over the person's processes: shared pages
  counted once in all, so sums add up to what the machine really spends.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.run import Result  # noqa: E402


def job_exchange(args) -> list[Result]:
    from coachlib.export.share import hand_out, make_pack
    from coachlib.store import exchange
    from coachlib.store.collect import collect
    from coachlib.store.frameworks import registry_for
    from coachlib.store.workspace import Workspace

    count = 10 if args.quick else 50
    registry = registry_for(None)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        root = tmp / "exchange"
        people = [f"Coachee {n:02d}" for n in range(count)]
        for n, name in enumerate(people):
            folder = root / f"u{n:02d}"
            (folder / "outbound").mkdir(parents=True)
            (folder / "inbound").mkdir()
            (folder / "coachee.yaml").write_text(f'user: u{n:02d}\nname: "{name}"\ncoach: c\n')
        coach = Workspace.open(tmp / "coach", create=True)
        (tmp / "zips").mkdir()

        for name in people:
            coach.coachee_slug(name, create=True)
        # the first pack starts the notebook runner: not part of either measure
        make_pack(coach, coachee=people[0], framework="samman-ensemble",
                  zip_to=tmp / "warm-up.zip")  # fmt: skip
        plain = handed = 0.0
        for name in people:  # alternating, so both see the same machine
            start = time.perf_counter()
            make_pack(coach, coachee=name, framework="samman-ensemble",
                      zip_to=tmp / "zips" / f"{name}.zip")  # fmt: skip
            plain += time.perf_counter() - start
            start = time.perf_counter()
            hand_out(coach, coachee=name, framework="samman-ensemble", exchange=root)
            handed += time.perf_counter() - start

        for n, name in enumerate(people):  # each coachee receives, saves 10 reviews, hands in
            [pack] = exchange.receive(root, tmp / f"home{n}", user=f"u{n:02d}")
            _save_reviews(Workspace(pack), name, registry, 10)
            exchange.hand_in(pack, root, user=f"u{n:02d}")
        zips = [path for path, _folder in exchange.hand_ins(root)]
        jobs, bases = [], []
        for run in range(args.runs):
            for target, measure in ((bases, "plain"), (jobs, "exchange")):
                ws = Workspace.open(tmp / f"collect-{measure}-{run}", create=True)
                for name in people:
                    ws.coachee_slug(name, create=True)
                start = time.perf_counter()
                if measure == "plain":
                    report = collect(ws, zips, registry=registry)
                else:
                    report = exchange.collect_hand_ins(ws, root, registry=registry)
                target.append(time.perf_counter() - start)
                assert report.count("imported") == 10 * count, report.summary()
    return [
        Result(f"hand out {count} packs through the exchange", f"the same {count} packs as "
               "zips, no exchange", handed, plain, 1.1, f"{handed / count:.2f} s a coachee"),
        Result(f"collect {count} hand-ins of 10 records from the exchange", "collect the same "
               "zips named one by one", statistics.median(jobs), statistics.median(bases), 1.1),
    ]  # fmt: skip


def _save_reviews(pack, name: str, registry, count: int) -> None:
    import dataclasses
    from datetime import UTC, datetime, timedelta

    from coachlib.model.review import Assessment, new_review
    from coachlib.store.journal import save_review

    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(count):
        review = new_review(
            coachee=name, framework="samman-ensemble", author=name, role="self",
            assessments=[Assessment("ensemble-facilitation", n % 6, evidence="Evidence " * 40)],
        )  # fmt: skip
        save_review(pack, dataclasses.replace(review, when=start + timedelta(days=n)), registry)


# -- a real hub -----------------------------------------------------------------------------


def pss_mb(user: str) -> float:
    """Proportional memory of every process of ``user``, in MB."""
    import pwd

    uid = pwd.getpwnam(user).pw_uid
    total_kb = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.stat(entry.path).st_uid != uid:
                continue
            with open(f"{entry.path}/smaps_rollup") as handle:
                total_kb += next(int(line.split()[1]) for line in handle
                                 if line.startswith("Pss:"))  # fmt: skip
        except (OSError, StopIteration):
            continue
    return total_kb / 1024


def log_in_over_http(url: str, user: str, password: str) -> urllib.request.OpenerDirector:
    """Log in as a browser would (the form and its XSRF cookie); the hub starts the server."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{url}/hub/login", timeout=60).read()
    xsrf = next(cookie.value for cookie in jar if cookie.name == "_xsrf")
    form = urllib.parse.urlencode({"username": user, "password": password, "_xsrf": xsrf})
    opener.open(f"{url}/hub/login", data=form.encode(), timeout=120).read()
    return opener


def wait_ready(opener, url: str, user: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with opener.open(f"{url}/hub/api/users/{user}", timeout=30) as answer:
            model = json.loads(answer.read())
        if (model.get("servers") or {}).get("", {}).get("ready"):
            return
        time.sleep(0.2)  # polling the hub's own word that the server is ready
    raise RuntimeError(f"{user}'s server was not ready in {timeout:.0f} s")


def job_hub(args) -> list[Result]:
    from tests.hub.hub_server import running_hub

    servers = 5 if args.quick else 20
    log_dir = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    with running_hub(log_dir, coachees=servers) as hub:
        coach = hub.coach
        start = time.perf_counter()  # the login itself waits for the spawn a while
        opener = log_in_over_http(hub.url, coach.user, coach.password)
        wait_ready(opener, hub.url, coach.user)
        alone = time.perf_counter() - start
        server_only = _settled_pss(coach.user)
        review_open = _with_review_open(hub)

        start = time.perf_counter()
        threads = [threading.Thread(target=_start, args=(hub, person))
                   for person in hub.coachees]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        together = time.perf_counter() - start
        memory = sum(_settled_pss(person.user) for person in hub.coachees)
    return [
        Result("memory: the coach's server with a review open and run (MB)",
               "the same server, no notebook open (MB)", review_open, server_only,
               float("inf"), "reported, no target"),
        Result(f"{servers} coachee servers started at once, until all ready",
               "one server started alone", together, alone, float("inf"),
               f"{memory:.0f} MB for all {servers}, {memory / servers:.0f} MB each"),
    ]  # fmt: skip


def _start(hub, person) -> None:
    opener = log_in_over_http(hub.url, person.user, person.password)
    wait_ready(opener, hub.url, person.user)


def _settled_pss(user: str, rounds: int = 5) -> float:
    """PSS once it has stopped growing (a server finishes importing after it answers)."""
    values = []
    for _ in range(rounds):
        values.append(pss_mb(user))
        time.sleep(1)
    return max(values)


def _with_review_open(hub) -> float:
    """Open a review notebook in Chromium as the coach, run it all, then the coach's PSS."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, FLAGS
    from tests.hub.test_hub import log_in, open_notebook, run_all

    made = hub.as_user(hub.coach, "new", "--framework", "samman-ensemble", "--coachee",
                       hub.coachees[0].name, "--author", "Bench", "--workspace",
                       str(hub.coach.home / "coaching"))  # fmt: skip
    notebook = Path("/") / made.stdout.splitlines()[0].split(": ", 1)[1]  # run from /
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context, page = log_in(browser, hub, hub.coach)
        open_notebook(page, hub, hub.coach, str(notebook.relative_to(hub.coach.home)))
        run_all(page)
        page.get_by_label("Evidence").wait_for()
        memory = _settled_pss(hub.coach.user)
        context.close()
        browser.close()
    return memory
