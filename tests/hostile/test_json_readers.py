"""Generated JSON of any shape, nesting and types through every reader of JSON litreview did
not just make: the committed lock file and verdict cache, the caches under .cache/litreview
(bibliography, formatted entries, releases), the link check's cache, and the metadata
sources' answers. Each gives data or findings, never an exception (issue 26: a deeply nested
lock file crashed check, fetch and the build; a verdict whose status was a list crashed
``verify --offline`` and the build).
"""

from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from litreview import __version__
from litreview.core.bibliography import loader as bib
from litreview.core.bibliography import verdicts
from litreview.core.bibliography.cslfile import entry_text
from litreview.core.fetch import sources
from litreview.core.fetch.http import FetchError
from litreview.core.files.jsonfile import MAX_DEPTH, TooDeep, depth_error, loads
from litreview.core.history.store import EntryStore
from litreview.core.identifiers import lock
from litreview.core.identifiers.citekey import parse
from litreview.core.printing.kept import KeptPrint
from litreview.core.project.exchange import Answer
from litreview.core.references.cache import FORMAT, DiskCache, FormattedStore
from litreview.core.site.external import SuccessCache
from litreview.core.verify.verification import describe

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_SCALARS = (
    st.sampled_from(['[{"', '\\"]', "\\", '"}'])
    | st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["verified", "not-found", "2024-01-01", "doi:10.1/x", "litreview-lock/1", "1e999"])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=25,
)


@st.composite
def _bomb(draw: st.DrawFn) -> str:
    """Nesting past any sane depth, of lists or objects, closed or not."""
    depth = draw(st.sampled_from([MAX_DEPTH, MAX_DEPTH + 1, 990, 5_000, 200_000]))
    opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    inner = draw(st.sampled_from(["1", "[]", '"]]]"']))
    return opening * depth + inner + closing * depth * draw(st.sampled_from([1, 0]))


_HOLE = st.one_of(_VALUES.map(json.dumps), _bomb())


@st.composite
def _shaped(draw: st.DrawFn, template: str) -> str:
    """``template`` with each ``@`` replaced by generated JSON (or a nesting bomb)."""
    parts = template.split("@")
    return "".join(p + draw(_HOLE) for p in parts[:-1]) + parts[-1]


_LOCKS = st.one_of(
    _HOLE,
    _shaped('{"format": "litreview-lock/1", "works": @}'),
    _shaped('{"format": "litreview-lock/1", "works": {"doi:10.1038/nature14539": @}}'),
    _shaped(
        '{"format": "litreview-lock/1", "works": {"doi:10.1038/nature14539": '
        '{"source": @, "retrieved": @, "csl": {"title": @, "author": @, "issued": @, "type": @, "DOI": @}}}}'
    ),
)
_VERDICTS = st.one_of(
    _HOLE,
    _shaped('{"format": "litreview-verified/1", "entries": @}'),
    _shaped(
        '{"format": "litreview-verified/1", "entries": {"abc": {"key": @, "status": @, "doi": @, '
        '"source": @, "differences": @, "notice": @, "checked": @, "message": @}}}'
    ),
    _shaped(
        '{"format": "litreview-verified/1", "entries": {"abc": {"key": "k", "status": "mismatch", '
        '"checked": "2024-01-01", "differences": [{"field": @, "entry": @, "record": @}]}}}'
    ),
)
_CACHES = st.one_of(
    _HOLE,
    _shaped(f'{{"format": {FORMAT}, "version": "{__version__}", "entries": @}}'),
    _shaped(
        f'{{"format": {FORMAT}, "version": "{__version__}", "paths": @, "macros": @, '
        '"references": [@], "problems": @, "unparsed": @}'
    ),
    _shaped(f'{{"format": {FORMAT}, "version": "{__version__}", "entries": {{"c:a..b": @}}}}'),
    _shaped(f'{{"format": {FORMAT}, "version": "{__version__}", "key": "k", "requests": @, "pdf": @}}'),
    _shaped(
        f'{{"format": {FORMAT}, "version": "{__version__}", "key": "k", "pdf": "{"0" * 32}", '
        '"requests": {"http://litreview.print.invalid/a.css": @}}'
    ),
)


def _nesting(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_nesting(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_nesting(v) for v in value.values()), default=0)
    return 0


@SETTINGS
@given(_VALUES, st.integers(min_value=0, max_value=6), st.booleans())
def test_the_depth_scan_counts_what_the_parser_would_nest(value: object, limit: int, indent: bool) -> None:
    """Brackets inside strings (escaped quotes, backslashes) do not count; the rest do."""
    text = json.dumps(value, indent=2 if indent else None, ensure_ascii=False)
    assert (depth_error(text, limit) is None) == (_nesting(value) <= limit)
    try:
        assert loads(text, limit) == value and _nesting(value) <= limit
    except TooDeep as exc:
        assert _nesting(value) > limit and exc.lineno >= 1 and exc.colno >= 1


