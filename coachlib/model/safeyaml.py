"""Safe YAML reading and writing, with line numbers for error messages.

Only PyYAML's safe loaders are used, so a file with ``!!python/object`` tags is refused,
never executed. Parsing uses the C loader when PyYAML was built with it (it is several
times faster, which matters for journals of thousands of files). Line numbers are found
only when something is wrong, by composing the document into nodes (no objects are
constructed, so this is safe too) and walking the path of the offending field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, cast

import yaml

from .errors import CoachError, quote

try:  # the C extension; absent on some platforms
    from yaml import CSafeDumper as _FastDumper
    from yaml import CSafeLoader as FastSafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _FastDumper  # type: ignore[assignment]
    from yaml import SafeLoader as FastSafeLoader  # type: ignore[assignment]

PathPart = str | int


class _QuickLoader(FastSafeLoader):
    """The C safe loader with a memo for the type of short plain scalars.

    PyYAML asks the resolver, in Python, for the type of every scalar (``level`` → str,
    ``3`` → int); journals repeat the same keys and small numbers thousands of times. For a
    plain scalar the answer depends only on its text, so it is computed once per text.
    """

    _memo: ClassVar[dict[str, str]] = {}  # shared by every loader: same text, same type

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and len(value) < 32:
            tag = self._memo.get(value)
            if tag is None:
                tag = self._resolve(kind, value, implicit)
                if len(self._memo) < 20_000:
                    self._memo[value] = tag
            return tag
        return self._resolve(kind, value, implicit)

    def _resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag  # (PyYAML's stubs leave resolve untyped)


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


def _refuse(message: str, node: yaml.Node) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


MAX_DEPTH = 64  # nesting of mappings and lists; our files need fewer than ten


def _construct(node: yaml.Node, loader: _QuickLoader, seen: set[int], depth: int = 0) -> Any:
    """Build plain data from composed nodes: strings, ints, nulls, mappings and lists
    directly, anything else through PyYAML's safe constructor (which refuses python tags).

    Several times faster than the generic constructor on journal files. A mapping or list
    met twice is an alias and is refused: nested aliases ('billion laughs') would make a
    tiny file expand into billions of values for whatever walks the data next. A key given
    twice in one mapping is refused with both lines (YAML would keep the later one without
    a word), and so is nesting deeper than :data:`MAX_DEPTH`.
    """
    kind = node.__class__
    if kind is yaml.ScalarNode:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _INT and value.isdigit() and (value[0] != "0" or value == "0"):
            return int(value)
        if tag == _NULL:
            return None
        return _tagged(node, loader)
    if id(node) in seen:
        raise _refuse("aliases (*name) are not allowed", node)
    seen.add(id(node))
    if depth >= MAX_DEPTH:
        raise _refuse(f"nested more than {MAX_DEPTH} levels deep", node)
    if kind is yaml.MappingNode and node.tag == _MAP:
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                raise _refuse("merge keys (<<) are not allowed", key_node)
            key = _construct(key_node, loader, seen, depth + 1)
            try:
                hash(key)
            except TypeError:
                raise _refuse("a key must be plain text or a number", key_node) from None
            if key in result:
                raise _refuse(
                    f"the key {quote(key)} is given twice (first on line {first_line[key]}); "
                    "YAML would silently keep only the later one",
                    key_node,
                )
            first_line[key] = key_node.start_mark.line + 1
            result[key] = _construct(value_node, loader, seen, depth + 1)
        return result
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_construct(child, loader, seen, depth + 1) for child in node.value]
    return _tagged(node, loader)


def _tagged(node: yaml.Node, loader: _QuickLoader) -> Any:
    """A value of a tag :func:`_construct` does not build itself (``!!bool``, ``!!float``,
    ``!!timestamp``…), by PyYAML's safe constructor. Its constructors fail on some
    malformed values with errors of their own (``!!int`` of nothing: IndexError,
    ``!!bool maybe``: KeyError, ``!!timestamp x``: AttributeError): each is refused here,
    with the value's line, like any other value that cannot be."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError, IndexError, KeyError, AttributeError):
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        shown = f" {quote(node.value)}" if isinstance(node, yaml.ScalarNode) else ""
        raise _refuse(f"the value{shown} is not a valid {tag}", node) from None


def parse(text: str, *, file: str | Path, error: type[CoachError]) -> Any:
    """Parse YAML text with a safe loader; raise ``error`` naming file and line."""
    loader = _QuickLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _construct(node, loader, set())
    except RecursionError:
        raise error("YAML nested too deeply to read", file=file) from None
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
    finally:
        loader.dispose()


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
            except (yaml.YAMLError, RecursionError):
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
                return cast(yaml.Node, value)
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        return cast(yaml.Node, node.value[part])
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

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # never write anchors: the loader refuses aliases


# Characters YAML reads as line breaks (and folds or normalises) besides "\n": a text that
# holds one is written double-quoted, where every character is escaped exactly.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.representer.SafeRepresenter, value: str) -> yaml.Node:
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


