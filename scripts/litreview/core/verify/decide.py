"""One entry's verdict: look it up by what identifies it, else search, and judge each record.

- **A DOI** is resolved (Crossref, else its DataCite agency) and the record compared with the
  entry. A DOI nobody knows is searched for by the entry's other fields: a work found so is
  a ``mismatch`` on the DOI; nothing found is ``not-found``.
- **A PMID or an arXiv id** is looked up at PubMed or arXiv the same way.
- **Anything else** is searched for (Crossref, then OpenAlex, then PubMed for journal
  articles). A search always returns something, so no hit is taken for its rank: a candidate
  counts only if :func:`.compare.compare` finds it the same work, or, for a ``mismatch``,
  the same title. Several such candidates that the entry cannot tell apart are ``ambiguous``.
- **A retraction** (Crossref's ``updated-by``, OpenAlex's or PubMed's flag) makes the work
  ``retracted`` whatever else agrees.
- **Identifiers** conflict only with identifiers of their kind (an arXiv id is no evidence
  against a record's DOI); one whose sources were not asked (``--sources``) or did not answer is
  unchecked, and the verdict says so.
- **A source that fails** leaves the entry ``error`` (with the reason) unless another one
  settled it; never ``not-found``, which would blame the entry for the outage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TypeVar

from ..bibliography.loader import Reference
from ..bibliography.verdicts import Verdict
from ..fetch.http import Client, FetchError
from . import source_records as rec
from .compare import WorkFacts, compare, from_csl, from_reference

T = TypeVar("T")

#: Every source verify can ask, in the order it asks them.
SOURCES = ("crossref", "datacite", "openalex", "pubmed", "arxiv")
#: Entry types of web pages and the like: no index holds them, so they are not searched for.
_WEB_TYPES = {"misc", "online", "electronic", "www", "webpage"}
_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I)


def entry_doi(ref: Reference) -> str:
    """The entry's DOI without resolver prefix, or ''."""
    return ref.doi


def entry_arxiv(ref: Reference) -> str:
    """The entry's arXiv id (``eprint`` with arXiv as its type, or shaped like one), or ''."""
    eprint = ref.get("eprint").strip()
    kind = (ref.get("archiveprefix") or ref.get("eprinttype") or "arxiv").lower()
    return eprint if kind == "arxiv" and _ARXIV_ID.match(eprint) else ""


def judge(key: str, entry: WorkFacts, record: rec.Record, day: str) -> Verdict:
    """The verdict on an entry against the record of the work it names."""
    found = compare(entry, from_csl(record.csl))
    differences = tuple((d.field, d.entry, d.record) for d in found.differences)
    status = "retracted" if record.notice else "verified" if found.same else "mismatch"
    return Verdict(key, status, record.doi, record.source, differences, record.notice, day)


def _agreement(entry: WorkFacts, record: WorkFacts) -> int:
    """How many fields given on both sides agree exactly (tells a preprint from its article)."""
    pairs = [(entry.year, record.year), (entry.volume, record.volume), (entry.first_page, record.first_page)]
    agreed = sum(1 for a, b in pairs if a and a == b)
    return agreed + (1 if entry.journal and record.journal else 0)


def _best(entry: WorkFacts, found: list[rec.Record]) -> list[rec.Record]:
    """The candidates (one per DOI) that agree with the entry on the most fields."""
    by_work: dict[str, rec.Record] = {}
    for record in found:
        by_work.setdefault(record.doi.lower() or str(record.csl.get("title", "")).lower(), record)
    scored = [(_agreement(entry, from_csl(r.csl)), r) for r in by_work.values()]
    top = max(score for score, _ in scored)
    return [r for score, r in scored if score == top]


def choose(key: str, entry: WorkFacts, candidates: Iterable[rec.Record], day: str) -> Verdict | None:
    """The verdict a search's candidates give, or None if none is the entry's work."""
    same: list[rec.Record] = []
    titled: list[rec.Record] = []  # the same title, other fields differing: a mismatch, at best
    for record in candidates:
        if not str(record.csl.get("title") or "").strip():
            continue
        found = compare(entry, from_csl(record.csl))
        if found.same:
            same.append(record)
        elif "title" not in {d.field for d in found.differences}:
            titled.append(record)
    for group in (same, titled):
        if not group:
            continue
        best = _best(entry, group)
        if len(best) == 1:
            return judge(key, entry, best[0], day)
        dois = ", ".join(r.doi or r.source for r in best[:4])
        message = f"{len(best)} works fit the entry equally well: {dois}; add the DOI of the one meant"
        return Verdict(key, "ambiguous", source=best[0].source, checked=day, message=message)
    return None


class Lookup:
    """One entry's look-ups, remembering which sources failed and why."""

    def __init__(self, client: Client, allowed: frozenset[str]) -> None:
        self.client = client
        self.allowed = allowed
        self.errors: list[str] = []
        self.failed: set[str] = set()

    def unchecked(self, kind: str) -> str:
        """Why an identifier of ``kind`` is unchecked ('' if its sources were asked and answered)."""
        asked = [s for s in KNOWN_BY[kind] if s in self.allowed]
        if not asked:
            return f"{' and '.join(KNOWN_BY[kind])} not asked"
        failed = [s for s in asked if s in self.failed]
        return f"{' and '.join(failed)} did not answer" if failed else ""

    def ask(self, source: str, call: Callable[[], T], nothing: T) -> T:
        """What ``source`` answers, or ``nothing`` if it is not allowed or failed (noted)."""
        if source not in self.allowed:
            return nothing
        try:
            return call()
        except FetchError as exc:
            self.errors.append(f"{source}: {exc}")
            self.failed.add(source)
            return nothing

    def search(self, source: str, call: Callable[[], list[rec.Record]]) -> list[rec.Record]:
        """Candidates from ``source`` ([] if it is not allowed or failed)."""
        return self.ask(source, call, [])


