"""`make bench`: each job against its floor, measured side by side in the same run.

This machine is shared and noisy, so absolute times mean little: every job is timed
together with its baseline, several times, and the table shows medians and their ratio.

    python benchmarks/run.py            # every job (about 10-15 minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller workspaces and fewer runs (a smoke test)
    python benchmarks/run.py --only load_cold,help

Workspaces are generated once into benchmarks/.work/ (deterministic) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
PY = sys.executable
BIN = Path(PY).parent
sys.path.insert(0, str(REPO))


@dataclass
class Result:
    job: str
    baseline: str
    job_seconds: float
    baseline_seconds: float
    target: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.job_seconds / self.baseline_seconds

    @property
    def holds(self) -> bool:
        return self.ratio <= self.target


def median_pair(job: Callable[[], object], baseline: Callable[[], object], runs: int):
    """Alternate job and baseline so both see the same machine; medians of each."""
    job_times, base_times = [], []
    for _ in range(runs):
        for fn, times in ((baseline, base_times), (job, job_times)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(job_times), statistics.median(base_times)


def sh(*args: str | Path, cwd: Path | None = None, env: dict | None = None) -> None:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env={**os.environ, **(env or {})},
        capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def workspace(coachees: int, months: int) -> Path:
    """A generated workspace (made once, then reused; read-only for the jobs)."""
    root = WORK / f"ws-{coachees}x{months}"
    if not (root / ".complete").is_file():
        shutil.rmtree(root, ignore_errors=True)
        WORK.mkdir(parents=True, exist_ok=True)
        from benchmarks.make_workspace import make

        print(f"  generating {coachees} coachees x {months} months…", file=sys.stderr)
        make(root, coachees, months)
        (root / ".complete").write_text("ok\n")
    return root


def one_cell_notebook(folder: Path) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    notebook.cells = [nbformat.v4.new_code_cell("1 + 1")]
    path = folder / "one.ipynb"
    nbformat.write(notebook, path)
    return path


# --- the jobs --------------------------------------------------------------------------------


def job_load(args) -> list[Result]:
    import yaml

    from coachlib.store import cache
    from coachlib.store.frameworks import registry_for
    from coachlib.store.journal import record_paths
    from coachlib.store.workspace import Workspace
    from coachlib.views import history

    root = workspace(args.coachees, args.months)
    ws = Workspace(root)
    registry = registry_for(None)
    paths = record_paths(ws)
    history.load_history(ws, registry=registry)  # warm up imports and the disk cache

    def baseline():
        for path in paths:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def cold():
        cache.clear()
        history.load_history(ws, registry=registry)

    cold_s, base_s = median_pair(cold, baseline, args.runs)
    cold()
    warm_times = []
    for _ in range(max(3, args.runs)):
        start = time.perf_counter()
        history.load_history(ws, registry=registry)
        warm_times.append(time.perf_counter() - start)
    warm_s = statistics.median(warm_times)
    files = f"{len(paths)} files"
    return [
        Result("load journal, cold", "PyYAML C safe loader, same files", cold_s, base_s, 1.3,
               files),
        Result("load journal again, unchanged", "the cold load", warm_s, cold_s, 0.1, files),
    ]  # fmt: skip


def job_memory(args) -> list[Result]:
    """Peak memory (max RSS) of the large cold load, in a fresh process."""
    root = workspace(args.coachees, args.months)
    code = (
        "from coachlib.views import history\n"
        "from coachlib.store.workspace import Workspace\n"
        f"h = history.load_history(Workspace({str(root)!r}))\n{PEAK}"
    )
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    peak_mb = int(out.stdout.strip().splitlines()[-1]) / 1024
    base = subprocess.run(
        [PY, "-c", f"import pandas, yaml\n{PEAK}"], capture_output=True, text=True, check=True
    )
    base_mb = int(base.stdout.strip().splitlines()[-1]) / 1024
    return [
        Result("peak memory, cold load (MB)", "python with pandas imported (MB)", peak_mb,
               base_mb, float("inf"), "reported, no target")
    ]  # fmt: skip


# Peak resident memory of this process since exec, in kB (VmHWM). Not ru_maxrss: a child's
# ru_maxrss starts from its parent's size at fork, which would count the benchmark itself.
PEAK = (
    "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))"
)


def job_new(args) -> list[Result]:
    root = workspace(5, 12)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ws = tmp / "ws"
        shutil.copytree(root, ws)
        one = one_cell_notebook(tmp)
        sh(BIN / "coach", "new", "--framework", "samman-ensemble", "--coachee", "warm up",
           "--author", "B", "--workspace", ws)  # fmt: skip
        counter = iter(range(1000))

        def job():
            name = f"Ada Lovelace 000 {next(counter)}"
            sh(BIN / "coach", "new", "--framework", "samman-ensemble", "--coachee", name,
               "--author", "Bench", "--workspace", ws)  # fmt: skip

        def baseline():
            sh(BIN / "papermill", "--no-progress-bar", one, tmp / "out.ipynb", cwd=tmp)

        job_s, base_s = median_pair(job, baseline, args.runs)
    return [Result("coach new (make and run a review notebook)",
                   "papermill, one-cell notebook", job_s, base_s, 1.5)]  # fmt: skip


def floor(tmp: Path) -> Callable[[], None]:
    """The floor the export targets are measured against: papermill runs a one-cell
    notebook and nbconvert makes it HTML (what an export cost when it ran a notebook)."""
    one = one_cell_notebook(tmp)

    def run() -> None:
        sh(BIN / "papermill", "--no-progress-bar", one, tmp / "out.ipynb", cwd=tmp)
        sh(BIN / "jupyter", "nbconvert", "--to", "html", tmp / "out.ipynb", cwd=tmp)

    return run


FLOOR = "papermill + nbconvert, one-cell notebook"


def job_export(args) -> list[Result]:
    from coachlib.store.workspace import Workspace

    root = workspace(5, 12)
    coachee = next(iter(Workspace(root).coachees().values()))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def job():
            sh(BIN / "coach", "export", "--coachee", coachee, "-o", tmp / "s.html",
               "--workspace", root)  # fmt: skip

        job()  # the first run may write the user's caches (fonts, templates)
        job_s, base_s = median_pair(job, floor(tmp), args.runs)
    return [Result("coach export (one coachee)", FLOOR, job_s, base_s, 0.4)]


def demo_workspace() -> tuple[Path, dict[str, str]]:
    """The demo journal of the golden day (made once), and its richest coachee of each kind
    (most ratings): the summaries the page-count tests print."""
    from coachlib.store.frameworks import registry_for
    from coachlib.store.journal import load_journal
    from coachlib.store.workspace import Workspace
    from tests.golden.cases import GOLDEN_DAY, GOLDEN_SEED

    root = WORK / "demo"
    if not (root / ".complete").is_file():
        from coachlib.demo.workspace import build_demo_journal

        shutil.rmtree(root, ignore_errors=True)
        WORK.mkdir(parents=True, exist_ok=True)
        build_demo_journal(root, today=GOLDEN_DAY, seed=GOLDEN_SEED)
        (root / ".complete").write_text("ok\n")
    registry = registry_for(root)
    counts: dict[tuple[str, bool], int] = {}
    for review in load_journal(Workspace(root), registry=registry).reviews:
        key = (review.coachee, registry.get(review.framework).is_milestone_track)
        counts[key] = counts.get(key, 0) + len(review.assessments)
    richest = {}
    for kind, track in (("milestones", True), ("skills", False)):
        richest[kind] = max((n, who) for (who, t), n in counts.items() if t == track)[1]
    return root, richest


def job_export_pdf(args) -> list[Result]:
    """The PDF (Chromium prints the page) of the demo's richest summary of each kind,
    against the HTML export of the same summary."""
    from tests.browser_support import CHROMIUM
    from tests.golden.cases import GOLDEN_DAY

    root, richest = demo_workspace()
    env = {"COACHLIB_CHROMIUM": str(CHROMIUM)}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for kind, coachee in richest.items():

            def export(suffix: str, coachee=coachee) -> Callable[[], None]:
                pdf = ("--pdf",) if suffix == "pdf" else ()
                return lambda: sh(BIN / "coach", "export", "--coachee", coachee, *pdf,
                                  "--as-of", GOLDEN_DAY.isoformat(), "-o", tmp / f"s.{suffix}",
                                  "--workspace", root, env=env)  # fmt: skip

            export("pdf")()  # warm the disk cache (Chromium's files)
            job_s, base_s = median_pair(export("pdf"), export("html"), args.runs)
            results.append(Result(f"coach export --pdf, the demo's richest {kind} summary",
                                  "coach export, HTML, same summary", job_s, base_s,
                                  float("inf"), f"{coachee}; reported, no target"))  # fmt: skip
    return results


def job_team(args) -> list[Result]:
    big = workspace(args.coachees, args.months)
    small = workspace(5, args.months)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def run(root: Path) -> Callable[[], None]:
            return lambda: sh(BIN / "coach", "team", "--as-of", "2026-06-30", "-o",
                              tmp / "team.html", "--workspace", root)  # fmt: skip

        run(big)()  # the first run reads every file once (a coach's first `coach team`)
        job_s, base_s = median_pair(run(big), run(small), args.runs)
        peak = _team_peak_memory(big)
    return [
        Result(f"team overview, {args.coachees} coachees", "the same, 5 coachees", job_s, base_s,
               1.3, f"peak {peak:.0f} MB building and rendering the page"),
    ]  # fmt: skip


def _team_peak_memory(root: Path) -> float:
    code = (
        "from coachlib.export.render import page_html\n"
        "from coachlib.views.team_page import team_page\n"
        f"page_html(team_page({str(root)!r}, as_of='2026-06-30'))\n{PEAK}"
    )
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def job_help(args) -> list[Result]:
    def job():
        sh(BIN / "coach", "--help")

    def baseline():
        sh(PY, "-c", "pass")

    job_s, base_s = median_pair(job, baseline, max(7, args.runs * 3))
    return [Result("coach --help", "python -c pass", job_s, base_s, 4.0)]


def job_export_all(args) -> list[Result]:
    """Every summary of a workspace, against as many floors (one floor per coachee: what
    the export cost when it ran a notebook per person), the floor measured in the same
    run, alternating with single exports."""
    from coachlib.store.workspace import Workspace

    count = args.export_coachees
    root = workspace(count, 12)
    coachee = next(iter(Workspace(root).coachees().values()))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def single():
            sh(BIN / "coach", "export", "--coachee", coachee, "-o", tmp / "s.html",
               "--workspace", root)  # fmt: skip

        def every():
            sh(BIN / "coach", "export", "--all", "-o", tmp / "all", "--workspace", root)

        single()
        one_s, floor_s = median_pair(single, floor(tmp), args.runs)
        every()  # the first run reads every file once (the disk cache)
        all_times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            every()
            all_times.append(time.perf_counter() - start)
    return [Result(f"coach export --all, {count} coachees", f"{count} x {FLOOR}",
                   statistics.median(all_times), floor_s * count, 0.1,
                   f"one export {one_s:.2f} s, floor {floor_s:.2f} s")]  # fmt: skip


def job_share(args) -> list[Result]:
    root = workspace(5, 12)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ws = tmp / "ws"
        shutil.copytree(root, ws)
        from coachlib.store.workspace import Workspace

        coachee = next(iter(Workspace(ws).coachees().values()))
        counter = iter(range(1000))

        def job():
            sh(BIN / "coach", "share", "--coachee", coachee, "--framework", "samman-ensemble",
               "--to", tmp / f"pack-{next(counter)}", "--workspace", ws)  # fmt: skip

        def baseline():
            sh(BIN / "coach", "new", "--framework", "samman-ensemble", "--coachee", coachee,
               "--author", "Bench", "--workspace", ws)  # fmt: skip

        job(), baseline()  # warm the disk cache
        job_s, base_s = median_pair(job, baseline, args.runs)
    return [Result("coach share (a reflection pack)", "coach new, same coachee", job_s, base_s,
                   1.0)]  # fmt: skip


def job_collect(args) -> list[Result]:
    """100 returned packs of 10 records each, against a cold load of the same records."""
    import dataclasses
    from datetime import UTC, datetime, timedelta

    from coachlib.model.pack import MANIFEST, Manifest
    from coachlib.model.review import Assessment, new_review
    from coachlib.model.safeyaml import dump
    from coachlib.store import cache
    from coachlib.store.collect import collect
    from coachlib.store.frameworks import registry_for
    from coachlib.store.journal import load_journal, save_review
    from coachlib.store.workspace import Workspace

    registry = registry_for(None)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        people = [f"Person {index:03d}" for index in range(100)]
        packs, start = [], datetime(2026, 1, 1, tzinfo=UTC)
        (tmp / "packs").mkdir()
        for person in people:
            pack = Workspace.open(tmp / "packs" / person.replace(" ", "-"), create=True)
            for n in range(10):
                review = new_review(
                    coachee=person, framework="samman-ensemble", author=person, role="self",
                    assessments=[Assessment("ensemble-facilitation", n % 6,
                                            evidence="Evidence " * 40, reflection="Thought " * 30,
                                            next_steps="Next " * 20)],
                )  # fmt: skip
                save_review(pack, dataclasses.replace(review, when=start + timedelta(days=n)),
                            registry)  # fmt: skip
            manifest = Manifest(coachee=person, framework="samman-ensemble", made=start)
            (pack.root / MANIFEST).write_text(dump(manifest.to_dict()), encoding="utf-8")
            packs.append(pack.root)
        empty = Workspace.open(tmp / "empty", create=True)
        for person in people:
            empty.coachee_slug(person, create=True)
        counter = iter(range(1000))
        loaded = []

        def job():
            target = tmp / f"ws-{next(counter)}"
            shutil.copytree(empty.root, target)
            cache.clear()
            start_time = time.perf_counter()
            report = collect(Workspace(target), packs, registry=registry)
            elapsed = time.perf_counter() - start_time
            assert report.count("imported") == 1000, report.summary()
            loaded.append(target)
            return elapsed

        def baseline():
            cache.clear()
            start_time = time.perf_counter()
            assert len(load_journal(Workspace(loaded[-1])).reviews) == 1000
            return time.perf_counter() - start_time

        job()
        jobs, bases = [], []
        for _ in range(args.runs):
            bases.append(baseline())
            jobs.append(job())
    return [
        Result("coach collect, 100 packs of 10 records", "journal cold load of the same 1,000 "
               "records", statistics.median(jobs), statistics.median(bases), 1.3)
    ]  # fmt: skip


def make_log(root: Path, entries: int) -> None:
    """``entries`` logged sessions of the demo's shape, written as plain files (the writer's
    fsync would only slow the set-up; the files are what `coach log` writes)."""
    import random

    from coachlib.model import safeyaml
    from coachlib.model.names import slugify
    from coachlib.model.sessionlog import KINDS, SESSION_ROLES, new_entry

    rng = random.Random(3)
    people = [f"Ada Lovelace {n:03d}" for n in range(5)]
    teams = [f"Team {n}" for n in range(10)]
    start = date(2020, 1, 1)
    for number in range(entries):
        day = start + timedelta(days=number % 2400)
        team = teams[number % len(teams)]
        entry = new_entry(
            day=day, kind=rng.choice(list(KINDS)), team=team,
            people=[(rng.choice(people), rng.choice(list(SESSION_ROLES)))], author="Coach",
            material="Gilded Rose", minutes=60, participants=6,
            status={"went_well": "Everyone typed.", "next_steps": "Repeat the kata."},
            today=date(2026, 11, 1),
        )  # fmt: skip
        folder = root / "log" / slugify(team)
        if not folder.is_dir():
            folder.mkdir(parents=True)
            (folder / ".team").write_text(team + "\n")
        data = safeyaml.dump(entry.to_dict())
        (folder / f"{day.isoformat()}-{entry.kind}-{number}.yaml").write_text(data)


def job_log(args) -> list[Result]:
    """Loading a large session log, and a review notebook with evidence against without."""
    import yaml

    from coachlib.store import cache
    from coachlib.store.sessionlog import load_log
    from coachlib.store.workspace import Workspace

    results = []
    big = WORK / "log-20000"
    if not (big / ".complete").is_file():
        shutil.rmtree(big, ignore_errors=True)
        big.mkdir(parents=True)
        print("  generating a log of 20,000 sessions…", file=sys.stderr)
        make_log(big, 20_000)
        (big / ".complete").write_text("ok\n")
    ws = Workspace(big)
    paths = sorted((big / "log").rglob("*.yaml"))
    load_log(ws)

    def baseline():
        for path in paths:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def cold():
        cache.clear()
        load_log(ws)

    cold_s, base_s = median_pair(cold, baseline, args.runs)
    results.append(Result(f"load the session log, cold ({len(paths)} files)",
                          "PyYAML C safe loader, same files", cold_s, base_s, 1.3))  # fmt: skip

    root = workspace(5, 12)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain, logged = tmp / "plain", tmp / "logged"
        shutil.copytree(root, plain)
        shutil.copytree(root, logged)
        make_log(logged, 2_000)  # years of sessions of a coaching practice
        for ws_path in (plain, logged):  # warm up (and build the log index once)
            sh(BIN / "coach", "new", "--framework", "samman-ensemble", "--coachee",
               "Ada Lovelace 000", "--author", "B", "--workspace", ws_path)  # fmt: skip
        counter = iter(range(1000))

        def run_in(ws_path):
            def job():
                sh(BIN / "coach", "new", "--framework", "samman-ensemble", "--coachee",
                   "Ada Lovelace 000", "--author", f"Bench {next(counter)}",
                   "--workspace", ws_path)  # fmt: skip

            return job

        with_s, without_s = median_pair(run_in(logged), run_in(plain), args.runs)
    results.append(Result("coach new, review notebook with evidence (2,000 sessions logged)",
                          "the same, no session log", with_s, without_s, 1.1))  # fmt: skip
    return results


def job_import(args) -> list[Result]:
    """`coach frameworks import` of a generated 1 MB ladder, against reading (parsing) the
    same file with markdown-it-py alone: the least a Markdown importer does. The importer
    parses only block structure (and only when the file needs it) and then reads, checks
    and writes the framework; the target is its floor (1x): reading a ladder costs no
    more than parsing it once, so nothing in the import grows faster than the file (before
    the quadratic parts went, a 1 MB ladder took 9-32 s, 10-30x this floor)."""
    import contextlib
    import io

    from markdown_it import MarkdownIt

    from benchmarks.make_ladder import SHAPES
    from coachlib.cli import main

    size = 250_000 if args.quick else 1_000_000
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for shape in ("level-sections", "table"):
            make, suffix = SHAPES[shape]
            source = tmp / f"ladder-{shape}{suffix}"
            source.write_text(make(size), encoding="utf-8")
            argv = ["frameworks", "import", str(source), "-o", f"{tmp}/out/", "--force",
                    "--id", "bench"]  # fmt: skip

            def job(argv=argv):
                with contextlib.redirect_stdout(io.StringIO()), \
                        contextlib.redirect_stderr(io.StringIO()):  # fmt: skip
                    assert main(argv) == 0

            def baseline(source=source):
                MarkdownIt("commonmark").enable("table").parse(source.read_text("utf-8"))

            job()  # warm up imports (the schema, markdown-it-py)
            job_s, base_s = median_pair(job, baseline, max(3, args.runs))
            kb = source.stat().st_size / 1000
            name = f"frameworks import, {kb:,.0f} kB ladder ({shape})"
            floor = "markdown-it-py parse of the same file"
            results.append(Result(name, floor, job_s, base_s, 1.0))
    return results


def job_exchange(args) -> list[Result]:
    from benchmarks.hub_jobs import job_exchange as measure

    return measure(args)


def job_hub(args) -> list[Result]:
    from benchmarks.hub_jobs import job_hub as measure

    return measure(args)


def job_browser(args) -> list[Result]:
    from benchmarks.browser_jobs import measure

    return measure(args.runs)


JOBS = {
    "load": job_load,
    "memory": job_memory,
    "new": job_new,
    "export": job_export,
    "export_pdf": job_export_pdf,
    "team": job_team,
    "help": job_help,
    "export_all": job_export_all,
    "share": job_share,
    "collect": job_collect,
    "log": job_log,
    "import": job_import,
    "browser": job_browser,
    "exchange": job_exchange,
    "hub": job_hub,  # root only: real Unix users and a real JupyterHub
}


def compiled_package() -> None:
    """Compile coachlib's modules to bytecode first, as installing the package does (pip
    compiles them): with PYTHONDONTWRITEBYTECODE set, or a source tree that cannot be
    written, every ``coach`` command would otherwise compile coachlib's source again
    (about 0.1 s), which no installed copy does; the floors' packages are compiled."""
    import compileall

    import coachlib

    compileall.compile_dir(Path(coachlib.__file__).parent, quiet=1)


