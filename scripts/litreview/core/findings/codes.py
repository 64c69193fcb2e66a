"""Every finding code, its default severity and what it means, in one table.

The table is the contract with contributors and CI: codes are stable, docs/codes.md lists
them (made from this table), and ``mkdocs.yml`` can change a code's severity (``validation:``
under the plugin).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import NamedTuple

from .problems import Problem, Severity

E, W = Severity.ERROR, Severity.WARN


class Code(NamedTuple):
    """A finding code's default severity and the summary the codes table shows."""

    severity: Severity
    summary: str


CODES: dict[str, Code] = {
    # configuration (always errors; exit status 2)
    "CFG001": Code(E, "configuration file cannot be read"),
    "CFG002": Code(E, "configuration is not valid YAML"),
    "CFG003": Code(E, "configuration is not a mapping"),
    "CFG004": Code(E, "the litreview plugin is not enabled"),
    "CFG005": Code(E, "a litreview option has the wrong type"),
    "CFG006": Code(E, "validation names an unknown code or level"),
    "CFG007": Code(E, "the citation style cannot be used (unknown CSL style, or citeproc-py missing)"),
    # the contributor tools (always errors; exit status 2, nothing written)
    "INIT001": Code(
        E, "litreview init cannot start the review (bad option, files already there, not writable)"
    ),
    "NEW001": Code(E, "litreview new cannot make the page"),
    "GIT001": Code(E, "git cannot show a revision or file (litreview diff)"),
    "IMP001": Code(E, "litreview import cannot read the source or write the project (nothing written)"),
    "IMP002": Code(W, "litreview import kept a construct as written or left it out (it says which)"),
    "IMP003": Code(W, "litreview import kept a code chunk as code: it is not executed"),
    "IMP004": Code(W, "litreview import did not read a path outside the source, or not a regular file"),
    "IMP005": Code(
        W, "litreview import took the .bib beside a LaTeX review that names none (\\bibliography absent)"
    ),
    "IMP006": Code(
        W, "litreview import could not fill publication: from a LaTeX title block (it says what is missing)"
    ),
    "IMP008": Code(
        W, "litreview import did not carry a Quarto project setting (a script, a CSL style, a notebook)"
    ),
    "IMP009": Code(
        W, "litreview import left out a MyST directive, role or image it cannot carry (it says which)"
    ),
    "IMP010": Code(
        W, "litreview import kept a MyST directive or role as text or code, its meaning not carried"
    ),
    "IMP011": Code(
        W, "litreview import removed an mkdocs-bibtex bibliography marker (litreview lists references)"
    ),
    "IMP012": Code(W, "litreview import did not map an mkdocs-bibtex option (it says what takes its place)"),
    "IMP013": Code(W, "litreview import did not carry an mkdocs.yml setting, plugin or Markdown extension"),
    # the build's cache (a speed-up only: the build goes on without it)
    "CACHE001": Code(W, "cache folder cannot be used; built without the cache"),
    # what the build writes besides the pages
    "OUT001": Code(E, "a docs file is where the build writes its own file (a download, the feed, the PDF…)"),
    # citations
    "CIT001": Code(E, "unknown citation key"),
    "CIT002": Code(E, "citation key differs only in case from an entry"),
    "CIT003": Code(E, "malformed citation"),
    "CIT004": Code(W, "citations on a page that is not in the navigation"),
    "CIT005": Code(E, "cross-reference syntax (@fig-x, @fig:x) where a citation was expected"),
    "CIT006": Code(E, "a cited identifier has no metadata yet (run litreview fetch)"),
    "CIT007": Code(E, "a citation pandoc reads that the page can't render or never rendered"),
    # works cited by identifier: the lock file and litreview fetch
    "LOCK001": Code(E, "the lock file cannot be read, or an entry in it is malformed (left out)"),
    "FET001": Code(E, "litreview fetch: a source failed for an identifier (it says which and why)"),
    "FET002": Code(E, "litreview fetch: no source has a record of an identifier"),
    # litreview verify: does each entry say what the registered record says?
    "VER001": Code(E, "an entry differs from the record of the work it names (each field: entry vs record)"),
    "VER002": Code(E, "no source has a record that fits the entry"),
    "VER003": Code(E, "the work is retracted or withdrawn (the notice is linked)"),
    "VER004": Code(W, "several works fit the entry equally well: give its DOI"),
    "VER005": Code(W, "a source failed, so the entry is not verified (it says which and why)"),
    "VER006": Code(W, "not verified: offline with no verdict cached, or nothing to look the entry up by"),
    "VER007": Code(W, "the verdict cache cannot be read or written, or a verdict in it is malformed"),
    "VER008": Code(E, "litreview verify was given a key that is not in the bibliography"),
    # the review as a publication
    "PUB001": Code(E, "the publication block is malformed (a required field missing, an unknown one)"),
    "PUB002": Code(E, "CITATION.cff disagrees with the publication block (each field: here vs there)"),
    # systematic reviews: the studies and summary-of-findings tables
    "SYS020": Code(E, "a studies or findings file cannot be read (missing, not UTF-8, too large)"),
    "SYS021": Code(E, "a studies or findings file is malformed CSV or YAML (or its header is)"),
    "SYS022": Code(E, "a studies or findings table lacks a column it needs (key; outcome, certainty)"),
    "SYS023": Code(E, "a study row without a key, or a finding without an outcome"),
    "SYS024": Code(E, "a study listed twice in the studies table"),
    "SYS025": Code(E, "a key in the studies or findings table that is not in the bibliography"),
    "SYS026": Code(E, "a certainty that is not high, moderate, low or very low"),
    "SYS027": Code(E, "the studies the flow diagram includes differ from the studies table's rows"),
    "SYS040": Code(W, "a page holds the studies or findings slot but that option is not set"),
    "SYS041": Code(W, "a page holds the same systematic-review slot twice (it is shown once)"),
    # bibliography
    "BIB001": Code(E, "bibliography file cannot be read"),
    "BIB002": Code(E, "bibliography file is not UTF-8"),
    "BIB003": Code(E, "BibTeX that cannot be parsed"),
    "BIB004": Code(E, "undefined @string macro"),
    "BIB005": Code(E, "duplicate entry or @string key"),
    "BIB006": Code(E, "field given twice in one entry"),
    "BIB007": Code(E, "control character (such as NUL) in a field; it is left out"),
    "BIB008": Code(E, "@string macros expand beyond the limit"),
    "BIB009": Code(E, "no comma between two fields of an entry (each field is still read as its own)"),
    "BIB010": Code(E, "crossref to an entry that is not defined"),
    "BIB011": Code(E, "the same DOI under two keys"),
    "BIB012": Code(W, "near-duplicate titles by the same author"),
    "BIB013": Code(E, "required field missing for the entry type"),
    "BIB014": Code(E, "malformed DOI"),
    "BIB015": Code(W, "implausible or malformed year"),
    "BIB016": Code(W, "pages that are neither a range nor an article number"),
    "BIB017": Code(W, "author, editor, date or type missing: the reference reads without it"),
    "BIB018": Code(W, "a venue that is a placeholder (Journal, Unknown Venue) or a kind of work (Thesis)"),
    "BIB019": Code(
        W, "a venue that is a LaTeX macro litreview does not know (the AAS journal macros it expands)"
    ),
    "BIB020": Code(W, "entry that no page cites"),
    # Markdown pages and their front matter
    "MD001": Code(E, "page is not UTF-8"),
    "MD002": Code(W, "page has no title"),
    "MD003": Code(W, "empty section"),
    "MD004": Code(W, "heading skips a level"),
    "MD005": Code(W, "paragraph so full of unclosed brackets that Markdown would take minutes"),
    "FM001": Code(E, "front matter is not valid YAML"),
    "FM002": Code(E, "front matter value has the wrong type or form"),
    "FM003": Code(W, "unknown front matter key"),
    "FM004": Code(E, "required front matter key missing"),
    # navigation and the review's structure
    "NAV001": Code(W, "page missing from the navigation"),
    "NAV002": Code(E, "navigation entry with no file"),
    "STR001": Code(E, "review page missing (section, introduction or conclusion)"),
    "STR002": Code(E, "section not linked from the Introduction"),
    "STR003": Code(E, "section not named in the Conclusion"),
    # concepts and cross-links
    "TAX001": Code(E, "taxonomy file cannot be read or is not YAML"),
    "TAX002": Code(E, "taxonomy entry is malformed"),
    "TAX003": Code(E, "concept description cites no source"),
    "TAX004": Code(E, "unknown concept in a section's front matter"),
    "TAX005": Code(W, "concept that no section uses"),
    "TAX006": Code(E, "concept listed on a page whose text never mentions it"),
    # systematic reviews: the PRISMA 2020 flow diagram's data
    "SYS001": Code(E, "the PRISMA flow file cannot be read, or is not CSV or YAML of the template's form"),
    "SYS002": Code(E, "unknown box in the PRISMA flow file (with the closest known names)"),
    "SYS003": Code(E, "a PRISMA count is negative or not a whole number, or a list item is not 'name, n'"),
    "SYS004": Code(E, "a PRISMA box is given twice"),
    "SYS005": Code(E, "identified - duplicates - removed by automation - removed otherwise != screened"),
    "SYS006": Code(E, "records screened - records excluded != reports sought for retrieval"),
    "SYS007": Code(E, "reports sought - reports not retrieved != reports assessed for eligibility"),
    "SYS008": Code(E, "reports assessed - reports excluded != reports of new included studies"),
    "SYS009": Code(E, "the reasons or sources listed do not sum to their box's count"),
    "SYS010": Code(E, "previous + new included != total included (studies or reports)"),
    "SYS011": Code(E, "more included studies than reports of them"),
    "SYS012": Code(W, "a page holds the PRISMA slot but no 'prisma' file is set, or the reverse"),
    # links in Markdown
    "LNK001": Code(E, "link to a file that does not exist"),
    "LNK002": Code(E, "link to an anchor that does not exist on its page"),
    # the built site (litreview linkcheck)
    "SITE001": Code(E, "built page links to a file that does not exist"),
    "SITE002": Code(E, "built page links to an anchor that does not exist"),
    "EXT001": Code(E, "external link is broken"),
    "EXT002": Code(W, "external link not checked (offline or rate limited)"),
    "EXT003": Code(W, "external link moved permanently"),
}

