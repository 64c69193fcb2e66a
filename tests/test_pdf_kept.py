"""The kept print (issue 30): a build copies the last PDF only while everything that print read
is the same, and reads the cache as untrusted input. Without Chromium: the print's requests
are given as Chromium would have made them (tests/test_pdf.py prints for real)."""

from __future__ import annotations

import json
import os
import shutil
import threading
import zlib
from pathlib import Path

import pytest

from litreview.core.printing import engine, environment, inert_pdf
from litreview.core.printing.kept import KeptPrint, answered, print_key
from litreview.core.references.cache import DiskCache, digest

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
    base = print_key("<html>a</html>", "A4", str(browser), engine.settings())
    assert base == print_key("<html>a</html>", "A4", str(browser), engine.settings())
    others = {
        print_key("<html>b</html>", "A4", str(browser), engine.settings()),
        print_key("<html>a</html>", "Letter", str(browser), engine.settings()),
        print_key("<html>a</html>", "A4", str(browser), engine.settings() + " landscape"),
        print_key("<html>a</html>", "A4", str(tmp_path / "other"), engine.settings()),
        print_key("<html>a</html>", "A4", "", engine.settings()),
    }
    browser.write_bytes(b"#!/bin/sh\n# upgraded\n")
    others.add(print_key("<html>a</html>", "A4", str(browser), engine.settings()))
    assert base not in others and len(others) == 6


# -- what the machine gives the print (the attack pass on e54fedd found each of these stale) --


