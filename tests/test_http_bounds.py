"""Servers cannot hang or flood the commands that ask them (issue 26).

Reported: `fetch` and `add` read a whole answer into memory, so a server whose body never
ends ran them out of memory (3 GB in 3.3 s, then a MemoryError traceback); and httpx's
timeout is per read, so a server sending one byte every 2 s kept `fetch` waiting 150 s and
`verify` 90 s. Each command now reads at most 10 MiB of an answer and gives a whole answer
a deadline (``LITREVIEW_HTTP_DEADLINE`` lowers it here, so the drip test takes seconds).
The commands run as real processes under an address-space limit of 1.5 GiB; the stand-in
servers are local (tests/metaserver.py: ``endless``, ``drip``).
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

import linkserver
from cli_process import base_project, litreview
from corpora import corpus
from litreview.core.fetch.http import Client, FetchError
from litreview.core.fetch.sources import lookup
from litreview.core.identifiers.citekey import parse
from litreview.core.project.exchange import MIB, Answer, AnswerTooLarge, exchange
from metaserver import DRIP_BYTES, DRIP_SECONDS, FAULT_WORK, Works, serve, serving

MEMORY = 1536 * 1024**2
#: The drip's whole answer takes this long; each command must end well before it.
DRIP_TOTAL = DRIP_BYTES * DRIP_SECONDS
DEADLINE = {"LITREVIEW_HTTP_DEADLINE": "2"}


def _deadline(fault: str) -> dict[str, str]:
    """2 s for the drip (so the test takes seconds); for a fast flood, a deadline the cap beats
    even on a loaded machine (2 s was sometimes spent decompressing the gzip bomb's 10 MiB)."""
    return DEADLINE if fault == "drip" else {"LITREVIEW_HTTP_DEADLINE": str(DRIP_TOTAL / 4)}


@pytest.fixture(scope="module")
def works() -> Works:
    return Works.from_csl(json.loads((corpus("deep-review") / "references.json").read_text(encoding="utf-8")))


def _said(fault: str) -> str:
    return "no whole answer within 2 s" if fault == "drip" else "answer larger than 10 MiB"


def _cite(project: Path, doi: str) -> None:
    page = project / "docs" / "sections" / "beta.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nBy identifier: [@doi:{doi}].\n", encoding="utf-8")


@pytest.mark.parametrize("fault", ["endless", "drip", "gzip-bomb"])
def test_fetch_reads_a_bounded_answer_within_a_deadline(works: Works, fault: str, tmp_path: Path) -> None:
    project = base_project(tmp_path)
    _cite(project, f"10.9999/{fault}")
    with serve(works) as (env, _log):
        proc = litreview(
            project, "fetch", memory=MEMORY, timeout=DRIP_TOTAL / 2, env_extra={**env, **_deadline(fault)}
        )
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1
    said = proc.stdout + proc.stderr
    assert f"error[FET001] doi:10.9999/{fault}: " in said and _said(fault) in said
    assert not (project / "references.lock.json").exists()


@pytest.mark.parametrize("fault", ["endless", "drip"])
def test_add_reads_a_bounded_answer_within_a_deadline(works: Works, fault: str, tmp_path: Path) -> None:
    project = base_project(tmp_path)
    before = (project / "refs.bib").read_bytes()
    with serve(works) as (env, _log):
        proc = litreview(
            project,
            "add",
            f"10.9999/{fault}",
            memory=MEMORY,
            timeout=DRIP_TOTAL / 2,
            env_extra={**env, **_deadline(fault)},
        )
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1
    assert f"error[FET001] doi:10.9999/{fault}: " in proc.stderr and _said(fault) in proc.stderr
    assert (project / "refs.bib").read_bytes() == before


@pytest.mark.parametrize("fault", ["endless", "drip"])
def test_verify_reads_a_bounded_answer_within_a_deadline(works: Works, fault: str, tmp_path: Path) -> None:
    project = base_project(tmp_path)
    (project / "refs.json").write_text(
        json.dumps([{**FAULT_WORK, "DOI": f"10.9999/{fault}", "id": "kumar2007"}]), encoding="utf-8"
    )
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("bibliography: refs.bib", "bibliography: refs.json"),
        encoding="utf-8",
    )
    with serve(works) as (env, _log):
        proc = litreview(
            project,
            "verify",
            "--sources",
            "crossref",
            memory=MEMORY,
            timeout=DRIP_TOTAL / 2,
            env_extra={**env, **_deadline(fault)},
        )
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 0  # a source that failed is a warning (VER005)
    said = proc.stdout + proc.stderr
    assert "warning[VER005] kumar2007: not verified, a source failed: crossref: " in said
    assert _said(fault) in said


_LINKCHECK = """
import sys
from litreview.core.site import external as ext
urls = sys.argv[1:]
results = ext.check_urls(urls, ext.ExternalCheckOptions(timeout=5, retries=0), ext.SuccessCache(None, 0))
for url in urls:
    print(url, results[url].ok, results[url].status, results[url].moved_to)
"""


