"""``litreview diff``: what changed in the evidence between two git revisions.

References added, removed or changed (field by field), and page by page the citations
added or removed. Each revision's mkdocs.yml, bibliography and pages are read with
``git show`` into a scratch folder and loaded with the same core as the checks.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..bibliography import loader as bib
from ..bibliography.bibtex_values import VERBATIM
from ..bibliography.latex_text import to_unicode
from ..findings.problems import Problem, ProblemError
from ..project.config import ConfigError, Project, load_project
from ..source import frontmatter
from ..source.read import read_pages, scan_pages


class GitError(ProblemError):
    """A revision or file git cannot show (GIT001); the message is git's own."""

    def __init__(self, message: str) -> None:
        super().__init__(Problem("litreview diff", 0, 0, "GIT001", message))


@dataclass
class RevisionEvidence:
    """The evidence at one revision: references and the citations of each page."""

    references: dict[str, bib.Reference] = field(default_factory=dict)
    citations: dict[str, Counter[str]] = field(default_factory=dict)
    """Page (docs-relative) → how often each key is cited there."""
    paragraphs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Page → its blocks of text (single-spaced), to count the paragraphs a change touched."""
    titles: dict[str, str] = field(default_factory=dict)
    """Page → its title (front matter ``title``, else its first heading, else its path)."""
    studies: tuple[str, ...] = ()
    """A systematic review's included studies (the keys of its ``studies:`` table), in its order."""
    counts: tuple[tuple[str, int], ...] = ()
    """Its PRISMA flow's headline counts (label, n): included studies, records screened…"""


@dataclass(frozen=True)
class PageChange:
    """A page added, removed, or with ``paragraphs`` paragraphs changed."""

    page: str
    status: str
    paragraphs: int
    title: str


@dataclass
class Changes:
    """What changed between two snapshots: what ``litreview diff`` prints and What's new shows."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    citations: list[tuple[str, Counter[str], Counter[str]]] = field(default_factory=list)
    """Page, citations added there, citations removed there."""
    pages: list[PageChange] = field(default_factory=list)
    studies_added: list[str] = field(default_factory=list)
    """Studies included since the base (in the table's order), and those no longer included."""
    studies_removed: list[str] = field(default_factory=list)
    counts: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    """The flow's headline counts that changed: label, before, after (None: not given)."""

    @property
    def empty(self) -> bool:
        """Nothing a reader would notice."""
        return not (
            self.added
            or self.removed
            or self.changed
            or self.pages
            or self.studies_added
            or self.studies_removed
            or self.counts
        )


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise GitError(
            proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"git {' '.join(args)} failed"
        )
    return proc.stdout


def _show(repo: Path, rev: str, path: str) -> bytes | None:
    proc = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=repo, capture_output=True, check=False)
    return proc.stdout if proc.returncode == 0 else None


def snapshot(repo: Path, config: str, rev: str | None) -> RevisionEvidence:
    """The evidence at ``rev`` (``None``: the working tree)."""
    if rev is None:
        return _load(repo / config)
    _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    prefix = _git(repo, "rev-parse", "--show-prefix").strip()
    with tempfile.TemporaryDirectory(prefix="litreview-diff-") as tmp:
        root = Path(tmp)
        text = _show(repo, rev, prefix + config)
        if text is None:
            return RevisionEvidence()  # no project at that revision: everything is new
        (root / config).parent.mkdir(parents=True, exist_ok=True)
        (root / config).write_bytes(text)
        try:
            project = load_project(root / config)
        except ConfigError:
            return RevisionEvidence()  # not a litreview project yet at that revision (the plugin comes later)
        wanted = [p.relative_to(root).as_posix() for p in project.bibliography if p.is_relative_to(root)]
        studies = (root / project.options.studies).resolve() if project.options.studies else None
        if studies is not None and studies.is_relative_to(root.resolve()):  # never outside the repository
            wanted.append(studies.relative_to(root.resolve()).as_posix())
        prisma = project.prisma.resolve() if project.prisma is not None else None
        if prisma is not None and prisma.is_relative_to(root.resolve()):  # never outside the repository
            wanted.append(prisma.relative_to(root.resolve()).as_posix())
        if not project.docs_dir.resolve().is_relative_to(root.resolve()):
            raise GitError(
                f"at {rev}, {config} puts docs_dir outside the repository; "
                "litreview diff reads pages from the repository only"
            )
        docs = project.docs_dir.resolve().relative_to(root.resolve()).as_posix()
        listed = _git(repo, "ls-tree", "-r", "--name-only", rev, "--", prefix + docs).splitlines()
        wanted += [name[len(prefix) :] for name in listed if name.endswith(".md")]
        for name in wanted:
            data = _show(repo, rev, prefix + name)
            if data is not None:
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_bytes(data)
        return _load(root / config)


