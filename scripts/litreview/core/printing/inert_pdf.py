"""Is a kept PDF of the inert form Chromium prints? (issue 30: the cache is untrusted input.)

Anyone who can write the cache folder can write a kept print and its record. As a formatted
entry read from the cache must be HTML of the few forms a formatter writes, a kept PDF is copied
into the site only if it is laid out as Chromium (Skia) lays out a print, and holds nothing a
viewer runs or opens: no script, no action but a link (to an address of any scheme but
``javascript:``, ``vbscript:``, ``data:`` and ``file:``) or a jump within the file, no form,
embedded file, media, 3D or encryption.

The layout is checked, not searched for bad words: a viewer finds objects through the one
cross-reference table at the end, so every object must be where that table says, the objects
must fill the file between the header and the table with nothing else, and each stream must be
exactly as long as it says, Flate data that inflates whole or a photograph (DCT). Then every
byte a viewer reads as objects is outside the streams, and that text is what the names are
checked in (unescaped from ``#xx``). Object streams and cross-reference streams, which would
put objects inside compressed data, and incremental updates are refused.
"""

from __future__ import annotations

import re
import zlib

_HEAD = re.compile(rb"%PDF-1\.[0-7]\n%[\x80-\xff]{4}\n")
_TAIL = re.compile(rb"trailer\n(<<[^\x00]*?>>)\nstartxref\n(\d+)\n%%EOF\n?\Z")
_XREF = re.compile(rb"xref\n0 (\d+)\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([fn]) \n")
_OBJECT = re.compile(rb"(\d+) 0 obj\n(.*)\nendobj\n\Z", re.S)
_LENGTH = re.compile(rb"/Length(?![A-Za-z0-9.#_-])\s*(\d*)")
_FILTER = re.compile(rb"/Filter(?![A-Za-z0-9.#_-])")
#: In a stream's bytes: what a viewer repairing a file's table would take for an object or a
#: trailer (a stored deflate block or a photograph's comment can hold any bytes).
_HIDDEN = re.compile(rb"\d[\s\x00]+\d+[\s\x00]+obj|trailer|startxref")  # NUL is whitespace to viewers
_INERT_FILTER = re.compile(rb"/Filter /(FlateDecode|DCTDecode)(?![A-Za-z0-9.#_-])")
_ROOT = re.compile(rb"/Root (\d+) 0 R(?![\d.])")
_CATALOG = re.compile(rb"<</Type /Catalog(?![A-Za-z0-9.#_-])")
_SIZE = re.compile(rb"/Size (\d+)(?![\d.])")
_PAGES = re.compile(rb"/Pages (\d+) 0 R(?![\d.])")
_PAGES_TYPE = re.compile(rb"<</Type /Pages(?![A-Za-z0-9.#_-])")
_REFERENCE = re.compile(rb"(?<![\d.])(\d+)[\s\x00]+(\d+)[\s\x00]+R(?![A-Za-z0-9.#_-])")
#: Names of what a viewer runs or opens, and of the layouts that hide objects from this check.
_ACTIVE = re.compile(
    rb"/(?:JavaScript|JS|OpenAction|AA|Launch|Named|SetOCGState|Hide|SubmitForm|ResetForm|"
    rb"ImportData|GoToR|GoToE|GoTo3DView|Rendition|Movie|Sound|Trans|Thread|RichMedia|"
    rb"RichMediaExecute|3D|3DD|Screen|Widget|FileAttachment|EmbeddedFiles?|XFA|AcroForm|Encrypt|"
    rb"Collection)(?![A-Za-z0-9.#_-])"
    rb"|/(?:ObjStm|XRef)"  # as a prefix too: a viewer rebuilding the table takes /XRef0 for /XRef
)
#: An outline item's next item, or, beside an action (``/A``, ``/S``), the action run after it.
_NEXT = re.compile(rb"/Next(?![A-Za-z0-9.#_-])")
_ACTION = re.compile(rb"/(?:A|S)(?![A-Za-z0-9.#_-])")
#: In the trailer: an earlier revision of the file (an incremental update).
_PREV = re.compile(rb"/Prev(?![A-Za-z0-9.#_-])")
#: In a stream's dictionary: data in another file, or decoded by more than the filter says.
_STREAM_ONLY = re.compile(rb"/(?:F|FFilter|FDecodeParms|DecodeParms|DP)(?![A-Za-z0-9.#_-])")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_URI = re.compile(rb"/URI(?![A-Za-z0-9])\s*")
#: ``/S /URI`` ends here: ``/URI`` is the action's kind, not its address.
#: After ``/URI`` as the action's kind (``/S /URI``) comes the address's key, as Chromium writes
#: it, or the dictionary's end; any other ``/URI`` is a key, and its value is checked.
_KIND_THEN_KEY = re.compile(rb"/URI(?![A-Za-z0-9.#_-])|>>")
_EOL = re.compile(rb"[\r\n]")
_LITERAL = re.compile(rb"\(((?:[^()\\]|\\.)*)\)", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\n|\r\n?|.)", re.S)
_SCHEME = re.compile(rb"[\x00-\x20]*([A-Za-z][A-Za-z0-9+.\-]*):")
_UNSAFE_SCHEMES = {b"javascript", b"vbscript", b"data", b"file"}
#: Decompressed, a print's streams are a few times its size; more than this is not a print.
_MAX_OUT = 512 * 1024 * 1024


