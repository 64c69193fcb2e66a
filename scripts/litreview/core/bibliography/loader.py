"""Load one or more ``.bib`` files, in order, into references keyed by citation key.

Files are read in the order given so that ``@string`` macros defined in an earlier file
resolve in a later one. Parse failures, undefined macros, duplicate keys and the like
come back as :class:`Problem` records at their 1-based line; nothing raises.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..findings.problems import Problem
from ..identifiers.citekey import bare_doi, looks_like_identifier, standard
from ..project.config import display_path
from ..text.escaping import CONTROL
from . import bibtex_values
from .latex_text import to_unicode, verbatim_text
from .names import Person, parse_names

if TYPE_CHECKING:
    from bibtexparser import model

    from ..findings.waivers import Waiver

NAME_FIELDS = ("author", "editor")


def field_line(raw: str, line: int, name: str, occurrence: int = 1) -> int:
    """Line of the ``occurrence``-th ``name = ...`` in an entry's source starting at ``line``."""
    found = list(re.finditer(r"^[ \t]*" + re.escape(name) + r"[ \t]*=", raw, re.I | re.M))
    if len(found) < occurrence:
        return line
    return line + raw.count("\n", 0, found[occurrence - 1].start())


@dataclass
class Reference:
    """A bibliography entry: raw fields as written, and decoded text on demand."""

    key: str
    entry_type: str
    fields: dict[str, str]
    path: str
    line: int
    raw: str = ""
    inherited: tuple[str, ...] = ()
    """Fields copied from the ``crossref`` target rather than written on this entry."""
    waived: tuple[str, ...] = ()
    """Codes a ``% litreview: ignore …`` comment above the entry waives for it."""
    year_suffix: str = ""
    """Set for one build by an author–date style: the ``a`` of 2020a that tells apart two
    works whose citations would otherwise read the same."""

    @functools.cached_property
    def text(self) -> dict[str, str]:
        """Field values with LaTeX decoded to Unicode (decoded once per entry); verbatim fields
        (url, doi, eprint…) only lose BibTeX's escapes."""
        verbatim = bibtex_values.VERBATIM
        return {
            name: verbatim_text(value) if name in verbatim else to_unicode(value)
            for name, value in self.fields.items()
        }

    @functools.cached_property
    def people(self) -> dict[str, list[Person]]:
        """Parsed author and editor lists."""
        return {f: parse_names(self.fields[f])[0] for f in NAME_FIELDS if f in self.fields}

    @functools.cached_property
    def fingerprint(self) -> str:
        """Identifies the entry's content, so cached output is never stale after an edit."""
        content = repr((self.entry_type, sorted(self.fields.items())))
        return f"{content}#{self.year_suffix}" if self.year_suffix else content

    @property
    def doi(self) -> str:
        """The entry's DOI (decoded, without a resolver prefix), or ''."""
        return bare_doi(self.get("doi"))

    @property
    def year(self) -> str:
        """The year as the entry states it: ``year``, else the first four characters of ``date``."""
        return self.get("year") or self.get("date")[:4]

    def get(self, name: str, default: str = "") -> str:
        """A field's value as written (after macros and crossrefs), or ``default``."""
        return self.text.get(name, default)

    def own(self, name: str) -> str:
        """A field as written on this entry (not inherited through ``crossref``)."""
        return "" if name in self.inherited else self.fields.get(name, "")

    def field_line(self, name: str) -> int:
        """The 1-based line where ``name = ...`` is written, so findings point at the field."""
        return field_line(self.raw, self.line, name)

    def bibtex(self) -> str:
        """The entry as self-contained BibTeX: macros and crossrefs already resolved."""
        width = max((len(n) for n in self.fields), default=0)
        body = "".join(
            f"  {name.ljust(width)} = {{{_written(name, value)}}},\n"
            for name, value in self.fields.items()
            if name != "crossref"
        )
        return f"@{self.entry_type}{{{self.key},\n{body}}}"


