"""Polite HTTP for the metadata sources: a User-Agent that names the tool, a 10 s timeout to
connect and for each read, and a deadline for the whole answer (30 s; ``LITREVIEW_HTTP_DEADLINE``
sets it), at most 10 MiB of an answer read, a minimum interval per host, and retries that honour
``Retry-After``.

Crossref asks for a ``mailto`` (its polite pool), NCBI for at most three requests a second
without a key, arXiv for one request every three seconds. A source that keeps failing is an
error with the reason, never a hang and never a traceback.

A host that cannot be reached (refused, unknown, a connection that times out, or a server
that never sent a byte of any answer) is not asked again in the same run: with no network,
a 200-entry verify would otherwise spend an hour on retries that cannot succeed.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from ..project.exchange import MIB, Answer, AnswerTooLarge, Loop, exchange
from ..site.external import retry_after

RETRY_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "litreview/1 (+https://github.com/litreview/spinal-neuropathic-pain)"


class FetchError(Exception):
    """A source could not answer: the message says which and why."""


@dataclass
class Client:
    """One fetch's HTTP: shared connections, the last request time per host."""

    mailto: str = ""
    timeout: float = 10.0
    """Seconds for each read (each part of the answer, or of the request): a silent server is retried."""
    connect_timeout: float = 10.0
    """Seconds to connect. Apart from ``timeout`` because a connection that times out marks its
    host unreachable for the run: a shortened read timeout must not drop a host that is slow to
    accept on a busy machine."""
    deadline: float = 30.0
    """Seconds for a whole answer, however fast its bytes come: a server this slow is not retried."""
    limit: int = 10 * MIB
    """The most of an answer read: a metadata record is a few kilobytes."""
    retries: int = 3
    max_wait: float = 60.0
    """The longest ``Retry-After`` obeyed; a source asking for more is reported, not waited for."""
    intervals: dict[str, float] = field(default_factory=dict)
    """Minimum seconds between two requests to a host (by host name)."""
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0
    unreachable: dict[str, str] = field(default_factory=dict)
    """Hosts (``host`` or ``host:port``) not asked again in this run, each with why."""
    transport: httpx.AsyncBaseTransport | None = None
    """Tests: an in-process transport instead of sockets."""
    _answered: set[str] = field(default_factory=set)
    _last: dict[str, float] = field(default_factory=dict)
    _http: httpx.AsyncClient | None = None
    _loop: Loop | None = None

    async def _exchange(self, url: str, params: dict[str, str] | None, headers: dict[str, str]) -> Answer:
        if self._http is None:  # made on the loop's thread, where it is used
            agent = USER_AGENT + (f" mailto:{self.mailto}" if self.mailto else "")
            self._http = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
                headers={"User-Agent": agent},
                transport=self.transport,
            )
        async with asyncio.timeout(self.deadline):
            return await exchange(self._http, "GET", url, params=params, headers=headers, limit=self.limit)

    def close(self) -> None:
        """Close the connections (a fetch ends)."""
        if self._loop is not None:
            if self._http is not None:
                self._loop.run(self._http.aclose())
            self._loop.close()
        self._http, self._loop = None, None

    def _pace(self, url: str) -> None:
        host = _host(url)
        wait = self._last.get(host, -1e9) + self.intervals.get(host, 0.0) - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last[host] = time.monotonic()

    def _attempt(
        self, url: str, params: dict[str, str] | None, headers: dict[str, str]
    ) -> tuple[Answer | None, str]:
        """One try: the answer, or None and why it is worth another; :class:`FetchError` if not."""
        if self._loop is None:
            self._loop = Loop()
        try:
            answer = self._loop.run(self._exchange(url, params, headers))
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # refused, unknown host, no route
            reason = f"cannot connect ({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})"
            self.unreachable[_place(url)] = reason
            raise FetchError(f"{_host(url)}: {reason}") from None
        except httpx.TimeoutException:
            return None, f"no answer within {self.timeout:g} s"
        except TimeoutError:  # the deadline: a server this slow is as slow the next time
            raise FetchError(f"{_host(url)}: no whole answer within {self.deadline:g} s") from None
        except AnswerTooLarge as exc:
            raise FetchError(f"{_host(url)}: {exc}") from None
        except (httpx.InvalidURL, UnicodeError) as exc:  # a malformed base URL, a host name IDNA refuses
            raise FetchError(f"cannot ask {url!r}: {exc}") from None
        except httpx.HTTPError as exc:  # it spoke, if badly: reachable
            self._answered.add(_place(url))
            return None, f"cannot connect ({type(exc).__name__})"
        self._answered.add(_place(url))
        return answer, ""

    def get(self, url: str, params: dict[str, str] | None = None, accept: str = "") -> Answer:
        """The answer (any status but a retried one), or :class:`FetchError` saying why not."""
        headers = {"Accept": accept} if accept else {}
        try:  # a host name IDNA refuses never reaches name resolution
            _host(url).encode("idna")
        except UnicodeError as exc:
            raise FetchError(f"cannot ask {url!r}: {exc}") from None
        earlier = self.unreachable.get(_place(url))
        if earlier is not None:
            raise FetchError(f"{_host(url)}: not asked again, it could not be reached earlier ({earlier})")
        problem = ""
        for attempt in range(self.retries + 1):
            self._pace(url)
            self.requests += 1
            response, problem = self._attempt(url, params, headers)
            wait = None
            if response is not None:
                if response.status_code not in RETRY_STATUSES:
                    return response
                problem = f"HTTP {response.status_code}"
                wait = retry_after(response.headers.get("Retry-After"), time.time())
                if wait is not None and wait > self.max_wait:
                    raise FetchError(f"{_host(url)} asks to wait {wait:.0f} s ({problem}); try later")
            if attempt < self.retries:
                self.sleep(wait if wait is not None else 0.5 * 2**attempt)
        if _place(url) not in self._answered:  # every try timed out, and no earlier request was answered
            self.unreachable[_place(url)] = f"{problem} in {self.retries + 1} tries"
        raise FetchError(f"{_host(url)}: {problem} after {self.retries + 1} tries")


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:  # a malformed base URL: httpx says what is wrong with it
        return url


def _place(url: str) -> str:
    """Where a request goes: the host, with the port if the URL names one."""
    try:
        parts = urlsplit(url)
        return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname or url
    except ValueError:
        return url


def base_url(source: str, default: str) -> str:
    """A source's base URL: ``LITREVIEW_<SOURCE>_URL`` (tests, institutional mirrors) or the real one."""
    return os.environ.get(f"LITREVIEW_{source.upper()}_URL", default).rstrip("/")
