"""Where each kind of identifier's metadata comes from, as CSL-JSON.

- DOIs: DOI content negotiation (``Accept: application/vnd.citationstyles.csl+json``), which
  answers for Crossref and DataCite DOIs alike (arXiv's 10.48550, Zenodo);
- PMIDs: NCBI E-utilities ``esummary``; PMCIDs through NCBI's ID converter first;
- arXiv ids: the arXiv API's Atom feed;
- ISBNs: Open Library's books API.

Each base URL can be set by ``LITREVIEW_<SOURCE>_URL`` (tests serve recorded answers on
127.0.0.1; an institution may run a mirror).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ..files import jsonfile
from ..identifiers.citekey import Identifier
from .http import Client, FetchError, base_url

CSL_JSON = "application/vnd.citationstyles.csl+json"
_ATOM = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
#: Seconds between two requests to a host, as each asks (NCBI: 3/s without a key; arXiv: 1 per 3 s).
INTERVALS = {
    "doi.org": 0.1,
    "eutils.ncbi.nlm.nih.gov": 0.34,
    "www.ncbi.nlm.nih.gov": 0.34,
    "export.arxiv.org": 3.0,
    "openlibrary.org": 0.5,
}


class NotFound(FetchError):
    """The source has no record of the identifier (a 404, an empty answer)."""


#: A DOI as BibTeX and the lock file can hold it: the 10.NNNN prefix, a slash, then printable
#: characters but spaces, braces, quotes and backslashes (DOIs in use have none of them).
_DOI = re.compile(r'10\.\d{4,9}/[^\s{}"\\]+')


def doi_problem(doi: str) -> str:
    """Why ``doi`` is not a DOI litreview writes down ('' when it is one)."""
    if not _DOI.fullmatch(doi) or not doi.isprintable():
        return "a DOI is 10.NNNN/ and printable characters without spaces, braces, quotes or backslashes"
    return ""


def json_of(response: Any, what: str) -> Any:
    """A response's JSON, or :class:`FetchError` naming ``what`` answered with something else."""
    try:
        return jsonfile.loads(response.text)
    except ValueError:
        raise FetchError(f"{what} answered with something that is not JSON") from None


def doi(client: Client, accession: str) -> dict[str, Any]:
    """CSL-JSON for a DOI, from its registration agency by content negotiation."""
    # a DOI may hold '#', '?', '<' or ';': each is sent as itself, percent-encoded, not as URL syntax
    response = client.get(
        f"{base_url('doi', 'https://doi.org')}/{quote(accession, safe='/()')}", accept=CSL_JSON
    )
    if response.status_code == 404:
        raise NotFound(f"doi.org knows no DOI {accession}")
    if response.status_code != 200:
        raise FetchError(f"doi.org answered HTTP {response.status_code} for {accession}")
    item = json_of(response, "doi.org")
    if not isinstance(item, dict) or not item.get("title"):
        raise FetchError(f"doi.org gave no CSL-JSON record for {accession}")
    return item


