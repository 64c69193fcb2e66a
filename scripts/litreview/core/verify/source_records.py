"""The records an entry is checked against, from each source, as CSL-JSON with their flags.

- Crossref's REST API: ``/works/{doi}`` (with ``updated-by``, where Crossref and the Retraction
  Watch database record a retraction) and bibliographic search (``query.bibliographic``);
- DOI content negotiation for DOIs Crossref does not hold (DataCite: arXiv's 10.48550, Zenodo);
- OpenAlex: search, a fallback, and its ``is_retracted`` flag;
- PubMed: ``esearch`` then ``esummary`` (whose ``pubtype`` marks a retracted publication),
  for journal articles the others do not find, and entries that give a PMID;
- the arXiv API for entries that give an arXiv id.

A search always returns something; these functions only say what the source holds. The
judgement of whether a record is the entry's work is :mod:`.compare`'s, in :mod:`.decide`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..fetch import sources
from ..fetch.http import Client, FetchError, base_url
from .compare import WorkFacts

#: Seconds between two requests to a host beyond those fetch already paces.
INTERVALS = {**sources.INTERVALS, "api.crossref.org": 0.1, "api.openalex.org": 0.1}
#: Crossref update types that withdraw a work.
WITHDRAWN = {"retraction", "withdrawal", "removal"}
_CROSSREF_FIELDS = (
    "DOI,title,author,editor,container-title,short-container-title,volume,page,"
    "issued,published-print,published-online,type,updated-by"
)


@dataclass(frozen=True)
class Record:
    """What a source holds about a work: CSL-JSON, its DOI, and a retraction notice if any."""

    source: str
    csl: dict[str, Any]
    doi: str = ""
    notice: str = ""
    """The address of the retraction (or withdrawal) notice; empty if the work stands."""


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _first(value: Any) -> str:
    """Crossref gives titles as lists; CSL as strings."""
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def from_crossref(message: dict[str, Any]) -> Record:
    """A Crossref work (``message`` of ``/works/{doi}``, or a search item) as a :class:`Record`."""
    csl = {k: v for k, v in message.items() if k not in ("title", "container-title")}
    csl["title"] = _first(message.get("title"))
    csl["container-title"] = _first(message.get("container-title"))
    notice = ""
    for update in _items(message.get("updated-by")):
        if isinstance(update, dict) and str(update.get("type", "")).lower() in WITHDRAWN:
            notice = (
                f"https://doi.org/{update['DOI']}" if update.get("DOI") else "https://retractionwatch.com"
            )
            break
    return Record("crossref", csl, str(message.get("DOI") or ""), notice)


def _json_message(response: Any, what: str) -> Any:
    data = sources.json_of(response, what)
    return data.get("message") if isinstance(data, dict) else None


def crossref_work(client: Client, doi: str) -> Record | None:
    """Crossref's record of a DOI, or None if Crossref does not hold it (404)."""
    base = base_url("crossref", "https://api.crossref.org")
    params = {"mailto": client.mailto} if client.mailto else None
    response = client.get(f"{base}/works/{quote(doi, safe='/()')}", params=params)
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise FetchError(f"Crossref answered HTTP {response.status_code} for {doi}")
    message = _json_message(response, "Crossref")
    if not isinstance(message, dict):
        raise FetchError(f"Crossref gave no work for {doi}")
    return from_crossref(message)


def datacite_work(client: Client, doi: str) -> Record | None:
    """A DOI Crossref does not hold, from its agency by content negotiation; None if none has it."""
    try:
        item = sources.doi(client, doi)
    except sources.NotFound:
        return None
    return Record("doi.org", item, str(item.get("DOI") or doi))


def query_of(work: WorkFacts) -> str:
    """Title, first authors, venue and year: what a bibliographic search is asked."""
    parts = [work.title, " ".join(work.families[:3]), work.journal, work.year]
    return " ".join(p for p in parts if p)[:500]


def crossref_search(client: Client, work: WorkFacts, rows: int = 5) -> list[Record]:
    """Crossref's best matches for the entry, as it ranks them (to be judged, not trusted)."""
    base = base_url("crossref", "https://api.crossref.org")
    params = {"query.bibliographic": query_of(work), "rows": str(rows), "select": _CROSSREF_FIELDS}
    if client.mailto:
        params["mailto"] = client.mailto
    response = client.get(f"{base}/works", params=params)
    if response.status_code != 200:
        raise FetchError(f"Crossref search answered HTTP {response.status_code}")
    message = _json_message(response, "Crossref search")
    items = message.get("items") if isinstance(message, dict) else None
    return [from_crossref(i) for i in _items(items) if isinstance(i, dict)]


