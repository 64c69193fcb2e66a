"""Print the composed document to PDF with Chromium, through Playwright.

Chromium gives what the PDF plugins of MkDocs lack: bookmarks from the headings (``outline``,
with a tagged PDF), page numbers in a footer, links that work (to the reference list within
the file, and to the web), embedded fonts. The browser loads nothing but the document and
the site's own files (never a file outside the built folder, even through a symlink): every
other request is refused, so the PDF is made offline and prints nothing from the machine.

Both Playwright and a Chromium are optional. :func:`find` says which Chromium will be used,
or why none can be; the build then goes on without the PDF and says how to install one.
"""

from __future__ import annotations

import functools
import glob
import importlib.metadata
import mimetypes
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..files import atomic

if TYPE_CHECKING:
    from playwright.sync_api import PdfMargins

#: Where the printed document seems to be: no such host is ever asked (every request is
#: answered from the built site or refused), and no web page may load a ``file://``.
ORIGIN = "http://litreview.print.invalid/"
#: Paper sizes a review can choose (``pdf_paper``), as Chromium names them.
PAPERS = ("A4", "Letter")
INSTALL = (
    "pip install 'mkdocs-litreview[pdf]' and a Chromium (apt-get install chromium-headless-shell, or "
    "playwright install chromium); LITREVIEW_CHROMIUM names any other Chromium-based browser"
)
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_DATES = re.compile(rb"/(CreationDate|ModDate) \((D:[^)]*)\)")
#: The headless shell first: Playwright's own choice for headless work, the same Blink, and about
#: 30% less CPU a page than the full browser's headless mode (the same PDF, pixel for pixel).
_CANDIDATES = (
    "chromium-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
_FOOTER = (
    '<div style="font: 8pt sans-serif; width: 100%; text-align: center; color: #444;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
_HEADER = "<span></span>"
_MARGIN: PdfMargins = {"top": "18mm", "bottom": "20mm", "left": "18mm", "right": "18mm"}


@functools.cache
def settings() -> str:
    """How every print is made, besides its document and paper, for a kept print's key: the
    printing code itself (this module, whose every option counts) and Playwright's version."""
    return f"{Path(__file__).read_bytes().hex()} playwright {importlib.metadata.version('playwright')}"


@dataclass(frozen=True)
class Engine:
    """A Chromium to print with: its path, or ``""`` for Playwright's own download."""

    executable: str


def find() -> Engine | str:
    """The Chromium to use, or why there is none (the message says how to get one)."""
    try:
        import bs4  # noqa: F401  # only a check that the pdf extra is installed
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed"
    named = os.environ.get("LITREVIEW_CHROMIUM", "")
    if named:
        return Engine(named) if os.access(named, os.X_OK) else f"LITREVIEW_CHROMIUM={named} is not a program"
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return Engine(found)
    home = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache" / "ms-playwright")
    if glob.glob(os.path.join(home, "chromium*", "*", "chrome")):
        return Engine("")
    return "no Chromium found"


def print_pdf(engine: Engine, document: str, folder: Path, out: Path, paper: str) -> int:
    """Print ``document`` (links and images relative to ``folder``) to ``out``, atomically;
    return its number of pages (the build times the whole step, composing included)."""
    return write_pdf(out, print_document(engine, document, folder, paper))


def write_pdf(out: Path, printed: bytes) -> int:
    """Write a print to ``out`` atomically, dated as :func:`_dated` says; its number of pages."""
    atomic.write_bytes(out, _dated(printed))
    return len(_PAGE.findall(printed))


def print_document(
    engine: Engine, document: str, folder: Path, paper: str, requests: dict[str, str] | None = None
) -> bytes:
    """The PDF of ``document`` as Chromium prints it, its dates as printed. Each request the
    browser made is put in ``requests``, with how it was answered (:func:`.kept.answered`).

    The document is served from an address of its own (:data:`ORIGIN`), never from
    ``file://``: Chromium then refuses every ``file://`` a page names, and each request is
    answered here, from ``folder`` alone (:func:`site_file`), or refused. Scripts are off.
    """
    from playwright.sync_api import Route, sync_playwright

    from .kept import answered

    site = folder.resolve()
    name = f".litreview-print-{os.getpid()}.html"
    source = site / name
    source.write_text(document, encoding="utf-8")
    asked = {} if requests is None else requests
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=engine.executable or None)
            try:
                context = browser.new_context(java_script_enabled=False, service_workers="block")
                page = context.new_page()

                def site_only(route: Route) -> None:
                    url = route.request.url
                    found = site_file(site, url)
                    body = None if found is None else found.read_bytes()
                    if url != ORIGIN + name:  # the document itself is in the print's key
                        asked[url] = answered(body)
                    if found is None or body is None:
                        route.abort("accessdenied")
                    else:
                        route.fulfill(status=200, body=body, content_type=_type(found))

                context.route("**/*", site_only)
                page.goto(ORIGIN + name, wait_until="load")
                page.emulate_media(media="print")
                return page.pdf(
                    format=paper,
                    outline=True,
                    tagged=True,
                    print_background=True,
                    display_header_footer=True,
                    header_template=_HEADER,
                    footer_template=_FOOTER,
                    margin=_MARGIN,
                )
            finally:
                browser.close()
    finally:
        source.unlink(missing_ok=True)


def site_file(site: Path, url: str) -> Path | None:
    """The file of the built ``site`` (resolved) that ``url`` names, or None: an address
    other than :data:`ORIGIN`, a path that leaves the site (``..``, a symlink pointing out,
    once every link is followed), or no such file."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != ORIGIN:
        return None
    try:
        found = (site / unquote(parts.path).lstrip("/")).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the path
        return None
    return found if found.is_relative_to(site) and found.is_file() else None


def _type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _dated(data: bytes) -> bytes:
    """Under ``SOURCE_DATE_EPOCH`` the PDF's dates are that time, so two builds are byte-identical.

    The new date has the old one's length (``D:YYYYMMDDHHmmSS+00'00'``), so every byte offset
    in the file's cross-reference table stays right.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return data
    stamp = time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(int(epoch))).encode()

    def replace(m: re.Match[bytes]) -> bytes:
        return b"/" + m[1] + b" (" + stamp + b")" if len(m[2]) == len(stamp) else m[0]

    return _DATES.sub(replace, data)