def _written(name: str, value: str) -> str:
    """A field's value as the self-contained BibTeX writes it: braces that close where it does,
    and no line starting with ``@`` (bibtexparser takes one for a new entry, even inside
    braces; BibTeX reads the line break so folded as the space it is)."""
    value = bibtex_values.AT_LINE.sub(" ", value)
    if name in bibtex_values.VERBATIM:
        return bibtex_values.balanced_verbatim(value)
    return bibtex_values.balanced(value)


@dataclass
class Bibliography:
    """All references of a project plus what went wrong while reading them."""

    references: dict[str, Reference] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    macros: dict[str, str] = field(default_factory=dict)
    paths: tuple[str, ...] = ()
    unparsed: dict[str, str] = field(default_factory=dict)
    """Keys of entries that failed to parse, with ``path:line``, so a citation of one is explained."""

    def __contains__(self, key: object) -> bool:
        """Is ``key`` an entry (exactly as written)?"""
        return key in self.references

    def __len__(self) -> int:
        """How many entries."""
        return len(self.references)

    def get(self, key: str) -> Reference | None:
        """The entry under ``key``, or None."""
        return self.references.get(key)

    def waivers(self) -> list[Waiver]:
        """The entries' waivers, each over the entry's lines."""
        from ..findings.waivers import Waiver

        return [
            Waiver(r.path, r.line, r.line + r.raw.count("\n"), frozenset(r.waived))
            for r in self.references.values()
            if r.waived
        ]

    @functools.cached_property
    def keys_by_casefold(self) -> dict[str, list[str]]:
        """Lets an unknown key be matched case-insensitively for a precise error."""
        out: dict[str, list[str]] = {}
        for key in self.references:
            out.setdefault(key.casefold(), []).append(key)
        return out


def _line(block: model.Block, offset: int = 0) -> int:
    # bibtexparser's start_line is 0-based; every Problem is 1-based.
    return (block.start_line or 0) + 1 + offset