def is_inert(data: bytes) -> bool:
    """True when ``data`` is laid out as Chromium prints and holds nothing a viewer runs."""
    head, tail = _HEAD.match(data), _TAIL.search(data)
    if head is None or tail is None:
        return False
    table, trailer = int(tail[2]), _NAME_ESCAPE.sub(_byte, tail[1])
    offsets = _offsets(data, table, tail.start())
    if (
        offsets is None
        or not _inert_text(trailer)
        or _PREV.search(trailer)
        or not _whole(data, trailer, offsets)
    ):
        return False
    at, budget = head.end(), _MAX_OUT
    ordered = sorted(offsets.items(), key=lambda item: item[1])
    for i, (number, offset) in enumerate(ordered):
        if offset != at:
            return False  # bytes no object holds, or objects that overlap
        at = ordered[i + 1][1] if i + 1 < len(ordered) else table
        inflated = _object(data[offset:at], number, offsets)
        if inflated is None:
            return False
        budget -= inflated
        if budget < 0:
            return False
    return at == table


def _whole(data: bytes, trailer: bytes, offsets: dict[int, int]) -> bool:
    """The trailer names the table's size and a catalog among its objects, so no viewer has
    cause to rebuild the table by reading every byte (stream data too) for objects."""
    size, root = _SIZE.findall(trailer), _ROOT.findall(trailer)
    if size != [str(max(offsets, default=0) + 1).encode()] or len(root) != 1 or int(root[0]) not in offsets:
        return False
    at = offsets[int(root[0])] + len(b"%s 0 obj\n" % root[0])
    catalog = _CATALOG.match(data, at)
    pages = _PAGES.search(data, at, data.find(b"\nendobj\n", at)) if catalog else None
    if pages is None or int(pages[1]) not in offsets:
        return False
    return _PAGES_TYPE.match(data, offsets[int(pages[1])] + len(b"%s 0 obj\n" % pages[1])) is not None


def _refers_within(text: bytes, offsets: dict[int, int]) -> bool:
    """Every object ``text`` names is in the table: a missing one makes viewers rebuild the table
    by reading every byte (stream data too) for objects."""
    return all(
        generation == b"0" and int(number) in offsets for number, generation in _REFERENCE.findall(text)
    )


def _offsets(data: bytes, table: int, trailer: int) -> dict[int, int] | None:
    """The cross-reference table's objects in use (number → offset), read whole, or None."""
    head = _XREF.match(data, table)
    if head is None:
        return None
    count, at, offsets = int(head[1]), head.end(), {}
    for number in range(count):
        entry = _ENTRY.match(data, at)
        if entry is None:
            return None
        at = entry.end()
        if entry[3] == b"n":
            if entry[2] != b"00000":
                return None
            offsets[number] = int(entry[1])
    return offsets if at == trailer else None


