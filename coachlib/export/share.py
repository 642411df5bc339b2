"""`coach share`: a reflection pack for one coachee, a folder (or a zip) of their own.

The pack holds the coachee's reflection notebook (run, its code folded away), the
framework it uses, their own earlier self-reviews (nothing of anyone else, and nothing of
the coach's assessment unless ``coach_view``: then the coach's latest level and next steps
only), ``pack.yaml`` and a README for them. It is a workspace of its own: what they save
lands in its ``journal/``, and ``coach collect`` brings it back.

The pack is built in a temporary folder beside its target and moved into place whole, so
a pack is either complete or not there.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ..model import names, safeyaml
from ..model.errors import InputError
from ..model.frameworks import Framework
from ..model.pack import COACH_VIEW, MANIFEST, CoachView, Manifest
from ..model.review import COACH_ONLY
from ..store import atomic
from ..store.exchange import HANDED
from ..store.exchange import folder_for as exchange_folder_for
from ..store.frameworks import registry_for
from ..store.journal import load_journal
from ..store.records import NAME_MARKER
from ..store.workspace import Workspace
from . import workbooks


@dataclass(frozen=True)
class Pack:
    path: Path
    coachee: str
    framework: Framework
    records: int
    coach_view: bool


def default_folder(workspace: Workspace, slug: str, framework: str, day: date) -> Path:
    return workspace.outbox_dir / f"{slug}-{framework}-{day.isoformat()}"


def make_pack(
    workspace: Workspace,
    *,
    coachee: str,
    framework: str,
    to: str | Path | None = None,
    zip_to: str | Path | None = None,
    coach_view: bool = False,
    zip_modes: atomic.Modes = atomic.PRIVATE,
) -> Pack:
    """Make a reflection pack for ``coachee`` on ``framework``; return where it is."""
    coachee = names.clean_name(coachee, "coachee name")
    slug = workspace.require_coachee_slug(coachee)
    registry = registry_for(workspace.root)
    chosen = registry.get(framework)
    _check_view(chosen, coach_view)
    if to and zip_to:
        raise InputError("give --to or --zip, not both")
    day = date.today()
    name = f"{slug}-{chosen.id}-{day.isoformat()}"
    target = (
        Path(zip_to)
        if zip_to
        else Path(to)
        if to
        else (default_folder(workspace, slug, chosen.id, day))
    )
    if not (to or zip_to):
        workspace.make_folder(target.parent)  # the workspace's outbox/
    _check_target(target, is_zip=bool(zip_to))
    journal = load_journal(workspace, coachee=coachee)
    own = [r for r in journal.reviews if r.role == "self" and r.framework == chosen.id]
    view = _coach_view(journal.reviews, chosen.id) if coach_view else None
    with tempfile.TemporaryDirectory(prefix=".tmp-pack-", dir=target.parent) as tmp:
        folder = Path(tmp) / name
        versions = tuple(
            {registry.of_record(r).version: registry.of_record(r) for r in own}.values()
        )
        _fill(
            folder,
            coachee=coachee,
            slug=slug,
            framework=chosen,
            records=own,
            view=view,
            versions=versions,
        )
        if zip_to:
            _zip(folder, target, zip_modes)
        else:
            os.rename(folder, target)  # whole, or not at all
    return Pack(
        path=target,
        coachee=coachee,
        framework=chosen,
        records=len(own),
        coach_view=view is not None,
    )


def hand_out(
    workspace: Workspace,
    *,
    coachee: str,
    framework: str,
    exchange: Path,
    coach_view: bool = False,
) -> Pack:
    """``coach share --to-exchange``: the pack, as a zip, into the coachee's ``outbound/``.

    The exchange vouches for the coachee (the server's admin made their folder, with this
    coach as their coach), so a coachee this workspace has not met yet is added to it.
    """
    folder = exchange_folder_for(exchange, coachee)
    chosen = registry_for(workspace.root).get(framework)
    _check_view(chosen, coach_view)
    name = f"{names.slugify(folder.name)}-{chosen.id}-{date.today().isoformat()}.zip"
    target = folder.outbound / name
    if target.exists():
        raise InputError(
            f"a pack of {folder.name} on {chosen.id} was handed out today already",
            file=target,
            hint="they have it: one pack a day per track",
        )
    workspace.coachee_slug(folder.name, create=True)  # checks passed: now they are known
    return make_pack(
        workspace,
        coachee=folder.name,
        framework=chosen.id,
        zip_to=target,
        coach_view=coach_view,
        zip_modes=HANDED,
    )


def _check_view(framework: Framework, coach_view: bool) -> None:
    """A skills pack shows the coachee's own ratings only: the coach's view is one
    milestone and its next steps, which a skills matrix does not have."""
    if coach_view and not framework.is_milestone_track:
        raise InputError(
            f"--with-coach-view shows the coach's latest milestone: {framework.id} "
            "is a skills framework, whose pack shows the coachee's own ratings "
            "only",
            hint="leave out --with-coach-view",
        )


def template_for(framework: Framework) -> str:
    """The workbook a pack's ``reflection.ipynb`` is made from: the milestone reflection,
    or for a framework with many skills the skills self-assessment. One notebook name in
    every pack, so ``coach open``, ``coach serve`` and the hub find it the same way."""
    return workbooks.REFLECTION if framework.is_milestone_track else workbooks.SKILLS_REFLECTION


def _check_target(target: Path, *, is_zip: bool) -> None:
    if not target.parent.is_dir():
        raise atomic.missing_folder(target.parent)
    if is_zip:
        if target.exists():
            raise InputError(f"{target} exists: choose another --zip, or move it away")
        return
    if target.exists():
        raise InputError(f"{target} exists: choose another --to, or move it away")


def _coach_view(reviews, framework: str) -> CoachView | None:
    latest = [r for r in reviews if r.role == "coach" and r.framework == framework]
    if not latest:
        return None
    review = latest[-1]
    assessment = review.assessments[0]
    if assessment.level is None:
        return None
    return CoachView(level=assessment.level, when=review.when, next_steps=assessment.next_steps)


def _fill(
    folder: Path,
    *,
    coachee: str,
    slug: str,
    framework: Framework,
    records,
    view,
    versions: tuple[Framework, ...] = (),
) -> None:
    """Write every file of the pack into ``folder`` (private to the person making it)."""
    journal = Workspace(folder).journal_dir / slug
    atomic.make_folder(journal)
    atomic.make_folder(folder / "frameworks")
    manifest = Manifest(
        coachee=coachee, framework=framework.id, made=datetime.now(UTC), coach_view=view is not None
    )
    atomic.write_file(folder / MANIFEST, safeyaml.dump(manifest.to_dict()))
    # the newest text, and the texts the coachee's own earlier records were made against
    texts = {framework.path} | {version.path for version in versions}
    for path in sorted(p for p in texts if p is not None):
        atomic.write_file(folder / "frameworks" / path.name, path.read_bytes())
    atomic.write_file(journal / NAME_MARKER, coachee + "\n")
    for review in records:
        assert review.path is not None
        atomic.write_file(journal / review.path.name, _travelling_copy(review))
    if view is not None:
        atomic.write_file(folder / COACH_VIEW, safeyaml.dump(view.to_dict()))
    atomic.write_file(folder / "README.md", readme(coachee, framework, view is not None))
    notebook = workbooks.run_template(
        template_for(framework),
        {"coachee": coachee, "framework": framework.id, "workspace": ".", "as_of": ""},
        cwd=folder,
    )
    import nbformat

    atomic.write_file(Workspace(folder).reflection_notebook, nbformat.writes(notebook) + "\n")


def _travelling_copy(review) -> bytes:
    """A record's bytes as they may leave the workspace: the file itself, or, when it holds
    the coach's own words (a hand-over or private note; only a hand-edited self-review
    can), the record written again without them. The private note never leaves the coach's
    journal file, and a coachee's pack is not the place for the coach's notes."""
    assert review.path is not None
    if not any(getattr(review, name) for name in COACH_ONLY):
        return review.path.read_bytes()
    return safeyaml.dump(review.without_coach_notes().to_dict()).encode("utf-8")


def _zip(folder: Path, target: Path, modes: atomic.Modes) -> None:
    """The folder as a zip (entries under the pack's own folder name), written whole."""

    partial = target.with_name(f"{atomic.TEMP_PREFIX}{target.name}")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                archive.write(path, Path(folder.name, path.relative_to(folder)).as_posix())
        os.chmod(partial, modes.file)
        os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


def _contents(framework: Framework) -> str:
    """The README's list of what the pack holds, in the words of its kind of framework."""
    if framework.is_milestone_track:
        return """\
* `reflection.ipynb`: your notebook, with the milestones in full, your earlier reviews, a
  form for a new one and your progress so far;
* `journal/`: your own reviews (the ones you wrote earlier, and the ones you save now);
* `frameworks/`: the milestones, as data;"""
    return """\
* `reflection.ipynb`: your notebook, with your earlier ratings of your own skills, the
  levels, and a form to rate yourself one part at a time (each level's criteria as a
  checklist, a note per skill);
* `journal/`: your own self-assessments (the ones you saved earlier, and the ones you
  save now);
* `frameworks/`: the skills and their criteria, as data;"""


def _files_per_save(framework: Framework) -> str:
    """How many files one Save writes: one review, or one record per part rated."""
    return "one new file" if framework.is_milestone_track else "one new file per part you rated"


def readme(coachee: str, framework: Framework, coach_view: bool) -> str:
    view = (
        "It also shows your coach's latest milestone for you and their next steps, as your "
        "coach chose to share them. Nothing else of your coach's notes is in here.\n"
        if coach_view
        else "Nothing of your coach's assessment is in here.\n"
    )
    return f"""# Your reflection pack: {framework.title}

This folder is for {coachee}, and for nobody else. It holds:

{_contents(framework)}
* `pack.yaml`: whose pack this is, for your coach's tools.

{view}
## Installing coachlib (once)

coachlib is a Python program: you need Python 3.11 or newer, and pipx, which installs a
program into a folder of its own. In a terminal (PowerShell on Windows):

* Linux (Debian, Ubuntu): `sudo apt install pipx`, then `pipx ensurepath`.
* macOS: `brew install pipx`, then `pipx ensurepath`.
* Windows: install Python from python.org, then `py -m pip install --user pipx` and
  `py -m pipx ensurepath`.

Open a new terminal, then `pipx install coachlib` once it is on the Python package index;
until then your coach hands you a file `coachlib-VERSION-py3-none-any.whl`, and you run
`pipx install ./coachlib-VERSION-py3-none-any.whl` where it is. To work on it together
with your coach, live, install it with collaboration instead:
`pipx install "coachlib[collaborate]"` (or the file's name followed by `[collaborate]`).

## Opening it

Then, either:

* in JupyterLab: `coach serve .` in a terminal here, then open the link it prints (or,
  in a JupyterLab of your own, open this folder); open `reflection.ipynb` and choose
  **Run ▸ Run All Cells**. The code is folded away; the form is in section 3;
* or as a page without any code: `coach open .` in a terminal here (it opens your browser;
  the page works without the internet).

## Working on it together with your coach

To fill it in together (in a room or on a call), host it yourself: run
`coach serve . --collaborate` in a terminal here (it needs
`pip install 'coachlib[collaborate]'`) and give your coach the link it prints. You both
type in the same notebook and see the same form; **Save review** saves once, into this
folder. Whoever has the link can run code as you on your machine, so give it only to your
coach and stop the server (Ctrl-C) when you are done.

## What happens to what you write

Each **Save review** writes {_files_per_save(framework)} into `journal/` in this folder,
and nothing is sent anywhere. Text you type but have not saved is kept as a draft in `drafts/` a few
seconds after you stop typing, and offered back next time.

## Sending it back

Only `pack.yaml` and `journal/` go back to your coach: your saved reviews. Never send
the whole folder: `drafts/` holds what you typed and did not save, and it stays with you.

* On a coaching server: press **Hand in** in the notebook (or `coach hand-in .`).
* Otherwise: `coach hand-in . --zip my-reflection.zip` in a terminal here writes a zip of
  exactly those two, and you send that file to your coach (by mail, a shared drive...).

Your coach runs `coach collect` on it: only the reviews you saved are read, each one
checked, and none is changed. You may keep a copy; collecting the same pack twice adds
nothing twice.
"""
