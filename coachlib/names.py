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
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}  # fmt: skip
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def clean_name(name: object, what: str = "name") -> str:
    """The name as it will be recorded; raise InputError if nothing usable is left."""
    if not isinstance(name, str):
        raise InputError(f"{what} must be text, not {type(name).__name__}")
    name = unicodedata.normalize("NFC", name)
    # Control characters (newlines, NUL, escapes) have no place in a name.
    name = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in name)
    name = _SPACES.sub(" ", name).strip()
    if not name:
        raise InputError(f"{what} is empty")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(f"{what} is longer than {MAX_NAME_LENGTH} characters ({len(name)})")
    return name


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
