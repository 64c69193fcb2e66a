"""Local stand-ins for the metadata sources, on 127.0.0.1, answering from recorded data.

The works are deep-review's: `../shared/corpora/deep-review/references.json` is CSL-JSON as
Manubot fetched it for 615 works from doi.org, PubMed and arXiv. Each source answers as its
documentation shows it answering: doi.org with CSL-JSON to content negotiation, E-utilities'
esummary (JSON, version 2.0 layout) and NCBI's ID converter with their JSON, the arXiv API
with an Atom feed, Open Library's books API with its JSON. Identifiers under the 10.9999
prefix act out faults: `busy` (429 with Retry-After: 1, then the work), `flaky` (503, then
the work), `slow` (no answer for 3 s), `garbled` (not JSON), `limited` (Retry-After: 3600), `endless` (a body that never ends),
`gzip-bomb` (the same, compressed 1000 to 1), `drip` (a body of 60 bytes, one every 0.5 s), `any…` (the work, whatever follows `any`, as asked),
`other` (the work, under another DOI), `bad-answer` (under a DOI that would break BibTeX), and
`x(1999)45:2<1::y>3.0.co;2-n#z?q` answers only if its `<`, `;`, `#` and `?` arrive as part of it
(at Crossref, so does `spinal-ü-ñ` if its UTF-8 arrives intact).

For ``litreview verify``, the same works answer as Crossref's REST API (``/works/{doi}``, in
Crossref's own JSON: titles as lists, ``updated-by`` for a retraction; bibliographic search
over ``/works``), OpenAlex (``/works?search=``, with ``is_retracted``) and E-utilities'
``esearch``. DataCite DOIs (arXiv's 10.48550, Zenodo's 10.5281) are not Crossref's: it
answers 404 for them, as the real one does. The searches rank every work by the words it
shares with the query and always return the best few, however poor, as real engines do.
Works listed in ``Works.retracted`` (DOI → notice DOI) carry each source's retraction mark.
Crossref's search answers 503 to queries holding ``OUTAGE``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

#: The ``drip`` fault's body: a byte every DRIP_SECONDS, so it takes 30 s in all.
DRIP_BYTES, DRIP_SECONDS = 60, 0.5
FAULT_WORK = {
    "type": "article-journal",
    "title": "Spinal cord stimulation versus conventional medical management for neuropathic pain",
    "author": [{"family": "Kumar", "given": "Krishna"}, {"family": "Taylor", "given": "Rod S."}],
    "container-title": "Pain",
    "issued": {"date-parts": [[2007]]},
}


@functools.cache
def _gzip_blocks() -> tuple[bytes, bytes]:
    """A gzip stream's start, and a block that can follow it any number of times (8 MiB of
    spaces each: a full flush resets the compressor, so the same input packs the same)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    spaces = b" " * 2**23
    first = packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH)
    return first, block


@dataclass
class Works:
    """The recorded works, by each identifier a source is asked with."""

    by_doi: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_pmid: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_pmcid: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_arxiv: dict[str, dict[str, Any]] = field(default_factory=dict)
    books: dict[str, dict[str, Any]] = field(default_factory=dict)
    retracted: dict[str, str] = field(default_factory=dict)
    """DOI (lower case) → the DOI of its retraction notice."""
    everything: list[dict[str, Any]] = field(default_factory=list)
    """Every work, with a DOI or not (OpenAlex holds works Crossref does not, such as NeurIPS papers)."""
    _index: list[tuple[set[str], dict[str, Any]]] = field(default_factory=list)

    def search(self, query: str, rows: int, with_doi: bool = True) -> list[dict[str, Any]]:
        """The works sharing most words with ``query``, best first (always some, if any share one);
        ``with_doi``: only works with a DOI, as Crossref holds."""
        if not self._index:
            self._index = [(_words(_haystack(w)), w) for w in self.everything]
        wanted = _words(query)
        scored = [
            (len(wanted & words), i)
            for i, (words, work) in enumerate(self._index)
            if work.get("DOI") or not with_doi
        ]
        best = sorted((s for s in scored if s[0]), key=lambda s: (-s[0], s[1]))[:rows]
        return [self._index[i][1] for _, i in best]

    @classmethod
    def from_csl(cls, items: list[dict[str, Any]]) -> Works:
        works = cls()
        for item in items:
            clean = {k: v for k, v in item.items() if k not in ("id", "note")}
            if clean.get("title"):
                works.everything.append(clean)
            if item.get("DOI"):
                works.by_doi[str(item["DOI"]).lower()] = clean
            if item.get("PMID"):
                works.by_pmid[str(item["PMID"])] = clean
            if item.get("PMCID"):
                works.by_pmcid[str(item["PMCID"]).upper()] = clean
            m = re.search(r"arxiv\.org/abs/(\S+?)/?$", str(item.get("URL", "")))
            if m or (item.get("publisher") == "arXiv" and item.get("number")):
                arxiv_id = m.group(1) if m else str(item["number"])
                works.by_arxiv[arxiv_id] = clean
                works.by_arxiv.setdefault(re.sub(r"v\d+$", "", arxiv_id), clean)  # the latest, as arXiv does
        return works


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower())) - {"the", "of", "and", "a", "in", "for", "on"}


