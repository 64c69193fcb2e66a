"""One HTTP exchange a server cannot stretch or swell: redirects followed without reading
their bodies, the answer's body read up to a cap (or not at all), under the caller's deadline.

httpx's timeout bounds each read, not the whole answer, so a server sending a byte every
few seconds holds a request for ever; and it reads a redirect's body whole before following
it. The callers (the metadata sources' client, the external link check) run this inside
``asyncio.timeout``, which bounds connecting, the headers and the body together.
"""

from __future__ import annotations

import asyncio
import codecs
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

MIB = 1024 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 20
T = TypeVar("T")


class AnswerTooLarge(Exception):
    """The answer's body is larger than the cap: the rest was not read."""


@dataclass(frozen=True)
class Answer:
    """What a server answered: status, headers, the final URL, the body as far as it was read."""

    status_code: int
    headers: httpx.Headers
    url: str
    content: bytes = b""
    charset: str = "utf-8"
    redirects: tuple[int, ...] = ()
    """The status of each redirect followed on the way, in order."""

    @property
    def text(self) -> str:
        """The body as text, in the charset the server named (UTF-8 if none or an unknown one)."""
        try:
            codecs.lookup(self.charset)
        except LookupError:
            return self.content.decode("utf-8", errors="replace")
        return self.content.decode(self.charset, errors="replace")


async def _body(response: httpx.Response, limit: int) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > limit:
            raise AnswerTooLarge(f"answer larger than {limit / MIB:g} MiB")
    return bytes(body)


async def exchange(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    limit: int | None = None,
) -> Answer:
    """``method url``, following redirects (their bodies unread); the final body read up to
    ``limit`` bytes (:class:`AnswerTooLarge` beyond), or not at all if ``limit`` is None.
    ``client`` must not follow redirects itself."""
    request = client.build_request(method, url, params=params, headers=headers)
    hops: list[int] = []
    while True:
        response = await client.send(request, stream=True)
        try:
            location = response.headers.get("Location")
            if response.status_code in REDIRECTS and location is not None:
                if len(hops) >= MAX_REDIRECTS:
                    raise httpx.TooManyRedirects("too many redirects", request=request)
                hops.append(response.status_code)
                target = response.url.join(location)
                if target.scheme not in ("http", "https"):
                    raise httpx.InvalidURL(f"redirect to a {target.scheme or 'relative'}: URL")
                method = "GET" if response.status_code == 303 and method != "HEAD" else method
                request = client.build_request(method, target, headers=headers)
                continue
            content = await _body(response, limit) if limit is not None else b""
            return Answer(
                response.status_code,
                response.headers,
                str(response.url),
                content,
                response.charset_encoding or "utf-8",
                tuple(hops),
            )
        finally:
            await response.aclose()


class Loop:
    """An event loop in a daemon thread, so synchronous code can run bounded exchanges
    (``asyncio.timeout`` cancels a read in progress; a socket timeout cannot be shortened)."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="litreview-http")
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """The coroutine's result (or exception), run on the loop's thread."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result()

    def close(self) -> None:
        """Stop the loop and its thread."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