def pubmed(client: Client, accession: str) -> dict[str, Any]:
    """CSL-JSON for a PMID, made from E-utilities' document summary."""
    base = base_url("pubmed", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
    response = client.get(
        f"{base}/esummary.fcgi", params={"db": "pubmed", "id": accession, "retmode": "json"}
    )
    if response.status_code != 200:
        raise FetchError(f"E-utilities answered HTTP {response.status_code} for PMID {accession}")
    data = json_of(response, "E-utilities")
    result = data.get("result") if isinstance(data, dict) else None
    record = result.get(accession) if isinstance(result, dict) else None
    if not isinstance(record, dict) or "error" in record or not record.get("title"):
        raise NotFound(f"PubMed has no record {accession}")
    return from_esummary(accession, record)


def from_esummary(pmid: str, record: dict[str, Any]) -> dict[str, Any]:
    """CSL-JSON made from one E-utilities document summary."""
    item: dict[str, Any] = {
        "type": "article-journal",
        "title": str(record["title"]).rstrip("."),
        "PMID": pmid,
    }
    authors = [str(a.get("name") or "") for a in _listed(record.get("authors")) if isinstance(a, dict)]
    item["author"] = [_medline_name(n) for n in authors if n]
    journal = record.get("fulljournalname") or record.get("source")
    if journal:
        item["container-title"] = str(journal)
    for csl, field in (("volume", "volume"), ("issue", "issue"), ("page", "pages")):
        if record.get(field):
            item[csl] = str(record[field])
    year = re.match(r"\d{4}", str(record.get("pubdate") or ""))
    if year:
        item["issued"] = {"date-parts": [[int(year.group(0))]]}
    for article_id in _listed(record.get("articleids")):
        if isinstance(article_id, dict) and article_id.get("idtype") == "doi":
            item["DOI"] = str(article_id.get("value", ""))
        if isinstance(article_id, dict) and article_id.get("idtype") == "pmc":
            item["PMCID"] = str(article_id.get("value", ""))
    return item


def _medline_name(name: str) -> dict[str, str]:
    """``Smith JA`` (MEDLINE's form) as a CSL name: family Smith, given J. A."""
    family, _, initials = name.rpartition(" ")
    if not family or not initials.isupper():
        return {"literal": name}
    return {"family": family, "given": " ".join(f"{c}." for c in initials)}


def pmc(client: Client, accession: str) -> dict[str, Any]:
    """CSL-JSON for a PMCID: NCBI's ID converter gives its PMID, then as :func:`pubmed`."""
    base = base_url("idconv", "https://www.ncbi.nlm.nih.gov/pmc/utils/idconv/v1.0")
    response = client.get(f"{base}/", params={"ids": accession, "format": "json"})
    data = json_of(response, "the NCBI ID converter") if response.status_code == 200 else {}
    records = data.get("records") if isinstance(data, dict) else None
    pmid = (
        str(records[0].get("pmid", ""))
        if isinstance(records, list) and records and isinstance(records[0], dict)
        else ""
    )
    if not pmid.isdigit():
        raise NotFound(f"NCBI's ID converter knows no PubMed record for {accession}")
    item = pubmed(client, pmid)
    item["PMCID"] = accession
    return item


def arxiv(client: Client, accession: str) -> dict[str, Any]:
    """CSL-JSON for an arXiv id (a version, if one is given), from the arXiv API."""
    base = base_url("arxiv", "https://export.arxiv.org/api")
    response = client.get(f"{base}/query", params={"id_list": accession})
    if response.status_code != 200:
        raise FetchError(f"the arXiv API answered HTTP {response.status_code} for {accession}")
    try:
        feed = ET.fromstring(response.text)
    except ET.ParseError:
        raise FetchError("the arXiv API answered with something that is not Atom XML") from None
    entry = feed.find("a:entry", _ATOM)
    title = entry.findtext("a:title", "", _ATOM) if entry is not None else ""
    if entry is None or not title.strip() or title.strip() == "Error":
        raise NotFound(f"arXiv has no paper {accession}")
    item: dict[str, Any] = {
        "type": "report",
        "title": " ".join(title.split()),
        "author": [person(a.findtext("a:name", "", _ATOM)) for a in entry.findall("a:author", _ATOM)],
        "publisher": "arXiv",
        "number": accession,
        "URL": f"https://arxiv.org/abs/{accession}",
    }
    published = re.match(r"(\d{4})-(\d{2})-(\d{2})", entry.findtext("a:published", "", _ATOM))
    if published:
        item["issued"] = {"date-parts": [[int(p) for p in published.groups()]]}
    doi_text = entry.findtext("arxiv:doi", "", _ATOM)
    item["DOI"] = doi_text.strip() or f"10.48550/arXiv.{re.sub(r'v[0-9]+$', '', accession)}"
    return item


def _listed(value: object) -> list[object]:
    """A list a server answered, or none: its answer is untrusted (``"authors": true``)."""
    return value if isinstance(value, list) else []


def person(full: str) -> dict[str, str]:
    """``Ada B. Lovelace`` as a CSL name (family name last); one word stays a literal."""
    given, _, family = " ".join(full.split()).rpartition(" ")
    return {"family": family, "given": given} if given else {"literal": full}


def isbn(client: Client, accession: str) -> dict[str, Any]:
    """CSL-JSON for an ISBN, from Open Library's books API."""
    base = base_url("openlibrary", "https://openlibrary.org")
    key = f"ISBN:{accession}"
    response = client.get(f"{base}/api/books", params={"bibkeys": key, "format": "json", "jscmd": "data"})
    data = json_of(response, "Open Library") if response.status_code == 200 else {}
    book = data.get(key) if isinstance(data, dict) else None
    if not isinstance(book, dict) or not book.get("title"):
        raise NotFound(f"Open Library has no book {accession}")
    item: dict[str, Any] = {"type": "book", "title": str(book["title"]), "ISBN": accession}
    item["author"] = [
        person(str(a.get("name", ""))) for a in _listed(book.get("authors")) if isinstance(a, dict)
    ]
    publishers = [str(p.get("name")) for p in _listed(book.get("publishers")) if isinstance(p, dict)]
    if publishers:
        item["publisher"] = publishers[0]
    year = re.search(r"\d{4}", str(book.get("publish_date") or ""))
    if year:
        item["issued"] = {"date-parts": [[int(year.group(0))]]}
    return item


#: The source for each kind of identifier (``url:`` has none: its page may say anything).
SOURCES: dict[str, tuple[str, Callable[[Client, str], dict[str, Any]]]] = {
    "doi": ("doi.org", doi),
    "pmid": ("pubmed", pubmed),
    "pmc": ("pubmed", pmc),
    "arxiv": ("arxiv", arxiv),
    "isbn": ("openlibrary", isbn),
}


def lookup(client: Client, identifier: Identifier) -> tuple[str, dict[str, Any]]:
    """(source name, CSL-JSON) for an identifier; :class:`FetchError` or :class:`NotFound`."""
    if identifier.prefix not in SOURCES:
        raise FetchError(f"{identifier.prefix}: identifiers are not looked up; add a BibTeX entry for it")
    name, source = SOURCES[identifier.prefix]
    item = source(client, identifier.accession)
    item["id"] = str(identifier)
    answered = item.get("DOI")
    if answered is not None:  # written into the lock file and BibTeX entries: checked first
        if not isinstance(answered, str) or doi_problem(answered):
            raise FetchError(f"{name} answered with a malformed DOI {str(answered)[:100]!r}")
        if identifier.prefix == "doi" and answered.lower() != identifier.accession.lower():
            raise FetchError(f"{name} answered for another DOI, {answered}")
    return name, item