def _read_text(path: Path, display: str, problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(display, 0, 0, "BIB001", f"cannot read bibliography: {exc.strerror}"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(Problem(display, line, col, "BIB002", "file is not valid UTF-8; save it as UTF-8"))
        return data.decode("utf-8", errors="replace")


def _resolve_crossrefs(refs: dict[str, Reference], problems: list[Problem]) -> None:
    """Copy missing fields from the ``crossref`` target, as BibTeX does."""
    for ref in refs.values():
        target_key = ref.fields.get("crossref")
        if not target_key:
            continue
        target = refs.get(target_key)
        if target is None:
            problems.append(
                Problem(
                    ref.path,
                    ref.field_line("crossref"),
                    1,
                    "BIB010",
                    f"entry '{ref.key}' has crossref '{target_key}', which is not defined",
                )
            )
            continue
        inherited = []
        for name, value in target.fields.items():
            if name in ("crossref", "ids") or name in ref.fields:
                continue
            ref.fields[name] = value
            inherited.append(name)
        if "title" in target.fields and "booktitle" not in ref.fields:
            ref.fields["booktitle"] = target.fields["title"]
            inherited.append("booktitle")
        ref.inherited = tuple(inherited)


#: Bibliographies in CSL (pandoc reads these too): CSL-JSON, and CSL-YAML as pandoc writes it.
CSL_SUFFIXES = (".json", ".yaml", ".yml")


def load(paths: Sequence[str | Path], display_root: Path | None = None) -> Bibliography:
    """Read ``paths`` in order into one :class:`Bibliography` (BibTeX, or CSL by suffix)."""
    bib = Bibliography(paths=tuple(str(p) for p in paths))
    problems = bib.problems
    for path in (Path(p) for p in paths):
        display = display_path(path, display_root)
        text = _read_text(path, display, problems)
        if text is None:
            continue
        csl = None
        if path.suffix.lower() in CSL_SUFFIXES:  # CSL-JSON or CSL-YAML: read as the BibTeX it says
            from .cslfile import read as read_csl

            csl = read_csl(text, display, path.suffix.lower())
            problems.extend(csl.problems)
            text = csl.text
        from bibtexparser.entrypoint import parse_string  # not needed when the cache answers

        splitter_log = logging.getLogger("bibtexparser.splitter")
        was_disabled, splitter_log.disabled = splitter_log.disabled, True  # reported as BIB003 instead
        try:
            library = parse_string(text, parse_stack=[])
        finally:
            splitter_log.disabled = was_disabled
        before = set(bib.references)
        _collect(library.blocks, display, bib)
        if csl is not None:  # findings and entries point into the CSL file, not the BibTeX made of it
            for key in set(bib.references) - before:
                bib.references[key].line = csl.lines.get(bib.references[key].line, 0)
            if csl.ids:
                _restore_ids(bib, csl.ids, display)
    _resolve_crossrefs(bib.references, problems)
    _standard_keys(bib)
    return bib


def _standard_keys(bib: Bibliography) -> None:
    """Entries keyed by an identifier (Manubot's ``doi:10.1038/NATURE14539``) under its standard
    form, as citations look them up; two that are one identifier are a duplicate (BIB005)."""
    if not any(looks_like_identifier(key) for key in bib.references):
        return
    rekeyed: dict[str, Reference] = {}
    for key, ref in bib.references.items():
        new = standard(key)
        if new in rekeyed:
            bib.problems.append(
                Problem(
                    ref.path, ref.line, 1, "BIB005", f"duplicate entry key '{key}' (the identifier '{new}')"
                )
            )
            continue
        ref.key = new
        rekeyed[new] = ref
    bib.references = rekeyed


def _restore_ids(bib: Bibliography, ids: dict[str, str], display: str) -> None:
    """CSL items whose ids BibTeX can't hold get their own ids back, in their places."""
    restored: dict[str, Reference] = {}
    for key, ref in bib.references.items():
        real = ids.get(key)
        if real is None:
            restored[key] = ref
        elif real in restored or real in bib.references:
            bib.problems.append(Problem(display, ref.line, 1, "BIB005", f"duplicate entry key '{real}'"))
        else:
            ref.key = real
            restored[real] = ref
    bib.references = restored


def _collect(blocks: Iterable[model.Block], display: str, bib: Bibliography) -> None:
    from bibtexparser import model

    from ..findings.waivers import codes_in_comment

    problems = bib.problems
    waiving: frozenset[str] = frozenset()
    for block in blocks:
        if isinstance(block, model.ImplicitComment | model.ExplicitComment):
            waiving |= codes_in_comment(block.raw or "")
            continue
        if isinstance(block, model.Entry) and waiving and block.key not in bib.references:
            _add_entry(block, display, bib)
            bib.references[block.key].waived = tuple(sorted(waiving))
            waiving = frozenset()
            continue
        waiving = frozenset()
        if isinstance(block, model.DuplicateBlockKeyBlock):
            dup = block.ignore_error_block
            key = getattr(dup, "key", block.key)
            kind = "string" if isinstance(dup, model.String) else "entry"
            problems.append(
                Problem(
                    display,
                    _line(block),
                    1,
                    "BIB005",
                    f"duplicate {kind} key '{key}'; the first definition is kept",
                )
            )
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            names = ", ".join(sorted(block.duplicate_keys))
            first_dup = sorted(block.duplicate_keys)[0]
            problems.append(
                Problem(
                    display,
                    field_line(block.raw or "", _line(block), first_dup, occurrence=2),
                    1,
                    "BIB006",
                    f"entry '{getattr(entry, 'key', '?')}' repeats field(s) {names}",
                )
            )
            if isinstance(entry, model.Entry):
                _add_entry(entry, display, bib)
        elif isinstance(block, model.ParsingFailedBlock):
            problems.append(_parse_failure(block, display, bib))
        elif isinstance(block, model.String):
            resolved = bibtex_values.resolve(block.value, bib.macros)
            where = f"@string '{block.key}'"
            _report_undefined(resolved, display, _line(block), where, problems)
            value = _checked(resolved, display, _line(block), where, problems)
            bib.macros[block.key.lower()] = value
        elif isinstance(block, model.Entry):
            _add_entry(block, display, bib)


_BLOCK_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]*)")


