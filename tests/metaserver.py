"""Local stand-ins for the metadata sources, on 127.0.0.1, answering from recorded data.

The works are deep-review's: `../shared/corpora/deep-review/references.json` is CSL-JSON as
Manubot fetched it for 615 works from doi.org, PubMed and arXiv. Each source answers as its
documentation shows it answering: doi.org with CSL-JSON to content negotiation, E-utilities'
esummary (JSON, version 2.0 layout) and NCBI's ID converter with their JSON, the arXiv API
with an Atom feed, Open Library's books API with its JSON. Identifiers under the 10.9999
prefix act out faults: `busy` (429 with Retry-After: 1, then the work), `flaky` (503, then
the work), `slow` (no answer for 3 s), `garbled` (not JSON), `limited` (Retry-After: 3600), and
`x(1999)45:2<1::y>3.0.co;2-n#z?q` answers only if its `<`, `;`, `#` and `?` arrive as part of it.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

FAULT_WORK = {
    "type": "article-journal",
    "title": "Spinal cord stimulation versus conventional medical management for neuropathic pain",
    "author": [{"family": "Kumar", "given": "Krishna"}, {"family": "Taylor", "given": "Rod S."}],
    "container-title": "Pain",
    "issued": {"date-parts": [[2007]]},
}


@dataclass
class Works:
    """The recorded works, by each identifier a source is asked with."""

    by_doi: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_pmid: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_pmcid: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_arxiv: dict[str, dict[str, Any]] = field(default_factory=dict)
    books: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_csl(cls, items: list[dict[str, Any]]) -> Works:
        works = cls()
        for item in items:
            clean = {k: v for k, v in item.items() if k not in ("id", "note")}
            if item.get("DOI"):
                works.by_doi[str(item["DOI"]).lower()] = clean
            if item.get("PMID"):
                works.by_pmid[str(item["PMID"])] = clean
            if item.get("PMCID"):
                works.by_pmcid[str(item["PMCID"]).upper()] = clean
            m = re.search(r"arxiv\.org/abs/(\S+?)/?$", str(item.get("URL", "")))
            if m or (item.get("publisher") == "arXiv" and item.get("number")):
                works.by_arxiv[m.group(1) if m else str(item["number"])] = clean
        return works


@dataclass
class Log:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[tuple[str, str]] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)

    def count(self, path: str) -> int:
        with self.lock:
            self.seen[path] = self.seen.get(path, 0) + 1
            return self.seen[path]


def _esummary(pmid: str, item: dict[str, Any]) -> dict[str, Any]:
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

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with self.log.lock:
            self.log.requests.append((url.path, self.headers.get("User-Agent", "")))
        if url.path.startswith("/doi/"):
            self._doi(unquote(url.path[len("/doi/") :]))
        elif url.path == "/eutils/esummary.fcgi":
            pmid = query.get("id", "")
            item = self.works.by_pmid.get(pmid)
            result: dict[str, Any] = {"uids": [pmid]}
            result[pmid] = (
                _esummary(pmid, item) if item else {"uid": pmid, "error": "cannot get document summary"}
            )
            self._send(200, json.dumps({"header": {"type": "esummary", "version": "0.3"}, "result": result}))
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