def table(results: list[Result]) -> str:
    lines = [
        "| job | baseline | job (s) | baseline (s) | ratio | target | holds |",
        "|---|---|---:|---:|---:|---:|:---:|",
    ]
    for r in results:
        target = "—" if r.target == float("inf") else f"≤ {r.target:g}x"
        holds = "—" if r.target == float("inf") else ("yes" if r.holds else "**no**")
        note = f" ({r.note})" if r.note else ""
        lines.append(
            f"| {r.job}{note} | {r.baseline} | {r.job_seconds:.2f} | "
            f"{r.baseline_seconds:.2f} | {r.ratio:.2f}x | {target} | {holds} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small workspaces, fewer runs")
    parser.add_argument("--only", default="", help="comma-separated jobs: " + ",".join(JOBS))
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    args.coachees, args.months = (50, 12) if args.quick else (500, 24)
    args.runs = 2 if args.quick else 3
    args.export_coachees = 20 if args.quick else 100
    chosen = [name for name in (args.only.split(",") if args.only else JOBS) if name]
    compiled_package()
    results: list[Result] = []
    for name in chosen:
        print(f"running {name}…", file=sys.stderr, flush=True)
        results.extend(JOBS[name](args))
    machine = (
        f"{platform.node() or 'machine'}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"\ncoachlib benchmarks, {date.today().isoformat()}, {machine}\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ | {"ratio": r.ratio} for r in results],
                                        indent=2))  # fmt: skip
    misses = [r for r in results if r.target != float("inf") and not r.holds]
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
