"""With no network, verify and fetch fail fast, say which host they stopped asking, and show
how far they got (issue 28 §4).

Reported: `verify` took ~18 s per entry with no network and printed nothing until the end (a
210-entry review: over an hour); each request to a host that refused or did not resolve was
tried four times, for every entry. The hosts here are 127.0.0.1 ports that refuse (nothing
listens), a socket that accepts and never answers, and one that listens but never accepts.
"""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from cli_process import base_project
from litreview.cli import main
from litreview.commands import progress
from litreview.core.fetch import missing_metadata
from litreview.core.fetch.http import Client, FetchError
from litreview.core.project.config import Project

URL = "http://source.test/record"


def _refused_port() -> int:
    """A port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextmanager
def _silent(accept: bool) -> Iterator[tuple[int, list[socket.socket]]]:
    """A listening port that accepts connections and never answers (or, ``accept`` False,
    never even accepts them); the accepted connections are listed."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    if accept:
        thread.start()
    try:
        yield server.getsockname()[1], accepted
    finally:
        stop.set()
        if accept:
            thread.join()
        for conn in accepted:
            conn.close()
        server.close()


def _client(handler: object) -> Client:
    return Client(retries=2, sleep=lambda _s: None, transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


#: Failures that say the host cannot be reached: the first one ends the asking.
UNREACHABLE = {
    "refused": httpx.ConnectError("[Errno 111] Connection refused"),
    "unknown host": httpx.ConnectError("[Errno -2] Name or service not known"),
    "no route": httpx.ConnectError("[Errno 113] No route to host"),
    "connect timeout": httpx.ConnectTimeout("timed out"),
}


@pytest.mark.parametrize("failure", list(UNREACHABLE))
def test_a_host_that_cannot_be_reached_is_asked_once(failure: str) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url.host))
        if request.url.host == "other.test":
            return httpx.Response(200, text="{}")
        raise UNREACHABLE[failure]

    client = _client(handler)
    reasons = []
    for _ in range(5):
        with pytest.raises(FetchError) as caught:
            client.get(URL)
        reasons.append(str(caught.value))
    assert client.get("http://other.test/x").status_code == 200  # another host is still asked
    client.close()
    assert calls == ["source.test", "other.test"] and client.requests == 2
    assert reasons[0].startswith("source.test: cannot connect (") and str(UNREACHABLE[failure]) in reasons[0]
    said = (
        f"source.test: not asked again, it could not be reached earlier ({client.unreachable['source.test']})"
    )
    assert reasons[1:] == [said] * 4


def test_a_host_silent_since_the_start_is_asked_no_more_after_its_tries() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        raise httpx.ReadTimeout("timed out")

    client = _client(handler)
    for _ in range(4):
        with pytest.raises(FetchError):
            client.get(URL)
    client.close()
    assert len(calls) == 3  # the first request's three tries, then no more
    assert client.unreachable == {"source.test": "no answer within 10 s in 3 tries"}


@pytest.mark.parametrize(
    "failure",
    [
        "HTTP 503",  # the server answers: an overloaded source may answer the next request
        "read timeout after an answer",  # an answering server that was slow once
        "protocol error",  # it answered something, badly
    ],
)
def test_a_host_that_answers_is_asked_again(failure: str) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if failure == "HTTP 503":
            return httpx.Response(503)
        if failure == "protocol error":
            raise httpx.RemoteProtocolError("illegal status line")
        if len(calls) == 1:
            return httpx.Response(200, text="{}")
        raise httpx.ReadTimeout("timed out")

    client = _client(handler)
    for _ in range(3):
        try:
            client.get(URL)
        except FetchError as exc:
            assert "not asked again" not in str(exc)
    client.close()
    assert client.unreachable == {}
    assert len(calls) == (7 if failure == "read timeout after an answer" else 9)