def _parse_failure(block: model.ParsingFailedBlock, display: str, bib: Bibliography) -> Problem:
    """BIB003 naming the entry, bibtexparser's reason and where parsing had to stop."""
    head = _BLOCK_HEAD.match(block.raw or "")
    what = f"@{head.group(1)} '{head.group(2)}'" if head and head.group(2) else "this block"
    if head and head.group(2):
        bib.unparsed.setdefault(head.group(2), f"{display}:{_line(block)}")
    reason = getattr(block.error, "abort_reason", "") or str(block.error).strip() or "syntax error"
    reason = " ".join(reason.split()).rstrip(".")
    raw_lines = (block.raw or "").count("\n")
    stop = f" (parsing stopped at line {_line(block, raw_lines)})" if raw_lines else ""
    return Problem(display, _line(block), 1, "BIB003", f"cannot parse {what}: {reason}{stop}")


def _checked(
    resolved: bibtex_values.Resolved, path: str, line: int, where: str, problems: list[Problem]
) -> str:
    """The value with what no page should hold taken out, each removal reported."""
    value = resolved.value
    if resolved.truncated:
        limit = bibtex_values.MAX_EXPANSION
        problems.append(
            Problem(path, line, 1, "BIB008", f"{where} expands to more than {limit:,} characters; cut there")
        )
    char = CONTROL.search(value)
    if char:
        problems.append(
            Problem(
                path,
                line,
                1,
                "BIB007",
                f"{where} holds U+{ord(char.group(0)):04X}, a control character no page can show; "
                "it is left out",
            )
        )
        value = CONTROL.sub("", value)
    return value


def _report_undefined(
    resolved: bibtex_values.Resolved, path: str, line: int, where: str, problems: list[Problem]
) -> None:
    for name in resolved.undefined:
        problems.append(Problem(path, line, 1, "BIB004", f"{where} uses undefined @string macro '{name}'"))


def _raw_fields(
    entry: model.Entry, display: str, line: int, problems: list[Problem]
) -> Iterator[tuple[str, str]]:
    """Each field's name and raw value; a field a missing comma ran into the value before it
    comes out as its own, and the missing comma is BIB009 where it should be."""
    text = entry.raw or ""
    for f in entry.fields:
        name, _comments = bibtex_values.field_name(f.key)
        raw = str(f.value)
        own, swallowed = bibtex_values.split_swallowed(raw)
        yield name, own
        at = text.find(raw)
        for previous, ran_on in zip([name, *(s.name for s in swallowed)], swallowed, strict=False):
            offset = at + ran_on.missing_comma if at >= 0 else 0
            problems.append(
                Problem(
                    display,
                    line + text.count("\n", 0, offset),
                    offset - text.rfind("\n", 0, offset),
                    "BIB009",
                    f"entry '{entry.key}': no comma between field '{previous}' and field '{ran_on.name}'",
                )
            )
            yield ran_on.name, ran_on.raw


def _add_entry(entry: model.Entry, display: str, bib: Bibliography) -> None:
    line = _line(entry)
    if entry.key in bib.references:
        first = bib.references[entry.key]
        bib.problems.append(
            Problem(
                display,
                line,
                1,
                "BIB005",
                f"duplicate entry key '{entry.key}' (first defined at "
                f"{first.path}:{first.line}); the first definition is kept",
            )
        )
        return
    fields: dict[str, str] = {}
    for name, raw in _raw_fields(entry, display, line, bib.problems):
        resolved = bibtex_values.resolve(raw, bib.macros)
        if resolved.undefined:
            where = field_line(entry.raw or "", line, name)
            _report_undefined(resolved, display, where, f"field '{name}' of '{entry.key}'", bib.problems)
        if resolved.truncated or CONTROL.search(resolved.value):
            where = field_line(entry.raw or "", line, name)
            value = _checked(resolved, display, where, f"field '{name}' of '{entry.key}'", bib.problems)
        else:
            value = resolved.value
        fields.setdefault(name.lower(), value.strip())
    bib.references[entry.key] = Reference(
        key=entry.key,
        entry_type=entry.entry_type.lower(),
        fields=fields,
        path=display,
        line=line,
        raw=entry.raw or "",
    )
