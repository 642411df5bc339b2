"""Benchmarks in real JupyterLab in Chromium: what a person waits for in the notebook.

* Save: click on Save review to "Saved (…)" on screen, against a trivial button's round
  trip to the kernel on the same page (a Button whose click sets an HTML widget's text).
* Export button: click to "Summary written to …" on screen, against ``coach export`` of
  the same coachee (a fresh process, as a person runs it).
* Open: from loading the notebook's page to the review form ready to type in (kernel
  started, every cell run, the Evidence field on screen), against opening and running a
  one-cell notebook in the same JupyterLab.

Times are taken in the page (``performance.now()``, a MutationObserver waiting for the text)
or around Playwright's waits for what a person sees; medians of several runs.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TRIVIAL_CELL = """import ipywidgets as _w
_pong = _w.HTML("")
_ping = _w.Button(description="Ping")
_count = [0]
def _answer(_button):
    _count[0] += 1
    _pong.value = f"pong {_count[0]}"
_ping.on_click(_answer)
_w.VBox([_ping, _pong])"""

CLICK_UNTIL = """async ([label, expected]) => {
    const button = [...document.querySelectorAll('button')]
        .find(b => b.textContent.trim() === label);
    const start = performance.now();
    if (!button) throw new Error('no button ' + label);
    return await new Promise((resolve, reject) => {
        const seen = () => document.body.textContent.includes(expected);
        const observer = new MutationObserver(() => {
            if (seen()) { observer.disconnect(); resolve(performance.now() - start); }
        });
        observer.observe(document.body, {subtree: true, childList: true, characterData: true});
        setTimeout(() => { observer.disconnect(); reject(new Error('never saw ' + expected)); },
                   120000);
        button.click();
    });
}"""


def with_cell(path: Path, source: str) -> None:
    """Append a code cell to a notebook file."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(notebook, path)


def one_cell(root: Path) -> str:
    import nbformat

    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}}
    )  # fmt: skip
    notebook.cells = [nbformat.v4.new_code_cell("1 + 1")]
    nbformat.write(notebook, root / "one.ipynb")
    return "one.ipynb"


def paired(job, baseline, runs: int) -> tuple[float, float]:
    """Alternate job and baseline (each returns its own seconds); medians of each."""
    jobs, bases = [], []
    for _ in range(runs):
        bases.append(baseline())
        jobs.append(job())
    return statistics.median(jobs), statistics.median(bases)


def measure(runs: int) -> list:
    from benchmarks.run import Result
    from coachlib.demo.workspace import build_demo_journal
    from tests.browser_support import CHROMIUM, FLAGS
    from tests.lab_server import running_lab

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  browser jobs skipped: Playwright is not installed", file=sys.stderr)
        return []
    if not CHROMIUM.exists():
        print(f"  browser jobs skipped: no Chromium at {CHROMIUM}", file=sys.stderr)
        return []
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_demo_journal(root / "coaching")
        with running_lab(root) as lab, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=FLAGS
            )
            context = browser.new_context(viewport={"width": 1300, "height": 1800})
            page = context.new_page()
            page.set_default_timeout(180_000)
            notebook = lab.new_notebook(
                "--framework", "samman-ensemble", "--coachee", "Ada Lovelace",
                "--author", "Morgan Reyes",
            )  # fmt: skip
            with_cell(lab.root / notebook, TRIVIAL_CELL)
            lab.open(page, notebook)
            lab.run_all(page)
            page.locator(".widget-toggle-button").filter(has_text="2 · ").first.click()
            evidence = page.get_by_label("Evidence")
            saves, pings = [], []
            for run in range(max(5, runs * 3)):
                evidence.fill(f"Seen in session {run}")
                lab.wait_idle(page)
                saves.append(page.evaluate(
                    CLICK_UNTIL, ["Save review", f"Saved ({run + 1} saved in this session)"]
                ))  # fmt: skip
                pings.append(page.evaluate(CLICK_UNTIL, ["Ping", f"pong {run + 1}"]))
            results.append(Result(
                "Save click to 'Saved' in JupyterLab (ms)",
                "a trivial button's round trip on the same page (ms)",
                statistics.median(saves), statistics.median(pings), 3.0,
            ))  # fmt: skip

            def button_export() -> float:
                page.evaluate(  # the last run's message goes, so only a new one counts
                    "() => [...document.querySelectorAll('div[role=status]')]"
                    ".forEach(d => { if (d.textContent.includes('Summary written')) d.remove(); })"
                )
                clicked = page.evaluate(CLICK_UNTIL, ["Export HTML summary", "Summary written to"])
                return clicked / 1000

            def command_export() -> float:
                start = time.perf_counter()
                subprocess.run(
                    [str(Path(sys.executable).with_name("coach")), "export", "--coachee",
                     "Ada Lovelace", "--workspace", str(lab.workspace)],
                    check=True, capture_output=True,
                )  # fmt: skip
                return time.perf_counter() - start

            button_export()  # the first loads nbconvert's templates in this kernel
            job, base = paired(button_export, command_export, runs)
            results.append(Result(
                "Export button to 'written' in JupyterLab", "coach export, same coachee",
                job, base, 1.0,
            ))  # fmt: skip

            blank = one_cell(lab.root)

            def opened(name: str, ready) -> float:
                """Seconds from loading the page (no kernel running) to ``ready`` on screen
                after Run All (a person can type before the cells below the form finish)."""
                lab.shut_down_kernels()
                fresh = context.new_page()
                start = time.perf_counter()
                lab.open(fresh, name)
                fresh.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
                ready(fresh).wait_for()
                elapsed = time.perf_counter() - start
                fresh.close()
                return elapsed

            job, base = paired(
                lambda: opened(notebook, lambda p: p.get_by_label("Evidence")),
                lambda: opened(blank, lambda p: p.locator(".jp-OutputArea-output",
                                                          has_text="2").first),
                runs,
            )  # fmt: skip
            results.append(Result(
                "page open to the review form ready to type in", "a one-cell notebook, opened "
                "and run in the same JupyterLab", job, base, 1.5,
            ))  # fmt: skip
            browser.close()
    return results


if __name__ == "__main__":
    from benchmarks.run import table

    start = time.perf_counter()
    print(table(measure(3)))
    print(json.dumps({"seconds": round(time.perf_counter() - start)}))
