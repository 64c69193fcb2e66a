"""Is a kept PDF of the inert form Chromium prints? (issue 30: the cache is untrusted input.)

Anyone who can write the cache folder can write a kept print and its record. As a formatted
entry read from the cache must be HTML of the few forms a formatter writes, a kept PDF is
copied into the site only if it holds nothing a viewer runs or opens: no script, no action
but a link to a web or mail address, no form, embedded file, media or encryption. Chromium's
prints are PDF 1.4 with direct streams, each FlateDecode (or DCTDecode for a photograph) with
no predictor. Anything else is refused, so what is checked is what a viewer reads: names with
``#xx`` escapes are read unescaped, and each compressed stream is read decompressed.
"""

from __future__ import annotations

import re
import zlib

#: Names a viewer acts on, beyond showing the page and following a link.
_ACTIVE = re.compile(
    rb"/(?:JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|FileAttachment|RichMedia|XFA|AcroForm|"
    rb"SubmitForm|ImportData|ResetForm|GoToR|GoToE|Sound|Movie|Rendition|Encrypt|ObjStm|XRefStm|"
    rb"DecodeParms|DP|Collection|Names)(?![A-Za-z0-9.#_-])"
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/<>\[\]()]+)")
_INERT_FILTERS = {b"/FlateDecode", b"[/FlateDecode]", b"/DCTDecode", b"[/DCTDecode]"}
#: ``/URI`` as a key: followed by its value, not by another name (``/S /URI``) or the dict's end.
_URI_KEY = re.compile(rb"/URI(?![A-Za-z0-9])(?=\s*[^\s/>])")
_WEB_URI = re.compile(rb"/URI\s*\((?:https?://|mailto:)")
_STREAM = re.compile(rb"stream\r?\n")
#: Decompressed, a print's streams are a few times its size; more than this is not a print.
_MAX_OUT = 512 * 1024 * 1024


def is_inert(data: bytes) -> bool:
    """True when ``data`` is a PDF of the form Chromium prints, with nothing a viewer runs."""
    return data.startswith(b"%PDF-1.") and _inert(data, [_MAX_OUT], 0)


def _inert(data: bytes, budget: list[int], depth: int) -> bool:
    """``data`` and each stream in it, decompressed from where it starts (as far as zlib reads,
    whatever its stated length; a stream that is no zlib data, a photograph, is read as it is),
    hold no active name, no filter but the two and no link but to the web or mail. Streams in
    streams are read too, to a depth no print has; ``budget`` bounds what is decompressed."""
    unescaped = _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), data)
    if depth > 2 or _ACTIVE.search(unescaped):
        return False
    if any(f.replace(b" ", b"") not in _INERT_FILTERS for f in _FILTER.findall(unescaped)):
        return False
    if not all(_WEB_URI.match(unescaped, m.start()) for m in _URI_KEY.finditer(unescaped)):
        return False
    for m in _STREAM.finditer(data):
        if data[m.start() - 3 : m.start()] == b"end":
            continue
        inflate = zlib.decompressobj()
        try:
            out = inflate.decompress(data[m.end() :], budget[0] + 1)
        except zlib.error:
            continue
        budget[0] -= len(out)
        if budget[0] < 0 or not _inert(out, budget, depth + 1):
            return False
    return True