def _load(config: Path) -> RevisionEvidence:
    project = load_project(config)
    loaded = bib.load([p for p in project.bibliography if p.is_file()], display_root=project.root)
    texts, displays, _problems = read_pages(project)
    pages, _found = scan_pages(texts, displays)
    cited = {p.src_uri: Counter(k for r in p.records for k in r.citation.keys) for p in pages}
    return RevisionEvidence(
        loaded.references,
        {src: c for src, c in cited.items() if c},
        {src: _blocks(text) for src, text in texts.items()},
        {src: _title(src, text) for src, text in texts.items()},
        _included(project),
        _counts(project),
    )


def _included(project: Project) -> tuple[str, ...]:
    """The studies table's keys (none without ``studies:``, or when it can't be read)."""
    name = project.options.studies
    path = project.root / name if name else None
    if path is None or not path.is_file():
        return ()
    from ..systematic import studies  # systematic reviews only

    return tuple(studies.load(path, str(name)).keys)


def _counts(project: Project) -> tuple[tuple[str, int], ...]:
    """The PRISMA flow's headline counts (none without ``prisma:``, or when it can't be read)."""
    path = project.prisma
    if path is None or not path.is_file():
        return ()
    from ..systematic import flow_data, review_flow  # systematic reviews only

    return review_flow.headline(flow_data.read(path, project.display(path))[0])


def _blocks(text: str) -> tuple[str, ...]:
    body = frontmatter.without(text)
    return tuple(" ".join(b.split()) for b in re.split(r"\n\s*\n", body) if b.strip())


def _title(src: str, text: str) -> str:
    matter = re.match(r"---\n.*?^title:\s*[\"']?(.+?)[\"']?\s*$.*?^---", text, re.S | re.M)
    if matter:
        return matter[1]
    heading = re.search(r"^#\s+(.+?)\s*#*\s*$", frontmatter.without(text), re.M)
    return heading[1] if heading else src


def compare(base: RevisionEvidence, head: RevisionEvidence) -> Changes:
    """The one comparison behind ``litreview diff`` and the What's new page."""
    changes = Changes(
        added=sorted(set(head.references) - set(base.references)),
        removed=sorted(set(base.references) - set(head.references)),
        changed=sorted(
            k
            for k in set(base.references) & set(head.references)
            if _fields_differ(base.references[k].fields, head.references[k].fields)
        ),
        studies_added=[k for k in head.studies if k not in set(base.studies)],
        studies_removed=[k for k in base.studies if k not in set(head.studies)],
    )
    if base.counts or head.counts:
        from ..systematic.review_flow import changed  # systematic reviews only

        changes.counts = changed(base.counts, head.counts)
    for page in sorted(set(base.citations) | set(head.citations)):
        before, after = base.citations.get(page, Counter()), head.citations.get(page, Counter())
        if after != before:
            changes.citations.append((page, after - before, before - after))
    for page in sorted(set(base.paragraphs) | set(head.paragraphs)):
        title = head.titles.get(page) or base.titles.get(page) or page
        if page not in base.paragraphs:
            changes.pages.append(PageChange(page, "added", len(head.paragraphs[page]), title))
        elif page not in head.paragraphs:
            changes.pages.append(PageChange(page, "removed", len(base.paragraphs[page]), title))
        else:
            touched = _touched(base.paragraphs[page], head.paragraphs[page])
            if touched:
                changes.pages.append(PageChange(page, "changed", touched, title))
    return changes


