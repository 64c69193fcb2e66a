"""Each work's texts are read from the cache a work at a time (issue 30): at 10,000 works the
file was 12.7 MB, read whole and held all build (about twice its size in memory)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from litreview.core.bibliography.loader import Reference
from litreview.core.publication.work_texts import FILE, KINDS, WorkTexts
from litreview.core.references.cache import DiskCache


def _works(count: int, words: int) -> list[Reference]:
    return [
        Reference(
            f"work{i}",
            "article",
            {
                "author": f"Author{i}, Ann and Other, Bea",
                "title": " ".join(f"word{i}x{j}" for j in range(words)),
                "journal": "Journal of Things",
                "year": str(1990 + i % 30),
                "doi": f"10.1000/{i}",
            },
            "refs.bib",
            i + 1,
        )
        for i in range(count)
    ]


def _counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The digests of the stored lines read from here on, in order."""
    from litreview.core.publication import work_texts

    reads: list[str] = []
    real = work_texts.record_at

    def counted(path: Path, digest: str, offset: int, length: int) -> dict[str, object]:
        reads.append(digest)
        return real(path, digest, offset, length)

    monkeypatch.setattr(work_texts, "record_at", counted)
    return reads


def _cold(folder: Path, works: list[Reference]) -> dict[tuple[str, str], str]:
    texts = WorkTexts(DiskCache(folder))
    made = {(ref.key, kind): texts.text(ref, kind) for ref in works for kind in KINDS}
    texts.save()
    return made


def _held(folder: Path, works: list[Reference]) -> tuple[int, dict[tuple[str, str], str]]:
    """Memory a warm build's texts hold once every work's texts were used (the result aside)."""
    tracemalloc.start()
    texts = WorkTexts(DiskCache(folder))
    read = {(ref.key, kind): texts.text(ref, kind) for ref in works for kind in KINDS}
    before_result = tracemalloc.get_traced_memory()[0]
    del read
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert held <= before_result
    texts.save()
    return held, {(ref.key, kind): texts.text(ref, kind) for ref in works for kind in KINDS}


@pytest.mark.parametrize(("count", "words"), [(300, 5), (300, 40)])
def test_a_warm_builds_texts_hold_a_small_part_of_the_file(tmp_path: Path, count: int, words: int) -> None:
    """Used once each, the texts leave behind less than 0.6 of the file's size (where each
    line is, which work it is: not the texts) and a dict slot a work (its facets, for the
    explorer: their few values are shared), and they are the texts the cold build made."""
    folder = tmp_path / "cache"
    works = _works(count, words)
    made = _cold(folder, works)
    size = (folder / FILE).stat().st_size
    held, read = _held(folder, works)
    assert read == made
    assert held < 0.6 * size + 32 * count, (held, size)  # it held 1.5 times the file before


def test_a_files_texts_read_each_works_line_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole review's BibTeX, RIS and CSL-JSON files take each work's three texts together: made
    one format at a time, a warm build read every stored line three times once the list was
    longer than the lines it keeps (835 works: 1.05G instructions, more than making them)."""
    from litreview.core.publication import exports

    folder = tmp_path / "cache"
    works = _works(300, 5)
    _cold(folder, works)
    reads = _counted_reads(monkeypatch)
    texts = WorkTexts(DiskCache(folder))
    files = dict(exports.files_for("references", works, texts.text))
    assert len(reads) == len(set(reads)) == len(works)
    assert files == dict(exports.files_for("references", works))  # as made afresh


def test_a_sites_downloads_read_each_works_line_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole review's files and every page's are made from one reading of each work: made
    page by page after the whole review's, a warm build read again the line of nearly every
    work a page cites (835 works on 101 pages: 1,719 more reads than works)."""
    from types import SimpleNamespace

    from litreview.core.build.sitewide import BuiltSite
    from litreview.core.publication import exports

    folder = tmp_path / "cache"
    works = _works(300, 5)
    _cold(folder, works)
    reads = _counted_reads(monkeypatch)
    by_key = {ref.key: ref for ref in works}
    pages = [  # 30 pages of 12 works: 10 of their own, 2 cited before
        SimpleNamespace(
            src_uri=f"part/page-{p}.md",
            records=[object()],
            keys_in_order=lambda p=p: (
                [f"work{i}" for i in range(p * 10, p * 10 + 10)] + ["work0", f"work{p * 7}"]
            ),
        )
        for p in range(30)
    ]
    site = SimpleNamespace(numbers={ref.key: i + 1 for i, ref in enumerate(works)}, references=by_key)
    texts = WorkTexts(DiskCache(folder))
    built = BuiltSite(SimpleNamespace(texts=texts, publication=None), site, pages, [])  # type: ignore[arg-type]
    files = dict(built.downloads())
    assert len(reads) == len(set(reads)) == len(works)
    assert len(files) == 3 * 31
    for page in pages:  # each page's files as made afresh, its works in the order they are numbered
        own = sorted(set(page.keys_in_order()), key=site.numbers.__getitem__)
        stem = exports.stem_of(page.src_uri)
        assert {p: files[p] for p in files if f"/{stem}." in p} == dict(
            exports.files_for(stem, [by_key[k] for k in own])
        )
    assert {p: files[p] for p in files if "/references." in p} == dict(exports.files_for("references", works))


def test_the_explorers_facets_need_no_second_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm build reads each work's line for the pages' COinS, then the References page's
    explorer asks for every work's facets (its year and kind, a few bytes): those are kept as
    the line is read, not read again once the last lines kept have moved on (835 reads)."""

    folder = tmp_path / "cache"
    works = _works(300, 5)
    made = _cold(folder, works)
    reads = _counted_reads(monkeypatch)
    texts = WorkTexts(DiskCache(folder))
    coins = [texts.text(ref, "coins") for ref in works]
    facets = [texts.text(ref, "facets") for ref in works]
    assert len(reads) == len(works)
    assert coins == [made[ref.key, "coins"] for ref in works]
    assert facets == [made[ref.key, "facets"] for ref in works]
