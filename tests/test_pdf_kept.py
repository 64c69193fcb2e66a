"""The kept print (issue 30): a build copies the last PDF only while everything that print read
is the same, and reads the cache as untrusted input. Without Chromium: the print's requests
are given as Chromium would have made them (tests/test_pdf.py prints for real)."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.core.printing import engine
from litreview.core.printing.kept import KeptPrint, answered, print_key
from litreview.core.references.cache import DiskCache

CSS, PICTURE, GONE = (engine.ORIGIN + name for name in ("style.css", "pic.svg", "missing.png"))
PDF = b"%PDF-1.7\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "style.css").write_text("body { color: red }", encoding="utf-8")
    (site / "pic.svg").write_text("<svg/>", encoding="utf-8")
    return site


def _answer(site: Path):  # type: ignore[no-untyped-def]
    def answer(url: str) -> bytes | None:
        found = engine.site_file(site.resolve(), url)
        return None if found is None else found.read_bytes()

    return answer


def _kept(tmp_path: Path, site: Path) -> KeptPrint:
    kept = KeptPrint(DiskCache(tmp_path / "cache"))
    requests = {url: answered(_answer(site)(url)) for url in (CSS, PICTURE, GONE)}
    assert requests[GONE] == "" and requests[CSS] != ""
    kept.keep("key", requests, PDF)
    return kept


def test_the_last_print_is_found_while_all_it_read_is_the_same(tmp_path: Path) -> None:
    site = _site(tmp_path)
    kept = _kept(tmp_path, site)
    assert kept.find("key", _answer(site)) == PDF
    assert kept.find("another key", _answer(site)) is None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda site: (site / "style.css").write_text("body { color: blue }"), id="a-file-it-read-changed"
        ),
        pytest.param(lambda site: (site / "pic.svg").unlink(), id="a-file-it-read-is-gone"),
        pytest.param(lambda site: (site / "missing.png").write_bytes(b"png"), id="a-file-it-missed-is-there"),
    ],
)
def test_anything_the_print_read_changing_prints_again(tmp_path: Path, change) -> None:  # type: ignore[no-untyped-def]
    site = _site(tmp_path)
    kept = _kept(tmp_path, site)
    change(site)
    assert kept.find("key", _answer(site)) is None


def test_a_kept_pdf_that_is_not_the_one_recorded_is_not_used(tmp_path: Path) -> None:
    site = _site(tmp_path)
    kept = _kept(tmp_path, site)
    [kept_file] = (tmp_path / "cache").glob("pdf-*.pdf")
    kept_file.write_bytes(PDF.replace(b"Page", b"Pags"))
    assert kept.find("key", _answer(site)) is None
    kept_file.unlink()
    assert kept.find("key", _answer(site)) is None


@pytest.mark.parametrize(
    "record",
    [
        '{"format": 4, "version": "@", "key": "key", "requests": {}, "pdf": "../../site/x"}',
        '{"format": 4, "version": "@", "key": "key", "requests": {"u": "not a digest"}, "pdf": "@@"}',
        '{"format": 4, "version": "@", "key": "key", "requests": [], "pdf": "@@"}',
        "not json",
    ],
    ids=["a-path-for-a-digest", "a-request-of-the-wrong-form", "requests-not-a-mapping", "not-json"],
)
def test_a_record_of_the_wrong_shape_is_a_miss(tmp_path: Path, record: str) -> None:
    from litreview import __version__
    from litreview.core.references.cache import digest

    site = _site(tmp_path)
    kept = _kept(tmp_path, site)
    text = record.replace("@@", digest(PDF)).replace('"@"', f'"{__version__}"')
    kept.record.write_text(text, encoding="utf-8")
    assert kept.find("key", _answer(site)) is None


def test_a_new_print_replaces_the_kept_one(tmp_path: Path) -> None:
    site = _site(tmp_path)
    kept = _kept(tmp_path, site)
    kept.keep("other", {}, PDF + b"%two\n")
    assert [p.read_bytes() for p in (tmp_path / "cache").glob("pdf-*.pdf")] == [PDF + b"%two\n"]
    assert kept.find("key", _answer(site)) is None and kept.find("other", _answer(site)) == PDF + b"%two\n"


def test_a_cache_folder_that_cannot_be_written_costs_the_reuse_only(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    disk = DiskCache(tmp_path / "a-file" / "cache")  # no folder can be made there, not even by root
    KeptPrint(disk).keep("key", {}, PDF)
    assert "cannot use the cache folder" in disk.trouble
    assert KeptPrint(disk).find("key", lambda url: None) is None


def test_the_key_is_the_document_the_paper_the_settings_and_the_browser(tmp_path: Path) -> None:
    browser = tmp_path / "chromium"
    browser.write_bytes(b"#!/bin/sh\n")
    base = print_key("<html>a</html>", "A4", str(browser), engine.SETTINGS)
    assert base == print_key("<html>a</html>", "A4", str(browser), engine.SETTINGS)
    others = {
        print_key("<html>b</html>", "A4", str(browser), engine.SETTINGS),
        print_key("<html>a</html>", "Letter", str(browser), engine.SETTINGS),
        print_key("<html>a</html>", "A4", str(browser), engine.SETTINGS + " landscape"),
        print_key("<html>a</html>", "A4", str(tmp_path / "other"), engine.SETTINGS),
        print_key("<html>a</html>", "A4", "", engine.SETTINGS),
    }
    browser.write_bytes(b"#!/bin/sh\n# upgraded\n")
    others.add(print_key("<html>a</html>", "A4", str(browser), engine.SETTINGS))
    assert base not in others and len(others) == 6