def _touched(old: tuple[str, ...], new: tuple[str, ...]) -> int:
    """How many paragraphs an edit added, removed or rewrote (a rewrite counts once)."""
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def _short(value: str, width: int = 70) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


def _describe(ref: bib.Reference) -> str:
    people = ref.people.get("author") or ref.people.get("editor") or []
    who = people[0].family if people else ""
    who += " et al." if len(people) > 2 else (f" and {people[1].family}" if len(people) == 2 else "")
    year = ref.year
    parts = [p for p in (who, f"({year})" if year else "", _short(ref.get("title"), 60)) if p]
    return " ".join(parts)


def _meaning(name: str, value: str) -> str:
    """What a field says: verbatim fields as written, others decoded and single-spaced, so a
    layout change (``litreview fmt``) or LaTeX written as UTF-8 is no change."""
    if name in VERBATIM:
        return value.strip()
    return " ".join(to_unicode(value).split())


def _fields_differ(old: dict[str, str], new: dict[str, str]) -> list[str]:
    names = sorted(set(old) | set(new))
    return [n for n in names if n not in old or n not in new or _meaning(n, old[n]) != _meaning(n, new[n])]


def _difference(old: str, new: str, context: int = 25) -> tuple[str, str]:
    """The differing middle of two long values, with a little context either side."""
    if len(old) <= 70 and len(new) <= 70:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    lo = max(0, start - context)

    def cut(value: str) -> str:
        hi = len(value) - max(0, end - context)
        return ("…" if lo else "") + value[lo:hi] + ("…" if hi < len(value) else "")

    return cut(old), cut(new)


def report(base: RevisionEvidence, head: RevisionEvidence, title: str) -> str:
    """Markdown for a terminal or a CI job summary."""
    changes = compare(base, head)
    out = [f"## Evidence changes: {title}", "", "### References", ""]
    if not (changes.added or changes.removed or changes.changed):
        out += ["No reference was added, removed or changed.", ""]
    for key in changes.added:
        out.append(f"- **added** `{key}`: {_describe(head.references[key])}")
    for key in changes.removed:
        out.append(f"- **removed** `{key}`: {_describe(base.references[key])}")
    for key in changes.changed:
        out += _field_lines(key, base.references[key].fields, head.references[key].fields)
    if changes.added or changes.removed or changes.changed:
        out.append("")
    out += ["### Citations by page", ""]
    lines = []
    for page, plus, minus in changes.citations:
        parts = [f"+[@{k}]" + (f" ×{n}" if n > 1 else "") for k, n in sorted(plus.items())]
        parts += [f"−[@{k}]" + (f" ×{n}" if n > 1 else "") for k, n in sorted(minus.items())]
        lines.append(f"- `{page}`: " + ", ".join(parts))
    out += lines or ["No citation was added or removed."]
    out += ["", "### Pages", ""]
    out += [
        f"- `{c.page}` {c.status}" + (f" ({_paragraphs(c.paragraphs)})" if c.status == "changed" else "")
        for c in changes.pages
    ] or ["No page was added, removed or changed."]
    if changes.studies_added or changes.studies_removed:
        out += ["", "### Included studies", ""]
        out += [f"- **included** `{k}`" for k in changes.studies_added]
        out += [f"- **no longer included** `{k}`" for k in changes.studies_removed]
    if changes.counts:
        from ..systematic.review_flow import said  # systematic reviews only

        out += ["", "### PRISMA flow", ""]
        out += [f"- {said(count)}" for count in changes.counts]
    return "\n".join(out) + "\n"


def _paragraphs(n: int) -> str:
    return f"{n} paragraph{'s' if n != 1 else ''} changed"


def _field_lines(key: str, old: dict[str, str], new: dict[str, str]) -> list[str]:
    out = [f"- **changed** `{key}`:"]
    for name in _fields_differ(old, new):
        if name not in new:
            out.append(f"  - `{name}` removed (was {_short(old[name])!r})")
        elif name not in old:
            out.append(f"  - `{name}` added: {_short(new[name])!r}")
        else:
            was, now = _difference(_meaning(name, old[name]), _meaning(name, new[name]))
            out.append(f"  - `{name}`: {was!r} → {now!r}")
    return out
