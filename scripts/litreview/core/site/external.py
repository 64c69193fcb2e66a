"""Check external URLs politely: HEAD then GET, per-host limits, Retry-After, a success cache.

Publishers rate-limit and some refuse HEAD, so each host gets a few connections at most and
a minimum interval between requests; a 429 or 503 is retried after the time the server
asks for (up to a cap). Only successes are cached, with an age limit, so a broken link is
re-checked on every run and a fixed one stops being reported at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import json
import time
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..files import atomic, jsonfile
from ..project.exchange import Answer, exchange

RETRY_STATUSES = {429, 503}
HEAD_REFUSED = {403, 405, 501}  # servers that answer HEAD wrongly; GET tells the truth


@dataclass(frozen=True)
class ExternalCheckOptions:
    """How politely external links are checked: timeouts, limits, retries, cache."""

    timeout: float = 10.0
    """Seconds for a whole response (connect, headers, everything), not for each read."""
    total: int = 16
    """Requests in flight at once across all hosts: many hosts must not mean many sockets."""
    per_host: int = 2
    interval: float = 0.5
    """Minimum seconds between the starts of two requests to one host."""
    retries: int = 2
    max_retry_after: float = 60.0
    max_age: float = 7 * 24 * 3600
    """How long a success stays trusted in the cache, in seconds."""
    user_agent: str = "litreview-linkcheck (+https://github.com/litreview/spinal-neuropathic-pain)"


@dataclass(frozen=True)
class Result:
    """One URL's outcome, with the status or the reason it could not be checked."""

    url: str
    ok: bool
    status: str
    moved_to: str = ""
    """Set when the URL redirects permanently: the link should be updated."""
    cached: bool = False
    checked: bool = True
    """False when the server would not answer yet (rate limited): neither fine nor broken."""


class SuccessCache:
    """URL → time of the last success, as JSON; failures are never written."""

    def __init__(self, path: Path | None, max_age: float, now: float | None = None) -> None:
        self.path, self.max_age = path, max_age
        self.now = time.time() if now is None else now
        self.entries: dict[str, float] = {}
        self.trouble = ""
        if path is not None and path.is_file():
            try:
                data = jsonfile.loads(path.read_text(encoding="utf-8"))
                self.entries = {str(k): float(v) for k, v in data.get("ok", {}).items()}
            except (ValueError, AttributeError, TypeError, OSError):
                self.entries = {}  # a damaged cache only costs a re-check

    def fresh(self, url: str) -> bool:
        """Was ``url`` found working recently enough to skip it?"""
        checked = self.entries.get(url)
        return checked is not None and self.now - checked <= self.max_age

    def record(self, url: str) -> None:
        """Remember that ``url`` works, as of now."""
        self.entries[url] = self.now

    def forget(self, url: str) -> None:
        """Drop ``url``: it failed, so it is checked next time."""
        self.entries.pop(url, None)

    def save(self) -> None:
        """Write the successes; a cache that can't be written only costs a re-check next time."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(self.path, json.dumps({"ok": dict(sorted(self.entries.items()))}, indent=1))
        except (OSError, atomic.WriteError) as exc:
            self.trouble = str(exc)


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


@dataclass
class _Host:
    semaphore: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


def malformed(url: str) -> str:
    """Why a URL can't be requested at all ('' when it can): a bad port, bracket or host."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for a port that is not a number from 0 to 65535
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        return f"malformed URL: {exc}"
    if not parts.hostname:
        return "malformed URL: no host"
    return ""


