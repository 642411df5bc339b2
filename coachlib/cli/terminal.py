"""The one way the ``coach`` command writes to the terminal: :func:`say`.

Names and texts printed by the command often come from other people: a zip entry's name
in a returned pack, a coachee's name, a title in a refreshed catalogue, a hand-edited log
file. A terminal obeys the control characters in them: a newline forges a line of the
collect table, ``ESC[2J`` clears the screen, ``ESC]0;…BEL`` sets the window title, a
right-to-left override turns ``exe.txt`` round. So every line the command prints goes
through :func:`say`, which shows those characters as escapes (``\\n``, ``\\x1b``,
``\\u202e``) and leaves every ordinary letter, in any script, as it is. Printing in one
place means a new message cannot forget it.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

# C0 controls, DEL and C1 controls; the bidi embeddings, overrides, isolates and marks;
# the Unicode line and paragraph separators (some terminals break the line there).
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_IN_BLOCK = re.compile(f"[\x00-\x09\x0b-\x1f{_BEYOND_C0}]")  # newline kept
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape; with ``keep_newlines``
    a newline stays a newline (for a block of lines the command itself composed)."""
    return (_UNSAFE_IN_BLOCK if keep_newlines else _UNSAFE).sub(_escape, text)


def json_visible(text: str) -> str:
    """JSON text with the characters :func:`visible` escapes written as JSON's ``\\uXXXX``
    (``json.dumps`` leaves DEL, C1 controls and bidi overrides raw): still valid JSON,
    and harmless on a terminal. JSON's own layout uses only newlines and spaces."""
    return _UNSAFE_IN_BLOCK.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def say(
    *parts: object,
    err: bool = False,
    block: bool = False,
    end: str = "\n",
    flush: bool = False,
    file: TextIO | None = None,
) -> None:
    """Print one line (``parts`` joined by spaces) with its control characters visible;
    with ``block``, several lines the command composed (its newlines kept, any other
    control character made visible). ``err`` prints on stderr."""
    stream = file or (sys.stderr if err else sys.stdout)
    text = " ".join(str(part) for part in parts)
    stream.write(visible(text, keep_newlines=block) + end)
    if flush:
        stream.flush()
