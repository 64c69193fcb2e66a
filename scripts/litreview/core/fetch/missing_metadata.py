"""``litreview fetch``: look up every identifier the review cites and has no metadata for,
and record what the sources say in the lock file, so the build never has to ask."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..bibliography import loader as bib
from ..files import atomic
from ..findings.problems import Problem
from ..identifiers import lock
from ..identifiers.citekey import Identifier, parse
from ..project.config import Project
from ..source.read import read_pages, scan_pages
from .http import Client, FetchError
from .sources import INTERVALS, NotFound, lookup


@dataclass(frozen=True)
class FirstCitation:
    """Where an identifier is first cited (findings about it point there)."""

    identifier: Identifier
    path: str
    line: int
    col: int


@dataclass
class Fetched:
    """What a fetch did: works added to the lock file, and what could not be had."""

    lock_path: Path
    added: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Identifiers no source gave metadata for (each has its FET001 or FET002 finding)."""
    problems: list[Problem] = field(default_factory=list)
    requests: int = 0


def cited_identifiers(project: Project) -> tuple[dict[str, FirstCitation], list[Problem]]:
    """Each identifier the pages cite, at its first citation, in reading order."""
    texts, displays, problems = read_pages(project)
    pages, _found = scan_pages(texts, displays)
    places: dict[str, FirstCitation] = {}
    for page in pages:
        for record in page.in_order():
            for key in record.citation.keys:
                found = parse(key)
                if found is not None and key not in places:
                    places[key] = FirstCitation(found, page.path, record.line, record.col)
    return places, problems


def client_for(project: Project) -> Client:
    """An HTTP client that sends the project's ``mailto`` (``LITREVIEW_MAILTO`` overrides it),
    with the whole-answer deadline ``LITREVIEW_HTTP_DEADLINE`` gives (seconds), if it gives one."""
    mailto = os.environ.get("LITREVIEW_MAILTO") or (project.options.mailto or "")
    client = Client(mailto=mailto)
    try:
        deadline = float(os.environ.get("LITREVIEW_HTTP_DEADLINE", ""))
    except ValueError:
        return client
    if 0 < deadline < float("inf"):
        client.deadline = deadline
    return client


def lock_path(project: Project) -> Path:
    """The lock file named by the plugin's ``lock`` option, beside mkdocs.yml."""
    return project.root / project.options.lock


def fetch(
    project: Project,
    client: Client,
    refresh: bool = False,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Fetched:
    """Fetch what is missing (``refresh``: every cited identifier again) and rewrite the lock
    file; ``progress(done, total)`` is told after each identifier."""
    path = lock_path(project)
    result = Fetched(path)
    places, result.problems = cited_identifiers(project)
    known = bib.load(project.bibliography, display_root=project.root).references
    snapshot = atomic.snapshot(path)
    locked, lock_problems = lock.read(path, project.display(path))
    result.problems += lock_problems
    # an identifier with a BibTeX entry is the entry's business; the lock holds only the rest
    in_bib = set(known) - set(locked)
    wanted = [p for key, p in places.items() if key not in in_bib and (refresh or key not in locked)]
    client.intervals = {**INTERVALS, **client.intervals}
    day = (today or datetime.date.today()).isoformat()
    for done, place in enumerate(wanted, 1):
        key = str(place.identifier)
        try:
            source, item = lookup(client, place.identifier)
        except FetchError as exc:
            code = "FET002" if isinstance(exc, NotFound) else "FET001"
            result.problems.append(Problem(place.path, place.line, place.col, code, f"{key}: {exc}"))
            result.failed.append(key)
        else:
            locked[key] = lock.Locked(key, item, source, day)
            result.added.append(key)
        if progress is not None:
            progress(done, len(wanted))
    result.requests = client.requests
    if result.added:
        lock.write(path, locked, expect=snapshot)
    return result
