"""``litreview verify``: a verdict for every entry, from the cache or the sources, and the
cache rewritten with what was learnt (errors never kept; the rest keyed by the entry's hash)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..bibliography import loader as bib
from ..bibliography import verdicts as cache
from ..bibliography.verdicts import Verdict
from ..fetch.http import Client
from ..files import atomic
from ..findings.codes import with_severity
from ..findings.problems import Problem
from ..project.config import Project
from . import decide
from .source_records import INTERVALS

#: The finding each status gives (``verified`` gives none).
CODE_OF = {
    "mismatch": "VER001",
    "not-found": "VER002",
    "retracted": "VER003",
    "ambiguous": "VER004",
    "error": "VER005",
    "unchecked": "VER006",
}


@dataclass
class Verified:
    """What a verify run concluded, entry by entry, and what it asked and wrote."""

    cache_path: Path
    verdicts: list[Verdict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    requests: int = 0
    from_cache: int = 0
    written: bool = False


def cache_path(project: Project) -> Path:
    """The verdict cache named by the plugin's ``verified`` option, beside mkdocs.yml."""
    return project.root / project.options.verified


def describe(verdict: Verdict) -> str:
    """A verdict in words, as the finding says it."""
    where = f" ({verdict.source}{', doi:' + verdict.doi if verdict.doi else ''})" if verdict.source else ""
    if verdict.status == "mismatch":
        fields = "; ".join(f"{f}: {e!r} in the entry, {r!r} in the record" for f, e, r in verdict.differences)
        return f"{verdict.key}: the entry differs from the record{where}: {fields}"
    if verdict.status == "retracted":
        return f"{verdict.key}: the work is retracted{where}; notice: {verdict.notice}"
    if verdict.status == "error":
        return f"{verdict.key}: not verified, a source failed: {verdict.message}"
    return f"{verdict.key}: {verdict.status}{where}: {verdict.message}".rstrip(": ")


def _finding(verdict: Verdict, ref: bib.Reference) -> Problem | None:
    code = CODE_OF.get(verdict.status)
    return Problem(ref.path, ref.line, 1 if ref.line else 0, code, describe(verdict)) if code else None


def _selected(
    references: dict[str, bib.Reference], keys: Sequence[str], display: str
) -> tuple[dict[str, bib.Reference], list[Problem]]:
    if not keys:
        return references, []
    unknown = [k for k in keys if k not in references]
    problems = [
        Problem(display, 0, 0, "VER008", f"no entry '{k}' in the bibliography (keys are case-sensitive)")
        for k in unknown
    ]
    return {k: references[k] for k in dict.fromkeys(keys) if k in references}, problems


def verify(
    project: Project,
    client: Client,
    keys: Sequence[str] = (),
    sources: Sequence[str] = decide.SOURCES,
    offline: bool = False,
    refresh: bool = False,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Verified:
    """Verdicts for ``keys`` (default: every entry, identifier citations included), in the
    bibliography's order. ``offline`` asks no source; ``refresh`` ignores the cache;
    ``progress(done, total)`` is told after each entry."""
    day = today or datetime.date.today()
    path = cache_path(project)
    result = Verified(path)
    loaded = bib.load(project.bibliography, display_root=project.root)
    chosen, result.problems = _selected(loaded.references, keys, project.display(project.config_path))
    if result.problems:
        return result
    snapshot = atomic.snapshot(path)
    cached, result.problems = cache.read(path, project.display(path))
    days = project.options.recheck_not_found
    client.intervals = {**INTERVALS, **client.intervals}
    learnt: dict[str, Verdict] = {}
    for done, (key, ref) in enumerate(chosen.items(), 1):
        digest = cache.entry_hash(ref)
        known = cached.get(digest)
        if known is not None and not refresh and cache.fresh(known, day, days):
            verdict = replace(known, key=key)
            result.from_cache += 1
        elif offline:
            verdict = Verdict(key, "unchecked", message="offline, and no verdict is cached for this entry")
        else:
            verdict = decide.verify(client, key, ref, frozenset(sources), day.isoformat())
        result.verdicts.append(verdict)
        if verdict.status in cache.CACHED:
            learnt[digest] = verdict
        finding = _finding(verdict, ref)
        if finding is not None:
            result.problems.append(finding)
        if progress is not None:
            progress(done, len(chosen))
    result.requests = client.requests
    result.problems = with_severity(result.problems, project.severities)
    if not offline:
        result.written = _store(
            path, loaded.references, cached, learnt, snapshot, result.problems, project.display(path)
        )
    return result


def _store(
    path: Path,
    references: dict[str, bib.Reference],
    cached: dict[str, Verdict],
    learnt: dict[str, Verdict],
    snapshot: atomic.FileSnapshot,
    problems: list[Problem],
    display: str,
) -> bool:
    """Keep the verdicts of entries still in the bibliography, with what was learnt; True if
    the file changed. An edited or removed entry's old verdict goes."""
    alive = {cache.entry_hash(ref) for ref in references.values()}
    kept = {digest: v for digest, v in cached.items() if digest in alive}
    kept.update(learnt)
    text = cache.text_of(kept)
    try:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass  # unreadable: VER007 said so, and it is replaced below
    try:
        cache.write(path, kept, expect=snapshot)
    except atomic.WriteError as exc:
        problems.append(Problem(display, 0, 0, "VER007", f"verdicts not saved: {exc}"))
        return False
    return True
