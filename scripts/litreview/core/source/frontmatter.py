"""YAML front matter: split it off, parse it with positions, validate it against a schema.

MkDocs reads the same block (``---`` at the very top, closed by ``---`` or ``...``); here
each key keeps its source line so a wrong value is reported where it is written. The
schema is JSON Schema (``schemas/front-matter.json``), checked with the jsonschema library.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..files import jsonfile, yamlsafe
from ..findings.problems import Problem

# As MkDocs reads it: ``---`` on the first line, closed by ``---`` or ``...``.
FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(?P<body>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


@dataclass
class FrontMatter:
    """The parsed block; ``lines`` maps each top-level key to its 1-based source line."""

    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    end_line: int = 0
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        """The line of ``key`` (1 for a missing key when there is a block, else 0)."""
        return self.lines.get(key, 1 if self.end_line else 0)


def without(text: str) -> str:
    """The page's Markdown as a generator converts it: the front matter block taken off."""
    m = FRONT_MATTER.match(text)
    return text[m.end() :] if m else text


def parse(text: str, path: str) -> FrontMatter:
    """Front matter of a page; YAML errors become FM001 at their line, never exceptions."""
    m = FRONT_MATTER.match(text)
    if m is None:
        return FrontMatter()
    body = m.group("body") or ""
    end_line = text.count("\n", 0, m.end()) + (0 if m.group(0).endswith("\n") else 1)
    fm = FrontMatter(end_line=end_line)
    try:
        node = yamlsafe.compose(body)
        data = yamlsafe.construct(node) if node is not None else {}
    except yaml.YAMLError as exc:
        line, col = yamlsafe.error_position(exc, (0, 1))
        line += 1  # the opening ---
        reason = yamlsafe.error_reason(exc, str(exc).splitlines()[0])
        fm.problems.append(Problem(path, line, col, "FM001", f"front matter is not valid YAML: {reason}"))
        return fm
    if not isinstance(data, dict):
        fm.problems.append(Problem(path, 2, 1, "FM002", "front matter must be a mapping of keys to values"))
        return fm
    fm.data = data
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            fm.lines[str(key_node.value)] = key_node.start_mark.line + 2
    return fm


def _jsonable(value: Any) -> Any:
    """YAML reads ``2025-01-31`` as a date; JSON Schema sees it as the string it was."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def validate(fm: FrontMatter, path: str, section: bool, taxonomy: bool = True) -> list[Problem]:
    """Schema findings: FM004 missing key, FM003 unknown key, FM002 wrong type or form.

    Section pages must also carry what the review's structure needs (``$defs/section``);
    their ``concepts`` only when there is a taxonomy to name them from.
    """
    import jsonschema

    schema = jsonfile.schema("front-matter.json")
    problems: list[Problem] = []
    known = set(schema["properties"])
    for key in fm.data:
        if key not in known:
            problems.append(
                Problem(path, fm.line_of(str(key)), 1, "FM003", f"unknown front matter key '{key}'")
            )
    checked = {k: _jsonable(v) for k, v in fm.data.items() if k in known}
    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(checked))
    if not taxonomy:
        errors = [e for e in errors if list(e.absolute_path)[:1] != ["concepts"] or e.validator != "minItems"]
    if section:
        required = [k for k in schema["$defs"]["section"]["required"] if taxonomy or k != "concepts"]
        errors += [
            e
            for e in validator.evolve(schema={**schema, "required": required}).iter_errors(checked)
            if e.validator == "required"
        ]
    seen: set[tuple[int, str]] = set()
    for error in errors:
        if error.validator == "required":
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            for key in missing or ["?"]:
                item = (0, key)
                if item not in seen:
                    seen.add(item)
                    what = "section page" if section else "page"
                    problems.append(Problem(path, 1, 1, "FM004", f"front matter of a {what} needs '{key}'"))
            continue
        top = str(error.absolute_path[0]) if error.absolute_path else ""
        where = ".".join(str(p) for p in error.absolute_path) or "front matter"
        item = (fm.line_of(top), where)
        if item in seen:
            continue
        seen.add(item)
        problems.append(
            Problem(path, fm.line_of(top), 1, "FM002", _message(error.validator, where, error.message))
        )
    return problems


def _message(validator: object, where: str, said: str) -> str:
    """What an FM002 finding says: the schema's words, or ours where they would puzzle."""
    if validator == "minItems" and where == "concepts":
        return "'concepts' is empty: list the concepts this section discusses, by their ids in the taxonomy"
    if validator == "minItems":
        return f"'{where}' is empty: list at least one"
    if validator == "pattern" and where in ("title", "short_title"):
        return (
            f"'{where}' holds HTML markup: themes write a page's title into the navigation "
            "unescaped, where it would run on every page; write it as text"
        )
    return f"'{where}': {said}"