def test_the_link_check_reads_no_body_and_no_redirects_body() -> None:
    """httpx read a redirect's body whole before following it; a page's body is never needed."""
    with linkserver.serve() as (base, _log):
        urls = [f"{base}/endless", f"{base}/endless-moved"]
        proc = subprocess.run(
            [sys.executable, "-c", _LINKCHECK, *urls],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY)),
        )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stdout.splitlines() == [
        f"{base}/endless True 200 ",
        f"{base}/endless-moved True 200 {base}/ok",
    ]


@pytest.mark.parametrize("fault", ["endless", "drip"])
def test_a_server_too_slow_or_too_large_is_not_asked_again(
    works: Works, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A per-read timeout is retried (the server may have been busy); a blown deadline or cap
    is not: the same server answers the same way, and retries would multiply the wait."""
    client = Client(deadline=1.0, limit=MIB, retries=3, sleep=lambda _s: None)
    identifier = parse(f"doi:10.9999/{fault}")
    assert identifier is not None
    with serving(works, monkeypatch):
        with pytest.raises(FetchError) as caught:
            lookup(client, identifier)
        client.close()
    said = "answer larger than 1 MiB" if fault == "endless" else "no whole answer within 1 s"
    assert str(caught.value) == f"127.0.0.1: {said}" and client.requests == 1


class _Stream(httpx.AsyncByteStream):
    """A body that counts how much of it was read, endless unless ``size`` is given."""

    def __init__(self, size: int | None = None) -> None:
        self.size, self.read = size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.size is None or self.read < self.size:
            self.read += 65536
            yield b" " * 65536


def _run_exchange(
    routes: dict[str, httpx.Response], method: str = "GET", limit: int | None = None, url: str = "/a"
) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        return routes[request.url.path]

    async def run() -> Answer:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://h") as client:
            async with asyncio.timeout(10):
                return await exchange(client, method, url, limit=limit)

    return asyncio.run(run())


def test_redirects_are_followed_without_reading_their_bodies() -> None:
    bodies = [_Stream(), _Stream()]
    answer = _run_exchange(
        {
            "/a": httpx.Response(301, headers={"Location": "/b"}, stream=bodies[0]),
            "/b": httpx.Response(302, headers={"Location": "http://h/c?x=1"}, stream=bodies[1]),
            "/c": httpx.Response(
                200, content=b'{"ok": true}', headers={"Content-Type": "text/json; charset=nope"}
            ),
        },
        limit=MIB,
    )
    assert (answer.status_code, answer.redirects, answer.url) == (200, (301, 302), "http://h/c?x=1")
    assert answer.text == '{"ok": true}'  # an unknown charset is read as UTF-8
    assert [b.read for b in bodies] == [0, 0]


def test_a_body_is_read_up_to_the_cap_and_no_further() -> None:
    body = _Stream()
    with pytest.raises(AnswerTooLarge, match=r"^answer larger than 1 MiB$"):
        _run_exchange({"/a": httpx.Response(200, stream=body)}, limit=MIB)
    assert MIB < body.read <= MIB + 65536
    unread = _Stream()
    assert _run_exchange({"/a": httpx.Response(200, stream=unread)}).content == b""
    assert unread.read == 0  # the link check: no body at all
    small = _Stream(size=65536)
    assert len(_run_exchange({"/a": httpx.Response(200, stream=small)}, limit=MIB).content) == 65536


@pytest.mark.parametrize(
    ("routes", "error"),
    [
        ({"/a": httpx.Response(302, headers={"Location": "/a"})}, httpx.TooManyRedirects),
        ({"/a": httpx.Response(302, headers={"Location": "javascript:alert(1)"})}, httpx.InvalidURL),
        ({"/a": httpx.Response(302, headers={"Location": "file:///etc/passwd"})}, httpx.InvalidURL),
    ],
)
def test_a_redirect_loop_or_to_another_scheme_is_refused(
    routes: dict[str, httpx.Response], error: type[Exception]
) -> None:
    with pytest.raises(error):
        _run_exchange(routes)


def test_a_see_other_redirect_becomes_a_get_but_a_head_stays_a_head() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return (
            httpx.Response(303, headers={"Location": "/b"})
            if request.url.path == "/a"
            else httpx.Response(204)
        )

    async def run(method: str) -> Answer:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://h") as client:
            return await exchange(client, method, "/a")

    assert asyncio.run(run("HEAD")).status_code == 204
    assert asyncio.run(run("POST")).status_code == 204
    assert seen == ["HEAD /a", "HEAD /b", "POST /a", "GET /b"]


def test_the_deadline_covers_the_headers_too() -> None:
    """A server dripping its status line a byte every 0.5 s never trips a per-read timeout;
    without the deadline the client waited for the whole line (8.5 s) and a connection error."""
    client = Client(deadline=1.0, retries=2, sleep=lambda _s: None)
    with linkserver.serve() as (base, _log):
        with pytest.raises(FetchError) as caught:
            client.get(f"{base}/drip")
        client.close()
    assert str(caught.value) == "127.0.0.1: no whole answer within 1 s" and client.requests == 1