def _haystack(item: dict[str, Any]) -> str:
    names = " ".join(str(a.get("family", "")) for a in item.get("author") or [])
    year = (item.get("issued") or {}).get("date-parts", [[""]])[0][0]
    return f"{item.get('title', '')} {names} {item.get('container-title', '')} {year}"


def crossref_message(item: dict[str, Any], notice: str = "") -> dict[str, Any]:
    """A CSL item as Crossref's REST API gives the work: titles as lists, its retraction as ``updated-by``."""
    message = {k: v for k, v in item.items() if k not in ("title", "container-title")}
    message["title"] = [item["title"]] if item.get("title") else []
    message["container-title"] = [item["container-title"]] if item.get("container-title") else []
    if notice:
        message["updated-by"] = [
            {
                "type": "retraction",
                "label": "Retraction",
                "source": "retraction-watch",
                "DOI": notice,
                "updated": {"date-parts": [[2021, 3, 1]]},
            }
        ]
    return message


def openalex_work(item: dict[str, Any], retracted: bool) -> dict[str, Any]:
    """A CSL item as OpenAlex gives a work."""
    year = (item.get("issued") or {}).get("date-parts", [[None]])[0][0]
    page = str(item.get("page", ""))
    return {
        "id": "https://openalex.org/W" + str(zlib.crc32(str(item.get("title", "")).encode())),
        "doi": f"https://doi.org/{item['DOI']}" if item.get("DOI") else None,
        "title": item.get("title"),
        "display_name": item.get("title"),
        "publication_year": year,
        "authorships": [
            {"author": {"display_name": f"{a.get('given', '')} {a.get('family', '')}".strip()}}
            for a in item.get("author") or []
        ],
        "primary_location": {"source": {"display_name": item.get("container-title")}},
        "biblio": {"volume": item.get("volume"), "first_page": page.split("-")[0] or None},
        "is_retracted": retracted,
    }


def _datacite(doi: str) -> bool:
    return doi.startswith(("10.48550/", "10.5281/"))


@dataclass
class Log:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[tuple[str, str]] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)

    def count(self, path: str) -> int:
        with self.lock:
            self.seen[path] = self.seen.get(path, 0) + 1
            return self.seen[path]


def _esummary(pmid: str, item: dict[str, Any], retracted: bool = False) -> dict[str, Any]:
    names = []
    for a in item.get("author") or []:
        initials = "".join(p[0] for p in re.split(r"[\s.-]+", a.get("given", "")) if p)
        names.append({"name": f"{a.get('family', '')} {initials}".strip(), "authtype": "Author"})
    year = (item.get("issued") or {}).get("date-parts", [[""]])[0][0]
    ids = [{"idtype": "pubmed", "value": pmid}]
    if item.get("DOI"):
        ids.append({"idtype": "doi", "value": item["DOI"]})
    if item.get("PMCID"):
        ids.append({"idtype": "pmc", "value": item["PMCID"]})
    return {
        "uid": pmid,
        "pubdate": str(year),
        "source": item.get("container-title-short") or item.get("container-title", ""),
        "fulljournalname": item.get("container-title", ""),
        "title": item.get("title", ""),
        "authors": names,
        "volume": str(item.get("volume", "")),
        "issue": str(item.get("issue", "")),
        "pages": str(item.get("page", "")),
        "articleids": ids,
        "pubtype": ["Journal Article"] + (["Retracted Publication"] if retracted else []),
    }