def _by_identifier(look: Lookup, ref: Reference) -> rec.Record | None:
    """The record of the DOI, PMID or arXiv id the entry gives, if a source knows it."""
    client = look.client
    doi = entry_doi(ref)
    if doi:
        return look.ask("crossref", lambda: rec.crossref_work(client, doi), None) or look.ask(
            "datacite", lambda: rec.datacite_work(client, doi), None
        )
    pmid = ref.get("pmid").strip()
    if pmid.isdigit():
        found = look.search("pubmed", lambda: rec.pubmed_records(client, [pmid]))
        return found[0] if found else None
    arxiv = entry_arxiv(ref)
    if arxiv:
        return look.ask("arxiv", lambda: rec.arxiv_work(client, arxiv), None)
    return None


def _search(look: Lookup, key: str, ref: Reference, entry: WorkFacts, day: str) -> Verdict | None:
    client = look.client
    searches: list[tuple[str, Callable[[], list[rec.Record]]]] = [
        ("crossref", lambda: rec.crossref_search(client, entry)),
        ("openalex", lambda: rec.openalex_search(client, entry)),
    ]
    if entry.journal and ref.entry_type.lower() == "article":  # PubMed holds journal articles only
        searches.append(("pubmed", lambda: rec.pubmed_search(client, entry)))
    for source, call in searches:
        verdict = choose(key, entry, look.search(source, call), day)
        if verdict is not None:
            return verdict
    return None


#: The sources that know each kind of identifier.
KNOWN_BY = {"doi": ("crossref", "datacite"), "pmid": ("pubmed",), "arxiv": ("arxiv",)}
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.I)


def identifier(ref: Reference) -> tuple[str, str]:
    """The kind and value of what identifies the entry (DOI, else PMID, else arXiv id), or ('', '')."""
    doi = entry_doi(ref)
    if doi:
        return "doi", doi
    pmid = ref.get("pmid").strip()
    if pmid.isdigit():
        return "pmid", pmid
    arxiv = entry_arxiv(ref)
    return ("arxiv", arxiv) if arxiv else ("", "")


def _records_identifier(kind: str, verdict: Verdict) -> str:
    """The record's identifier of ``kind``, as far as a verdict carries it (its DOI)."""
    if kind == "doi":
        return verdict.doi
    m = _ARXIV_DOI.fullmatch(verdict.doi) if kind == "arxiv" else None
    return m.group(1) if m else ""


def _under_other_identifier(verdict: Verdict, kind: str, given: str, unchecked: str) -> Verdict:
    """A work found by search for an entry whose identifier led to no record. Identifiers
    conflict only with identifiers of their kind: a record's DOI other than the entry's is a
    difference; so is an identifier its own sources were asked about and did not know. One
    whose sources were not asked or did not answer (``unchecked`` says which) is no evidence."""
    if verdict.status == "ambiguous":
        return verdict
    theirs = _records_identifier(kind, verdict)
    if theirs and re.sub(r"v\d+$", "", theirs).lower() == re.sub(r"v\d+$", "", given).lower():
        return verdict
    if not theirs and unchecked:
        note = f"{kind} {given} not checked ({unchecked})"
        return replace(verdict, message=f"{verdict.message}; {note}" if verdict.message else note)
    differences = (("identifier", given, theirs or "(none)"), *verdict.differences)
    status = "retracted" if verdict.status == "retracted" else "mismatch"
    return replace(verdict, status=status, differences=differences)


def verify(client: Client, key: str, ref: Reference, allowed: frozenset[str], day: str) -> Verdict:
    """The verdict on one entry (see the module's docstring for the rules)."""
    entry = from_reference(ref)
    look = Lookup(client, allowed)
    record = _by_identifier(look, ref)
    if record is not None:
        return judge(key, entry, record, day)
    kind, given = identifier(ref)
    unchecked = look.unchecked(kind) if kind else ""
    known = f"no source knows {given}" if given and not unchecked else ""
    if not entry.title.strip():
        if look.errors:
            return Verdict(key, "error", checked=day, message="; ".join(look.errors))
        reason = known or (
            f"{kind} {given} not checked ({unchecked})" if given else "nothing to look it up by"
        )
        return Verdict(
            key, "unchecked", checked=day, message=f"{reason}, and the entry has no title to search for"
        )
    if not given and ref.entry_type.lower() in _WEB_TYPES and ref.get("url") and not entry.journal:
        message = "a web page, which no index holds: `litreview linkcheck --external` checks its link"
        return Verdict(key, "unchecked", checked=day, message=message)
    verdict = _search(look, key, ref, entry, day)
    if verdict is not None:
        return _under_other_identifier(verdict, kind, given, unchecked) if given else verdict
    if look.errors:
        return Verdict(key, "error", checked=day, message="; ".join(look.errors))
    searched = ", ".join(s for s in ("crossref", "openalex", "pubmed") if s in allowed)
    reason = f"{known}, and " if known else f"{kind} {given} not checked ({unchecked}), and " if given else ""
    return Verdict(key, "not-found", checked=day, message=f"{reason}no record fits the entry ({searched})")
