"""Nobody let in: hostile text in every free-text field and in names never becomes markup,
in exported HTML (checked in the source and by running it in Chromium) and in the
notebooks' own outputs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat
import pytest

from coachlib.model.names import clean_name
from coachlib.model.review import Assessment, new_review
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import save_review
from coachlib.store.workspace import Workspace
from tests.hostile import PAYLOADS
from tests.html_reader import HtmlReader

pytestmark = pytest.mark.slow
AS_OF = "2026-06-30"
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "div", "p", "h1", "h2", "h3",
    "h4", "h5", "header", "section", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "strong", "em", "br", "dl", "dt", "dd", "ul", "li", "code", "figure", "img", "details",
    "summary", "a", "small", "pre", "span", "figcaption", "footer",
}  # fmt: skip


def assert_inert(html: str, *, where: str) -> None:
    """No payload became a tag or an attribute: everything hostile is text."""
    markup = HtmlReader(html)
    for tag, attrs in markup.tags:
        assert tag in ALLOWED_TAGS, f"{where}: unexpected <{tag}> {attrs}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            assert "__xss" not in (value or ""), f"{where}: <{tag} {name}={value!r}>"
            if name in ("href", "src", "action", "data", "formaction"):
                assert (value or "").startswith(("data:image/png", "#")), f"{where}: {value!r}"
        if tag == "meta":
            assert "refresh" not in str(attrs.get("http-equiv", "")).lower(), where
        if tag == "details":
            assert "open" not in attrs, where
    for payload in PAYLOADS:  # quotes in text are harmless; a raw '<' never is
        if "<" in payload:
            assert payload not in html, f"{where}: payload left raw: {payload!r}"


def hostile_workspace(root: Path) -> Workspace:
    workspace = Workspace.open(root, create=True)
    registry = registry_for(root)
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    for index, payload in enumerate(PAYLOADS):
        coachee = f"Coachee {index} {payload}"
        for step, role in enumerate(("coach", "self")):
            texts = {
                "evidence": f"evidence {payload}\nsecond line {payload}",
                "reflection": f"reflection {payload}",
                "next_steps": f"next {payload}",
            }
            save_review(
                workspace,
                new_review(
                    coachee=coachee, framework="samman-ensemble", role=role,
                    author=f"Author {payload}" if role == "coach" else coachee,
                    when=start + timedelta(days=2 * index + step),
                    assessments=[Assessment("ensemble-facilitation", 1 + (index + step) % 5,
                                            **texts)],
                    notes=f"notes {payload}",
                    # the summary opens with the hand-over note: it is checked as shown
                    handover_note=f"handover {payload}" if role == "coach" else "",
                    private_note=f"private {payload}" if role == "coach" else "",
                ),
                registry,
            )  # fmt: skip
        if index % 7 == 0:  # skills frameworks too: notes per skill, waived
            save_review(
                workspace,
                new_review(
                    coachee=coachee, framework="opensesame-career-skills", role="coach",
                    author=f"Author {payload}", when=start + timedelta(days=2 * index + 1),
                    part="basic-communication",
                    assessments=[
                        Assessment("collective-ownership", 2, note=f"note {payload}"),
                        Assessment("active-listening", None, mark="waived", note=payload),
                    ],
                ),
                registry,
            )  # fmt: skip
    return workspace


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from coachlib.export.pool import export_all
    from coachlib.export.summaries import export_team

    workspace = hostile_workspace(tmp_path_factory.mktemp("hostile") / "ws")
    result = export_all(workspace, as_of=AS_OF)
    assert not result.failed, result.failed
    team = export_team(workspace, as_of=AS_OF)
    return workspace, [*result.written, team]


def test_the_corpus_is_big_enough():
    assert len(PAYLOADS) >= 30
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_every_export_keeps_hostile_text_inert(exported):
    _workspace, pages = exported
    assert len(pages) == len(PAYLOADS) + 1
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert_inert(html, where=page.name)


def test_hostile_text_is_shown_as_typed(exported):
    workspace, pages = exported
    by_name = {p.name: p for p in pages}
    for index in (0, 5, 16, 29):
        coachee = clean_name(f"Coachee {index} {PAYLOADS[index]}")
        slug = workspace.coachee_slug(coachee)
        text = " ".join(HtmlReader(by_name[f"{slug}-{AS_OF}.html"].read_text()).text)
        assert f"reflection {PAYLOADS[index]}" in text
        assert f"handover {PAYLOADS[index]}" in text
        assert "private " not in text
        assert coachee in text


@pytest.mark.browser
def test_no_payload_runs_in_chromium(exported, browser):
    _workspace, pages = exported
    ran = {}
    for path in pages:
        page = browser.new_page()
        try:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            page.mouse.click(5, 5)
            page.keyboard.press("Tab")
            page.wait_for_timeout(50)
            flag = page.evaluate("window.__xss")
            if flag is not None:
                ran[path.name] = flag
        finally:
            page.close()
    assert ran == {}


def test_notebook_outputs_keep_hostile_text_inert(tmp_path):
    """The workbooks' own HTML outputs, for the hostile coachees, milestone and skills."""
    from coachlib.export.new import new_session_notebook

    workspace = hostile_workspace(tmp_path / "ws")
    made = [
        new_session_notebook(
            workspace,
            framework=framework,
            coachee=f"Coachee {index} {PAYLOADS[index]}",
            author=f"Author {PAYLOADS[index]}",
            role=role,
        )
        for framework, index, role in (
            ("samman-ensemble", 0, "coach"),
            ("samman-ensemble", 17, "self"),
            ("opensesame-career-skills", 7, "coach"),
        )
    ]
    for session in made:
        notebook = nbformat.read(session.path, as_version=4)
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.get("output_type") == "error"], session.path
        html_outputs = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert len(html_outputs) >= 3
        for html in html_outputs:
            assert_inert(html, where=session.path.name)
        markdown = [o for o in outputs if "text/markdown" in o.get("data", {})]
        assert markdown == []  # user text never goes through a Markdown renderer
        assert "__xss" in json.dumps(html_outputs)  # the payloads are there, as text


def test_a_skills_pack_notebook_keeps_hostile_text_inert(tmp_path):
    """The coachee's own skills notebook in a pack: their name, notes and ticked criteria
    shown as text (the pack's notebook is run by `coach share` and shown as it is)."""
    from coachlib.export.share import make_pack

    workspace = hostile_workspace(tmp_path / "ws")
    index = 7
    coachee = f"Coachee {index} {PAYLOADS[index]}"
    save_review(workspace, new_review(
        coachee=coachee, framework="opensesame-career-skills", role="self", author=coachee,
        part="basic-communication", when=datetime(2026, 3, 20, 9, tzinfo=UTC),
        assessments=[Assessment("collective-ownership", 3, note=f"own {PAYLOADS[3]}"),
                     Assessment("active-listening", None, mark="waived", note=PAYLOADS[5])],
    ), registry_for(workspace.root))  # fmt: skip
    pack = make_pack(workspace, coachee=coachee, framework="opensesame-career-skills",
                     to=tmp_path / "pack").path  # fmt: skip
    notebook = nbformat.read(pack / "reflection.ipynb", as_version=4)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html_outputs = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(html_outputs) >= 3
    for html in html_outputs:
        assert_inert(html, where="skills pack")
    shown = json.dumps(html_outputs)
    assert "__xss" in shown and "own " in shown  # the payloads are there, as text
