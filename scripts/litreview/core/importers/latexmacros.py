"""A review's own LaTeX macros (``\\newcommand``, ``\\renewcommand``, ``\\providecommand``,
``\\def``, with arguments and an optional first argument's default) expanded before conversion.

Expansion is textual, as TeX does it, so a macro is expanded in math and captions alike; the
expanded text keeps a map back to the source, so a finding in it points at the place the macro
was used. Definitions are taken out of the text. What expands is bounded: a macro that calls
itself stops at :data:`MAX_DEPTH`, and the expanded text may not grow past the converter's
bound (a refusal, IMP001, as for a source that large).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ..bibliography.latex_text import group_end
from .imported import refuse

#: How deep one macro's expansion may call others (a macro that calls itself stops here).
MAX_DEPTH = 32
_DEFINE = re.compile(r"\\(newcommand|renewcommand|providecommand|def)(?![A-Za-z@])\*?")
_TOKEN = re.compile(
    r"%[^\n]*|\\begin\{verbatim\*?\}.*?\\end\{verbatim\*?\}|\\verb(.).*?\1|\\[A-Za-z@]+|\\.", re.S
)
_NAME = re.compile(r"\s*(?:\{\s*(\\[A-Za-z@]+)\s*\}|(\\[A-Za-z@]+))")
_PARAMS = re.compile(r"(?:#[1-9])*")
_SPACES = re.compile(r"[ \t]*\n?[ \t]*")
_DEFINERS = {"newcommand", "renewcommand", "providecommand", "def"}
_COMMAND = re.compile(r"\\(?:[A-Za-z@]+|.)", re.S)


@dataclass(frozen=True)
class Macro:
    """One definition: how many arguments, the optional first one's default, the body."""

    args: int
    default: str | None
    body: str
    line: int
    """The source line that defines it."""


@dataclass
class Expanded:
    """Expanded text and, per stretch of it, where in the source it came from."""

    text: str
    starts: list[int] = field(default_factory=list)
    """Where each stretch starts in :attr:`text`."""
    origins: list[tuple[int, bool]] = field(default_factory=list)
    """Each stretch's source offset, and whether it is copied (else a macro's expansion, all of
    it at the macro's place)."""
    skipped: list[tuple[int, str]] = field(default_factory=list)
    """Definitions not expanded: (source offset, why)."""
    redefined: list[tuple[int, str]] = field(default_factory=list)
    """Definitions of commands the converter reads itself, left out: (source offset, what)."""

    def source(self, pos: int) -> int:
        """The source offset of ``pos`` in the expanded text."""
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return pos
        origin, copied = self.origins[i]
        return origin + (pos - self.starts[i]) if copied else origin


def _group(text: str, at: int) -> int | None:
    """The end of the brace group whose ``{`` is at ``at`` (just past its ``}``), or None."""
    end = group_end(text, at + 1)
    return end if end >= 0 else None


def _optional(text: str, at: int) -> tuple[str | None, int]:
    """A ``[...]`` at ``at`` (spaces skipped): its text and the end, or None and ``at``."""
    i = len(text) - len(text[at:].lstrip(" \t\n"))
    if i < len(text) and text[i] == "[":
        end = text.find("]", i)
        if end > 0:
            return text[i + 1 : end], end + 1
    return None, at


def _argument(text: str, at: int) -> tuple[str, int] | None:
    """One mandatory argument at ``at``: a brace group's inside or a single token."""
    i = at
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i >= len(text) or text[i] == "}":
        return None
    if text[i] == "{":
        end = _group(text, i)
        return None if end is None else (text[i + 1 : end - 1], end)
    if text[i] == "\\":
        m = _COMMAND.match(text, i)
        assert m is not None
        return m.group(0), m.end()
    return text[i], i + 1


def _definition(text: str, m: re.Match[str]) -> tuple[str, Macro | None, int | None, str]:
    """The definition at ``m``: the name, the macro (None when not expandable), its end (None
    when it cannot be read to one: it is then kept as written), and why it is not expanded."""
    name = _NAME.match(text, m.end())
    if name is None:
        return "", None, None, "a definition without a name"
    command = name.group(1) or name.group(2)
    at = name.end()
    line = text.count("\n", 0, m.start()) + 1
    if m.group(1) == "def":
        spaces = _SPACES.match(text, at)  # as TeX skips them after a name
        params = _PARAMS.match(text, spaces.end()) if spaces else None
        assert params is not None
        brace = params.end()
        if brace >= len(text) or text[brace] != "{":
            end = text.find("{", brace)
            close = _group(text, end) if end >= 0 else None
            return command, None, close, f"\\def{command} with delimited parameters"
        args, default = len(params.group(0)) // 2, None
        at = brace
    else:
        count, at = _optional(text, at)
        default, at = _optional(text, at)
        args = int(count) if count and count.strip().isdigit() else 0
    body = _argument(text, at)
    if body is None:
        return command, None, None, f"\\{m.group(1)}{command} without a body"
    return command, Macro(min(args, 9), default, body[0], line), body[1], ""