#: Codes only ``litreview check`` reports: page structure, front matter, navigation and links in
#: the Markdown, which MkDocs checks in its own way during a build. The built site's codes
#: (SITE, EXT) are ``litreview linkcheck``'s, and CACHE001 and OUT001 are the build's alone. Every other
#: code is reported by the build and by the check alike, at the severity ``validation:`` sets.
CHECK_ONLY = frozenset(
    {"MD002", "MD003", "MD004", "MD005", "FM001", "FM002", "FM003", "FM004", "NAV001", "NAV002"}
    | {"STR001", "STR002", "STR003", "TAX004", "TAX005", "TAX006", "LNK001", "LNK002", "CIT004"}
    | {"PUB002"}
)
LINKCHECK_ONLY = frozenset({"SITE001", "SITE002", "EXT001", "EXT002", "EXT003"})
BUILD_ONLY = frozenset({"CACHE001", "OUT001"})
#: The contributor tools' refusals (and the import's report), each its own command's.
TOOL_ONLY = {
    "INIT001": "init",
    "NEW001": "new",
    "GIT001": "diff",
    "IMP001": "import",
    "IMP002": "import",
    "IMP003": "import",
    "IMP004": "import",
    "IMP005": "import",
    "IMP006": "import",
    "IMP008": "import",
    "IMP009": "import",
    "IMP010": "import",
    "IMP011": "import",
    "IMP012": "import",
    "IMP013": "import",
    "FET001": "fetch",
    "FET002": "fetch",
    **{f"VER00{n}": "verify" for n in range(1, 9)},
}


