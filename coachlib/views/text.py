"""A framework as plain text for a terminal (``coach frameworks show``).

Headings, wrapped paragraphs, indented lists: the same content as the HTML the notebooks
show, for a person reading in a terminal.
"""

from __future__ import annotations

import shutil
import textwrap

from ..model.frameworks import Framework
from ..model.rules import role_text


def provenance(framework: Framework) -> list[tuple[str, str]]:
    """Where a framework's text comes from, as (label, value) lines: the source, its own
    revision, when it was taken, its licence and the credit it asks for."""
    source = framework.source
    if not source:
        return [("source", "not recorded")]
    status = f" ({source['status']})" if source.get("status") else ""
    lines = [("source", f"{source.get('publisher')}, {source.get('title')}{status}")]
    if source.get("url"):
        lines.append(("url", source["url"]))
    revision = source.get("revision") or {}
    if revision:
        text = f"commit {revision['commit']}" if revision.get("commit") else "revision"
        if revision.get("repository"):
            text += f" of {revision['repository']}"
        if revision.get("date"):
            text += f", {revision['date']}"
        if revision.get("message"):
            text += f': "{revision["message"]}"'
        lines.append(("revision", text))
    if source.get("updated"):
        lines.append(("updated", source["updated"]))
    if source.get("retrieved"):
        lines.append(("taken", source["retrieved"]))
    if source.get("document"):
        lines.append(("curated from", source["document"]))
    lines.append(("licence", source.get("licence") or "not stated by the source"))
    if source.get("attribution"):
        lines.append(("attribution", source["attribution"]))
    return lines


def format_framework(framework: Framework, other_versions: tuple[Framework, ...] = ()) -> str:
    """A framework as text for a terminal: headings, wrapped paragraphs, indented lists."""
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)

    def para(text: str | None, indent: str = "", hang: str = "") -> list[str]:
        """Wrap one paragraph; ``hang`` indents its continuation lines further."""
        if not text:
            return []
        return textwrap.wrap(
            " ".join(text.split()),
            width=width,
            initial_indent=indent,
            subsequent_indent=indent + hang,
        ) or [indent]

    out = [framework.title, "=" * min(len(framework.title), width), ""]
    meta = (
        f"id: {framework.id} · {framework.version_label} · shape: {framework.shape} · "
        f"{len(framework.skills)} skill(s)"
    )
    out += [meta]
    if other_versions:
        out += para(
            "other versions installed: "
            + ", ".join(f"{v.version_label}: {v.title}" for v in other_versions)
        )
    for label, value in provenance(framework):
        out += para(f"{label}: {value}", hang="    ")
    out.append("")
    out += para(framework.introduction)
    if framework.introduction:
        out.append("")
    out += ["Levels", "------"]
    for level in framework.scale:
        heading = f"{level.level} · {level.name}" + (f": {level.title}" if level.title else "")
        out += para(heading, hang="    ")
        out += para(level.description, "     ")
        if level.coaching_role:
            out += para(f"job role: {role_text(level.coaching_role)}", "     ")
    for mark in framework.marks:
        out += para(f"-  {mark.name} (not a level): {mark.description or ''}")
    out.append("")
    for group in framework.groups:
        out += _format_group(group, para, depth=0)
    if framework.source.get("status_note"):
        out += ["", *para("Note: " + framework.source["status_note"])]
    return "\n".join(out).rstrip() + "\n"


def _format_group(group, para, depth: int) -> list[str]:
    underline = "-=~."[min(depth, 3)]
    title = f"{group.name}" + (f" [{group.kind}]" if group.kind != "group" else "")
    out = [title, underline * len(title)]
    out += para(group.description)
    for expectation in group.expectations:
        out += para(f"{expectation.tier}: {expectation.text}", "  ")
    for skill in group.skills:
        out += para(f"* {skill.name}  ({skill.id})", hang="    ")
        out += para(skill.description, "    ")
        for level, items in sorted(skill.criteria.items()):
            out += para(f"level {level}:", "    ")
            for item in items:
                out += para(f"- {item}", "      ")
        if skill.excluded:
            out += para(f"Excluded: {skill.excluded}", "    ")
        if skill.see_also:
            out += para("See also: " + ", ".join(skill.see_also), "    ")
    out.append("")
    for child in group.groups:
        out += _format_group(child, para, depth + 1)
    return out