def _atom(arxiv_id: str, item: dict[str, Any] | None) -> str:
    if item is None:
        entry = "<entry><id>http://arxiv.org/api/errors</id><title>Error</title></entry>"
    else:
        parts = (item.get("issued") or {}).get("date-parts", [[2000, 1, 1]])[0] + [1, 1]
        authors = "".join(
            f"<author><name>{escape(a.get('given', ''))} {escape(a.get('family', ''))}</name></author>"
            for a in item.get("author") or []
        )
        entry = (
            f"<entry><id>http://arxiv.org/abs/{arxiv_id}</id>"
            f"<published>{parts[0]:04d}-{int(parts[1]):02d}-{int(parts[2]):02d}T00:00:00Z</published>"
            f"<title>{escape(item.get('title', ''))}</title>{authors}</entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<title>arXiv Query: id_list={escape(arxiv_id)}</title>{entry}</feed>"
    )


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart (delayed ACK)
    works: Works
    log: Log

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(
        self, status: int, body: str, kind: str = "application/json", headers: dict[str, str] | None = None
    ) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            self.wfile.write(data)

    def _endless(self, gzip: bool = False) -> None:
        """An answer whose body never ends (until the client hangs up); ``gzip``: compressed,
        about a thousand to one."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if gzip:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        first, chunk = _gzip_blocks() if gzip else (b"", b" " * 65536)
        with contextlib.suppress(OSError):
            self.wfile.write(first)
            while True:
                self.wfile.write(chunk)

    def _drip(self) -> None:
        """An answer of :data:`DRIP_BYTES` bytes, one every :data:`DRIP_SECONDS`."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(DRIP_BYTES))
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(DRIP_BYTES):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(DRIP_SECONDS)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with self.log.lock:
            self.log.requests.append((url.path, self.headers.get("User-Agent", "")))
        if url.path.startswith("/doi/"):
            self._doi(unquote(url.path[len("/doi/") :]))
        elif url.path == "/eutils/esummary.fcgi":
            self._esummaries(query.get("id", "").split(","))
        elif url.path == "/eutils/esearch.fcgi":
            term = re.sub(r"\[(Title|Author)\]|\bAND\b", " ", query.get("term", ""))
            found = self.works.search(term, int(query.get("retmax", "3")), with_doi=False)
            ids = [str(w["PMID"]) for w in found if w.get("PMID")]
            self._send(200, json.dumps({"esearchresult": {"count": str(len(ids)), "idlist": ids}}))
        elif url.path.startswith("/crossref/works/"):
            self._crossref_work(unquote(url.path[len("/crossref/works/") :]).lower())
        elif url.path == "/crossref/works":
            wanted = query.get("query.bibliographic", "")
            if "OUTAGE" in wanted:
                self._send(503, "{}")
                return
            found = self.works.search(wanted, int(query.get("rows", "5")))
            items = [
                crossref_message(w, self._notice(w)) for w in found if not _datacite(str(w["DOI"]).lower())
            ]
            self._send(
                200, json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": items}})
            )
        elif url.path == "/openalex/works":
            found = self.works.search(
                query.get("search", ""), int(query.get("per_page", "5")), with_doi=False
            )
            results = [openalex_work(w, bool(self._notice(w))) for w in found]
            self._send(200, json.dumps({"meta": {"count": len(results)}, "results": results}))
        elif url.path == "/idconv/":
            pmcid = query.get("ids", "").upper()
            item = self.works.by_pmcid.get(pmcid)
            record = (
                {"pmcid": pmcid, "pmid": item["PMID"]}
                if item and item.get("PMID")
                else {"pmcid": pmcid, "status": "error"}
            )
            self._send(200, json.dumps({"status": "ok", "records": [record]}))
        elif url.path == "/arxiv/query":
            arxiv_id = query.get("id_list", "")
            self._send(200, _atom(arxiv_id, self.works.by_arxiv.get(arxiv_id)), "application/atom+xml")
        elif url.path == "/openlibrary/api/books":
            key = query.get("bibkeys", "")
            book = self.works.books.get(key)
            self._send(200, json.dumps({key: book} if book else {}))
        else:
            self._send(404, "{}")

    def _notice(self, item: dict[str, Any]) -> str:
        return self.works.retracted.get(str(item.get("DOI", "")).lower(), "")

    def _esummaries(self, pmids: list[str]) -> None:
        result: dict[str, Any] = {"uids": pmids}
        for pmid in pmids:
            item = self.works.by_pmid.get(pmid)
            result[pmid] = (
                _esummary(pmid, item, bool(self._notice(item)))
                if item
                else {"uid": pmid, "error": "cannot get document summary"}
            )
        self._send(200, json.dumps({"header": {"type": "esummary", "version": "0.3"}, "result": result}))

    def _crossref_work(self, doi: str) -> None:
        fault = doi.removeprefix("10.9999/")
        first = fault in ("busy", "flaky") and self.log.count("crossref:" + doi) == 1
        if first or fault == "limited":
            wait = {"busy": "1", "limited": "3600"}.get(fault)
            self._send(
                503 if fault == "flaky" else 429, "{}", headers={"Retry-After": wait} if wait else None
            )
        elif fault in ("endless", "drip", "gzip-bomb"):
            self._drip() if fault == "drip" else self._endless(gzip=fault == "gzip-bomb")
        elif fault == "garbled":
            self._send(200, "<html>not json</html>", "text/html")
        elif fault in ("busy", "flaky", "slow", "x(1999)45:2<1::y>3.0.co;2-n#z?q", "spinal-ü-ñ"):
            time.sleep(3 if fault == "slow" else 0)  # the last two: sent whole, UTF-8 intact
            self._send(200, json.dumps({"message": crossref_message({**FAULT_WORK, "DOI": doi})}))
        elif doi in self.works.by_doi and not _datacite(doi):
            item = self.works.by_doi[doi]
            message = crossref_message(item, self._notice(item))
            self._send(200, json.dumps({"status": "ok", "message-type": "work", "message": message}))
        else:
            self._send(404, "Resource not found.", "text/plain")

    def _doi(self, doi: str) -> None:
        doi = doi.lower()
        fault = doi.removeprefix("10.9999/")
        if fault == "busy" and self.log.count(doi) == 1:
            self._send(429, "{}", headers={"Retry-After": "1"})
        elif fault == "flaky" and self.log.count(doi) == 1:
            self._send(503, "{}")
        elif fault == "limited":
            self._send(429, "{}", headers={"Retry-After": "3600"})
        elif fault == "slow":
            time.sleep(3)
            self._send(200, json.dumps(FAULT_WORK))
        elif fault in ("endless", "drip", "gzip-bomb"):
            self._drip() if fault == "drip" else self._endless(gzip=fault == "gzip-bomb")
        elif fault.startswith("any") or fault in ("other", "bad-answer"):
            answered = {"other": "10.9999/someone-else", "bad-answer": '10.9999/x"} @misc{evil,'}
            self._send(200, json.dumps({**FAULT_WORK, "DOI": answered.get(fault, doi)}))
        elif fault == "garbled":
            self._send(200, "<html>not json</html>", "text/html")
        elif fault in ("busy", "flaky", "x(1999)45:2<1::y>3.0.co;2-n#z?q"):  # the last: sent whole
            self._send(200, json.dumps({**FAULT_WORK, "DOI": doi}))
        elif doi in self.works.by_doi and "citationstyles" in self.headers.get("Accept", ""):
            self._send(200, json.dumps(self.works.by_doi[doi]), "application/vnd.citationstyles.csl+json")
        else:
            self._send(404, "DOI Not Found", "text/plain")


@contextmanager
def serve(works: Works) -> Iterator[tuple[dict[str, str], Log]]:
    """The stand-ins, and the ``LITREVIEW_<SOURCE>_URL`` variables that point litreview at them."""
    log = Log()
    handler = type("Bound", (Handler,), {"works": works, "log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    env = {
        "LITREVIEW_DOI_URL": f"{base}/doi",
        "LITREVIEW_PUBMED_URL": f"{base}/eutils",
        "LITREVIEW_IDCONV_URL": f"{base}/idconv",
        "LITREVIEW_ARXIV_URL": f"{base}/arxiv",
        "LITREVIEW_OPENLIBRARY_URL": f"{base}/openlibrary",
        "LITREVIEW_CROSSREF_URL": f"{base}/crossref",
        "LITREVIEW_OPENALEX_URL": f"{base}/openalex",
    }
    try:
        yield env, log
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serving(works: Works, monkeypatch: Any) -> Iterator[Log]:
    """:func:`serve`, with litreview's ``LITREVIEW_<SOURCE>_URL`` set to it for the test."""
    with serve(works) as (env, log):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield log