class Checker:
    """Checks URLs concurrently within per-host limits; one instance per run."""

    def __init__(
        self, options: ExternalCheckOptions, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.options = options
        self.transport = transport
        self.hosts: dict[str, _Host] = {}
        self.total: asyncio.Semaphore | None = None

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        if key not in self.hosts:
            self.hosts[key] = _Host(asyncio.Semaphore(self.options.per_host))
        return self.hosts[key]

    async def _slot(self, host: _Host) -> None:
        """Wait until this host may receive another request."""
        loop = asyncio.get_running_loop()
        async with host.lock:
            start = max(loop.time(), host.next_start)
            host.next_start = start + self.options.interval
        await asyncio.sleep(max(0.0, start - loop.time()))

    async def _request(self, client: httpx.AsyncClient, method: str, url: str) -> Answer:
        """One request whose whole response must arrive within the timeout (a server that
        drips a byte every few seconds never trips a per-read timeout); no body is read,
        the redirects' included (the status is all a link check needs)."""
        async with asyncio.timeout(self.options.timeout):
            return await exchange(client, method, url)

    async def _exchange(self, client: httpx.AsyncClient, host: _Host, url: str) -> Answer:
        assert self.total is not None
        async with host.semaphore, self.total:
            await self._slot(host)
            response = await self._request(client, "HEAD", url)
            if response.status_code in HEAD_REFUSED:
                await self._slot(host)
                response = await self._request(client, "GET", url)
            return response

    async def check(self, client: httpx.AsyncClient, url: str) -> Result:
        """One URL's status, retried on timeouts and on the statuses that ask to wait (Retry-After)."""
        reason = malformed(url)
        if reason:
            return Result(url, False, reason)
        host = self._host(url)
        attempt = 0
        while True:
            try:
                response = await self._exchange(client, host, url)
            except (httpx.TimeoutException, TimeoutError):
                if attempt < self.options.retries:
                    attempt += 1
                    continue
                return Result(url, False, f"timeout after {self.options.timeout:g} s")
            except httpx.InvalidURL as exc:  # e.g. a redirect to javascript: or a bad port
                return Result(url, False, f"malformed URL on the way: {exc}")
            except httpx.HTTPError as exc:
                return Result(url, False, type(exc).__name__)
            code = response.status_code
            if code in RETRY_STATUSES:
                wait = retry_after(response.headers.get("retry-after"), time.time())
                if wait is None:
                    wait = 2.0**attempt
                if attempt < self.options.retries and wait <= self.options.max_retry_after:
                    attempt += 1
                    await asyncio.sleep(wait)
                    continue
                if code == 429 or wait > self.options.max_retry_after:
                    later = f"retry after {wait:g} s" if wait else "rate limited"
                    return Result(url, False, f"{code}, {later}", checked=False)
            ok = 200 <= code < 300
            return Result(url, ok, str(code), moved_to=_permanent_redirect(response))

    async def run(self, urls: Iterable[str]) -> dict[str, Result]:
        """Every URL's status, checked concurrently within the per-host limits."""
        self.total = asyncio.Semaphore(self.options.total)
        headers = {"User-Agent": self.options.user_agent}
        async with httpx.AsyncClient(  # redirects: followed by exchange(), their bodies unread
            timeout=self.options.timeout,
            headers=headers,
            transport=self.transport,
        ) as client:
            unique = list(dict.fromkeys(urls))
            results = await asyncio.gather(*(self.check(client, u) for u in unique))
        return {r.url: r for r in results}


def _permanent_redirect(response: Answer) -> str:
    return response.url if any(status in (301, 308) for status in response.redirects) else ""


def _run(coroutine: Coroutine[Any, Any, dict[str, Result]]) -> dict[str, Result]:
    """asyncio.run, also from a thread that already runs a loop (a notebook, Playwright's sync API)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def check_urls(
    urls: Iterable[str],
    options: ExternalCheckOptions,
    cache: SuccessCache,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, Result]:
    """Check every URL not fresh in the cache; record successes, forget failures."""
    todo: list[str] = []
    results: dict[str, Result] = {}
    for url in dict.fromkeys(urls):
        if cache.fresh(url):
            results[url] = Result(url, True, "cached", cached=True)
        else:
            todo.append(url)
    if todo:
        checked = _run(Checker(options, transport).run(todo))
        for url, result in checked.items():
            if not result.checked:
                pass  # rate limited: what the cache knew stays as it was
            elif result.ok and not result.moved_to:  # keep reporting a moved link until it's updated
                cache.record(url)
            else:
                cache.forget(url)
            results[url] = result
    return results