def _written(text: str, name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="lr-json-"))
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@SETTINGS
@given(_LOCKS)
def test_any_lock_file_reads_or_is_reported(text: str) -> None:
    path = _written(text, "references.lock.json")
    works, problems = lock.read(path, "references.lock.json")
    assert all(p.code == "LOCK001" and p.line >= 0 for p in problems)
    assert all(key == str(parse(key)) for key in works)
    lock.text_of(works)  # what fetch writes back
    loaded = bib.load([path])  # as check and the build read it
    assert all(p.path == str(path) for p in loaded.problems)


@SETTINGS
@given(_VERDICTS)
def test_any_verdict_cache_reads_or_is_reported(text: str) -> None:
    path = _written(text, "references.verified.json")
    found, problems = verdicts.read(path, "references.verified.json")
    assert all(p.code == "VER007" for p in problems)
    today = datetime.date(2026, 1, 1)
    for verdict in found.values():
        verdicts.fresh(verdict, today, 30)
        describe(verdict)
    verdicts.text_of(found)


@SETTINGS
@given(_CACHES)
def test_any_cache_file_is_used_or_ignored(text: str) -> None:
    folder = _written("", "x").parent
    disk = DiskCache(folder)
    bib_path = _written("@misc{a, title={A}}\n", "refs.bib")
    digest_names = [p.name for p in folder.glob("*.json")]
    assert digest_names == []
    # each store reads its own file: put the generated text in every one of them
    loaded = disk.bibliography([bib_path], folder, lambda paths, root: bib.load(paths))
    for path in folder.glob("bibliography-*.json"):
        path.write_text(text, encoding="utf-8")
    again = disk.bibliography([bib_path], folder, lambda paths, root: bib.load(paths))
    assert set(again.references) == set(loaded.references) == {"a"}
    (folder / "formatted-x.json").write_text(text, encoding="utf-8")
    store = FormattedStore(folder / "formatted-x.json", disk)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in store.entries.items())
    (folder / "releases.json").write_text(text, encoding="utf-8")
    releases = EntryStore(disk, "c")
    releases.get("a", "b")
    releases.save()
    (folder / "linkcheck.json").write_text(text, encoding="utf-8")
    links = SuccessCache(folder / "linkcheck.json", 3600.0, now=0.0)
    assert all(isinstance(v, float) for v in links.entries.values())
    links.fresh("https://example.org/")
    (folder / "pdf.json").write_text(text, encoding="utf-8")
    (folder / f"pdf-{'0' * 32}.pdf").write_bytes(b"%PDF-1.7")
    assert KeptPrint(disk).find("k", lambda url: b"body") is None  # no kept PDF has that digest


class _Answering:
    """A client whose every answer is ``text`` (the sources' parsers, without a server)."""

    mailto = ""

    def __init__(self, text: str) -> None:
        self.text = text

    def get(self, url: str, params: dict[str, str] | None = None, accept: str = "") -> Answer:
        return Answer(200, httpx.Headers({"Content-Type": "application/json"}), url, self.text.encode())


@SETTINGS
@given(
    st.one_of(
        _HOLE,
        _shaped('{"title": "T", "author": @, "issued": @, "DOI": @, "type": @, "container-title": @}'),
        _shaped('{"result": {"1": {"title": "T", "authors": @, "articleids": @, "pubdate": @}}}'),
        _shaped('{"records": [{"pmid": "1"}], "result": @}'),
        _shaped('{"records": [{"pmid": "1"}], "result": {"1": @}}'),
        _shaped('{"ISBN:9780262035613": {"title": "T", "authors": @, "publishers": @, "publish_date": @}}'),
    ),
    st.sampled_from(["doi:10.1/x", "pmid:1", "pmcid:PMC1", "isbn:9780262035613"]),
)
# found by make test: Open Library's authors or publishers as true, not a list (a TypeError)
@example('{"ISBN:9780262035613": {"title": "T", "authors": true}}', "isbn:9780262035613")
@example('{"ISBN:9780262035613": {"title": "T", "publishers": 5}}', "isbn:9780262035613")
@example('{"result": [1]}', "pmid:1")  # PubMed's result as a list, not an object (an AttributeError)
def test_any_source_answer_is_a_record_or_a_reason(text: str, key: str) -> None:
    identifier = parse(key)
    assert identifier is not None
    try:
        _source, item = sources.lookup(_Answering(text), identifier)  # type: ignore[arg-type]
    except FetchError:
        return
    works = {key: lock.Locked(key, item, "x", "2024-01-01")}
    reread, problems = lock.parse(json.loads(lock.text_of(works)), lock.text_of(works), "l")
    assert problems == [] and set(reread) == {key}
    entry_text(item, "k")