class _Expander:
    def __init__(self, macros: dict[str, Macro], limit: int, shown: str) -> None:
        self.macros = macros
        self.limit = limit
        self.shown = shown
        self.size = 0
        self.endless = False
        self.memory: dict[tuple[str, int], tuple[str, int, bool]] = {}
        """Per (text, depth): its expansion, the characters that cost, whether it was endless."""

    def body(self, macro: Macro, text: str, at: int) -> tuple[str, int] | None:
        """The macro's body with its arguments read from ``text`` at ``at``, and where they end."""
        args: list[str] = []
        wanted = macro.args
        if macro.default is not None and wanted:
            given, at = _optional(text, at)
            args.append(macro.default if given is None else given)
            wanted -= 1
        for _ in range(wanted):
            got = _argument(text, at)
            if got is None:
                return None
            args.append(got[0])
            at = got[1]

        def arg(p: re.Match[str]) -> str:
            n = int(p.group(1) or 0)
            return args[n - 1] if 0 < n <= len(args) else "#"

        return re.sub(r"##|#([1-9])", arg, macro.body), at

    def expand(self, text: str, depth: int) -> str:
        """``text`` with every macro expanded (no map: an expansion maps to its one place)."""
        out: list[str] = []
        last = 0
        for m in _TOKEN.finditer(text):
            macro = self.macros.get(m.group(0)[1:]) if m.group(0).startswith("\\") else None
            if macro is None or m.start() < last:
                continue
            got = self.body(macro, text, m.end())
            if got is None:
                continue
            out.append(text[last : m.start()])
            out.append(self.nested(got[0], depth))
            last = got[1]
        out.append(text[last:])
        return "".join(out)

    def nested(self, body: str, depth: int) -> str:
        """``body`` expanded at ``depth``; the same text at the same depth is expanded once, so a
        bomb (a macro that calls itself twice, 2**32 calls deep) costs its depth, not its size."""
        if depth >= MAX_DEPTH:
            self.endless = True
            return ""
        known = self.memory.get((body, depth))
        if known is None:
            endless, before = self.endless, self.size
            self.endless = False
            self.grow(len(body))
            text = self.expand(body, depth + 1)
            known = self.memory[body, depth] = (text, self.size - before, self.endless)
            self.endless = endless
        else:
            self.grow(known[1])
        self.endless = self.endless or known[2]
        return known[0]

    def grow(self, size: int) -> None:
        """Count ``size`` more expanded characters; refused past the bound."""
        self.size += size
        if self.size > self.limit:
            why = "its macros expand to more LaTeX than an import converts: not imported"
            raise refuse(self.shown, why, 1)

    def forget(self) -> None:
        """Drop what was expanded: a definition may change what a text expands to."""
        self.memory.clear()


def expand(text: str, macros: dict[str, Macro], keep: frozenset[str], limit: int, shown: str) -> Expanded:
    """``text`` with its definitions taken out (and added to ``macros``) and the macros expanded.

    Commands in ``keep`` (those the converter reads itself) are never redefined by the source.
    """
    done = Expanded("")
    out: list[str] = []
    size = 0
    last = 0
    expander = _Expander(macros, limit, shown)

    def copy(upto: int) -> None:
        nonlocal size
        if upto > last:
            done.starts.append(size)
            done.origins.append((last, True))
            out.append(text[last:upto])
            size += upto - last

    for m in _TOKEN.finditer(text):
        if m.start() < last:
            continue
        token = m.group(0)
        define = _DEFINE.match(text, m.start()) if token[1:] in _DEFINERS else None
        if define is not None:
            name, macro, end, why = _definition(text, define)
            if end is None:
                continue  # kept as written: the converter reports the command
            copy(m.start())
            if name[1:] in keep or name[1:] in _DEFINERS:
                done.redefined.append(
                    (m.start(), f"\\{define.group(1)}{name}: litreview reads {name} itself")
                )
            elif macro is not None:
                macros[name[1:]] = macro
                expander.forget()
            else:
                done.skipped.append((m.start(), why))
            last = end
            continue
        macro = macros.get(token[1:]) if token.startswith("\\") else None
        if macro is None:
            continue
        got = expander.body(macro, text, m.end())
        if got is None:
            continue
        copy(m.start())
        expansion = expander.nested(got[0], 0)
        if expander.endless:
            done.skipped.append(
                (m.start(), f"{token}: a macro that expands without end (stopped after {MAX_DEPTH})")
            )
            expander.endless = False
        done.starts.append(size)
        done.origins.append((m.start(), False))
        out.append(expansion)
        size += len(expansion)
        last = got[1]
    copy(len(text))
    done.text = "".join(out)
    return done
