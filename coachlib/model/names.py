"""People's names: cleaned for records, slugged for paths.

A name is kept exactly as typed (Unicode normalised, whitespace tidied) in every record; only
paths use the slug. A slug is lower-case ASCII letters, digits and hyphens, never empty,
never a path separator, ``.`` or ``..``, never a reserved Windows device name, and at most
72 characters. Names with no Latin letters (Chinese, Arabic, emoji) get a stable slug made
from a hash of the name. Two names with the same slug are told apart by the workspace (see
``Workspace.coachee_slug``), never merged silently.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .errors import InputError

MAX_NAME_LENGTH = 300
MAX_SLUG_LENGTH = 72
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_PLAIN = re.compile(r"[!-~](?:[ -~]{0,298}[!-~])?")  # printable ASCII, no space at an end


def clean_name(name: object, what: str = "name") -> str:
    """The name as it will be recorded; raise InputError if it cannot be used as given.

    Unicode is normalised (NFC), spaces of any kind become one plain space, and leading and
    trailing whitespace goes. A character a reader cannot see or that breaks a line inside
    the name (a newline, NUL, a zero-width space, a direction override) is refused with
    its code point: two names that look the same must be the same name. Zero-width
    joiners are kept between letters of scripts that need them (Persian, Indic, emoji).
    """
    if not isinstance(name, str):
        raise InputError(f"{what} must be text, not {type(name).__name__}")
    if _PLAIN.fullmatch(name) and "  " not in name:  # the common case, with no work
        return name
    name = unicodedata.normalize("NFC", name).strip()
    for index, ch in enumerate(name):
        if _hidden(name, index):
            label = unicodedata.name(ch, "a control character")
            raise InputError(
                f"{what} holds a character that cannot be seen or breaks the line "
                f"(U+{ord(ch):04X} {label}) at position {index + 1}",
                hint="retype the name without it",
            )
    name = _SPACES.sub(" ", name)
    if not name:
        raise InputError(f"{what} is empty")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(f"{what} is longer than {MAX_NAME_LENGTH} characters ({len(name)})")
    return name


_JOINERS = ("\u200c", "\u200d")
_LINE_BREAKS = ("\u2028", "\u2029", "\x85")


def _hidden(text: str, index: int) -> bool:
    """True for a character that must not be inside a name (see :func:`clean_name`)."""
    ch = text[index]
    category = unicodedata.category(ch)
    if ch in _LINE_BREAKS or category in ("Cc", "Cs", "Co", "Cn"):
        return True
    if category != "Cf":
        return False
    if ch in _JOINERS and 0 < index < len(text) - 1:
        return _latin(text[index - 1]) or _latin(text[index + 1])
    return True


def _latin(ch: str) -> bool:
    return ord(ch) < 0x250 or ch.isspace()


def _digest(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slugify(name: str) -> str:
    """A safe, readable path component for a (cleaned) name."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if not slug:
        return f"person-{_digest(name)}"
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[: MAX_SLUG_LENGTH - 9].rstrip("-") + "-" + _digest(name)
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-{_digest(name, 4)}"
    return slug


def is_safe_slug(slug: str) -> bool:
    """True for strings :func:`slugify` could have made (used to check paths read back)."""
    return (
        _SLUG.fullmatch(slug) is not None
        and len(slug) <= MAX_SLUG_LENGTH + 8
        and slug not in _WINDOWS_RESERVED
    )