def from_openalex(work: dict[str, Any]) -> Record:
    """An OpenAlex work as a :class:`Record` (its DOI is given as a URL)."""
    doi = re.sub(r"^https?://(dx\.)?doi\.org/", "", str(work.get("doi") or ""), flags=re.I)
    names = [
        str(_mapping(a.get("author")).get("display_name") or "")
        for a in _items(work.get("authorships"))
        if isinstance(a, dict)
    ]
    biblio = _mapping(work.get("biblio"))
    venue = _mapping(_mapping(work.get("primary_location")).get("source"))
    csl: dict[str, Any] = {
        "title": str(work.get("title") or work.get("display_name") or ""),
        "author": [sources.person(n) for n in names if n],
        "container-title": str(venue.get("display_name") or ""),
        "volume": str(biblio.get("volume") or ""),
        "page": str(biblio.get("first_page") or ""),
    }
    if isinstance(work.get("publication_year"), int):
        csl["issued"] = {"date-parts": [[work["publication_year"]]]}
    notice = f"https://doi.org/{doi}" if work.get("is_retracted") is True and doi else ""
    if work.get("is_retracted") is True and not notice:
        notice = str(work.get("id") or "https://openalex.org")
    return Record("openalex", csl, doi, notice)


def openalex_search(client: Client, work: WorkFacts, rows: int = 5) -> list[Record]:
    """OpenAlex's best matches for the entry's title (and year), as it ranks them."""
    base = base_url("openalex", "https://api.openalex.org")
    params = {"search": work.title[:300], "per_page": str(rows)}
    if work.year.isdigit():
        low, high = int(work.year) - 1, int(work.year) + 1
        params["filter"] = f"publication_year:{low}-{high}"
    if client.mailto:
        params["mailto"] = client.mailto
    response = client.get(f"{base}/works", params=params)
    if response.status_code != 200:
        raise FetchError(f"OpenAlex answered HTTP {response.status_code}")
    data = sources.json_of(response, "OpenAlex")
    results = data.get("results") if isinstance(data, dict) else None
    return [from_openalex(i) for i in _items(results) if isinstance(i, dict)]


def pubmed_records(client: Client, pmids: list[str]) -> list[Record]:
    """PubMed's records of PMIDs, in one ``esummary`` request; retracted ones carry a notice."""
    if not pmids:
        return []
    base = base_url("pubmed", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
    response = client.get(
        f"{base}/esummary.fcgi", params={"db": "pubmed", "id": ",".join(pmids), "retmode": "json"}
    )
    if response.status_code != 200:
        raise FetchError(f"E-utilities answered HTTP {response.status_code}")
    data = sources.json_of(response, "E-utilities")
    result = data.get("result") if isinstance(data, dict) else None
    out = []
    for pmid in pmids:
        summary = result.get(pmid) if isinstance(result, dict) else None
        if not isinstance(summary, dict) or "error" in summary or not summary.get("title"):
            continue
        csl = sources.from_esummary(pmid, summary)
        retracted = "Retracted Publication" in [str(t) for t in _items(summary.get("pubtype"))]
        notice = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if retracted else ""
        out.append(Record("pubmed", csl, str(csl.get("DOI") or ""), notice))
    return out


def pubmed_search(client: Client, work: WorkFacts, rows: int = 3) -> list[Record]:
    """PubMed's best matches for the entry's title (and first author), as it ranks them."""
    base = base_url("pubmed", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
    term = f"{work.title}[Title]" + (f" AND {work.families[0]}[Author]" if work.families else "")
    response = client.get(
        f"{base}/esearch.fcgi", params={"db": "pubmed", "term": term, "retmode": "json", "retmax": str(rows)}
    )
    if response.status_code != 200:
        raise FetchError(f"E-utilities search answered HTTP {response.status_code}")
    data = sources.json_of(response, "E-utilities search")
    found = data.get("esearchresult", {}).get("idlist") if isinstance(data, dict) else None
    return pubmed_records(client, [str(i) for i in _items(found) if str(i).isdigit()])


def arxiv_work(client: Client, accession: str) -> Record | None:
    """The arXiv API's record of a paper, or None if arXiv has none."""
    try:
        item = sources.arxiv(client, accession)
    except sources.NotFound:
        return None
    return Record("arxiv", item, str(item.get("DOI") or ""))
