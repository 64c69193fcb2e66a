"""YAML whose aliases can't explode.

A YAML alias repeats a node; nested aliases repeat repetitions (the "billion laughs"):
a few hundred bytes can stand for billions of values. PyYAML builds them as shared
objects, cheaply, but anything that walks the result (schema validation, copying, the nav)
walks every repetition. Documents here are composed first, their expanded size is counted
in linear time, and only a document within :data:`MAX_NODES` is constructed.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

#: Far more values than any front matter, taxonomy or mkdocs.yml holds, far fewer than a bomb.
MAX_NODES = 20_000
#: Deeper than any real document nests, well within what PyYAML's recursive composer and
#: constructor (and every walk of the values) take.
MAX_DEPTH = 64


class AliasesTooLarge(yaml.YAMLError):
    """The document's aliases expand beyond :data:`MAX_NODES` values (or refer to themselves)."""

    def __init__(self, mark: yaml.Mark | None, size: str) -> None:
        super().__init__(f"its aliases expand to {size} values; write the values out")
        self.problem_mark = mark
        self.problem = str(self)


class NestedTooDeep(yaml.YAMLError):
    """The document nests deeper than :data:`MAX_DEPTH` (``[[[[…`` or ``- - - -…``)."""

    def __init__(self, mark: yaml.Mark | None) -> None:
        super().__init__(f"it nests deeper than {MAX_DEPTH} levels")
        self.problem_mark = mark
        self.problem = str(self)


def _too_deep(node: yaml.Node) -> yaml.Node | None:
    """The first node nested deeper than :data:`MAX_DEPTH`, walked without recursion, each
    alias as deep as where it is (the document's expanded size is bounded before)."""
    todo: list[tuple[yaml.Node, int]] = [(node, 1)]
    while todo:
        here, depth = todo.pop()
        if depth > MAX_DEPTH:
            return here
        if isinstance(here, yaml.SequenceNode):
            todo += [(child, depth + 1) for child in here.value]
        elif isinstance(here, yaml.MappingNode):
            todo += [(child, depth + 1) for pair in here.value for child in pair]
    return None


def error_position(exc: BaseException, absent: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    """Where a YAML (or alias-bound) error is: the 1-based line and column of its mark, the
    problem's or else its context's; ``absent`` when it has neither."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else absent


def error_reason(exc: BaseException, fallback: str) -> str:
    """What a YAML error says is wrong, without its position (``fallback`` if it says nothing)."""
    return str(getattr(exc, "problem", None) or fallback)


def expanded_size(node: yaml.Node, limit: int = MAX_NODES) -> int | None:
    """How many nodes the document stands for once every alias is repeated; None above ``limit``."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(n: yaml.Node) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        if key in busy:  # an alias inside its own anchor: infinite
            return limit + 1
        busy.add(key)
        total = 1
        if isinstance(n, yaml.SequenceNode):
            for child in n.value:
                total += size(child)
                if total > limit:
                    break
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                total += size(k) + size(v)
                if total > limit:
                    break
        busy.discard(key)
        sizes[key] = min(total, limit + 1)
        return sizes[key]

    found = size(node)
    return None if found > limit else found


def compose(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> yaml.Node | None:
    """The document's node tree; :class:`AliasesTooLarge` (a YAMLError) when its aliases explode,
    :class:`NestedTooDeep` when it nests past what its readers take."""
    try:  # PyYAML's composer, and the size count, recurse once per level
        node = _compose(loader(text))
        if node is not None and expanded_size(node) is None:
            raise AliasesTooLarge(node.start_mark, f"more than {MAX_NODES:,}")
    except RecursionError:
        raise NestedTooDeep(None) from None
    deep = _too_deep(node) if node is not None else None
    if deep is not None:
        raise NestedTooDeep(deep.start_mark)
    if node is not None:
        _text_only(node)
    return node


def _compose(reader: yaml.SafeLoader) -> yaml.Node | None:
    """PyYAML's composer, stopped at the first node deeper than :data:`MAX_DEPTH` (nesting made
    of aliases is found after, by :func:`_too_deep`), not after the whole tree is read."""
    compose_node = reader.compose_node
    depth = 0

    def bounded(parent: yaml.Node | None, index: int) -> yaml.Node | None:
        nonlocal depth
        depth += 1
        try:
            if depth > MAX_DEPTH and not reader.check_event(yaml.AliasEvent):
                raise NestedTooDeep(reader.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return compose_node(parent, index)
        finally:
            depth -= 1

    reader.compose_node = bounded  # type: ignore[method-assign]
    try:
        return reader.get_single_node()
    finally:
        reader.dispose()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_only(node: yaml.Node) -> None:
    """Each scalar without lone surrogates (a ``"\\ud800"`` escape makes one): no text, and
    the end of any write of a page or file that holds it. Each becomes U+FFFD."""
    todo = [node]
    while todo:
        here = todo.pop()
        if isinstance(here, yaml.ScalarNode) and isinstance(here.value, str):
            here.value = _SURROGATE.sub("\ufffd", here.value)
        elif isinstance(here, yaml.SequenceNode):
            todo += here.value
        elif isinstance(here, yaml.MappingNode):
            todo += [child for pair in here.value for child in pair]


def construct(node: yaml.Node | None, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """Python values from a composed (and size-checked) node tree."""
    if node is None:
        return None
    return loader("").construct_document(node)


def load(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """``yaml.load`` that refuses alias bombs with :class:`AliasesTooLarge`."""
    return construct(compose(text, loader), loader)


Place = tuple[int, int]
"""A 1-based line and column."""


def positions(node: yaml.Node | None) -> dict[tuple[str | int, ...], Place]:
    """Where each key and item of a composed document is written, by its path of keys and
    indexes (``("plugins", 1, "bibtex", "bib_file")``): a finding about a value points there."""
    found: dict[tuple[str | int, ...], Place] = {}
    todo: list[tuple[tuple[str | int, ...], yaml.Node]] = [((), node)] if node is not None else []
    while todo and len(found) <= MAX_NODES:
        path, here = todo.pop()
        if isinstance(here, yaml.SequenceNode):
            for i, item in enumerate(here.value):
                found[(*path, i)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                todo.append(((*path, i), item))
        elif isinstance(here, yaml.MappingNode):
            for key, value in here.value:
                name = (*path, str(key.value) if isinstance(key, yaml.ScalarNode) else "?")
                found.setdefault(name, (key.start_mark.line + 1, key.start_mark.column + 1))
                todo.append((name, value))
    return found
