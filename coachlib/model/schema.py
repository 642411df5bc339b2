"""JSON Schema validation: one library (fastjsonschema) and one style of message.

Frameworks and saved reviews are both checked against a JSON Schema shipped with the
package (``frameworks/framework.schema.json``, ``model/schemas/review.schema.json``).
fastjsonschema compiles a schema into Python once per process; a journal of thousands of
records is then checked at about 20 µs a record. Its first finding is turned into one
message in a person's words ("unknown field 'bogus' (allowed: id, name, …)"), with the
field path, so the caller can add the file and the line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from . import safeyaml
from .errors import CoachError, quote
from .resources import (
    framework_schema_path,
    guidance_schema_path,
    review_schema_path,
    session_schema_path,
)

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a mapping (key: value lines)",
    "boolean": "true or false",
    "null": "nothing (null)",
}
ID_PATTERN = "^[a-z0-9][a-z0-9-]*$"


@dataclass(frozen=True)
class SchemaProblem:
    """The first thing in some data that the schema does not allow."""

    path: list[safeyaml.PathPart]
    message: str

    @property
    def field(self) -> str | None:
        return safeyaml.field_name(self.path) or None


class Schema:
    """A JSON Schema file, compiled on first use.

    Compiling the framework schema costs more than reading every framework file (60 ms,
    in every process that loads the registry), so a schema can remember which texts it
    found valid: ``trusted`` holds the :meth:`digest` of texts validated before (the
    store keeps them in the user's private cache), and such a text is not checked again;
    ``validated`` collects the digests found valid in this process. A digest covers the
    text and the schema files, so a changed schema checks every text again."""

    def __init__(self, locate: Callable[[], Path], *, remembers: bool = False) -> None:
        self._locate = locate
        self.remembers = remembers  # frameworks and guidance: few texts, each checked at cost
        self.trusted: set[str] = set()
        self.validated: set[str] = set()

    @cached_property
    def path(self) -> Path:  # found once: resolving it again for every record costs
        return self._locate()

    def problem(self, data: Any) -> SchemaProblem | None:
        """None if ``data`` is valid, else its first problem in a person's words."""
        import fastjsonschema

        try:
            _compiled(self.path)(data)
        except fastjsonschema.JsonSchemaValueException as exc:
            return _explain(exc)
        return None

    @cached_property
    def _schema_digest(self) -> bytes:
        """The schema files (this one and those it refers to, beside it) as one digest."""
        digest = hashlib.sha256()
        for path in sorted(self.path.parent.glob("*.schema.json")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.digest()

    def digest(self, text: str) -> str:
        """What :attr:`trusted` holds for ``text``: valid against these schema files."""
        return hashlib.sha256(self._schema_digest + text.encode("utf-8")).hexdigest()

    def check(
        self, data: Any, *, file: str | Path, text: str | None, error: type[CoachError]
    ) -> None:
        """Raise ``error`` naming the file, the line (found in ``text``) and the field."""
        key = self.digest(text) if self.remembers and text is not None else None
        if key is not None and key in self.trusted:
            return
        problem = self.problem(data)
        if problem is None:
            if key is not None:
                self.validated.add(key)
            return
        line = safeyaml.line_of(text, problem.path) if text is not None else None
        raise error(problem.message, file=file, line=line, field=problem.field)


@cache
def _compiled(path: Path) -> Callable[[Any], Any]:
    import fastjsonschema

    def local(uri: str) -> Any:
        """Our schemas refer to each other by their ``$id`` under coachlib.invalid: read
        the file beside this one, never the network."""
        if not uri.startswith(SCHEMA_BASE):
            raise ValueError(f"schema reference outside coachlib: {uri}")
        name = uri.removeprefix(SCHEMA_BASE).split("#")[0]
        return json.loads((path.parent / Path(name).name).read_text(encoding="utf-8"))

    schema = json.loads(path.read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema, handlers={"https": local})


SCHEMA_BASE = "https://coachlib.invalid/"
FRAMEWORK = Schema(framework_schema_path, remembers=True)
GUIDANCE = Schema(guidance_schema_path, remembers=True)
REVIEW = Schema(review_schema_path)
SESSION = Schema(session_schema_path)


def _explain(exc: Any) -> SchemaProblem:
    """fastjsonschema's finding as a path and a sentence."""
    path: list[safeyaml.PathPart] = [
        int(part) if part.isdigit() else part for part in (exc.path or [])[1:]
    ]
    value, rule, expected = exc.value, exc.rule, exc.rule_definition
    definition = exc.definition if isinstance(exc.definition, dict) else {}
    if rule == "additionalProperties" and isinstance(value, dict):
        allowed = list(definition.get("properties", {}))
        extra = [key for key in value if key not in allowed]
        if extra:
            return SchemaProblem(
                [*path, extra[0]],
                f"unknown field {quote(extra[0])} (allowed: {', '.join(allowed)})",
            )
    if rule == "required" and isinstance(value, dict):
        missing = [key for key in expected if key not in value]
        if missing:
            return SchemaProblem(path, f"the field {missing[0]!r} is missing")
    if rule == "enum":
        choices = ", ".join(repr(choice) for choice in expected)
        return SchemaProblem(path, f"{quote(value)} is not one of {choices}")
    if rule == "const":
        return SchemaProblem(path, f"{quote(value)} must be {expected!r}")
    if rule == "pattern" and expected == ID_PATTERN:
        return SchemaProblem(
            path, f"{quote(value)} is not a valid id (lower-case letters, digits, hyphens)"
        )
    if rule == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_TYPE_WORDS.get(kind, str(kind)) for kind in kinds)
        return SchemaProblem(path, f"expected {wanted}, got {quote(value)}")
    if rule in ("minItems", "minLength"):
        unit = "item" if rule == "minItems" else "character"
        return SchemaProblem(
            path, f"needs at least {expected} {unit}{'s' if expected != 1 else ''}"
        )
    if rule in ("maxItems", "maxLength"):
        unit = "items" if rule == "maxItems" else "characters"
        return SchemaProblem(path, f"holds more than the limit of {expected:,} {unit}")
    message = str(exc.message)
    name = str(exc.name or "")
    return SchemaProblem(path, message.removeprefix(name).strip() or message)
