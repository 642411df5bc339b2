"""Safe YAML reading and writing, with line numbers for error messages.

Only PyYAML's safe loaders are used, so a file with ``!!python/object`` tags is refused,
never executed. Parsing uses the C loader when PyYAML was built with it (it is several
times faster, which matters for journals of thousands of files). Line numbers are found
only when something is wrong, by composing the document into nodes (no objects are
constructed, so this is safe too) and walking the path of the offending field.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .errors import CoachError

try:  # the C extension; absent on some platforms
    from yaml import CSafeDumper as _FastDumper
    from yaml import CSafeLoader as FastSafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _FastDumper  # noqa: F401
    from yaml import SafeLoader as FastSafeLoader

PathPart = str | int


class _PlainLoader(FastSafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing aliases (``*name``): a few nested aliases make a tiny file
    expand into billions of values for whatever walks the data next ("billion laughs")."""

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed", node.start_mark
            )
        return super().construct_object(node, deep=deep)


def parse(text: str, *, file: str | Path, error: type[CoachError]) -> Any:
    """Parse YAML text with a safe loader; raise ``error`` naming file and line."""
    try:
        return yaml.load(text, Loader=_PlainLoader)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        if "constructor for the tag" not in str(exc.problem):
            raise error(f"refused: {exc.problem}", file=file, line=line) from None
        tag = _tag_in(str(exc.problem))
        raise error(
            f"refused: the tag {tag} is not plain YAML (only safe YAML is read; "
            "python objects are never constructed)",
            file=file,
            line=line,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # At the end of a file without a final newline PyYAML points one line past it.
        line = min(mark.line + 1, max(1, len(text.splitlines()))) if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"YAML syntax error: {problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise error(f"YAML error: {exc}", file=file) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. "!!int five"
        raise error(f"a value cannot be read: {exc}", file=file) from None


def _tag_in(problem: str) -> str:
    """Pick the tag out of PyYAML's 'could not determine a constructor' message."""
    start = problem.find("'")
    end = problem.rfind("'")
    tag = problem[start + 1 : end] if 0 <= start < end else problem
    return tag.replace("tag:yaml.org,2002:", "!!")


def line_of(text: str, path: Sequence[PathPart]) -> int | None:
    """The 1-based line where the value at ``path`` starts (or its nearest parent)."""
    return Locator(text).line(path)


class Locator:
    """Answers 'which line is this field on?' for one document, composing it only once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._composed = False

    def _node(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self._text, Loader=yaml.SafeLoader)
            except yaml.YAMLError:
                self._root = None
        return self._root

    def line(self, path: Sequence[PathPart]) -> int | None:
        node = self._node()
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line


def _child(node: yaml.Node | None, part: PathPart) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return value
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        return node.value[part]
    return None


def field_name(path: Sequence[PathPart]) -> str:
    """A readable field path such as ``scale[3].title``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _BlockStrDumper(yaml.SafeDumper):
    """A safe dumper that writes multi-line text as ``|`` blocks, readable in a diff,
    and indents lists under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # never write anchors: the loader refuses aliases


# Characters YAML reads as line breaks (and folds or normalises) besides "\n": a text that
# holds one is written double-quoted, where every character is escaped exactly.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if any(ch in value for ch in _OTHER_BREAKS):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockStrDumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """Serialise plain data as readable YAML (Unicode kept, key order kept)."""
    return yaml.dump(
        data,
        Dumper=_BlockStrDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