class _QuickBlockStrDumper(_FastDumper):
    """libyaml's emitter with the same scalars as :class:`_BlockStrDumper` (multi-line
    text as ``|`` blocks, other line breaks double-quoted, no anchors). libyaml writes a
    list flush with its key (``key:`` then ``- item``), which reads the same."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_QuickBlockStrDumper.add_representer(str, _represent_str)


def dump_large(data: Any) -> str:
    """Serialise plain data (mappings, lists, text, whole numbers, booleans, None) as the
    YAML :func:`dump` writes, for files of thousands of entries (an imported ladder of a
    megabyte), which PyYAML's emitter takes seconds to write: written here line by line,
    lists indented under their key. A text is plain when it obviously reads back as that
    text (a letter first, letters, digits, spaces and ``,.()'&/+_-`` after it, no word
    YAML reads as a boolean or null), a ``|`` block when it has lines, and otherwise
    double-quoted with JSON's escapes (which YAML's double quotes read the same). Anything
    else (a character YAML escapes differently, a type of value not listed) has the whole
    document written by libyaml instead, so the text always reads back as ``data``
    (tests/test_import.py holds it to that)."""
    out: list[str] = []
    try:
        _mapping(data, 0, out, None) if isinstance(data, dict) and data else out.append(
            _inline(data, 0)
        )
    except _Unwritable:
        return _dump_libyaml(data)
    return "\n".join(out) + "\n"


class _Unwritable(Exception):
    """A value :func:`dump_large` leaves to libyaml."""


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()'&/+_-]*")
_SPECIAL_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}
# characters JSON leaves as they are but YAML must escape (or reads as a line break)
_YAML_ESCAPES = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f]")


def _scalar(value: Any) -> str:
    """One value on one line."""
    kind = type(value)
    if kind is str:
        if _PLAIN.fullmatch(value) and value[-1] != " " and value.casefold() not in _SPECIAL_WORDS:
            return str(value)
        if _YAML_ESCAPES.search(value):
            raise _Unwritable
        return json.dumps(value, ensure_ascii=False)
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    raise _Unwritable


def _inline(value: Any, indent: int) -> str:
    """A value after ``key: `` or ``- ``: a scalar, an empty collection, or a ``|`` block
    whose lines are indented by ``indent``."""
    if type(value) is str and "\n" in value:
        lines = value.split("\n")
        chomp = "-"
        if lines[-1] == "":
            lines, chomp = lines[:-1], ""
        if (
            lines
            and lines[0]
            and lines[-1]
            and not _CONTROLS.search(value)
            and not _YAML_ESCAPES.search(value)
            and "\r" not in value
            and all(line == line.strip() for line in lines)
        ):
            pad = " " * indent
            return "|" + chomp + "".join("\n" + (pad + line if line else "") for line in lines)
        return _scalar(value)
    if isinstance(value, dict | list) and not value:
        return "{}" if isinstance(value, dict) else "[]"
    if isinstance(value, dict | list):
        raise _Unwritable  # not reached: the writers below take collections
    return _scalar(value)


def _mapping(data: dict[Any, Any], indent: int, out: list[str], first: str | None) -> None:
    """``key: value`` lines at ``indent``; the first after ``first`` (``- ``) if given."""
    pad = " " * indent
    for key, value in data.items():
        if type(key) is not str:
            raise _Unwritable
        prefix = first if first is not None else pad
        first = None
        if isinstance(value, dict) and value:
            out.append(f"{prefix}{_scalar(key)}:")
            _mapping(value, indent + 2, out, None)
        elif isinstance(value, list) and value:
            out.append(f"{prefix}{_scalar(key)}:")
            _sequence(value, indent + 2, out)
        else:
            out.append(f"{prefix}{_scalar(key)}: {_inline(value, indent + 2)}")


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    """``- item`` lines at ``indent`` (a mapping item's keys line up after the dash)."""
    dash = " " * indent + "- "
    for item in items:
        if isinstance(item, dict) and item:
            _mapping(item, indent + 2, out, dash)
        elif isinstance(item, list) and item:
            out.append(dash.rstrip())
            _sequence(item, indent + 2, out)
        else:
            out.append(dash + _inline(item, indent + 2))


def _dump_libyaml(data: Any) -> str:
    """The same data written by libyaml (where PyYAML has it), nodes built here rather than
    by PyYAML's representer, whose bookkeeping per value (for aliases, never written) was
    most of its cost."""
    import io

    stream = io.StringIO()
    dumper = _QuickBlockStrDumper(
        stream, allow_unicode=True, default_flow_style=False, width=100, sort_keys=False
    )
    try:
        dumper.open()
        dumper.serialize(_node(data, dumper))
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def _node(value: Any, dumper: Any) -> yaml.Node:
    """The node :func:`dump` would write for ``value`` (texts styled as there)."""
    kind = type(value)
    if kind is str:
        if "\r" in value or "\x85" in value or "\u2028" in value or "\u2029" in value:
            return yaml.ScalarNode(_STR, value, style='"')
        return yaml.ScalarNode(_STR, value, style="|" if "\n" in value else None)
    if kind is dict or isinstance(value, dict):
        return yaml.MappingNode(
            _MAP, [(_node(k, dumper), _node(v, dumper)) for k, v in value.items()], flow_style=False
        )
    if kind is list or isinstance(value, list):
        return yaml.SequenceNode(_SEQ, [_node(v, dumper) for v in value], flow_style=False)
    if kind is int:
        return yaml.ScalarNode(_INT, str(value))
    # None, True, a date: as PyYAML writes them
    return cast(yaml.Node, dumper.represent_data(value))