def markdown_table() -> str:
    """The codes table of docs/codes.md, made from :data:`CODES`."""
    rows = [f"| `{code}` | {info.severity.value} | {info.summary} |" for code, info in CODES.items()]
    return "\n".join(["| code | default | finding |", "|---|---|---|", *rows])


def reported_by(code: str) -> tuple[str, ...]:
    """Which tools report a code: ("check", "build"), ("check",), ("linkcheck",), ("build",), or
    the one contributor tool that refuses with it (("init",), ("new",), ("diff",))."""
    if code in CHECK_ONLY:
        return ("check",)
    if code in LINKCHECK_ONLY:
        return ("linkcheck",)
    if code in BUILD_ONLY:
        return ("build",)
    if code in TOOL_ONLY:
        return (TOOL_ONLY[code],)
    return ("check", "build")


LEVELS = {"error": Severity.ERROR, "warn": Severity.WARN, "warning": Severity.WARN, "ignore": Severity.IGNORE}


def with_severity(
    problems: Iterable[Problem], overrides: Mapping[str, Severity] | None = None
) -> list[Problem]:
    """Give each problem its configured severity (default from :data:`CODES`)."""
    overrides = overrides or {}
    out = []
    for p in problems:
        default = CODES[p.code].severity if p.code in CODES else p.severity
        severity = overrides.get(p.code, default)
        out.append(p if p.severity is severity else replace(p, severity=severity))
    return out


def parse_validation(
    value: object, where: str, line_of: Callable[[str], int] = lambda _text: 0
) -> tuple[dict[str, Severity], list[Problem]]:
    """Read ``validation: {CODE: error|warn|ignore}``; unknown codes or levels are findings."""
    if value is None:
        return {}, []
    if not isinstance(value, dict):
        line = line_of("validation:")
        return {}, [Problem(where, line, 1, "CFG006", "litreview 'validation' must map codes to levels")]
    out: dict[str, Severity] = {}
    problems = []
    for code, level in value.items():
        code = str(code).upper()
        line = line_of(str(code))
        if code not in CODES or code.startswith("CFG"):
            problems.append(Problem(where, line, 1, "CFG006", f"validation: unknown code '{code}'"))
        elif str(level).lower() not in LEVELS:
            problems.append(
                Problem(
                    where, line, 1, "CFG006", f"validation: {code}: '{level}' is not error, warn or ignore"
                )
            )
        else:
            out[code] = LEVELS[str(level).lower()]
    return out, problems
