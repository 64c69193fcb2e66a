"""Every shared corpus imported and built in process, each citation accounted for (issue 28 §1).

Shared by ``make realworld`` (bench/realworld.py prints the table) and tests/test_realworld.py
(which asserts that nothing is lost). Per corpus: the citations pandoc reads in the source, the
citations our finder reads in the imported Markdown, and what the built pages did with each of
those: rendered as a link, shown as an unknown key, or reported (CIT007). A citation that is none
of these is lost.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from corpora import CORPORA, IRIDIA_ORDER
from litreview.building import BuildState
from litreview.cli import main
from litreview.core.citations.cite_records import PageCitations
from litreview.core.source.read import scan_page
from pandoc_oracle import pandoc_keys, pandoc_latex_keys


@dataclass(frozen=True)
class Corpus:
    """A shared corpus and what to give ``litreview import`` (a BibTeX corpus: its files)."""

    name: str
    kind: str
    source: str = "."
    bibliographies: tuple[str, ...] = ()


CORPUS_LIST = [
    Corpus("deep-review", "Manubot"),
    Corpus("deep-rules", "Manubot"),
    Corpus("integration-review", "Manubot"),
    Corpus("alchemical-best-practices", "LaTeX", "paper/manuscript.tex"),
    Corpus("good-enough-practices", "LaTeX", "good-enough-practices-for-scientific-computing.tex"),
    Corpus("open-collab-scoping-review", "Quarto"),
    Corpus("nimare-paper", "MyST"),
    Corpus("acc-ml-living-review", "BibTeX", bibliographies=("livingreview.bib",)),
    Corpus("iridia-references", "BibTeX", bibliographies=tuple(IRIDIA_ORDER)),
]

_FINDING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?:error|warning|info)\[(?P<code>[A-Z]+\d+)\]"
)
_ENTRY_KEY = re.compile(r"^@(?!string|preamble|comment)\w+\s*\{\s*([^,\s]+)\s*,", re.M | re.I)


@dataclass
class Lost:
    """A citation the finder reads that the built page neither rendered nor reported."""

    path: str
    line: int
    col: int
    key: str


@dataclass
class Row:
    """One corpus's account of its citations."""

    corpus: Corpus
    pandoc: int = 0
    found: int = 0
    rendered: int = 0
    unknown: int = 0
    reported: int = 0
    lost: list[Lost] = field(default_factory=list)
    findings: Counter[str] = field(default_factory=Counter)
    refused: str = ""
    seconds: float = 0.0
    report: str = ""
    """What the import printed (its findings and summary)."""
    left: set[str] = field(default_factory=set)
    """The source's syntax left as text on the built pages that the import's report does not name."""


def measure(corpus: Corpus, work: Path, *, oracle: bool = True) -> Row:
    """Import ``corpus`` into ``work`` (a BibTeX one: a page citing every entry), build it in
    process and account for each citation; ``oracle=False`` skips pandoc's count of the source."""
    start = time.monotonic()
    row = Row(corpus)
    root = CORPORA / corpus.name
    if corpus.bibliographies:
        project, page = _citing_every_entry(root, corpus.bibliographies, work / "project")
        if oracle:
            row.pandoc = len(pandoc_keys(page))
    else:
        status, err = _quiet_main(["import", str(root / corpus.source), "-o", str(work / "project")])
        row.report = err
        row.findings.update(m.group("code") for m in map(_FINDING.match, err.splitlines()) if m)
        if status != 0:
            row.refused = err.strip().splitlines()[-1] if err.strip() else f"exit {status}"
            return row
        project = work / "project"
        if oracle:
            row.pandoc = _pandoc_count(corpus, root)
    logged, state = build_collecting(project / "mkdocs.yml", work / "site")
    _account(row, project, work / "site", logged, state)
    if not corpus.bibliographies:
        row.left = {text for text in syntax_left(work / "site") if text not in row.report}
    row.seconds = time.monotonic() - start
    return row


#: The sources' syntax that must not reach a page as text: citations, MyST roles, grid tables,
#: pandoc-crossref's attributes and references, LaTeX commands.
_LEFT = re.compile(r"\[@[^\]\s]|\{cite|\+-{3,}\+|\{#(?:tbl|fig|eq)[:-]|\{@(?:fig|tbl|eq)|\\[A-Za-z]+")
#: Math, and the works' own text (reference lists, tooltips): that is the bibliography's.
_HELD = re.compile(r"^(arithmatex|lr-bibliography|lr-page-references|lr-ref)")


def syntax_left(site: Path) -> set[str]:
    """Each piece of a source's syntax in the built pages' text, code and math aside."""
    from bs4 import BeautifulSoup

    left: set[str] = set()
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup
        for hidden in article.find_all(["code", "pre", "script", "style"]):
            hidden.decompose()
        for held in article.find_all(class_=_HELD):
            held.decompose()
        left |= {m.group(0) for m in _LEFT.finditer(article.get_text(" "))}
    return left