def test_a_font_installed_for_the_user_changes_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The print uses the system's fonts: one more (here in the user's ~/.fonts) can change
    every line break, so it prints again."""
    if shutil.which("fc-list") is None:
        pytest.skip("no fontconfig (fc-list) on this machine")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    before = print_key("<html>a</html>", "A4", "", engine.settings())
    font = next(Path("/usr/share/fonts").rglob("*.ttf"))
    (tmp_path / ".fonts").mkdir()
    shutil.copy(font, tmp_path / ".fonts" / "Extra.ttf")
    assert "Extra.ttf" in environment.fonts()
    assert print_key("<html>a</html>", "A4", "", engine.settings()) != before


def test_fontconfig_pointed_elsewhere_changes_the_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = print_key("<html>a</html>", "A4", "", engine.settings())
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "fonts.conf"))
    assert print_key("<html>a</html>", "A4", "", engine.settings()) != before


def test_a_wrapper_keeps_its_bytes_and_date_while_its_chromium_is_upgraded(tmp_path: Path) -> None:
    """Debian's chromium-headless-shell is a 61-byte script starting the real browser: an
    upgrade leaves it as it was, so the key asks the browser its version."""
    (tmp_path / "version").write_text("Chromium 156.0.8078.114\n", encoding="utf-8")
    wrapper = tmp_path / "chromium"
    wrapper.write_text(f'#!/bin/sh\ncat "{tmp_path / "version"}"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    stamp = wrapper.stat()
    before = print_key("<html>a</html>", "A4", str(wrapper), engine.settings())
    (tmp_path / "version").write_text("Chromium 157.0.1.2\n", encoding="utf-8")
    os.utime(wrapper, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert print_key("<html>a</html>", "A4", str(wrapper), engine.settings()) != before


def test_the_printing_code_and_playwright_are_in_the_key() -> None:
    """Any option of the print (a header, JavaScript off, the margins) is in engine.py: a change
    to it prints again, as does another Playwright."""
    import importlib.metadata

    assert Path(engine.__file__).read_bytes().hex() in engine.settings()
    assert importlib.metadata.version("playwright") in engine.settings()


# -- the kept file is untrusted ------------------------------------------------------------


def _flate(obj: bytes) -> bytes:
    body = zlib.compress(obj)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream\n"


_LINK = b"<< /Type /Annot /Subtype /Link /A << /Type /Action /S /URI /URI (https://doi.org/10.1/x) >> >>\n"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n", id="open-action"
        ),
        pytest.param(
            b"1 0 obj << /OpenAction << /S /J#61vaScript /J#53 (x) >> >> endobj\n", id="escaped-names"
        ),
        pytest.param(_flate(b"<< /S /JavaScript /JS (app.alert(1)) >>"), id="in-a-compressed-stream"),
        pytest.param(_flate(_flate(b"<< /S /Launch /F (calc.exe) >>")), id="compressed-twice"),
        pytest.param(
            b"<< /Length 9 /Filter /ASCIIHexDecode >>\nstream\n2F4A53>\nendstream\n", id="another-filter"
        ),
        pytest.param(b"<< /A << /S /URI /URI (javascript:alert(1)) >> >>\n", id="a-javascript-link"),
        pytest.param(b"<< /A << /S /URI /URI 5 0 R >> >>\n", id="a-link-kept-elsewhere"),
        pytest.param(b"<< /EmbeddedFiles << /Names [(a) 2 0 R] >> >>\n", id="an-embedded-file"),
        pytest.param(b"trailer << /Encrypt 3 0 R >>\n", id="encrypted"),
    ],
)
def test_a_kept_pdf_that_could_run_or_open_anything_is_printed_again(tmp_path: Path, body: bytes) -> None:
    """A tampered cache must not publish a PDF with a script: as cached HTML must be of the
    forms a formatter writes, a kept PDF must be of the inert form Chromium prints."""
    site = _site(tmp_path)
    kept = _kept(tmp_path, site)
    pdf = b"%PDF-1.4\n" + _LINK + body + b"%%EOF\n"
    assert inert_pdf.is_inert(pdf) is False
    name = digest(pdf)
    (tmp_path / "cache" / f"pdf-{name}.pdf").write_bytes(pdf)
    record = json.loads(kept.record.read_text(encoding="utf-8"))
    kept.record.write_text(json.dumps({**record, "pdf": name}), encoding="utf-8")
    assert kept.find("key", _answer(site)) is None


def test_the_forms_chromium_prints_are_inert() -> None:
    link = b"%PDF-1.4\n" + _LINK + _flate(b"BT /F1 12 Tf (text) Tj ET") + b"%%EOF\n"
    assert inert_pdf.is_inert(link) and inert_pdf.is_inert(PDF)


def test_a_kept_file_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    """The cache's own file only: a link may lead out of the folder (/etc/passwd, /dev/zero)."""
    site = _site(tmp_path)
    kept = _kept(tmp_path, site)
    [kept_file] = (tmp_path / "cache").glob("pdf-*.pdf")
    (tmp_path / "elsewhere.pdf").write_bytes(kept_file.read_bytes())
    kept_file.unlink()
    kept_file.symlink_to(tmp_path / "elsewhere.pdf")
    assert kept.find("key", _answer(site)) is None


def test_a_record_that_cannot_be_written_leaves_one_kept_pdf(tmp_path: Path) -> None:
    """Each print's PDF was kept and never pruned when the record could not be written: the
    folder grew by a PDF a build."""
    (tmp_path / "cache" / "pdf.json").mkdir(parents=True)
    for n in range(3):  # three builds
        disk = DiskCache(tmp_path / "cache")
        KeptPrint(disk).keep("key", {}, PDF + b"%%%d\n" % n)
        assert "cannot use the cache folder" in disk.trouble
    assert len(list((tmp_path / "cache").glob("pdf-*.pdf"))) == 1


@pytest.mark.parametrize("name", ["pdf.json", "pages.json"])
def test_a_cache_file_that_is_a_fifo_is_not_read(tmp_path: Path, name: str) -> None:
    """A FIFO in the cache's place hung the build (old, found by the attack pass)."""
    from litreview.core.references.cache import read_data

    os.mkfifo(tmp_path / name)
    done: list[object] = []
    reader = threading.Thread(target=lambda: done.append(read_data(tmp_path / name)), daemon=True)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # let the reader go before failing
        with open(tmp_path / name, "wb"):
            pass
    assert done == [None]