def _object(chunk: bytes, number: int, offsets: dict[int, int]) -> int | None:
    """How many bytes the object's stream inflates to (0 if none), or None: not an inert object."""
    found = _OBJECT.match(chunk)
    if found is None or int(found[1]) != number:
        return None
    body = found[2]
    end = _dict_end(body) if body.startswith(b"<<") else None
    if end is None or end == len(body):  # not a dictionary, or one with no stream
        plain = _NAME_ESCAPE.sub(_byte, body)
        return 0 if b"stream" not in body and _inert_text(plain) and _refers_within(body, offsets) else None
    if not body.startswith(b" stream\n", end) or not body.endswith(b"\nendstream"):
        return None
    head = _NAME_ESCAPE.sub(_byte, body[:end])
    data = body[end + len(b" stream\n") : -len(b"\nendstream")]
    lengths, kinds = _LENGTH.findall(head), _INERT_FILTER.findall(head)
    if lengths != [str(len(data)).encode()] or len(kinds) != 1 or len(_FILTER.findall(head)) != 1:
        return None  # a length or a filter not given once, as Chromium gives them
    if (
        not _inert_text(head)
        or _STREAM_ONLY.search(head)
        or _HIDDEN.search(data)
        or not _refers_within(head, offsets)
    ):
        return None
    if kinds[0] == b"DCTDecode":
        return len(data)
    inflate = zlib.decompressobj()
    try:
        out = inflate.decompress(data, _MAX_OUT)
        out += inflate.flush()
    except zlib.error:  # damaged data a viewer might still read: not a print
        return None
    return len(out) if inflate.eof and not inflate.unused_data and not inflate.unconsumed_tail else None


def _dict_end(text: bytes) -> int | None:
    """Where the dictionary ``text`` starts with ends, read as a viewer reads it: ``>>`` in a
    string, a hex string or a comment does not end it, nor does a nested dictionary's."""
    depth, at, size = 0, 0, len(text)
    while at < size:
        two, one = text[at : at + 2], text[at : at + 1]
        if two == b"<<" or two == b">>":
            depth += 1 if two == b"<<" else -1
            at += 2
            if depth == 0:
                return at
        elif one == b"(":
            at = _string_end(text, at)
        elif one == b"<":
            at = text.find(b">", at) + 1 or size
        elif one == b"%":
            line_end = _EOL.search(text, at)
            at = line_end.start() if line_end else size
        else:
            at += 1
    return None


def _string_end(text: bytes, at: int) -> int:
    """The index after the literal string that starts at ``at`` (nested parentheses, escapes)."""
    depth, size = 0, len(text)
    while at < size:
        char = text[at : at + 1]
        if char == b"\\":
            at += 2
            continue
        depth += 1 if char == b"(" else -1 if char == b")" else 0
        at += 1
        if depth == 0:
            return at
    return size


def _inert_text(unescaped: bytes) -> bool:
    """No name of something a viewer runs or opens, and every link's address a safe one
    (``unescaped``: the text with its names' ``#xx`` escapes read, as a viewer reads them)."""
    if _ACTIVE.search(unescaped) or (_NEXT.search(unescaped) and _ACTION.search(unescaped)):
        return False
    for m in _URI.finditer(unescaped):
        if _KIND_THEN_KEY.match(unescaped, m.end()):
            continue  # /S /URI: the action's kind, then its address's key (or the end)
        value = _LITERAL.match(unescaped, m.end())
        if value is None:
            return False  # a name, a hex string, a reference: not as Chromium writes an address
        address = _ESCAPE.sub(_unescape, value[1])
        if address.startswith((b"\xfe\xff", b"\xff\xfe")):
            address = address.decode("utf-16", "replace").encode("utf-8", "replace")
        scheme = _SCHEME.match(address.translate(None, b"\t\n\r"))
        if scheme is not None and scheme[1].lower() in _UNSAFE_SCHEMES:
            return False
    return True


def _byte(m: re.Match[bytes]) -> bytes:
    return bytes([int(m[1], 16)])


def _unescape(m: re.Match[bytes]) -> bytes:
    escape = m[1]
    if escape[:1].isdigit():
        return bytes([int(escape, 8) & 0xFF])
    if escape[:1] in (b"\n", b"\r"):
        return b""
    return {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(escape, escape)
