"""Manubot's chapters as Jinja2 templates, evaluated within bounds.

Manubot renders each chapter with the metadata, and real manuscripts use it: deep-review
lists its authors' contributions with ``{% for %}``, ``{% if %}`` and ``|groupby``. A chapter
is someone else's file, so only what such templates need is evaluated: lookups in the
metadata, ``if``/``for`` over it, comparisons, tests and a few filters. Anything else (a call
such as ``range()``, arithmetic, ``{% set %}``, macros, includes, names starting with ``_``)
keeps the whole chapter as written, reported at its line. What is evaluated is bounded: loops
take at most :data:`MAX_STEPS` items per chapter in all (every list and string of the
metadata counts what it yields), and the output is at most :data:`MAX_OUTPUT` characters.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from typing import Any

import jinja2
import jinja2.nodes as nodes
import jinja2.sandbox

#: Items all loops of one chapter may take from the metadata.
MAX_STEPS = 100_000
#: Characters one chapter may render to.
MAX_OUTPUT = 4 * 1024**2
FILTERS = frozenset(
    {"groupby", "length", "count", "truncate", "join", "default", "d", "lower", "upper", "trim"}
    | {"first", "last", "e", "escape", "string", "title", "capitalize"}
)
TESTS = frozenset({"defined", "undefined", "none", "string", "number", "mapping", "sequence"})
_ALLOWED = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.For,
    nodes.If, nodes.Test, nodes.Filter, nodes.Not, nodes.And, nodes.Or, nodes.Compare,
    nodes.Operand, nodes.CondExpr, nodes.Tuple, nodes.Keyword, nodes.Getattr, nodes.Getitem,
)  # fmt: skip


class Refused(Exception):
    """Why a chapter is kept as written, and the line of the construct."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _Budget:
    def __init__(self) -> None:
        self.steps = MAX_STEPS

    def take(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise Refused(f"its loops take more than {MAX_STEPS} items", 0)


class _List(list[Any]):
    budget: _Budget

    def __iter__(self) -> Iterator[Any]:
        for item in super().__iter__():
            self.budget.take()
            yield item


class _Str(str):
    budget: _Budget

    def __iter__(self) -> Iterator[str]:
        for char in super().__iter__():
            self.budget.take()
            yield char


def _counted(value: Any, budget: _Budget) -> Any:
    """The metadata with each list and string counting the items a loop takes from it."""
    if isinstance(value, dict):
        return {k: _counted(v, budget) for k, v in value.items()}
    if isinstance(value, (list, str)):
        made: _List | _Str = (
            _List(_counted(v, budget) for v in value) if isinstance(value, list) else _Str(value)
        )
        made.budget = budget
        return made
    return value


def _check(node: nodes.Node) -> None:
    """Refuse what is not evaluated (before anything is)."""
    line = getattr(node, "lineno", 0) or 0
    if not isinstance(node, _ALLOWED):
        raise Refused(f"{type(node).__name__.lower()} is not evaluated", line)
    if isinstance(node, nodes.Filter) and node.name not in FILTERS:
        raise Refused(f"filter {node.name} is not evaluated", line)
    if isinstance(node, nodes.Test) and node.name not in TESTS:
        raise Refused(f"test {node.name} is not evaluated", line)
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        raise Refused(f"attribute {node.attr} is not looked up", line)
    if isinstance(node, nodes.Name) and node.name.startswith("_"):
        raise Refused(f"name {node.name} is not looked up", line)
    if isinstance(node, nodes.Getitem):
        if not isinstance(node.arg, nodes.Const):
            raise Refused("only constant indexes are looked up", line)
        if str(node.arg.value).startswith("_"):
            raise Refused(f"item {node.arg.value} is not looked up", line)
    for child in node.iter_child_nodes():
        _check(child)


def render(text: str, metadata: dict[str, Any]) -> str:
    """The chapter rendered with ``metadata``; :class:`Refused` says why it can't be."""
    env = jinja2.sandbox.SandboxedEnvironment(comment_start_string="{##", comment_end_string="##}")
    try:
        tree = env.parse(text)
        _check(tree)
        budget = _Budget()
        out: list[str] = []
        size = 0
        for chunk in env.from_string(tree).generate(_counted(metadata, budget)):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise Refused(f"it renders to more than {MAX_OUTPUT} characters", 0)
            out.append(chunk)
        return "".join(out)
    except Refused as exc:  # at the line of the loop or output that ran over, if it did
        raise Refused(str(exc), exc.line or _template_line(exc)) from None
    except jinja2.TemplateError as exc:
        raise Refused(str(exc), getattr(exc, "lineno", None) or 0) from None
    except Exception as exc:  # a filter's own checks (truncate asserts), a wrong type: kept as written
        raise Refused(f"{type(exc).__name__}: {exc}", _template_line(exc)) from None


def _template_line(exc: BaseException) -> int:
    """The chapter's line an error was raised at (Jinja2 puts the template's lines in the traceback)."""
    lines = [
        frame.lineno or 0
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename == "<template>"
    ]
    return lines[-1] if lines else 0