def _quiet_main(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, err.getvalue()


def _citing_every_entry(root: Path, bibs: tuple[str, ...], project: Path) -> tuple[Path, str]:
    """A site whose one page cites every entry of the bibliographies, as tests/test_real_sites.py."""
    keys = [k for name in bibs for k in _ENTRY_KEY.findall((root / name).read_text(encoding="utf-8"))]
    page = "# Every work\n\n" + "\n\n".join(f"Work [@{key}]." for key in keys) + "\n"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text(page, encoding="utf-8")
    files = "".join(f"        - {root / name}\n" for name in bibs)
    (project / "mkdocs.yml").write_text(
        f"site_name: Every work\ndocs_dir: docs\nplugins:\n  - litreview:\n      bibliography:\n{files}",
        encoding="utf-8",
    )
    return project, page


#: pandoc-crossref's and Quarto's cross-references (``@fig:x``, ``@tbl-y``): pandoc reads them as
#: citations, the importers as links to figures and tables.
_CROSSREF = re.compile(r"(?:fig|tbl|eq|sec|lst)[:-]")
#: Manubot's alias definitions (``[@tag:x]: doi:…``), which pandoc reads as citations too.
_ALIAS_LINE = re.compile(r"^\[@[^\]\n]+\]:.*$", re.M)
#: MyST's citation roles (``{cite:p}`a,b` ``), which pandoc does not read; outside code fences.
_MYST_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
#: A Quarto chunk's header (```{r setup}), which plain pandoc does not read as code.
_CHUNK = re.compile(r"^(```+)\{[^}\n]*\}", re.M)
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)


def _pandoc_count(corpus: Corpus, root: Path) -> int:
    """The citations in the source files the importer reads, as pandoc reads them (less its
    cross-references and Manubot's alias definitions); MyST's roles, which pandoc can't read,
    by their keys."""
    if corpus.kind == "LaTeX":
        return len(pandoc_latex_keys(root / corpus.source))
    if corpus.kind == "MyST":
        texts = [p.read_text(encoding="utf-8") for p in sorted((root / "content").glob("*.md"))]
        return sum(
            len([k for k in m.group(1).split(",") if k.strip()])
            for text in texts
            for m in _MYST_CITE.finditer(_FENCE.sub("", text))
        )
    if corpus.kind == "Manubot":
        files = sorted((root / "content").glob("[0-9]*.md"))
    else:  # Quarto: every page it renders, its chunks' headers read as Quarto reads them (code)
        import yaml

        from litreview.core.importers.quarto_project import rendered_pages

        config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8")) or {}
        files = rendered_pages(root, config)
    texts = [p.read_text(encoding="utf-8") for p in files]
    texts = [_ALIAS_LINE.sub("", t) if corpus.kind == "Manubot" else _CHUNK.sub(r"\1", t) for t in texts]
    return sum(1 for text in texts for key in pandoc_keys(text) if not _CROSSREF.match(key))


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def build_collecting(config: Path, site_dir: Path) -> tuple[list[str], BuildState]:
    """``mkdocs build`` in this process, not strict (real reviews have warnings): what it logged,
    and what the plugin learnt (the citations it rendered on each page, the bibliography)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    records, logger = _Lines(), logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(records)
    logger.setLevel(logging.INFO)
    try:
        cfg = load_config(config_file=str(config), site_dir=str(site_dir), strict=False)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    finally:
        logger.removeHandler(records)
        logger.setLevel(level)
    state = cfg.plugins["litreview"].state
    assert state is not None, "the litreview plugin did not run"
    return records.lines, state


def _account(row: Row, project: Path, site: Path, logged: list[str], state: BuildState) -> None:
    """Per page: each citation the finder reads, matched (by key) to one the Markdown engine
    rendered whose slot was filled in the built HTML, else to a CIT007 at its place; what is left
    is lost. A rendered key the bibliography lacks is shown as unknown."""
    findings = [m for m in map(_FINDING.match, logged) if m]
    row.findings.update(m.group("code") for m in findings)
    reported = {
        (m.group("path"), int(m.group("line")), int(m.group("col")))
        for m in findings
        if m.group("code") == "CIT007"
    }
    known = state.bibliography.references
    docs = project / _docs_dir(project)
    for source in sorted(docs.rglob("*.md")):
        src = source.relative_to(docs).as_posix()
        display = source.relative_to(project).as_posix()
        found, _problems = scan_page(src, source.read_text(encoding="utf-8"), display)
        rendered = _filled(state.pages.get(src), _html_of(site, src))
        for record in found.in_order():
            for key in record.citation.keys:
                row.found += 1
                if rendered[key] > 0:
                    rendered[key] -= 1
                    row.rendered += key in known
                    row.unknown += key not in known
                elif (display, record.line, record.col) in reported:
                    row.reported += 1
                else:
                    row.lost.append(Lost(display, record.line, record.col, key))


def _filled(page: PageCitations | None, html: str) -> Counter[str]:
    """The keys of the engine's citations on a page whose slot the built HTML holds filled."""
    if page is None:
        return Counter()
    ids = set(re.findall(r'<span class="lr-cite[^"]*" id="lr-c(\d+)"', html))
    return Counter(k for r in page.records if str(r.index) in ids for k in r.citation.keys)


def _docs_dir(project: Path) -> str:
    match = re.search(r"^docs_dir:\s*(\S+)", (project / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    return match.group(1).strip("'\"") if match else "docs"


def _html_of(site: Path, src: str) -> str:
    """A page's built HTML (directory URLs: ``a/b.md`` is ``a/b/index.html``), or '' if none."""
    stem = src[: -len(".md")]
    name = stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    path = site / name / "index.html"
    return path.read_text(encoding="utf-8") if path.is_file() else ""