def test_a_host_that_spoke_once_in_its_tries_is_not_silent() -> None:
    """A server that answered one try with a broken answer is reachable, whatever the others did."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if len(calls) % 3 == 2:
            raise httpx.RemoteProtocolError("illegal status line")
        raise httpx.ReadTimeout("timed out")

    client = _client(handler)
    for _ in range(2):
        with pytest.raises(FetchError) as caught:
            client.get(URL)
        assert str(caught.value) == "source.test: no answer within 10 s after 3 tries"
    client.close()
    assert client.unreachable == {} and len(calls) == 6


def test_a_short_read_timeout_leaves_connecting_its_own_time() -> None:
    """A connection that times out marks its host unreachable for the whole run, so a read
    timeout shortened (a test's, a slow source's) must not shorten connecting: under load a
    0.2 s connect to 127.0.0.1 once timed out and a silent host was dropped after 2 tries."""
    seen: list[dict[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, text="{}")

    client = Client(timeout=0.2, transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    client.get(URL)
    client.close()
    assert seen == [{"connect": 10.0, "read": 0.2, "write": 0.2, "pool": 0.2}]


def test_real_sockets_refused_and_never_accepting_are_each_asked_once() -> None:
    refused = _refused_port()
    with _silent(accept=False) as (deaf, _accepted):
        client = Client(timeout=0.2, retries=1, sleep=lambda _s: None)
        for _ in range(3):
            for port in (refused, deaf):
                with pytest.raises(FetchError):
                    client.get(f"http://127.0.0.1:{port}/x")
        client.close()
    assert client.requests == 1 + 2  # the refusal once; the never-answering listener's two tries
    assert sorted(client.unreachable) == sorted([f"127.0.0.1:{refused}", f"127.0.0.1:{deaf}"])
    assert "ConnectError" in client.unreachable[f"127.0.0.1:{refused}"]


def _bibliography(entries: int) -> str:
    """``entries`` journal articles, every other one with its arXiv preprint."""
    out = []
    for n in range(entries):
        eprint = f"  eprint = {{2101.{n:05d}}},\n  archiveprefix = {{arXiv}},\n" if n % 2 else ""
        out.append(
            f"@article{{work{n},\n  author = {{Author{n}, Ann}},\n  title = {{Findings number {n} on pain}},\n"
            f"  journal = {{Journal of Tests}},\n  year = {{2020}},\n  volume = {{{n + 1}}},\n{eprint}}}\n"
        )
    return "\n".join(out)


@pytest.fixture
def clients(monkeypatch: pytest.MonkeyPatch) -> list[Client]:
    """The clients the commands make, with a short read timeout and no pause between tries."""
    made: list[Client] = []
    real = missing_metadata.client_for

    def quick(project: Project) -> Client:
        client = real(project)
        client.timeout, client.sleep = 0.2, lambda _s: None
        made.append(client)
        return client

    monkeypatch.setattr(missing_metadata, "client_for", quick)
    return made


def test_a_200_entry_verify_with_no_network_asks_each_host_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clients: list[Client],
) -> None:
    project = base_project(tmp_path)
    (project / "refs.bib").write_text(_bibliography(200), encoding="utf-8")
    crossref, openalex = _refused_port(), _refused_port()
    monkeypatch.setattr(progress, "AFTER", 0.0)
    with _silent(accept=True) as (pubmed, accepted), _silent(accept=False) as (arxiv, _):
        ports = {"CROSSREF": crossref, "OPENALEX": openalex, "PUBMED": pubmed, "ARXIV": arxiv}
        for source, port in ports.items():
            monkeypatch.setenv(f"LITREVIEW_{source}_URL", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("LITREVIEW_DATACITE_URL", f"http://127.0.0.1:{crossref}")
        monkeypatch.chdir(project)
        status = main(["verify", "--format", "json"])
        connections = len(accepted)
    out, err = capsys.readouterr()
    rows = json.loads(out)  # stdout is the JSON alone
    assert status == 0 and len(rows) == 200 and {r["status"] for r in rows} == {"error"}
    [client] = clients
    # a refusal ends the asking at once; a silent host, after its first request's four tries
    assert client.requests == 1 + 1 + 4 + 4 and connections == 4
    stopped = [line for line in err.splitlines() if line.startswith("stopped asking")]
    assert sorted(stopped) == sorted(
        f"stopped asking 127.0.0.1:{port} in this run: {client.unreachable[f'127.0.0.1:{port}']}"
        for port in ports.values()
    )
    assert f"stopped asking 127.0.0.1:{crossref} in this run: cannot connect (ConnectError: " in err
    shown = [line for line in err.splitlines() if line.startswith("verify ")]
    assert shown[-1] == "verify 200/200" and 10 <= len(shown) <= 11
    assert "not asked again, it could not be reached earlier" in rows[-1]["message"]


@pytest.mark.parametrize("dead", ["refused", "silent"])
def test_fetch_with_no_network_asks_once_and_never_says_nothing_to_fetch(
    dead: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clients: list[Client],
) -> None:
    project = base_project(tmp_path)
    page = project / "docs" / "sections" / "beta.md"
    cites = " ".join(f"[@doi:10.5555/work{n}]" for n in range(30))
    page.write_text(page.read_text(encoding="utf-8") + f"\nBy identifier: {cites}.\n", encoding="utf-8")
    with _silent(accept=True) as (silent, _accepted):
        port = _refused_port() if dead == "refused" else silent
        monkeypatch.setenv("LITREVIEW_DOI_URL", f"http://127.0.0.1:{port}")
        monkeypatch.chdir(project)
        status = main(["fetch"])
    out, err = capsys.readouterr()
    [client] = clients
    assert status == 1 and client.requests == (1 if dead == "refused" else 4)
    assert out.splitlines()[-1] == (
        "fetched nothing: 30 identifier(s) could not be fetched (references.lock.json unchanged)"
    )
    assert "nothing to fetch" not in out + err
    assert err.count("stopped asking") == 1 and f"stopped asking 127.0.0.1:{port} in this run: " in err


def test_add_with_no_network_asks_once_and_says_so(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clients: list[Client],
) -> None:
    project = base_project(tmp_path)
    before = (project / "refs.bib").read_bytes()
    port = _refused_port()
    monkeypatch.setenv("LITREVIEW_DOI_URL", f"http://127.0.0.1:{port}")
    monkeypatch.chdir(project)
    assert main(["add", "10.5555/one", "10.5555/two", "10.5555/three"]) == 1
    err = capsys.readouterr().err
    [client] = clients
    assert client.requests == 1 and err.count("[FET001]") == 3
    assert (
        err.count("stopped asking") == 1
        and f"stopped asking 127.0.0.1:{port} in this run: cannot connect" in err
    )
    assert (project / "refs.bib").read_bytes() == before


class _Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.mark.parametrize("total", [1, 3, 7, 10, 37, 200, 1000])
def test_progress_in_a_log_is_a_line_a_tenth_after_the_first_seconds(total: int) -> None:
    now = [0.0]
    client = Client()
    stream = _Stream(terminal=False)
    shown = progress.Progress("verify", client, stream, clock=lambda: now[0])
    for done in range(1, total + 1):
        now[0] = done * 10.0 / total  # the whole run: 10 s
        if done == (total + 1) // 2:
            client.unreachable["doi.org"] = "cannot connect (ConnectError: no route)"
        shown(done, total)
    shown.end()
    lines = stream.getvalue().splitlines()
    counts = [line for line in lines if line.startswith("verify ")]
    assert counts[-1] == f"verify {total}/{total}" and len(counts) <= 11
    assert all(int(c.split()[1].split("/")[0]) * 10.0 / total >= progress.AFTER for c in counts)
    assert lines.count("stopped asking doi.org in this run: cannot connect (ConnectError: no route)") == 1


def test_progress_on_a_terminal_is_one_line_redrawn() -> None:
    now = [0.0]
    client = Client()
    stream = _Stream(terminal=True)
    shown = progress.Progress("fetch", client, stream, clock=lambda: now[0])
    for done in range(1, 21):
        now[0] = float(done)
        if done == 10:
            client.unreachable["export.arxiv.org"] = "no answer within 10 s in 4 tries"
        shown(done, 20)
    shown.end()
    text = stream.getvalue()
    assert text.count("\n") == 2 and text.endswith("\rfetch 20/20\n")
    assert "\rfetch 3/20" in text and "fetch 2/20" not in text  # silent for the first seconds
    assert "stopped asking export.arxiv.org in this run: no answer within 10 s in 4 tries\n" in text


def test_a_quick_run_says_nothing() -> None:
    stream = _Stream(terminal=True)
    shown = progress.Progress("verify", Client(), stream, clock=lambda: 0.0)
    for done in range(1, 101):
        shown(done, 100)
    shown.end()
    assert stream.getvalue() == ""
