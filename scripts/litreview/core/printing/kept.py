"""The last PDF printed, kept in the cache with what it was printed from (issue 30).

Printing starts Chromium and lays out the whole review: most of a build with ``pdf: true``.
What a print reads is known exactly: the document composed from the built pages, and the files
Chromium asks for (each request is answered from the built site or refused, :mod:`.engine`). So
the record holds a digest of the document, the paper and the browser, and each request with a
digest of what it was answered with ("" for a refusal). A later build copies the kept PDF only
while every one of these is the same; a file that appeared where one was refused prints the
review again too.

The browser and the fonts are part of the key (:mod:`.environment`). The record and the kept
file are untrusted input: a record of the wrong shape, a kept file that is not a regular file of
a print's size, whose bytes are not the ones recorded, or that holds anything a viewer runs
(:mod:`.inert_pdf`), is a miss, and the review is printed again.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeGuard

from ..references.cache import DiskCache, digest, read_data
from . import environment
from .inert_pdf import is_inert

_RECORD = "pdf.json"
_DIGEST = re.compile(r"[0-9a-f]{32}")
_ANSWER = re.compile(r"(?:[0-9a-f]{32})?")
#: More requests than this in a record: not one we wrote (a review's print asks for a few dozen).
_MAX_REQUESTS = 10_000
#: A kept print larger than this is not one we wrote (this review's is 136 KB).
_MAX_PDF_BYTES = 256 * 1024 * 1024


def print_key(document: str, paper: str, executable: str, settings: str) -> str:
    """What a print depends on besides the files it asks for: the document, the paper, how it
    is printed (``settings``), the browser and the fonts (:mod:`.environment`)."""
    machine = f"{environment.browser(executable)}\0{environment.fonts()}"
    return digest(document.encode(), paper.encode(), settings.encode(), machine.encode())


def answered(body: bytes | None) -> str:
    """How a request was answered, as the record keeps it: the body's digest, or "" (refused)."""
    return "" if body is None else digest(body)


class KeptPrint:
    """The cache's one kept PDF and its record."""

    def __init__(self, disk: DiskCache) -> None:
        self.disk = disk
        self.record = disk.directory / _RECORD

    def find(self, key: str, answer: Callable[[str], bytes | None]) -> bytes | None:
        """The PDF last printed under ``key``, if each request that print made would be answered
        alike now (``answer(url)``: the bytes, or None if refused); else None."""
        data = read_data(self.record)
        if data is None or data.get("key") != key:
            return None
        requests, name = data.get("requests"), data.get("pdf")
        if not isinstance(name, str) or not _DIGEST.fullmatch(name) or not _is_requests(requests):
            return None
        if any(answered(answer(url)) != was for url, was in requests.items()):
            return None
        path = self._file(name)
        try:
            found = os.lstat(path)  # the file itself: a link may point anywhere, a FIFO never ends
            if not stat.S_ISREG(found.st_mode) or found.st_size > _MAX_PDF_BYTES:
                return None
            printed = path.read_bytes()
        except OSError:
            return None
        if digest(printed) != name or not is_inert(printed):
            return None
        return printed

    def keep(self, key: str, requests: dict[str, str], printed: bytes) -> None:
        """Keep ``printed`` with its key and requests, in place of the last one."""
        name = digest(printed)
        path = self._file(name)
        if self.disk.write_bytes(path, printed):
            self.disk.prune("pdf", path, suffix=".pdf")  # one kept print, the record written or not
            self.disk.write(self.record, {"key": key, "requests": requests, "pdf": name})

    def _file(self, name: str) -> Path:
        return self.disk.directory / f"pdf-{name}.pdf"


def _is_requests(value: object) -> TypeGuard[dict[str, str]]:
    return (
        isinstance(value, dict)
        and len(value) <= _MAX_REQUESTS
        and all(isinstance(k, str) and isinstance(v, str) and _ANSWER.fullmatch(v) for k, v in value.items())
    )
