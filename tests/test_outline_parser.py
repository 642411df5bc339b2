"""The outline's parse leaves out the block rules a document cannot use (for speed): it
must give the very tokens the parse with every block rule gives, for the ladders here and
for generated Markdown made of the characters each rule looks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from coachlib.ladders.html_lines import html_as_markdown
from coachlib.ladders.read_markdown import _parser

LADDERS = Path(__file__).resolve().parent / "ladders"
EVERY_RULE = MarkdownIt("commonmark").enable("table").disable("inline")


def _tokens(tokens) -> list[tuple]:
    return [
        (t.type, t.tag, t.nesting, t.map, t.content, t.markup, t.info, t.level, t.hidden)
        for t in tokens
    ]


def _same(body: str) -> None:
    assert _tokens(_parser(body).parse(body)) == _tokens(EVERY_RULE.parse(body))


def test_every_ladder_parses_to_the_same_tokens():
    paths = [p for p in LADDERS.rglob("*") if p.suffix in (".md", ".html", ".htm")]
    assert len(paths) > 20
    for path in paths:
        text = path.read_text(encoding="utf-8")
        _same(text if path.suffix == ".md" else html_as_markdown(text)[0])


# lines built of what the rules look for: markers, indents, tabs, pipes, brackets
_PIECES = st.sampled_from(
    [
        "#",
        "## ",
        "- ",
        "* ",
        "+ ",
        "1. ",
        "2) ",
        "> ",
        ">",
        "    ",
        "  ",
        " ",
        "\t",
        "|",
        "---",
        "***",
        "* * *",
        "_ _ _",
        "===",
        "-",
        "=",
        "```",
        "~~~",
        "[a]: /u",
        "[b]:/u",
        "[a]",
        "]:",
        "<div>",
        "<!-- x -->",
        "<p>",
        "</div>",
        "text",
        "word",
        "**Key:** v",
        ":-",
        "|---|",
    ]
)
_LINE = st.lists(_PIECES, max_size=6).map("".join)
_DOCUMENT = st.lists(_LINE, min_size=1, max_size=12).map("\n".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENT)
def test_generated_markdown_parses_to_the_same_tokens(body):
    _same(body)


@pytest.mark.parametrize(
    "body",
    [
        "-\t# a heading in a list item",
        "1.\t> a block quote in a numbered item",
        "> -\t<div>\n",
        "* * *",
        "> Title\n> ===",
        "- a\n\n      code under the item",
        "| a | b |\n|---|---|\n| <br> | c |",
        "[label]:\n  /url",
    ],
)
def test_blocks_after_markers_parse_to_the_same_tokens(body):
    _same(body)
